"""CPU use, as a share of one core, while a hold counts down and while it is paused.

Read from the kernel's per-thread CPU clocks of the process (/proc/<pid>/task/*/schedstat),
over a whole number of seconds. Space pauses both unknot and the Digits baseline.
"""

from __future__ import annotations

import time

from bench import hold, terminal
from bench.common import Row, Sandbox, Sizes, median

TARGET_RUNNING = 1.0  # % of one core
TARGET_PAUSED = 0.2


def percent_of_core(term: terminal.PtyTerminal, seconds: float) -> float:
    pid = term.proc.pid
    cpu, start = terminal.cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (terminal.cpu_seconds(pid) - cpu) / (time.monotonic() - start)


def running_and_paused(subject: hold.Subject, box: Sandbox, sizes: Sizes) -> tuple[float, float]:
    """CPU % while counting down, then after Space, in one session."""
    seconds = hold.window_seconds(sizes)
    with hold.counting_down(subject, box, sizes) as term:
        running = percent_of_core(term, seconds)
        if subject.pause_shows:
            terminal.press(term, "Space", sizes.timeout)
        else:
            term.send("Space")
        time.sleep(hold.SETTLE)
        paused = percent_of_core(term, seconds)
    return running, paused


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    app, base = hold.long_hold(box), hold.digits_baseline()
    samples: dict[str, list[float]] = {
        "app-run": [],
        "app-pause": [],
        "base-run": [],
        "base-pause": [],
    }
    for _ in range(sizes.long_runs):
        running, paused = running_and_paused(app, box, sizes)
        samples["app-run"].append(running)
        samples["app-pause"].append(paused)
        running, paused = running_and_paused(base, box, sizes)
        samples["base-run"].append(running)
        samples["base-pause"].append(paused)
    running, paused = median(samples["app-run"]), median(samples["app-pause"])
    return [
        Row(
            "CPU while a hold counts down",
            running,
            "% core",
            baseline=median(samples["base-run"]),
            baseline_name="Digits countdown app",
            target=f"<= {TARGET_RUNNING}%",
            passed=running <= TARGET_RUNNING,
            samples=samples["app-run"],
        ),
        Row(
            "CPU while paused",
            paused,
            "% core",
            baseline=median(samples["base-pause"]),
            baseline_name="Digits app, paused",
            target=f"<= {TARGET_PAUSED}%",
            passed=paused <= TARGET_PAUSED,
            samples=samples["app-pause"],
        ),
    ]
