"""Scale: many routine files in the user folder, and years of history.

- 1,000 routine files of 20 stretches: `unknot list` (baseline: the same command with an empty
  user folder) and the app's first frame (baseline: the bare app's first frame).
- 10,000 recorded sessions: how long the history screen takes to open (see bench/history.py).
"""

from __future__ import annotations

import subprocess
import time

from bench import startup
from bench.common import (
    BUILTIN_ROUTINE,
    Row,
    Sandbox,
    Sizes,
    builtin_name,
    median,
    sandbox,
    stretch,
    unknot,
    write_routine,
)

LIST_TARGET_S = 1.0
FRAME_TARGET_RATIO = 1.5


def fill_routines(box: Sandbox, files: int, stretches: int) -> None:
    """`files` routine files of `stretches` stretches each in the user folder."""
    body = [
        stretch(index, hold=10 + index % 20, reps=3, sides="each") for index in range(stretches)
    ]
    for number in range(files):
        write_routine(box.routines, f"routine-{number:04d}", f"Routine {number:04d}", body)


def list_seconds(box: Sandbox) -> float:
    """Wall time of one `unknot list`, output read and thrown away."""
    start = time.perf_counter()
    subprocess.run(unknot("list"), env=box.env, capture_output=True, check=True)
    return time.perf_counter() - start


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    fill_routines(box, sizes.files, sizes.stretches)
    many_s: list[float] = []
    few_s: list[float] = []
    with sandbox() as empty:
        list_seconds(box), list_seconds(empty)  # warm the disk cache
        for _ in range(sizes.runs):
            many_s.append(list_seconds(box))
            few_s.append(list_seconds(empty))
    listing = Row(
        f"`unknot list` with {sizes.files} files of {sizes.stretches} stretches",
        median(many_s) * 1000,
        "ms",
        baseline=median(few_s) * 1000,
        baseline_name="`unknot list`, built-in only",
        target=f"< {LIST_TARGET_S * 1000:g} ms",
        passed=median(many_s) < LIST_TARGET_S,
        samples=[s * 1000 for s in many_s],
    )
    app_ms, bare_ms = startup.compare(box, unknot("run", BUILTIN_ROUTINE), builtin_name(), sizes)
    frame = Row(
        f"First frame with {sizes.files} routine files",
        median(app_ms),
        "ms",
        baseline=median(bare_ms),
        baseline_name="bare app",
        target=f"<= {FRAME_TARGET_RATIO}x baseline",
        samples=app_ms,
    )
    frame.passed = frame.ratio is not None and frame.ratio <= FRAME_TARGET_RATIO
    return [listing, frame]
