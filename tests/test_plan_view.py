"""What the app shows of the plan (issue 17), pure: the plan a session starts with, the plan
line's progression, and the history screen's days met."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from tui.core.model import Span, Stretch, StretchPlan
from tui.core.plan_view import met_lines, plan_note, start_plan
from tui.core.progress import in_force
from tui.core.schedule import Plan, Progression

CET = timezone(timedelta(hours=1))
KNEE = Stretch("knee", "Knee hug", ("Hug.",), Span(10, 20), Span(3, 5))
TILT = Stretch("tilt", "Tilt", ("Tilt.",), Span(5, 5), Span(8, 8))
GROWS = Progression(2, None, 1, None)


def test_a_session_starts_at_this_weeks_plan_where_the_person_did_not_choose() -> None:
    grown = [in_force(KNEE, GROWS, 3), in_force(TILT, GROWS, 3)]
    current = (StretchPlan(10, 3), StretchPlan(6, 9))  # the tilt as the app was given it
    assert start_plan(grown, current, adjusted=set()) == (StretchPlan(14, 5), StretchPlan(6, 9))
    assert start_plan(grown, current, adjusted={0}) == current


def test_the_plan_line_says_the_persons_own_choice_too() -> None:
    grown = in_force(KNEE, GROWS, 2)
    assert plan_note(grown, StretchPlan(12, 4)) == (
        "hold 12 s, 4 reps, week 2 of the plan: +2 s, +1 rep"
    )
    assert plan_note(grown, StretchPlan(11, 1)) == (
        "hold 12 s, 4 reps, week 2 of the plan: +2 s, +1 rep; yours: hold 11 s, 1 rep"
    )
    assert plan_note(in_force(TILT, GROWS, 2), StretchPlan(5, 8)) == ""


def test_the_days_met_are_counted_from_the_first_session() -> None:
    monday = datetime(2026, 3, 2, 8, tzinfo=CET)
    starts = [monday, monday + timedelta(hours=9), monday + timedelta(days=2)]
    lines = met_lines(Plan(2, (0, 1, 2, 3, 4)), starts, date(2026, 3, 8), "Back", weeks=1)
    assert lines == [
        "Plan for Back: twice a day, Mon-Fri",
        "Days the plan was met, last week: 1 of 5",
        "        Mo  Tu  We  Th  Fr  Sa  Su",
        " 2 Mar  ✓   ✗   ✗   ✗   ✗   -   -",
    ]
    assert met_lines(Plan(), [], date(2026, 3, 8), "Back")[1] == (
        "The plan is measured from the first session of this routine."
    )
