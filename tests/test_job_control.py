"""Ctrl+Z and `fg` (issue 14, item 10): after SIGTSTP and SIGCONT the whole screen is drawn
again, and a routine that was counting is paused as of the moment it was stopped.

Found in a real terminal: only the timer's lines came back (borders, list, steps and footer
stayed blank until a key was pressed, with Textual's own driver too) and the hold had counted
on while the process was stopped. So these tests run the installed app in a pseudo-terminal
and stop it with real signals, sent to its process group as a shell's job control sends them.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ptyterm import PtyTerminal
from test_quiet_driver import stopped

from tui.terminal.job_control import StoppableClock, install_job_control

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGTSTP"), reason="POSIX job control")

WAIT = 15.0
"""Longest wait for anything the app should do at once (a hang guard, not a timing)."""
AWAY = 3.0
"""Seconds the process stays stopped: a hold that counted on would show at least this much
less. Time passing while stopped is what is tested, so this one is slept, not awaited."""
UNKNOT = Path(sys.executable).parent / "unknot"
LONG_HOLD = Path(__file__).parent / "data" / "pty" / "long-hold.toml"
WHOLE_SCREEN = (
    "Pty long hold · ",  # the heading
    "1. Pty long hold",  # the list
    "Hold still and breathe.",  # the steps
    "Targets: lower back",  # the detail
    "q Quit",  # the footer
    "╭",  # borders
)
"""Text from every part of the main screen: only the timer's came back before the fix."""
DRIVERS = {
    "quiet driver": {},
    "Textual's driver": {"TEXTUAL_DRIVER": "textual.drivers.linux_driver:LinuxDriver"},
}


def until(done: Callable[[], bool], what: Callable[[], str]) -> None:
    deadline = time.monotonic() + WAIT
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(what())
        time.sleep(0.05)


def hold_seconds(title: str) -> int:
    """The seconds a title such as "Paused - Hold 117 - Pty long hold R 1/3" shows."""
    found = re.search(r"\bHold (\d+) - ", title)
    assert found is not None, f"no hold in the title {title!r}"
    return int(found.group(1))


def start_holding(term: PtyTerminal) -> None:
    term.wait_for("Pty long hold", timeout=WAIT)
    term.send("Space")  # start: the pain question comes first
    term.wait_for("right now")
    term.send("Enter")  # skipped
    term.wait_title("Hold ")


def stop_and_continue(term: PtyTerminal, stop: signal.Signals, send: Callable[[int], None]) -> int:
    """Stop the app with `stop`, keep it stopped AWAY seconds, continue it; the offset of its
    output from the moment it was continued."""
    send(stop)
    until(
        lambda: stopped(term.proc.pid), lambda: f"it never stopped; screen:\n{term.screen_text()}"
    )
    time.sleep(AWAY)  # the time away, which the routine must not count
    continued = term.received
    send(signal.SIGCONT)
    return continued


def taken_back(term: PtyTerminal, since: int) -> int:
    """Where the app took the screen back (entered the alternate screen, which a terminal
    clears) after byte `since` of its output."""
    enter = b"\x1b[?1049h"
    until(
        lambda: enter in term.raw[since:],
        lambda: f"never took the screen back:\n{term.screen_text()}",
    )
    return term.raw.find(enter, since)


def whole_screen_after(term: PtyTerminal, offset: int, *also: str) -> str:
    """Wait until everything the main screen shows (and `also`) is drawn from `offset` on."""
    wanted = (*WHOLE_SCREEN, *also)

    def drawn() -> bool:
        shown = term.screen_after(offset)
        return all(text in shown for text in wanted)

    def failure() -> str:
        shown = term.screen_after(offset)
        missing = [text for text in wanted if text not in shown]
        return f"never drawn again: {missing}; the screen after `fg`:\n{shown}"

    until(drawn, failure)
    return term.screen_after(offset)


