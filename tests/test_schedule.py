"""A routine across days (issue 17): the plan and the progression read from routine files, what
is in force in a given week, today's progress, whether a session is due on fixed clocks (across
midnight, on days the plan leaves out, at other offsets), and the days the plan was met.

Each file in tests/data/schedule/bad/ breaks one rule and says in `# expect:` lines what the
problems must say (field path as tui.routine_files.loader names it, then the message); each file in
tests/data/schedule/good/ reads without a problem.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tui.core.model import Span, Stretch
from tui.core.problems import field_name
from tui.core.progress import (
    Due,
    PlanDay,
    Today,
    check_progressions,
    day_words,
    due,
    first_day,
    grow,
    in_force,
    past_range_notes,
    plan_days,
    plan_week,
    routine_in_force,
    today_progress,
)
from tui.core.schedule import (
    EVERY_DAY,
    FieldProblem,
    Plan,
    Progression,
    Schedule,
    parse_plan,
    parse_progression,
    parse_schedule,
)
from tui.routine_files.loader import parse_routine
from tui.store.history.records import Entry
from tui.store.history.stats import counts

DATA = Path(__file__).parent / "data" / "schedule"
BAD = sorted((DATA / "bad").glob("*.toml"))
GOOD = sorted((DATA / "good").glob("*.toml"))

CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))
EST = timezone(timedelta(hours=-5))


def at(tz: timezone, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def read(path: Path) -> tuple[dict[str, Any], tuple[Stretch, ...]]:
    """The file's TOML, and its stretches as the real loader reads them (which does not know the
    schedule's tables yet: they are taken out before it reads the rest)."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    rest = {k: v for k, v in document.items() if k not in ("plan", "progression")}
    rest["stretches"] = [
        {k: v for k, v in table.items() if k != "progression"} for table in document["stretches"]
    ]
    routine = parse_routine(tomli_w.dumps(rest).encode(), path=path, source="file")
    return document, routine.stretches


def problems_of(path: Path) -> list[str]:
    document, stretches = read(path)
    schedule, problems = parse_schedule(document)
    if not problems:
        problems = check_progressions(schedule, stretches)
    return [f"{field_name(p.where)}: {p.message}" for p in problems]


