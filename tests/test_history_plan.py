"""`unknot history` (text and --json) shows the days the plan of the routine in use was met,
as the history screen does, from the same computation (issue 17)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from test_due import at, back_care, record

from tui import cli
from tui.store.history import report

TODAY = date(2026, 3, 8)  # a Sunday; the plan is twice a day, Monday to Friday
__all__ = ["back_care"]  # test_due's routine in use, autouse here too


@pytest.fixture(autouse=True)
def history_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """`unknot history` as it would run on TODAY."""
    command = report.history_command

    def on_today(as_json: bool, **options: object) -> str:
        return command(as_json, today=TODAY, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(report, "history_command", on_today)


def sessions() -> None:
    """Monday twice (met), Tuesday once (not met), Wednesday twice (met), one session of
    another routine on Thursday (not this routine's)."""
    record(at(2, 8), at(2, 18), at(3, 9), at(4, 8), at(4, 19))
    record(at(5, 8), at(5, 18), routine="other")


def test_the_text_shows_the_days_met(capsys: pytest.CaptureFixture[str]) -> None:
    sessions()
    assert cli.main(["history"]) == 0
    out = capsys.readouterr().out
    assert "Plan for Back care: twice a day, Mon-Fri\n" in out, out
    assert "Days the plan was met, last 4 weeks: 2 of 5\n" in out, out
    assert " 2 Mar  ✓   ✗   ✓   ✗   ✗   -   -\n" in out, out


def test_the_json_gives_each_day_against_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    sessions()
    assert cli.main(["history", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)["plan"]
    days = {d["date"]: (d["planned"], d["done"], d["met"]) for d in plan["days"]}
    assert (plan["routine_id"], plan["days_met"], plan["days_planned"]) == ("back-care", 2, 5)
    assert plan["first_session_day"] == "2026-03-02"
    assert list(days) == [f"2026-03-0{n}" for n in range(2, 9)], days  # first session to today
    assert days["2026-03-02"] == (2, 2, True)
    assert days["2026-03-03"] == (2, 1, False)
    assert days["2026-03-05"] == (2, 0, False)  # the other routine's sessions are not these
    assert days["2026-03-07"] == (0, 0, False)


def test_the_cli_and_the_history_screen_say_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.core.plan_view import met_lines
    from tui.core.schedule import Plan

    sessions()
    cli.main(["history"])
    out = capsys.readouterr().out
    starts = [at(2, 8), at(2, 18), at(3, 9), at(4, 8), at(4, 19)]
    screen = met_lines(Plan(2, (0, 1, 2, 3, 4)), starts, TODAY, "Back care")
    assert "\n".join(screen) in out, out


def test_with_no_routine_the_history_is_shown_without_a_plan(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def none() -> object:
        raise cli.RoutineError([])

    monkeypatch.setattr(cli, "routine_in_use", none)
    sessions()
    assert cli.main(["history", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["plan"] is None
