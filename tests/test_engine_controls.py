"""The controls: pause and resume, next, previous, restart, jump, stop, adjust; and what the
snapshots, summaries, events and listeners say about them."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest
from helpers_engine import (
    KNEE,
    PRONE,
    WALL_START,
    FakeClock,
    back_routine,
    make_engine,
    one,
    stretch,
)

from tui.core.engine import Engine, Event, Snapshot
from tui.core.model import HOLD_BOUNDS, REPS_BOUNDS, Routine, StretchPlan, routine_seconds
from tui.core.steps import Phase


def knee_engine(clock: FakeClock) -> Engine:
    """Knee to chest alone: prepare 5, then right 10/rest 3 x3, switch 3, left x3."""
    return make_engine(one(KNEE), clock)


def at_first_hold(clock: FakeClock) -> Engine:
    engine = knee_engine(clock)
    engine.start()
    clock.advance(5)
    engine.tick()
    assert engine.snapshot.phase == Phase.HOLD
    return engine


def kinds(events: Sequence[Event]) -> list[str]:
    return [event.kind for event in events]


# -- start, idle, done ---------------------------------------------------------------------------


def test_idle_snapshot_before_start() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    snap = engine.snapshot
    assert snap.phase == Phase.IDLE
    assert (snap.stretch_index, snap.rep, snap.side, snap.elapsed) == (0, 0, None, 0.0)
    assert snap.remaining == snap.total == routine_seconds(back_routine())
    assert snap.stretch_states == ("not-started",) * 4
    assert snap.next_label == "Next: Knee to chest"
    assert not engine.running
    clock.advance(100)
    engine.tick()
    assert engine.snapshot == snap


def test_start_is_a_no_op_once_running_and_can_begin_at_any_stretch() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start(2)
    assert engine.running
    snap = engine.snapshot
    assert (snap.phase, snap.stretch_index, snap.stretch_id) == (
        Phase.PREPARE,
        2,
        "prone-back-extension",
    )
    assert snap.remaining == 101 + 15 + 110
    engine.start(0)
    assert engine.snapshot.stretch_index == 2
    assert kinds(engine.events).count("started") == 1
    with pytest.raises(ValueError, match="out of range"):
        make_engine(back_routine(), clock).start(4)


def test_done_snapshot_and_summary() -> None:
    clock = FakeClock()
    engine = knee_engine(clock)
    engine.start()
    clock.advance(80)
    engine.tick()
    snap = engine.snapshot
    assert snap.phase == Phase.DONE
    assert (snap.seconds_left, snap.phase_seconds, snap.remaining) == (0, 0, 0.0)
    assert snap.elapsed == snap.total == 80
    assert snap.stretch_states == ("done",)
    assert not engine.running
    summary = engine.summary
    assert summary.finished
    assert summary.stretches[0].reps_done == {"right": 3, "left": 3}
    assert summary.stretches[0].reps_skipped == 0
    assert summary.stretches[0].held_seconds == 60
    assert summary.total_seconds == 80
    assert summary.started_at == WALL_START
    # a late tick still stamps the end at the deadline's wall time
    assert summary.ended_at == WALL_START.replace(minute=1, second=20)
    clock.advance(50)
    assert engine.snapshot.elapsed == 80
    for control in (engine.pause, engine.next, engine.previous, engine.restart_stretch):
        control()
    assert engine.snapshot == snap
    assert kinds(engine.events).count("done") == 1


# -- pause and resume ----------------------------------------------------------------------------


def test_pause_freezes_the_countdown_and_paused_time_is_not_held() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(4)
    engine.pause()
    snap = engine.snapshot
    assert (snap.paused, snap.seconds_left, snap.elapsed) == (True, 6, 9)
    clock.advance(100)
    engine.tick()
    assert engine.snapshot == snap
    assert engine.summary.paused_seconds == 100
    assert engine.summary.stretches[0].held_seconds == 4
    engine.pause()  # idempotent
    engine.resume()
    snap = engine.snapshot
    assert (snap.paused, snap.seconds_left, snap.elapsed) == (False, 6, 9)
    clock.advance(6)
    engine.tick()
    snap = engine.snapshot
    assert (snap.phase, snap.rep, snap.elapsed) == (Phase.REST, 2, 15)
    summary = engine.summary
    assert summary.stretches[0].held_seconds == 10
    assert summary.stretches[0].reps_done == {"right": 1, "left": 0}
    assert summary.paused_seconds == 100
    assert kinds(engine.events).count("paused") == kinds(engine.events).count("resumed") == 1
    engine.resume()  # idempotent
    assert kinds(engine.events).count("resumed") == 1


def test_toggle_pause_and_a_paused_routine_ends_at_planned_time_plus_the_pause() -> None:
    clock = FakeClock()
    engine = knee_engine(clock)
    engine.start()
    clock.advance(30.5)
    engine.toggle_pause()
    assert engine.snapshot.paused
    clock.advance(12.25)
    engine.toggle_pause()
    assert not engine.snapshot.paused
    clock.advance(49.5)
    engine.tick()
    assert engine.snapshot.phase == Phase.DONE
    assert engine.summary.total_seconds == 80
    assert engine.summary.paused_seconds == 12.25
    assert clock.now - clock.start == 80 + 12.25


def test_pause_before_start_does_nothing() -> None:
    clock = FakeClock()
    engine = knee_engine(clock)
    engine.pause()
    assert not engine.snapshot.paused
    assert engine.events == ()


def test_stop_while_paused_counts_the_pause_up_to_the_stop() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(2)
    engine.pause()
    clock.advance(8)
    engine.stop()
    summary = engine.summary
    assert (summary.total_seconds, summary.paused_seconds) == (7, 8)
    assert summary.stretches[0].held_seconds == 2
    assert not engine.snapshot.paused


# -- next ----------------------------------------------------------------------------------------


def test_next_skips_a_hold_which_counts_as_skipped_not_done() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(3)
    engine.next()
    snap = engine.snapshot
    assert (snap.phase, snap.rep, snap.seconds_left) == (Phase.REST, 2, 3)
    stretch = engine.summary.stretches[0]
    assert stretch.reps_done == {"right": 0, "left": 0}
    assert stretch.reps_skipped == 1
    assert stretch.held_seconds == 3
    assert "rep-completed" not in kinds(engine.events)
    skipped = [e for e in engine.events if e.kind == "skipped"]
    assert [(e.phase, e.rep, e.detail) for e in skipped] == [(Phase.HOLD, 1, "hold")]


def test_next_through_the_last_phase_reaches_done_once() -> None:
    clock = FakeClock()
    engine = make_engine(one(stretch("s", 5, 2), prepare=0), clock)
    engine.start()
    for _ in range(3):
        engine.next()
    assert engine.snapshot.phase == Phase.DONE
    engine.next()
    summary = engine.summary
    assert summary.finished
    assert summary.stretches[0].reps_skipped == 2
    assert kinds(engine.events).count("done") == 1


def test_next_while_paused_stays_paused_with_a_full_countdown() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(4)
    engine.pause()
    clock.advance(10)
    engine.next()
    snap = engine.snapshot
    assert (snap.phase, snap.paused, snap.seconds_left, snap.elapsed) == (Phase.REST, True, 3, 9)
    engine.resume()
    clock.advance(3)
    engine.tick()
    assert engine.snapshot.phase == Phase.HOLD
    assert engine.snapshot.elapsed == 12


def test_next_at_a_wait_is_ready() -> None:
    clock = FakeClock()
    engine = make_engine(one(stretch("s", 5, 2, advance="manual")), clock)
    engine.start()
    engine.next()
    assert engine.snapshot.phase == Phase.HOLD
    assert "skipped" not in kinds(engine.events)


def test_ready_while_paused_at_a_wait_resumes_and_starts_the_hold() -> None:
    clock = FakeClock()
    engine = make_engine(one(stretch("s", 5, 2, advance="manual")), clock)
    engine.start()
    engine.pause()
    clock.advance(7)
    engine.ready()
    snap = engine.snapshot
    assert (snap.phase, snap.paused, snap.seconds_left) == (Phase.HOLD, False, 5)
    assert engine.summary.paused_seconds == 7


# -- previous ------------------------------------------------------------------------------------


def test_previous_after_two_seconds_restarts_the_current_phase() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(3)
    engine.previous()
    snap = engine.snapshot
    assert (snap.phase, snap.rep, snap.seconds_left, snap.elapsed) == (Phase.HOLD, 1, 10, 8)
    assert engine.summary.stretches[0].reps_done["right"] == 0
    clock.advance(10)
    engine.tick()
    assert engine.snapshot.phase == Phase.REST
    assert engine.summary.stretches[0].reps_done["right"] == 1


def test_previous_exactly_two_seconds_in_restarts_the_current_phase() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(2)
    engine.previous()
    assert (engine.snapshot.phase, engine.snapshot.seconds_left) == (Phase.HOLD, 10)


def test_previous_within_two_seconds_goes_to_the_phase_before() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(10)
    engine.tick()  # rest before rep 2; rep 1 done
    assert engine.summary.stretches[0].reps_done["right"] == 1
    clock.advance(1.5)
    engine.previous()
    snap = engine.snapshot
    assert (snap.phase, snap.rep, snap.seconds_left) == (Phase.HOLD, 1, 10)
    # the hold is being done again, so it no longer counts as done
    assert engine.summary.stretches[0].reps_done["right"] == 0
    engine.previous()
    snap = engine.snapshot
    assert (snap.phase, snap.seconds_left) == (Phase.PREPARE, 5)
    engine.previous()  # nothing before the first phase: it starts over
    assert (engine.snapshot.phase, engine.snapshot.seconds_left) == (Phase.PREPARE, 5)
    assert engine.snapshot.elapsed == 16.5


def test_previous_from_the_rest_between_stretches_goes_back_into_the_stretch_before() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(80)
    engine.tick()
    snap = engine.snapshot
    assert (snap.phase, snap.rest_kind, snap.stretch_index) == (Phase.REST, "stretch", 1)
    assert snap.stretch_states[:2] == ("done", "not-started")
    engine.previous()
    snap = engine.snapshot
    assert (snap.phase, snap.stretch_index, snap.side, snap.rep) == (Phase.HOLD, 0, "left", 3)
    assert snap.stretch_states[0] == "in-progress"


# -- restart and jump ----------------------------------------------------------------------------


def test_restart_stretch_goes_back_to_prepare_with_its_counts_cleared() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(5 + 10 + 3 + 4)  # 4 s into right rep 2
    engine.tick()
    assert engine.summary.stretches[0].reps_done["right"] == 1
    engine.restart_stretch()
    snap = engine.snapshot
    assert (snap.phase, snap.stretch_index, snap.side, snap.rep, snap.seconds_left) == (
        Phase.PREPARE,
        0,
        "right",
        1,
        5,
    )
    stretch = engine.summary.stretches[0]
    assert (stretch.reps_done, stretch.held_seconds) == ({"right": 0, "left": 0}, 0)
    assert snap.elapsed == 22
    assert "restarted" in kinds(engine.events)


def test_jump_forward_counts_the_rest_of_the_stretch_as_skipped() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(5 + 10 + 3)
    engine.tick()
    engine.jump(2)
    snap = engine.snapshot
    assert (snap.phase, snap.stretch_index, snap.seconds_left) == (Phase.PREPARE, 2, 5)
    assert snap.stretch_states == ("done", "not-started", "in-progress", "not-started")
    knee = engine.summary.stretches[0]
    assert knee.reps_done == {"right": 1, "left": 0}
    assert knee.reps_skipped == 5
    jumped = [e for e in engine.events if e.kind == "jumped"]
    assert [(e.stretch_index, e.detail) for e in jumped] == [(0, "2")]
    assert snap.remaining == 101 + 15 + 110


def test_jump_back_starts_that_stretch_over() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(80 + 15 + 62 + 15 + 2)
    engine.tick()
    assert engine.snapshot.stretch_index == 2
    assert engine.summary.stretches[0].reps_done == {"right": 3, "left": 3}
    engine.jump(0)
    assert (engine.snapshot.phase, engine.snapshot.stretch_index) == (Phase.PREPARE, 0)
    summary = engine.summary
    assert summary.stretches[0].reps_done == {"right": 0, "left": 0}
    assert summary.stretches[1].reps_done == {"right": 5, "left": 5}
    # prone was only 2 s into its get-ready: nothing held, so it is not started
    assert engine.snapshot.stretch_states == ("in-progress", "done", "not-started", "not-started")


def test_jump_while_idle_starts_there_and_bad_indexes_are_refused() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.jump(3)
    assert (engine.snapshot.phase, engine.snapshot.stretch_index) == (Phase.PREPARE, 3)
    with pytest.raises(ValueError, match="stretch index 4 is out of range"):
        engine.jump(4)
    with pytest.raises(ValueError, match="out of range"):
        engine.jump(-1)


# -- stop ----------------------------------------------------------------------------------------


def test_stop_gives_a_partial_summary() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(5 + 10 + 3 + 6)
    engine.stop()
    snap = engine.snapshot
    assert snap.phase == Phase.STOPPED
    assert (snap.stretch_index, snap.side, snap.rep) == (0, "right", 2)
    assert (snap.seconds_left, snap.remaining, snap.elapsed) == (0, 0.0, 24)
    assert not engine.running
    summary = engine.summary
    assert not summary.finished
    assert summary.total_seconds == 24
    assert summary.stretches[0].reps_done == {"right": 1, "left": 0}
    assert summary.stretches[0].held_seconds == 16
    assert summary.stretches[1].reps_done == {"right": 0, "left": 0}
    assert summary.ended_at is not None
    clock.advance(30)
    engine.next()
    engine.stop()
    assert engine.snapshot == snap
    assert kinds(engine.events).count("stopped") == 1
    assert "done" not in kinds(engine.events)


def test_stop_before_start() -> None:
    clock = FakeClock()
    engine = knee_engine(clock)
    engine.stop()
    assert engine.snapshot.phase == Phase.STOPPED
    assert engine.summary.total_seconds == 0
    engine.start()
    assert engine.snapshot.phase == Phase.STOPPED


# -- adjust --------------------------------------------------------------------------------------


def test_adjust_while_idle_changes_the_plan_and_the_estimate() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    before = engine.snapshot.remaining
    assert engine.adjust(hold_seconds=12, reps=4) == StretchPlan(12, 4)
    snap = engine.snapshot
    assert snap.plan[0] == StretchPlan(12, 4)
    assert snap.reps == 4
    # knee was 3 x 10 per side: now 4 x 12 per side, two more rests between reps
    assert snap.remaining == before + (4 * 12 - 3 * 10) * 2 + 2 * 3
    assert engine.adjust(reps=6, stretch_index=2) == StretchPlan(30, 6)
    assert engine.snapshot.plan[2] == StretchPlan(30, 6)


def test_adjust_is_clamped_to_the_format_bounds() -> None:
    clock = FakeClock()
    engine = knee_engine(clock)
    assert engine.adjust(hold_seconds=0, reps=0) == StretchPlan(HOLD_BOUNDS[0], REPS_BOUNDS[0])
    assert engine.adjust(hold_seconds=10**6, reps=10**6) == StretchPlan(
        HOLD_BOUNDS[1], REPS_BOUNDS[1]
    )
    with pytest.raises(ValueError, match="out of range"):
        engine.adjust(reps=2, stretch_index=1)


def test_adjust_never_sets_reps_below_those_done() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(10 + 3 + 10 + 1)  # rep 1 and 2 done on the right; rest before rep 3
    engine.tick()
    assert engine.summary.stretches[0].reps_done["right"] == 2
    assert engine.adjust(reps=1) == StretchPlan(10, 2)
    # the rep the rest led to is gone, so the stretch carries on with the switch
    snap = engine.snapshot
    assert (snap.phase, snap.side, snap.rep, snap.reps) == (Phase.SWITCH, "left", 1, 2)
    assert snap.seconds_left == 3
    clock.advance(3 + 10 + 3 + 10)
    engine.tick()
    assert engine.snapshot.phase == Phase.DONE
    assert engine.summary.stretches[0].reps_done == {"right": 2, "left": 2}


def test_adjusting_the_current_hold_keeps_the_time_already_held() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(4)
    remaining = engine.snapshot.remaining
    engine.adjust(hold_seconds=20)
    snap = engine.snapshot
    assert (snap.phase, snap.seconds_left, snap.phase_seconds) == (Phase.HOLD, 16, 20)
    assert snap.remaining == remaining + 6 * 10
    assert snap.elapsed == 9
    clock.advance(16)
    engine.tick()
    assert engine.snapshot.phase == Phase.REST
    assert engine.summary.stretches[0].held_seconds == 20


def test_shortening_the_current_hold_below_the_time_held_ends_it_now_as_done() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(7)
    engine.adjust(hold_seconds=5)
    snap = engine.snapshot
    assert (snap.phase, snap.rep, snap.seconds_left) == (Phase.REST, 2, 3)
    assert snap.elapsed == 12
    stretch = engine.summary.stretches[0]
    assert (stretch.reps_done["right"], stretch.held_seconds, stretch.hold_seconds) == (1, 7, 5)


def test_adjust_while_running_updates_the_rest_of_the_plan() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(5)
    engine.tick()
    snap = engine.snapshot
    engine.adjust(reps=5)
    after = engine.snapshot
    assert after.reps == 5
    assert after.remaining == snap.remaining + 2 * (2 * 10 + 2 * 3)
    assert after.total == snap.total + 2 * (2 * 10 + 2 * 3)
    assert [e.detail for e in engine.events if e.kind == "adjusted"] == [
        "stretch 1: hold 10 s, reps 5"
    ]
    engine.adjust(reps=5)  # no change, no event
    assert kinds(engine.events).count("adjusted") == 1


def test_adjust_alternate_reps_below_the_current_rep_moves_to_the_next_stretch() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.jump(1)
    clock.advance(5 + 7 * 3 + 1)  # into the switch before right rep 3
    engine.tick()
    snap = engine.snapshot
    assert (snap.phase, snap.side, snap.rep) == (Phase.SWITCH, "right", 3)
    engine.adjust(reps=2)
    snap = engine.snapshot
    assert (snap.phase, snap.rest_kind, snap.stretch_index) == (Phase.REST, "stretch", 2)
    assert engine.summary.stretches[1].reps_done == {"right": 2, "left": 2}
    assert snap.stretch_states[1] == "done"


# -- snapshots -----------------------------------------------------------------------------------


def test_warning_in_the_last_three_seconds_of_a_hold_prepare_or_switch_only() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    seen = []
    for _ in range(10):
        snap = engine.snapshot
        seen.append((snap.seconds_left, snap.warning))
        clock.advance(1)
    assert seen == [(10 - i, 10 - i <= 3) for i in range(10)]
    engine.tick()
    snap = engine.snapshot
    assert (snap.phase, snap.seconds_left, snap.warning) == (Phase.REST, 3, False)


def test_seconds_left_is_the_ceiling_of_the_time_left() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    clock.advance(0.25)
    assert engine.snapshot.seconds_left == 10
    clock.advance(0.75)
    assert engine.snapshot.seconds_left == 9
    clock.advance(8.75)
    assert engine.snapshot.seconds_left == 1


def test_next_label_says_what_comes_next() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    labels = []
    for _ in range(300):
        snap = engine.snapshot
        if snap.phase == Phase.DONE:
            break
        labels.append((snap.phase, snap.side, snap.rep, snap.stretch_index, snap.next_label))
        clock.advance(snap.seconds_left)
        engine.tick()
    assert labels[:8] == [
        (Phase.PREPARE, "right", 1, 0, "Hold right side, rep 1 of 3"),
        (Phase.HOLD, "right", 1, 0, "Rest 3 s"),
        (Phase.REST, "right", 2, 0, "Hold right side, rep 2 of 3"),
        (Phase.HOLD, "right", 2, 0, "Rest 3 s"),
        (Phase.REST, "right", 3, 0, "Hold right side, rep 3 of 3"),
        (Phase.HOLD, "right", 3, 0, "Switch to left side"),
        (Phase.SWITCH, "left", 1, 0, "Hold left side, rep 1 of 3"),
        (Phase.HOLD, "left", 1, 0, "Rest 3 s"),
    ]
    assert labels[11:14] == [
        (Phase.HOLD, "left", 3, 0, "Next: Trunk rotations"),
        (Phase.REST, None, 1, 1, "Next: Trunk rotations"),
        (Phase.PREPARE, "right", 1, 1, "Hold right side, rep 1 of 5"),
    ]
    assert labels[-1] == (Phase.HOLD, "left", 3, 3, "Done")
    prone = [label for label in labels if label[3] == 2]
    assert prone[1] == (Phase.PREPARE, None, 1, 2, "Hold rep 1 of 3")


def test_stretch_states_follow_the_routine() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    assert engine.snapshot.stretch_states == ("in-progress",) + ("not-started",) * 3
    clock.advance(80)
    engine.tick()
    assert engine.snapshot.stretch_states == ("done",) + ("not-started",) * 3
    clock.advance(15)
    engine.tick()
    assert engine.snapshot.stretch_states == ("done", "in-progress", "not-started", "not-started")


def test_snapshots_are_frozen() -> None:
    clock = FakeClock()
    snap = knee_engine(clock).snapshot
    with pytest.raises(AttributeError):
        snap.rep = 3  # type: ignore[misc]


def test_elapsed_plus_remaining_is_the_total_and_the_plan_total_while_untouched() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    for _ in range(400):
        snap = engine.snapshot
        assert snap.total == snap.elapsed + snap.remaining == routine_seconds(back_routine())
        clock.advance(1.25)
        engine.tick()
    assert engine.snapshot.phase == Phase.DONE


# -- events and listeners ------------------------------------------------------------------------


def test_the_event_stream_of_a_short_routine() -> None:
    clock = FakeClock()
    s = stretch("s", 2, 2, "each", switch_seconds=1, rest_between_reps=0)
    engine = make_engine(one(s, prepare=1), clock)
    engine.start()
    clock.advance(3.5)
    engine.pause()
    clock.advance(5)
    engine.resume()
    clock.advance(3)
    engine.next()  # skip left 1 with 0.5 s held
    clock.advance(10)
    engine.tick()
    rows = [(e.kind, e.phase, e.side, e.rep, e.elapsed, e.detail) for e in engine.events]
    hold, switch, prepare, done = Phase.HOLD, Phase.SWITCH, Phase.PREPARE, Phase.DONE
    assert rows == [
        ("started", prepare, "right", 1, 0, ""),
        ("phase-began", prepare, "right", 1, 0, ""),
        ("phase-ended", prepare, "right", 1, 1, "completed"),
        ("phase-began", hold, "right", 1, 1, ""),
        ("phase-ended", hold, "right", 1, 3, "completed"),
        ("rep-completed", hold, "right", 1, 3, ""),
        ("phase-began", hold, "right", 2, 3, ""),
        ("paused", hold, "right", 2, 3.5, ""),
        ("resumed", hold, "right", 2, 3.5, ""),
        ("phase-ended", hold, "right", 2, 5, "completed"),
        ("rep-completed", hold, "right", 2, 5, ""),
        ("phase-began", switch, "left", 1, 5, ""),
        ("phase-ended", switch, "left", 1, 6, "completed"),
        ("phase-began", hold, "left", 1, 6, ""),
        ("phase-ended", hold, "left", 1, 6.5, "skipped"),
        ("skipped", hold, "left", 1, 6.5, "hold"),
        ("phase-began", hold, "left", 2, 6.5, ""),
        ("phase-ended", hold, "left", 2, 8.5, "completed"),
        ("rep-completed", hold, "left", 2, 8.5, ""),
        ("done", done, None, 2, 8.5, ""),
    ]
    # wall-clock times are timezone-aware and stamped at the moment each thing happened
    for event in engine.events:
        assert event.at.tzinfo is not None
    by_kind = {e.kind: e for e in engine.events}
    assert (by_kind["paused"].at - WALL_START).total_seconds() == 3.5
    assert (by_kind["resumed"].at - WALL_START).total_seconds() == 8.5
    # the end was only noticed 10 s later, but is stamped at its deadline
    assert (by_kind["done"].at - WALL_START).total_seconds() == 8.5 + 5
    summary = engine.summary
    assert summary.stretches[0].reps_done == {"right": 2, "left": 1}
    assert summary.stretches[0].reps_skipped == 1
    assert summary.stretches[0].held_seconds == 2 + 2 + 0.5 + 2


def test_alternate_counts_a_rep_when_both_sides_are_done() -> None:
    clock = FakeClock()
    s = stretch("s", 2, 2, "alternate", switch_seconds=1)
    engine = make_engine(one(s, prepare=0), clock)
    engine.start()
    clock.advance(2)
    engine.tick()
    assert "rep-completed" not in kinds(engine.events)
    assert engine.summary.stretches[0].reps_done == {"right": 1, "left": 0}
    clock.advance(1 + 2)
    engine.tick()
    completed = [e for e in engine.events if e.kind == "rep-completed"]
    assert [(e.side, e.rep) for e in completed] == [("left", 1)]


def test_listeners_hear_each_second_each_phase_and_each_control() -> None:
    clock = FakeClock()
    engine = at_first_hold(clock)
    heard: list[tuple[int, list[str]]] = []
    unsubscribe = engine.subscribe(lambda s, ev: heard.append((s.seconds_left, kinds(ev))))
    for _ in range(4):
        clock.advance(1)
        engine.tick()
    engine.tick()  # nothing changed: nobody is called
    engine.pause()
    assert heard == [(9, []), (8, []), (7, []), (6, []), (6, ["paused"])]
    engine.resume()
    clock.advance(6)
    engine.tick()
    assert heard[-1] == (3, ["phase-ended", "rep-completed", "phase-began"])
    unsubscribe()
    unsubscribe()
    engine.next()
    assert len(heard) == 7


def test_a_failing_listener_is_logged_and_the_others_still_hear(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    engine = knee_engine(clock)
    heard: list[Snapshot] = []

    def broken(snapshot: Snapshot, events: Sequence[Event]) -> None:
        raise RuntimeError("listener bug")

    engine.subscribe(broken)
    engine.subscribe(lambda s, ev: heard.append(s))
    with caplog.at_level(logging.ERROR, logger="tui.core.engine"):
        engine.start()
        clock.advance(5)
        engine.tick()
    assert [s.phase for s in heard] == [Phase.PREPARE, Phase.HOLD]
    assert "listener" in caplog.text
    assert engine.snapshot.phase == Phase.HOLD


def test_a_listener_may_use_controls() -> None:
    clock = FakeClock()
    engine = knee_engine(clock)
    heard: list[tuple[Phase, bool, list[str]]] = []

    def pause_at_holds(snapshot: Snapshot, events: Sequence[Event]) -> None:
        heard.append((snapshot.phase, snapshot.paused, kinds(events)))
        if "phase-began" in kinds(events) and snapshot.phase == Phase.HOLD:
            engine.pause()

    engine.subscribe(pause_at_holds)
    engine.start()
    clock.advance(7)
    engine.tick()
    assert heard[-2:] == [
        (Phase.HOLD, False, ["phase-ended", "phase-began"]),
        (Phase.HOLD, True, ["paused"]),
    ]
    snap = engine.snapshot
    assert (snap.paused, snap.seconds_left) == (True, 8)


def test_every_event_is_delivered_once_in_order() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    delivered: list[Event] = []
    engine.subscribe(lambda s, ev: delivered.extend(ev))
    engine.start()
    clock.advance(30.25)
    engine.pause()
    clock.advance(3)
    engine.resume()
    engine.next()
    engine.previous()
    clock.advance(500)
    engine.tick()
    assert engine.snapshot.phase == Phase.DONE
    assert delivered == list(engine.events)
    elapsed = [e.elapsed for e in delivered]
    assert elapsed == sorted(elapsed)


def test_a_routine_without_stretches_is_refused() -> None:
    with pytest.raises(ValueError, match="no stretches"):
        make_engine(Routine(id="r", name="R", stretches=()), FakeClock())


def test_held_time_in_summary_counts_the_hold_in_progress() -> None:
    clock = FakeClock()
    engine = make_engine(one(PRONE), clock)
    engine.start()
    clock.advance(5 + 12)
    assert engine.summary.stretches[0].held_seconds == 12
    assert not engine.summary.finished
    assert engine.summary.ended_at is None
