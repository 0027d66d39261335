"""The history screen opens before the history is read, and fills in from a thread worker
(issue 7): Escape closes it while reading, and opening it again never starts a second reading.
With an index the reading is quick: the screen waits a moment for it, and opens filled in."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from app_memory_fakes import history_read, memory_app, run_to_end
from patience import HANG
from settle import until
from test_app_fakes import FakeClock, screen_text
from test_history import _session

from tui.store.config import Config
from tui.store.history import index as history_index
from tui.store.history.index import HistoryLoad
from tui.store.history.recorder import append_sessions
from tui.ui import persistence as app_memory
from tui.ui.screens.history import HistoryScreen


class HeldReading:
    """Stands in for `load_entries`: each call waits for `release()`, then reads as usual."""

    def __init__(self) -> None:
        self.calls = 0
        self.gate = threading.Event()
        self._real = history_index.load_entries

    def __call__(self, *args: Any, **kwargs: Any) -> HistoryLoad:
        self.calls += 1
        # a test that fails before release() must not leave the thread (and pytest) waiting
        self.gate.wait(timeout=HANG)
        return self._real(*args, **kwargs)

    def release(self) -> None:
        self.gate.set()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldReading]:
    reading = HeldReading()
    monkeypatch.setattr(history_index, "load_entries", reading)
    yield reading
    reading.release()


async def test_the_screen_shows_before_the_history_is_read_and_fills_in_after(
    held: HeldReading,
) -> None:
    app = memory_app(FakeClock(), config=Config(ask_pain=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        text = screen_text(app)
        assert "History" in text and "Reading" in text and "Escape closes" in text
        assert screen.stats is None and held.calls == 1
        held.release()
        await history_read(pilot)
        text = screen_text(app)
        assert "Reading" not in text
        assert "No sessions recorded yet" in text
        assert screen.stats is not None


async def test_escape_closes_it_while_reading(held: HeldReading) -> None:
    app = memory_app(FakeClock())
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)
        held.release()
        await history_read(pilot)  # the reading ends with no screen to fill: nothing happens
        assert app.is_running and not isinstance(app.screen, HistoryScreen)
        await pilot.press("h")  # and the next opening reads again and fills in
        await history_read(pilot)
        assert "No sessions recorded yet" in screen_text(app)
    assert app.return_code in (None, 0)


async def test_opening_it_again_while_reading_waits_for_the_same_reading(
    held: HeldReading,
) -> None:
    app = memory_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "escape", "h", "escape", "h")
        assert isinstance(app.screen, HistoryScreen)
        assert held.calls == 1  # one reading, so nothing races on the index file
        held.release()
        await history_read(pilot)
        assert held.calls == 1
        assert isinstance(app.screen, HistoryScreen) and app.screen.stats is not None


async def test_a_session_recorded_while_reading_is_in_what_is_shown(held: HeldReading) -> None:
    clock = FakeClock()
    app = memory_app(clock, config=Config(ask_pain=False))
    app.memory._today = lambda: date(2026, 11, 25)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "escape")  # a reading starts, and waits
        await pilot.press("space")
        await run_to_end(pilot, clock)  # a session is recorded meanwhile
        await pilot.pause()
        await pilot.press("escape", "h")
        held.release()
        await history_read(pilot)
        assert held.calls == 2  # the first reading came too early: read once more
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.stats is not None and app.screen.stats.sessions == 1


async def test_with_an_index_it_waits_a_moment_and_opens_filled_in(
    held: HeldReading, monkeypatch: pytest.MonkeyPatch
) -> None:
    append_sessions([_session()])  # writes the index too
    monkeypatch.setattr(app_memory, "HISTORY_GRACE", 60.0)  # "a moment" that outlasts the test
    app = memory_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        assert not isinstance(app.screen, HistoryScreen)  # waiting for the reading
        held.release()
        await history_read(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.stats is not None
        assert "Reading" not in screen_text(app) and "1 session recorded" in screen_text(app)
        assert held.calls == 1
        assert sum(isinstance(s, HistoryScreen) for s in app.screen_stack) == 1


@pytest.mark.parametrize("then", ["escape", "h", "q"])
async def test_a_key_typed_while_it_waits_a_moment_is_for_the_history_screen(
    then: str, held: HeldReading, monkeypatch: pytest.MonkeyPatch
) -> None:
    # keys are taken in turn, each by the screen the one before left (issue 14): h leaves
    # the history screen, opened a moment later; a key that closes it, typed in that moment,
    # closes it once it is open, and the main screen does not take it meanwhile
    append_sessions([_session()])
    monkeypatch.setattr(app_memory, "HISTORY_GRACE", 60.0)
    app = memory_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", then)
        assert not isinstance(app.screen, HistoryScreen)  # waiting for the reading
        assert app.is_running and app.engine.snapshot.phase.value == "idle", screen_text(app)
        held.release()
        await history_read(pilot)
        assert held.calls == 1
        assert app.is_running, f"{then} quit instead of closing the history"
        assert len(app.screen_stack) == 1, screen_text(app)  # opened, then closed by `then`


async def test_with_an_index_a_slow_reading_still_shows_the_screen_after_the_moment(
    held: HeldReading, monkeypatch: pytest.MonkeyPatch
) -> None:
    append_sessions([_session()])
    monkeypatch.setattr(app_memory, "HISTORY_GRACE", 0.01)
    app = memory_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await until(  # the timer has fired
            pilot, lambda: isinstance(app.screen, HistoryScreen), "the history never opened"
        )
        assert isinstance(app.screen, HistoryScreen) and "Reading" in screen_text(app)
        held.release()
        await history_read(pilot)
        assert "1 session recorded" in screen_text(app)
