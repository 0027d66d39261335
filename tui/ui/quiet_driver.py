"""A terminal driver whose input thread sleeps until there is input (issue 7: CPU while paused).

Measured on Textual 8.2.8: LinuxDriver reads keys on a thread that wakes ten times a second,
key or no key, only to see whether it has been told to stop. Paused, that thread was about
three quarters of unknot's CPU (0.15 % of a core of 0.19 %), the same in a bare Textual app.

`QuietLinuxDriver` changes only that loop. Its input thread blocks in select() on the
terminal and on a pipe of its own; telling it to stop (`exit_event.set()`, which Textual
calls on quit, on a signal and before suspending with Ctrl+Z / SIGTSTP) also writes a byte to
the pipe, so the thread still ends at once. It sets a timeout only while the key parser waits
to tell a lone Escape from the start of a longer sequence (ESCDELAY, 100 ms by default), which
is what Textual's ten wake-ups a second were also doing. Keys are read by
`tui.ui.key_parser.EscapeKeyParser`: Escape followed by a key in one read is two keys, not Alt+key.

Only the full-screen app on Linux and macOS uses it (`driver_class_for`): the web driver of
`unknot serve` (textual-serve names it in TEXTUAL_DRIVER), the headless driver of the tests
and Windows keep Textual's own. TEXTUAL_DRIVER=textual.drivers.linux_driver:LinuxDriver brings
back Textual's terminal driver, should this one ever misbehave.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
from codecs import getincrementaldecoder
from collections.abc import Callable
from typing import Any

from textual import constants
from textual._parser import ParseError
from textual._time import get_time
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from tui.terminal.job_control import terminal_taken
from tui.ui.key_parser import EscapeKeyParser

READ_SIZE = 4096
POLL_SECONDS = 0.1
"""Textual's own select timeout: the fallback should its key parser ever change shape."""

_UNKNOWN = object()


class WakingEvent(threading.Event):
    """A threading.Event that calls `wake` each time it is set, after the flag is up.

    The order matters: a thread that sees the wake-up and then looks at the flag finds it set.
    """

    def __init__(self, wake: Callable[[], None]) -> None:
        super().__init__()
        self._wake = wake

    def set(self) -> None:
        super().set()
        self._wake()


def wait_seconds(parser: Any, now: Callable[[], float] = get_time) -> float | None:
    """How long the input thread may sleep in select(): None (until input) unless the parser
    waits for the rest of an escape sequence, then until the moment it gives up waiting."""
    deadline = getattr(parser, "_timeout_time", _UNKNOWN)
    if deadline is None:
        return None
    if not isinstance(deadline, float):
        return POLL_SECONDS
    return max(0.0, deadline - now())


class QuietLinuxDriver(LinuxDriver):
    """Textual's LinuxDriver, with an input thread that wakes for input and to stop, not to poll."""

    def __init__(
        self,
        app: Any,
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        # reentrant: a signal handler (SIGTSTP) may set the event on the thread that holds it
        self._wake_lock = threading.RLock()
        self._wake_fds: set[int] = set()
        """The write ends of the running input threads' pipes (one, unless Textual started a
        second thread while the first still ran); empty while none runs."""
        self._suspended = False
        self.exit_event = WakingEvent(self._wake_input_thread)

    @property
    def _wake_fd(self) -> int | None:
        """One running input thread's pipe (for tests); None while none runs."""
        with self._wake_lock:
            return next(iter(self._wake_fds), None)

    def _wake_input_thread(self) -> None:
        with self._wake_lock:
            # every thread: one that is not found here has no pipe yet, or is on its way out,
            # and looks at the flag before its select()
            for fd in self._wake_fds:
                with contextlib.suppress(OSError):  # a full pipe already holds a wake-up
                    os.write(fd, b"\0")

    def _sigtstp_application(self, *args: Any) -> None:
        self._suspended = True  # before Textual stops the process: SIGCONT may come at once
        super()._sigtstp_application(*args)

    def _sigcont_application(self, *args: Any) -> None:
        """Resume only what SIGTSTP suspended, or what a shell took meanwhile.

        Textual 8.2.8 resumes on every SIGCONT, which starts a second input thread beside a
        running one when nothing was suspended: a SIGCONT sent by hand, or by the system with
        the SIGHUP of a closed terminal. Two threads then read the same keys, and quitting left
        one of them waiting.

        With nothing suspended, the terminal says whether the process was stopped under a
        shell (a bare SIGSTOP: `kill -STOP`): the shell took the terminal back in line mode
        with echo, and `fg` does not restore the app's modes, so keys were echoed and never
        reached the app. Then the screen is left and taken back whole, as after Ctrl+Z.
        """
        if not self._suspended:
            if self._auto_restart and terminal_taken(self.fileno):
                self.suspend_application_mode()
                self.resume_application_mode()
            return
        self._suspended = False
        super()._sigcont_application(*args)

    def run_input_thread(self) -> None:
        """Read keys until `exit_event` is set (Textual's wrapper reports an exception)."""
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_read, False)
        os.set_blocking(wake_write, False)
        with self._wake_lock:
            self._wake_fds.add(wake_write)
        try:
            self._read_input(wake_read)
        finally:
            with self._wake_lock:
                self._wake_fds.discard(wake_write)
                os.close(wake_write)
            os.close(wake_read)

    def _read_input(self, wake: int) -> None:
        parser = EscapeKeyParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        terminal = self.fileno
        watched = [terminal, wake]
        try:
            while not self.exit_event.is_set():
                ready, _, _ = select.select(watched, [], [], wait_seconds(parser))
                if wake in ready:
                    with contextlib.suppress(BlockingIOError):
                        os.read(wake, READ_SIZE)
                if terminal in ready:
                    data = os.read(terminal, READ_SIZE)
                    if not data:
                        # end of input (a pipe, not a terminal): select would return at once
                        # for ever, so only the wake-up pipe is watched from now on
                        watched = [wake]
                    text = decode(data)
                    if text:
                        for message in parser.feed(text):
                            self.process_message(message)
                for message in parser.tick():
                    self.process_message(message)
        finally:
            # end the parser's generator; a half-read sequence at exit is dropped, as Textual's
            # own loop drops it
            with contextlib.suppress(EOFError, ParseError):
                for _message in parser.feed(""):
                    pass


def driver_class_for(chosen: type[Driver]) -> type[Driver]:
    """The driver the app should run with, given the one Textual chose (`chosen`).

    Textual's terminal driver becomes the quiet one; any other (web, Windows, or one named in
    TEXTUAL_DRIVER, LinuxDriver itself included) is kept.
    """
    if chosen is LinuxDriver and constants.DRIVER is None:
        return QuietLinuxDriver
    return chosen
