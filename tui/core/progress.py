"""What a routine's schedule means on a given day: the holds and reps in force this week of the
plan, today's sessions against the plan, whether a session is due now, and the days on which
the plan was met.

Pure: no files, no clock, no Textual. Each function is told the moment it is about (`now`, an
aware datetime in the person's current time zone) and the starts of the sessions that count.
The caller keeps only those (history's `counts` is the one rule), so the rule lives in one place.

Days are the person's local days. A session belongs to the day it started on, in the local time
it was recorded in, as the history's figures have it: one begun at 23:50 counts for that
evening, and one recorded at another offset (a journey, a change of clock) keeps the day its
person lived it in. Time between sessions, though, is real time (aware datetimes subtracted).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tui.core.model import Span, Stretch, StretchPlan
from tui.core.problems import Where
from tui.core.schedule import DAY_SHORT, FieldProblem, Plan, Progression, Schedule

# ---------------------------------------------------------------------------------------------
# What is in force this week


@dataclass(frozen=True, slots=True)
class Grown:
    """One number (a hold's seconds, or reps) as the progression has it this week."""

    value: int
    base: int
    limit: int
    """Where it stops growing."""
    recommended: Span
    """The routine's recommended range for it."""
    per_week: int = 0

    @property
    def grows(self) -> bool:
        """The progression can move it at all: a step, and room above where it starts."""
        return self.per_week > 0 and self.limit > self.base

    @property
    def added(self) -> int:
        return self.value - self.base

    @property
    def at_limit(self) -> bool:
        return self.added > 0 and self.value >= self.limit

    @property
    def past_range(self) -> bool:
        """Grown past the top of the routine's recommended range (an explicit maximum above it
        is the only way there, and it is always said)."""
        return self.value > self.recommended.high


def grow(
    base: int, recommended: Span, per_week: int | None, maximum: int | None, week: int
) -> Grown:
    """`base` grown by `per_week` for each week after the first, up to `maximum` (or, left out,
    the top of the recommended range); never below `base`.

    Where a progression should stop: at the top of the routine's range, unless the file says a
    maximum. The range is what the routine recommends to anyone; a maximum written beside it is
    a prescription (someone chose that number on purpose), so it is followed, past the range
    too, and `past_range` makes every view say so. Stopping at the range would ignore that
    number without a word, which is what "never silently" rules out either way.
    """
    limit = maximum if maximum is not None else recommended.high
    step = per_week or 0
    value = base
    if step > 0 and limit > base:
        value = min(base + step * max(0, week - 1), limit)
    return Grown(value, base, limit, recommended, step)


@dataclass(frozen=True, slots=True)
class InForce:
    """One stretch's hold and reps this week of the plan."""

    stretch_id: str
    week: int
    hold: Grown
    reps: Grown
    progression: Progression | None

    @property
    def plan(self) -> StretchPlan:
        """What a session started now begins with (the person's own +/- and [ ] still win)."""
        return StretchPlan(self.hold.value, self.reps.value)

    @property
    def past_range(self) -> bool:
        return self.hold.past_range or self.reps.past_range

    @property
    def grows(self) -> bool:
        return self.hold.grows or self.reps.grows

    def words(self) -> str:
        """The plan line: "hold 12 s, week 2 of the plan: +2 s"; empty where nothing grows.

        Then, as they apply: "+2 s, +1 rep", "(the most)" after what has stopped growing, and
        "past the recommended 10-20 s".
        """
        if not self.grows:
            return ""
        shown: list[str] = []
        added: list[str] = []
        for number, value, more in (
            (self.hold, f"hold {self.hold.value} s", f"+{self.hold.added} s"),
            (self.reps, _plural(self.reps.value, "rep"), f"+{_plural(self.reps.added, 'rep')}"),
        ):
            if not number.grows:
                continue
            shown.append(value)
            if number.added:
                added.append(more + (" (the most)" if number.at_limit else ""))
        line = f"{', '.join(shown)}, week {self.week} of the plan"
        if added:
            line += ": " + ", ".join(added)
        past = [
            f"{number.recommended} {unit}"
            for number, unit in ((self.hold, "s"), (self.reps, "reps"))
            if number.past_range
        ]
        if past:
            line += f", past the recommended {' and '.join(past)}"
        return line


def in_force(
    stretch: Stretch,
    progression: Progression | None,
    week: int,
    base: StretchPlan | None = None,
) -> InForce:
    """A stretch's hold and reps in `week` of the plan (1 is the first), from `base` (the low
    end of its ranges unless given)."""
    start = base or StretchPlan.default_for(stretch)
    steps = progression or Progression()
    hold = grow(
        start.hold_seconds,
        stretch.hold_seconds,
        steps.hold_seconds_per_week,
        steps.max_hold_seconds,
        week,
    )
    reps = grow(start.reps, stretch.reps, steps.reps_per_week, steps.max_reps, week)
    return InForce(stretch.id, max(1, week), hold, reps, progression)


def routine_in_force(
    stretches: Sequence[Stretch], schedule: Schedule, week: int
) -> tuple[InForce, ...]:
    """Every stretch's hold and reps in `week` of the plan."""
    return tuple(in_force(s, schedule.progression_for(s.id), week) for s in stretches)


def first_day(starts: Iterable[datetime]) -> date | None:
    """The day of the first session: where the weeks of the plan are counted from."""
    return min((start.date() for start in starts), default=None)


def plan_week(first: date | None, today: date) -> int:
    """Which week of the plan `today` is in: 1 from the first session's day for 7 days, then 2;
    1 before any session (the first one will start the count)."""
    if first is None or today < first:
        return 1
    return (today - first).days // 7 + 1


# ---------------------------------------------------------------------------------------------
# Today, due, and the days on which the plan was met


def _local_day(now: datetime) -> date:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("`now` must be an aware datetime (in the person's time zone)")
    return now.date()


@dataclass(frozen=True, slots=True)
class Today:
    """Today's sessions against the plan."""

    day: date
    planned: int
    done: int

    @property
    def met(self) -> bool:
        return self.planned > 0 and self.done >= self.planned

    def words(self) -> str:
        """ "today 1 of 2"; "today 2 of 2, plan met"; "none planned today"."""
        if self.planned == 0:
            return "none planned today" + (f" ({self.done} done)" if self.done else "")
        line = f"today {self.done} of {self.planned}"
        return line + ", plan met" if self.met else line


def today_progress(plan: Plan, starts: Iterable[datetime], now: datetime) -> Today:
    """Sessions done today (by the day each started on) against those the plan means today."""
    today = _local_day(now)
    done = sum(1 for start in starts if start.date() == today)
    return Today(today, plan.planned_on(today), done)


@dataclass(frozen=True, slots=True)
class Due:
    """Whether a session is due now, and the facts the nudge says."""

    today: Today
    last: datetime | None
    """When the last session that counts started (as recorded), if any began before now."""
    next_at: datetime | None
    """When the next one falls due, while it is too soon after the last; else None."""

    @property
    def due(self) -> bool:
        return self.today.done < self.today.planned and self.next_at is None

    def line(self) -> str:
        """What `unknot due` prints: "Stretch due: 0 of 2 today, last session yesterday 18:10"."""
        line = f"Stretch due: {self.today.done} of {self.today.planned} today"
        if self.last is None:
            return line + ", no session yet"
        when = day_words(self.last.date(), self.today.day)
        return line + f", last session {when} {self.last:%H:%M}"


def due(plan: Plan, starts: Iterable[datetime], now: datetime) -> Due:
    """Is a session due now: today is a plan day, fewer are done than planned, and the last one
    started at least `plan.gap` ago (real time, so across midnight and offsets alike).

    Starts after `now` (a clock set wrong once) are not the last session: one bad record must
    not silence the nudge for years.
    """
    starts = list(starts)
    today = today_progress(plan, starts, now)
    earlier = [start for start in starts if start <= now]
    last = max(earlier, default=None)
    next_at = None
    if today.done < today.planned and last is not None and now - last < plan.gap:
        next_at = last + plan.gap
    return Due(today, last, next_at)


@dataclass(frozen=True, slots=True)
class PlanDay:
    """One day against the plan."""

    day: date
    planned: int
    done: int

    @property
    def met(self) -> bool:
        return self.planned > 0 and self.done >= self.planned


def plan_days(
    plan: Plan, starts: Iterable[datetime], first: date, last: date
) -> tuple[PlanDay, ...]:
    """Every day from `first` to `last`: sessions planned and done (by the day each started on)."""
    done: dict[date, int] = {}
    for start in starts:
        day = start.date()
        done[day] = done.get(day, 0) + 1
    span = (last - first).days + 1
    days = (first + timedelta(days=n) for n in range(max(0, span)))
    return tuple(PlanDay(d, plan.planned_on(d), done.get(d, 0)) for d in days)


def day_words(day: date, today: date) -> str:
    """A day as said from `today`: "today", "yesterday", "Mon", "3 Mar", "3 Mar 2025"."""
    back = (today - day).days
    if back == 0:
        return "today"
    if back == 1:
        return "yesterday"
    if 1 < back < 7:
        return DAY_SHORT[day.weekday()]
    if day.year == today.year:
        return f"{day.day} {day:%b}"
    return f"{day.day} {day:%b %Y}"


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# ---------------------------------------------------------------------------------------------
# Checks of a routine file that need its stretches


def check_progressions(schedule: Schedule, stretches: Sequence[Stretch]) -> list[FieldProblem]:
    """What a progression says that the stretches make impossible.

    - A stretch's own maximum below where that stretch starts (holds and reps never shrink).
    - A routine's progression under which no stretch can grow at all: every stretch gives a
      single number, not a range, and no maximum is given (so the top is the start).
    """
    problems: list[FieldProblem] = []
    own = dict(schedule.stretch_progressions)
    for index, stretch in enumerate(stretches):
        mine = own.get(stretch.id)
        if mine is None:
            continue
        for top, start, unit in (
            ("max_hold_seconds", stretch.hold_seconds.low, " s"),
            ("max_reps", stretch.reps.low, " reps"),
        ):
            value = getattr(mine, top)
            if value is not None and value < start:
                problems.append(
                    FieldProblem(
                        ("stretches", index, "progression", top),
                        f"found {value}; this stretch starts at {start}{unit} and never shrinks: "
                        f"a maximum is {start} or more",
                    )
                )
    routine = schedule.progression
    if routine is None or not stretches or problems:
        return problems  # (a stretch's maximum, once mended, may give it room to grow)
    grown = routine_in_force(stretches, schedule, week=1)
    for what, step, top, example in (
        ("hold", "hold_seconds_per_week", "max_hold_seconds", "hold_seconds = [10, 20]"),
        ("reps", "reps_per_week", "max_reps", "reps = [3, 5]"),
    ):
        if getattr(routine, step) and not any(
            (g.hold if what == "hold" else g.reps).grows for g in grown
        ):
            problems.append(
                FieldProblem(
                    ("progression", step),
                    f"no stretch's {what} can grow: each gives one number, not a range, and "
                    f"there is no {top}; write a range ({example}) or add {top}",
                )
            )
    return problems


def past_range_notes(schedule: Schedule, stretches: Sequence[Stretch]) -> list[FieldProblem]:
    """Where a progression will take a stretch past its recommended range (allowed: a maximum
    written on purpose; `unknot check` says so, as the plan line does when it happens)."""
    notes: list[FieldProblem] = []
    own = dict(schedule.stretch_progressions)
    for index, stretch in enumerate(stretches):
        grown = in_force(stretch, schedule.progression_for(stretch.id), week=10_000)
        mine = own.get(stretch.id)
        for number, top, unit in (
            (grown.hold, "max_hold_seconds", "s"),
            (grown.reps, "max_reps", "reps"),
        ):
            if not number.past_range:
                continue
            written_here = mine is not None and getattr(mine, top) is not None
            place: Where = (
                ("stretches", index, "progression", top) if written_here else ("progression", top)
            )
            notes.append(
                FieldProblem(
                    place,
                    f"{stretch.name}: grows to {number.limit} {unit}, past the recommended "
                    f"{number.recommended} {unit}; the plan line says so when it does",
                )
            )
    return notes
