"""Saving a position and resuming from it: TOML round trips, the same snapshot afterwards, and
clear errors for saved data that is broken or belongs to another routine."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from typing import Any

import pytest
import tomli_w
from helpers_engine import FakeClock, back_routine, make_engine, one, stretch

from tui.core.engine import Engine, Snapshot
from tui.core.model import Routine, StretchPlan
from tui.core.position import Position
from tui.core.steps import Phase


def through_toml(position: Position, routine: Routine | None = None) -> Position:
    return Position.from_dict(tomllib.loads(tomli_w.dumps(position.to_dict())), routine)


def resumed(engine: Engine, clock: FakeClock, position: Position | None = None) -> Engine:
    """A new engine from the engine's position (saved now, unless given), through TOML."""
    position = through_toml(position or engine.position(), engine.routine)
    return Engine.resume_from(
        engine.routine, position, clock=clock, sleep=clock.sleep, wall=clock.wall
    )


def paused(snapshot: Snapshot) -> Snapshot:
    return replace(snapshot, paused=snapshot.phase not in (Phase.IDLE, Phase.DONE, Phase.STOPPED))


def toml_values_only(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and toml_values_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(toml_values_only(v) for v in value)
    return isinstance(value, str | int | float | bool)


@pytest.mark.parametrize(
    "seconds",
    [0, 2.5, 5, 17.25, 96.5, 160, 250.75, 397.5],
    ids=lambda s: f"{s}s",
)
def test_resuming_a_saved_position_gives_the_same_snapshot(seconds: float) -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(1)
    engine.pause()
    clock.advance(4)
    engine.resume()
    engine.adjust(reps=4, stretch_index=3)
    clock.advance(seconds)
    engine.tick()
    if seconds > 20:
        engine.next()  # leave a skipped hold or rest in the counts
    before = engine.snapshot
    position = engine.position()
    data = position.to_dict()
    assert toml_values_only(data)
    clock.advance(1000)  # time passes between saving and resuming
    again = resumed(engine, clock, position)
    assert again.snapshot == paused(before)
    assert again.position().to_dict() == data
    assert again.summary.paused_seconds == 4
    # and it carries on from there to the end
    again.resume()
    clock.advance(10_000)
    again.tick()
    assert again.snapshot.phase == Phase.DONE
    assert again.snapshot.elapsed == before.remaining + before.elapsed


def test_resuming_while_paused_and_waiting_for_ready() -> None:
    clock = FakeClock()
    routine = one(stretch("s", 3, 2, "alternate", advance="manual"))
    engine = make_engine(routine, clock)
    engine.start()
    engine.ready()
    clock.advance(3 + 3)
    engine.tick()
    engine.pause()
    before = engine.snapshot
    assert before.waiting
    position = through_toml(engine.position(), routine)
    assert (position.phase, position.waiting, position.side) == (Phase.PREPARE, True, "left")
    again = Engine.resume_from(routine, position, clock=clock, sleep=clock.sleep, wall=clock.wall)
    assert again.snapshot == before
    again.ready()
    assert again.snapshot.phase == Phase.HOLD
    assert not again.snapshot.paused


def test_resuming_the_rest_between_stretches() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(84.5)
    engine.tick()
    assert engine.snapshot.rest_kind == "stretch"
    position = through_toml(engine.position())
    assert (position.phase, position.rest_kind, position.seconds_left) == (
        Phase.REST,
        "stretch",
        10.5,
    )
    assert resumed(engine, clock).snapshot == paused(engine.snapshot)


@pytest.mark.parametrize("how", ["idle", "done", "stopped"])
def test_positions_outside_a_running_session_round_trip(how: str) -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    if how != "idle":
        engine.start()
        clock.advance(500 if how == "done" else 100)
        engine.tick()
    if how == "stopped":
        engine.stop()
    again = resumed(engine, clock)
    assert again.snapshot == engine.snapshot
    assert again.summary.stretches == engine.summary.stretches
    assert again.summary.finished == (how == "done")


def test_resumed_elapsed_never_goes_backwards_and_events_continue() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(33.25)
    engine.tick()
    again = resumed(engine, clock)
    assert again.events == ()
    assert again.snapshot.elapsed == 33.25
    again.resume()
    clock.advance(0.5)
    assert again.snapshot.elapsed == 33.75
    assert [e.kind for e in again.events] == ["resumed"]
    assert again.events[0].elapsed == 33.25


def test_position_has_the_documented_fields() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(5 + 10 + 1)
    position = engine.position()
    assert (position.routine_id, position.stretch_index, position.side, position.rep) == (
        "back-spasm-relief",
        0,
        "right",
        2,
    )
    assert (position.phase, position.seconds_left, position.elapsed) == (Phase.REST, 2.0, 16.0)
    assert position.plan == back_routine().default_plan()
    assert position.counts[0].done == (("right", 1),)
    assert position.counts[0].held_seconds == 10
    data = position.to_dict()
    assert data["side"] == "right"
    assert data["counts"][0]["done"] == {"right": [1]}
    assert data["plan"][0] == {"hold_seconds": 10, "reps": 3}
    assert Position.from_dict(data) == position


def good_data() -> dict[str, Any]:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(20)
    return engine.position().to_dict()


def changed(**changes: Any) -> dict[str, Any]:
    data = good_data()
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a table"),
        (changed(routine_id=None), "no 'routine_id'"),
        (changed(phase="stretching"), "phase must be one of"),
        (changed(side="up"), "side must be one of"),
        (changed(stretch_index=True), "stretch_index must be a whole number"),
        (changed(stretch_index=-1), "stretch_index must be at least 0"),
        (changed(stretch_index=4), "stretch_index 4 is out of range"),
        (changed(rep="2"), "rep must be a whole number"),
        (changed(seconds_left=-1.0), "seconds_left must be a finite number"),
        (changed(elapsed=float("nan")), "elapsed must be a finite number"),
        (changed(waiting="no"), "waiting must be true or false"),
        (changed(plan=[]), "plan must be a non-empty list"),
        (changed(plan=[{"hold_seconds": 0, "reps": 3}] * 4), r"plan\[1\].hold_seconds"),
        (
            changed(plan=[{"hold_seconds": 5, "reps": 500}] * 4),
            r"plan\[1\].reps must be at most 100, not 500",
        ),
        (changed(counts=[{}]), "one table per stretch"),
        (changed(counts=[{"done": {"middle": [1]}}] * 4), "unknown side 'middle'"),
        (changed(counts=[{"done": {"right": [0]}}] * 4), "must be at least 1"),
        (changed(started_at="yesterday"), "not a date and time"),
        (changed(version=2), "version 2"),
        (changed(rest_kind="nap"), "rest_kind must be one of"),
    ],
)
def test_bad_saved_data_is_refused_with_a_clear_message(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Position.from_dict(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (changed(routine_id="other"), "for routine 'other', not 'back-spasm-relief'"),
        (changed(rep=7), "no hold phase at stretch 1 right side rep 7"),
        (changed(phase="switch"), "no switch phase at stretch 1 right side rep 2"),
        (changed(seconds_left=99.0), "longer than the phase"),
        (changed(counts=[{"done": {"none": [1]}}] * 4), "names side 'none'"),
        (changed(counts=[{"done": {"right": [9]}}] * 4), "has rep 9 but only 3 are planned"),
        (changed(waiting=True), "waiting flag"),
    ],
)
def test_saved_data_that_does_not_fit_the_routine_is_refused(data: Any, message: str) -> None:
    position = Position.from_dict(data)
    with pytest.raises(ValueError, match=message):
        Engine.resume_from(back_routine(), position)
    with pytest.raises(ValueError, match=message):
        Position.from_dict(data, back_routine())


def test_a_position_for_a_routine_that_lost_stretches_is_refused() -> None:
    data = good_data()
    smaller = replace(back_routine(), stretches=back_routine().stretches[:2])
    with pytest.raises(ValueError, match="has 4 stretches; routine 'back-spasm-relief' now has 2"):
        Position.from_dict(data, smaller)


def test_a_changed_plan_is_kept_on_resume() -> None:
    clock = FakeClock()
    engine = make_engine(
        back_routine(), clock, (StretchPlan(4, 1), *back_routine().default_plan()[1:])
    )
    engine.start()
    again = resumed(engine, clock)
    assert again.snapshot.plan[0] == StretchPlan(4, 1)
    assert again.snapshot.remaining == engine.snapshot.remaining
