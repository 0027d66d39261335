"""Plain mode as a person meets it: the installed `unknot` in a real terminal, keys only, and
with no terminal at all (pipes), reading the lines it writes."""

from __future__ import annotations

import signal
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from ptyterm import HANG, PtyTerminal

from tui.store.history.index import load_entries

UNKNOT = str(Path(sys.executable).with_name("unknot"))
TINY = """\
schema = 1
name = "Tiny"
prepare_seconds = 0

[[stretches]]
id = "breathe"
name = "Breathe"
steps = ["Breathe out slowly."]
hold_seconds = 1
reps = 1
"""
TWO = """\
schema = 1
name = "Two quick ones"
prepare_seconds = 30
rest_seconds = 1

[[stretches]]
id = "knee"
name = "Knee hug"
steps = ["Lie on your back.", "Pull one knee in."]
hold_seconds = 30
reps = 1
sides = "each"
switch_seconds = 30

[[stretches]]
id = "tilt"
name = "Pelvic tilt"
steps = ["Press the small of your back down."]
hold_seconds = 1
reps = 2
rest_between_reps = 1
"""
"""Every phase a key acts on lasts 30 s, so a key always meets the phase the test saw (a busy
machine may take a second to deliver it); only the pelvic tilt's short holds and rests, which no
key touches, run out by themselves."""


@pytest.fixture
def two(tmp_path: Path) -> Path:
    path = tmp_path / "two.toml"
    path.write_text(TWO)
    return path


def _modes(term: PtyTerminal) -> tuple[bool, bool]:
    """(canonical, echo) of the terminal now, read through our side of the pty."""
    lflag = termios.tcgetattr(term.master)[3]
    return bool(lflag & termios.ICANON), bool(lflag & termios.ECHO)


def test_a_whole_routine_with_keys_only(two: Path) -> None:
    home = two.parent / "pty-home"
    home.mkdir()
    command = [UNKNOT, "run", "--plain", str(two)]
    with PtyTerminal(command, cols=100, rows=30, home=home) as term:
        term.wait_output("How does your back feel right now")
        term.send("3", "Enter")
        term.wait_output("Press Space to start, q to quit.")
        assert _modes(term) == (False, False)  # keys one at a time, not echoed
        term.send("Space")
        term.wait_output("Get ready: Knee hug, right side, 30 s")
        term.send("n")
        term.wait_output("Hold, right, rep 1 of 1, 30 s")
        term.send("n")
        term.wait_output("Switch to the left side, 30 s")
        term.send("Space")
        term.wait_output("Paused. Press Space to resume.")
        term.send("Space")
        term.wait_output("Resumed: Switch sides")
        term.send("n")
        term.wait_output("Hold, left, rep 1 of 1, 30 s")
        term.send("n")
        term.wait_output("Step 1: Press the small of your back down.")
        term.wait_output("Get ready: Pelvic tilt, 30 s")
        term.send("n")
        term.wait_output("Done: 2 stretches")
        term.wait_output("How does your back feel now, after the routine")
        assert _modes(term) == (True, True)  # the terminal is as we found it
        term.send("2", "Enter")
        assert term.wait_exit() == 0
        raw = term.raw
    assert b"\x1b" not in raw  # no cursor movement, no colour, nothing but text
    assert raw.count(b"\x07") >= 6  # hold, switch, stretch done ...
    text = raw.decode().replace("\x07", "").replace("\r", "")
    said = [line for line in text.split("\n") if line]
    # each event is one line, written once
    assert said.count("Hold, left, rep 1 of 1, 30 s") == 1
    assert said.count("Step 1: Lie on your back.") == 1
    assert said.index("Rest 1 s. Next: Pelvic tilt") < said.index("Stretch 2 of 2: Pelvic tilt")
    assert (
        said.index("Hold, rep 1 of 2, 1 s")
        < said.index("Rest 1 s")
        < said.index("Hold, rep 2 of 2, 1 s")
    )
    entries = load_entries(home / ".local/share/unknot/history").entries
    assert [(e.routine_id, e.finished, e.pain_before, e.pain_after) for e in entries] == [
        ("two", True, 3, 2)
    ]


