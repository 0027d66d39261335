"""Start-up: from process start until the first full frame, in a real 80x24 pseudo-terminal.

The app's first frame is the one showing the routine's name; the baseline's shows its marker.
App and baseline take turns, so a noisy moment on the machine hits both alike.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from bench import terminal
from bench.baselines.bare_app import MARKER
from bench.common import BUILTIN_ROUTINE, Row, Sandbox, Sizes, baseline, builtin_name, median
from bench.common import unknot as unknot_command

TARGET_RATIO = 1.15


def first_frame(argv: Sequence[str], box: Sandbox, marker: str, timeout: float) -> float:
    """Seconds from starting `argv` until `marker` is on its screen."""
    start = time.perf_counter()
    with terminal.spawn(argv, box) as term:
        return terminal.wait_for(term, marker, timeout) - start


def compare(
    box: Sandbox, app: Sequence[str], marker: str, sizes: Sizes
) -> tuple[list[float], list[float]]:
    """First-frame times (ms) of `app` and of the bare app, taking turns, after a warm-up."""
    bare = baseline("bare_app")
    if sizes.warmup:
        first_frame(app, box, marker, sizes.timeout)
        first_frame(bare, box, MARKER, sizes.timeout)
    app_ms: list[float] = []
    bare_ms: list[float] = []
    for _ in range(sizes.runs):
        app_ms.append(first_frame(app, box, marker, sizes.timeout) * 1000)
        bare_ms.append(first_frame(bare, box, MARKER, sizes.timeout) * 1000)
    return app_ms, bare_ms


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    app_ms, bare_ms = compare(box, unknot_command("run", BUILTIN_ROUTINE), builtin_name(), sizes)
    row = Row(
        "Start-up to first frame (80x24)",
        median(app_ms),
        "ms",
        baseline=median(bare_ms),
        baseline_name="bare app",
        target=f"<= {TARGET_RATIO}x baseline",
        samples=app_ms,
    )
    row.passed = row.ratio is not None and row.ratio <= TARGET_RATIO
    return [row]
