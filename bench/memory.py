"""Peak memory (VmHWM, the high-water mark of resident memory) of the app running the built-in
routine: started, a few phases skipped, a few seconds of countdown. Baseline: the bare app."""

from __future__ import annotations

import time

from bench import hold, terminal
from bench.baselines.bare_app import MARKER
from bench.common import (
    BUILTIN_ROUTINE,
    Row,
    Sandbox,
    Sizes,
    baseline,
    builtin_name,
    median,
    unknot,
)

TARGET_MIB = 80.0


def peak(subject: hold.Subject, box: Sandbox, sizes: Sizes, keys: tuple[str, ...]) -> float:
    with terminal.spawn(subject.argv, box) as term:
        terminal.wait_for(term, subject.marker, sizes.timeout)
        time.sleep(sizes.settle)
        term.send(*keys, gap=0.2)
        time.sleep(sizes.settle * 3)  # some countdown after the last key
        return terminal.peak_rss_mib(term.proc.pid)


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    app = hold.Subject("unknot", unknot("run", BUILTIN_ROUTINE), builtin_name())
    bare = hold.Subject("bare app", baseline("bare_app"), MARKER)
    app_mib: list[float] = []
    bare_mib: list[float] = []
    for _ in range(sizes.long_runs):
        # Space starts the routine; n skips ahead through get-ready, hold and rest
        app_mib.append(peak(app, box, sizes, ("Space", "n", "n", "n", "n")))
        bare_mib.append(peak(bare, box, sizes, ()))
    value = median(app_mib)
    return [
        Row(
            "Peak memory (RSS) running the built-in routine",
            value,
            "MiB",
            baseline=median(bare_mib),
            baseline_name="bare app",
            target=f"< {TARGET_MIB:g} MiB",
            passed=value < TARGET_MIB,
            samples=app_mib,
        )
    ]
