"""The order of phases: each built-in stretch step by step, each sides mode, manual advance,
skipped zero-length phases, and the estimate that must match the plan."""

from __future__ import annotations

import pytest
from helpers_engine import (
    HAMSTRING,
    KNEE,
    PRONE,
    TRUNK,
    FakeClock,
    Row,
    back_routine,
    make_engine,
    one,
    routines,
    rows_of,
    stretch,
    walk,
)
from hypothesis import given, settings

from tui.core.model import Routine, StretchPlan, routine_seconds
from tui.core.steps import Phase, plan_phases

PREPARE, HOLD, SWITCH, REST = Phase.PREPARE, Phase.HOLD, Phase.SWITCH, Phase.REST

KNEE_ROWS: list[Row] = [
    (PREPARE, "right", 1, 5),
    (HOLD, "right", 1, 10),
    (REST, "right", 2, 3),
    (HOLD, "right", 2, 10),
    (REST, "right", 3, 3),
    (HOLD, "right", 3, 10),
    (SWITCH, "left", 1, 3),
    (HOLD, "left", 1, 10),
    (REST, "left", 2, 3),
    (HOLD, "left", 2, 10),
    (REST, "left", 3, 3),
    (HOLD, "left", 3, 10),
]

TRUNK_ROWS: list[Row] = [
    (PREPARE, "right", 1, 5),
    (HOLD, "right", 1, 3),
    (SWITCH, "left", 1, 3),
    (HOLD, "left", 1, 3),
    (SWITCH, "right", 2, 3),
    (HOLD, "right", 2, 3),
    (SWITCH, "left", 2, 3),
    (HOLD, "left", 2, 3),
    (SWITCH, "right", 3, 3),
    (HOLD, "right", 3, 3),
    (SWITCH, "left", 3, 3),
    (HOLD, "left", 3, 3),
    (SWITCH, "right", 4, 3),
    (HOLD, "right", 4, 3),
    (SWITCH, "left", 4, 3),
    (HOLD, "left", 4, 3),
    (SWITCH, "right", 5, 3),
    (HOLD, "right", 5, 3),
    (SWITCH, "left", 5, 3),
    (HOLD, "left", 5, 3),
]

PRONE_ROWS: list[Row] = [
    (PREPARE, None, 1, 5),
    (HOLD, None, 1, 30),
    (REST, None, 2, 3),
    (HOLD, None, 2, 30),
    (REST, None, 3, 3),
    (HOLD, None, 3, 30),
]

HAMSTRING_ROWS: list[Row] = [
    (PREPARE, "right", 1, 5),
    (HOLD, "right", 1, 15),
    (REST, "right", 2, 3),
    (HOLD, "right", 2, 15),
    (REST, "right", 3, 3),
    (HOLD, "right", 3, 15),
    (SWITCH, "left", 1, 3),
    (HOLD, "left", 1, 15),
    (REST, "left", 2, 3),
    (HOLD, "left", 2, 15),
    (REST, "left", 3, 3),
    (HOLD, "left", 3, 15),
]

BETWEEN: Row = (REST, None, 1, 15)
"""The rest between stretches belongs to the stretch it leads to."""

BUILT_IN_ROWS = [KNEE_ROWS, TRUNK_ROWS, PRONE_ROWS, HAMSTRING_ROWS]


def expected_routine_rows() -> list[tuple[int, Row]]:
    rows: list[tuple[int, Row]] = []
    for index, stretch_rows in enumerate(BUILT_IN_ROWS):
        if index:
            rows.append((index, BETWEEN))
        rows.extend((index, row) for row in stretch_rows)
    return rows