# ---------------------------------------------------------------------------------------------
# Reading the tables


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_a_bad_table_reports_what_it_expects(path: Path) -> None:
    expects = [
        line.removeprefix("# expect: ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    ]
    assert expects, f"{path.name} must say what it expects"
    found = problems_of(path)
    for fragment in expects:
        assert any(fragment in problem for problem in found), (fragment, found)
    assert len(found) == len(expects), found


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_a_good_file_reads_without_a_problem(path: Path) -> None:
    assert problems_of(path) == []


def test_no_plan_is_once_a_day_every_day_and_nothing_grows() -> None:
    document, stretches = read(DATA / "good" / "no-plan.toml")
    schedule, problems = parse_schedule(document)
    assert problems == []
    assert schedule == Schedule(Plan(1, EVERY_DAY), None, ())
    assert schedule.plan.words() == "once a day"
    assert [f.words() for f in routine_in_force(stretches, schedule, week=5)] == [""]


def test_a_plan_for_some_days_reads_day_names_in_any_case_and_length() -> None:
    document, _ = read(DATA / "good" / "twice-on-weekdays.toml")
    schedule, problems = parse_schedule(document)
    assert problems == []
    assert schedule.plan == Plan(2, (0, 2, 4))
    assert schedule.plan.words() == "twice a day, Mon Wed Fri"
    assert schedule.progression == Progression(2, None, 1, 5)
    assert dict(schedule.stretch_progressions) == {
        "cat-cow": Progression(0, None, 0, None),
        "piriformis": Progression(None, 40, None, None),
    }
    plan, problems = parse_plan({"days": ["TUES", "thu", "Saturday", "sun"]})
    assert problems == [] and plan == Plan(1, (1, 3, 5, 6))
    assert plan.words() == "once a day, Tue Thu Sat Sun"


@pytest.mark.parametrize(
    ("days", "words"),
    [
        ((0, 1, 2, 3, 4), "Mon-Fri"),
        ((0, 1, 3, 4, 5, 6), "Mon Tue Thu-Sun"),
        ((5, 6), "Sat Sun"),
        ((2,), "Wed"),
    ],
)
def test_days_in_a_row_are_said_as_a_run(days: tuple[int, ...], words: str) -> None:
    assert Plan(3, days).words() == f"3 times a day, {words}"


def test_inline_tables_read_as_the_others() -> None:
    document, _ = read(DATA / "good" / "inline-tables.toml")
    schedule, problems = parse_schedule(document)
    assert problems == []
    assert schedule.plan == Plan(3, EVERY_DAY)
    assert schedule.plan.words() == "3 times a day"
    assert schedule.progression == Progression(None, None, 1, None)


def test_a_stretchs_own_progression_takes_the_rest_from_the_routines() -> None:
    document, _ = read(DATA / "good" / "twice-on-weekdays.toml")
    schedule, _ = parse_schedule(document)
    assert schedule.progression_for("knee-to-chest") == Progression(2, None, 1, 5)
    assert schedule.progression_for("cat-cow") == Progression(0, None, 0, 5)
    assert schedule.progression_for("piriformis") == Progression(2, 40, 1, 5)
    assert schedule.progression_for("not-there") == schedule.progression


def test_every_problem_of_a_table_is_reported_at_once() -> None:
    plan, problems = parse_plan({"times_a_day": 9, "days": ["mon", "mon", "xyz"], "when": 1})
    assert plan is None
    assert [(field_name(p.where), p.message.split(";")[0]) for p in problems] == [
        ("plan.when", "unknown key"),
        ("plan.times_a_day", "found 9"),
        ("plan.days[2]", "Mon is already named as days[1]"),
        ("plan.days[3]", 'found "xyz"'),
    ]


def test_a_found_text_is_shown_safely_in_a_problem() -> None:
    _, problems = parse_plan({"days": ["\x1b]0;pwned\x07mon" + "x" * 300]})
    message = problems[0].message
    assert "\x1b" not in message and "\x07" not in message
    assert "\\u001b" in message
    assert len(message) < 200, message


def test_problems_name_their_place_under_the_table_given() -> None:
    _, problems = parse_progression({"max_reps": 0}, ("routines", 2, "progression"), stretch=True)
    assert problems == [
        FieldProblem(
            ("routines", 2, "progression", "max_reps"),
            "found 0; expected a whole number from 1 to 100",
        )
    ]


def test_a_progression_past_the_range_is_allowed_and_noted() -> None:
    document, stretches = read(DATA / "good" / "twice-on-weekdays.toml")
    schedule, _ = parse_schedule(document)
    notes = past_range_notes(schedule, stretches)
    assert [(field_name(n.where), n.message) for n in notes] == [
        (
            "stretches[3].progression.max_hold_seconds",
            "Piriformis: grows to 40 s, past the recommended 20-30 s; the plan line says so "
            "when it does",
        ),
        (
            # the routine's max_reps holds for every stretch, one that gives a single number too
            "progression.max_reps",
            "Piriformis: grows to 5 reps, past the recommended 2 reps; the plan line says so "
            "when it does",
        ),
    ]


def test_a_routine_max_past_a_range_is_noted_where_it_is_written() -> None:
    stretch = Stretch("s", "Side bend", ("Bend.",), Span(10, 20), Span(3, 3))
    schedule = Schedule(Plan(), Progression(5, 25, None, None))
    notes = past_range_notes(schedule, [stretch])
    assert [(field_name(n.where), n.message) for n in notes] == [
        (
            "progression.max_hold_seconds",
            "Side bend: grows to 25 s, past the recommended 10-20 s; the plan line says so "
            "when it does",
        )
    ]


# ---------------------------------------------------------------------------------------------
# What is in force


KNEE = Stretch("knee", "Knee-to-chest", ("Pull.",), Span(10, 20), Span(3, 5), sides="each")


@pytest.mark.parametrize(
    ("week", "hold", "words"),
    [
        (1, 10, "hold 10 s, week 1 of the plan"),
        (2, 12, "hold 12 s, week 2 of the plan: +2 s"),
        (5, 18, "hold 18 s, week 5 of the plan: +8 s"),
        (6, 20, "hold 20 s, week 6 of the plan: +10 s (the most)"),
        (40, 20, "hold 20 s, week 40 of the plan: +10 s (the most)"),
    ],
)
def test_holds_grow_each_week_up_to_the_top_of_the_range(week: int, hold: int, words: str) -> None:
    grown = in_force(KNEE, Progression(hold_seconds_per_week=2), week)
    assert (grown.plan.hold_seconds, grown.plan.reps) == (hold, 3)
    assert grown.words() == words
    assert not grown.past_range


@pytest.mark.parametrize(
    ("week", "hold", "reps", "words"),
    [
        (2, 13, 4, "hold 13 s, 4 reps, week 2 of the plan: +3 s, +1 rep"),
        (
            4,
            19,
            6,
            "hold 19 s, 6 reps, week 4 of the plan: +9 s, +3 reps (the most), "
            "past the recommended 3-5 reps",
        ),
        (
            5,
            22,
            6,
            "hold 22 s, 6 reps, week 5 of the plan: +12 s, +3 reps (the most), "
            "past the recommended 10-20 s and 3-5 reps",
        ),
        (
            9,
            25,
            6,
            "hold 25 s, 6 reps, week 9 of the plan: +15 s (the most), +3 reps (the most), "
            "past the recommended 10-20 s and 3-5 reps",
        ),
    ],
)
def test_a_maximum_past_the_range_is_followed_and_always_said(
    week: int, hold: int, reps: int, words: str
) -> None:
    grown = in_force(KNEE, Progression(3, 25, 1, 6), week)
    assert (grown.plan.hold_seconds, grown.plan.reps) == (hold, reps)
    assert grown.words() == words
    assert grown.past_range == (reps > 5 or hold > 20)


def test_a_stretch_that_cannot_grow_has_no_plan_line() -> None:
    exact = Stretch("c", "Cat-cow", ("Arch.",), Span(5, 5), Span(8, 8))
    grown = in_force(exact, Progression(2, None, 1, None), week=4)
    assert (grown.plan.hold_seconds, grown.plan.reps) == (5, 8)
    assert grown.words() == ""
    # a step of 0 says the same, whatever the room above
    assert in_force(KNEE, Progression(0, 30, 0, 9), week=4).words() == ""


def test_growth_starts_from_the_base_given_and_never_shrinks() -> None:
    from tui.core.model import StretchPlan

    grown = in_force(KNEE, Progression(2, 15, None, None), 3, base=StretchPlan(17, 4))
    assert (grown.plan.hold_seconds, grown.plan.reps) == (17, 4)
    assert grow(10, Span(10, 20), 2, None, week=0).value == 10


def test_weeks_count_from_the_first_sessions_day() -> None:
    monday = date(2026, 3, 2)
    assert plan_week(None, monday) == 1
    assert plan_week(monday, monday) == 1
    assert plan_week(monday, monday + timedelta(days=6)) == 1
    assert plan_week(monday, monday + timedelta(days=7)) == 2
    assert plan_week(monday, monday + timedelta(days=20)) == 3
    assert plan_week(monday, monday - timedelta(days=3)) == 1  # a clock set back
    # the first session's day is the day it started, where it was recorded
    starts = [at(CET, 2026, 3, 9, 8), at(CEST, 2026, 3, 2, 0, 30), at(EST, 2026, 3, 4, 20)]
    assert first_day(starts) == monday
    assert first_day([]) is None


# ---------------------------------------------------------------------------------------------
# Today, due, and the days the plan was met

ONCE = Plan()
TWICE = Plan(2)
MWF = Plan(2, (0, 2, 4))
MONDAY = date(2026, 3, 2)


def test_a_session_across_midnight_counts_for_the_evening_it_began() -> None:
    starts = [at(CET, 2026, 3, 2, 23, 50)]
    assert today_progress(ONCE, starts, at(CET, 2026, 3, 2, 23, 59)) == Today(MONDAY, 1, 1)
    after = today_progress(ONCE, starts, at(CET, 2026, 3, 3, 0, 10))
    assert after == Today(MONDAY + timedelta(days=1), 1, 0)
    assert after.words() == "today 0 of 1"


def test_just_after_a_late_session_the_next_is_not_due_until_the_gap_has_passed() -> None:
    starts = [at(CET, 2026, 3, 2, 23, 50)]
    soon = due(ONCE, starts, at(CET, 2026, 3, 3, 0, 10))
    assert not soon.due
    assert soon.next_at == at(CET, 2026, 3, 3, 7, 50)
    later = due(ONCE, starts, at(CET, 2026, 3, 3, 7, 50))
    assert later.due
    assert later.line() == "Stretch due: 0 of 1 today, last session yesterday 23:50"


def test_the_gap_shares_out_the_waking_day() -> None:
    assert [Plan(n).gap for n in range(1, 7)] == [
        timedelta(hours=8),
        timedelta(hours=8),
        timedelta(hours=5, minutes=20),
        timedelta(hours=4),
        timedelta(hours=3, minutes=12),
        timedelta(hours=2, minutes=40),
    ]


def test_twice_a_day_is_due_until_both_are_done() -> None:
    morning = at(CET, 2026, 3, 2, 8, 0)
    assert due(TWICE, [], at(CET, 2026, 3, 2, 7)).line() == (
        "Stretch due: 0 of 2 today, no session yet"
    )
    assert not due(TWICE, [morning], at(CET, 2026, 3, 2, 15, 59)).due
    afternoon = due(TWICE, [morning], at(CET, 2026, 3, 2, 16, 0))
    assert afternoon.due
    assert afternoon.line() == "Stretch due: 1 of 2 today, last session today 08:00"
    evening = at(CET, 2026, 3, 2, 18, 10)
    met = due(TWICE, [morning, evening], at(CET, 2026, 3, 2, 22))
    assert not met.due and met.next_at is None
    assert met.today.words() == "today 2 of 2, plan met"


def test_nothing_is_due_on_a_day_the_plan_leaves_out() -> None:
    tuesday = at(CET, 2026, 3, 3, 12)
    assert due(MWF, [], tuesday) == Due(Today(MONDAY + timedelta(days=1), 0, 0), None, None)
    assert not due(MWF, [], tuesday).due
    assert today_progress(MWF, [], tuesday).words() == "none planned today"
    done = [at(CET, 2026, 3, 3, 9)]
    assert today_progress(MWF, done, tuesday).words() == "none planned today (1 done)"
    assert due(MWF, [], at(CET, 2026, 3, 4, 0, 1)).due  # Wednesday, just after midnight


def test_a_session_recorded_at_another_offset_keeps_its_own_day() -> None:
    # 00:30 at +02:00 on the 10th is 23:30 on the 9th at +01:00: it still counts for the 10th,
    # the day its person lived it in (the history's figures count it there too)
    starts = [at(CEST, 2026, 3, 10, 0, 30)]
    now = at(CET, 2026, 3, 10, 9)
    assert today_progress(TWICE, starts, now) == Today(date(2026, 3, 10), 2, 1)
    assert due(TWICE, starts, now).line() == "Stretch due: 1 of 2 today, last session today 00:30"


def test_time_between_sessions_is_real_time_across_offsets() -> None:
    # flown west: the session began at 00:30 on Tuesday at +02:00; it is now 19:00 on Monday
    # at -05:00, half an hour later. Monday has none (the session is Tuesday's), and the next
    # is not due until the gap has passed in real time
    starts = [at(CEST, 2026, 3, 3, 0, 30)]
    now = at(EST, 2026, 3, 2, 18, 0)
    found = due(ONCE, starts, now)
    assert found.today == Today(MONDAY, 1, 0)
    assert not found.due
    assert found.next_at == at(CEST, 2026, 3, 3, 8, 30)
    assert found.next_at is not None and found.next_at - now == timedelta(hours=7, minutes=30)


def test_a_session_in_the_future_does_not_silence_the_nudge() -> None:
    wrong_clock = at(CET, 2031, 1, 1, 9)
    found = due(ONCE, [wrong_clock], at(CET, 2026, 3, 2, 9))
    assert found.due and found.last is None


def test_now_must_say_its_time_zone() -> None:
    with pytest.raises(ValueError, match="aware"):
        due(ONCE, [], datetime(2026, 3, 2, 9))


def test_only_sessions_that_count_are_due_sessions() -> None:
    """The caller keeps the sessions history's one rule counts: one stopped in its first
    seconds does not make today's plan met."""

    def entry(hour: int, holds: int) -> Entry:
        start = at(CET, 2026, 3, 2, hour)
        return Entry("back", "Back", start, holds > 0, 300.0, 0.0, None, None, 1, holds)

    entries = [entry(8, 0), entry(9, 4)]
    starts = [e.started_at for e in entries if counts(e)]
    found = due(TWICE, starts, at(CET, 2026, 3, 2, 20))
    assert found.today.done == 1 and found.due
    assert found.line() == "Stretch due: 1 of 2 today, last session today 09:00"


def test_the_days_the_plan_was_met() -> None:
    starts = [
        at(CET, 2026, 3, 2, 8),
        at(CET, 2026, 3, 2, 23, 50),  # Monday's second, though it ended on Tuesday
        at(CET, 2026, 3, 3, 9),  # Tuesday: none planned
        at(CET, 2026, 3, 4, 9),  # Wednesday: one of two
        at(CEST, 2026, 3, 6, 0, 10),  # Friday at +02:00 (Thursday 23:10 at +01:00)
        at(CET, 2026, 3, 6, 18),
    ]
    days = plan_days(MWF, starts, MONDAY, MONDAY + timedelta(days=6))
    assert days == (
        PlanDay(date(2026, 3, 2), 2, 2),
        PlanDay(date(2026, 3, 3), 0, 1),
        PlanDay(date(2026, 3, 4), 2, 1),
        PlanDay(date(2026, 3, 5), 0, 0),
        PlanDay(date(2026, 3, 6), 2, 2),
        PlanDay(date(2026, 3, 7), 0, 0),
        PlanDay(date(2026, 3, 8), 0, 0),
    )
    assert [d.day.day for d in days if d.met] == [2, 6]


@pytest.mark.parametrize(
    ("back", "words"),
    [(0, "today"), (1, "yesterday"), (2, "Sat"), (6, "Tue"), (7, "2 Mar"), (70, "29 Dec 2025")],
)
def test_a_day_is_named_as_a_person_says_it(back: int, words: str) -> None:
    today = date(2026, 3, 9)  # a Monday
    assert day_words(today - timedelta(days=back), today) == words


def test_the_most_is_said_of_what_stopped_growing() -> None:
    grown = in_force(KNEE, Progression(5, 15, 1, 6), week=3)
    assert grown.words() == "hold 15 s, 5 reps, week 3 of the plan: +5 s (the most), +2 reps"
