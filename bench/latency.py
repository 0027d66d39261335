"""Key latency: from writing a key to the pseudo-terminal until the screen shows its effect.

Two kinds of press in unknot: Down/Up in the sidebar of the built-in routine, timed until the
screen first changes (colours count: the highlight moving is the answer a person sees) and,
apart, until the detail pane's text follows; and Space during a hold (pause, resume; timed
until "paused" appears or goes, so a once-a-second redraw is not taken for the answer).
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

Presser = Callable[[terminal.PtyTerminal, int, float], tuple[float, float]]
"""(terminal, press number, seconds to wait for the answer) -> (first change, text change)"""


def arrows(term: terminal.PtyTerminal, index: int, timeout: float) -> tuple[float, float]:
    """Down, Up, Down, ...: (first change, text change) in seconds."""
    return terminal.press_both(term, "Down" if index % 2 == 0 else "Up", timeout)


def pause_resume(term: terminal.PtyTerminal, index: int, timeout: float) -> tuple[float, float]:
    was_paused = PAUSED in term.screen_text()

    def answered(shown: str) -> bool:
        return (PAUSED in shown) != was_paused

    seconds = terminal.press(term, "Space", timeout, answered)
    return seconds, seconds


def session(
    subject: hold.Subject, box: Sandbox, sizes: Sizes, presser: Presser
) -> tuple[list[float], list[float]]:
    """Milliseconds of `sizes.presses` key presses in one run of `subject`: until the screen
    first changed, and until its text changed."""
    with terminal.spawn(subject.argv, box) as term:
        terminal.wait_for(term, subject.marker, sizes.timeout)
        time.sleep(sizes.settle)
        for key in subject.start_keys:
            terminal.press(term, key, sizes.timeout)
        time.sleep(sizes.settle)
        first: list[float] = []
        text: list[float] = []
        for index in range(sizes.presses):
            terminal.quiet(term, QUIET)
            try:
                changed, written = presser(term, index, sizes.answer_timeout)
            except terminal.PtyTimeout:
                continue  # unanswered (counted in the table); Down/Up get back in step
            first.append(changed * 1000)
            text.append(written * 1000)
        if len(first) < sizes.presses * 0.9:
            raise terminal.PtyTimeout(f"{subject.name} answered {len(first)} of {sizes.presses}")
        return first, text


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    sidebar = hold.Subject("unknot", unknot("run", BUILTIN_ROUTINE), builtin_name())
    bare = hold.Subject("bare app", baseline("bare_app"), MARKER)
    sessions = {
        "sidebar": (sidebar, arrows),
        "space": (hold.long_hold(box), pause_resume),
        "baseline": (bare, arrows),
    }
    # (row name, session, 0 = first change / 1 = text change, whether the target applies)
    measures = (
        ("Down/Up in the sidebar (highlight moves)", "sidebar", 0, True),
        ("Down/Up in the sidebar (detail pane text)", "sidebar", 1, False),
        ("Space (pause/resume) in a hold", "space", 0, True),
    )
    p50: dict[tuple[str, int], list[float]] = {}
    p95: dict[tuple[str, int], list[float]] = {}
    answered: dict[str, int] = dict.fromkeys(sessions, 0)
    for _ in range(sizes.long_runs):
        for name, (subject, presser) in sessions.items():
            for which, samples in enumerate(session(subject, box, sizes, presser)):
                p50.setdefault((name, which), []).append(percentile(samples, 50))
                p95.setdefault((name, which), []).append(percentile(samples, 95))
                answered[name] += len(samples) if which == 0 else 0
    rows = []
    for label, name, which, targeted in measures:
        for stat, values in (("p50", p50), ("p95", p95)):
            row = Row(
                f"Key latency {stat}: {label}",
                median(values[name, which]),
                "ms",
                baseline=median(values["baseline", 0]),
                baseline_name="bare app, Down/Up",
                note=f"{answered[name]} of {sizes.presses * sizes.long_runs} presses answered",
                samples=values[name, which],
            )
            if targeted and stat == "p95":
                row.target = f"< {TARGET_P95:g} ms"
                row.passed = row.value < TARGET_P95
            rows.append(row)
    return rows
