"""The pseudo-terminal harness itself, with a tiny Python program instead of the app."""

from __future__ import annotations

import signal
import sys
import textwrap
import threading

import pytest
from patience import wait_until

try:
    from ptyterm import PtyTerminal, PtyTimeout, count_bells, key_text, restore_problems
except ImportError as error:  # no fcntl/termios: not a POSIX system
    pytest.skip(f"no pseudo-terminals on this platform ({error})", allow_module_level=True)

PROGRAM = textwrap.dedent(
    """
    import os, signal, sys, termios, tty
    # os.write, not print: a handler's print can land inside the print it interrupted
    def show_size(*_):
        cols, rows = os.get_terminal_size(0)
        os.write(1, f"size {cols}x{rows}\\r\\n".encode())
    def bye(signum, _):
        try:
            os.write(1, f"bye {signum}\\r\\n".encode())
        except OSError:  # after a hang-up the terminal is gone
            pass
        os._exit(128 + signum)
    signal.signal(signal.SIGWINCH, show_size)
    signal.signal(signal.SIGHUP, bye)
    signal.signal(signal.SIGTERM, bye)
    home = os.environ["XDG_CONFIG_HOME"].startswith(os.environ["HOME"])
    print("term", os.environ["TERM"], "home", home)
    sys.stdout.write("\\x1b]2;probe title\\x1b\\\\")
    sys.stdout.flush()
    show_size()
    tty.setraw(0)
    os.write(1, b"keys now\\r\\n")  # the terminal is raw: keys from now on come as bytes
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
        term.wait_for("keys now")
        # one at a time, each awaited: keys sent together may arrive in one read
        for key, expected in (("Up", "'\\x1b[A'"), ("Ctrl+C", "'\\x03'"), ("Enter", "'\\r'")):
            term.send(key)
            term.wait_for(expected)
        term.send("q")
        assert term.wait_exit(5) == 3


def test_resize_reaches_the_program_as_sigwinch() -> None:
    with spawn() as term:
        term.wait_for("keys now")
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


def test_a_title_shown_for_a_moment_is_still_seen_in_order() -> None:
    script = (
        "import sys\n"
        "sys.stdout.write('\\x1b]2;Switch sides\\x1b\\\\\\x1b]2;Hold 60\\x1b\\\\done\\n')\n"
    )
    with PtyTerminal([sys.executable, "-c", script]) as term:
        term.wait_title("Switch sides")  # replaced in the same write: never the title for long
        term.wait_title("Hold 60")
        assert term.titles == ["Switch sides", "Hold 60"]
        with pytest.raises(PtyTimeout) as failed:
            term.wait_title("Switch sides")  # not after "Hold 60": fails once the program ends
    message = str(failed.value)
    assert "no title with 'Switch sides' (the terminal was closed)" in message
    assert "titles from the last one waited for on: ['Hold 60']" in message


def test_a_failed_wait_shows_the_screen_the_title_and_the_last_bytes() -> None:
    script = "import sys\nsys.stdout.write('\\x1b]2;a title\\x07hello\\n')\nsys.exit(4)\n"
    term = PtyTerminal([sys.executable, "-c", script], cols=30, rows=3)
    with term, pytest.raises(PtyTimeout) as failed:
        term.wait_for("goodbye")
    message = str(failed.value)
    assert message.startswith("never saw 'goodbye' (the terminal was closed)\n")
    assert "program: exited with status 4; title: 'a title'" in message
    assert "screen (30x3):\n" + "-" * 30 + "\nhello\n\n\n" + "-" * 30 in message
    assert "last 19 of 19 bytes written: b'\\x1b]2;a title\\x07hello\\r\\n'" in message


def test_a_half_drawn_frame_is_never_judged() -> None:
    # as Textual does: ask whether the terminal draws frames whole, then draw one in two parts,
    # here with a key awaited in the middle so the half-drawn screen lasts
    script = (
        "import os, tty\n"
        "tty.setraw(0)\n"
        "os.write(1, b'\\x1b[?2026$p')\n"
        "os.write(1, b'answer ' + repr(os.read(0, 32)).encode() + b'\\r\\n')\n"
        "os.write(1, b'\\x1b[?2026htop\\r\\n')\n"
        "os.read(0, 1)\n"
        "os.write(1, b'bottom\\r\\n\\x1b[?2026lafter\\r\\n')\n"
        "os.read(0, 1)\n"
    )
    with PtyTerminal([sys.executable, "-c", script]) as term:
        wait_until(lambda: b"top" in term.raw, "the frame did not begin", term.describe)
        # as a terminal that knows mode 2026 answers
        assert b"answer b'\\x1b[?2026;2$y'" in term.raw

        def end_the_frame_once_waited_on() -> None:
            waiting = term._changed._waiters  # type: ignore[attr-defined]
            wait_until(lambda: bool(waiting), "until() never waited", term.describe)
            term.send("x")

        ender = threading.Thread(target=end_the_frame_once_waited_on)
        ender.start()
        judged: list[str] = []

        def whole() -> bool:
            judged.append(term.screen_text())
            return "after" in judged[-1]

        term.until(whole, "the frame never ended")  # while it is half drawn, whole() waits
        ender.join()
        term.send("x")
        assert term.wait_exit() == 0
    assert [screen for screen in judged if "top" in screen and "bottom" not in screen] == []
