"""Days (issue 17): `unknot due`, run at every shell prompt, and `unknot report`.

- `unknot due` with no history and with `sizes.sessions` sessions (their index fresh, as the
  app and `unknot history` keep it), against a bare Python start (`python -c pass`): what a
  prompt pays beyond starting Python at all. A second baseline in the note: `import tui.cli`
  alone, which every `unknot` command pays before it does anything.
- `unknot report` (HTML, written to a file) with `sizes.sessions` sessions, against the same
  command with no history.
"""

from __future__ import annotations

import sys

from bench.common import Row, Sandbox, Sizes, median, sandbox, unknot
from bench.scale import command_seconds, fill_history

DUE_TARGET_MS = 100.0
"""Beyond a bare Python start, what a prompt may spend before it is felt."""


CPU: dict[str, list[float]] = {}
"""CPU milliseconds (user + system) of each command measured, by its words: on a machine
shared with other work the wall time mostly measures the waiting for a core."""


def _ms(argv: list[str], box: Sandbox, runs: int, name: str = "") -> list[float]:
    """Wall milliseconds of `argv`, `runs` times (CPU ones kept in CPU[name]); a status other
    than 0 or 1 is a failure."""
    import resource
    import subprocess
    import time

    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, env=box.env, capture_output=True, check=False)
        samples.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        CPU.setdefault(name, []).append(cpu * 1000)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{argv} failed: {done.stderr.decode(errors='replace')}")
    return samples


def _cpu(name: str) -> str:
    return f"{median(CPU.get(name, [])):.0f} ms"


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    from tui.store.history import index as history_index

    runs = max(sizes.runs * 2, 3)  # quick commands: more samples for a steadier median
    bare = [sys.executable, "-c", "pass"]
    cli = [sys.executable, "-c", "import tui.cli"]
    rows = []
    with sandbox() as empty:
        if sizes.warmup:
            _ms(unknot("due"), empty, 1)  # compiles the bytecode
        bare_ms = _ms(bare, empty, runs, "pass")
        cli_ms = _ms(cli, empty, runs, "cli")
        none = _ms(unknot("due"), empty, runs, "due 0")
        report_empty = [
            command_seconds([*unknot("report"), "--output", "-"], empty) * 1000
            for _ in range(sizes.long_runs)
        ]
    fill_history(box.history, sizes.sessions)
    history_index.load_entries(box.history)  # the index, as the app and `unknot history` keep it
    full = _ms(unknot("due"), box, runs, "due full")
    for count, samples, name in ((0, none, "due 0"), (sizes.sessions, full, "due full")):
        extra = median(samples) - median(bare_ms)
        note = (
            f"CPU: {_cpu(name)}, `python -c pass` {_cpu('pass')}, `import tui.cli` alone "
            f"{_cpu('cli')} (wall {median(cli_ms):.0f} ms)"
        )
        rows.append(
            Row(
                f"`unknot due`, {count} sessions in history",
                median(samples),
                "ms",
                baseline=median(bare_ms),
                baseline_name="`python -c pass`",
                target=f"< baseline + {DUE_TARGET_MS:g} ms",
                passed=extra < DUE_TARGET_MS,
                note=note,
                samples=samples,
            )
        )
    report_full = [
        command_seconds([*unknot("report"), "--output", "-"], box) * 1000
        for _ in range(sizes.long_runs)
    ]
    rows.append(
        Row(
            f"`unknot report` (HTML) with {sizes.sessions} sessions",
            median(report_full),
            "ms",
            baseline=median(report_empty),
            baseline_name="`unknot report`, no sessions",
            samples=report_full,
        )
    )
    return rows