@pytest.mark.parametrize(
    ("built_in", "rows"),
    [(KNEE, KNEE_ROWS), (TRUNK, TRUNK_ROWS), (PRONE, PRONE_ROWS), (HAMSTRING, HAMSTRING_ROWS)],
    ids=["knee-to-chest", "trunk-rotations", "prone-back-extension", "hamstring"],
)
def test_each_built_in_stretch_step_by_step(built_in: object, rows: list[Row]) -> None:
    from tui.core.model import Stretch

    assert isinstance(built_in, Stretch)
    clock = FakeClock()
    walked = walk(make_engine(one(built_in), clock), clock)
    assert [row for _, row in walked] == rows


def test_the_whole_built_in_routine_step_by_step() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    walked = walk(engine, clock)
    assert walked == expected_routine_rows()
    for index, rows in enumerate(BUILT_IN_ROWS):
        assert rows_of(walked, index)[-len(rows) :] == rows
    assert clock.now - clock.start == routine_seconds(back_routine())
    assert engine.snapshot.elapsed == routine_seconds(back_routine())


def test_the_real_built_in_file_has_the_same_sequence() -> None:
    from tui.routine_files.loader import load_routine
    from tui.store.paths import builtin_dir

    routine = load_routine(builtin_dir() / "back-spasm-relief.toml", "built-in")
    assert [s.id for s in routine.stretches] == [s.id for s in back_routine().stretches]
    clock = FakeClock()
    assert walk(make_engine(routine, clock), clock) == expected_routine_rows()
    assert routine_seconds(routine) == routine_seconds(back_routine())


def test_sides_none() -> None:
    clock = FakeClock()
    walked = walk(make_engine(one(stretch("s", 4, 3), prepare=2), clock), clock)
    assert [row for _, row in walked] == [
        (PREPARE, None, 1, 2),
        (HOLD, None, 1, 4),
        (REST, None, 2, 3),
        (HOLD, None, 2, 4),
        (REST, None, 3, 3),
        (HOLD, None, 3, 4),
    ]


def test_sides_each_starting_left() -> None:
    clock = FakeClock()
    s = stretch("s", 4, 2, "each", first_side="left", switch_seconds=5, rest_between_reps=2)
    walked = walk(make_engine(one(s, prepare=1), clock), clock)
    assert [row for _, row in walked] == [
        (PREPARE, "left", 1, 1),
        (HOLD, "left", 1, 4),
        (REST, "left", 2, 2),
        (HOLD, "left", 2, 4),
        (SWITCH, "right", 1, 5),
        (HOLD, "right", 1, 4),
        (REST, "right", 2, 2),
        (HOLD, "right", 2, 4),
    ]


def test_sides_alternate_never_rests_between_reps() -> None:
    clock = FakeClock()
    s = stretch("s", 4, 2, "alternate", first_side="left", rest_between_reps=7)
    walked = walk(make_engine(one(s, prepare=1), clock), clock)
    assert [row for _, row in walked] == [
        (PREPARE, "left", 1, 1),
        (HOLD, "left", 1, 4),
        (SWITCH, "right", 1, 3),
        (HOLD, "right", 1, 4),
        (SWITCH, "left", 2, 3),
        (HOLD, "left", 2, 4),
        (SWITCH, "right", 2, 3),
        (HOLD, "right", 2, 4),
    ]


def test_manual_advance_waits_untimed_before_every_hold() -> None:
    clock = FakeClock()
    s = stretch("s", 4, 2, "each", advance="manual")
    engine = make_engine(one(s, prepare=5), clock)
    walked = walk(engine, clock)
    assert [row for _, row in walked] == [
        (PREPARE, "right", 1, 0),
        (HOLD, "right", 1, 4),
        (REST, "right", 2, 3),
        (PREPARE, "right", 2, 0),
        (HOLD, "right", 2, 4),
        (SWITCH, "left", 1, 3),
        (PREPARE, "left", 1, 0),
        (HOLD, "left", 1, 4),
        (REST, "left", 2, 3),
        (PREPARE, "left", 2, 0),
        (HOLD, "left", 2, 4),
    ]


