"""Where a stretch's figure is in its movement at a moment of the routine.

The figure moves only while the body does: from the start position into the stretch during the
get-ready and the switch of sides, out of it and back in during a rest between reps. It stands
still on the held pose for the whole hold, on the start position at every other moment, and
wherever it was while the routine is paused (the caller's clock stands still then).

Phases are named by their words ("prepare", "hold", ...), as tui.core.engine's Phase spells
them; no Textual here, and nothing of the engine.
"""

from __future__ import annotations

FRAMES_PER_SECOND = 3
"""How often a moving figure is drawn again: a few frames a second, enough to see the movement.
Textual sends each changed row of the figure whole: at 80x24 a get-ready with a moving figure
sent about 6 KB/s at 4 frames a second before blank cells shared their neighbours' styles; now
about 3.2 KB/s at 3, under the 4 KB/s budget (bench/figures.py)."""

SETTLED_SECONDS = 1.0
"""The end of a get-ready or switch the figure spends already in the stretch, still."""

WAITING_PLAY_SECONDS = 3.0
"""How long the movement takes while a stretch waits for the person (no countdown)."""


def moving(phase: str, rest_kind: str | None = None) -> bool:
    """True in the phases where the body moves, so the figure does."""
    return phase in ("prepare", "switch") or (phase == "rest" and rest_kind == "rep")


def progress_at(
    phase: str,
    elapsed: float,
    length: float,
    rest_kind: str | None = None,
    *,
    waiting: bool = False,
) -> float:
    """How far into the movement the figure is (0: the start position, 1: the held pose),
    `elapsed` seconds into a phase of `length` seconds."""
    if phase == "hold":
        return 1.0
    if phase in ("prepare", "switch"):
        if waiting or length <= 0:
            span = WAITING_PLAY_SECONDS
        else:
            span = max(length - SETTLED_SECONDS, length * 0.6)
        return _clamp(elapsed / span)
    if phase == "rest" and rest_kind == "rep" and length > 0:
        # out of the stretch in the first half, back into it in the second
        half = length / 2
        if elapsed <= half:
            return _clamp(1.0 - elapsed / half)
        return _clamp((elapsed - half) / half)
    return 0.0


def _clamp(amount: float) -> float:
    return min(1.0, max(0.0, amount))
