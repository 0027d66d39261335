"""The facts of a report, computed once from the history: the HTML, the Markdown and the CSV
only show these, so the three cannot disagree.

Every figure counts only the sessions that count (tui.store.history.stats's `counts`, the rule
every other figure follows); every session is listed all the same, marked when it does not
count. A session
belongs to the day it started on, in the local time it was recorded in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from tui.core.model import NAME_LENGTH, Routine
from tui.core.progress import InForce, first_day, plan_week, routine_in_force
from tui.core.schedule import Plan, Progression, Schedule
from tui.core.textclean import clean_line
from tui.store.history.records import Entry, Session
from tui.store.history.stats import COUNTING_RULE, counts

DAILY_UP_TO = 42
"""Days a report shows one by one; a longer one shows weeks (a chart of 365 days is a smear)."""

Granularity = Literal["day", "week"]


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One session as the report lists it."""

    started_at: datetime
    routine_id: str
    routine_name: str
    minutes: float
    finished: bool
    counts: bool
    holds_done: int
    holds_skipped: int
    pain_before: int | None
    pain_after: int | None

    @property
    def day(self) -> date:
        return self.started_at.date()


@dataclass(frozen=True, slots=True)
class Bucket:
    """A day (or, in a long report, a week from Monday) of the minutes-and-plan chart."""

    start: date
    days: int
    minutes: float
    sessions: int
    """Sessions that count, of every routine in the report."""
    done: int
    """Sessions that count, of the plan's routine."""
    planned: int
    plan_days: int
    """Days in it that the plan means sessions for (from the plan's first day to today)."""
    days_met: int

    @property
    def met(self) -> bool:
        return self.plan_days > 0 and self.days_met == self.plan_days


@dataclass(frozen=True, slots=True)
class PainPoint:
    """Pain before and after one session that counts (or a week's means, in a long report)."""

    at: datetime
    before: float | None
    after: float | None
    sessions: int = 1


@dataclass(frozen=True, slots=True)
class SideRow:
    """One side of a stretch, over the sessions that count: holds done of those planned."""

    side: str
    """"right", "left", or "none" for a stretch without sides."""
    done: int
    planned: int

    @property
    def not_done(self) -> int:
        """Planned but not held to the end: skipped, or not reached before a stop."""
        return max(0, self.planned - self.done)


@dataclass(frozen=True, slots=True)
class StretchRow:
    """One stretch over the sessions that count."""

    stretch_id: str
    name: str
    sessions: int
    sides: tuple[SideRow, ...]
    skipped: int
    """Holds skipped (n), as the history records them: per stretch, not per side."""
    not_reached: int
    """Holds not reached before the session was stopped."""


@dataclass(frozen=True, slots=True)
class InForceRow:
    """A stretch of the routine and what the plan has it at this week."""

    name: str
    grown: InForce


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything a report says."""

    title: str
    routine_id: str | None
    """The routine whose plan the report measures against (None: every session counts for it)."""
    since: date
    until: date
    made_at: datetime
    granularity: Granularity
    sessions: tuple[SessionRow, ...]
    """Every session in the period, counted or not, oldest first."""
    counted: int
    finished: int
    minutes: float
    active_days: int
    plan: Plan
    plan_start: date | None
    """The first day the plan is measured on: the later of `since` and the first session."""
    plan_days: int
    plan_days_met: int
    buckets: tuple[Bucket, ...]
    pain: tuple[PainPoint, ...]
    """Per session that counts and has a score; per week in a long report."""
    pain_before: float | None
    pain_after: float | None
    pain_change: float | None
    """The mean of (after - before) over sessions scored both times."""
    pain_scored: int
    stretches: tuple[StretchRow, ...]
    progression: Progression | None
    week: int
    first_session: date | None
    in_force: tuple[InForceRow, ...]
    other_routines: tuple[str, ...]
    """Names of routines in the report besides the plan's one."""
    counting_rule: str = COUNTING_RULE

    @property
    def recorded(self) -> int:
        return len(self.sessions)


