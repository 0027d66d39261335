"""The steady state, watched once for both bytes and CPU: a hold counting down, then paused.

Each run starts unknot on an hour-long hold and the Digits baseline in turn; while the hold
counts down, bytes on the wire (wire.py) and CPU (cpu.py) are counted over the same whole
seconds; then Space pauses it and CPU is counted again.
"""

from __future__ import annotations

import time

from bench import cpu, hold, terminal, wire
from bench.common import Row, Sandbox, Sizes


def session(subject: hold.Subject, box: Sandbox, sizes: Sizes) -> tuple[float, float, float]:
    """(bytes/s, CPU % counting down, CPU % paused) of one run of `subject`."""
    seconds = hold.window_seconds(sizes)
    with hold.counting_down(subject, box, sizes) as term:
        with wire.counting(term) as rate, cpu.counting(term) as running:
            time.sleep(seconds)
        if subject.pause_shows:
            terminal.press(term, "Space", sizes.timeout)
        else:
            term.send("Space")
        time.sleep(sizes.settle)
        with cpu.counting(term) as paused:
            time.sleep(seconds)
    return rate[0], running[0], paused[0]


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    app, base = hold.long_hold(box), hold.digits_baseline()
    app_runs: list[tuple[float, float, float]] = []
    base_runs: list[tuple[float, float, float]] = []
    for _ in range(sizes.long_runs):
        app_runs.append(session(app, box, sizes))
        base_runs.append(session(base, box, sizes))
    a_rate, a_running, a_paused = (list(column) for column in zip(*app_runs, strict=True))
    b_rate, b_running, b_paused = (list(column) for column in zip(*base_runs, strict=True))
    return wire.rows(a_rate, b_rate) + cpu.rows(a_running, a_paused, b_running, b_paused)
