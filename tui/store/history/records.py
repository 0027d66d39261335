"""What one session leaves in the history: its record (Session, StretchRecord), the short
form the stats read (Entry), and how a finished session becomes a record.

No Textual, no files: the modules beside this one read and write them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, Protocol

from tui.core.model import MAX_SESSION_SECONDS

SCHEMA = 1
PAIN_BOUNDS = (0, 10)
MAX_STRETCHES = 200
MAX_REPS_SKIPPED = 10_000
SIDES = ("right", "left", "none")


@dataclass(frozen=True, slots=True)
class StretchRecord:
    """What was done of one stretch in a session."""

    stretch_id: str
    name: str
    reps_planned: int
    reps_done: Mapping[str, int]
    """Side ("right", "left", or "none" for a stretch without sides) -> reps completed."""
    reps_skipped: int
    hold_seconds: int
    held_seconds: float


class Entry(NamedTuple):
    """The facts about a session that lists and stats need; cheap to keep in the index.

    A NamedTuple rather than a dataclass: 10,000 of them are built on every history load.
    """

    routine_id: str
    routine_name: str
    started_at: datetime
    finished: bool
    total_seconds: float
    paused_seconds: float
    pain_before: int | None
    pain_after: int | None
    stretch_count: int
    holds_done: int
    """Holds held to their end, every stretch and side together (`counts` reads these)."""
    session_id: str = ""
    """The session's identity; empty in records written before sessions had one."""

    @property
    def day(self) -> date:
        """The day the session started, in the local time it was recorded in."""
        return self.started_at.date()

    @property
    def key(self) -> SessionKey:
        return session_key(self.routine_id, self.started_at, self.session_id)


SessionKey = str | tuple[str, datetime]


def session_key(routine_id: str, started_at: datetime, session_id: str) -> SessionKey:
    """What makes two records the same session: its identity; for a record written before
    sessions had one, its routine and start to the second, as those were merged then."""
    return session_id or (routine_id, started_at)


@dataclass(frozen=True, slots=True)
class Session:
    """One recorded session, finished or stopped."""

    routine_id: str
    routine_name: str
    started_at: datetime
    ended_at: datetime
    finished: bool
    total_seconds: float
    paused_seconds: float
    stretches: tuple[StretchRecord, ...] = ()
    pain_before: int | None = None
    pain_after: int | None = None
    session_id: str = ""
    """Made when the session started (Engine.session_id); empty in older records."""

    @property
    def entry(self) -> Entry:
        return Entry(
            self.routine_id,
            self.routine_name,
            self.started_at,
            self.finished,
            self.total_seconds,
            self.paused_seconds,
            self.pain_before,
            self.pain_after,
            len(self.stretches),
            sum(sum(s.reps_done.values()) for s in self.stretches),
            self.session_id,
        )

    @property
    def key(self) -> SessionKey:
        """Two records with this key are the same session (saving twice must not count twice,
        and a resumed session replaces the record of its stop)."""
        return session_key(self.routine_id, self.started_at, self.session_id)


class _StretchSummaryLike(Protocol):
    @property
    def stretch_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def reps_planned(self) -> int: ...
    @property
    def reps_done(self) -> Mapping[str, int]: ...
    @property
    def reps_skipped(self) -> int: ...
    @property
    def hold_seconds(self) -> int: ...
    @property
    def held_seconds(self) -> float: ...


class SummaryLike(Protocol):
    """The engine's Summary, as far as history needs it."""

    @property
    def routine_id(self) -> str: ...
    @property
    def routine_name(self) -> str: ...
    @property
    def finished(self) -> bool: ...
    @property
    def stretches(self) -> Sequence[_StretchSummaryLike]: ...
    @property
    def total_seconds(self) -> float: ...
    @property
    def paused_seconds(self) -> float: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def ended_at(self) -> datetime | None: ...
    @property
    def session_id(self) -> str: ...


def _local(moment: datetime) -> datetime:
    """Local time with its offset, to the second (a naive time is taken as local)."""
    aware = moment if moment.tzinfo is not None else moment.astimezone()
    return aware.replace(microsecond=0)


def session_from_summary(
    summary: SummaryLike,
    pain_before: int | None = None,
    pain_after: int | None = None,
    *,
    now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
) -> Session | None:
    """The record of a session from the engine's summary; None when it never started.

    Every value is one the history's reader takes: a session left paused for more than a week
    is recorded as a week (the reader refuses more, and the record would be set aside).
    """
    if summary.started_at is None:
        return None
    started = _local(summary.started_at)
    ended = _local(summary.ended_at if summary.ended_at is not None else now())
    stretches = tuple(
        StretchRecord(
            stretch_id=s.stretch_id,
            name=s.name,
            reps_planned=s.reps_planned,
            reps_done={side: int(count) for side, count in s.reps_done.items()},
            reps_skipped=s.reps_skipped,
            hold_seconds=s.hold_seconds,
            held_seconds=_bounded_seconds(s.held_seconds),
        )
        for s in summary.stretches
    )
    for score in (pain_before, pain_after):
        if score is not None and not PAIN_BOUNDS[0] <= score <= PAIN_BOUNDS[1]:
            raise ValueError(f"a pain score is 0 to 10, not {score}")
    return Session(
        routine_id=summary.routine_id,
        routine_name=summary.routine_name,
        started_at=started,
        ended_at=max(ended, started),
        finished=summary.finished,
        total_seconds=_bounded_seconds(summary.total_seconds),
        paused_seconds=_bounded_seconds(summary.paused_seconds),
        stretches=stretches,
        pain_before=pain_before,
        pain_after=pain_after,
        session_id=summary.session_id,
    )


def _bounded_seconds(seconds: float) -> float:
    return round(min(max(float(seconds), 0.0), MAX_SESSION_SECONDS), 1)
