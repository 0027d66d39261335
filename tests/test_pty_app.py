"""The installed `unknot` in a real pseudo-terminal: keys in, screen out, and a clean exit.

However the app ends (a key, SIGTERM, SIGHUP, SIGINT, the terminal hanging up), it must leave the
terminal as it found it: normal screen, mouse reporting off, cursor shown, title given back; and
the exit status says how it ended (0 for a key, 128 + the signal number for a signal).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

try:
    from ptyterm import PtyTerminal, count_bells, restore_problems
except ImportError as error:  # no fcntl/termios: not a POSIX system
    pytest.skip(f"no pseudo-terminals on this platform ({error})", allow_module_level=True)

DATA = Path(__file__).parent / "data" / "pty"
UNKNOT = Path(sys.executable).parent / "unknot"
LONG_HOLD = DATA / "long-hold.toml"
TWO_STRETCH = """\
schema = 1
name = "Pty two stretches"
prepare_seconds = 0
rest_seconds = 0

[[stretches]]
id = "pty-knee"
name = "Pty knee hug"
steps = ["Pull one knee in.", "Let it go slowly."]
hold_seconds = 60
reps = 1
sides = "each"
switch_seconds = 1

[[stretches]]
id = "pty-reach"
name = "Pty hamstring reach"
steps = ["Reach toward the toes."]
hold_seconds = 1
reps = 2
rest_between_reps = 0
"""
"""The knee hug's holds last a minute, so the keys pressed in them (pause, mute, next) always
meet the hold the test saw; the rest (no get-ready, no rests) runs out by itself in 3 s."""


def unknot(*args: str | Path, cols: int = 80, rows: int = 24) -> PtyTerminal:
    assert UNKNOT.exists(), f"{UNKNOT} is missing: install the project into .venv"
    return PtyTerminal([str(UNKNOT), *map(str, args)], cols=cols, rows=rows)


def start_routine(term: PtyTerminal, name: str) -> None:
    """Wait for the app, press Space, and wait until the routine runs (its title names it)."""
    term.wait_for(name)
    term.send("Space")
    term.wait_for("How does your back feel")  # the pain question: Enter skips
    term.send("Enter")
    term.wait_title(name)  # idle, the title is just "unknot"


def test_two_stretch_routine_from_first_key_to_summary(tmp_path: Path) -> None:
    routine = tmp_path / "two-stretch.toml"
    routine.write_text(TWO_STRETCH)
    with unknot("run", routine, "--notify") as term:
        term.wait_for("Pty knee hug")
        assert "Pty hamstring reach" in term.screen_text()
        term.send("Space")
        term.wait_for("How does your back feel")
        term.send("Enter")
        term.wait_title("Hold ")
        assert "Pty knee hug R 1/1" in term.title  # the title follows the routine
        # paused (so the timer cannot run ahead of the keys), m mutes: then the switch
        # (2 bells) and the next hold (1 bell) stay silent
        term.send("Space")
        term.wait_title("Paused - Hold ")
        term.send("m")
        term.wait_for("muted")
        muted_at = count_bells(term.raw)
        assert muted_at > 0  # the first hold rang
        term.send("Space")
        term.wait_title("Hold ")  # resumed
        term.send("n")  # the rest of the right hold skipped: the switch, then the left hold
        term.wait_title("Switch sides")
        term.wait_title("Hold 60 - Pty knee hug L")
        assert count_bells(term.raw) == muted_at
        term.send("m")  # and m again brings the bells back for the second stretch
        term.wait_gone("muted")  # the heading says so no more
        term.send("n")
        term.wait_title("Pty hamstring reach")
        term.wait_for("How does your back feel now")  # asked after the last
        term.send("Enter")
        term.wait_for("Routine done")  # the summary screen
        assert count_bells(term.raw) > muted_at
        assert "Pty two stretches" in term.screen_text()
        term.send("Escape")
        term.wait_gone("Routine done")
        term.send("q")  # nothing runs any more: quits without asking
        assert term.wait_exit() == 0
        raw = term.raw
    assert restore_problems(raw) == []
    # --notify: desktop notices through the terminal (OSC 9 for xterm-256color)
    assert b"\x1b]9;Switch to the left side: Pty knee hug\x1b\\" in raw
    assert b"\x1b]9;Next: Pty hamstring reach: Pty knee hug done\x1b\\" in raw
    assert b"\x1b]9;Routine done: " in raw


@pytest.mark.parametrize(
    ("sig", "status"),
    [(signal.SIGHUP, 129), (signal.SIGTERM, 143), (signal.SIGINT, 130)],
    ids=["SIGHUP", "SIGTERM", "SIGINT"],
)
def test_a_signal_while_a_routine_runs_ends_cleanly(sig: int, status: int) -> None:
    with unknot("run", LONG_HOLD) as term:
        start_routine(term, "Pty long hold")
        term.signal(sig)
        assert term.wait_exit() == status
        raw = term.raw
    assert restore_problems(raw) == []
    assert b"\x1b[22;0t" in raw  # the title had been set, and restore_problems saw it popped


def test_the_terminal_hanging_up_ends_the_app() -> None:
    # a dropped SSH connection: the terminal is gone, the app gets SIGHUP and cannot write
    with unknot("run", LONG_HOLD) as term:
        start_routine(term, "Pty long hold")
        term.hangup()
        assert term.wait_exit() == 129


def test_no_bell_means_no_bell() -> None:
    with unknot("run", LONG_HOLD, "--no-bell") as term:
        start_routine(term, "Pty long hold")
        term.wait_title("Hold ")  # a hold began: that rings, unless the bell is off
        term.send("q")
        # the dialog is drawn after the hold's bell would have been written
        term.wait_for("Quit while the routine")  # asks first while a routine runs
        term.send("y")
        assert term.wait_exit() == 0
        raw = term.raw
    assert count_bells(raw) == 0
    assert restore_problems(raw) == []


def test_resizing_down_to_20x6_and_back_while_the_timer_runs() -> None:
    with unknot("run", LONG_HOLD) as term:
        start_routine(term, "Pty long hold")
        for cols, rows in ((60, 20), (40, 12), (20, 6), (25, 7), (20, 6), (100, 30), (80, 24)):
            before = term.received
            term.resize(cols, rows)
            # redrawn at this size before the next change: the footer comes again, at any size
            # (its q Quit at least, which a narrow footer keeps when others give way)
            term.wait_output("Quit", since=before)
        term.wait_for("Pty long hold")
        assert "Pty long hold" in term.title
        term.send("q")
        term.wait_for("Quit while the routine")
        term.send("y")
        assert term.wait_exit() == 0
        raw = term.raw
    assert restore_problems(raw) == []


@pytest.mark.parametrize("underneath", ["main", "help"])
def test_ctrl_c_twice_quits_and_keeps_the_place(underneath: str) -> None:
    # issue 14, item 8: Ctrl+C is a byte in the app's raw terminal, not SIGINT; the second
    # one answers "Quit while the routine is running?" with yes, keeping the place as y does
    with unknot("run", LONG_HOLD) as term:
        start_routine(term, "Pty long hold")
        if underneath == "help":
            term.send("?")
            term.wait_for("Keys act on the highlighted stretch")
        term.send("Ctrl+C")
        term.wait_for("Quit while the routine")
        term.send("Ctrl+C")
        try:
            status = term.wait_exit(10)
        except subprocess.TimeoutExpired:
            shown = term.screen_text()
            raise AssertionError(f"still running after Ctrl+C twice:\n{shown}") from None
        assert status == 0, term.screen_text()
        raw = term.raw
        saved = list((term.home / ".local/state/unknot/resume").glob("*.toml"))
        assert len(saved) == 1, f"no place kept; screen:\n{term.screen_text()}"
    assert restore_problems(raw) == []


@pytest.mark.parametrize("burst", ["qy", "q\r"], ids=["q y", "q Enter"])
def test_quit_and_its_answer_in_one_read_quit_keeping_the_place(burst: str) -> None:
    # issue 14: over a slow link keys typed a moment apart arrive together; the answer must
    # reach the question its key before opened, not the screen underneath
    with unknot("run", LONG_HOLD) as term:
        start_routine(term, "Pty long hold")
        term.send(burst)  # one write: the app reads both keys at once
        try:
            status = term.wait_exit(10)
        except subprocess.TimeoutExpired:
            shown = term.screen_text()
            raise AssertionError(f"still running after {burst!r} in one read:\n{shown}") from None
        assert status == 0, term.screen_text()
        raw = term.raw
        saved = list((term.home / ".local/state/unknot/resume").glob("*.toml"))
        assert len(saved) == 1, f"no place kept; screen:\n{term.screen_text()}"
    assert restore_problems(raw) == []
