"""After a finished routine, the history screen opens and closes like any other screen."""

from __future__ import annotations

from app_memory_fakes import history_read, memory_app, run_to_end
from test_app_fakes import FakeClock

from tui.ui.screens.history import HistoryScreen
from tui.ui.screens.summary import SummaryScreen


async def test_history_opens_and_closes_after_the_summary() -> None:
    clock = FakeClock()
    app = memory_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "4")
        await run_to_end(pilot, clock)
        await pilot.pause()
        await pilot.press("2")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SummaryScreen)
        await pilot.press("h")
        await history_read(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
