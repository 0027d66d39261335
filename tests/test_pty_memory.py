"""The installed `unknot` in a real pseudo-terminal: a routine is started, the terminal's
SIGHUP ends the app, and the next start offers and restores the same place."""

from __future__ import annotations

import math
import signal
import sys
import tomllib
from pathlib import Path

import pytest

try:
    from ptyterm import PtyTerminal, restore_problems
except ImportError as error:  # no fcntl/termios: not a POSIX system
    pytest.skip(f"no pseudo-terminals on this platform ({error})", allow_module_level=True)

UNKNOT = Path(sys.executable).parent / "unknot"
LONG_HOLD = Path(__file__).parent / "data" / "pty" / "long-hold.toml"


def test_sighup_saves_the_place_and_the_next_start_resumes_there(tmp_path: Path) -> None:
    home = tmp_path / "pty-home"
    home.mkdir()
    command = [str(UNKNOT), "run", str(LONG_HOLD)]
    with PtyTerminal(command, home=home) as term:
        term.wait_for("Pty long hold")
        term.send("Space")
        term.wait_for("How does your back feel right now")
        term.send("4")
        term.wait_title("Hold 118 - ")  # two seconds into the first hold
        term.signal(signal.SIGHUP)
        assert term.wait_exit() == 129
        assert restore_problems(term.raw) == []
    [place] = (home / ".local/state/unknot/resume").glob("*.toml")
    saved = tomllib.loads(place.read_text("utf-8"))
    position = saved["position"]
    assert position["phase"] == "hold" and position["rep"] == 1
    history = list((home / ".local/share/unknot/history").glob("*.toml"))
    [month] = history
    [session] = tomllib.loads(month.read_text("utf-8"))["session"]
    assert session["finished"] is False and session["pain_before"] == 4
    # the place and the record name the same session: resumed, it replaces that record
    assert session["session_id"] == position["session_id"] == place.stem

    with PtyTerminal(command, home=home) as term:
        term.wait_for("Resume Pty long hold at Pty long hold, right, rep 1 of 3?")
        assert "Enter resume / Esc start over" in term.screen_text()
        term.send("Enter")
        term.wait_gone("Resume Pty long hold")
        term.wait_title("Paused")  # back at the hold, paused until Space
        seconds = math.ceil(position["seconds_left"])
        assert seconds <= 118
        assert f"Paused - Hold {seconds} - Pty long hold R 1/3" in term.title
        term.send("Space")
        term.until(lambda: not term.title.startswith("Paused"), "the hold did not go on")
        assert term.title.startswith("Hold ")
        term.send("q")
        term.wait_for("Quit while the routine")
        term.send("y")
        assert term.wait_exit() == 0
