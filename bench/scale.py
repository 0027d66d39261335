"""Scale: many routine files in the user folder, and years of history.

- 1,000 routine files of 20 stretches: `unknot list` (baseline: the same command with an empty
  user folder) once the cache is filled, its first run after the files were written (which
  fills the cache; no target), and the app's first frame (baseline: the bare app's first frame).
- 10,000 recorded sessions, written as a person's month files would be. In the app, from
  pressing h in a fresh app until the history screen shows, and until it is filled in: with no
  index (the first open ever, or after the cache was cleared; the reading runs in a thread) and
  with the index unknot keeps in its cache. Baseline: ? showing the help screen, in the same
  app. Then the reading alone, in this process (baseline: reading the same files' bytes), and
  the whole `unknot history` command (baseline: `unknot history` with no history).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from bench import startup, terminal
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
HISTORY_TARGET_MS = 200.0
SESSIONS_A_DAY = 3
READING = "Reading"  # the history screen, before it has read anything
FILLED = "Days in a row"  # ... and once it has
HELP = "This help"  # a row of the help screen


def fill_routines(box: Sandbox, files: int, stretches: int) -> None:
    """`files` routine files of `stretches` stretches each in the user folder."""
    body = [
        stretch(index, hold=10 + index % 20, reps=3, sides="each") for index in range(stretches)
    ]
    for number in range(files):
        write_routine(box.routines, f"routine-{number:04d}", f"Routine {number:04d}", body)


def fill_history(folder: Path, count: int) -> None:
    """`count` sessions of the built-in routine, a few a day up to today, in month files."""
    from tui.store.history import month as history_month
    from tui.store.history import records as history

    by_month: dict[str, list[history.Session]] = defaultdict(list)
    first = datetime.now().astimezone().replace(hour=7, minute=0, second=0, microsecond=0)
    first -= timedelta(days=count // SESSIONS_A_DAY + 1)
    for number in range(count):
        day, slot = divmod(number, SESSIONS_A_DAY)
        start = first + timedelta(days=day, hours=5 * slot)
        stretches = tuple(
            history.StretchRecord(
                f"stretch-{index}",
                f"Stretch number {index}",
                3,
                {"right": 3, "left": 3},
                0,
                10,
                60.0,
            )
            for index in range(4)
        )
        session = history.Session(
            "back-spasm-relief",
            "Back spasm relief",
            start,
            start + timedelta(minutes=7),
            finished=number % 7 != 0,
            total_seconds=400.0,
            paused_seconds=12.0,
            stretches=stretches,
            pain_before=6 - number % 3,
            pain_after=4 - number % 3,
        )
        by_month[history_month.month_name(start)].append(session)
    folder.mkdir(parents=True, exist_ok=True)
    for name, sessions in by_month.items():
        (folder / name).write_text(history_month.month_toml(sessions), encoding="utf-8")


def history_view_ms(folder: Path, *, indexed: bool) -> float:
    """Milliseconds to load every session and render what the history view shows."""
    from tui.store.history import index as history_index
    from tui.store.history import report as history_report
    from tui.store.history import stats as history_stats

    if not indexed:
        history_index.index_path(folder).unlink(missing_ok=True)
    start = time.perf_counter()
    load = history_index.load_entries(folder)
    history_report.render_text(load, history_stats.compute_stats(load.entries, date.today()))
    return (time.perf_counter() - start) * 1000


def open_screen(term: terminal.PtyTerminal, key: str, shown: str, filled: str) -> list[float]:
    """Press `key`; ms until the screen shows `shown` (or `filled`), and until it shows `filled`.
    Then Escape, and wait until it is gone."""
    start = time.perf_counter()
    os.write(term.master, key.encode())
    times = [
        terminal.until(term, lambda text: shown in text or filled in text, 60, f"no {shown}"),
        terminal.until(term, lambda text: filled in text, 60, f"never {filled}"),
    ]
    os.write(term.master, b"\x1b")
    terminal.until(term, lambda text: filled not in text, 10, "did not close")
    terminal.quiet(term, 0.2)
    return [(moment - start) * 1000 for moment in times]


def first_open_ms(box: Sandbox, sizes: Sizes, *, indexed: bool) -> list[float]:
    """In a fresh app: [shown, filled in] for the history screen's first open, and the help
    screen's [shown] just after."""
    from tui.store.history import index as history_index

    if not indexed:
        history_index.index_path(box.history).unlink(missing_ok=True)
    with terminal.spawn(unknot("run", BUILTIN_ROUTINE), box) as term:
        terminal.wait_for(term, builtin_name(), sizes.timeout)
        time.sleep(sizes.settle)
        return open_screen(term, "h", READING, FILLED) + open_screen(term, "?", HELP, HELP)[:1]


