"""What the app shows of a routine's plan (issue 17): the holds and reps a session starts with
this week, the plan line of a stretch, today's progress for the heading, and the days on which
the plan was met for the history screen.

Pure, like tui.core.progress, which it builds on: the app reads the history (the starts of the
sessions of this routine that count) in a thread, and hands it here with the moment it is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tui.core.model import Routine, Stretch, StretchPlan
from tui.core.progress import (
    InForce,
    PlanDay,
    first_day,
    plan_days,
    plan_week,
    routine_in_force,
    today_progress,
)
from tui.core.schedule import Plan, Schedule, schedule_of

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

    @classmethod
    def of(cls, routine: Routine, starts: Iterable[datetime], now: datetime) -> Days:
        """`routine`'s plan now (the person's settings applied to it: tui.store.config's
        with_settings), from when its sessions that count began."""
        return cls(schedule_of(routine), routine.stretches, tuple(starts), now)

    def today(self) -> str:
        """The heading's words: "today 1 of 2", "today 2 of 2, plan met"."""
        return today_progress(self.schedule.plan, self.starts, self.now).words()

    def start_plan(
        self, current: Sequence[StretchPlan], adjusted: Collection[int] = ()
    ) -> tuple[StretchPlan, ...]:
        """The holds and reps a session started now begins with, in the app and in plain mode
        alike (`start_plan`)."""
        return start_plan(self.in_force, current, adjusted)

    def this_week(self) -> list[str]:
        """Plain mode's plan lines, said once at the start: "This week, Knee hug: hold 12 s,
        week 2 of the plan: +2 s", one for each stretch that grows."""
        grown = zip(self.stretches, self.in_force, strict=True)
        return [f"This week, {s.name}: {g.words()}" for s, g in grown if g.words()]


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


def saved_plan(
    grown: Sequence[InForce], current: Sequence[StretchPlan], adjusted: Collection[int]
) -> tuple[tuple[StretchPlan, ...], frozenset[int]]:
    """What the person's saved copy starts each stretch at, and which stretches are their own
    choice (kept as chosen: tui.core.progress.keeping_choices).

    Their own: those adjusted with +/- or [ ], and those whose hold and reps differ from what
    the plan gives this week (a session resumed from an earlier run keeps that run's choices).
    Every other stretch is saved at the routine's own values, never the progression's growth:
    the copy keeps the progression, which gives that growth again (counted twice otherwise).
    """
    own = frozenset(
        index
        for index, (mine, this_week) in enumerate(zip(current, grown, strict=True))
        if index in adjusted or mine != this_week.plan
    )
    plan = tuple(
        mine if index in own else StretchPlan(this_week.hold.base, this_week.reps.base)
        for index, (mine, this_week) in enumerate(zip(current, grown, strict=True))
    )
    return plan, own


def plan_note(grown: InForce, current: StretchPlan) -> str:
    """The plan line's progression, "hold 12 s, week 2 of the plan: +2 s"; and when the person
    chose otherwise, what they chose ("; yours: hold 15 s, 4 reps"). Empty where nothing grows."""
    words = grown.words()
    if not words or current == grown.plan:
        return words
    reps = "rep" if current.reps == 1 else "reps"
    return f"{words}; yours: hold {current.hold_seconds} s, {current.reps} {reps}"


@dataclass(frozen=True, slots=True)
class MetDays:
    """The days of the last weeks against a routine's plan: what the history screen and
    `unknot history` (text and JSON) show, computed once here."""

    plan: Plan
    today: date
    began: date | None
    """The day of the first session that counts; None before any."""
    days: tuple[PlanDay, ...]
    """Every day of the weeks shown, Monday first."""

    def measured(self, day: PlanDay) -> bool:
        """Between the first session and today: the days the plan is measured on."""
        return self.began is not None and max(self.days[0].day, self.began) <= day.day <= self.today

    @property
    def counted(self) -> tuple[PlanDay, ...]:
        """The days measured on which the plan meant a session."""
        return tuple(d for d in self.days if self.measured(d) and d.planned)

    @property
    def met(self) -> int:
        return sum(d.met for d in self.counted)

    def mark(self, day: PlanDay) -> str:
        """✓ met, ✗ planned but not met (… today, while it is not yet), - none planned; blank
        before the first session and after today."""
        if not self.measured(day):
            return " "
        if not day.planned:
            return NONE_PLANNED
        if day.met:
            return MET
        return NOT_YET if day.day == self.today else MISSED


def met_days(plan: Plan, starts: Sequence[datetime], today: date, weeks: int = 4) -> MetDays:
    """The last `weeks` weeks (Monday first, this one last) against `plan`, from the starts of
    the sessions of the routine that count."""
    weeks = max(1, weeks)
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    days = plan_days(plan, starts, monday, monday + timedelta(weeks=weeks) - timedelta(1))
    return MetDays(plan, today, first_day(starts), days)


def met_lines(
    plan: Plan, starts: Sequence[datetime], today: date, name: str, weeks: int = 4
) -> list[str]:
    """The lines on the plan: the plan in words, how many of the planned days of the last
    `weeks` weeks met it, and a row per week (Monday first) marking each day (MetDays.mark)."""
    found = met_days(plan, starts, today, weeks)
    lines = [f"Plan for {name}: {plan.words()}"]
    if found.began is None:
        return [*lines, "The plan is measured from the first session of this routine."]
    span = f"{weeks} weeks" if weeks != 1 else "week"
    lines.append(f"Days the plan was met, last {span}: {found.met} of {len(found.counted)}")
    lines.append(" " * 8 + "  ".join(("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")))
    for start in range(0, len(found.days), 7):
        week = found.days[start : start + 7]
        marks = "  ".join(f"{found.mark(day):<2}" for day in week)
        lines.append(f"{week[0].day.day:>2} {week[0].day:%b}  {marks}".rstrip())
    return lines