def test_a_wait_lasts_until_ready_and_shows_no_countdown() -> None:
    clock = FakeClock()
    engine = make_engine(one(stretch("s", 4, 1, advance="manual")), clock)
    engine.start()
    clock.advance(3600)
    engine.tick()
    snap = engine.snapshot
    assert (snap.phase, snap.waiting, snap.seconds_left, snap.phase_seconds) == (
        Phase.PREPARE,
        True,
        0,
        0,
    )
    assert snap.remaining == 4
    assert snap.next_label == "Hold rep 1 of 1"
    engine.ready()
    snap = engine.snapshot
    assert (snap.phase, snap.waiting, snap.seconds_left) == (Phase.HOLD, False, 4)
    engine.ready()  # not waiting: nothing happens
    assert engine.snapshot.phase == Phase.HOLD


def test_zero_length_phases_are_skipped() -> None:
    clock = FakeClock()
    first = stretch("a", 2, 2, "each", switch_seconds=0, rest_between_reps=0)
    second = stretch("b", 1, 1)
    routine = Routine(
        id="r", name="R", stretches=(first, second), prepare_seconds=0, rest_seconds=0
    )
    walked = walk(make_engine(routine, clock), clock)
    assert walked == [
        (0, (HOLD, "right", 1, 2)),
        (0, (HOLD, "right", 2, 2)),
        (0, (HOLD, "left", 1, 2)),
        (0, (HOLD, "left", 2, 2)),
        (1, (HOLD, None, 1, 1)),
    ]


def test_a_chosen_plan_sets_holds_and_reps() -> None:
    clock = FakeClock()
    plan = (StretchPlan(hold_seconds=7, reps=2),)
    walked = walk(make_engine(one(PRONE, prepare=0), clock, plan), clock)
    assert [row for _, row in walked] == [
        (HOLD, None, 1, 7),
        (REST, None, 2, 3),
        (HOLD, None, 2, 7),
    ]


def test_plan_phases_lists_the_same_sequence_as_the_engine_walks() -> None:
    clock = FakeClock()
    routine = back_routine()
    walked = walk(make_engine(routine, clock), clock)
    listed = plan_phases(routine)
    assert [(i, (p, side, rep, length)) for p, i, side, rep, length in listed] == walked


def test_a_bad_plan_is_refused() -> None:
    clock = FakeClock()
    with pytest.raises(ValueError, match="plan has 1 stretches"):
        make_engine(back_routine(), clock, (StretchPlan(10, 3),))
    with pytest.raises(ValueError, match="reps is outside"):
        make_engine(one(PRONE), clock, (StretchPlan(10, 0),))
    with pytest.raises(ValueError, match="hold of 0 s"):
        make_engine(one(PRONE), clock, (StretchPlan(0, 3),))


# -- the estimate in tui.core.model must equal the sum of the planned phases -----------------------


def test_routine_seconds_matches_the_built_in_plan() -> None:
    routine = back_routine()
    planned = sum(length for *_, length in plan_phases(routine))
    # by hand: knee 5+6*10+3+4*3, trunk 5+10*3+9*3, prone 5+3*30+2*3, hamstring 5+6*15+3+4*3,
    # and three rests of 15 between the stretches
    by_hand = 80 + 62 + 101 + 110 + 45
    assert routine_seconds(routine) == planned == by_hand


@settings(max_examples=150, deadline=None)
@given(routines())
def test_routine_seconds_is_the_sum_of_planned_phase_lengths(
    drawn: tuple[Routine, tuple[StretchPlan, ...]],
) -> None:
    routine, plan = drawn
    planned = sum(length for *_, length in plan_phases(routine, plan))
    assert routine_seconds(routine, plan) == planned
    clock = FakeClock()
    engine = make_engine(routine, clock, plan)
    assert engine.snapshot.remaining == planned
    walk(engine, clock)
    assert engine.snapshot.elapsed == planned