def build_facts(
    sessions: Iterable[Session],
    *,
    now: datetime,
    since: date | None = None,
    routine: Routine | None = None,
    schedule: Schedule | None = None,
) -> Facts:
    """The facts of the sessions from `since` (their first day if None) to today.

    `routine` is the one whose plan the report measures against, with its `schedule`; the
    weeks of its progression count from its first session ever, so `sessions` should be the
    whole history (those before `since` are read for that alone).
    """
    schedule = schedule or Schedule()
    today = now.date()
    everything = sorted(sessions, key=lambda s: s.started_at)
    entries = [s.entry for s in everything]  # what `counts` reads, made once a session
    plan_id = routine.id if routine is not None else None
    began = first_day(
        e.started_at for e in entries if counts(e) and (plan_id is None or e.routine_id == plan_id)
    )
    start = (
        since
        if since is not None
        else min((s.started_at.date() for s in everything), default=today)
    )
    kept = [n for n, s in enumerate(everything) if s.started_at.date() >= start]
    shown = [everything[n] for n in kept]
    entries = [entries[n] for n in kept]
    until = max([today, *(s.started_at.date() for s in shown)])
    granularity: Granularity = "day" if (until - start).days < DAILY_UP_TO else "week"
    rows = tuple(_row(s, e) for s, e in zip(shown, entries, strict=True))
    counted = [s for s, e in zip(shown, entries, strict=True) if counts(e)]
    plan_start = max(start, began) if began is not None else None
    done_by_day = _per_day(
        s.started_at.date() for s in counted if plan_id is None or s.routine_id == plan_id
    )
    buckets = _buckets(
        schedule.plan, counted, done_by_day, start, until, today, plan_start, granularity
    )
    week = plan_week(began, today)
    in_force: tuple[InForceRow, ...] = ()
    if routine is not None:
        grown = routine_in_force(routine.stretches, schedule, week)
        in_force = tuple(
            InForceRow(s.name, g) for s, g in zip(routine.stretches, grown, strict=True)
        )
    pain_rows = [s for s in counted if s.pain_before is not None or s.pain_after is not None]
    befores = [s.pain_before for s in pain_rows if s.pain_before is not None]
    afters = [s.pain_after for s in pain_rows if s.pain_after is not None]
    changes = [
        s.pain_after - s.pain_before
        for s in pain_rows
        if s.pain_before is not None and s.pain_after is not None
    ]
    plan_days = sum(b.plan_days for b in buckets)
    names = {clean_line(s.routine_name, NAME_LENGTH[1]) for s in shown if s.routine_id != plan_id}
    title = clean_line(routine.name, NAME_LENGTH[1]) if routine is not None else "Every routine"
    return Facts(
        title=title,
        routine_id=plan_id,
        since=start,
        until=until,
        made_at=now,
        granularity=granularity,
        sessions=rows,
        counted=len(counted),
        finished=sum(1 for s in counted if s.finished),
        minutes=sum(s.total_seconds for s in counted) / 60,
        active_days=len({s.started_at.date() for s in counted}),
        plan=schedule.plan,
        plan_start=plan_start,
        plan_days=plan_days,
        plan_days_met=sum(b.days_met for b in buckets),
        buckets=buckets,
        pain=_pain(pain_rows, granularity),
        pain_before=_mean(befores),
        pain_after=_mean(afters),
        pain_change=_mean(changes),
        pain_scored=len(pain_rows),
        stretches=_stretches(counted, routine),
        progression=schedule.progression,
        week=week,
        first_session=began,
        in_force=in_force,
        other_routines=tuple(sorted(names, key=str.casefold)) if plan_id is not None else (),
    )


def _row(session: Session, entry: Entry) -> SessionRow:
    return SessionRow(
        started_at=session.started_at,
        routine_id=session.routine_id,
        routine_name=clean_line(session.routine_name, NAME_LENGTH[1]),
        minutes=session.total_seconds / 60,
        finished=session.finished,
        counts=counts(entry),
        holds_done=entry.holds_done,
        holds_skipped=sum(s.reps_skipped for s in session.stretches),
        pain_before=session.pain_before,
        pain_after=session.pain_after,
    )


def _per_day(days: Iterable[date]) -> dict[date, int]:
    found: dict[date, int] = {}
    for day in days:
        found[day] = found.get(day, 0) + 1
    return found


