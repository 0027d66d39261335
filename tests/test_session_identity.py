"""A session's identity (issue 14, items 1 and 5): made when it starts, carried through its
saved place, written in its history record; records merge by it, and places are kept one per
session. Records and places written before sessions had one read and merge as they did."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers_engine import FakeClock, back_routine, make_engine

from tui.core.engine import Engine
from tui.core.position import Position
from tui.core.steps import Phase
from tui.store.history import month as history_month
from tui.store.history import records as history
from tui.store.history.index import index_path, load_entries
from tui.store.history.month import history_dir, read_month
from tui.store.history.recorder import append_sessions
from tui.store.history.records import Session, StretchRecord, session_from_summary
from tui.store.resume import Places, resume_path, resume_toml
from tui.store.sessions import SessionStore

START = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)


def _record(session_id: str = "", *, finished: bool = True, minutes: float = 10) -> Session:
    held = StretchRecord("knee", "Knee hug", 3, {"right": 3}, 0, 10, 30.0)
    return Session(
        routine_id="back-spasm-relief",
        routine_name="Back spasm relief",
        started_at=START,
        ended_at=START + timedelta(minutes=minutes),
        finished=finished,
        total_seconds=minutes * 60,
        paused_seconds=0.0,
        stretches=(held,),
        session_id=session_id,
    )


# -- the engine makes it, the place carries it -------------------------------------------------


def test_each_start_makes_a_new_identity_and_the_summary_and_place_carry_it() -> None:
    clock = FakeClock()
    ids = set()
    for _ in range(50):
        engine = make_engine(back_routine(), clock)
        assert engine.session_id == ""  # not before it starts
        engine.start()
        ids.add(engine.session_id)
        assert engine.summary.session_id == engine.session_id
        assert engine.position().session_id == engine.session_id
    assert len(ids) == 50
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_a_resumed_session_keeps_its_identity_to_its_record() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    clock.advance(20)
    data = engine.position().to_dict()
    assert data["session_id"] == engine.session_id
    position = Position.from_dict(
        tomllib.loads(resume_toml(back_routine(), engine.position()))["position"]
    )
    again = Engine.resume_from(back_routine(), position, clock=clock, sleep=clock.sleep)
    assert again.session_id == engine.session_id
    again.resume()
    while again.snapshot.phase != Phase.DONE:
        again.next()
    session = session_from_summary(again.summary)
    assert session is not None and session.session_id == engine.session_id


def test_a_place_saved_before_sessions_had_an_identity_resumes_without_one() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    data = engine.position().to_dict()
    del data["session_id"]
    position = Position.from_dict(data, back_routine())
    assert position.session_id == ""
    assert Engine.resume_from(back_routine(), position, clock=clock).session_id == ""


# -- the history merges by it ------------------------------------------------------------------


def test_two_sessions_in_the_same_second_are_two_records() -> None:
    append_sessions([_record("a" * 32)])
    append_sessions([_record("b" * 32)])
    month = read_month(history_dir() / "2026-11.toml")
    assert month.problems == []
    assert sorted(s.session_id for s in month.sessions) == ["a" * 32, "b" * 32]


def test_a_session_recorded_again_replaces_its_own_record_only() -> None:
    append_sessions([_record("a" * 32, finished=False, minutes=2)])
    append_sessions([_record("b" * 32)])
    append_sessions([_record("a" * 32, finished=True, minutes=12)])
    sessions = read_month(history_dir() / "2026-11.toml").sessions
    assert sorted((s.session_id, s.finished, s.total_seconds) for s in sessions) == [
        ("a" * 32, True, 720.0),
        ("b" * 32, True, 600.0),
    ]


def test_records_without_an_identity_merge_by_routine_and_second_as_before() -> None:
    append_sessions([_record(finished=False, minutes=2)])
    append_sessions([_record(finished=True, minutes=12)])  # resumed from an old place
    sessions = read_month(history_dir() / "2026-11.toml").sessions
    assert [(s.session_id, s.finished) for s in sessions] == [("", True)]
    # and a session with an identity in that same second is another session
    append_sessions([_record("c" * 32)])
    sessions = read_month(history_dir() / "2026-11.toml").sessions
    assert sorted((s.session_id, s.finished) for s in sessions) == [("", True), ("c" * 32, True)]


def test_an_old_month_file_with_no_identities_reads_as_before() -> None:
    path = history_dir() / "2026-11.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(history_month.month_toml([_record(), replace(_record(), routine_id="other")]))
    assert "session_id" not in path.read_text()
    month = read_month(path)
    assert month.problems == []
    assert [s.session_id for s in month.sessions] == ["", ""]


@pytest.mark.parametrize("value", ["", "x" * 65, "../x", "a b", "a.b", 7])
def test_a_hand_edited_identity_is_a_problem_or_no_identity(value: object) -> None:
    path = history_dir() / "2026-11.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = history_month.month_toml([_record("a" * 32)]).replace(
        f'session_id = "{"a" * 32}"', f"session_id = {json.dumps(value)}"
    )
    path.write_text(text)
    month = read_month(path)
    if value == "":
        assert [s.session_id for s in month.sessions] == [""]
    else:
        assert month.sessions == []
        assert [p.field for p in month.problems] == ["session[1].session_id"]


def test_the_index_keeps_identities_and_unsaved_sessions_are_not_shown_twice() -> None:
    append_sessions([_record("a" * 32), _record("b" * 32)])
    assert index_path(history_dir()).exists()
    again = load_entries()
    assert sorted(e.session_id for e in again.entries) == ["a" * 32, "b" * 32]
    waiting = replace(_record("a" * 32), finished=False)
    shown = load_entries(unsaved=[waiting]).entries
    assert sorted((e.session_id, e.finished) for e in shown) == [
        ("a" * 32, False),
        ("b" * 32, True),
    ]


def test_an_index_row_out_of_bounds_is_not_believed() -> None:
    append_sessions([_record("a" * 32)])
    path = index_path(history_dir())
    data = json.loads(path.read_text())
    [entry] = data["files"]["2026-11.toml"]["entries"]
    entry[4] = 1e12  # total seconds
    path.write_text(json.dumps(data))
    assert [e.total_seconds for e in load_entries().entries] == [600.0]


def test_what_is_recorded_is_always_what_the_reader_takes() -> None:
    clock = FakeClock()
    engine = make_engine(back_routine(), clock)
    engine.start()
    engine.pause()
    clock.advance(8 * 24 * 3600)  # left paused for eight days, then stopped
    engine.stop()
    session = session_from_summary(engine.summary)
    assert session is not None
    assert session.paused_seconds == history.MAX_SESSION_SECONDS
    append_sessions([session])
    month = read_month(history_dir() / history_month.month_name(session.started_at))
    assert (month.problems, month.sessions) == ([], [session])


# -- places: one per session -------------------------------------------------------------------


def _stopped_at(stretch: int, clock: FakeClock) -> Engine:
    engine = make_engine(back_routine(), clock)
    engine.start(stretch)
    clock.advance(3)
    engine.pause()
    return engine


def test_each_session_keeps_its_own_place_and_the_newest_is_offered() -> None:
    clock = FakeClock()
    older, newer = _stopped_at(0, clock), _stopped_at(2, clock)
    store = SessionStore()
    saved = datetime.now(UTC)
    moments = iter([saved, saved + timedelta(microseconds=10)])  # in the same second
    for engine in (older, newer):
        path = store.places.path_of(engine.session_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = resume_toml(back_routine(), engine.position(), now=lambda: next(moments))
        path.write_text(text)
    offer, notices = store.offer(back_routine())
    assert notices == []
    assert offer is not None and offer.position.session_id == newer.session_id
    assert store.forget_place(newer.session_id) is None  # started over: only that place goes
    offer, _ = store.offer(back_routine())
    assert offer is not None and offer.position.session_id == older.session_id


def test_finishing_removes_only_the_sessions_own_place() -> None:
    clock = FakeClock()
    store = SessionStore()
    stopped = _stopped_at(0, clock)
    assert store.keep_place(back_routine(), stopped.position()) is None
    finished = make_engine(back_routine(), clock)
    finished.start()
    assert store.forget_place(finished.session_id) is None
    assert [s.session_id for s in store.places.load().saved] == [stopped.session_id]


def test_a_place_in_a_file_not_named_by_its_session_is_set_aside() -> None:
    clock = FakeClock()
    engine = _stopped_at(0, clock)
    places = Places.default()
    wrong = places.folder / f"{'f' * 32}.toml"
    wrong.parent.mkdir(parents=True, exist_ok=True)
    wrong.write_text(resume_toml(back_routine(), engine.position()))
    load = places.load()
    assert load.saved == []
    assert len(load.notices) == 1
    assert "position.session_id" in load.notices[0] and engine.session_id in load.notices[0]
    assert not wrong.exists()
    assert [p.name.split(".broken-")[0] for p in places.folder.iterdir()] == [wrong.name]


def test_files_that_are_not_places_are_left_alone() -> None:
    places = Places.default()
    places.folder.mkdir(parents=True)
    for name in (".x.toml.123.tmp", "notes.txt", "a.b.toml", "x.toml.broken-20260101-000000"):
        (places.folder / name).write_text("anything")
    assert (places.load().saved, places.load().notices) == ([], [])
    assert len(list(places.folder.iterdir())) == 4


def test_the_place_older_versions_kept_is_offered_and_removed_by_its_session() -> None:
    clock = FakeClock()
    engine = _stopped_at(1, clock)
    document = tomllib.loads(resume_toml(back_routine(), engine.position()))
    del document["position"]["session_id"]  # as an older unknot wrote it
    import tomli_w

    resume_path().parent.mkdir(parents=True, exist_ok=True)
    resume_path().write_text(tomli_w.dumps(document))
    store = SessionStore()
    offer, notices = store.offer(back_routine())
    assert notices == []
    assert offer is not None and offer.position.session_id == ""
    resumed = Engine.resume_from(back_routine(), offer.position, clock=clock)
    assert store.places.path_of(resumed.session_id) == resume_path()
    assert store.forget_place(resumed.session_id) is None
    assert not resume_path().exists()


def test_a_place_folder_that_cannot_be_listed_is_said(tmp_path: Path) -> None:
    places = Places.default()
    places.folder.parent.mkdir(parents=True, exist_ok=True)
    places.folder.write_text("a file where the folder should be")
    load = places.load()
    assert load.saved == []
    assert len(load.notices) == 1 and "could not be read" in load.notices[0]