@pytest.mark.parametrize("env", DRIVERS.values(), ids=list(DRIVERS))
def test_after_sigtstp_and_sigcont_the_screen_is_whole_and_the_hold_paused_at_the_stop(
    env: dict[str, str],
) -> None:
    with PtyTerminal([str(UNKNOT), "run", str(LONG_HOLD)], env=env) as term:
        start_holding(term)
        group = os.getpgid(term.proc.pid)
        left_at_stop = hold_seconds(term.title)
        back = stop_and_continue(term, signal.SIGTSTP, lambda sig: os.killpg(group, sig))
        shown = whole_screen_after(term, taken_back(term, back), "Paused")
        term.wait_title("Paused - Hold")
        left_now = hold_seconds(term.title)
        # as at the stop: the same second, or the next if a second ended just as it stopped
        assert left_now in (left_at_stop, left_at_stop - 1), (left_at_stop, left_now, shown)
        term.send("Space")  # carries on from there
        term.wait_title(f"Hold {left_now - 1} - ")
        assert "Paused" not in term.title


NO_PROC = not Path("/proc/self/task").is_dir()


@contextlib.contextmanager
def app_in_a_shell() -> Iterator[tuple[PtyTerminal, int]]:
    """The app started from an interactive shell with job control, in a pseudo-terminal, as a
    person has it; with the app's process id. The app is a job of its own (another process
    group), so it is ended here: closing the terminal would leave it writing its place to
    resume while the test's home folder is removed."""
    env = {"PS1": "shell$ ", "HISTFILE": "/dev/null"}
    with PtyTerminal(["bash", "--norc", "--noprofile", "-i"], env=env) as term:
        term.wait_for("shell$")
        term.send(f"{UNKNOT} run {LONG_HOLD}\r")
        pid = app_pid(term)
        try:
            yield term, pid
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            until(lambda: gone(pid), lambda: f"the app {pid} outlived SIGKILL")


def app_pid(term: PtyTerminal) -> int:
    """The app the shell started: the shell's one child."""
    children = Path(f"/proc/{term.proc.pid}/task/{term.proc.pid}/children")
    until(lambda: children.read_text().split() != [], lambda: "the shell started nothing")
    (pid,) = children.read_text().split()
    return int(pid)


