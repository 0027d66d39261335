"""The timer panel draws only what changed: its bars keep no timer of their own, a second that
fills no new half-cell of a bar does not redraw the bars' rows, and the bars still show the
true progress. The rows under the numerals are cut at their width, and what comes next keeps
its second row."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region

from tui.core.engine import Snapshot
from tui.core.steps import Phase
from tui.ui.widgets.timer import TimerPanel
from tui.ui.widgets.timer_lines import FULL, HALF, ROWS, TimerLines, bar_text, half_cells


class PanelApp(App[None]):
    CSS = "TimerPanel { width: 24; } TimerLines { width: 20; }"

    def compose(self) -> ComposeResult:
        yield TimerPanel(id="timer")


def snapshot(seconds_left: int, elapsed: float, phase_seconds: int = 3600) -> Snapshot:
    return Snapshot(
        phase=Phase.HOLD,
        stretch_index=0,
        stretch_count=1,
        stretch_id="s",
        stretch_name="Stretch",
        side=None,
        rep=1,
        reps=1,
        seconds_left=seconds_left,
        phase_seconds=phase_seconds,
        waiting=False,
        paused=False,
        warning=False,
        elapsed=elapsed,
        remaining=3600 - elapsed,
        total=3600,
        rest_kind=None,
        next_label="",
        stretch_states=(),
        plan=(),
    )


async def test_the_bars_keep_no_refresh_timer() -> None:
    async with PanelApp().run_test() as pilot:
        await pilot.pause()
        lines = pilot.app.query_one(TimerLines)
        assert lines.is_mounted
        assert list(lines._timers) == []  # Textual's own bar has a one-second interval


def bar_rows_touched(regions: list[Region], width: int) -> bool:
    """Whether a refresh of `regions` (none: the whole widget) redraws a row of the bars."""
    top, count = ROWS["bars"]
    bars = Region(0, top, width, count)
    return not regions or any(region.overlaps(bars) for region in regions)


async def test_a_second_that_fills_no_half_cell_does_not_redraw_the_bars() -> None:
    async with PanelApp().run_test() as pilot:
        panel = pilot.app.query_one(TimerPanel)
        await pilot.pause()
        lines = panel.lines
        assert lines.content_size.width == 20
        refreshes: list[list[Region]] = []
        real = lines.refresh

        def spy(*regions: Region, **kwargs: Any) -> Any:
            refreshes.append(list(regions))
            return real(*regions, **kwargs)

        lines.refresh = spy  # type: ignore[method-assign]
        panel.show(snapshot(3600, 0))
        await pilot.pause()
        refreshes.clear()
        # 40 half-cells for 3600 s: a half-cell every 90 s
        panel.show(snapshot(3599, 1))
        panel.show(snapshot(3520, 80))
        assert refreshes  # the time left changed...
        assert not any(bar_rows_touched(regions, 20) for regions in refreshes)  # ...not the bars
        panel.show(snapshot(3510, 90))
        assert bar_rows_touched(refreshes[-1], 20)
        assert lines.bars == ((3600, 90), (3600, 90))
        await pilot.pause()
        assert lines.halves() == (1, 1)
        phase_line = lines.render().plain.splitlines()[ROWS["bars"][0]]
        assert phase_line == HALF + FULL * 19


async def test_a_running_hold_redraws_only_the_row_of_time_left() -> None:
    async with PanelApp().run_test() as pilot:
        panel = pilot.app.query_one(TimerPanel)
        await pilot.pause()
        refreshes: list[list[Region]] = []
        real = panel.lines.refresh

        def spy(*regions: Region, **kwargs: Any) -> Any:
            refreshes.append(list(regions))
            return real(*regions, **kwargs)

        panel.lines.refresh = spy  # type: ignore[method-assign]
        panel.show(snapshot(3600, 0))
        await pilot.pause()
        refreshes.clear()
        panel.show(snapshot(3599, 1))
        top, _ = ROWS["left"]
        assert refreshes == [[Region(0, top, 20, 1)]]


async def test_the_bars_follow_a_new_phase_length_at_once() -> None:
    async with PanelApp().run_test() as pilot:
        panel = pilot.app.query_one(TimerPanel)
        await pilot.pause()
        panel.show(snapshot(3600, 0))
        panel.show(replace(snapshot(10, 0, phase_seconds=10)))
        assert panel.lines.bars[0] == (10, 0)
        panel.show(snapshot(5, 5, phase_seconds=10))
        assert panel.lines.bars[0] == (10, 5)
        await pilot.pause()
        assert panel.lines.halves()[0] == 20  # half of 20 cells: 20 half-cells


@pytest.mark.parametrize(
    ("total", "done", "width", "halves"),
    [
        (10, 0, 20, 0),
        (10, 5, 20, 20),
        (10, 10, 20, 40),
        (10, 15, 20, 40),  # never past the end
        (10, -3, 20, 0),  # nor before the start
        (3600, 89, 20, 0),
        (3600, 90, 20, 1),
        (0, 0, 20, 40),  # no length: a full bar
        (10, 5, 0, 0),  # no room
    ],
)
def test_half_cells(total: float, done: float, width: int, halves: int) -> None:
    assert half_cells(total, done, width) == halves


@pytest.mark.parametrize("width", [1, 2, 7, 30])
def test_a_bar_is_always_its_width_whatever_it_holds(width: int) -> None:
    for halves in range(-1, 2 * width + 2):
        filled, empty = bar_text(halves, width)
        assert len(filled) + len(empty) == width
        clamped = max(0, min(halves, 2 * width))
        assert filled.count(FULL) * 2 + filled.count(HALF) == clamped
        assert set(empty) <= {FULL}


async def test_each_row_is_cut_with_an_ellipsis_at_its_width() -> None:
    async with PanelApp().run_test() as pilot:
        panel = pilot.app.query_one(TimerPanel)
        await pilot.pause()
        name = "Knee-to-chest stretch, held gently"
        panel.show(replace(snapshot(30, 0), stretch_name=name, side="right", reps=3))
        await pilot.pause()
        rows = panel.lines.render().plain.splitlines()
        assert rows[ROWS["name"][0]] == name[:19] + "…"
        assert rows[ROWS["where"][0]] == "right side · rep 1 …"
        assert rows[ROWS["left"][0]] == "1 h 00 min left · s…"
        assert all(len(row) <= 20 for row in rows)
        assert panel.lines.region.height == 5 + 1  # one row each, and one for next


async def test_the_bars_are_drawn_in_their_rows_and_colours() -> None:
    async with PanelApp().run_test() as pilot:
        panel = pilot.app.query_one(TimerPanel)
        await pilot.pause()
        panel.show(snapshot(5, 900, phase_seconds=10))  # phase half done, routine a quarter
        await pilot.pause()
        top, count = ROWS["bars"]
        rendered = panel.lines.render()
        rows = rendered.plain.splitlines()[top : top + count]
        assert rows == ["".join(bar_text(20, 20)), "".join(bar_text(10, 20))]
        lines = rendered.split()
        phase_colour = lines[top].get_style_at_offset(0).foreground
        routine_colour = lines[top + 1].get_style_at_offset(0).foreground
        track_colour = lines[top].get_style_at_offset(19).foreground
        assert len({phase_colour, routine_colour, track_colour}) == 3
