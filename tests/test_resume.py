"""resume.toml: saving the engine's position, reading it back, refusing what no longer fits."""

from __future__ import annotations

import errno
import os
import tomllib
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.engine import Engine
from tui.core.model import Routine
from tui.core.steps import Phase
from tui.routine_files.loader import load_routine
from tui.store.durable import PendingWrites, SaveError
from tui.store.paths import builtin_dir, state_dir
from tui.store.resume import (
    Places,
    ResumeMismatch,
    SavedResume,
    clear_resume,
    fit,
    load_resume,
    question,
    resume_path,
    resume_question,
    resume_toml,
    save_resume,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _routine() -> Routine:
    return load_routine(builtin_dir() / "back-spasm-relief.toml", "built-in")


def _engine_at_trunk_rotations(clock: Clock) -> Engine:
    """An engine part-way through the second stretch (trunk rotations, sides alternate)."""
    routine = _routine()
    engine = Engine(routine, clock=clock)
    engine.start(1)
    for _ in range(5):
        engine.next()
    engine.tick()
    clock.now += 1.4
    engine.pause()
    return engine


def _the_one_place() -> SavedResume:
    load = Places.default().load()
    assert load.notices == []
    assert len(load.saved) == 1, load.saved
    return load.saved[0]


def test_question_names_routine_stretch_side_and_rep() -> None:
    routine = _routine()
    assert (
        resume_question(routine, 1, "left", 3, 5)
        == "Resume Back spasm relief at Trunk rotations, left, rep 3 of 5?"
    )
    assert resume_question(routine, 2, None, 1, 3).endswith("Prone back extension, rep 1 of 3?")
    assert resume_question(routine, 9, None, 1, 3) == "Resume Back spasm relief?"


def test_saved_file_holds_position_routine_plan_time_and_question() -> None:
    clock = Clock()
    engine = _engine_at_trunk_rotations(clock)
    position = engine.position()
    fixed = datetime(2026, 11, 25, 9, 0, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    document = tomllib.loads(resume_toml(engine.routine, position, now=lambda: fixed))
    assert document["routine_id"] == "back-spasm-relief"
    assert document["routine_name"] == "Back spasm relief"
    assert document["saved_at"] == fixed  # to the microsecond: the newest place is offered
    assert document["plan"][1] == {"hold_seconds": 3, "reps": 5}
    assert document["position"] == position.to_dict()
    snap = engine.snapshot
    assert document["question"] == (
        f"Resume Back spasm relief at Trunk rotations, {snap.side}, rep {snap.rep} of 5?"
    )


def test_resuming_gives_exactly_the_saved_position() -> None:
    clock = Clock()
    engine = _engine_at_trunk_rotations(clock)
    before = engine.snapshot
    save_resume(engine.routine, engine.position())
    position = fit(_the_one_place(), _routine())
    resumed = Engine.resume_from(_routine(), position, clock=Clock())
    after = resumed.snapshot
    assert after.paused
    assert (after.phase, after.stretch_index, after.side, after.rep) == (
        before.phase,
        before.stretch_index,
        before.side,
        before.rep,
    )
    assert after.seconds_left == before.seconds_left
    assert after.stretch_states == before.stretch_states
    assert after.elapsed == pytest.approx(before.elapsed)


def test_question_is_worded_from_the_routine_as_it_is_now() -> None:
    clock = Clock()
    engine = _engine_at_trunk_rotations(clock)
    save_resume(engine.routine, engine.position())
    saved = _the_one_place()
    renamed = replace(_routine(), name="My back")
    assert question(saved, renamed).startswith("Resume My back at Trunk rotations, ")


def test_no_file_is_nothing_to_resume() -> None:
    assert load_resume().saved is None
    assert load_resume().notices == []


def test_clear_removes_the_file_and_any_waiting_write(tmp_path: Path) -> None:
    clock = Clock()
    engine = _engine_at_trunk_rotations(clock)
    save_resume(engine.routine, engine.position())
    path = Places.default().path_of(engine.session_id)
    assert path.is_file()
    pending = PendingWrites()
    in_the_way = tmp_path / "a-file"
    in_the_way.write_bytes(b"")
    other = in_the_way / "x"  # a file where a folder should be: fails even for root
    assert pending.write(other, b"") is not None
    assert other in pending.waiting
    pending.write(path, b"old")
    Places.default().forget(engine.session_id, pending=pending)
    assert not path.exists()
    assert path not in pending.waiting
    assert other in pending.waiting  # another path's write still waits
    clear_resume(path=path)  # nothing there: no error


@pytest.mark.parametrize(
    "content",
    [
        b"not [valid toml",
        b"\xff\xfe",
        b"schema = 1\nroutine_id = 3\n",
        b"schema = 2\n",
        b'schema = 1\nroutine_id = "x"\nroutine_name = "X"\nsaved_at = 2026-01-01T00:00:00Z\n'
        b'question = "q"\nstretch_ids = ["a"]\nplan = [{hold_seconds = 0, reps = 1}]\n'
        b"position = {}\n",
    ],
)
def test_corrupt_file_is_moved_aside_and_treated_as_absent(content: bytes) -> None:
    path = resume_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    loaded = load_resume()
    assert loaded.saved is None
    assert len(loaded.notices) == 1
    assert "could not be read" in loaded.notices[0]
    kept = [p for p in state_dir().iterdir() if p.name.startswith("resume.toml.broken-")]
    assert [p.read_bytes() for p in kept] == [content]
    assert not path.exists()


def test_folder_named_like_the_file_is_set_aside() -> None:
    resume_path().mkdir(parents=True)
    loaded = load_resume()
    assert loaded.saved is None
    assert "folder" in loaded.notices[0]


def test_changed_routine_is_refused_with_a_reason() -> None:
    clock = Clock()
    engine = _engine_at_trunk_rotations(clock)
    save_resume(engine.routine, engine.position())
    saved = _the_one_place()
    routine = _routine()
    fewer = replace(routine, stretches=routine.stretches[:1] + routine.stretches[2:])
    with pytest.raises(ResumeMismatch, match="has changed since the session was left"):
        fit(saved, fewer)
    no_sides = replace(
        routine,
        stretches=(
            routine.stretches[0],
            replace(routine.stretches[1], sides="none"),
            *routine.stretches[2:],
        ),
    )
    with pytest.raises(ResumeMismatch, match="has changed since the session was left"):
        fit(saved, no_sides)
    with pytest.raises(ResumeMismatch, match="was of routine back-spasm-relief, not other"):
        fit(saved, replace(routine, id="other"))


def test_full_disk_keeps_the_position_to_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    engine = _engine_at_trunk_rotations(clock)
    real_replace = os.replace

    def full(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(
        SaveError, match=r"Could not save where the session stopped to .*disk is full"
    ):
        save_resume(engine.routine, engine.position())
    pending = PendingWrites()
    error = save_resume(engine.routine, engine.position(), pending=pending)
    assert error is not None
    monkeypatch.setattr(os, "replace", real_replace)
    assert pending.retry() == []
    saved = _the_one_place()
    assert fit(saved, _routine()).phase == engine.position().phase


def test_idle_engine_position_round_trips() -> None:
    routine = _routine()
    engine = Engine(routine, clock=Clock())
    save_resume(routine, engine.position())
    saved = load_resume().saved
    assert saved is not None
    assert fit(saved, routine).phase == Phase.IDLE


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_resume_file_loads_or_is_set_aside(content: bytes) -> None:
    path = resume_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    loaded = load_resume()
    assert loaded.saved is None
    assert loaded.notices
