"""The bench's view of a program in a pseudo-terminal, built on the tests' own harness.

tests/ptyterm.py spawns the program and keeps a pyte screen of its output; here are the few
things a benchmark adds: finer polling than a test needs, and what the kernel says about the
process (CPU time, peak memory).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.common import COLUMNS, LINES, Sandbox
from tests.ptyterm import PtyTerminal, PtyTimeout, key_text

__all__ = ["PtyTerminal", "PtyTimeout", "cpu_seconds", "peak_rss_mib", "press", "spawn"]

POLL = 0.001  # seconds between looks at the screen while timing


def spawn(argv: Sequence[str], box: Sandbox) -> PtyTerminal:
    """`argv` in an 80x24 pseudo-terminal, with the sandbox as its home."""
    return PtyTerminal(
        argv, cols=COLUMNS, rows=LINES, env=box.extra_env, home=box.home, whole_frames=False
    )


def until(term: PtyTerminal, done: Callable[[str], bool], timeout: float, what: str) -> float:
    """Poll until `done(screen)`; the perf_counter time it first held.

    The screen is only read again when new bytes arrived, so waiting costs this process
    almost nothing: on a small machine, the program being measured needs the CPU.
    """
    deadline = time.perf_counter() + timeout
    seen = -1
    while True:
        received = term.received
        now = time.perf_counter()
        if received != seen:
            seen = received
            shown = term.screen_text()
            if done(shown):
                return now
        if now > deadline or not term.alive:
            shown = term.screen_text()
            raise PtyTimeout(f"{what} after {timeout} s (alive: {term.alive}); screen:\n{shown}")
        time.sleep(POLL)


def wait_for(term: PtyTerminal, text: str, timeout: float) -> float:
    """When `text` appeared on screen (perf_counter), polled every millisecond."""
    return until(term, lambda shown: text in shown, timeout, f"never saw {text!r}")


def press(
    term: PtyTerminal, key: str, timeout: float, shows: Callable[[str], bool] | None = None
) -> float:
    """Press one key; the seconds until the screen shows it (`shows`), or else until the screen
    changes at all, a colour counting (a highlight that moves changes no character)."""
    if shows is not None:
        start = time.perf_counter()
        os.write(term.master, key_text(key).encode())
        return until(term, shows, timeout, f"no answer to {key}") - start
    return press_both(term, key, timeout)[0]


def press_both(term: PtyTerminal, key: str, timeout: float) -> tuple[float, float]:
    """Press one key; seconds until the screen first changes (colours too), and until its text
    changes (the first may be a highlight, the second the text it brings in)."""
    cells, text = term.screen_cells(), term.screen_text()
    start = time.perf_counter()
    os.write(term.master, key_text(key).encode())
    first = until_cells(term, cells, timeout, f"no change after {key}")
    if term.screen_text() != text:
        return first - start, first - start
    return first - start, until(term, lambda shown: shown != text, timeout, "text") - start


def until_cells(term: PtyTerminal, before: object, timeout: float, what: str) -> float:
    """Like `until`, for the first change of any cell or colour."""
    deadline = time.perf_counter() + timeout
    seen = -1  # look at once, as until() does: the answer may have come in before this call
    while True:
        received = term.received
        now = time.perf_counter()
        if received != seen:
            seen = received
            if term.screen_cells() != before:
                return now
        if now > deadline or not term.alive:
            raise PtyTimeout(f"{what} after {timeout} s; screen:\n{term.screen_text()}")
        time.sleep(POLL)


def quiet(term: PtyTerminal, seconds: float, timeout: float = 5.0) -> None:
    """Wait until the program has written nothing for `seconds` (its last redraw is done)."""
    deadline = time.monotonic() + timeout
    size, since = term.received, time.monotonic()
    while time.monotonic() - since < seconds:
        if time.monotonic() > deadline:
            return  # a program that never stops writing: go on anyway
        time.sleep(POLL)
        now_size = term.received
        if now_size != size:
            size, since = now_size, time.monotonic()


def next_output(term: PtyTerminal, timeout: float) -> None:
    """Wait until the program writes something more (e.g. its next once-a-second redraw)."""
    size = term.received
    deadline = time.monotonic() + timeout
    while term.received == size:
        if time.monotonic() > deadline:
            raise PtyTimeout(f"no output for {timeout} s")
        time.sleep(POLL * 5)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of every thread of `pid` so far, in nanosecond-precise seconds."""
    tasks = Path(f"/proc/{pid}/task")
    total_ns = 0
    for task in tasks.iterdir():
        try:
            total_ns += int((task / "schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            continue  # a thread that ended between listing and reading
    if total_ns:
        return total_ns / 1e9
    # no schedstat in this kernel: clock ticks from /proc/<pid>/stat (10 ms steps)
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float:
    """The highest resident memory of `pid` so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")
