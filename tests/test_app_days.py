"""The app and the routine's plan across days (issue 17): today's progress in the heading, this
week's holds and reps (counted from the first session of the routine in the history) with the
plan line saying so, the person's own adjustments winning, and the days the plan was met on
the history screen. The wall clock is the fakes' (Wednesday 25 November 2026, 09:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from app_memory_fakes import memory_app, run_to_end
from helpers_report import session
from settle import until
from test_app_fakes import FakeClock, screen_text
from textual.widgets import Static

from tui.core.model import Routine, Span, Stretch
from tui.core.schedule import Plan, Progression, Schedule
from tui.core.steps import Phase
from tui.store.config import Config
from tui.store.history.recorder import append_sessions
from tui.store.history.records import StretchRecord
from tui.ui.app import UnknotApp
from tui.ui.screens.history import HistoryScreen

KNEE = Stretch("knee", "Knee hug", ("Hug one knee.",), Span(10, 20), Span(2, 3), switch_seconds=1)
TILT = Stretch("tilt", "Pelvic tilt", ("Tilt.",), Span(3, 3), Span(1, 1))
TODAY = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # test_app_fakes.wall


GROWS = Progression(2, None, None, None)


def routine(progression: Progression | None = GROWS) -> Routine:
    """Twice a day, every day; holds 2 s longer each week (the tilt gives one number: it stays)."""
    return Routine(
        "knees",
        "Knees",
        (KNEE, TILT),
        prepare_seconds=1,
        rest_seconds=1,
        schedule=Schedule(Plan(2), progression),
    )


def done_before(*starts: datetime) -> None:
    """Sessions of the routine that count, begun at `starts`."""
    held = StretchRecord("knee", "Knee hug", 2, {"none": 2}, 0, 10, 20.0)
    append_sessions([session(s, 5, True, (held,), routine=("knees", "Knees")) for s in starts])


def heading(app: UnknotApp) -> str:
    return app.heading.plain


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_the_heading_shows_todays_progress(clock: FakeClock) -> None:
    done_before(TODAY - timedelta(hours=2), TODAY - timedelta(days=1))
    app = memory_app(clock, routine(), config=Config(ask_pain=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "today 1 of 2" in heading(app), "today's progress")
        assert "today 1 of 2" in screen_text(app).splitlines()[0]
        # a session done now makes two: the plan is met
        await pilot.press("space")
        await run_to_end(pilot, clock)
        await until(pilot, lambda: "today 2 of 2, plan met" in heading(app), "the plan met")


async def test_a_session_starts_at_this_weeks_hold_and_the_plan_line_says_why(
    clock: FakeClock,
) -> None:
    done_before(TODAY - timedelta(days=8))  # the first session: this is week 2 of the plan
    app = memory_app(clock, routine(), config=Config(ask_pain=False))
    async with app.run_test(size=(80, 24)) as pilot:
        note = "This week: hold 12 s, week 2 of the plan: +2 s"
        await until(pilot, lambda: note in app.detail.text, "the plan line")
        assert "This week: hold 12 s, week 2 of the plan:" in screen_text(app)
        assert [p.hold_seconds for p in app.engine.snapshot.plan] == [12, 3]
        await pilot.press("space")
        assert app.engine.snapshot.phase != Phase.IDLE
        assert app.engine.plan[0].hold_seconds == 12


async def test_the_persons_own_hold_wins_over_the_progression(clock: FakeClock) -> None:
    done_before(TODAY - timedelta(days=15))  # week 3: 14 s
    app = memory_app(clock, routine(), config=Config(ask_pain=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.engine.snapshot.plan[0].hold_seconds == 14, "week 3")
        await pilot.press("minus", "minus")
        yours = "hold 14 s, week 3 of the plan: +4 s; yours: hold 12 s, 2 reps"
        await until(pilot, lambda: yours in app.detail.text, "the person's own hold said")
        await pilot.press("space")
        assert app.engine.plan[0].hold_seconds == 12


async def test_growing_past_the_recommended_range_is_said(clock: FakeClock) -> None:
    done_before(TODAY - timedelta(days=50))  # week 8: 10 + 14, up to the maximum of 22
    app = memory_app(clock, routine(Progression(2, 22, None, None)), config=Config(ask_pain=False))
    async with app.run_test(size=(100, 30)) as pilot:
        past = "hold 22 s, week 8 of the plan: +12 s (the most), past the recommended 10-20 s"
        await until(pilot, lambda: past in app.detail.text, "past the range said")
        assert app.engine.snapshot.plan[0].hold_seconds == 22


async def test_the_history_screen_marks_the_days_the_plan_was_met(clock: FakeClock) -> None:
    # Monday and Tuesday of this week twice each (met), Wednesday (today) once
    monday = TODAY.replace(hour=7) - timedelta(days=2)
    tuesday = monday + timedelta(days=1)
    done_before(monday, monday + timedelta(hours=8), tuesday, tuesday + timedelta(hours=9), TODAY)
    app = memory_app(clock, routine(), config=Config(ask_pain=False))
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.press("h")

        def plan_shown() -> bool:
            return isinstance(app.screen, HistoryScreen) and bool(app.screen.query("#history-plan"))

        await until(pilot, plan_shown, "the plan's lines on the history screen")
        text = str(app.screen.query_one("#history-plan", Static).content)
        assert text.splitlines() == [
            "Plan for Knees: twice a day",
            "Days the plan was met, last 4 weeks: 2 of 3",
            "        Mo  Tu  We  Th  Fr  Sa  Su",
            " 2 Nov",
            " 9 Nov",
            "16 Nov",
            "23 Nov  ✓   ✓   …",
        ]
