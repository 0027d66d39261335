"""Random small routines under random controls and clock moves: the engine never raises, never
counts more reps than planned, never lets elapsed time go backwards, and reaches done exactly once
unless stopped. Driven synchronously through tick() on a fake clock."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import replace

import tomli_w
from helpers_engine import FakeClock, make_engine, routines
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tui.core.engine import Engine, Event, Snapshot
from tui.core.model import HOLD_BOUNDS, REPS_BOUNDS, Routine, StretchPlan
from tui.core.position import Position
from tui.core.steps import Phase


class EngineMachine(RuleBasedStateMachine):
    clock: FakeClock
    engine: Engine
    routine: Routine

    @initialize(drawn=routines(most_stretches=3, most_reps=4, longest=8), started=st.booleans())
    def setup(self, drawn: tuple[Routine, tuple[StretchPlan, ...]], started: bool) -> None:
        self.routine, plan = drawn
        self.clock = FakeClock()
        self.dones = 0
        self.stopped = False
        self.last_elapsed = 0.0
        self.attach(make_engine(self.routine, self.clock, plan))
        if started:
            self.engine.start()

    def attach(self, engine: Engine) -> None:
        self.engine = engine
        engine.subscribe(self.hear)

    def hear(self, snapshot: Snapshot, events: Sequence[Event]) -> None:
        self.dones += sum(1 for e in events if e.kind == "done")

    # -- moves -----------------------------------------------------------------------------

    @rule(quarters=st.integers(0, 120))
    def time_passes(self, quarters: int) -> None:
        self.clock.advance(quarters / 4)
        self.engine.tick()

    @rule(index=st.integers(0, 2))
    def start(self, index: int) -> None:
        if index < len(self.routine.stretches):
            self.engine.start(index)

    @rule()
    def ready(self) -> None:
        self.engine.ready()

    @rule()
    def pause(self) -> None:
        self.engine.pause()

    @rule()
    def resume(self) -> None:
        self.engine.resume()

    @rule()
    def toggle_pause(self) -> None:
        self.engine.toggle_pause()

    @rule()
    def next(self) -> None:
        self.engine.next()

    @rule()
    def previous(self) -> None:
        self.engine.previous()

    @rule()
    def restart_stretch(self) -> None:
        self.engine.restart_stretch()

    @rule(index=st.integers(0, 2))
    def jump(self, index: int) -> None:
        if index < len(self.routine.stretches):
            self.engine.jump(index)

    @rule()
    def stop(self) -> None:
        self.engine.stop()

    @rule(
        hold=st.one_of(st.none(), st.integers(-3, 10), st.integers(3590, 4000)),
        reps=st.one_of(st.none(), st.integers(-1, 6), st.integers(95, 120)),
        index=st.one_of(st.none(), st.integers(0, 2)),
    )
    def adjust(self, hold: int | None, reps: int | None, index: int | None) -> None:
        if index is not None and index >= len(self.routine.stretches):
            return
        chosen = self.engine.adjust(hold_seconds=hold, reps=reps, stretch_index=index)
        assert HOLD_BOUNDS[0] <= chosen.hold_seconds <= HOLD_BOUNDS[1]
        assert REPS_BOUNDS[0] <= chosen.reps <= REPS_BOUNDS[1]

    @rule()
    def save_and_resume(self) -> None:
        before = self.engine.snapshot
        data = tomllib.loads(tomli_w.dumps(self.engine.position().to_dict()))
        position = Position.from_dict(data, self.routine)
        engine = Engine.resume_from(
            self.routine, position, clock=self.clock, sleep=self.clock.sleep, wall=self.clock.wall
        )
        running = before.phase not in (Phase.IDLE, Phase.DONE, Phase.STOPPED)
        assert engine.snapshot == replace(before, paused=running)
        self.attach(engine)

    # -- what must always hold ---------------------------------------------------------------

    @invariant()
    def consistent(self) -> None:
        snap = self.engine.snapshot
        assert snap.elapsed >= self.last_elapsed
        self.last_elapsed = snap.elapsed
        assert snap.remaining >= 0
        assert snap.total == snap.elapsed + snap.remaining
        assert 0 <= snap.seconds_left <= snap.phase_seconds
        assert 0 <= snap.stretch_index < snap.stretch_count == len(self.routine.stretches)
        assert len(snap.stretch_states) == len(snap.plan) == snap.stretch_count
        for stretch_summary, chosen in zip(self.engine.summary.stretches, snap.plan, strict=True):
            assert stretch_summary.reps_planned == chosen.reps
            for done in stretch_summary.reps_done.values():
                assert 0 <= done <= chosen.reps
            assert stretch_summary.held_seconds >= 0
        self.stopped = self.stopped or snap.phase == Phase.STOPPED
        assert self.dones == (1 if snap.phase == Phase.DONE else 0)
        if snap.phase == Phase.DONE:
            assert self.engine.summary.finished
            assert (snap.remaining, snap.seconds_left) == (0, 0)

    def teardown(self) -> None:
        if not hasattr(self, "engine"):
            return
        engine = self.engine
        if self.stopped:
            assert self.dones == 0
            return
        engine.start()
        for _ in range(2000):
            snap = engine.snapshot
            if snap.phase == Phase.DONE:
                break
            engine.resume()
            engine.ready()
            self.clock.advance(snap.remaining + 0.25)
            engine.tick()
        assert engine.snapshot.phase == Phase.DONE
        assert self.dones == 1
        summary = engine.summary
        assert summary.finished
        assert summary.total_seconds == engine.snapshot.elapsed


EngineMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=25, deadline=None)
TestEngineProperties = EngineMachine.TestCase
