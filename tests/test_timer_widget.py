"""The timer panel draws only what changed: its bars keep no timer of their own, a second that
fills no new half-cell of a bar sends nothing, and the bars still show the true progress."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual.app import App, ComposeResult

from tui.engine import Phase, Snapshot
from tui.widgets.progress_lines import FULL, HALF, ProgressLines, bar_text, half_cells
from tui.widgets.timer import TimerPanel


class PanelApp(App[None]):
    CSS = "TimerPanel { width: 24; } ProgressLines { width: 20; }"

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
        bars = pilot.app.query_one(ProgressLines)
        assert bars.is_mounted
        assert list(bars._timers) == []  # Textual's own bar has a one-second interval


async def test_a_second_that_fills_no_half_cell_does_not_redraw_the_bars() -> None:
    async with PanelApp().run_test() as pilot:
        panel = pilot.app.query_one(TimerPanel)
        await pilot.pause()
        assert panel.bars.content_size.width == 20
        refreshes: list[int] = []
        real = panel.bars.refresh

        def spy(*args: Any, **kwargs: Any) -> Any:
            refreshes.append(1)
            return real(*args, **kwargs)

        panel.bars.refresh = spy  # type: ignore[method-assign]
        panel.show(snapshot(3600, 0))
        await pilot.pause()
        refreshes.clear()
        # 40 half-cells for 3600 s: a half-cell every 90 s
        panel.show(snapshot(3599, 1))
        panel.show(snapshot(3520, 80))
        assert refreshes == []
        panel.show(snapshot(3510, 90))
        assert refreshes
        assert panel.bars.bars == ((3600, 90), (3600, 90))
        await pilot.pause()
        assert panel.bars.halves() == (1, 1)
        phase_line = panel.bars.render().plain.splitlines()[0]
        assert phase_line == HALF + FULL * 19


async def test_the_bars_follow_a_new_phase_length_at_once() -> None:
    async with PanelApp().run_test() as pilot:
        panel = pilot.app.query_one(TimerPanel)
        await pilot.pause()
        panel.show(snapshot(3600, 0))
        panel.show(replace(snapshot(10, 0, phase_seconds=10)))
        assert panel.bars.bars[0] == (10, 0)
        panel.show(snapshot(5, 5, phase_seconds=10))
        assert panel.bars.bars[0] == (10, 5)
        await pilot.pause()
        assert panel.bars.halves()[0] == 20  # half of 20 cells: 20 half-cells


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
