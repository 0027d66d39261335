"""A routine across days: how often it is meant to be done, how its holds and reps grow week by
week, and what that means today (done, due, in force).

Pure: no files, no clock, no Textual. Each function is told the moment it is about (`now`, an
aware datetime in the person's current time zone) and the starts of the sessions that count.
The caller keeps only those (history's `counts` is the one rule), so the rule lives in one place.

Days are the person's local days. A session belongs to the day it started on, in the local time
it was recorded in, as the history's figures have it: one begun at 23:50 counts for that
evening, and one recorded at another offset (a journey, a change of clock) keeps the day its
person lived it in. Time between sessions, though, is real time (aware datetimes subtracted).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from tui.model import HOLD_BOUNDS, REPS_BOUNDS, Span, Stretch, StretchPlan
from tui.textclean import clean_line, escape_invisible

TIMES_A_DAY_BOUNDS = (1, 6)
HOLD_PER_WEEK_BOUNDS = (0, 60)
REPS_PER_WEEK_BOUNDS = (0, 10)
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
WAKING_DAY = timedelta(hours=16)
LONGEST_GAP = timedelta(hours=8)

Where = tuple[str | int, ...]
"""A field's place in the document, as tui.loader has it: ("plan", "days", 1) is the second day
named in [plan]; ("stretches", 0, "progression") is the first stretch's progression."""


# ---------------------------------------------------------------------------------------------
# The plan and the progression


@dataclass(frozen=True, slots=True)
class Plan:
    """How often a routine is meant to be done. A routine without a plan: once a day."""

    times_a_day: int = 1
    days: tuple[int, ...] = EVERY_DAY
    """The days of the week it is meant for (Monday is 0), in order."""

    def planned_on(self, day: date) -> int:
        """Sessions meant for `day`: none on a day the plan leaves out."""
        return self.times_a_day if day.weekday() in self.days else 0

    @property
    def gap(self) -> timedelta:
        """The least time between two sessions before the next one is due: the waking day
        shared out among them, and never more than 8 hours (once a day is still due the next
        morning after a session late at night)."""
        return min(WAKING_DAY / self.times_a_day, LONGEST_GAP)

    def words(self) -> str:
        """ "twice a day, Mon Wed Fri"; "once a day"."""
        times = {1: "once a day", 2: "twice a day"}.get(
            self.times_a_day, f"{self.times_a_day} times a day"
        )
        if self.days == EVERY_DAY:
            return times
        return f"{times}, {_day_runs(self.days)}"


def _day_runs(days: Sequence[int]) -> str:
    """Days of the week in words, three or more in a row as one run: "Mon-Fri", "Mon Wed Fri"."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    words = []
    for run in runs:
        if len(run) >= 3:
            words.append(f"{DAY_SHORT[run[0]]}-{DAY_SHORT[run[-1]]}")
        else:
            words += [DAY_SHORT[day] for day in run]
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Progression:
    """How holds and reps grow, week by week, from the day the routine was first done.

    Every field is None where the file leaves it out: a stretch's own progression takes from
    the routine's what it does not say itself (`over`).
    """

    hold_seconds_per_week: int | None = None
    max_hold_seconds: int | None = None
    """Where holds stop growing; left out: the top of each stretch's recommended range."""
    reps_per_week: int | None = None
    max_reps: int | None = None
    """Where reps stop growing; left out: the top of each stretch's recommended range."""

    def over(self, routine: Progression | None) -> Progression:
        """This (a stretch's own) progression, what it leaves out taken from `routine`'s."""
        if routine is None:
            return self
        return Progression(
            *(
                mine if mine is not None else theirs
                for mine, theirs in zip(_values(self), _values(routine), strict=True)
            )
        )

    def words(self) -> str:
        """ "holds +2 s a week up to 30 s, reps +1 a week up to the top of each range"."""
        parts = []
        if self.hold_seconds_per_week:
            top = (
                f"{self.max_hold_seconds} s"
                if self.max_hold_seconds is not None
                else "the top of each range"
            )
            parts.append(f"holds +{self.hold_seconds_per_week} s a week up to {top}")
        if self.reps_per_week:
            top = str(self.max_reps) if self.max_reps is not None else "the top of each range"
            parts.append(f"reps +{self.reps_per_week} a week up to {top}")
        return ", ".join(parts) or "nothing grows"


