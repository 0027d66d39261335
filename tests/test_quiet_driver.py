"""The quiet terminal driver (issue 7): its input thread sleeps in select() until a key comes
or it is told to stop, still reports a lone Escape, and stops at once whenever Textual stops it
(quit, a signal, suspending). Only the full-screen terminal app uses it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import select
import signal
import sys
import threading
import tty
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from patience import HANG, wait_until
from test_app_fakes import tiny_routine
from textual import constants, events
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.drivers.web_driver import WebDriver
from textual.message import Message

from tui.ui import quiet_driver
from tui.ui.app import UnknotApp
from tui.ui.quiet_driver import POLL_SECONDS, QuietLinuxDriver, driver_class_for, wait_seconds

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the driver is for POSIX")

WAIT = HANG
"""Longest wait for anything the input thread should do at once (a hang guard, not a timing)."""


class RecordingDriver(QuietLinuxDriver):
    """Keeps what the input thread would send to the app."""

    def __init__(self, app: Any) -> None:
        super().__init__(app, mouse=False)  # mouse off: nothing to switch off through a writer
        self.messages: queue.Queue[Message] = queue.Queue()

    def process_message(self, message: Message) -> None:
        self.messages.put(message)

    def next_key(self) -> str:
        while True:
            try:
                message = self.messages.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"no key from the input thread in {WAIT:.0f} s") from None
            if isinstance(message, events.Key):
                return message.key


@dataclass
class Selects:
    """Every select() the input thread made: the descriptors it watched and its timeout."""

    calls: list[tuple[list[int], float | None]] = field(default_factory=list)

    def select(
        self, read: list[int], write: list[int], error: list[int], timeout: float | None
    ) -> tuple[list[int], list[int], list[int]]:
        self.calls.append((list(read), timeout))
        return select.select(read, write, error, timeout)

    def wait_for(self, done: Callable[[], bool]) -> None:
        wait_until(done, "the input thread did not get there", lambda: f"selects {self.calls}")


@pytest.fixture
def selects(monkeypatch: pytest.MonkeyPatch) -> Selects:
    recorder = Selects()
    monkeypatch.setattr(quiet_driver, "select", SimpleNamespace(select=recorder.select))
    return recorder


@pytest.fixture
def signals_kept() -> Iterator[None]:
    """LinuxDriver installs SIGTSTP and SIGCONT handlers: give the test process its own back."""
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGTSTP, signal.SIGCONT)}
    yield
    for sig, handler in kept.items():
        signal.signal(sig, handler)


@dataclass
class Input:
    """The driver, and the other end of what it reads as its terminal."""

    driver: RecordingDriver
    writer: int

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.driver._run_input_thread, name="input-under-test")
        self.driver._key_thread = thread
        thread.start()
        return thread

    def type(self, text: bytes) -> None:
        os.write(self.writer, text)

    def free(self) -> None:
        """Free an input thread whose wake-up failed: a key, and a byte in its pipe by hand."""
        with contextlib.suppress(OSError):
            self.type(b" ")
        with self.driver._wake_lock:
            if self.driver._wake_fd is not None:
                os.write(self.driver._wake_fd, b"\0")


def make_input(monkeypatch: pytest.MonkeyPatch, reader: int, writer: int) -> Input:
    # what LinuxDriver asks of its standard input
    stdin = SimpleNamespace(fileno=lambda: reader, isatty=lambda: os.isatty(reader))
    monkeypatch.setattr(sys, "__stdin__", stdin)

    async def build() -> RecordingDriver:
        # a driver is made inside the app's event loop; this one only keeps it to send messages
        # to the app, which RecordingDriver keeps instead
        return RecordingDriver(app=SimpleNamespace())

    return Input(asyncio.run(build()), writer)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, signals_kept: None) -> Iterator[Input]:
    """A driver reading a pseudo-terminal in raw mode, as a person's keys arrive."""
    master, slave = os.openpty()
    tty.setraw(slave)
    made = make_input(monkeypatch, slave, master)
    yield made
    stop_for_good(made)
    os.close(master)
    os.close(slave)


@pytest.fixture
def piped(monkeypatch: pytest.MonkeyPatch, signals_kept: None) -> Iterator[Input]:
    """A driver reading a pipe, whose end of input comes when its writer closes."""
    reader, writer = os.pipe()
    made = make_input(monkeypatch, reader, writer)
    yield made
    stop_for_good(made)
    os.close(reader)


def stop_for_good(made: Input) -> None:
    """Teardown: stop a thread a failed test left running, with a key if the wake-up failed."""
    thread = made.driver._key_thread
    if thread is None or not thread.is_alive():
        return
    made.driver.exit_event.set()
    made.free()
    thread.join(WAIT)


