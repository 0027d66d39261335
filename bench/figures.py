"""Figures (issue 16): what a stretch's moving figure costs, each against the same without one.

- bytes/s and CPU at 80x24 while the figure moves (a get-ready) and while it stands still (a
  hold), against the same routine with no figure, in the same run, taking turns;
- the time to draw one frame at 30x10, 60x20 and 200x60, against drawing the empty box at the
  same size (what every frame costs whatever is in it);
- the first frame of the built-in routine, against the same routine with its figures removed.
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Sequence
from typing import Any

from bench import cpu, startup, terminal, wire
from bench.common import BUILTIN_ROUTINE, REPO, Row, Sandbox, Sizes, median, stretch, write_routine
from bench.common import unknot as unknot_command

MOVING_BUDGET = 4096.0  # B/s at 80x24 while the figure moves
HOLD_BUDGET = 960.0  # B/s at 80x24 during a hold: what a 9600-baud line carries
FRAME_BUDGET_MS = 5.0  # one frame at 60x20
STARTUP_RATIO = 1.03
FRAME_SIZES = ((30, 10), (60, 20), (200, 60))
GET_READY = 6  # seconds: the figure plays for 5 of them


def _built_in() -> dict[str, Any]:
    with (REPO / "routines" / f"{BUILTIN_ROUTINE}.toml").open("rb") as file:
        return tomllib.load(file)


def _figure_table() -> dict[str, Any]:
    """The knee-to-chest figure of the built-in routine, as its file has it."""
    return dict(_built_in()["stretches"][0]["figure"])


def _routines(box: Sandbox) -> dict[str, tuple[str, str]]:
    """Routine ids by case: (id, the name marking its first frame)."""
    figure = _figure_table()
    cases = {
        "moving": ("bench-figure-moving", "Figure moving", GET_READY, figure),
        "moving-none": ("bench-figure-moving-none", "No figure moving", GET_READY, None),
        "hold": ("bench-figure-hold", "Figure hold", 0, figure),
        "hold-none": ("bench-figure-hold-none", "No figure hold", 0, None),
    }
    found: dict[str, tuple[str, str]] = {}
    for case, (routine_id, name, prepare, table) in cases.items():
        item = stretch(1, hold=3600)
        if table is not None:
            item["figure"] = table
        write_routine(box.routines, routine_id, name, [item], prepare_seconds=prepare)
        found[case] = (routine_id, name)
    return found


def _watch(
    routine: tuple[str, str], box: Sandbox, sizes: Sizes, *, hold: bool
) -> tuple[float, float]:
    """(bytes/s, CPU %) of unknot on `routine` over the window, from just after Space (the
    get-ready, moving) or from between two ticks of the hold."""
    routine_id, marker = routine
    seconds = min(max(1, round(sizes.window)), GET_READY - 2)
    with terminal.spawn(unknot_command("run", routine_id), box) as term:
        terminal.wait_for(term, marker, sizes.timeout)
        time.sleep(sizes.settle)
        terminal.press(term, "Space", sizes.timeout)
        if hold:
            time.sleep(sizes.settle * 2)
            terminal.next_output(term, 2.0)
            time.sleep(0.5)
            seconds = max(1, round(sizes.window))
        with wire.counting(term) as rate, cpu.counting(term) as used:
            time.sleep(seconds)
    return rate[0], used[0]


def _screen_rows(box: Sandbox, sizes: Sizes) -> list[Row]:
    routines = _routines(box)
    seen: dict[str, list[tuple[float, float]]] = {case: [] for case in routines}
    for _ in range(sizes.long_runs):
        for case, routine in routines.items():  # taking turns: a noisy moment hits all alike
            seen[case].append(_watch(routine, box, sizes, hold=case.startswith("hold")))
    rows: list[Row] = []
    for case, words, budget in (
        ("moving", "while the figure moves (get-ready)", MOVING_BUDGET),
        ("hold", "during a hold with a figure", HOLD_BUDGET),
    ):
        rates = [rate for rate, _ in seen[case]]
        base = [rate for rate, _ in seen[f"{case}-none"]]
        row = Row(
            f"Bytes/s at 80x24 {words}",
            median(rates),
            "B/s",
            baseline=median(base),
            baseline_name="same, no figure",
            target=f"<= {budget:.0f} B/s",
            samples=rates,
        )
        row.passed = row.value <= budget
        used = [share for _, share in seen[case]]
        base_used = [share for _, share in seen[f"{case}-none"]]
        cpu_row = Row(
            f"CPU at 80x24 {words}",
            median(used),
            "%",
            baseline=median(base_used),
            baseline_name="same, no figure",
            samples=used,
        )
        rows += [row, cpu_row]
    return rows


def _frame_rows(sizes: Sizes) -> list[Row]:
    from tui.core.figure_draw import render
    from tui.core.figure_toml import read_figure
    from tui.core.raster import Canvas

    figure, problems = read_figure(_figure_table())
    assert figure is not None, problems
    repeats = max(20, sizes.presses)
    rows: list[Row] = []
    for cols, lines in FRAME_SIZES:
        drawn: list[float] = []
        empty: list[float] = []
        for step in range(repeats):
            progress = step / max(1, repeats - 1)
            start = time.perf_counter()
            render(figure, cols, lines, progress=progress)
            middle = time.perf_counter()
            Canvas.for_cells(cols, lines, "braille").cells("braille")
            end = time.perf_counter()
            drawn.append((middle - start) * 1000)
            empty.append((end - middle) * 1000)
        row = Row(
            f"One figure frame at {cols}x{lines}",
            median(drawn),
            "ms",
            baseline=median(empty),
            baseline_name="the empty box",
            samples=drawn,
        )
        if (cols, lines) == (60, 20):
            row.target = f"< {FRAME_BUDGET_MS:g} ms"
            row.passed = row.value < FRAME_BUDGET_MS
        rows.append(row)
    return rows


def _without_figures(box: Sandbox) -> tuple[str, str]:
    """The built-in routine, every figure taken out, as a routine of the person's own."""
    import tomli_w

    document = _built_in()
    for item in document["stretches"]:
        item.pop("figure", None)
    document["name"] = "Back spasm relief, no figures"
    box.routines.mkdir(parents=True, exist_ok=True)
    (box.routines / "bench-no-figures.toml").write_text(tomli_w.dumps(document), "utf-8")
    return "bench-no-figures", document["name"]


def _startup_rows(box: Sandbox, sizes: Sizes) -> list[Row]:
    plain_id, plain_name = _without_figures(box)
    name = _built_in()["name"]
    programs: Sequence[tuple[Sequence[str], str]] = [
        (unknot_command("run", BUILTIN_ROUTINE), name),
        (unknot_command("run", plain_id), plain_name),
    ]
    with_ms, without_ms = startup.take_turns(box, programs, sizes)
    row = Row(
        "Start-up to first frame with figures (80x24)",
        median(with_ms),
        "ms",
        baseline=median(without_ms),
        baseline_name="same routine, no figures",
        target=f"<= {STARTUP_RATIO}x baseline",
        samples=with_ms,
    )
    row.passed = row.ratio is not None and row.ratio <= STARTUP_RATIO
    return [row]


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    return _frame_rows(sizes) + _screen_rows(box, sizes) + _startup_rows(box, sizes)
