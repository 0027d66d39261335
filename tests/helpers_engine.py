"""Helpers for the engine tests: a clock whose sleep moves time on at once, routines shaped like
the built-in one, and a walker that records the phases a routine goes through."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from tui.core.engine import Engine
from tui.core.model import Advance, Routine, Side, Sides, Span, Stretch, StretchPlan
from tui.core.steps import Phase

WALL_START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

Row = tuple[Phase, Side | None, int, int]
"""One phase as the tests write it: (phase, side, rep, seconds); 0 seconds is a wait."""


class FakeClock:
    """Monotonic time that moves only when told to; `sleep` moves it on at once.

    `oversleep` (seconds, called per sleep) makes each sleep end late, as a busy machine would.
    Values are kept to binary fractions in the tests so float sums are exact.
    """

    def __init__(self, start: float = 1000.0, oversleep: Callable[[], float] | None = None):
        self.start = start
        self.now = start
        self.sleeps: list[float] = []
        self._oversleep = oversleep

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        extra = self._oversleep() if self._oversleep is not None else 0.0
        self.now += max(0.0, seconds) + extra
        await asyncio.sleep(0)

    def wall(self) -> datetime:
        return WALL_START + timedelta(seconds=self.now - self.start)


def make_engine(
    routine: Routine, clock: FakeClock, plan: tuple[StretchPlan, ...] | None = None
) -> Engine:
    return Engine(routine, plan, clock=clock, sleep=clock.sleep, wall=clock.wall)


def stretch(
    id: str,
    hold: int | tuple[int, int],
    reps: int | tuple[int, int],
    sides: Sides = "none",
    *,
    first_side: Side = "right",
    switch_seconds: int = 3,
    rest_between_reps: int = 3,
    advance: Advance = "auto",
) -> Stretch:
    def span(value: int | tuple[int, int]) -> Span:
        return Span(*value) if isinstance(value, tuple) else Span.exactly(value)

    return Stretch(
        id=id,
        name=id.replace("-", " ").capitalize(),
        steps=("Do it.",),
        hold_seconds=span(hold),
        reps=span(reps),
        sides=sides,
        first_side=first_side,
        switch_seconds=switch_seconds,
        rest_between_reps=rest_between_reps,
        advance=advance,
    )


KNEE = stretch("knee-to-chest", 10, (3, 5), "each")
TRUNK = stretch("trunk-rotations", (3, 5), (5, 10), "alternate", rest_between_reps=0)
PRONE = stretch("prone-back-extension", 30, 3)
HAMSTRING = stretch("hamstring", 15, 3, "each")


def back_routine() -> Routine:
    """Built like routines/back-spasm-relief.toml, from the model alone."""
    return Routine(
        id="back-spasm-relief",
        name="Back spasm relief",
        stretches=(KNEE, TRUNK, PRONE, HAMSTRING),
        prepare_seconds=5,
        rest_seconds=15,
    )


def one(s: Stretch, prepare: int = 5, rest: int = 15) -> Routine:
    return Routine(id=s.id, name=s.name, stretches=(s,), prepare_seconds=prepare, rest_seconds=rest)


def walk(engine: Engine, clock: FakeClock, limit: int = 10_000) -> list[tuple[int, Row]]:
    """Start the engine and let each phase run out exactly (pressing ready at every wait),
    recording (stretch index, row) as each phase begins."""
    rows: list[tuple[int, Row]] = []
    engine.start()
    for _ in range(limit):
        snap = engine.snapshot
        if snap.phase == Phase.DONE:
            return rows
        rows.append((snap.stretch_index, (snap.phase, snap.side, snap.rep, snap.phase_seconds)))
        if snap.waiting:
            engine.ready()
        else:
            clock.advance(snap.phase_seconds)
            engine.tick()
    raise AssertionError("the routine did not finish")


def rows_of(walked: list[tuple[int, Row]], stretch_index: int) -> list[Row]:
    return [row for index, row in walked if index == stretch_index]


@st.composite
def routines(
    draw: st.DrawFn, most_stretches: int = 4, most_reps: int = 6, longest: int = 30
) -> tuple[Routine, tuple[StretchPlan, ...]]:
    """A small valid routine of any shape, with a plan for it."""
    count = draw(st.integers(1, most_stretches))
    stretches = []
    plan = []
    for number in range(count):
        stretches.append(
            stretch(
                f"s{number}",
                draw(st.integers(1, longest)),
                draw(st.integers(1, most_reps)),
                draw(st.sampled_from(["none", "each", "alternate"])),
                first_side=draw(st.sampled_from(["right", "left"])),
                switch_seconds=draw(st.integers(0, 5)),
                rest_between_reps=draw(st.integers(0, 5)),
                advance=draw(st.sampled_from(["auto", "manual"])),
            )
        )
        plan.append(StretchPlan(draw(st.integers(1, longest)), draw(st.integers(1, most_reps))))
    routine = Routine(
        id="r",
        name="R",
        stretches=tuple(stretches),
        prepare_seconds=draw(st.integers(0, 6)),
        rest_seconds=draw(st.integers(0, 20)),
    )
    return routine, tuple(plan)