def app_history_rows(box: Sandbox, sizes: Sizes) -> list[Row]:
    if sizes.warmup:
        first_open_ms(box, sizes, indexed=True)  # bytecode, and the index for the next runs
    rows = []
    for indexed, when in ((False, "no index"), (True, "with its index")):
        runs = [first_open_ms(box, sizes, indexed=indexed) for _ in range(sizes.runs)]
        help_ms = [run[2] for run in runs]
        for which, what in enumerate(("shown", "filled in")):
            samples = [run[which] for run in runs]
            row = Row(
                f"History screen {what} after h, {sizes.sessions} sessions ({when})",
                median(samples),
                "ms",
                baseline=median(help_ms),
                baseline_name="? shows help",
                samples=samples,
            )
            # with no index the reading takes a second or more, in a thread: the screen shows
            # at once and answers keys meanwhile; that figure is reported, not held to 200 ms
            if indexed or what == "shown":
                row.target = f"< {HISTORY_TARGET_MS:g} ms"
                row.passed = row.value < HISTORY_TARGET_MS
            rows.append(row)
    return rows


def read_bytes_ms(folder: Path) -> float:
    """The floor of any load: reading the month files' bytes and nothing else."""
    start = time.perf_counter()
    for path in sorted(folder.glob("*.toml")):
        path.read_bytes()
    return (time.perf_counter() - start) * 1000


def command_seconds(argv: list[str], box: Sandbox) -> float:
    """Wall time of one command, output read and thrown away."""
    start = time.perf_counter()
    subprocess.run(argv, env=box.env, capture_output=True, check=True)
    return time.perf_counter() - start


def history_rows(box: Sandbox, sizes: Sizes) -> list[Row]:
    fill_history(box.history, sizes.sessions)
    rows = app_history_rows(box, sizes)
    floor = [read_bytes_ms(box.history) for _ in range(sizes.runs)]
    for indexed, when in ((False, "no index"), (True, "with its index")):
        history_view_ms(box.history, indexed=True)  # warm up, and build the index
        runs = sizes.runs if indexed else sizes.long_runs  # a load without index takes seconds
        samples = [history_view_ms(box.history, indexed=indexed) for _ in range(runs)]
        rows.append(
            Row(
                f"History load + render in-process, {sizes.sessions} sessions ({when})",
                median(samples),
                "ms",
                baseline=median(floor),
                baseline_name="reading the files",
                samples=samples,
            )
        )
    with sandbox() as empty:
        if sizes.warmup:
            command_seconds(unknot("history"), empty)  # compiles the bytecode both share
        full = [command_seconds(unknot("history"), box) * 1000 for _ in range(sizes.runs)]
        bare = [command_seconds(unknot("history"), empty) * 1000 for _ in range(sizes.runs)]
    rows.append(
        Row(
            f"`unknot history` with {sizes.sessions} sessions",
            median(full),
            "ms",
            baseline=median(bare),
            baseline_name="`unknot history`, no sessions",
            samples=full,
        )
    )
    return rows


def routine_rows(box: Sandbox, sizes: Sizes) -> list[Row]:
    fill_routines(box, sizes.files, sizes.stretches)
    many_s: list[float] = []
    few_s: list[float] = []
    with sandbox() as empty:
        # the first run after the files were written reads them all and fills the cache
        first_s = command_seconds(unknot("list"), box)
        if sizes.warmup:
            command_seconds(unknot("list"), empty)  # compiles the bytecode both share
        for _ in range(sizes.long_runs):
            many_s.append(command_seconds(unknot("list"), box))
            few_s.append(command_seconds(unknot("list"), empty))
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
    first = Row(
        f"`unknot list`, first run after writing the {sizes.files} files (no cache yet)",
        first_s * 1000,
        "ms",
        baseline=median(few_s) * 1000,
        baseline_name="`unknot list`, built-in only",
        samples=[first_s * 1000],
    )
    few = replace(sizes, runs=sizes.long_runs)
    app_ms, bare_ms = startup.compare(box, unknot("run", BUILTIN_ROUTINE), builtin_name(), few)
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
    return [listing, first, frame]
