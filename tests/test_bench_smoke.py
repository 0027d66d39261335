"""Every benchmark runs once at the smallest sizes, so none of them can quietly rot.

No timing is asserted (the machines are shared and noisy); only that each benchmark produces
its rows with numbers, and that the table is written. The real figures come from `make bench`.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

pytest.importorskip("fcntl", reason="the benchmarks need pseudo-terminals")

from bench import report
from bench.__main__ import BENCHMARKS, main
from bench.common import Row, Sizes, sandbox


@pytest.mark.parametrize("name", list(BENCHMARKS))
def test_benchmark_gives_rows_with_numbers(name: str) -> None:
    with sandbox() as box:
        rows = BENCHMARKS[name](box, Sizes.tiny())
    assert rows
    for row in rows:
        assert not math.isnan(row.value), row
        assert row.baseline is not None and not math.isnan(row.baseline), row


def test_table_marks_missed_targets_and_ratios(tmp_path: Path) -> None:
    rows = [
        Row("fast", 10.0, "ms", baseline=8.0, baseline_name="bare", target="< 20 ms", passed=True),
        Row("slow", 30.0, "ms", baseline=10.0, target="< 20 ms", passed=False),
        Row("untargeted", 1.0, "ms"),
    ]
    lines = report.table(rows).splitlines()
    assert lines[2].endswith("| pass   |") and "1.25x" in lines[2] and "8.00 ms (bare)" in lines[2]
    assert lines[3].endswith("| MISS   |") and "3.00x" in lines[3]
    assert lines[4].endswith("|        |")


def test_main_writes_the_table_with_the_machine(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    assert main(["importtime", "--tiny", "--output", str(output)]) == 0
    text = output.read_text()
    assert "Import time of tui beyond Textual" in text
    assert "Machine: " in text and "Textual 8.2.8" in text


def test_a_crashing_benchmark_becomes_a_failed_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> list[Row]:
        raise RuntimeError("no terminal today")

    monkeypatch.setitem(BENCHMARKS, "importtime", broken)
    output = tmp_path / "results.md"
    assert main(["importtime", "--tiny", "--output", str(output)]) == 1
    assert "importtime failed" in output.read_text() and "no terminal today" in output.read_text()
