"""The pseudo-terminal harness itself, with a tiny Python program instead of the app."""

from __future__ import annotations

import signal
import sys
import textwrap

import pytest

try:
    from ptyterm import PtyTerminal, count_bells, key_text, restore_problems
except ImportError as error:  # no fcntl/termios: not a POSIX system
    pytest.skip(f"no pseudo-terminals on this platform ({error})", allow_module_level=True)

PROGRAM = textwrap.dedent(
    """
    import os, signal, sys, termios, tty
    def show_size(*_):
        cols, rows = os.get_terminal_size(0)
        print(f"size {cols}x{rows}", flush=True)
    def bye(signum, _):
        try:
            print("bye", signum, flush=True)
        except OSError:  # after a hang-up the terminal is gone
            pass
        os._exit(128 + signum)
    signal.signal(signal.SIGWINCH, show_size)
    signal.signal(signal.SIGHUP, bye)
    signal.signal(signal.SIGTERM, bye)
    home = os.environ["XDG_CONFIG_HOME"].startswith(os.environ["HOME"])
    print("term", os.environ["TERM"], "home", home)
    sys.stdout.write("\\x1b]2;probe title\\x1b\\\\")
    show_size()
    tty.setraw(0)
    while True:
        key = os.read(0, 16)
        os.write(1, (repr(key) + "\\r\\n").encode())
        if key == b"q":
            sys.exit(3)
    """
)


def spawn(cols: int = 40, rows: int = 10) -> PtyTerminal:
    return PtyTerminal([sys.executable, "-c", PROGRAM], cols=cols, rows=rows)


def test_program_sees_the_terminal_type_size_and_its_own_home() -> None:
    with spawn() as term:
        term.wait_for("size 40x10")
        assert "term xterm-256color home True" in term.screen_text()
        term.wait_title("probe title")


def test_named_keys_arrive_as_the_bytes_a_terminal_sends() -> None:
    with spawn() as term:
        term.wait_for("size 40x10")
        term.send("Up", "Ctrl+C", "Enter", "x")
        term.wait_for("'x'")
        shown = term.screen_text()
        for expected in ("'\\x1b[A'", "'\\x03'", "'\\r'"):
            assert expected in shown
        term.send("q")
        assert term.wait_exit(5) == 3


def test_resize_reaches_the_program_as_sigwinch() -> None:
    with spawn() as term:
        term.wait_for("size 40x10")
        term.resize(20, 6)
        term.wait_for("size 20x6")
        assert (term.cols, term.rows) == (20, 6)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_and_exit_status(sig: int) -> None:
    with spawn() as term:
        term.wait_for("size 40x10")
        term.signal(sig)
        term.wait_for(f"bye {int(sig)}")
        assert term.wait_exit(5) == 128 + sig


def test_hangup_sends_the_program_sighup() -> None:
    with spawn() as term:
        term.wait_for("size 40x10")
        term.hangup()
        assert term.wait_exit(5) == 129


def test_close_kills_a_program_that_ignores_everything() -> None:
    term = PtyTerminal(
        [
            sys.executable,
            "-c",
            "import signal,time\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "print('up', flush=True)\ntime.sleep(60)",
        ]
    )
    term.wait_for("up")
    term.close()
    assert term.proc.returncode == -signal.SIGKILL


def test_key_names() -> None:
    assert key_text("Escape") == "\x1b"
    assert key_text("Ctrl+Q") == "\x11"
    assert key_text("Space") == " "
    assert key_text("j") == "j"


def test_restore_problems_reads_what_was_left_on() -> None:
    start = b"\x1b[?1049h\x1b[?1000h\x1b[?1003h\x1b[?1006h\x1b[?25l\x1b[22;0t\x1b]2;Hold 3\x1b\\"
    clean_end = b"\x1b]2;\x1b\\\x1b[23;0t\x1b[?1000l\x1b[?1003l\x1b[?1006l\x1b[?1049l\x1b[?25h"
    assert restore_problems(start + clean_end) == []
    assert restore_problems(start) == [
        "alternate screen left on",
        "mouse reporting (1000) left on",
        "mouse reporting (1003) left on",
        "SGR mouse mode (1006) left on",
        "hidden cursor left on",
        "saved window title left on",
        "title changed after it was restored",
    ]
    # entering the alternate screen again after leaving it counts as left on
    assert restore_problems(start + clean_end + b"\x1b[?1049h") == ["alternate screen left on"]
    assert restore_problems(b"plain output") == []


def test_count_bells_skips_the_bel_that_ends_an_osc_sequence() -> None:
    assert count_bells(b"\x1b]22;default\x07text\x07\x1b]2;t\x1b\\\x07\x07") == 3
    assert count_bells(b"\x1b]22;default\x07") == 0


def test_title_follows_osc_2_and_the_title_stack_but_not_osc_22() -> None:
    script = (
        "import sys, time\n"
        "w = sys.stdout.write\n"
        "w('\\x1b]2;user\\x1b\\\\\\x1b[22;0t\\x1b]2;Hold 3\\x07')\n"
        "w('\\x1b]22;default\\x07marked\\n'); sys.stdout.flush(); time.sleep(1)\n"
        "w('\\x1b[23;0tpopped\\n'); sys.stdout.flush(); time.sleep(30)\n"
    )
    with PtyTerminal([sys.executable, "-c", script]) as term:
        term.wait_for("marked")
        assert term.title == "Hold 3"  # OSC 22 (pointer shape) is not a title
        term.wait_for("popped")
        assert term.title == "user"
