"""The results table, and the machine it was measured on."""

from __future__ import annotations

import math
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from bench.common import COLUMNS, LINES, REPO, Row, Sizes


def number(value: float | None, unit: str = "") -> str:
    """A figure with as many digits as its size deserves."""
    if value is None:
        return ""
    if math.isnan(value):
        return "n/a"
    digits = 2 if abs(value) < 10 else 1 if abs(value) < 100 else 0
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".rstrip()


def verdict(row: Row) -> str:
    if row.passed is None:
        return ""
    return "pass" if row.passed else "MISS"


def table(rows: Sequence[Row]) -> str:
    """A Markdown table, readable as plain text too."""
    header = ("Benchmark", "Median", "Baseline", "Ratio", "Target", "Result")
    lines = [header]
    for row in rows:
        base = number(row.baseline, row.unit)
        if row.baseline_name:
            base = f"{base} ({row.baseline_name})"
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
        name = f"{row.benchmark} [{row.note}]" if row.note else row.benchmark
        lines.append((name, number(row.value, row.unit), base, ratio, row.target, verdict(row)))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def show(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([show(lines[0]), rule, *(show(line) for line in lines[1:])])


def machine() -> str:
    """CPU, cores, memory, system and the versions that matter, in one line."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; Textual {version('textual')}"
    )


def revision() -> str:
    """The commit measured, and whether tui/ had uncommitted changes on top of it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "tui", "routines"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head} with uncommitted changes in tui/" if dirty else head or "unknown"


def load() -> str:
    """The 1-minute load average: how busy the machine was with other work."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def document(
    rows: Sequence[Row], sizes: Sizes, seconds: float, argv: Sequence[str], load_before: str
) -> str:
    """results.md: when, where, how big, the table, and how to read it."""
    settings = ", ".join(f"{k}={v}" for k, v in asdict(sizes).items())
    command = " ".join(["python -m bench", *argv])
    return f"""# unknot benchmarks

Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} by `{command}` in {seconds:.0f} s,
on commit {revision()}.

Machine: {machine()}. Load average (1 min) at the start {load_before}, at the end {load()}.

Sizes: {settings}.

{table(rows)}

How to read it: every figure is the median of several runs (`runs` for quick measurements,
`long_runs` for those that watch seconds go by); each baseline is measured in the same run,
taking turns with the app, and the ratio is median / baseline median. MISS: the target from
issue 7 was not met. Programs run in a real {COLUMNS}x{LINES} pseudo-terminal (tests/ptyterm.py)
with HOME and XDG_* in a throw-away folder; bytecode is cached, as an installed wheel's is.

- Start-up: from starting `unknot run back-spasm-relief` until the routine's name is on the
  screen; baseline: a bare Textual app (a Static and a Footer) until its text shows. A second
  baseline builds unknot's main screen (same containers, widgets, stylesheet and keys) from
  stock Textual widgets with fixed text and no project code: what Textual alone charges for
  such a screen, so the last row is what unknot's own code adds.
- Import time: `-X importtime` on that same start, Textual's app module imported first; what
  the `tui` modules (and what they alone pull in) cost, against what Textual costs.
- Bytes/s and CPU: a one-hour hold counting down, watched over whole seconds after the first
  frame (CPU from the kernel's per-thread clocks), then paused with Space; baseline: the bare
  app plus a once-a-second Digits countdown.
- Key latency: from writing a key to the terminal until the screen first changes (for Space,
  until "paused" appears or goes), the program quiet before each press; baseline: Down/Up
  rewriting the bare app's Static.
- Timer: a routine of 1-3 s phases run for real in the app (headless); each phase change
  against the start plus the planned lengths before it; drift = least-squares growth of
  lateness over the run; baseline: a loop sleeping until each whole second on the same loop.
- Routines and history at scale: generated files in the throw-away folders.
- Peak memory: VmHWM of the app after starting the built-in routine and skipping a few phases.
"""


def echo(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
