"""Timer accuracy in real time: a routine of short phases run on the real clock.

The routine runs in the app itself (headless, so the engine shares its event loop with the
app's redraws, as it does for a person), started with Space. A listener notes when each phase
begins; its planned time is the start plus the planned lengths of the phases before it, and
the end is held to the model's own estimate of the routine. Lateness = when it happened -
when it was planned. Drift is the least-squares slope of lateness over the run, times the
run's length: a timer that sleeps "one second" at a time drifts, one that computes every
deadline from its start does not.

The baseline, on the same event loop at the same time: a coroutine that sleeps until each
whole second after the start, which is as punctual as this loop on this machine can be.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from unittest import mock

from bench.common import Row, Sandbox, Sizes, percentile
from tui.core.model import Routine, Sides, Span, Stretch, routine_seconds

PHASE_KINDS = {"phase-began", "done"}
TARGET_P99 = 20.0  # ms
TARGET_DRIFT = 10.0  # ms over the whole run


def short_phase_routine(seconds: int) -> Routine:
    """Stretches of 1-3 s phases, of every kind of sides, adding up to about `seconds`."""
    kinds: tuple[Sides, ...] = ("none", "each", "alternate")
    stretches: list[Stretch] = []
    routine = Routine("bench-timer", "Timer accuracy", (), prepare_seconds=1, rest_seconds=2)
    while True:
        index = len(stretches)
        stretches.append(
            Stretch(
                id=f"s{index}",
                name=f"Stretch {index}",
                steps=("Hold still.",),
                hold_seconds=Span.exactly(1 + index % 3),
                reps=Span.exactly(2 if seconds >= 10 else 1),
                sides=kinds[index % 3],
                switch_seconds=1,
                rest_between_reps=1,
            )
        )
        longer = Routine(
            "bench-timer", "Timer accuracy", tuple(stretches), prepare_seconds=1, rest_seconds=2
        )
        if len(stretches) > 1 and routine_seconds(longer) > seconds:
            return routine
        routine = longer


@dataclass
class Lateness:
    engine_ms: list[float]  # one per phase change after the start, in order
    planned_s: list[float]  # when each was planned, seconds after the start
    baseline_ms: list[float]


async def _ideal_ticks(start: float, count: int) -> list[float]:
    """Sleep until each whole second after `start`; how late each wake-up was, in ms."""
    late: list[float] = []
    for second in range(1, count + 1):
        await asyncio.sleep(max(0.0, start + second - time.monotonic()))
        late.append((time.monotonic() - (start + second)) * 1000)
    return late


async def measure(routine: Routine) -> Lateness:
    """Run `routine` to the end in the app (headless, 80x24), Space to start, as a person does."""
    from tui.core.engine import Engine
    from tui.ui import app as app_module

    seen: list[tuple[float, int]] = []  # (when, phase_seconds of the phase that began)
    started: list[float] = []

    def listener(snapshot: object, events: Sequence[object]) -> None:
        now = time.monotonic()
        kinds = {getattr(event, "kind", "") for event in events}
        if "started" in kinds:
            started.append(now)
        if kinds & PHASE_KINDS:
            seen.append((now, int(getattr(snapshot, "phase_seconds", 0))))

    class HeardFirst(Engine):
        """The app's engine, with our listener ahead of the app's redraws."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.subscribe(listener)

    total = routine_seconds(routine)
    with mock.patch.object(app_module, "Engine", HeardFirst):
        app = app_module.UnknotApp(routine, bell=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        start = started[0] if started else time.monotonic()
        baseline = await _ideal_ticks(start, int(total))
        while app.engine.running:
            await asyncio.sleep(0.1)
    return lateness(seen, start, total, baseline)


def lateness(
    seen: Sequence[tuple[float, int]], start: float, total: int, baseline: list[float]
) -> Lateness:
    """Each phase change against its plan: the start plus the lengths of the phases before it."""
    late: list[float] = []
    planned: list[float] = []
    plan = 0.0
    for (_when, length), (next_when, _next_length) in itertools.pairwise(seen):
        plan += length
        planned.append(plan)
        late.append((next_when - (start + plan)) * 1000)
    if planned:  # the end is held to the model's estimate, not to the engine's own sums
        late[-1] = (seen[-1][0] - (start + total)) * 1000
        planned[-1] = float(total)
    return Lateness(late, planned, baseline)


def drift_ms(planned: Sequence[float], late_ms: Sequence[float]) -> float:
    """How much lateness grows over the run, by a least-squares line through it."""
    if len(planned) < 2:
        return 0.0
    mean_x = sum(planned) / len(planned)
    mean_y = sum(late_ms) / len(late_ms)
    spread = sum((x - mean_x) ** 2 for x in planned)
    if spread == 0:
        return 0.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(planned, late_ms, strict=True)) / spread
    return slope * (planned[-1] - planned[0])


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    routine = short_phase_routine(sizes.timer_seconds)
    result = asyncio.run(measure(routine))
    late, base = result.engine_ms, result.baseline_ms
    count = f"{len(late)} phase changes in {routine_seconds(routine)} s"
    rows = []
    for name, pct in (("p50", 50), ("p99", 99), ("max", 100)):
        row = Row(
            f"Timer lateness {name}",
            percentile(late, pct),
            "ms",
            baseline=percentile(base, pct),
            baseline_name="sleep-until-deadline loop",
            note=count,
        )
        if name == "p99":
            row.target = f"< {TARGET_P99:g} ms"
            row.passed = row.value < TARGET_P99
        rows.append(row)
    drift = drift_ms(result.planned_s, late)
    rows.append(
        Row(
            "Timer drift over the run",
            drift,
            "ms",
            baseline=drift_ms([float(i + 1) for i in range(len(base))], base),
            baseline_name="sleep-until-deadline loop",
            target=f"|drift| < {TARGET_DRIFT:g} ms",
            passed=abs(drift) < TARGET_DRIFT,
            note=count,
        )
    )
    return rows
