"""Ctrl+Z and `fg`: the routine stands still while the process is stopped (issue 14, item 10).

A shell's job control stops a program with SIGTSTP (Ctrl+Z) and continues it with SIGCONT
(`fg`). Textual's terminal driver handles both: it leaves the screen, stops the process, and
takes the screen back when it continues. The routine's clock, though, is the monotonic clock,
which runs on while the process is stopped: `fg` found the hold further on, or over, while the
person had been at their shell, not stretching.

`StoppableClock` is the clock the app gives its engines. From SIGTSTP it stands still at the
moment of the stop, until the app, back on its event loop after SIGCONT, has paused the
routine (`Engine.pause` reads the clock: the pause is dated the moment of the stop) and lets it
run again. Any tick of the engine in between reads the same moment, so none counts the time
away, whatever order the event loop runs things in after SIGCONT.

The handlers go around the driver's (Textual installs its own with signal.signal when it makes
the driver). They store a float and queue the driver's work on the event loop, where it cannot
interrupt the main thread in the middle of a write (see `install_job_control`).

A bare SIGSTOP (`kill -STOP`) runs no handler: nothing marks the moment, and a SIGCONT alone
cannot be told from one sent to a process that never stopped (the kernel sends one with the
SIGHUP of a closed terminal; `kill -CONT` works on any process). What tells is the terminal:
a shell that saw its foreground job stop took the terminal back, in line mode with echo, and
gave the person a prompt, as after Ctrl+Z; `fg` does not give the app its modes back. So on a
SIGCONT with no SIGTSTP before it, `terminal_taken` looks at the terminal's modes: if a shell
took it, the person was at the shell, and the routine is paused as of the last moment the app
was seen running (its last tick, at most a second before the stop). Otherwise (a stray
SIGCONT, or a stop with no shell above: the screen stood still in place) the routine goes on
by the clock, as a kitchen timer would. The screen is drawn again in full either way.
"""

from __future__ import annotations

import asyncio
import os
import signal
import termios
from collections.abc import Callable
from types import FrameType
from typing import Any

Clock = Callable[[], float]
Handler = Callable[[int, FrameType | None], Any] | int | None


class StoppableClock:
    """`clock`, except that it stands still between `stop()` and `go()`."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._stopped_at: float | None = None

    def __call__(self) -> float:
        stopped_at = self._stopped_at
        return self._clock() if stopped_at is None else stopped_at

    @property
    def stopped(self) -> bool:
        return self._stopped_at is not None

    def stop(self, at: float | None = None) -> None:
        """Stand still at this moment, or at `at` (from a signal handler: only reads the clock
        and stores a float). A clock already standing keeps its moment."""
        if self._stopped_at is None:
            self._stopped_at = self._clock() if at is None else at

    def go(self) -> None:
        """Run on from now."""
        self._stopped_at = None


def terminal_taken(fd: int | None) -> bool:
    """Whether the terminal on `fd` is in line mode or echoes: a shell has had it since the
    full-screen app put it in raw mode. False when it cannot be read (closed, hung up)."""
    if fd is None:
        return False
    try:
        local_modes = termios.tcgetattr(fd)[3]
    except (termios.error, OSError, ValueError):
        return False
    return bool(local_modes & (termios.ICANON | termios.ECHO))


def install_job_control(
    loop: asyncio.AbstractEventLoop,
    on_stop: Callable[[], None],
    on_continue: Callable[[bool], None],
    terminal: int | None,
) -> Callable[[], None]:
    """Call `on_stop()` as SIGTSTP arrives, then the handler already installed (the driver's,
    which leaves the screen and stops the process); on SIGCONT, the handler already installed
    (the driver's, which takes the screen back), then `on_continue(taken)`, where `taken`
    says whether a shell had the terminal when the process continued (`terminal_taken`).

    Only `on_stop` runs inside the signal handler (it must only store a value); the rest runs
    on the event loop. Textual 8.2.8 does its suspending and resuming inside the handlers,
    which may interrupt the main thread while it holds the lock of the driver's output queue
    (it writes a frame, a title): the handler's own writes then wait for that lock for ever,
    and the process neither stops nor answers again. It happened to one SIGTSTP in eight sent
    as a new frame was being written.

    Returns a function that puts the handlers found back. Without SIGTSTP (Windows): nothing.
    """
    if not hasattr(signal, "SIGTSTP"):
        return lambda: None
    before_stop: Handler = signal.getsignal(signal.SIGTSTP)
    before_continue: Handler = signal.getsignal(signal.SIGCONT)

    def stop_now(signum: int) -> None:
        if callable(before_stop):
            before_stop(signum, None)
        else:  # the default action, which a handler of ours replaces
            os.kill(os.getpid(), signal.SIGSTOP)

    def continue_now(signum: int) -> None:
        taken = terminal_taken(terminal)  # before the driver puts its own modes back
        if callable(before_continue):
            before_continue(signum, None)
        on_continue(taken)

    def on_the_loop(work: Callable[[int], None], signum: int) -> None:
        try:
            loop.call_soon_threadsafe(work, signum)
        except RuntimeError:  # the loop has closed: the app is gone, only the driver is left
            work(signum)

    def stopping(signum: int, _frame: FrameType | None) -> None:
        if before_stop != signal.SIG_IGN:
            on_stop()
            on_the_loop(stop_now, signum)

    def continuing(signum: int, _frame: FrameType | None) -> None:
        on_the_loop(continue_now, signum)

    signal.signal(signal.SIGTSTP, stopping)
    signal.signal(signal.SIGCONT, continuing)

    def remove() -> None:
        for sig, ours, before in (
            (signal.SIGTSTP, stopping, before_stop),
            (signal.SIGCONT, continuing, before_continue),
        ):
            if signal.getsignal(sig) is ours:
                signal.signal(sig, before if before is not None else signal.SIG_DFL)

    return remove


def shell_can_continue() -> bool:
    """Whether a shell's job control can continue this process once it stops: its parent is in
    the same session but another process group (POSIX: the group is not orphaned).

    Not so when unknot is the first program of its terminal (`ssh -t host unknot`, `tmux
    new-session unknot`): stopped, nothing would ever bring it back.
    """
    try:
        parent = os.getppid()
        return os.getsid(parent) == os.getsid(0) and os.getpgid(parent) != os.getpgrp()
    except OSError:
        return False
