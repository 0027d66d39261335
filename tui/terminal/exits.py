"""Leaving well when the terminal goes or a signal comes: the exit signals (SIGTERM, SIGHUP,
SIGINT) end the app the way `q` does, a deadline ends it anyway when its loop is stuck, a hung-up
terminal is let go of, and the terminal is put back as the app found it.

No Textual import: the app is passed in and only its driver and exit are used.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from tui.terminal.cues import ESC, POP_TITLE

EXIT_SIGNALS: tuple[signal.Signals, ...] = tuple(
    sig
    for sig in (
        getattr(signal, "SIGTERM", None),
        getattr(signal, "SIGHUP", None),
        getattr(signal, "SIGINT", None),
    )
    if sig is not None
)


def terminal_lost(fd: int) -> bool:
    """Whether the terminal on `fd` has hung up (the SSH connection or the window is gone)."""
    if not hasattr(select, "poll"):
        return False
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    try:
        events = poller.poll(0)
    except OSError:
        return True
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events)


def release_lost_terminal(app: Any) -> bool:
    """If the app's terminal has hung up, send Textual's remaining output nowhere; True if so.

    Measured on Textual 8.2.8: after a hang-up, the driver's writer thread dies on EIO at its
    next write, its queue (30 writes) fills, and the next `driver.write` blocks forever, so the
    app hangs in its own shutdown and never exits. A fresh writer of the same class that writes
    to the null device lets the shutdown run to its end.
    """
    driver = getattr(app, "_driver", None)
    writer = getattr(driver, "_writer_thread", None)
    output = getattr(driver, "_file", None)
    try:
        fd = output.fileno() if output is not None else 2
    except (OSError, ValueError):
        fd = 2
    if not terminal_lost(fd):
        return False
    if writer is not None:
        sink = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
        replacement = type(writer)(sink)
        replacement.start()
        driver._writer_thread = replacement  # type: ignore[union-attr]
    return True


RESET_TERMINAL = (
    ESC + "[?1000l" + ESC + "[?1003l" + ESC + "[?1015l" + ESC + "[?1006l"  # mouse reporting off
    + ESC + "[?2004l" + ESC + "[<u"  # bracketed paste, kitty keyboard protocol off
    + ESC + "[?1049l" + ESC + "[?25h"  # normal screen, cursor shown
)  # fmt: skip
"""What Textual's driver would write on a normal exit, for when it cannot."""


def reset_terminal(app: Any, title_saved: bool) -> None:
    """Put the terminal back as the app found it, bypassing Textual (its loop may be stuck).

    Nothing to do under `unknot serve`: the browser's page is no terminal, and these bytes
    would only land in the server's log through stderr.
    """
    driver = getattr(app, "_driver", None)
    if getattr(driver, "is_web", False):
        return
    output = getattr(driver, "_file", None)
    try:
        fd = output.fileno() if output is not None else 2
    except (OSError, ValueError):
        fd = 2
    if terminal_lost(fd):
        return
    with contextlib.suppress(OSError):
        os.write(fd, (RESET_TERMINAL + (POP_TITLE if title_saved else "")).encode())
    attrs = getattr(driver, "attrs_before", None)
    if attrs is not None:
        import termios  # POSIX only, like the signals that bring us here

        with contextlib.suppress(Exception):
            termios.tcsetattr(fd, termios.TCSANOW, attrs)


def _give_up(status: int, app: Any) -> None:
    """End the process now with `status`; with `app`, reset its terminal first (the normal
    shutdown that would have done it is the thing that got stuck)."""
    if app is not None:
        cues = getattr(app, "cues", None)
        with contextlib.suppress(Exception):
            reset_terminal(app, title_saved=bool(getattr(cues, "title_saved", False)))
    os._exit(status)


