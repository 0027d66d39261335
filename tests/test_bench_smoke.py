"""Every benchmark runs once at the smallest sizes, so none of them can quietly rot.

No timing is asserted (the machines are shared and noisy); only that each benchmark runs to
the end and writes its rows. They run side by side, each `python -m bench NAME --tiny` in its
own process (each sets its own XDG folders), so the whole smoke test takes about as long as
the slowest benchmark. The real figures come from `make bench`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fcntl", reason="the benchmarks need pseudo-terminals")

from bench import report
from bench.__main__ import BENCHMARKS, main
from bench.common import REPO, Row

# a row each benchmark must produce, as proof it ran to its end
EXPECTED = {
    "startup": "Start-up, unknot against the same screen from stock widgets",
    "importtime": "Import time of tui beyond Textual",
    "steady": "CPU while paused",
    "latency": "Key latency p95: Space",
    "timer": "Timer drift over the run",
    "routines": "First frame with 3 routine files",
    "history": "`unknot history` with 20 sessions",
    "days": "`unknot report` (HTML) with 20 sessions",
    "memory": "Peak memory (RSS)",
    "figures": "Start-up to first frame with figures (80x24)",
}


def test_every_benchmark_is_covered() -> None:
    assert set(EXPECTED) == set(BENCHMARKS)


def test_every_benchmark_runs_at_tiny_sizes(tmp_path: Path) -> None:
    runs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "bench", name, "--tiny", "--output", str(tmp_path / name)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in BENCHMARKS
    }
    for name, process in runs.items():
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, f"{name} failed:\n{err[-3000:]}"
        assert EXPECTED[name] in out, f"{name} wrote no {EXPECTED[name]!r} row:\n{out}"
        assert (tmp_path / name).read_text().startswith("# unknot benchmarks")


def test_baselines_import_no_project_code() -> None:
    """The baselines measure Textual alone: none may pull in a module of tui."""
    for module in ("bare_app", "digits_app", "same_layout"):
        code = (
            f"import sys, bench.baselines.{module}; "
            "print(sorted(m for m in sys.modules if m == 'tui' or m.startswith('tui.')))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]", f"{module} imports {out.stdout}"


def test_table_marks_missed_targets_and_ratios() -> None:
    rows = [
        Row("fast", 10.0, "ms", baseline=8.0, baseline_name="bare", target="< 20 ms", passed=True),
        Row("slow", 30.0, "ms", baseline=10.0, target="< 20 ms", passed=False),
        Row("untargeted", 1.0, "ms"),
        Row("drift", -1.0, "ms", baseline=2.0),
    ]
    lines = report.table(rows).splitlines()
    assert lines[2].endswith("| pass   |") and "1.25x" in lines[2] and "8.00 ms (bare)" in lines[2]
    assert lines[3].endswith("| MISS   |") and "3.00x" in lines[3]
    assert lines[4].endswith("|        |")
    assert "x |" not in lines[5]  # no ratio for a value below zero


def test_results_name_the_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BENCHMARKS, "importtime", lambda box, sizes: [Row("a row", 1.0, "ms")])
    output = tmp_path / "results.md"
    assert main(["importtime", "--tiny", "--output", str(output)]) == 0
    text = output.read_text()
    assert "| a row " in text
    assert "Machine: " in text and "Textual 8.2.8" in text and "cores" in text


def test_a_crashing_benchmark_becomes_a_failed_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> list[Row]:
        raise RuntimeError("no terminal today")

    monkeypatch.setitem(BENCHMARKS, "importtime", broken)
    output = tmp_path / "results.md"
    assert main(["importtime", "--tiny", "--output", str(output)]) == 1
    text = output.read_text()
    assert "importtime failed" in text and "no terminal today" in text and "| MISS" in text


def test_an_unknown_benchmark_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["nosuch"])
    assert "no benchmark named nosuch" in capsys.readouterr().err
