"""The stats the history screen and `unknot history` show: minutes per day, streaks, pain
scores by week, and the rule of which sessions count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tui.core.counting import holds_count
from tui.store.history.index import HistoryLoad
from tui.store.history.records import Entry


@dataclass(frozen=True, slots=True)
class DayMinutes:
    day: date
    minutes: float
    sessions: int


@dataclass(frozen=True, slots=True)
class PainWeek:
    """The average pain scores of the sessions in one week (Monday first), where any were given."""

    week: date
    before: float | None
    after: float | None
    scored: int


@dataclass(frozen=True, slots=True)
class Stats:
    """The figures of a history. Every one counts only the sessions that count (`counts`);
    `recorded` alone is every session."""

    sessions: int
    finished: int
    streak: int
    """Days in a row with a session that counts, ending today, or yesterday while today has
    none yet."""
    this_week: int
    """Sessions since Monday."""
    total_seconds: float
    days: tuple[DayMinutes, ...]
    """Every day from the Monday `weeks - 1` weeks ago up to today."""
    pain: tuple[PainWeek, ...]
    """The same weeks, oldest first."""
    recorded: int
    """Every session recorded, counted or not (each is listed all the same)."""

    @property
    def total_minutes(self) -> int:
        return round(self.total_seconds / 60)


COUNTING_RULE = (
    "A session counts once one hold is held to its end; every figure here counts only those."
)
"""The one rule of `counts`, in words: said once wherever the figures are shown."""
NOT_COUNTED = "(not counted)"
"""The mark on a listed session that does not count."""


@dataclass(frozen=True, slots=True)
class HistoryRead:
    """What the app's reading of the history hands its screen, and how many sessions the app
    had recorded when the reading began."""

    load: HistoryLoad
    stats: Stats
    recorded: int


def counts(entry: Entry) -> bool:
    """The one rule for every figure (streak, this week, totals, minutes per day, pain trend):
    a session counts when at least one hold was held to its end.

    A session stopped in the first seconds, or one skipped through with n, did no stretching:
    it is recorded and listed, but no figure counts it. One hold does, on a bad day.
    """
    return holds_count(entry.holds_done)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def compute_stats(entries: Sequence[Entry], today: date, weeks: int = 4) -> Stats:
    """Streak, this week, totals, per-day minutes and the weekly pain trend, all of them over
    the sessions that count (`counts`), and how many were recorded in all."""
    recorded = len(entries)
    entries = [entry for entry in entries if counts(entry)]
    weeks = max(1, weeks)
    first = week_start(today) - timedelta(weeks=weeks - 1)
    minutes: dict[date, float] = defaultdict(float)
    count: dict[date, int] = defaultdict(int)
    days_with: set[date] = set()
    befores: dict[date, list[int]] = defaultdict(list)
    afters: dict[date, list[int]] = defaultdict(list)
    scored: dict[date, int] = defaultdict(int)
    total = 0.0
    finished = 0
    this_week = 0
    monday = week_start(today)
    for entry in entries:
        day = entry.started_at.date()
        days_with.add(day)
        total += entry.total_seconds
        finished += entry.finished
        if monday <= day <= today:
            this_week += 1
        if first <= day <= today:
            minutes[day] += entry.total_seconds / 60
            count[day] += 1
            week = week_start(day)
            if entry.pain_before is not None:
                befores[week].append(entry.pain_before)
            if entry.pain_after is not None:
                afters[week].append(entry.pain_after)
            if entry.pain_before is not None or entry.pain_after is not None:
                scored[week] += 1
    streak = 0
    day = today if today in days_with else today - timedelta(days=1)
    while day in days_with:
        streak += 1
        day -= timedelta(days=1)
    span = (today - first).days + 1
    days = tuple(
        DayMinutes(d, round(minutes[d], 1), count[d])
        for d in (first + timedelta(days=n) for n in range(span))
    )
    pain = tuple(
        PainWeek(w, _mean(befores[w]), _mean(afters[w]), scored[w])
        for w in (first + timedelta(weeks=n) for n in range(weeks))
    )
    return Stats(len(entries), finished, streak, this_week, total, days, pain, recorded)


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
