"""The installed `unknot` in a real terminal, its folders really read-only (issue 14, item 2):
quitting with what the disk refused asks first, and after the screen is restored names each
file not saved and where its copy went; signals, which cannot ask, keep the copy all the same;
plain mode does the same with lines and a prompt."""

from __future__ import annotations

import signal
import sys
import time
import tomllib
from pathlib import Path

import pytest

try:
    from ptyterm import PtyTerminal, restore_problems
except ImportError as error:  # no fcntl/termios: not a POSIX system
    pytest.skip(f"no pseudo-terminals on this platform ({error})", allow_module_level=True)

from mounts import read_only

from tui.store.history.month import MONTH_FILE as MONTH

UNKNOT = Path(sys.executable).parent / "unknot"
SHORT = """\
schema = 1
name = "Short one"
prepare_seconds = 0

[[stretches]]
id = "breathe"
name = "Breathe"
steps = ["Breathe out slowly."]
hold_seconds = 1
reps = 1
"""
LONG_HOLD = Path(__file__).parent / "data" / "pty" / "long-hold.toml"
DEADLINE = 60.0
"""Seconds that only a hang exceeds."""


def kept_copies(home: Path) -> dict[str, Path]:
    cache = home / ".cache" / "unknot" / "unsaved"
    return {path.name: path for path in cache.rglob("*") if path.is_file()}


@pytest.fixture
def short(tmp_path: Path) -> Path:
    """A routine of about two seconds: it runs to its end by itself, no key needed."""
    path = tmp_path / "short.toml"
    path.write_text(SHORT, encoding="utf-8")
    return path


def after_exit(term: PtyTerminal) -> str:
    """What the program printed after it left the alternate screen."""
    raw = term.raw
    return raw[raw.rfind(b"\x1b[?1049l") :].decode("utf-8", "replace")


def test_a_session_the_disk_refused_is_copied_and_named_at_quit(
    tmp_path: Path, short: Path
) -> None:
    home = tmp_path / "pty-home"
    data = home / ".local" / "share"
    data.mkdir(parents=True)
    with read_only(data), PtyTerminal([str(UNKNOT), "run", str(short)], home=home) as term:
        term.wait_for("Short one", timeout=DEADLINE)
        term.send("Space")
        term.wait_for("How does your back feel right now", timeout=DEADLINE)
        term.send("Enter")
        term.wait_for("How does your back feel now, after the routine", timeout=DEADLINE)
        term.send("Enter")
        term.wait_for("Routine done", timeout=DEADLINE)
        term.send("Escape")
        term.wait_gone("Summary", timeout=DEADLINE)  # then q: not read with it as Alt+q
        term.send("q")
        term.wait_for("Not saved: the disk refused it", timeout=DEADLINE)
        term.wait_for("1 session for the history", timeout=DEADLINE)  # drawn a moment later
        term.send("y")
        code = term.wait_exit(DEADLINE)
        said = after_exit(term)
        assert code == 1, said
        assert restore_problems(term.raw) == []
    assert not list(data.rglob("*.toml"))
    [(name, copy)] = [(n, p) for n, p in kept_copies(home).items() if n.endswith(".toml")]
    [session] = tomllib.loads(copy.read_text("utf-8"))["session"]
    assert session["routine_id"] == "short"
    assert "could not be saved" in said and f"unknot/history/{name}" in said, said
    assert str(copy).replace(str(home), "~") in said, said


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
def test_a_signal_keeps_a_copy_of_the_place_it_could_not_save(tmp_path: Path, how: str) -> None:
    home = tmp_path / "pty-home"
    state = home / ".local" / "state"
    state.mkdir(parents=True)
    with read_only(state), PtyTerminal([str(UNKNOT), "run", str(LONG_HOLD)], home=home) as term:
        term.wait_for("Pty long hold", timeout=DEADLINE)
        term.send("Space")
        term.wait_for("How does your back feel right now", timeout=DEADLINE)
        term.send("Enter")
        term.wait_title("Hold ", timeout=DEADLINE)
        if how == "SIGHUP":
            term.hangup()  # a dropped connection: nobody is there to ask or to read
        else:
            term.signal(signal.SIGTERM)
        code = term.wait_exit(DEADLINE)
        said = after_exit(term)
    assert code == 128 + getattr(signal, how), said
    kept = kept_copies(home)
    places = [name for name in kept if name.endswith(".toml") and not MONTH.match(name)]
    assert len(places) == 1, kept  # the session's own place: resume/SESSION.toml
    saved = tomllib.loads(kept[places[0]].read_text("utf-8"))
    assert saved["routine_id"] == "long-hold" and saved["position"]["phase"] == "hold"
    assert places[0] == f"{saved['position']['session_id']}.toml"
    if how == "SIGTERM":
        assert "where the session stopped" in said and places[0] in said, said


def test_plain_mode_says_what_it_could_not_save_and_keeps_a_copy(
    tmp_path: Path, short: Path
) -> None:
    home = tmp_path / "pty-home"
    data = home / ".local" / "share"
    data.mkdir(parents=True)
    command = [str(UNKNOT), "run", "--plain", str(short)]
    with read_only(data), PtyTerminal(command, cols=100, rows=40, home=home) as term:
        term.wait_for("How does your back feel right now", timeout=DEADLINE)
        term.send("Enter")
        term.wait_for("Press Space to start, q to quit.", timeout=DEADLINE)
        term.send("Space")
        term.wait_for("How does your back feel now, after the routine", timeout=DEADLINE)
        term.send("Enter")
        term.wait_for("Not saved: 1 session for the history", timeout=DEADLINE)
        term.wait_for("Enter tries again; q quits and keeps a copy", timeout=DEADLINE)
        term.send("Enter")  # the disk is still read-only: asked again
        deadline = time.monotonic() + DEADLINE
        while term.screen_text().count("Enter tries again") < 2:
            assert time.monotonic() < deadline and term.alive, term.screen_text()
            time.sleep(0.05)
        term.send("q", "Enter")
        code = term.wait_exit(DEADLINE)
        screen = term.screen_text()
    assert code == 1, screen
    [copy] = [p for n, p in kept_copies(home).items() if n.endswith(".toml")]
    assert "could not be saved" in screen and copy.name in screen, screen
    [session] = tomllib.loads(copy.read_text("utf-8"))["session"]
    assert session["finished"] is True
