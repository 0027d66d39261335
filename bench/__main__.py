"""`python -m bench` (`make bench`): every benchmark, one table, written to bench/results.md."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import (
    days,
    figures,
    importtime,
    latency,
    memory,
    report,
    scale,
    startup,
    steady,
    timer_accuracy,
)
from bench.common import Row, Sandbox, Sizes, sandbox

Benchmark = Callable[[Sandbox, Sizes], list[Row]]
BENCHMARKS: dict[str, Benchmark] = {
    "startup": startup.run,
    "importtime": importtime.run,
    "steady": steady.run,  # bytes on the wire and CPU, watched in the same runs
    "latency": latency.run,
    "timer": timer_accuracy.run,
    "routines": scale.routine_rows,
    "history": scale.history_rows,
    "days": days.run,
    "memory": memory.run,
    "figures": figures.run,  # issue 16: a moving figure, a still one, a frame, the start
}
RESULTS = Path(__file__).resolve().parent / "results.md"


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"only these: {', '.join(BENCHMARKS)}"
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs, a 20-second timer routine"
    )
    parser.add_argument("--tiny", action="store_true", help="smallest sizes: proves it runs")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where the table goes")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)}; there are {', '.join(BENCHMARKS)}")
    return args


def run_one(name: str, benchmark: Benchmark, sizes: Sizes) -> list[Row]:
    """One benchmark in its own throw-away home; a crash becomes a failed row, not an exit."""
    report.echo(f"bench: {name} ...")
    start = time.monotonic()
    with sandbox() as box:
        try:
            rows = benchmark(box, sizes)
        except Exception as error:  # the table must still be written
            traceback.print_exc()
            first_line = (str(error).splitlines() or [""])[0][:100]
            note = f"{type(error).__name__}: {first_line}"
            rows = [Row(f"{name} failed", float("nan"), "", passed=False, note=note)]
    report.echo(f"bench: {name} took {time.monotonic() - start:.1f} s")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print, write; exit 1 only when a benchmark crashed (a missed target is a result)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse(argv)
    sizes = Sizes.tiny() if args.tiny else Sizes().quick() if args.quick else Sizes()
    start, load_before = time.monotonic(), report.load()
    rows: list[Row] = []
    for name in args.names or BENCHMARKS:
        rows += run_one(name, BENCHMARKS[name], sizes)
    text = report.document(rows, sizes, time.monotonic() - start, argv, load_before)
    print(report.table(rows))
    args.output.write_text(text, encoding="utf-8")
    report.echo(f"bench: written to {args.output}")
    return 1 if any(row.benchmark.endswith(" failed") for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
