"""What the app shows of a routine's plan (issue 17): the holds and reps a session starts with
this week, the plan line of a stretch, today's progress for the heading, and the days on which
the plan was met for the history screen.

Pure, like tui.core.progress, which it builds on: the app reads the history (the starts of the
sessions of this routine that count) in a thread, and hands it here with the moment it is.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tui.core.model import Stretch, StretchPlan
from tui.core.progress import (
    InForce,
    first_day,
    plan_days,
    plan_week,
    routine_in_force,
    today_progress,
)
from tui.core.schedule import Plan, Schedule

MET = "✓"
MISSED = "✗"
NOT_YET = "…"
"""Today, planned and not met yet."""
NONE_PLANNED = "-"


@dataclass(frozen=True, slots=True)
class Days:
    """A routine's plan on one day, from the sessions of it that count."""

    schedule: Schedule
    stretches: tuple[Stretch, ...]
    starts: tuple[datetime, ...]
    now: datetime

    @property
    def week(self) -> int:
        return plan_week(first_day(self.starts), self.now.date())

    @property
    def in_force(self) -> tuple[InForce, ...]:
        return routine_in_force(self.stretches, self.schedule, self.week)

    def today(self) -> str:
        """The heading's words: "today 1 of 2", "today 2 of 2, plan met"."""
        return today_progress(self.schedule.plan, self.starts, self.now).words()


def start_plan(
    grown: Sequence[InForce], current: Sequence[StretchPlan], adjusted: Collection[int]
) -> tuple[StretchPlan, ...]:
    """The plan a session starts with: this week's for each stretch that grows, except those
    the person adjusted themselves (+/-, [ ]), which keep what they chose; the others as they
    are."""
    return tuple(
        mine if index in adjusted or not this_week.grows else this_week.plan
        for index, (mine, this_week) in enumerate(zip(current, grown, strict=True))
    )


def plan_note(grown: InForce, current: StretchPlan) -> str:
    """The plan line's progression, "hold 12 s, week 2 of the plan: +2 s"; and when the person
    chose otherwise, what they chose ("; yours: hold 15 s, 4 reps"). Empty where nothing grows."""
    words = grown.words()
    if not words or current == grown.plan:
        return words
    reps = "rep" if current.reps == 1 else "reps"
    return f"{words}; yours: hold {current.hold_seconds} s, {current.reps} {reps}"


def met_lines(
    plan: Plan, starts: Sequence[datetime], today: date, name: str, weeks: int = 4
) -> list[str]:
    """The history screen's lines on the plan: the plan in words, how many of the planned days
    of the last `weeks` weeks met it, and a row per week (Monday first) marking each day: ✓ met,
    ✗ planned but not met (… today, while it is not yet), - none planned; blank before the
    first session and after today."""
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=max(1, weeks) - 1)
    began = first_day(starts)
    lines = [f"Plan for {name}: {plan.words()}"]
    if began is None:
        return [*lines, "The plan is measured from the first session of this routine."]
    measured = max(monday, began)
    days = plan_days(plan, starts, monday, monday + timedelta(weeks=max(1, weeks)) - timedelta(1))
    counted = [d for d in days if measured <= d.day <= today and d.planned]
    met = sum(d.met for d in counted)
    span = f"{weeks} weeks" if weeks != 1 else "week"
    lines.append(f"Days the plan was met, last {span}: {met} of {len(counted)}")
    lines.append(" " * 8 + "  ".join(("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")))
    for start in range(0, len(days), 7):
        marks = []
        for day in days[start : start + 7]:
            if day.day < measured or day.day > today:
                mark = " "
            elif not day.planned:
                mark = NONE_PLANNED
            elif day.met:
                mark = MET
            else:
                mark = NOT_YET if day.day == today else MISSED
            marks.append(f"{mark:<2}")
        monday_words = f"{days[start].day.day:>2} {days[start].day:%b}"
        lines.append(f"{monday_words}  {'  '.join(marks)}".rstrip())
    return lines
