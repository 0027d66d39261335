"""Two unknot sessions at once, as two terminals make them (issue 14, items 1 and 5).

Every session is kept in the history whatever else runs at the same moment, and each session
keeps, and removes, only its own place to resume. Each test runs real processes: two writers
released together, or `unknot run --plain` in real terminals and with no terminal at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ptyterm import PtyTerminal

from tui.store.history.index import load_sessions

UNKNOT = str(Path(sys.executable).with_name("unknot"))
QUICK = """\
schema = 1
name = "Quick"
prepare_seconds = 0

[[stretches]]
id = "breathe"
name = "Breathe"
steps = ["Breathe out slowly."]
hold_seconds = 1
reps = 1
"""
# two stretches that each wait for Space: a test can stop at either one, at its own pace
SLOW = """\
schema = 1
name = "Slow one"
prepare_seconds = 0
rest_seconds = 0

[[stretches]]
id = "reach"
name = "Reach up"
steps = ["Reach up."]
hold_seconds = 1
reps = 1
advance = "manual"

[[stretches]]
id = "bend"
name = "Bend forward"
steps = ["Bend forward."]
hold_seconds = 1
reps = 1
advance = "manual"
"""

# One session the way the app makes and records it (the engine and the app's SessionStore),
# started at a fixed wall-clock second, so that two of these start in the same second however
# the machine schedules them. It says "ready", and records once a line arrives on stdin: the
# test releases both writers together.
WRITER = """
import sys
from datetime import datetime, timezone
from pathlib import Path

from tui.core.engine import Engine
from tui.routine_files.loader import load_routine
from tui.store.sessions import SessionStore

routine = load_routine(Path(sys.argv[1]), "file")
second = datetime(2026, 3, 2, 8, 0, 0, tzinfo=timezone.utc)
now = [100.0]
engine = Engine(routine, clock=lambda: now[0], wall=lambda: second)
engine.start()
now[0] += 60
engine.tick()
assert engine.summary.finished, engine.snapshot
print("ready", flush=True)
sys.stdin.readline()
for message in SessionStore().record(engine.summary):
    print(message, flush=True)
