"""Key latency: from writing a key to the pseudo-terminal until the screen shows its effect.

Two kinds of press in unknot: Down/Up in the sidebar of the built-in routine (moves the
highlight and redraws the detail pane), and Space during a hold (pause, resume; timed until
"paused" appears or goes, so a once-a-second redraw is not taken for the answer).
Baseline: Down/Up in the bare app, which rewrites its Static.
"""

from __future__ import annotations

import time
from collections.abc import Callable

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
    percentile,
    unknot,
)

TARGET_P95 = 30.0  # ms
QUIET = 0.02  # seconds without output before the next key: the last answer is fully drawn
PAUSED = "paused"

Presser = Callable[[terminal.PtyTerminal, int], float]


def arrows(term: terminal.PtyTerminal, index: int) -> float:
    return terminal.press(term, "Down" if index % 2 == 0 else "Up", 5.0)


def pause_resume(term: terminal.PtyTerminal, index: int) -> float:
    was_paused = PAUSED in term.screen_text()
    return terminal.press(term, "Space", 5.0, lambda shown: (PAUSED in shown) != was_paused)


def session(subject: hold.Subject, box: Sandbox, sizes: Sizes, presser: Presser) -> list[float]:
    """Milliseconds of `sizes.presses` key presses in one run of `subject`."""
    with terminal.spawn(subject.argv, box) as term:
        terminal.wait_for(term, subject.marker, sizes.timeout)
        time.sleep(sizes.settle)
        for key in subject.start_keys:
            terminal.press(term, key, sizes.timeout)
        time.sleep(sizes.settle)
        samples = []
        for index in range(sizes.presses):
            terminal.quiet(term, QUIET)
            samples.append(presser(term, index) * 1000)
        return samples


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    sidebar = hold.Subject("unknot", unknot("run", BUILTIN_ROUTINE), builtin_name())
    bare = hold.Subject("bare app", baseline("bare_app"), MARKER)
    kinds = {
        "Down/Up in the sidebar": (sidebar, arrows),
        "Space (pause/resume) in a hold": (hold.long_hold(box), pause_resume),
        "baseline": (bare, arrows),
    }
    p50: dict[str, list[float]] = {kind: [] for kind in kinds}
    p95: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(sizes.long_runs):
        for kind, (subject, presser) in kinds.items():
            samples = session(subject, box, sizes, presser)
            p50[kind].append(percentile(samples, 50))
            p95[kind].append(percentile(samples, 95))
    rows = []
    for kind in kinds:
        if kind == "baseline":
            continue
        for name, values, bases in (
            ("p50", p50[kind], p50["baseline"]),
            ("p95", p95[kind], p95["baseline"]),
        ):
            row = Row(
                f"Key latency {name}: {kind}",
                median(values),
                "ms",
                baseline=median(bases),
                baseline_name="bare app, Down/Up",
                note=f"{sizes.presses} presses a run",
                samples=values,
            )
            if name == "p95":
                row.target = f"< {TARGET_P95:g} ms"
                row.passed = row.value < TARGET_P95
            rows.append(row)
    return rows