def disable_input(made: Input) -> None:
    """Textual's own stop (on quit, on a signal, before suspending), which joins the input
    thread: it must return with no key to wake the thread. Should it hang, the thread is freed
    by hand after WAIT seconds and the test fails instead of hanging."""
    rescued = threading.Event()

    def rescue() -> None:
        rescued.set()
        made.free()

    timer = threading.Timer(WAIT, rescue)
    timer.start()
    try:
        made.driver.disable_input()  # on this (the main) thread: it resets SIGWINCH
    finally:
        timer.cancel()
    assert not rescued.is_set(), "disable_input was stuck: the input thread never woke"
    assert made.driver._key_thread is not None
    assert not made.driver._key_thread.is_alive()


# -- the input thread -------------------------------------------------------------------------


def test_keys_arrive_and_the_thread_sleeps_without_a_timeout(
    terminal: Input, selects: Selects
) -> None:
    thread = terminal.start()
    selects.wait_for(lambda: len(selects.calls) >= 1)
    terminal.type(b"a")
    assert terminal.driver.next_key() == "a"
    terminal.type(b"q")
    assert terminal.driver.next_key() == "q"
    selects.wait_for(lambda: len(selects.calls) >= 3)
    # between keys the thread waits for the terminal or its wake-up pipe, for as long as it takes
    assert all(timeout is None for _fds, timeout in selects.calls)
    assert all(len(fds) == 2 and terminal.driver.fileno in fds for fds, _timeout in selects.calls)
    disable_input(terminal)
    assert not thread.is_alive()


def test_a_lone_escape_is_still_reported_after_the_escape_delay(
    terminal: Input, selects: Selects
) -> None:
    terminal.start()
    terminal.type(b"\x1b")
    assert terminal.driver.next_key() == "escape"
    # waiting for the rest of a sequence was the only select with a timeout
    timeouts = [timeout for _fds, timeout in selects.calls]
    assert any(t is not None and 0 <= t <= constants.ESCAPE_DELAY for t in timeouts)
    selects.wait_for(lambda: selects.calls[-1][1] is None)  # then asleep again, untimed
    terminal.type(b"\x1b[A")  # a whole sequence is one key, as before
    assert terminal.driver.next_key() == "up"
    disable_input(terminal)


def test_stopping_wakes_the_thread_and_it_starts_again_after(terminal: Input) -> None:
    # suspend (Ctrl+Z, SIGTSTP) stops the input thread and resume starts a new one
    first = terminal.start()
    terminal.type(b"x")
    assert terminal.driver.next_key() == "x"
    disable_input(terminal)
    assert not first.is_alive()
    assert terminal.driver._wake_fd is None  # its pipe is closed with it
    assert not terminal.driver.exit_event.is_set()  # Textual clears it for the next start
    second = terminal.start()
    terminal.type(b"y")
    assert terminal.driver.next_key() == "y"
    disable_input(terminal)
    assert not second.is_alive()


def test_stopping_before_the_thread_reaches_select_is_not_lost(terminal: Input) -> None:
    terminal.driver.exit_event.set()  # set before the thread even has its pipe
    thread = terminal.start()
    thread.join(WAIT)
    assert not thread.is_alive()


def test_at_the_end_of_piped_input_only_the_wake_up_is_watched(
    piped: Input, selects: Selects
) -> None:
    piped.start()
    piped.type(b"k")
    assert piped.driver.next_key() == "k"
    os.close(piped.writer)  # end of input: select would say "readable" at once, for ever
    selects.wait_for(lambda: len(selects.calls[-1][0]) == 1)
    assert piped.driver.fileno not in selects.calls[-1][0]
    assert selects.calls[-1][1] is None
    disable_input(piped)


# -- how long select may sleep -----------------------------------------------------------------


def test_the_parser_waits_only_in_the_middle_of_an_escape_sequence() -> None:
    # wait_seconds reads a private attribute of Textual's parser: this breaks if it changes
    parser = XTermParser()
    assert wait_seconds(parser) is None
    list(parser.feed("a"))
    assert wait_seconds(parser) is None
    list(parser.feed("\x1b"))
    waited = wait_seconds(parser)
    assert waited is not None and 0 <= waited <= constants.ESCAPE_DELAY
    assert wait_seconds(parser, now=lambda: float("inf")) == 0.0
    list(parser.feed("[B"))
    assert wait_seconds(parser) is None


def test_an_unknown_parser_is_polled_as_textual_polls_it() -> None:
    assert wait_seconds(object()) == POLL_SECONDS
    assert wait_seconds(SimpleNamespace(_timeout_time="soon")) == POLL_SECONDS


# -- which driver the app runs with -----------------------------------------------------------


def test_the_terminal_app_runs_with_the_quiet_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constants, "DRIVER", None)
    assert driver_class_for(LinuxDriver) is QuietLinuxDriver
    assert UnknotApp(tiny_routine()).driver_class is QuietLinuxDriver


