"""What one session did, stretch by stretch: the engine's account of it at the end.

Kept apart from the engine because only the end of a session needs it (the summary screen,
the history, plain mode's last lines): the app's start does not pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class StretchSummary:
    stretch_id: str
    name: str
    reps_planned: int
    reps_done: dict[str, int]
    reps_skipped: int
    hold_seconds: int
    held_seconds: float


@dataclass(frozen=True, slots=True)
class Summary:
    routine_id: str
    routine_name: str
    finished: bool
    stretches: tuple[StretchSummary, ...]
    total_seconds: float
    paused_seconds: float
    started_at: datetime | None
    ended_at: datetime | None
    session_id: str = ""
    """The session's identity (Engine.session_id): its record in the history is found by it."""


__all__ = ["StretchSummary", "Summary"]
