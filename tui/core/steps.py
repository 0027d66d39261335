"""A routine laid out as a flat list of steps: every get-ready, hold, switch and rest in the
order they come, for a plan (the hold and reps chosen for each stretch).

The engine walks these steps; a saved position names one of them and is checked against them.
No clock and no state here: the same routine and plan always give the same steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from tui.core.model import HOLD_BOUNDS, REPS_BOUNDS, Routine, Side, Stretch, StretchPlan


class Phase(StrEnum):
    """Where a session is: a step's phase (prepare, hold, switch, rest), or before, after or
    stopped."""

    IDLE = "idle"
    PREPARE = "prepare"
    HOLD = "hold"
    SWITCH = "switch"
    REST = "rest"
    DONE = "done"
    STOPPED = "stopped"


RestKind = Literal["rep", "stretch"]
"""A rest between two reps of one stretch, or between two stretches."""

StepKey = tuple[Phase, int, Side | None, int, RestKind | None]
"""What tells one step from another: phase, stretch index, side, rep and rest kind."""


@dataclass(frozen=True, slots=True, eq=False)
class Step:
    """One planned phase; `side` and `rep` name the hold it leads to (or is).

    Steps are matched by `key`, never compared whole (so no __eq__ or __hash__ is made)."""

    phase: Phase
    stretch_index: int
    side: Side | None
    rep: int
    length: int
    rest_kind: RestKind | None = None
    waiting: bool = False

    @property
    def key(self) -> StepKey:
        return (self.phase, self.stretch_index, self.side, self.rep, self.rest_kind)


def hold_order(stretch: Stretch, reps: int) -> list[tuple[Side | None, int]]:
    """The holds of one stretch in the order they are done, as (side, rep)."""
    if stretch.sides == "none":
        return [(None, rep) for rep in range(1, reps + 1)]
    sides: tuple[Side | None, ...] = stretch.side_order
    if stretch.sides == "each":
        return [(side, rep) for side in sides for rep in range(1, reps + 1)]
    return [(side, rep) for rep in range(1, reps + 1) for side in sides]


def plan_steps(routine: Routine, plan: Sequence[StretchPlan]) -> tuple[Step, ...]:
    """Every step of `routine` done with `plan`, in order (`check_plan` it first)."""
    steps: list[Step] = []
    for index, (stretch, chosen) in enumerate(zip(routine.stretches, plan, strict=True)):
        if index > 0 and routine.rest_seconds > 0:
            steps.append(Step(Phase.REST, index, None, 1, routine.rest_seconds, "stretch"))
        holds = hold_order(stretch, chosen.reps)
        manual = stretch.advance == "manual"
        if not manual and routine.prepare_seconds > 0:
            side, rep = holds[0]
            steps.append(Step(Phase.PREPARE, index, side, rep, routine.prepare_seconds))
        previous_side: Side | None = None
        for number, (side, rep) in enumerate(holds):
            if number > 0:
                if side != previous_side:
                    if stretch.switch_seconds > 0:
                        steps.append(Step(Phase.SWITCH, index, side, rep, stretch.switch_seconds))
                elif stretch.rest_between_reps > 0:
                    steps.append(
                        Step(Phase.REST, index, side, rep, stretch.rest_between_reps, "rep")
                    )
            if manual:
                steps.append(Step(Phase.PREPARE, index, side, rep, 0, waiting=True))
            steps.append(Step(Phase.HOLD, index, side, rep, chosen.hold_seconds))
            previous_side = side
    return tuple(steps)


def plan_phases(
    routine: Routine, plan: Sequence[StretchPlan] | None = None
) -> list[tuple[Phase, int, Side | None, int, int]]:
    """The planned phases as (phase, stretch index, side, rep, seconds); 0 seconds = a wait."""
    chosen = tuple(plan) if plan is not None else routine.default_plan()
    return [
        (s.phase, s.stretch_index, s.side, s.rep, s.length) for s in plan_steps(routine, chosen)
    ]


def side_key(side: Side | None) -> str:
    """A side as counts name it: "right", "left", or "none" for a stretch without sides."""
    return side if side is not None else "none"


def side_keys(stretch: Stretch) -> tuple[str, ...]:
    """The sides a stretch's counts name, in the order they are done."""
    return stretch.side_order if stretch.sides != "none" else ("none",)


def check_plan(routine: Routine, plan: Sequence[StretchPlan]) -> tuple[StretchPlan, ...]:
    """`plan` as a tuple, or ValueError unless it has one hold and reps per stretch of
    `routine`, each within the format's bounds."""
    chosen = tuple(plan)
    if len(chosen) != len(routine.stretches):
        raise ValueError(
            f"the plan has {len(chosen)} stretches but routine {routine.id!r} "
            f"has {len(routine.stretches)}"
        )
    for number, item in enumerate(chosen, start=1):
        if not HOLD_BOUNDS[0] <= item.hold_seconds <= HOLD_BOUNDS[1]:
            raise ValueError(
                f"stretch {number}: hold of {item.hold_seconds} s is outside "
                f"{HOLD_BOUNDS[0]}-{HOLD_BOUNDS[1]}"
            )
        if not REPS_BOUNDS[0] <= item.reps <= REPS_BOUNDS[1]:
            raise ValueError(
                f"stretch {number}: {item.reps} reps is outside {REPS_BOUNDS[0]}-{REPS_BOUNDS[1]}"
            )
    return chosen