def gone(pid: int) -> bool:
    """The process has ended (a zombie, or reaped by the shell)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


@pytest.mark.skipif(NO_PROC, reason="finds the app through /proc")
def test_ctrl_z_in_a_shell_then_fg_brings_the_whole_screen_back_paused() -> None:
    # as a person does it: the app started from an interactive shell with job control
    with app_in_a_shell() as (term, _pid):
        start_holding(term)
        left_at_stop = hold_seconds(term.title)
        term.send("Ctrl+Z")
        term.wait_for("Stopped")
        time.sleep(AWAY)  # at the shell for a while: not stretching
        back = term.received
        term.send("fg\r")
        whole_screen_after(term, taken_back(term, back), "Paused")
        term.wait_title("Paused - Hold")
        assert hold_seconds(term.title) in (left_at_stop, left_at_stop - 1), term.title


def test_ctrl_z_with_no_shell_to_come_back_to_says_so_and_runs_on() -> None:
    # the app is the first program of its terminal (as under `ssh -t host unknot`): stopped,
    # nothing could ever continue it
    with PtyTerminal([str(UNKNOT), "run", str(LONG_HOLD)]) as term:
        start_holding(term)
        term.send("Ctrl+Z")
        term.wait_for("No shell here to come back to")
        assert not stopped(term.proc.pid)
        term.wait_title("Hold ")  # still counting
        assert "Paused" not in term.title


@pytest.mark.skipif(NO_PROC, reason="finds the app through /proc")
def test_a_bare_sigstop_under_a_shell_pauses_and_the_keys_work_after_fg() -> None:
    # kill -STOP runs no handler; the shell reports the job stopped, takes the terminal back
    # in line mode with echo and shows its prompt; `fg` does not give the app its modes back:
    # keys were echoed on the screen and never reached the app
    with app_in_a_shell() as (term, pid):
        start_holding(term)
        left_at_stop = hold_seconds(term.title)
        os.kill(pid, signal.SIGSTOP)
        term.wait_for("Stopped")
        time.sleep(AWAY)  # at the shell for a while: not stretching
        back = term.received
        term.send("fg\r")
        term.wait_title("Paused - Hold")
        # paused as of its last tick before the stop (at most a second before it)
        assert hold_seconds(term.title) in (left_at_stop, left_at_stop - 1), term.title
        whole_screen_after(term, taken_back(term, back), "Paused")
        term.send("?")
        term.wait_for("Keys act on the highlighted stretch")


def test_a_bare_sigstop_and_sigcont_with_no_shell_leave_the_routine_on_the_clock() -> None:
    # nothing marks the moment and no shell took the terminal: the screen stood still in
    # place, so the routine goes on by the clock, and the app still answers keys
    with PtyTerminal([str(UNKNOT), "run", str(LONG_HOLD)]) as term:
        start_holding(term)
        left_at_stop = hold_seconds(term.title)
        stop_and_continue(term, signal.SIGSTOP, term.signal)
        until(
            lambda: hold_seconds(term.title) <= left_at_stop - AWAY,
            lambda: f"the hold did not count on: {term.title!r}",
        )
        assert "Paused" not in term.title
        term.send("?")
        term.wait_for("Keys act on the highlighted stretch")


# -- the parts ---------------------------------------------------------------------------------


def test_the_clock_stands_still_from_stop_until_go() -> None:
    now = [100.0]
    clock = StoppableClock(lambda: now[0])
    assert clock() == 100.0 and not clock.stopped
    clock.stop()
    now[0] = 160.0
    assert clock() == 100.0 and clock.stopped
    clock.stop()  # a second stop keeps the first moment
    assert clock() == 100.0
    clock.go()
    assert clock() == 160.0 and not clock.stopped


def test_the_handlers_found_are_called_and_put_back() -> None:
    import asyncio

    calls: list[str] = []
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGTSTP, signal.SIGCONT)}
    signal.signal(signal.SIGTSTP, lambda *_: calls.append("driver stops"))
    signal.signal(signal.SIGCONT, lambda *_: calls.append("driver resumes"))
    theirs = {sig: signal.getsignal(sig) for sig in kept}

    async def run() -> None:
        loop = asyncio.get_running_loop()
        continued = asyncio.Event()

        def on_continue(taken: bool) -> None:
            calls.append(f"continued, terminal taken: {taken}")
            continued.set()

        remove = install_job_control(loop, lambda: calls.append("stop"), on_continue, None)
        try:
            signal.raise_signal(signal.SIGTSTP)
            signal.raise_signal(signal.SIGCONT)
            await asyncio.wait_for(continued.wait(), WAIT)
        finally:
            remove()

    try:
        asyncio.run(run())
        assert calls == [
            "stop",
            "driver stops",
            "driver resumes",
            "continued, terminal taken: False",
        ]
        assert {sig: signal.getsignal(sig) for sig in kept} == theirs
    finally:
        for sig, handler in kept.items():
            signal.signal(sig, handler)


@pytest.mark.parametrize(
    ("how", "can"),
    [({"start_new_session": True}, False), ({"process_group": 0}, True)],
    ids=["first of its session: nobody to fg it", "a job of its parent's session"],
)
def test_ctrl_z_stops_only_a_process_that_a_shell_can_continue(
    how: dict[str, object], can: bool
) -> None:
    import subprocess

    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tui.terminal.job_control import shell_can_continue as s; print(s())",
        ],
        capture_output=True,
        text=True,
        check=True,
        **how,  # type: ignore[call-overload]
    )
    assert child.stdout.strip() == str(can)


def test_the_drivers_work_waits_for_the_event_loop() -> None:
    # Textual's SIGTSTP handler writes to the driver's output queue; run inside the signal
    # handler while the main thread held that queue's lock (writing a frame), it waited for
    # the lock for ever: 2 of 40 SIGTSTPs sent as a frame was written hung the app
    import asyncio
    import threading

    output_lock = threading.Lock()
    calls: list[tuple[str, bool]] = []
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGTSTP, signal.SIGCONT)}
    signal.signal(signal.SIGTSTP, lambda *_: calls.append(("driver", output_lock.locked())))
    signal.signal(signal.SIGCONT, signal.SIG_DFL)

    async def run() -> None:
        loop = asyncio.get_running_loop()
        remove = install_job_control(
            loop, lambda: calls.append(("clock", output_lock.locked())), lambda _: None, None
        )
        try:
            with output_lock:  # the main thread in the middle of a write
                signal.raise_signal(signal.SIGTSTP)
            deadline = time.monotonic() + WAIT
            while len(calls) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
        finally:
            remove()

    try:
        asyncio.run(run())
    finally:
        for sig, handler in kept.items():
            signal.signal(sig, handler)
    # the clock stood still at once; the driver's work came after the write was done
    assert calls == [("clock", True), ("driver", False)]
