"""Start-up: from process start until the first full frame, in a real 80x24 pseudo-terminal.

The app's first frame is the one showing the routine's name; the baseline's shows its marker.
App and baseline take turns, so a noisy moment on the machine hits both alike.

A second baseline, unknot's main screen rebuilt from stock Textual widgets with fixed text and
no project code (bench/baselines/same_layout.py), shows how much of the app's start-up is
Textual's price for a screen like it, and how much is unknot's own.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from bench import terminal
from bench.baselines import same_layout
from bench.baselines.bare_app import MARKER
from bench.common import BUILTIN_ROUTINE, Row, Sandbox, Sizes, baseline, builtin_name, median
from bench.common import unknot as unknot_command

TARGET_RATIO = 1.15


def first_frame(argv: Sequence[str], box: Sandbox, marker: str, timeout: float) -> float:
    """Seconds from starting `argv` until `marker` is on its screen."""
    start = time.perf_counter()
    with terminal.spawn(argv, box) as term:
        return terminal.wait_for(term, marker, timeout) - start


def take_turns(
    box: Sandbox, programs: Sequence[tuple[Sequence[str], str]], sizes: Sizes
) -> list[list[float]]:
    """First-frame times (ms) of each (argv, marker), one run of each in turn, after a warm-up."""
    if sizes.warmup:
        for argv, marker in programs:
            first_frame(argv, box, marker, sizes.timeout)
    times: list[list[float]] = [[] for _ in programs]
    for _ in range(sizes.runs):
        for (argv, marker), samples in zip(programs, times, strict=True):
            samples.append(first_frame(argv, box, marker, sizes.timeout) * 1000)
    return times


def compare(
    box: Sandbox, app: Sequence[str], marker: str, sizes: Sizes
) -> tuple[list[float], list[float]]:
    """First-frame times (ms) of `app` and of the bare app, taking turns, after a warm-up."""
    app_ms, bare_ms = take_turns(box, [(app, marker), (baseline("bare_app"), MARKER)], sizes)
    return app_ms, bare_ms


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    programs = [
        (unknot_command("run", BUILTIN_ROUTINE), builtin_name()),
        (baseline("bare_app"), MARKER),
        (baseline("same_layout"), same_layout.MARKER),
    ]
    app_ms, bare_ms, same_ms = take_turns(box, programs, sizes)
    floor = Row(
        "Start-up of the same screen from stock widgets, no project code",
        median(same_ms),
        "ms",
        baseline=median(bare_ms),
        baseline_name="bare app",
        samples=same_ms,
    )
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
    own = Row(
        "Start-up, unknot against the same screen from stock widgets",
        median(app_ms),
        "ms",
        baseline=median(same_ms),
        baseline_name="stock widgets",
        samples=app_ms,
    )
    return [row, floor, own]
