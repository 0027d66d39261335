"""Bytes per second sent to the terminal while a long hold counts down, after the first frame.

Everything the program writes to the pseudo-terminal counts: the digits, the progress bars,
the time left, the window title. Baseline: the bare app plus a once-a-second Digits countdown.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from bench import terminal
from bench.common import Row, median

TARGET_RATIO = 1.5


@contextmanager
def counting(term: terminal.PtyTerminal) -> Iterator[list[float]]:
    """Bytes per second written during the `with` block, in a list filled at its end."""
    result: list[float] = []
    size, start = term.received, time.monotonic()
    yield result
    result.append((term.received - size) / (time.monotonic() - start))


def rows(app: list[float], base: list[float]) -> list[Row]:
    row = Row(
        "Bytes/s to the terminal during a hold",
        median(app),
        "B/s",
        baseline=median(base),
        baseline_name="Digits countdown app",
        target=f"<= {TARGET_RATIO}x baseline",
        samples=app,
    )
    row.passed = row.ratio is not None and row.ratio <= TARGET_RATIO
    return [row]
