"""The app records every session (finished or stopped) with its pain scores, and shows the
history screen (h). Time comes from a fake clock; files go to the test's own XDG folders."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import pytest
from app_memory_fakes import history_read, memory_app, notices, run_to_end, tick
from test_app_fakes import EVIL, FakeClock, evil_routine, screen_text
from textual.widgets import Sparkline, Static

from tui.core.steps import Phase
from tui.store.config import Config
from tui.store.durable import SaveError
from tui.store.history import recorder as history_recorder
from tui.store.history.index import load_entries
from tui.store.sessions import SessionStore
from tui.ui.screens.history import HistoryScreen
from tui.ui.screens.pain import PainScreen
from tui.ui.screens.quit_confirm import QuitConfirm
from tui.ui.screens.summary import SummaryScreen


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_finished_session_is_recorded_with_both_pain_scores(clock: FakeClock) -> None:
    app = memory_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        assert isinstance(app.screen, PainScreen)
        assert "How does your back feel right now?" in screen_text(app)
        assert app.engine.snapshot.phase == Phase.IDLE  # nothing starts before the answer
        await pilot.press("3")
        assert app.engine.snapshot.phase == Phase.PREPARE
        await run_to_end(pilot, clock)
        await pilot.pause()
        assert isinstance(app.screen, PainScreen)  # asked on top of the summary
        assert load_entries().entries == []  # recorded once the question is answered
        await pilot.press("t")
        assert isinstance(app.screen, SummaryScreen)
    [entry] = load_entries().entries
    assert entry.finished and entry.routine_id == "tiny"
    assert (entry.pain_before, entry.pain_after) == (3, 10)


async def test_enter_skips_the_pain_question(clock: FakeClock) -> None:
    app = memory_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "enter")
        assert app.engine.snapshot.phase == Phase.PREPARE
        await run_to_end(pilot, clock)
        await pilot.pause()
        await pilot.press("enter")
    [entry] = load_entries().entries
    assert (entry.pain_before, entry.pain_after) == (None, None)


async def test_the_setting_turns_the_pain_question_off(clock: FakeClock) -> None:
    app = memory_app(clock, config=Config(ask_pain=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        assert not isinstance(app.screen, PainScreen)
        assert app.engine.snapshot.phase == Phase.PREPARE
        await run_to_end(pilot, clock)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    [entry] = load_entries().entries
    assert entry.finished


async def test_quitting_mid_routine_records_a_stopped_session(clock: FakeClock) -> None:
    app = memory_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "2")
        await tick(pilot, clock, 2)
        await pilot.press("q")
        assert isinstance(app.screen, QuitConfirm)
        await pilot.press("y")
    [entry] = load_entries().entries
    assert not entry.finished and entry.pain_before == 2 and entry.pain_after is None


async def test_a_signal_mid_routine_records_the_session(clock: FakeClock) -> None:
    app = memory_app(clock, config=Config(ask_pain=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await tick(pilot, clock, 2)
        app._on_signal(1)
        await pilot.pause()
    assert app.return_code == 129
    [entry] = load_entries().entries
    assert not entry.finished


async def test_a_session_never_started_is_not_recorded(clock: FakeClock) -> None:
    app = memory_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
    assert load_entries().entries == []


async def test_history_screen_shows_streak_week_minutes_chart_and_pain(clock: FakeClock) -> None:
    app = memory_app(clock, evil_routine(), config=Config(ask_pain=False))
    app.memory._today = lambda: date(2026, 11, 25)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await run_to_end(pilot, clock)
        await pilot.pause()
        await pilot.press("escape", "h")
        await history_read(pilot)
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "Days in a row: 1" in text
        assert "This week: 1 session" in text
        assert "Minutes per day" in text and "Back pain" in text
        shown = str(app.screen.query_one("#history-text", Static).content)
        assert EVIL[:12] in shown  # the routine's name, literally
        chart = app.screen.query_one(Sparkline)
        data = list(chart.data or [])
        assert len(data) == 3 * 7 + 3  # from the Monday three weeks back to today, a Wednesday
        assert data[-1] > 0 and not any(data[:-1])  # today's session, nothing before
        assert app.screen.stats is not None and app.screen.stats.sessions == 1
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)


async def test_history_screen_fits_a_small_window(clock: FakeClock) -> None:
    app = memory_app(clock)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("h")
        await history_read(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "No sessions recorded yet" in screen_text(app)


@pytest.mark.parametrize("err", [errno.EROFS, errno.ENOSPC], ids=["read-only disk", "full disk"])
async def test_a_failed_history_save_is_said_and_kept_to_retry(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch, err: int
) -> None:
    real = history_recorder.atomic_write_bytes

    def refuse(path: Path, data: bytes, *, what: str = "the file", **kw: object) -> None:
        raise SaveError(what, path, OSError(err, os.strerror(err)))

    monkeypatch.setattr(history_recorder, "atomic_write_bytes", refuse)
    store = SessionStore()
    app = memory_app(clock, config=Config(ask_pain=False), store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await run_to_end(pilot, clock)
        await pilot.pause()
        assert "Could not save this session" in notices(app)
        assert len(store.recorder.unsaved) == 1
        await pilot.press("escape", "h")  # the waiting session is counted all the same
        await history_read(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.stats is not None and app.screen.stats.sessions == 1
        monkeypatch.setattr(history_recorder, "atomic_write_bytes", real)
        assert "now been saved" in " ".join(store.retry())
        assert store.recorder.unsaved == ()
    assert len(load_entries().entries) == 1