def exit_later(seconds: float, status: int, app: Any = None) -> None:
    """End the process with `status` after `seconds`, whatever else is stuck (a daemon thread).

    Not from a signal handler: starting a thread there can deadlock (see `_Deadline`).
    """
    timer = threading.Timer(seconds, _give_up, (status, app))
    timer.daemon = True
    timer.start()


class _Deadline:
    """Ends the process `seconds` after `arm`, from a daemon thread started beforehand.

    A signal handler may interrupt code that holds threading's own locks, so starting a thread
    there could deadlock; arming only sets an Event, whose lock no code of ours holds.
    """

    def __init__(self, seconds: float, app: Any) -> None:
        self._seconds = seconds
        self._app = app
        self._status = 0
        self._stood_down = False
        self._armed = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="unknot-exit-deadline")
        self._thread.daemon = True
        self._thread.start()

    def arm(self, status: int) -> None:
        if not self._armed.is_set():
            self._status = status
            self._armed.set()

    def stand_down(self) -> None:
        """No signal came after all: let the thread end (an armed deadline stays armed)."""
        if not self._armed.is_set():
            self._stood_down = True
            self._armed.set()

    def _watch(self) -> None:
        self._armed.wait()
        if self._stood_down:
            return
        time.sleep(self._seconds)
        _give_up(self._status, self._app)


def install_exit_signals(
    loop: asyncio.AbstractEventLoop,
    on_signal: Callable[[int], None],
    *,
    app: Any = None,
    grace: float | None = 10.0,
) -> Callable[[], None]:
    """Call `on_signal(signum)` on SIGTERM, SIGHUP (the SSH connection dropped) and SIGINT.

    Textual installs no handler for SIGTERM or SIGHUP: without one the process dies with the
    terminal still in the alternate screen and mouse reporting on. Returns a function that
    removes the handlers. Where the loop cannot take signal handlers (Windows), does nothing.

    Before `on_signal`: with `app`, a hung-up terminal is released (see
    `release_lost_terminal`) so the shutdown cannot block on it; with `grace`, the process
    ends with 128 + signum anyway if it is still alive `grace` seconds later (a safety net
    that a clean exit never meets), resetting the terminal first when `app` is given.

    The safety net is armed by the signal itself, not by the event loop: the loop runs
    `on_signal` only when it gets round to it, and a loop that never does (something spinning
    on it without yielding) must not make the process deaf to SIGTERM.

    How the app hooks it::

        def on_mount(self) -> None:
            self._remove_signals = install_exit_signals(
                asyncio.get_running_loop(), self._on_exit_signal, app=self
            )

        def _on_exit_signal(self, signum: int) -> None:
            # save from model objects (the engine), not widgets: they may be gone
            self.exit(return_code=128 + signum)

        def on_unmount(self) -> None:
            self._remove_signals()
            self.cues.close()  # stop bells, restore the title while the driver still writes

    and the command line ends with `sys.exit(app.return_code or 0)` after `app.run()`.
    """
    installed: list[int] = []
    deadline: _Deadline | None = None

    def arm(signum: int, _frame: object = None) -> None:
        if deadline is not None:
            deadline.arm(128 + signum)

    def handle(signum: int) -> None:
        if app is not None:
            with contextlib.suppress(Exception):
                release_lost_terminal(app)
        arm(signum)
        on_signal(signum)

    for sig in EXIT_SIGNALS:
        try:
            loop.add_signal_handler(sig, handle, int(sig))
        except (NotImplementedError, RuntimeError, ValueError):
            continue
        installed.append(sig)
        if grace is not None:
            if deadline is None:
                deadline = _Deadline(grace, app)
            # asyncio's own Python-level handler does nothing (the loop learns of the signal
            # through its wake-up pipe, which stays as it is); this one arms the net at once
            signal.signal(sig, arm)
            signal.siginterrupt(sig, False)  # as asyncio left it: system calls carry on

    def remove() -> None:
        for sig in installed:
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(sig)
        installed.clear()
        if deadline is not None:
            deadline.stand_down()

    return remove
