"""The timer panel draws only what changed: its bars keep no timer of their own, a second that
fills no new half-cell of a bar sends nothing, and the bars still show the true progress."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets._progress_bar import Bar

from tui.engine import Phase, Snapshot
from tui.widgets.timer import StillProgressBar, TimerPanel


class PanelApp(App[None]):
    CSS = "TimerPanel { width: 24; } ProgressBar, Bar { width: 20; }"

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
        for bar in pilot.app.query(StillProgressBar):
            assert bar.is_mounted
            assert list(bar._timers) == []  # Textual's own bar has a one-second interval here


async def test_a_second_that_fills_no_half_cell_does_not_touch_the_bars() -> None:
    async with PanelApp().run_test() as pilot:
        panel = pilot.app.query_one(TimerPanel)
        await pilot.pause()
        updates: list[Any] = []
        for bar in (panel.phase_bar, panel.routine_bar):
            real = bar.update

            def spy(*, _real: Any = real, _bar: Any = bar, **kwargs: Any) -> None:
                updates.append((_bar.id, kwargs))
                _real(**kwargs)

            bar.update = spy  # type: ignore[method-assign]
        panel.show(snapshot(3600, 0))
        await pilot.pause()
        updates.clear()
        # 40 half-cells for 3600 s: a half-cell every 90 s
        panel.show(snapshot(3599, 1))
        panel.show(snapshot(3520, 80))
        assert updates == []
        panel.show(snapshot(3510, 90))
        assert {bar for bar, _ in updates} == {"phase-bar", "routine-bar"}
        assert panel.phase_bar.progress == 90 and panel.routine_bar.progress == 90
        await pilot.pause()
        assert panel.phase_bar.query_one(Bar).percentage == 1 / 40


async def test_the_bars_follow_a_new_phase_length_at_once() -> None:
    async with PanelApp().run_test() as pilot:
        panel = pilot.app.query_one(TimerPanel)
        await pilot.pause()
        panel.show(snapshot(3600, 0))
        panel.show(replace(snapshot(10, 0, phase_seconds=10)))
        assert panel.phase_bar.total == 10 and panel.phase_bar.progress == 0
        panel.show(snapshot(5, 5, phase_seconds=10))
        assert panel.phase_bar.progress == 5
