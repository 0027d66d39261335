"""The routine model: plain, immutable data that the loader builds and everything else reads.

No Textual here (a test enforces it): the engine, the plain mode and the app all share this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tui.core.figure import Figure

Sides = Literal["none", "each", "alternate"]
Side = Literal["right", "left"]
Advance = Literal["auto", "manual"]
Source = Literal["built-in", "user", "file"]

SCHEMA_VERSION = 1

# A routine's id is its file name; it is typed on the command line and used in file names.
# Letters and digits of any script, "_", "-", "." and spaces; no control codes, no leading "-".
ROUTINE_ID_PATTERN = re.compile(r"^\w[\w .-]{0,79}$")

# Bounds of the format (schema 1). The loader, the engine's adjust controls and the
# JSON Schema all read these, so they cannot drift apart.
HOLD_BOUNDS = (1, 3600)
REPS_BOUNDS = (1, 100)
PREPARE_BOUNDS = (0, 60)
REST_BOUNDS = (0, 600)
SWITCH_BOUNDS = (0, 60)
REST_BETWEEN_REPS_BOUNDS = (0, 600)
NAME_LENGTH = (1, 80)
ID_LENGTH = (1, 40)
TEXT_LINE_LENGTH = (1, 500)
LINES_COUNT = (1, 20)
STRETCHES_COUNT = (1, 50)

# Bounds of what a session records (the history) and keeps to resume (resume places): both
# readers refuse a value beyond them, so neither trusts a hand edit the other would refuse.
MAX_SESSION_SECONDS = 7 * 24 * 3600
SESSION_ID_LENGTH = 64
SESSION_ID_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
)


def is_session_id(value: object) -> bool:
    """A session's identity as unknot reads one: 1 to 64 letters, digits, - and _ (it names a
    file: no dot, no slash); unknot itself makes 32 hex digits (Engine.start)."""
    return (
        type(value) is str
        and 0 < len(value) <= SESSION_ID_LENGTH
        and SESSION_ID_CHARACTERS.issuperset(value)
    )


def other_side(side: Side) -> Side:
    """The side that is not `side`."""
    return "left" if side == "right" else "right"


@dataclass(frozen=True, slots=True)
class Span:
    """A whole number, or a recommended range [low, high] that the plan starts at the low end of."""

    low: int
    high: int

    @classmethod
    def exactly(cls, value: int) -> Span:
        return cls(value, value)

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def __str__(self) -> str:
        return f"{self.low}-{self.high}" if self.is_range else str(self.low)


@dataclass(frozen=True, slots=True)
class Stretch:
    """One stretch of a routine, as written in its file (text already cleaned by the loader)."""

    id: str
    name: str
    steps: tuple[str, ...]
    hold_seconds: Span
    reps: Span
    targets: tuple[str, ...] = ()
    position: str = ""
    tips: tuple[str, ...] = ()
    variation: str = ""
    sides: Sides = "none"
    first_side: Side = "right"
    switch_seconds: int = 3
    rest_between_reps: int = 3
    advance: Advance = "auto"
    figure: Figure | None = None
    """How the stretch looks, drawn for the first side (the other side is its mirror)."""

    @property
    def side_order(self) -> tuple[Side, ...]:
        """The sides in the order they are first held; empty when the stretch has none."""
        if self.sides == "none":
            return ()
        return (self.first_side, other_side(self.first_side))


@dataclass(frozen=True, slots=True)
class StretchPlan:
    """What the person chose for one stretch: the hold and the number of reps actually done."""

    hold_seconds: int
    reps: int

    @classmethod
    def default_for(cls, stretch: Stretch) -> StretchPlan:
        """The plan starts at the low end of every recommended range."""
        return cls(stretch.hold_seconds.low, stretch.reps.low)


@dataclass(frozen=True, slots=True)
class Routine:
    """One routine file: an ordered list of stretches and the timings between them."""

    id: str
    name: str
    stretches: tuple[Stretch, ...]
    description: str = ""
    prepare_seconds: int = 5
    rest_seconds: int = 15
    source: Source = "file"
    path: Path | None = field(default=None, compare=False)
    overrides: str | None = field(default=None, compare=False)
    """Where this routine shadows another of the same id: that one's path, for `unknot list`."""
    schedule: object | None = None
    """Its [plan] and [progression]: a tui.core.schedule.Schedule, read through
    `tui.core.schedule.schedule_of` (which types it; the model does not import the module that
    reads those tables, which imports the model); None: neither, so once a day and nothing
    grows."""

    def default_plan(self) -> tuple[StretchPlan, ...]:
        return tuple(StretchPlan.default_for(s) for s in self.stretches)

    def with_source(self, source: Source, path: Path | None) -> Routine:
        return replace(self, source=source, path=path)


def stretch_seconds(stretch: Stretch, plan: StretchPlan, prepare_seconds: int) -> int:
    """Seconds one stretch takes with this plan: get ready, holds, switches and rests between reps.

    Manual-advance stretches count no get-ready time (the wait is the person's own).
    """
    sides = 2 if stretch.sides != "none" else 1
    holds = plan.reps * sides
    prepare = 0 if stretch.advance == "manual" else prepare_seconds
    if stretch.sides == "each":
        switches = 1
        # rests between reps happen within each side, not across the switch
        rests = (plan.reps - 1) * 2
    elif stretch.sides == "alternate":
        # right, switch, left, switch, right ...: every change between holds is a switch, which
        # is the pause between reps too (rest_between_reps does not apply)
        switches = holds - 1
        rests = 0
    else:
        switches = 0
        rests = plan.reps - 1
    return (
        prepare
        + holds * plan.hold_seconds
        + switches * stretch.switch_seconds
        + rests * stretch.rest_between_reps
    )


def routine_seconds(routine: Routine, plan: tuple[StretchPlan, ...] | None = None) -> int:
    """Estimated seconds for the whole routine: every stretch plus the rests between stretches."""
    plans = plan if plan is not None else routine.default_plan()
    total = sum(
        stretch_seconds(s, p, routine.prepare_seconds)
        for s, p in zip(routine.stretches, plans, strict=True)
    )
    return total + routine.rest_seconds * max(0, len(routine.stretches) - 1)


def format_duration(seconds: float) -> str:
    """A duration for people: "45 s", "3 min 20 s", "1 h 05 min"."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
