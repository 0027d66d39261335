"""Keys typed at the very start of `unknot`, in a real terminal, are not lost (issue 14,
item 12).

The keys are written to the terminal right after the program is started, long before its first
frame: the terminal is still in line mode then, so an Enter reaches the app as a newline, and
every key waits in the terminal's buffer until the app reads it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from test_app_fakes import FakeClock

from tui.core.engine import Engine
from tui.routine_files.loader import load_routine
from tui.store.resume import Places

try:
    from ptyterm import PtyTerminal, restore_problems
except ImportError as error:  # no fcntl/termios: not a POSIX system
    pytest.skip(f"no pseudo-terminals on this platform ({error})", allow_module_level=True)

UNKNOT = Path(sys.executable).parent / "unknot"
LONG_HOLD = Path(__file__).parent / "data" / "pty" / "long-hold.toml"
ALTERNATE_SCREEN = b"\x1b[?1049h"


def save_a_place(home: Path) -> None:
    """The long-hold routine left five seconds into its first hold, as a quit leaves it."""
    routine = load_routine(LONG_HOLD, "file")
    clock = FakeClock()
    engine = Engine(routine, clock=clock, sleep=clock.sleep)
    engine.start(0)
    clock.advance(6)  # get ready 1 s, then 5 s of the hold
    state = home / ".local/state/unknot"
    Places(state / "resume", state / "resume.toml").save(routine, engine.position())


def type_at_once(term: PtyTerminal, *keys: str) -> None:
    term.send(*keys, gap=0)
    # typed ahead indeed: the app had not switched to its screen yet
    assert ALTERNATE_SCREEN not in term.raw, "the app drew before the keys were typed"


def test_an_enter_typed_before_the_first_frame_resumes(tmp_path: Path) -> None:
    save_a_place(tmp_path)
    with PtyTerminal([str(UNKNOT), "run", str(LONG_HOLD)], home=tmp_path) as term:
        type_at_once(term, "Enter")
        term.wait_title("Paused - Hold 115 - Pty long hold R 1/3", timeout=15)
        term.wait_for("Resumed, paused")
        assert "Resume Pty long hold" not in term.screen_text()
        term.send("q")
        term.wait_for("Quit while the routine")
        term.send("y")
        assert term.wait_exit(10) == 0
        assert restore_problems(term.raw) == []


def test_keys_typed_ahead_are_taken_in_order(tmp_path: Path) -> None:
    # Enter answers the offer, Space then carries on from the place it gave back
    save_a_place(tmp_path)
    with PtyTerminal([str(UNKNOT), "run", str(LONG_HOLD)], home=tmp_path) as term:
        type_at_once(term, "Enter", "Space")
        term.wait_for("Resumed, paused", timeout=15)
        deadline = time.monotonic() + 10
        while not term.title.startswith("Hold 11") and time.monotonic() < deadline:
            time.sleep(0.05)
        # counting down from 115 again, no longer paused
        assert term.title.startswith("Hold 11"), f"{term.title}\n{term.screen_text()}"
        term.send("q")
        term.wait_for("Quit while the routine")
        term.send("y")
        assert term.wait_exit(10) == 0


def test_with_no_place_saved_an_enter_typed_ahead_starts(tmp_path: Path) -> None:
    with PtyTerminal([str(UNKNOT), "run", str(LONG_HOLD)], home=tmp_path) as term:
        type_at_once(term, "Enter")
        term.wait_for("How does your back feel right now", timeout=15)  # asked before a start
        term.send("Enter")
        term.wait_title("Pty long hold", timeout=10)
        term.send("q")
        term.wait_for("Quit while the routine")
        term.send("y")
        assert term.wait_exit(10) == 0
