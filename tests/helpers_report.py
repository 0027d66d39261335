"""A small history written by hand for the report's tests, with every figure worked out by hand.

Three weeks, Monday 2 March to Sunday 22 March 2026, of the routine "Back care" (planned twice
a day, Monday to Friday; reps grow one a week), and one session of another routine. Times are
at +01:00 unless said. The figures the tests expect are in FIGURES, each with its sum.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from tui.core.model import Routine, Span, Stretch
from tui.core.schedule import Plan, Progression, Schedule
from tui.store.history.records import Session, StretchRecord

CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))
NOW = datetime(2026, 3, 22, 18, 0, tzinfo=CET)  # a Sunday
SINCE = date(2026, 3, 2)  # a Monday

KNEE = Stretch(
    "knee-to-chest",
    "Knee-to-chest",
    ("Pull one knee in.",),
    Span(10, 20),
    Span(3, 5),
    sides="each",
)
CAT = Stretch("cat-cow", "Cat-cow", ("Arch, then round.",), Span(5, 5), Span(8, 8))
ROUTINE = Routine("back-care", "Back care", (KNEE, CAT))
SCHEDULE = Schedule(Plan(2, (0, 1, 2, 3, 4)), Progression(2, None, 1, None))


def knee(planned: int, right: int, left: int, skipped: int = 0) -> StretchRecord:
    return StretchRecord(
        "knee-to-chest", "Knee-to-chest", planned, {"right": right, "left": left}, skipped, 10, 0.0
    )


def cat(done: int, skipped: int = 0) -> StretchRecord:
    return StretchRecord("cat-cow", "Cat-cow", 8, {"none": done}, skipped, 5, 0.0)


def session(
    start: datetime,
    minutes: float,
    finished: bool,
    stretches: tuple[StretchRecord, ...],
    before: int | None = None,
    after: int | None = None,
    routine: tuple[str, str] = ("back-care", "Back care"),
) -> Session:
    return Session(
        routine_id=routine[0],
        routine_name=routine[1],
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        finished=finished,
        total_seconds=minutes * 60,
        paused_seconds=0.0,
        stretches=stretches,
        pain_before=before,
        pain_after=after,
    )


def at(day: int, hour: int, minute: int = 0, tz: timezone = CET) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=tz)


SESSIONS = [
    # week 1
    session(at(2, 8), 10, True, (knee(3, 3, 3), cat(8)), 6, 4),  # S1
    session(at(2, 18, 30), 12, True, (knee(3, 3, 2, 1), cat(8)), 5, 3),  # S2: one left skipped
    # S3: stopped in its first seconds, no hold held to its end: listed, not counted (its
    # pain score is left out of every figure)
    session(at(3, 8, 5), 0.5, False, (knee(3, 0, 0), cat(0)), 7, None),
    # S4: begun at 23:50 on Wednesday, ended on Thursday: Wednesday's
    session(at(4, 23, 50), 15, True, (knee(3, 3, 3), cat(8)), 4, 4),
    session(at(6, 9), 9, True, (knee(3, 3, 3), cat(6, 2)), None, None),  # S5
    # week 2
    session(at(9, 7, 30), 11, True, (knee(4, 4, 4), cat(8)), 5, 2),  # S6
    # S7: recorded at +02:00 (travelling): Wednesday the 11th, 20:00 there
    session(at(11, 20, 0, CEST), 10, True, (knee(4, 4, 3, 1), cat(8)), 3, 2),
    # another routine: counts in the minutes, not for Back care's plan
    session(
        at(12, 7),
        5,
        True,
        (StretchRecord("side-bend", "Side bend", 3, {"none": 3}, 0, 10, 30.0),),
        routine=("morning", "Morning *stretch* | <b>"),
    ),
    # S8: Saturday (none planned), stopped after 5 holds: counted; 3 knee and 8 cat-cow holds
    # not reached
    session(at(14, 10), 6, False, (knee(4, 4, 1), cat(0)), 6, None),
    # week 3
    session(at(16, 8), 12, True, (knee(5, 5, 5), cat(8)), 4, 3),  # S9
    session(at(16, 17), 12, True, (knee(5, 5, 5), cat(8))),  # S10
    session(at(20, 12), 3, False, (knee(5, 1, 0), cat(0))),  # S11: stopped after one hold
]

FIGURES = {
    "recorded": 12,
    "counted": 11,  # all but S3
    "finished": 9,  # S1 S2 S4 S5 S6 S7 morning S9 S10
    "minutes": 105.0,  # 10+12+15+9+11+10+5+6+12+12+3
    "active_days": 9,  # 2 4 6 9 11 12 14 16 20
    "plan_days": 15,  # Monday to Friday, three weeks
    "plan_days_met": 2,  # 2 and 16 March: two Back care sessions each
    "pain_scored": 7,  # S1 S2 S4 S6 S7 S8 S9
    "pain_before": 33 / 7,  # 6+5+4+5+3+6+4
    "pain_after": 3.0,  # (4+3+4+2+2+3) / 6
    "pain_change": -1.5,  # (-2-2+0-3-1-1) / 6
    "week": 3,  # 22 March is 20 days after 2 March
}

HOLDS = {
    # stretch: (sessions, {side: (done, planned)}, skipped, not reached)
    "knee-to-chest": (
        10,
        {"right": (35, 39), "left": (29, 39)},  # planned 3+3+3+3+4+4+4+5+5+5 a side
        2,  # S2, S7
        12,  # S8: 8-5; S11: 10-1
    ),
    "cat-cow": (10, {"none": (62, 80)}, 2, 16),  # 8 a session; S5 skipped 2; S8, S11 none
    "side-bend": (1, {"none": (3, 3)}, 0, 0),
}
