"""Timer accuracy in real time: a routine of short phases run on the real clock.

A listener notes when each phase begins; its planned time is the start plus the planned
lengths of the phases before it, and the end is held to the model's own estimate of the
routine. Lateness = when it happened - when it was planned. Drift is the least-squares slope
of lateness over the run, times the run's length: a timer that sleeps "one second" at a time
drifts, one that computes every deadline from its start does not.

The baseline, on the same event loop at the same time: a coroutine that sleeps until each
whole second after the start, which is as punctual as this loop on this machine can be.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.common import Row, Sandbox, Sizes, percentile
from tui.model import Routine, Sides, Span, Stretch, routine_seconds

PHASE_KINDS = ("phase-began", "done")
TARGET_P99 = 20.0  # ms
TARGET_DRIFT = 10.0  # ms over the whole run


def short_phase_routine(seconds: int) -> Routine:
    """Stretches of 1-3 s phases, of every kind of sides, adding up to about `seconds`."""
    kinds: tuple[Sides, ...] = ("none", "each", "alternate")
    stretches: list[Stretch] = []
    routine = Routine("bench-timer", "Timer accuracy", (), prepare_seconds=2, rest_seconds=1)
    while not stretches or routine_seconds(routine) < seconds:
        index = len(stretches)
        stretches.append(
            Stretch(
                id=f"s{index}",
                name=f"Stretch {index}",
                steps=("Hold still.",),
                hold_seconds=Span.exactly(2 + index % 2),
                reps=Span.exactly(2),
                sides=kinds[index % 3],
                switch_seconds=1,
                rest_between_reps=1,
            )
        )
        routine = Routine(
            "bench-timer", "Timer accuracy", tuple(stretches), prepare_seconds=2, rest_seconds=1
        )
    return routine


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
    from tui.engine import Engine

    engine = Engine(routine)
    seen: list[tuple[float, int]] = []  # (when, phase_seconds of the phase that began)

    def listener(snapshot: object, events: Sequence[object]) -> None:
        now = time.monotonic()
        if any(getattr(event, "kind", "") in PHASE_KINDS for event in events):
            seen.append((now, int(getattr(snapshot, "phase_seconds", 0))))

    engine.subscribe(listener)
    total = routine_seconds(routine)
    start = time.monotonic()
    engine.start()
    ticks = asyncio.create_task(_ideal_ticks(start, int(total)))
    await engine.run()
    baseline = await ticks

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