def test_a_signal_leaves_the_terminal_as_found_and_the_place_to_resume(two: Path) -> None:
    home = two.parent / "pty-home"
    home.mkdir()
    with PtyTerminal([UNKNOT, "run", "--plain", str(two)], home=home) as term:
        term.wait_output("How does your back feel right now")
        term.send("Enter")
        term.wait_output("Press Space to start")
        term.send("Space")
        term.wait_output("Get ready: Knee hug")
        term.send("n")
        term.wait_output("Hold, right, rep 1 of 1, 30 s")
        term.send("n")
        term.wait_output("Switch to the left side, 30 s")
        term.send("Space")
        term.wait_output("Paused. Press Space to resume.")
        term.signal(signal.SIGTERM)
        assert term.wait_exit() == 128 + signal.SIGTERM
        raw = term.raw.decode().replace("\x07", "")
    assert "Stopped after 0 of 2 stretches" in raw
    assert "Saved where you stopped" in raw
    assert len(list((home / ".local/state/unknot/resume").glob("*.toml"))) == 1

    with PtyTerminal([UNKNOT, "run", "--plain", str(two)], home=home) as term:
        term.wait_output("Resume Two quick ones at Knee hug")
        term.wait_output("Enter resumes")
        assert _modes(term) == (True, True)  # the last run put the terminal back
        term.send("Enter")
        term.wait_output("Paused. Press Space to carry on.")
        term.send("Space")
        term.wait_output("Resumed: Switch sides")
        term.send("q")
        term.wait_output("Stop the routine? Press q again")
        term.send("q")
        term.wait_output("Saved where you stopped")
        assert term.wait_exit() == 0


def test_no_terminal_runs_by_itself_and_writes_plain_lines(two: Path) -> None:
    # quick: 1 s holds, no get-ready, switch or rest (the same otherwise)
    quick = TWO
    for slow, fast in [
        ("prepare_seconds = 30", "prepare_seconds = 0"),
        ("rest_seconds = 1", "rest_seconds = 0"),
        ("switch_seconds = 30", "switch_seconds = 0"),
        ("hold_seconds = 30", "hold_seconds = 1"),
        ("rest_between_reps = 1", "rest_between_reps = 0"),
    ]:
        quick = quick.replace(slow, fast)
    two.write_text(quick)
    done = subprocess.run(
        [UNKNOT, "run", str(two)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=HANG,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode().splitlines() == [
        "unknot: output is not a terminal, so the routine runs in plain line mode (--plain)."
    ]
    out = done.stdout.decode()
    assert "\x1b" not in out
    said = out.replace("\x07", "").splitlines()
    assert said[0] == "Two quick ones: 2 stretches, about 4 seconds."
    assert "Press Space" not in out and "How does your back feel" not in out
    assert said[-1] == "Done: 2 stretches, 4 seconds"


def test_plain_asked_for_gives_no_note(tmp_path: Path) -> None:
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(TINY)
    done = subprocess.run(
        [UNKNOT, "run", "--plain", "--no-bell", str(tiny)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=HANG,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == b""
    assert b"\x07" not in done.stdout
    assert done.stdout.decode().splitlines()[-1] == "Done: 1 stretch, 1 second"


@pytest.mark.parametrize(
    ("key", "signum"), [("Ctrl+C", signal.SIGINT), ("Ctrl+\\", signal.SIGQUIT)]
)
def test_a_dumb_terminal_gets_plain_mode_with_a_note(two: Path, key: str, signum: int) -> None:
    with PtyTerminal([UNKNOT, "run", str(two)], env={"TERM": "dumb"}) as term:
        term.wait_output("TERM is dumb, so the routine runs in plain line mode (--plain).")
        term.wait_output("How does your back feel right now")
        term.send("Enter")
        term.wait_output("Press Space to start, q to quit.")
        term.send("Space")
        term.wait_output("Get ready: Knee hug")
        term.send(key)
        term.wait_output("Stopped after 0 of 2 stretches")
        assert term.wait_exit() == 128 + signum
        assert _modes(term) == (True, True)
        assert b"\x1b" not in term.raw


@pytest.mark.parametrize(
    ("args", "env"),
    [(["--plain"], {}), ([], {"TERM": None})],
    ids=["plain-asked-for", "TERM-unset"],
)
def test_a_dropped_connection_saves_the_place(
    two: Path, args: list[str], env: dict[str, str | None]
) -> None:
    home = two.parent / "pty-home"
    home.mkdir()
    with PtyTerminal([UNKNOT, "run", *args, str(two)], home=home, env=env) as term:
        term.wait_output("How does your back feel right now")
        term.send("Enter")
        term.wait_output("Press Space to start")
        term.send("Space")
        term.wait_output("Get ready: Knee hug")
        term.hangup()  # the SSH connection drops: SIGHUP, and nothing can be written any more
        # 128 + SIGHUP, as for any signal: the buffered lines nobody can read any more must not
        # make it Python's 120 (a failed flush at exit)
        assert term.wait_exit() == 128 + signal.SIGHUP
    [place] = (home / ".local/state/unknot/resume").glob("*.toml")
    assert "Knee hug" in place.read_text()
    entries = load_entries(home / ".local/share/unknot/history").entries
    assert [(e.routine_id, e.finished) for e in entries] == [("two", False)]