print("recorded", flush=True)
"""


@pytest.fixture
def quick(tmp_path: Path) -> Path:
    path = tmp_path / "quick.toml"
    path.write_text(QUICK)
    return path


@pytest.fixture
def slow(tmp_path: Path) -> Path:
    path = tmp_path / "slow.toml"
    path.write_text(SLOW)
    return path


def _read_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        _out, err = process.communicate(timeout=60)
        raise AssertionError(f"the writer ended early (status {process.returncode}):\n{err}")
    return line.strip()


def test_two_sessions_started_in_the_same_second_are_both_kept(quick: Path) -> None:
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(quick)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        assert [_read_line(w) for w in writers] == ["ready", "ready"]
        for writer in writers:  # released together: both want the history at once
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        results = [w.communicate(timeout=60) for w in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
    assert [w.returncode for w in writers] == [0, 0], results
    assert [out.split() for out, _err in results] == [["recorded"], ["recorded"]], results
    sessions, problems, notices = load_sessions()
    assert (problems, notices) == ([], [])
    assert [(s.routine_id, s.started_at.isoformat(), s.finished) for s in sessions] == [
        ("quick", "2026-03-02T08:00:00+00:00", True),
        ("quick", "2026-03-02T08:00:00+00:00", True),
    ], sessions
    assert len({s.session_id for s in sessions}) == 2


def _home(tmp_path: Path, name: str) -> Path:
    home = tmp_path / name
    home.mkdir()
    return home


def _plain(home: Path, routine: Path) -> PtyTerminal:
    """`unknot run --plain ROUTINE` in a real terminal, with `home` for its folders."""
    return PtyTerminal([UNKNOT, "run", "--plain", str(routine)], cols=120, rows=40, home=home)


def _start(term: PtyTerminal) -> None:
    term.wait_for("How does your back feel right now")
    term.send("Enter")
    term.wait_for("Press Space to start, q to quit.")
    term.send("Space")
    term.wait_for("Get in position: Reach up")


def _stop(term: PtyTerminal) -> None:
    """q, q: stop mid-routine (the place is kept); the process ends by itself."""
    term.send("q")
    term.wait_for("Stop the routine? Press q again")
    term.send("q")
    term.wait_for("Saved where you stopped")
    assert term.wait_exit(10) == 0, term.screen_text()


def _finish_without_a_terminal(home: Path, routine: Path) -> str:
    """Another instance runs a routine to its end with no terminal (it starts by itself)."""
    env = dict(os.environ)
    env["HOME"] = str(home)
    for name, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        env[name] = str(home / sub)
    env.pop("TERM", None)
    done = subprocess.run(
        [UNKNOT, "run", "--plain", str(routine)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Done: 1 stretch" in done.stdout, done.stdout
    return done.stdout


def _places(home: Path) -> list[str]:
    state = home / ".local/state/unknot"
    return sorted(str(p.relative_to(state)) for p in state.rglob("*.toml"))


def test_a_finish_elsewhere_leaves_anothers_place_to_resume(
    tmp_path: Path, slow: Path, quick: Path
) -> None:
    home = _home(tmp_path, "home-a")
    with _plain(home, slow) as first:  # instance A stops mid-routine: its place is saved
        _start(first)
        _stop(first)
    assert len(_places(home)) == 1
    _finish_without_a_terminal(home, quick)  # instance B finishes its own routine
    assert len(_places(home)) == 1, "B removed a place that was not its own"
    with _plain(home, slow) as later:  # the next start still offers A's place
        later.wait_for("Resume Slow one at Reach up,")
        later.wait_for("Enter resumes, n starts over")
        later.send("Enter")
        later.wait_for("Paused. Press Space to carry on.")
        later.send("Space")
        later.wait_for("Resumed: Get ready")  # still waiting for "in position"
        later.send("Space")
        later.wait_for("Hold, rep 1 of 1")
        later.wait_for("Get in position: Bend forward")
        later.send("Space")
        later.wait_for("Done: 2 stretches", timeout=20)
        later.wait_for("How does your back feel now, after the routine")
        later.send("Enter")
        assert later.wait_exit(10) == 0
    assert _places(home) == []  # finishing A's session removed A's place, its own
    sessions, problems, _ = load_sessions(home / ".local/share/unknot/history")
    assert problems == []
    # A's session once, finished (its stopped record replaced), and B's
    assert sorted((s.routine_id, s.finished) for s in sessions) == [
        ("quick", True),
        ("slow", True),
    ], sessions


def test_two_instances_that_both_stop_each_keep_their_place(tmp_path: Path, slow: Path) -> None:
    home = _home(tmp_path, "home-b")
    with _plain(home, slow) as first, _plain(home, slow) as second:
        _start(first)
        _start(second)
        second.send("Space")  # B does the first stretch and stops at the second
        second.wait_for("Get in position: Bend forward")
        _stop(first)  # A stops at the first stretch
        _stop(second)
    assert len(_places(home)) == 2, _places(home)
    with _plain(home, slow) as third:  # the newest place is offered: B's
        third.wait_for("Resume Slow one at Bend forward,")
        third.wait_for("Enter resumes, n starts over")
        third.send("n", "Enter")  # start over: B's place goes, A's stays
        third.wait_for("How does your back feel right now")
        third.send("Enter")
        third.wait_for("Press Space to start, q to quit.")
        third.send("q")
        assert third.wait_exit(10) == 0
    assert len(_places(home)) == 1, _places(home)
    with _plain(home, slow) as fourth:
        fourth.wait_for("Resume Slow one at Reach up,")
        fourth.send("q")
        fourth.close()
    sessions, problems, _ = load_sessions(home / ".local/share/unknot/history")
    assert problems == []
    assert [(s.routine_id, s.finished) for s in sessions] == [("slow", False), ("slow", False)]


def _claims(home: Path) -> list[str]:
    state = home / ".local/state/unknot"
    return sorted(str(p.relative_to(state)) for p in state.rglob("*.claim"))


def _leave_one_place(home: Path, slow: Path) -> None:
    with _plain(home, slow) as first:
        _start(first)
        _stop(first)
    assert len(_places(home)) == 1, _places(home)


def test_two_windows_answering_the_same_offer_carry_the_session_on_once(
    tmp_path: Path, slow: Path
) -> None:
    # both offered the one place; the first Enter resumes it, the second is told and starts
    # fresh: one session, one record of it, never two carrying the same identity
    home = _home(tmp_path, "home-c")
    _leave_one_place(home, slow)
    with _plain(home, slow) as first, _plain(home, slow) as second:
        first.wait_for("Enter resumes, n starts over")
        second.wait_for("Enter resumes, n starts over")
        first.send("Enter")
        first.wait_for("Paused. Press Space to carry on.")
        second.send("Enter")
        second.wait_for("This session was resumed in another window.")
        assert "Paused. Press Space to carry on." not in second.screen_text()
        second.wait_for("How does your back feel right now")  # a fresh start
        second.send("Enter")
        second.wait_for("Press Space to start, q to quit.")
        second.send("q")
        assert second.wait_exit(10) == 0, second.screen_text()
        first.send("Space")
        first.wait_for("Resumed: Get ready")
        _stop(first)  # the place is kept again, by the one that carried it on
    assert len(_places(home)) == 1 and _claims(home) == [], (_places(home), _claims(home))
    sessions, problems, _ = load_sessions(home / ".local/share/unknot/history")
    assert problems == []
    assert [(s.routine_id, s.finished) for s in sessions] == [("slow", False)], sessions


def test_a_session_carried_on_is_not_offered_elsewhere_until_its_window_is_gone(
    tmp_path: Path, slow: Path
) -> None:
    home = _home(tmp_path, "home-d")
    _leave_one_place(home, slow)
    with _plain(home, slow) as first:
        first.wait_for("Enter resumes, n starts over")
        first.send("Enter")
        first.wait_for("Paused. Press Space to carry on.")
        with _plain(home, slow) as other:  # opened meanwhile: nothing to resume here
            other.wait_for("How does your back feel right now")
            assert "Resume Slow one" not in other.screen_text(), other.screen_text()
            other.send("Enter")
            other.wait_for("Press Space to start, q to quit.")
            other.send("q")
            assert other.wait_exit(10) == 0
        first.close()  # killed (SIGKILL): it could save nothing, not even its place
    assert _places(home) == [] and len(_claims(home)) == 1, (_places(home), _claims(home))
    with _plain(home, slow) as later:  # the place is offered again at once, as it was
        later.wait_for("Resume Slow one at Reach up,")
        later.send("q")
        later.close()
    assert len(_places(home)) == 1 and _claims(home) == [], (_places(home), _claims(home))
