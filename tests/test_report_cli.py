"""`unknot report` (issue 17) on the small history worked out by hand (tests/helpers_report.py),
recorded as the app records it: the CSV read back with the csv module against the figures
worked out by hand, the Markdown to standard output, the HTML to a file that never replaces
another, and clear words for a bad --since, an unknown routine and a file that cannot be
written.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers_report import FIGURES, NOW, SESSIONS

from tui import cli
from tui.store.history import recorder
from tui.store.paths import user_routines_dir

ROUTINE = """\
schema = 1
name = "Back care"

[plan]
times_a_day = 2
days = ["mon", "tue", "wed", "thu", "fri"]

[progression]
hold_seconds_per_week = 2
reps_per_week = 1

[[stretches]]
id = "knee-to-chest"
name = "Knee-to-chest"
steps = ["Pull one knee in."]
hold_seconds = [10, 20]
reps = [3, 5]
sides = "each"

[[stretches]]
id = "cat-cow"
name = "Cat-cow"
steps = ["Arch, then round."]
hold_seconds = 5
reps = 8
"""


@pytest.fixture(autouse=True)
def recorded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The hand-worked history in the person's history folder, "Back care" among their
    routines, the clock at the fixture's now, and a folder of its own to write reports in."""
    user_routines_dir().mkdir(parents=True, exist_ok=True)
    (user_routines_dir() / "back-care.toml").write_text(ROUTINE, encoding="utf-8")
    recorder.append_sessions(SESSIONS)
    monkeypatch.setattr(cli, "now_here", lambda: NOW)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["report", "--routine", "back-care", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_csv_has_the_figures_worked_out_by_hand(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = report(capsys, "--since", "2026-03-02", "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    counted = [row for row in rows if row["counts"] == "yes"]
    assert len(rows) == FIGURES["recorded"]
    assert len(counted) == FIGURES["counted"]
    assert sum(row["finished"] == "yes" for row in counted) == FIGURES["finished"]
    assert sum(float(row["minutes"]) for row in counted) == pytest.approx(FIGURES["minutes"])
    assert len({row["date"] for row in counted}) == FIGURES["active_days"]
    befores = [int(row["pain_before"]) for row in counted if row["pain_before"]]
    assert sum(befores) / len(befores) == pytest.approx(FIGURES["pain_before"])
    # S7 began at 20:00 at +02:00 on the 11th: its own day and offset
    assert [row["started"] for row in rows][6] == "2026-03-11T20:00:00+02:00"
    assert {row["routine_id"] for row in rows} == {"back-care", "morning"}


def test_since_a_number_of_days_counts_today_in(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report(capsys, "--since", "7d", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    # 16 to 22 March: S9, S10 and S11
    assert code == 0
    assert [row["date"] for row in rows] == ["2026-03-16", "2026-03-16", "2026-03-20"]


def test_the_markdown_goes_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = report(capsys, "--since", "2026-03-02", "--format", "md")
    assert (code, err) == (0, "")
    assert out.startswith("# Stretching report: Back care\n")
    assert "twice a day, Mon-Fri" in out
    assert "| 2 of 15 |" in out or "2 of 15" in out  # the plan met on 2 of its 15 days
    assert list(Path.cwd().iterdir()) == []


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_the_html_goes_to_a_new_file_and_never_over_another(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = report(capsys, "--since", "2026-03-02")
    first = Path.cwd() / "unknot-report-2026-03-22.html"
    assert (code, err) == (0, "")
    assert out == f"Report written to {first} (open it in a web browser; it prints on A4)\n"
    page = Tags()
    page.feed(first.read_text(encoding="utf-8"))
    assert page.tags.count("svg") == 3 and "script" not in page.tags
    # the same day again: a new name, the first report left as it is
    before = first.read_bytes()
    code, out, _ = report(capsys)
    second = Path.cwd() / "unknot-report-2026-03-22-2.html"
    assert code == 0 and str(second) in out
    assert first.read_bytes() == before and second.is_file()


def test_output_names_the_file_and_force_alone_replaces_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    mine = Path.cwd() / "mine.csv"
    mine.write_text("my own notes\n", encoding="utf-8")
    code, out, err = report(capsys, "--format", "csv", "--output", str(mine))
    assert (code, out) == (1, "")
    assert err == (
        f"unknot report: {mine} already exists and was left as it is; name another file, "
        "or add --force to replace it\n"
    )
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    code, out, err = report(capsys, "--format", "csv", "--output", str(mine), "--force")
    assert (code, err) == (0, "")
    assert mine.read_text(encoding="utf-8").startswith("date,started,routine_id")
    code, out, _ = report(capsys, "--output", "-")
    assert code == 0 and out.startswith("<!doctype html>")


def test_a_file_that_cannot_be_written_is_said_in_a_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (Path.cwd() / "a-file").write_text("", encoding="utf-8")
    target = Path.cwd() / "a-file" / "report.html"
    code, out, err = report(capsys, "--output", str(target))
    assert (code, out) == (1, "")
    assert err.startswith(f"unknot report: could not write {target}: ")
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("since", "said"),
    [
        ("thirty", '--since "thirty": expected a number of days such as 30d, or a date'),
        ("0d", "--since 0d: expected from 1d to 36600d"),
        ("2026-02-30", '--since "2026-02-30": expected a number of days such as 30d'),
        ("2026-04-01", "--since 2026-04-01: that is after today (2026-03-22)"),
    ],
)
def test_a_bad_since_says_what_was_expected(
    capsys: pytest.CaptureFixture[str], since: str, said: str
) -> None:
    code, out, err = report(capsys, "--since", since)
    assert (code, out) == (2, "")
    assert err.startswith(f"unknot report: {said}"), err
    assert err.count("\n") == 1


def test_an_unknown_routine_is_named_with_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["report", "--routine", "back-cure"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert 'no routine with the id "back-cure"; did you mean back-care' in err
    assert err.count("\n") == 1
