"""How long a test waits for something, and how it says what it saw when it gives up.

The rule: a test waits for the event it needs (a file appears, a process ends, text shows),
never for a fixed time, and gives up only after HANG seconds, which only a hang reaches. A
passing test is as quick as its events, however long HANG is; a failing one says what it saw.
"""

from __future__ import annotations

import time
from collections.abc import Callable

HANG = 60.0
"""Seconds after which a wait fails: far beyond what a loaded 2-core machine needs for anything
the suite waits for (a first frame, a key's answer, a process's exit), so only a hang gets
there."""

POLL = 0.02
"""Seconds between looks when nothing tells us of a change (a file, a process state)."""


class Hang(AssertionError):
    """Something awaited did not happen within HANG seconds."""


def wait_until(
    done: Callable[[], bool],
    what: str,
    seen: Callable[[], object] | None = None,
    timeout: float = HANG,
) -> None:
    """Return as soon as `done()` holds; after `timeout` seconds fail with Hang, saying `what`
    did not happen and, when given, what `seen()` shows at that moment."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            shown = f"; saw: {seen()}" if seen is not None else ""
            raise Hang(f"{what} (waited {timeout:.0f} s){shown}")
        time.sleep(POLL)
