"""One rule for which sessions count, in every figure (issue 14, item 12).

The streak, this week, the totals, the minutes per day and the pain trend all count a session
by the same rule (tui.store.history.stats.counts), stated once in the code and once where the
figures are shown; every recorded session is still listed, marked when it does not count.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from tui.store.history import stats
from tui.store.history.index import HistoryLoad
from tui.store.history.recorder import append_sessions
from tui.store.history.records import Entry, Session, StretchRecord
from tui.store.history.report import history_command, render_text
from tui.store.history.stats import Stats, compute_stats

TZ = timezone(timedelta(hours=1))
TODAY = date(2026, 11, 25)  # a Wednesday


def _session(
    day: date, hour: int, minutes: float, holds: int, pain: int | None, finished: bool = True
) -> Session:
    start = datetime(day.year, day.month, day.day, hour, tzinfo=TZ)
    stretch = StretchRecord("knee", "Knee hug", 3, {"right": holds}, 0, 10, 10.0 * holds)
    return Session(
        routine_id="back",
        routine_name="Back care",
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        finished=finished,
        total_seconds=minutes * 60,
        paused_seconds=0.0,
        stretches=(stretch,),
        pain_before=pain,
        pain_after=pain,
    )


# Sessions that count, and sessions with no hold held to its end (stopped in their first
# seconds, or skipped through to the end with n), on days and in weeks where counting them or
# not changes every figure: today (this week), yesterday (the streak, which they alone would
# carry on from today), a day of last week (minutes, pain).
COUNTING = [
    _session(TODAY - timedelta(2), 8, 10, 2, 4),
    _session(TODAY - timedelta(9), 8, 20, 3, 6, finished=False),
]
EARLY = [
    _session(TODAY, 7, 3, 0, 9, finished=False),
    _session(TODAY - timedelta(1), 7, 4, 0, 8),  # skipped through
    _session(TODAY - timedelta(9), 9, 5, 0, 2, finished=False),
]


def _entries(sessions: list[Session]) -> list[Entry]:
    return sorted((s.entry for s in sessions), key=lambda e: e.started_at)


FIGURES: dict[str, Callable[[Stats], object]] = {
    "streak": lambda s: s.streak,
    "this week": lambda s: s.this_week,
    "sessions": lambda s: s.sessions,
    "finished": lambda s: s.finished,
    "total": lambda s: s.total_seconds,
    "minutes per day": lambda s: [(d.day, d.minutes, d.sessions) for d in s.days],
    "pain trend": lambda s: [(p.week, p.before, p.after, p.scored) for p in s.pain],
}


@pytest.mark.parametrize("figure", list(FIGURES))
def test_every_figure_counts_by_the_one_rule(figure: str) -> None:
    read = FIGURES[figure]
    shown = read(compute_stats(_entries(COUNTING + EARLY), TODAY))
    by_the_rule = read(compute_stats(_entries(COUNTING), TODAY))
    assert shown == by_the_rule
    # the fixture is one where the rule matters for this figure: had the early stops counted,
    # the figure would be another
    one_hold = [
        replace(s, stretches=(replace(s.stretches[0], reps_done={"right": 1}),)) for s in EARLY
    ]
    assert all(stats.counts(s.entry) for s in one_hold)
    assert read(compute_stats(_entries(COUNTING + one_hold), TODAY)) != shown


def test_the_rule_is_one_function_and_what_it_says() -> None:
    assert [stats.counts(s.entry) for s in COUNTING] == [True, True]
    assert [stats.counts(s.entry) for s in EARLY] == [False, False, False]
    assert "one hold" in stats.COUNTING_RULE


def test_every_session_is_listed_and_those_that_do_not_count_are_marked() -> None:
    entries = _entries(COUNTING + EARLY)
    text = render_text(HistoryLoad(entries=entries), compute_stats(entries, TODAY))
    assert text.count(stats.COUNTING_RULE) == 1
    recent = text.split("Recent sessions\n")[1].split("\n\n")[0].splitlines()
    assert len(recent) == 5
    marked = [line for line in recent if line.endswith(stats.NOT_COUNTED)]
    assert len(marked) == 3, recent
    assert "5 sessions recorded, 2 counted" in text, text


def test_unknot_history_json_says_which_sessions_count() -> None:
    append_sessions(COUNTING + EARLY)
    data = json.loads(history_command(True, today=TODAY))
    assert len(data["sessions"]) == 5
    assert sorted(s["counts"] for s in data["sessions"]) == [False, False, False, True, True]
    assert data["sessions_count"] == 2
    assert data["recorded_count"] == 5
    assert data["counting_rule"] == stats.COUNTING_RULE
    text = history_command(False, today=TODAY)
    assert f"Total: {data['total_minutes']} min" in text
    assert f"This week: {data['sessions_this_week']} session" in text
