"""The async driver: whole routines on a fake clock, no drift over 1,000 phases even when every
sleep ends late, no wake-ups while paused or waiting, and controls that wake it at once."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence

from helpers_engine import KNEE, FakeClock, back_routine, make_engine, one, stretch

from tui.core.engine import Engine, Event, Snapshot
from tui.core.model import Routine, StretchPlan, routine_seconds
from tui.core.steps import Phase, plan_phases


async def settle(rounds: int = 50) -> None:
    """Let every other task run as far as it can."""
    for _ in range(rounds):
        await asyncio.sleep(0)


async def test_a_whole_routine_runs_from_start_to_done_on_the_fake_clock() -> None:
    clock = FakeClock()
    routine = back_routine()
    engine = make_engine(routine, clock)
    heard: list[Snapshot] = []
    engine.subscribe(lambda s, ev: heard.append(s))
    engine.start()
    summary = await engine.run()
    total = routine_seconds(routine)
    assert summary.finished
    assert summary.total_seconds == total
    assert clock.now - clock.start == total
    for stretch_summary, chosen in zip(summary.stretches, routine.default_plan(), strict=True):
        assert set(stretch_summary.reps_done.values()) == {chosen.reps}
    # one wake-up per displayed second, never more
    assert clock.sleeps == [1.0] * total
    # a listener heard every whole second of the countdown
    assert len(heard) == total + 1
    assert heard[-1].phase == Phase.DONE


async def test_run_waits_for_start() -> None:
    clock = FakeClock()
    engine = make_engine(one(KNEE), clock)
    task = asyncio.ensure_future(engine.run())
    await settle()
    assert not task.done()
    assert clock.sleeps == []
    engine.start()
    summary = await task
    assert summary.finished
    assert summary.total_seconds == 80


async def test_no_drift_over_1000_phases_when_every_sleep_ends_late() -> None:
    rng = random.Random(20261125)
    stretches = tuple(
        stretch(f"s{i}", rng.randint(1, 4), 25, rng.choice(["none", "each", "alternate"]))
        for i in range(20)
    )
    routine = Routine(
        id="long", name="Long", stretches=stretches, prepare_seconds=2, rest_seconds=3
    )
    plan = tuple(StretchPlan(rng.randint(1, 3), 16) for _ in stretches)
    planned = plan_phases(routine, plan)
    assert len(planned) >= 1000
    # each sleep ends up to just under a second late, in binary fractions so sums are exact
    clock = FakeClock(oversleep=lambda: rng.randrange(0, 64) / 64)
    engine = make_engine(routine, clock, plan)
    began: list[Event] = []
    engine.subscribe(lambda s, ev: began.extend(e for e in ev if e.kind == "phase-began"))
    engine.start()
    summary = await engine.run()
    deadlines = []
    at = 0
    for *_, length in planned:
        deadlines.append(at)
        at += length
    assert [e.elapsed for e in began] == deadlines
    assert [(e.phase, e.stretch_index, e.side, e.rep) for e in began] == [
        (phase, index, side, rep) for phase, index, side, rep, _ in planned
    ]
    assert summary.total_seconds == routine_seconds(routine, plan) == at
    done = [e for e in engine.events if e.kind == "done"]
    assert len(done) == 1
    assert done[0].elapsed == at
    # the sleeps really were late, and the engine asked for shorter ones to catch up
    assert any(0 < s < 1 for s in clock.sleeps)


async def test_no_wake_ups_while_paused() -> None:
    clock = FakeClock()
    engine = make_engine(one(KNEE), clock)

    def pause_at_first_hold(snapshot: Snapshot, events: Sequence[Event]) -> None:
        began = any(e.kind == "phase-began" for e in events)
        if began and (snapshot.phase, snapshot.side, snapshot.rep) == (Phase.HOLD, "right", 1):
            engine.pause()

    engine.subscribe(pause_at_first_hold)
    engine.start()
    task = asyncio.ensure_future(engine.run())
    await settle()
    assert engine.snapshot.paused
    sleeps = len(clock.sleeps)
    assert sleeps == 5
    await settle(500)
    assert len(clock.sleeps) == sleeps
    assert not task.done()
    clock.advance(3600)
    await settle()
    assert len(clock.sleeps) == sleeps
    assert engine.snapshot.seconds_left == 10
    engine.resume()
    summary = await task
    assert summary.finished
    assert summary.paused_seconds == 3600
    assert summary.total_seconds == 80


async def test_no_wake_ups_while_waiting_for_ready() -> None:
    clock = FakeClock()
    engine = make_engine(one(stretch("s", 3, 2, advance="manual")), clock)
    engine.start()
    task = asyncio.ensure_future(engine.run())
    await settle(200)
    assert clock.sleeps == []
    assert engine.snapshot.waiting
    engine.ready()
    await settle()
    assert clock.sleeps == [1.0] * 6  # hold 3 and rest 3, then the next wait
    assert engine.snapshot.waiting
    engine.ready()
    summary = await task
    assert summary.finished
    assert summary.total_seconds == 9


async def test_a_late_wake_aims_at_the_next_whole_second() -> None:
    clock = FakeClock(oversleep=lambda: 0.25)
    engine = make_engine(one(stretch("s", 3, 1), prepare=0), clock)
    engine.start()
    await engine.run()
    # 3 s hold: first sleep 1 s ends at 1.25, then 0.75 to reach 2, then 0.75 to reach 3
    assert clock.sleeps == [1.0, 0.75, 0.75]


class StuckSleep:
    """A sleep that never ends by itself: only a control can wake the driver."""

    def __init__(self) -> None:
        self.started = 0
        self.cancelled = 0

    async def __call__(self, seconds: float) -> None:
        self.started += 1
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise


async def test_controls_wake_the_driver_and_the_losing_wait_is_cancelled() -> None:
    clock = FakeClock()
    sleep = StuckSleep()
    engine = Engine(one(KNEE), clock=clock, sleep=sleep, wall=clock.wall)
    heard: list[Phase] = []
    engine.subscribe(lambda s, ev: heard.append(s.phase))
    engine.start()
    task = asyncio.ensure_future(engine.run())
    await settle()
    assert sleep.started == 1
    engine.next()
    await settle()
    assert engine.snapshot.phase == Phase.HOLD
    assert (sleep.started, sleep.cancelled) == (2, 1)
    clock.advance(10)  # time passes but the sleep has not ended: a tick is still caught up
    engine.tick()
    assert engine.snapshot.phase == Phase.REST
    engine.stop()
    summary = await task
    assert not summary.finished
    await settle()
    assert sleep.cancelled == sleep.started
    assert heard[-1] == Phase.STOPPED


async def test_run_after_done_returns_at_once() -> None:
    clock = FakeClock()
    engine = make_engine(one(stretch("s", 1, 1), prepare=0), clock)
    engine.start()
    engine.next()
    summary = await engine.run()
    assert summary.finished
    assert clock.sleeps == []


async def test_cancelling_run_leaves_no_task_behind() -> None:
    clock = FakeClock()
    sleep = StuckSleep()
    engine = Engine(one(KNEE), clock=clock, sleep=sleep, wall=clock.wall)
    engine.start()
    task = asyncio.ensure_future(engine.run())
    await settle()
    task.cancel()
    await settle()
    assert task.cancelled()
    assert sleep.cancelled == sleep.started == 1


async def test_closing_run_mid_countdown_ends_it_without_awaiting_again() -> None:
    clock = FakeClock()
    sleep = StuckSleep()
    engine = Engine(one(KNEE), clock=clock, sleep=sleep, wall=clock.wall)
    engine.start()
    running = engine.run()
    task = asyncio.ensure_future(running)
    await settle()
    assert sleep.started == 1
    # what Python does to the coroutine of a pending task it collects: close it where it
    # waits; awaiting the helpers there would raise "coroutine ignored GeneratorExit"
    running.close()
    await settle()
    assert sleep.cancelled == sleep.started == 1
    task.cancel()  # the task is left waiting on nothing; its cancellation ends it
    await settle()
    assert task.done()