def _buckets(
    plan: Plan,
    counted: Sequence[Session],
    done_by_day: dict[date, int],
    start: date,
    until: date,
    today: date,
    plan_start: date | None,
    granularity: Granularity,
) -> tuple[Bucket, ...]:
    minutes: dict[date, float] = {}
    sessions: dict[date, int] = {}
    for session in counted:
        day = session.started_at.date()
        minutes[day] = minutes.get(day, 0.0) + session.total_seconds / 60
        sessions[day] = sessions.get(day, 0) + 1
    days: list[Bucket] = []
    for offset in range((until - start).days + 1):
        day = start + timedelta(days=offset)
        measured = plan_start is not None and plan_start <= day <= today
        planned = plan.planned_on(day) if measured else 0
        done = done_by_day.get(day, 0)
        days.append(
            Bucket(
                start=day,
                days=1,
                minutes=minutes.get(day, 0.0),
                sessions=sessions.get(day, 0),
                done=done,
                planned=planned,
                plan_days=1 if planned else 0,
                days_met=1 if planned and done >= planned else 0,
            )
        )
    if granularity == "day":
        return tuple(days)
    weeks: dict[date, list[Bucket]] = {}
    for bucket in days:
        weeks.setdefault(bucket.start - timedelta(days=bucket.start.weekday()), []).append(bucket)
    return tuple(
        Bucket(
            start=monday,
            days=len(part),
            minutes=sum(b.minutes for b in part),
            sessions=sum(b.sessions for b in part),
            done=sum(b.done for b in part),
            planned=sum(b.planned for b in part),
            plan_days=sum(b.plan_days for b in part),
            days_met=sum(b.days_met for b in part),
        )
        for monday, part in weeks.items()
    )


def _pain(scored: Sequence[Session], granularity: Granularity) -> tuple[PainPoint, ...]:
    if granularity == "day":
        return tuple(PainPoint(s.started_at, s.pain_before, s.pain_after) for s in scored)
    weeks: dict[date, list[Session]] = {}
    for session in scored:
        day = session.started_at.date()
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(session)
    return tuple(
        PainPoint(
            datetime.combine(monday, datetime.min.time(), part[0].started_at.tzinfo),
            _mean([s.pain_before for s in part if s.pain_before is not None]),
            _mean([s.pain_after for s in part if s.pain_after is not None]),
            len(part),
        )
        for monday, part in weeks.items()
    )


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(slots=True)
class _Tally:
    """One stretch's holds, added up session by session."""

    name: str
    sessions: int = 0
    done: dict[str, int] = field(default_factory=dict)
    planned: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    not_reached: int = 0


def _stretches(counted: Sequence[Session], routine: Routine | None) -> tuple[StretchRow, ...]:
    """Each stretch's holds over the sessions that count, in the routine's order, then in the
    order the others were first met."""
    tallies: dict[str, _Tally] = {}
    for session in counted:
        for record in session.stretches:
            tally = tallies.get(record.stretch_id)
            if tally is None:
                tally = tallies[record.stretch_id] = _Tally(record.name)
            else:
                tally.name = record.name  # the newest name
            tally.sessions += 1
            sides = record.reps_done or {"none": 0}
            held = 0
            for side, count in sides.items():
                tally.done[side] = tally.done.get(side, 0) + count
                tally.planned[side] = tally.planned.get(side, 0) + record.reps_planned
                held += count
            tally.skipped += record.reps_skipped
            planned = record.reps_planned * len(sides)
            tally.not_reached += max(0, planned - held - record.reps_skipped)
    order = {s.id: n for n, s in enumerate(routine.stretches)} if routine is not None else {}
    met = {key: n for n, key in enumerate(tallies)}
    keys = sorted(tallies, key=lambda k: (order.get(k, len(order)), met[k]))
    side_order = {"right": 0, "left": 1, "none": 2}
    return tuple(
        StretchRow(
            stretch_id=key,
            name=clean_line(tally.name, NAME_LENGTH[1]),
            sessions=tally.sessions,
            sides=tuple(
                SideRow(side, tally.done[side], tally.planned[side])
                for side in sorted(tally.done, key=lambda s: side_order.get(s, 3))
            ),
            skipped=tally.skipped,
            not_reached=tally.not_reached,
        )
        for key, tally in ((k, tallies[k]) for k in keys)
    )
