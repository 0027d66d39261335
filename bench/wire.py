"""Bytes per second sent to the terminal while a long hold counts down, after the first frame.

Everything the program writes to the pseudo-terminal counts: the digits, the progress bars,
the time left, the window title. Baseline: the bare app plus a once-a-second Digits countdown.
"""

from __future__ import annotations

import time

from bench import hold
from bench.common import Row, Sandbox, Sizes, median

TARGET_RATIO = 1.5


def bytes_per_second(subject: hold.Subject, box: Sandbox, sizes: Sizes) -> float:
    with hold.counting_down(subject, box, sizes) as term:
        size, start = len(term.raw), time.monotonic()
        time.sleep(hold.window_seconds(sizes))
        return (len(term.raw) - size) / (time.monotonic() - start)


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    app, base = hold.long_hold(box), hold.digits_baseline()
    app_rates: list[float] = []
    base_rates: list[float] = []
    for _ in range(sizes.long_runs):
        app_rates.append(bytes_per_second(app, box, sizes))
        base_rates.append(bytes_per_second(base, box, sizes))
    row = Row(
        "Bytes/s to the terminal during a hold",
        median(app_rates),
        "B/s",
        baseline=median(base_rates),
        baseline_name="Digits countdown app",
        target=f"<= {TARGET_RATIO}x baseline",
        samples=app_rates,
    )
    row.passed = row.ratio is not None and row.ratio <= TARGET_RATIO
    return [row]
