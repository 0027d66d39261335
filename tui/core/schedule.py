"""What a routine file says about days: how often the routine is meant to be done (its plan)
and how its holds and reps grow week by week (its progression), read from the TOML tables and
checked, every problem named by its field path.

The data only: what it means on a given day (what is due, what is in force this week) is
tui.core.progress, which the app needs only after its first frame. A routine carries a Schedule
from the moment it is loaded, so this module stays cheap to import: three small dataclasses.

```toml
[plan]                          # optional: without it, once a day, every day
times_a_day = 2                 # 1 to 6
days = ["mon", "wed", "fri"]    # optional: every day when left out

[progression]                   # optional: counted in weeks from the first session
hold_seconds_per_week = 2       # each hold 2 s longer every week...
max_hold_seconds = 30           # ...up to 30 s (left out: the top of each hold range)
reps_per_week = 1               # one more rep every week...
max_reps = 5                    # ...up to 5 (left out: the top of each reps range)

[[stretches]]
# ...
[stretches.progression]         # optional: this stretch's own, over the routine's
hold_seconds_per_week = 0       # e.g. this one's holds stay as they are
```
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import NamedTuple

from tui.core.model import HOLD_BOUNDS, REPS_BOUNDS, Routine
from tui.core.problems import Where
from tui.core.textclean import clean_line, escape_invisible

TIMES_A_DAY_BOUNDS = (1, 6)
HOLD_PER_WEEK_BOUNDS = (0, 60)
REPS_PER_WEEK_BOUNDS = (0, 10)
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
WAKING_DAY = timedelta(hours=16)
LONGEST_GAP = timedelta(hours=8)

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


def schedule_of(routine: Routine) -> Schedule:
    """A routine's schedule; the default (once a day, nothing grows) when its file has none."""
    found = routine.schedule
    return found if isinstance(found, Schedule) else Schedule()


def with_plan_settings(
    routine: Routine, times_a_day: int | None, days: Sequence[str] | None
) -> Schedule:
    """The routine's schedule with the person's own plan settings in place of its [plan]'s
    (each only where it is given: days named as a [plan] names them)."""
    schedule = schedule_of(routine)
    plan = schedule.plan
    chosen = tuple(sorted({n for n in map(_day_number, days or ()) if n is not None}))
    plan = Plan(
        times_a_day if times_a_day is not None else plan.times_a_day,
        chosen if days is not None and chosen else plan.days,
    )
    return Schedule(plan, schedule.progression, schedule.stretch_progressions)


# ---------------------------------------------------------------------------------------------
# Reading the TOML tables


class FieldProblem(NamedTuple):
    """One thing wrong with a [plan] or [progression] table: where, and what. The loader adds
    the file and the line (tui.routine_files.loader's Problem) as it does for every other field."""

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
    [[stretches]]'s own progression; and every problem with them. What a progression would do
    to the stretches is checked once they are built (tui.core.progress.check_progressions)."""
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