def _values(progression: Progression) -> tuple[int | None, ...]:
    return tuple(getattr(progression, f.name) for f in fields(progression))


@dataclass(frozen=True, slots=True)
class Schedule:
    """A routine's plan and progression, as its file writes them."""

    plan: Plan = Plan()
    progression: Progression | None = None
    """The routine's own, for every stretch."""
    stretch_progressions: tuple[tuple[str, Progression], ...] = ()
    """(stretch id, that stretch's own progression), for the stretches that have one."""

    def progression_for(self, stretch_id: str) -> Progression | None:
        """The progression a stretch follows: its own over the routine's; None: it does not grow."""
        own = dict(self.stretch_progressions).get(stretch_id)
        if own is None:
            return self.progression
        return own.over(self.progression)


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
# Reading the TOML tables


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with a [plan] or [progression] table: where, and what. The loader adds
    the file and the line (tui.loader's Problem) as it does for every other field."""

    where: Where
    message: str


PLAN_KEYS = ("times_a_day", "days")
PROGRESSION_KEYS = ("hold_seconds_per_week", "max_hold_seconds", "reps_per_week", "max_reps")
_WHOLE_BOUNDS: Mapping[str, tuple[int, int]] = {
    "times_a_day": TIMES_A_DAY_BOUNDS,
    "hold_seconds_per_week": HOLD_PER_WEEK_BOUNDS,
    "max_hold_seconds": HOLD_BOUNDS,
    "reps_per_week": REPS_PER_WEEK_BOUNDS,
    "max_reps": REPS_BOUNDS,
}


class _Checker:
    """Collects the problems of one table while reading its values."""

    def __init__(self, where: Where) -> None:
        self.where = where
        self.problems: list[FieldProblem] = []

    def add(self, message: str, *place: str | int) -> None:
        self.problems.append(FieldProblem((*self.where, *place), message))

    def table(self, value: object, keys: Sequence[str], name: str) -> Mapping[str, object]:
        """The table's known keys; a problem for anything else. `name`: "[plan]" and so on."""
        if not isinstance(value, dict):
            self.add(f"found {_found(value)}; expected a table {name} with {', '.join(keys)}")
            return {}
        for key in value:
            if key not in keys:
                self.add(_unknown_key(str(key), keys, name), str(key))
        return {key: value[key] for key in keys if key in value}

    def whole(self, table: Mapping[str, object], key: str) -> int | None:
        if key not in table:
            return None
        value = table[key]
        low, high = _WHOLE_BOUNDS[key]
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.add(f"found {_found(value)}; expected a whole number from {low} to {high}", key)
        return None


def parse_plan(value: object, where: Where = ("plan",)) -> tuple[Plan | None, list[FieldProblem]]:
    """The plan a [plan] table writes, or None and every problem with it.

    ```toml
    [plan]
    times_a_day = 2                 # 1 to 6; without a [plan], once a day
    days = ["mon", "wed", "fri"]    # optional: every day when left out
    ```
    Days are named in English, any case, by their first three letters or more ("Tue", "tues",
    "Tuesday").
    """
    check = _Checker(where)
    table = check.table(value, PLAN_KEYS, "[plan]")
    times = check.whole(table, "times_a_day")
    days = _days(table["days"], check) if "days" in table else EVERY_DAY
    if check.problems:
        return None, check.problems
    return Plan(times if times is not None else 1, days), []


def _days(value: object, check: _Checker) -> tuple[int, ...]:
    expected = 'a list of days such as ["mon", "wed", "fri"]'
    if not isinstance(value, list):
        check.add(f"found {_found(value)}; expected {expected}", "days")
        return EVERY_DAY
    if not value:
        check.add(f"found an empty list; expected {expected}, or no days key for every day", "days")
        return EVERY_DAY
    chosen: dict[int, int] = {}
    for index, item in enumerate(value):
        number = _day_number(item)
        if number is None:
            message = f"found {_found(item)}; expected a day: mon, tue, wed, thu, fri, sat or sun"
            if isinstance(item, str):
                import difflib

                close = difflib.get_close_matches(item.lower()[:3], [d[:3] for d in DAY_NAMES], 1)
                if close:
                    message += f" (did you mean {close[0]}?)"
            check.add(message, "days", index)
        elif number in chosen:
            check.add(
                f"{DAY_SHORT[number]} is already named as days[{chosen[number] + 1}]; "
                "name each day once",
                "days",
                index,
            )
        else:
            chosen[number] = index
    return tuple(sorted(chosen))


def _day_number(item: object) -> int | None:
    if not isinstance(item, str):
        return None
    name = item.strip().lower()
    if len(name) < 3:
        return None
    for number, full in enumerate(DAY_NAMES):
        if full.startswith(name):
            return number
    return None


def parse_progression(
    value: object, where: Where = ("progression",), *, stretch: bool = False
) -> tuple[Progression | None, list[FieldProblem]]:
    """The progression a [progression] table writes (or a stretch's own, `stretch=True`), or
    None and every problem with it.

    ```toml
    [progression]                   # counted in weeks from the first session of this routine
    hold_seconds_per_week = 2       # each hold 2 s longer every week...
    max_hold_seconds = 30           # ...up to 30 s (left out: the top of each hold range)
    reps_per_week = 1               # one more rep every week...
    max_reps = 5                    # ...up to 5 (left out: the top of each reps range)
    ```
    A stretch's own `[stretches.progression]` uses the same keys; what it leaves out comes from
    the routine's, and `hold_seconds_per_week = 0` keeps that stretch's holds as they are.
    """
    check = _Checker(where)
    name = "[stretches.progression]" if stretch else "[progression]"
    table = check.table(value, PROGRESSION_KEYS, name)
    found = Progression(*(check.whole(table, key) for key in PROGRESSION_KEYS))
    if isinstance(value, dict) and not value:
        check.add(
            "an empty table; give hold_seconds_per_week, reps_per_week or both, or leave it out"
        )
    elif not stretch and not check.problems:
        if not found.hold_seconds_per_week and not found.reps_per_week:
            check.add(
                "nothing grows: give hold_seconds_per_week or reps_per_week (or both) above 0"
            )
        for step, top, what in (
            ("hold_seconds_per_week", "max_hold_seconds", "holds"),
            ("reps_per_week", "max_reps", "reps"),
        ):
            if top in table and not getattr(found, step):
                check.add(f"a maximum, but the {what} do not grow: add {step} too", top)
    if check.problems:
        return None, check.problems
    return found, []


def parse_schedule(document: Mapping[str, object]) -> tuple[Schedule, list[FieldProblem]]:
    """The schedule a routine file's parsed TOML writes: its [plan], its [progression] and each
    [[stretches]]'s own progression; and every problem, including those between a progression
    and the stretches (see `check_progressions`, which needs the loaded stretches)."""
    problems: list[FieldProblem] = []
    plan: Plan | None = None
    progression: Progression | None = None
    if "plan" in document:
        plan, found = parse_plan(document["plan"])
        problems += found
    if "progression" in document:
        progression, found = parse_progression(document["progression"])
        problems += found
    own: list[tuple[str, Progression]] = []
    stretches = document.get("stretches")
    if isinstance(stretches, list):
        for index, table in enumerate(stretches):
            if not isinstance(table, dict) or "progression" not in table:
                continue
            mine, found = parse_progression(
                table["progression"], ("stretches", index, "progression"), stretch=True
            )
            problems += found
            stretch_id = table.get("id")
            if mine is not None and isinstance(stretch_id, str):
                own.append((stretch_id, mine))
    return Schedule(plan or Plan(), progression, tuple(own)), problems


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


def _found(value: object) -> str:
    """A found value in words, short and safe to print (the loader's words for it)."""
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (true/false, not a number)"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else "a very large number"
    if isinstance(value, float):
        return f"{value!r} (not a whole number)"
    if isinstance(value, str):
        return f'"{clean_line(escape_invisible(value[:200]), 40)}"'
    if isinstance(value, list):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _unknown_key(key: str, known: Sequence[str], name: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean {close[0]}?"
    return f"unknown key; the keys of {name} are: {', '.join(known)}"
