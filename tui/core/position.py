"""Where a session stopped, in plain values that round-trip through TOML (resume.toml).

Kept apart from the engine because only saving and resuming need it: the app's start does not
pay for it. `Engine.position()` makes one; `Engine.resume_from()` carries on from one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from tui.core.model import (
    HOLD_BOUNDS,
    MAX_SESSION_SECONDS,
    REPS_BOUNDS,
    SESSION_ID_LENGTH,
    Routine,
    Side,
    StretchPlan,
    is_session_id,
)
from tui.core.steps import Phase, RestKind, Step, check_plan, plan_steps, side_keys
from tui.core.textclean import clean_line

POSITION_VERSION = 1
"""The format of a saved position; a file of another version is not read."""


@dataclass(frozen=True, slots=True)
class StretchCounts:
    """What was done in one stretch: holds done and skipped as (side, rep), and time held."""

    done: tuple[tuple[str, int], ...] = ()
    skipped: tuple[tuple[str, int], ...] = ()
    held_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "done": _pairs_to_dict(self.done),
            "skipped": _pairs_to_dict(self.skipped),
            "held_seconds": float(self.held_seconds),
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> StretchCounts:
        if not isinstance(data, dict):
            raise ValueError(f"{where} must be a table")
        return cls(
            done=_pairs_from_dict(data.get("done", {}), f"{where}.done"),
            skipped=_pairs_from_dict(data.get("skipped", {}), f"{where}.skipped"),
            held_seconds=_seconds(data.get("held_seconds", 0.0), f"{where}.held_seconds"),
        )


def _pairs_to_dict(pairs: Sequence[tuple[str, int]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for side, rep in sorted(pairs):
        out.setdefault(side, []).append(rep)
    return out


def _pairs_from_dict(data: Any, where: str) -> tuple[tuple[str, int], ...]:
    if not isinstance(data, dict):
        raise ValueError(f"{where} must be a table of side = [reps]")
    pairs: list[tuple[str, int]] = []
    for side, reps in data.items():
        if side not in ("none", "right", "left"):
            raise ValueError(f"{where}: unknown side {_shown(side)} (expected none, right or left)")
        if not isinstance(reps, list):
            raise ValueError(f"{where}.{side} must be a list of rep numbers")
        for rep in reps:
            pairs.append((side, _integer(rep, f"{where}.{side}", low=1, high=REPS_BOUNDS[1])))
    return tuple(sorted(set(pairs)))


def _shown(value: object) -> str:
    """A value read from a file, in a message: short, and safe to print whatever it is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        # a number of 5,000 digits is too long to say (and Python refuses to write it)
        return repr(value) if not math.isfinite(value) or abs(value) < 10**15 else "a huge number"
    if isinstance(value, str):
        return repr(clean_line(value, 60))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return "a list" if isinstance(value, list) else "a table" if isinstance(value, dict) else "?"


def _integer(value: Any, where: str, low: int = 0, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where} must be a whole number, not {_shown(value)}")
    if value < low:
        raise ValueError(f"{where} must be at least {low}, not {_shown(value)}")
    if high is not None and value > high:
        raise ValueError(f"{where} must be at most {high}, not {_shown(value)}")
    return value


def _seconds(value: Any, where: str) -> float:
    """Seconds, bounded as the history bounds a session's (a week at most)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= MAX_SESSION_SECONDS
    ):
        raise ValueError(
            f"{where} must be a finite number of seconds from 0 to {MAX_SESSION_SECONDS}, "
            f"not {_shown(value)}"
        )
    return float(value)


def _text(value: Any, where: str, choices: Sequence[str] | None = None, limit: int = 200) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where} must be text, not {_shown(value)}")
    if choices is not None and value not in choices:
        raise ValueError(
            f"{where} must be one of {', '.join(map(repr, choices))}, not {_shown(value)}"
        )
    if len(value) > limit or clean_line(value, limit) != value:
        raise ValueError(f"{where} must be one line of at most {limit} characters")
    return value


def _moment(value: Any, where: str) -> datetime | None:
    """An ISO 8601 date and time this computer can show (in its local time), or None for ""."""
    text = _text(value, where, limit=64)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
        moment.astimezone()  # a naive time is local; every time is shown as local
    except (ValueError, OverflowError, OSError):
        raise ValueError(
            f"{where} is not a date and time this computer can show: {_shown(text)}"
        ) from None
    return moment


def read_plan(data: Any, where: str) -> tuple[StretchPlan, ...]:
    """A plan saved as [{hold_seconds, reps}, ...], within the format's bounds."""
    if not isinstance(data, list) or not data:
        raise ValueError(f"{where} must be a non-empty list of tables")
    plan: list[StretchPlan] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"{where}[{number}] must be a table")
        hold = _integer(item.get("hold_seconds"), f"{where}[{number}].hold_seconds", *HOLD_BOUNDS)
        reps = _integer(item.get("reps"), f"{where}[{number}].reps", *REPS_BOUNDS)
        plan.append(StretchPlan(hold, reps))
    return tuple(plan)


