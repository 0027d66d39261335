"""A saved place edited by hand (issue 14, item 6): every value read back is bounded as the
history's reader bounds its own; a value out of bounds is said (file, field, value) and the
place is moved aside, never resumed and never a traceback. Whatever is resumed is recorded in
the history as something the history's reader takes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ptyterm import PtyTerminal

from tui.core.engine import Engine
from tui.core.model import Routine
from tui.core.steps import Phase
from tui.routine_files.loader import load_routine
from tui.store.history.month import history_dir, month_toml, read_month
from tui.store.history.records import session_from_summary
from tui.store.paths import builtin_dir, state_dir
from tui.store.resume import resume_path, resume_toml
from tui.store.sessions import SessionStore

UNKNOT = str(Path(sys.executable).with_name("unknot"))
SLOW = """\
schema = 1
name = "Slow one"
prepare_seconds = 0

[[stretches]]
id = "reach"
name = "Reach up"
steps = ["Reach up."]
hold_seconds = 1
reps = 1
advance = "manual"
"""


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _routine() -> Routine:
    return load_routine(builtin_dir() / "back-spasm-relief.toml", "built-in")


def _saved_document() -> dict[str, Any]:
    """A place as unknot saves it, part-way through the second stretch, paused, as it reads in
    resume.toml: the one place older versions kept, which names no session."""
    clock = Clock()
    routine = _routine()
    engine = Engine(routine, clock=clock)
    engine.start(1)
    for _ in range(5):
        engine.next()
    clock.now += 1.4
    engine.pause()
    document = tomllib.loads(resume_toml(routine, engine.position()))
    del document["position"]["session_id"]
    return document


def _write(document: dict[str, Any]) -> Path:
    """The place as a file of the kind every unknot reads (resume.toml, the one place older
    versions kept)."""
    path = resume_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(document))
    return path


def _set(document: dict[str, Any], where: tuple[str | int, ...], value: object) -> None:
    table: Any = document
    for step in where[:-1]:
        table = table[step]
    table[where[-1]] = value


HOSTILE = [
    (("position", "elapsed"), 1e12, "position.elapsed", "1000000000000.0"),
    (("position", "paused_seconds"), 1e12, "position.paused_seconds", "1000000000000.0"),
    (("position", "seconds_left"), 1e12, "position.seconds_left", "1000000000000.0"),
    (("position", "seconds_left"), -1.0, "position.seconds_left", "-1.0"),
    (("position", "rep"), 10**9, "position.rep", "1000000000"),
    (("position", "stretch_index"), 10**9, "position.stretch_index", "1000000000"),
    (
        ("position", "counts", 1, "held_seconds"),
        1e12,
        "position.counts[2].held_seconds",
        "1000000000000.0",
    ),
    (
        ("position", "counts", 1, "done", "left"),
        [10**9],
        "position.counts[2].done.left",
        "1000000000",
    ),
    (("position", "plan", 0, "reps"), 10**6, "position.plan[1].reps", "1000000"),
    (("position", "plan", 0, "hold_seconds"), 10**9, "position.plan[1].hold_seconds", "1000000000"),
    (("plan", 0, "hold_seconds"), 10**9, "plan[1].hold_seconds", "1000000000"),
    (
        ("position", "started_at"),
        "2999-01-01T00:00:00+00:00",
        "position.started_at",
        "2999-01-01T00:00:00+00:00",
    ),
    (("position", "started_at"), "0001-01-01T00:00:00", "position.started_at", "0001-01-01"),
    (("saved_at",), datetime(1, 1, 1), "saved_at", "0001-01-01"),
    (("position", "session_id"), "../../../escape", "position.session_id", "../../../escape"),
]


@pytest.mark.parametrize(
    ("where", "value", "field", "shown"),
    HOSTILE,
    ids=[f"{h[2]}={h[3]}" for h in HOSTILE],
)
def test_a_value_out_of_bounds_is_said_and_the_place_moved_aside(
    where: tuple[str | int, ...], value: object, field: str, shown: str
) -> None:
    document = _saved_document()
    _set(document, where, value)
    path = _write(document)
    text = path.read_bytes()
    offer, notices = SessionStore().offer(_routine())
    assert offer is None
    assert len(notices) == 1, notices
    assert "resume.toml" in notices[0], notices
    assert field in notices[0], notices
    assert shown in notices[0], notices
    assert not path.exists()
    kept = [p for p in state_dir().iterdir() if p.name.startswith("resume.toml.broken-")]
    assert [p.read_bytes() for p in kept] == [text]


def test_a_place_in_bounds_is_still_offered() -> None:
    _write(_saved_document())
    offer, notices = SessionStore().offer(_routine())
    assert notices == []
    assert offer is not None
    assert offer.question.startswith("Resume Back spasm relief at Trunk rotations, ")


_LEAVES: list[tuple[str | int, ...]] = [
    ("saved_at",),
    ("question",),
    ("routine_name",),
    ("stretch_ids", 1),
    ("plan", 1, "reps"),
    ("position", "stretch_index"),
    ("position", "side"),
    ("position", "rep"),
    ("position", "phase"),
    ("position", "seconds_left"),
    ("position", "rest_kind"),
    ("position", "waiting"),
    ("position", "elapsed"),
    ("position", "paused_seconds"),
    ("position", "started_at"),
    ("position", "session_id"),
    ("position", "plan", 1, "hold_seconds"),
    ("position", "plan", 1, "reps"),
    ("position", "counts", 1, "held_seconds"),
    ("position", "counts", 1, "done", "right"),
    ("position", "counts", 1, "skipped", "left"),
]
_VALUES = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.booleans(),
    st.datetimes(timezones=st.none() | st.just(UTC)),
    st.lists(st.integers(min_value=-5, max_value=10**6), max_size=3),
    st.sampled_from(
        ["2026-12-06T10:30:30+00:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59+00:00"]
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(_LEAVES), _VALUES)
def test_whatever_a_hand_edit_puts_in_a_place_is_refused_or_recorded_readably(
    where: tuple[str | int, ...], value: object
) -> None:
    document = _saved_document()
    _set(document, where, value)
    _write(document)
    routine = _routine()
    offer, notices = SessionStore().offer(routine)  # never raises
    assert all(isinstance(n, str) and n for n in notices)
    if offer is None:
        return
    clock = Clock()
    engine = Engine.resume_from(routine, offer.position, clock=clock)
    engine.resume()
    for _ in range(200):
        if engine.snapshot.phase == Phase.DONE:
            break
        engine.next()
    session = session_from_summary(engine.summary)
    assert session is not None
    month = Path(state_dir()) / "check-month.toml"
    month.write_text(month_toml([session]))
    read = read_month(month)
    assert read.problems == [], read.problems
    assert read.sessions == [session]


def test_a_hand_edited_place_is_refused_by_plain_mode(tmp_path: Path) -> None:
    """As found: a place saved by quitting mid-routine, its elapsed edited to 1e12."""
    routine = tmp_path / "slow.toml"
    routine.write_text(SLOW)
    home = tmp_path / "home-edit"
    home.mkdir()
    argv = [UNKNOT, "run", "--plain", str(routine)]
    with PtyTerminal(argv, cols=200, rows=40, home=home) as first:
        first.wait_for("How does your back feel right now")
        first.send("Enter")
        first.wait_for("Press Space to start, q to quit.")
        first.send("Space")
        first.wait_for("Get in position: Reach up")
        first.send("q")
        first.wait_for("Press q again")
        first.send("q")
        first.wait_for("Saved where you stopped")
        assert first.wait_exit(10) == 0
    state = home / ".local/state/unknot"
    places = list(state.rglob("*.toml"))
    assert len(places) == 1, places
    text = places[0].read_text()
    edited = re.sub(r"(?m)^elapsed = .*$", "elapsed = 1e12", text)
    assert edited != text
    places[0].write_text(edited)
    with PtyTerminal(argv, cols=200, rows=40, home=home) as second:
        second.wait_for("How does your back feel right now")
        shown = second.raw.decode(errors="replace")
        second.send("q")
        second.close()
    assert "Resume" not in shown, shown
    assert "Traceback" not in shown, shown
    said = " ".join(shown.split())
    assert places[0].name in said, said
    assert "position.elapsed" in said, said
    assert "1000000000000.0" in said, said
    assert [p for p in state.rglob("*.toml")] == []
    assert [p.name for p in state.rglob("*.broken-*")] != []


def test_history_text_and_json_count_the_same_sessions(tmp_path: Path) -> None:
    """A history holding hostile values: `unknot history` and `unknot history --json` count
    the same sessions, the ones the history's reader takes."""
    from tui.store.history.recorder import HistoryRecorder
    from tui.store.history.records import Session, StretchRecord

    zone = datetime(2026, 3, 2, 8, tzinfo=UTC).tzinfo
    held = StretchRecord("reach", "Reach up", 1, {"none": 1}, 0, 10, 10.0)

    def session(day: int, total: float, **more: Any) -> Session:
        start = datetime(2026, 3, day, 8, tzinfo=zone)
        fields: dict[str, Any] = {
            "routine_id": "slow",
            "routine_name": "Slow one",
            "started_at": start,
            "ended_at": start,
            "finished": True,
            "total_seconds": total,
            "paused_seconds": 0.0,
            "stretches": (held,),
        }
        fields.update(more)
        return Session(**fields)

    recorder = HistoryRecorder()
    for good in (session(2, 600.0), session(3, 300.0)):
        assert recorder.record(good).saved
    # what a resumed hand-edited place used to record: the recorder writes it, the reader
    # (rightly) refuses it
    assert recorder.record(session(4, 1000000000012.7)).saved
    # and a month edited by hand: one good record, one with hostile values
    february = history_dir() / "2026-02.toml"
    february.write_text(
        '# unknot history\nschema = 1\n\n[[session]]\nroutine_id = "slow"\n'
        "started = 2026-02-20T08:00:00+00:00\nended = 2026-02-20T08:10:00+00:00\n"
        "finished = false\ntotal_seconds = 120.0\npaused_seconds = 0.0\n\n"
        '[[session.stretch]]\nid = "reach"\nreps_planned = 1\nreps_skipped = 0\n'
        "hold_seconds = 10\nheld_seconds = 10.0\n\n[session.stretch.reps_done]\nnone = 1\n\n"
        '[[session]]\nroutine_id = "slow"\nstarted = 2026-02-21T08:00:00+00:00\n'
        "ended = 2026-02-21T08:10:00+00:00\nfinished = true\ntotal_seconds = inf\n"
        "paused_seconds = -5\npain_before = 11\n"
    )
    runs: dict[str, str] = {}
    for name, extra in (("text", []), ("json", ["--json"])):
        done = subprocess.run(
            [UNKNOT, "history", *extra], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        runs[name] = done.stdout
    data = json.loads(runs["json"])
    text = runs["text"]
    assert data["total_minutes"] == 17  # 600 + 300 + 120 seconds: the sessions the reader takes
    assert _figure(text, r"Total: (\d+) min") == data["total_minutes"], text
    assert len(_recent(text)) == len(data["sessions"]) == 3, text
    assert [s["counts"] for s in data["sessions"]] == [True, True, True]
    assert data["sessions_count"] == 3


def _figure(text: str, pattern: str) -> int:
    found = re.search(pattern, text)
    assert found is not None, text
    return int(found[1])


def _recent(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("Recent sessions") + 1
    recent: list[str] = []
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        recent.append(line)
    return recent
