"""CPU use, as a share of one core, while a hold counts down and while it is paused.

Read from the kernel's per-thread CPU clocks of the process (/proc/<pid>/task/*/schedstat),
over a whole number of seconds. Space pauses both unknot and the Digits baseline.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from bench import terminal
from bench.common import Row, median

TARGET_RUNNING = 1.0  # % of one core
TARGET_PAUSED = 0.2


@contextmanager
def counting(term: terminal.PtyTerminal) -> Iterator[list[float]]:
    """Percent of one core the program used during the `with` block, filled in at its end."""
    result: list[float] = []
    pid = term.proc.pid
    cpu, start = terminal.cpu_seconds(pid), time.monotonic()
    yield result
    result.append(100 * (terminal.cpu_seconds(pid) - cpu) / (time.monotonic() - start))


def rows(
    app_running: list[float],
    app_paused: list[float],
    base_running: list[float],
    base_paused: list[float],
) -> list[Row]:
    running, paused = median(app_running), median(app_paused)
    return [
        Row(
            "CPU while a hold counts down",
            running,
            "% core",
            baseline=median(base_running),
            baseline_name="Digits countdown app",
            target=f"<= {TARGET_RUNNING}%",
            passed=running <= TARGET_RUNNING,
            samples=app_running,
        ),
        Row(
            "CPU while paused",
            paused,
            "% core",
            baseline=median(base_paused),
            baseline_name="Digits app, paused",
            target=f"<= {TARGET_PAUSED}%",
            passed=paused <= TARGET_PAUSED,
            samples=app_paused,
        ),
    ]
