"""Plain mode follows the routine's progression as the app does (issue 17): a session starts at
this week's holds and reps, found by the app's own function (tui.core.plan_view.Days), and the
plan line is said once at the start."""

from __future__ import annotations

import argparse
import io
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from helpers_report import knee, session

from tui.core.model import Routine, Span, Stretch, StretchPlan
from tui.core.plan_view import Days
from tui.core.schedule import Progression, Schedule
from tui.plain import LineWriter, run_plain, this_weeks_plan
from tui.store.history import index as history_index
from tui.store.history import recorder

CET = timezone(timedelta(hours=1))
GROWING = Stretch("knee", "Knee hug", ("Hug one knee.",), Span(1, 5), Span(1, 3))
STILL = Stretch("tilt", "Pelvic tilt", ("Tilt.",), Span.exactly(1), Span.exactly(1))
ROUTINE = Routine(
    "grow",
    "Growing",
    (GROWING, STILL),
    prepare_seconds=0,
    rest_seconds=0,
    schedule=Schedule(progression=Progression(hold_seconds_per_week=1)),
)


def record(*starts: datetime, routine: str = "grow", holds: int = 1) -> None:
    recorder.append_sessions(
        [session(s, 5, True, (knee(1, holds, holds),), routine=(routine, routine)) for s in starts]
    )


def test_a_session_starts_at_this_weeks_plan_as_in_the_app() -> None:
    now = datetime(2026, 3, 17, 9, tzinfo=CET)  # week 3 from the 2nd
    record(datetime(2026, 3, 2, 8, tzinfo=CET), datetime(2026, 3, 16, 8, tzinfo=CET))
    record(datetime(2026, 2, 1, 8, tzinfo=CET), routine="other")  # not this routine's
    record(datetime(2026, 2, 20, 8, tzinfo=CET), holds=0)  # does not count
    plan, lines = this_weeks_plan(ROUTINE, LineWriter(io.StringIO()), now)
    assert plan == (StretchPlan(3, 1), StretchPlan(1, 1))
    starts = [e.started_at for e in history_index.load_entries().entries][-2:]
    assert plan == Days.of(ROUTINE, starts, now).start_plan(ROUTINE.default_plan())
    assert lines == ["This week, Knee hug: hold 3 s, week 3 of the plan: +2 s"]


def test_before_any_session_it_is_week_one_and_nothing_has_grown() -> None:
    now = datetime(2026, 3, 17, 9, tzinfo=CET)
    plan, lines = this_weeks_plan(ROUTINE, LineWriter(io.StringIO()), now)
    assert plan == ROUTINE.default_plan()
    assert lines == ["This week, Knee hug: hold 1 s, week 1 of the plan"]


def test_a_routine_that_does_not_grow_says_no_plan_line() -> None:
    record(datetime(2026, 3, 2, 8, tzinfo=CET))
    still = replace(ROUTINE, schedule=None)
    now = datetime(2026, 3, 17, 9, tzinfo=CET)
    assert this_weeks_plan(still, LineWriter(io.StringIO()), now) == (still.default_plan(), [])


def test_run_plain_holds_this_weeks_hold_and_says_the_plan_once() -> None:
    now = datetime.now().astimezone()
    record(now - timedelta(days=8))  # week 2: holds 1 s longer
    out = io.StringIO()
    args = argparse.Namespace(no_bell=True, speak=False)
    assert run_plain(ROUTINE, None, args, stdin=io.StringIO(""), stdout=out) == 0
    said = out.getvalue().splitlines()
    week = "This week, Knee hug: hold 2 s, week 2 of the plan: +1 s"
    assert said.count(week) == 1, said
    assert said.index(week) < said.index("Stretch 1 of 2: Knee hug"), said
    assert "Plan: hold 2 s, 1 rep" in said, said
    sessions, _, _ = history_index.load_sessions()
    knee_done = sessions[-1].stretches[0]
    assert (knee_done.stretch_id, knee_done.hold_seconds) == ("knee", 2), knee_done