def test_under_serve_the_web_driver_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constants, "DRIVER", "textual.drivers.web_driver:WebDriver")  # as set
    driver = UnknotApp(tiny_routine()).driver_class  # by textual-serve for `unknot serve`
    assert issubclass(driver, WebDriver)
    assert driver_class_for(WebDriver) is WebDriver


def test_textual_driver_can_bring_back_textuals_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constants, "DRIVER", "textual.drivers.linux_driver:LinuxDriver")
    assert UnknotApp(tiny_routine()).driver_class is LinuxDriver


async def test_tests_still_run_headless() -> None:
    app = UnknotApp(tiny_routine())
    async with app.run_test(size=(80, 24)):
        assert app.is_headless
        assert not isinstance(app._driver, QuietLinuxDriver)


# -- the installed app in a pseudo-terminal ---------------------------------------------------


def test_suspended_and_resumed_by_signal_the_app_reads_keys_again() -> None:
    from ptyterm import PtyTerminal, restore_problems

    unknot = Path(sys.executable).parent / "unknot"
    routine = Path(__file__).parent / "data" / "pty" / "long-hold.toml"
    with PtyTerminal([str(unknot), "run", str(routine)]) as term:
        term.wait_for("Pty long hold")
        before = len(term.raw)
        # Ctrl+Z as the shell sends it: the driver stops its input thread, leaves the screen
        # and stops the process; SIGCONT brings it back with a new input thread
        term.signal(signal.SIGTSTP)
        term.until(lambda: b"\x1b[?1049l" in term.raw[before:], "the screen was not left")
        until(lambda: stopped(term.proc.pid), "the process did not stop", term.describe)
        left = len(term.raw)
        term.signal(signal.SIGCONT)  # only once it has stopped, as a shell's `fg` does
        term.until(lambda: b"\x1b[?1049h" in term.raw[left:], "the screen was not taken back")
        term.send("?")  # read by the new input thread
        term.wait_for("Keys act on the highlighted stretch")
        term.send("Escape")
        term.wait_gone("Keys act on the highlighted stretch")
        term.send("q")
        assert term.wait_exit(WAIT) == 0
        raw = term.raw
    assert restore_problems(raw) == []


def until(done: Callable[[], bool], what: str, seen: Callable[[], object] | None = None) -> None:
    wait_until(done, what, seen, timeout=WAIT)


def stopped(pid: int) -> bool:
    """Whether the child `pid` has stopped (the shell learns it the same way)."""
    found, status = os.waitpid(pid, os.WNOHANG | os.WUNTRACED)
    return found == pid and os.WIFSTOPPED(status)


def test_quitting_wakes_every_input_thread_there_is(terminal: Input) -> None:
    # Textual can start a second input thread while the first runs (a stray SIGCONT did)
    first = terminal.start()
    second = terminal.start()
    until(lambda: len(terminal.driver._wake_fds) == 2, "both threads did not start")
    terminal.driver.exit_event.set()
    for thread in (first, second):
        thread.join(WAIT)
        if thread.is_alive():  # free it before failing, so the suite does not hang
            terminal.free()
            thread.join(WAIT)
    assert not first.is_alive() and not second.is_alive()
    assert terminal.driver._wake_fds == set()


def test_a_sigcont_with_nothing_suspended_resumes_nothing(
    terminal: Input, monkeypatch: pytest.MonkeyPatch
) -> None:
    resumed: list[bool] = []
    driver = terminal.driver
    monkeypatch.setattr(driver, "resume_application_mode", lambda: resumed.append(True))
    driver._auto_restart = True
    driver._sigcont_application(signal.SIGCONT, None)  # as sent with a terminal's SIGHUP
    assert resumed == []
    driver._suspended = True  # as _sigtstp_application leaves it, before the process stops
    driver._sigcont_application(signal.SIGCONT, None)
    driver._sigcont_application(signal.SIGCONT, None)  # a second one resumes nothing more
    assert resumed == [True]


def test_after_a_stray_sigcont_the_app_still_quits_at_once() -> None:
    from ptyterm import PtyTerminal

    unknot = Path(sys.executable).parent / "unknot"
    routine = Path(__file__).parent / "data" / "pty" / "long-hold.toml"
    with PtyTerminal([str(unknot), "run", str(routine)]) as term:
        term.wait_for("Pty long hold")
        for _ in range(3):
            term.signal(signal.SIGCONT)
        # no wait: the signals are delivered before the key is even written, and Python runs
        # their handlers on the main thread before it can act on the key the input thread reads
        term.send("?")
        term.wait_for("Keys act on the highlighted stretch")
        term.send("Escape")
        term.wait_gone("Keys act on the highlighted stretch")
        term.send("q")
        assert term.wait_exit(WAIT) == 0  # it hung here: an input thread nobody woke