@dataclass(frozen=True, slots=True)
class Position:
    """Where a session is, in plain values: save it, and `Engine.resume_from` it later."""

    routine_id: str
    stretch_index: int
    side: Side | None
    rep: int
    phase: Phase
    seconds_left: float
    plan: tuple[StretchPlan, ...]
    counts: tuple[StretchCounts, ...]
    elapsed: float
    paused_seconds: float
    rest_kind: RestKind | None = None
    waiting: bool = False
    started_at: str = ""
    """ISO 8601 wall-clock time the session started; empty when it has not."""
    session_id: str = ""
    """The session's identity (Engine.session_id); empty for a place saved before sessions
    had one, and before the session started."""

    def to_dict(self) -> dict[str, Any]:
        """The position as TOML-friendly values only (no None)."""
        return {
            "version": POSITION_VERSION,
            "routine_id": self.routine_id,
            "stretch_index": self.stretch_index,
            "side": self.side or "",
            "rep": self.rep,
            "phase": str(self.phase),
            "seconds_left": float(self.seconds_left),
            "rest_kind": self.rest_kind or "",
            "waiting": self.waiting,
            "elapsed": float(self.elapsed),
            "paused_seconds": float(self.paused_seconds),
            "started_at": self.started_at,
            "session_id": self.session_id,
            "plan": [{"hold_seconds": p.hold_seconds, "reps": p.reps} for p in self.plan],
            "counts": [c.to_dict() for c in self.counts],
        }

    @classmethod
    def from_dict(cls, data: Any, routine: Routine | None = None) -> Position:
        """Read a saved position, or raise ValueError naming the field and the value.

        Every value is bounded (a hand-edited file is read here), the seconds as the history
        bounds a session's. With `routine`, also check that the position fits that routine.
        """
        if not isinstance(data, dict):
            raise ValueError("a saved position must be a table")
        version = data.get("version", POSITION_VERSION)
        if version != POSITION_VERSION:
            raise ValueError(f"saved position has version {_shown(version)}; this unknot reads 1")
        for key in ("routine_id", "stretch_index", "phase", "plan"):
            if key not in data:
                raise ValueError(f"saved position has no {key!r}")
        side = _text(data.get("side", ""), "side", ("", "right", "left"))
        rest_kind = _text(data.get("rest_kind", ""), "rest_kind", ("", "rep", "stretch"))
        phase = Phase(_text(data["phase"], "phase", [p.value for p in Phase]))
        waiting = data.get("waiting", False)
        if not isinstance(waiting, bool):
            raise ValueError(f"waiting must be true or false, not {_shown(waiting)}")
        started_at = data.get("started_at", "")
        running = phase not in (Phase.IDLE, Phase.DONE, Phase.STOPPED)
        if _moment(started_at, "started_at") is None and running:
            # without it the session, resumed, could not be recorded in the history at its end
            raise ValueError(f"started_at must be given for a session in phase {phase}")
        session_id = data.get("session_id", "")
        if session_id != "" and not is_session_id(session_id):
            raise ValueError(
                f"session_id must be 1 to {SESSION_ID_LENGTH} letters, digits, - or _, "
                f"not {_shown(session_id)}"
            )
        plan = read_plan(data["plan"], "plan")
        raw_counts = data.get("counts", [{} for _ in plan])
        if not isinstance(raw_counts, list) or len(raw_counts) != len(plan):
            raise ValueError("counts must be a list with one table per stretch of the plan")
        counts = tuple(
            StretchCounts.from_dict(item, f"counts[{number}]")
            for number, item in enumerate(raw_counts, start=1)
        )
        stretch_index = _integer(data["stretch_index"], "stretch_index")
        if stretch_index >= len(plan):
            raise ValueError(
                f"stretch_index {_shown(stretch_index)} is out of range for a plan of "
                f"{len(plan)} stretches"
            )
        position = cls(
            routine_id=_text(data["routine_id"], "routine_id"),
            stretch_index=stretch_index,
            side="right" if side == "right" else "left" if side == "left" else None,
            rep=_integer(data.get("rep", 0), "rep", 0, REPS_BOUNDS[1]),
            phase=phase,
            seconds_left=_seconds(data.get("seconds_left", 0.0), "seconds_left"),
            plan=plan,
            counts=counts,
            elapsed=_seconds(data.get("elapsed", 0.0), "elapsed"),
            paused_seconds=_seconds(data.get("paused_seconds", 0.0), "paused_seconds"),
            rest_kind="rep"
            if rest_kind == "rep"
            else "stretch"
            if rest_kind == "stretch"
            else None,
            waiting=waiting,
            started_at=started_at,
            session_id=session_id,
        )
        if routine is not None:
            position.check(routine)
        return position

    def check(self, routine: Routine) -> None:
        """Raise ValueError unless this position can be resumed on `routine`."""
        if self.routine_id != routine.id:
            raise ValueError(
                f"the saved position is for routine {self.routine_id!r}, not {routine.id!r}"
            )
        count = len(routine.stretches)
        if len(self.plan) != count or len(self.counts) != count:
            raise ValueError(
                f"the saved position has {len(self.plan)} stretches; routine {routine.id!r} "
                f"now has {count}"
            )
        if not 0 <= self.stretch_index < count:
            raise ValueError(
                f"stretch_index {self.stretch_index} is out of range for routine "
                f"{routine.id!r} ({count} stretches)"
            )
        check_plan(routine, self.plan)
        for number, (stretch, chosen, counts) in enumerate(
            zip(routine.stretches, self.plan, self.counts, strict=True), start=1
        ):
            allowed = side_keys(stretch)
            for side, rep in (*counts.done, *counts.skipped):
                if side not in allowed:
                    raise ValueError(
                        f"counts[{number}] names side {side!r}; stretch {stretch.id!r} "
                        f"has {', '.join(allowed)}"
                    )
                if rep > chosen.reps:
                    raise ValueError(
                        f"counts[{number}] has rep {rep} but only {chosen.reps} are planned"
                    )
        if self.phase in (Phase.IDLE, Phase.DONE):
            return
        steps = plan_steps(routine, self.plan)
        if self.phase == Phase.STOPPED:
            if stopped_index(steps, self) is None:
                raise ValueError("the saved position names a side or rep the routine does not have")
            return
        key = (self.phase, self.stretch_index, self.side, self.rep, self.rest_kind)
        step = next((s for s in steps if s.key == key), None)
        if step is None:
            side = f" {self.side} side" if self.side else ""
            raise ValueError(
                f"routine {routine.id!r} has no {self.phase} phase at stretch "
                f"{self.stretch_index + 1}{side} rep {self.rep}"
            )
        if step.waiting != self.waiting:
            raise ValueError("the saved position's waiting flag does not match the routine")
        if self.seconds_left > step.length:
            raise ValueError(
                f"seconds_left {self.seconds_left} is longer than the phase ({step.length} s)"
            )


def stopped_index(steps: Sequence[Step], position: Position) -> int | None:
    """The phase a stopped session was in (any phase with the same stretch, side, rep and rest
    kind shows the same snapshot)."""
    for index, step in enumerate(steps):
        if (step.stretch_index, step.side, step.rep, step.rest_kind) == (
            position.stretch_index,
            position.side,
            position.rep,
            position.rest_kind,
        ):
            return index
    return None


__all__ = ["Position", "StretchCounts", "read_plan", "stopped_index"]
