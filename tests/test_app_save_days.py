"""Saving one's own copy (`s`) while the routine's progression has grown the holds (issue 17):
the copy keeps the routine's own values and its progression, so nothing jumps on reload and
nothing grows twice; a stretch the person adjusted stays as they chose it. The wall clock is the
fakes' (Wednesday 25 November 2026, 09:00 UTC)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from app_memory_fakes import memory_app, notices
from settle import until
from test_app_days import TODAY, done_before
from test_app_fakes import FakeClock

from tui.routine_files.catalog import discover
from tui.routine_files.loader import load_routine
from tui.store.config import Config
from tui.store.paths import user_routines_dir
from tui.ui.app import UnknotApp

KNEES = """\
schema = 1
name = "Knees"
prepare_seconds = 1
rest_seconds = 1

[plan]
times_a_day = 2

[progression]
hold_seconds_per_week = 2

[[stretches]]
id = "knee"
name = "Knee hug"
steps = ["Hug one knee."]
hold_seconds = [10, 20]
reps = [2, 3]

[[stretches]]
id = "hamstring"
name = "Hamstring"
steps = ["Reach."]
hold_seconds = [20, 30]
reps = 1
"""
WEEK_2 = "This week: hold 12 s, week 2 of the plan: +2 s"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def app_on_knees(clock: FakeClock) -> UnknotApp:
    user_routines_dir().mkdir(parents=True, exist_ok=True)
    (user_routines_dir() / "knees.toml").write_text(KNEES, encoding="utf-8")
    done_before(TODAY - timedelta(days=8))  # week 2 of the plan
    catalog = discover()
    routine = catalog.get("knees")
    assert routine is not None
    config = Config(ask_pain=False)
    return memory_app(clock, routine, config=config, routines=catalog.ordered(), reload=discover)


async def test_saving_in_week_2_keeps_the_plan_line_and_the_hold(clock: FakeClock) -> None:
    app = app_on_knees(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: WEEK_2 in app.detail.text, "the plan line, week 2")
        before = (app.detail.text, app.engine.snapshot.plan)
        await pilot.press("s", "enter")
        await until(pilot, lambda: "Saved as knees.toml" in notices(app), "saved")
        await until(pilot, lambda: app.memory.days() is not None, "the history read again")
        await until(pilot, lambda: WEEK_2 in app.detail.text, "the plan line after the save")
        assert (app.detail.text, app.engine.snapshot.plan) == before
        assert [p.hold_seconds for p in app.engine.snapshot.plan] == [12, 22]
    saved = load_routine(user_routines_dir() / "knees.toml", "user")
    assert [s.hold_seconds.low for s in saved.stretches] == [10, 20]  # not the grown 12 and 22


async def test_a_stretch_the_person_adjusted_stays_as_chosen(clock: FakeClock) -> None:
    app = app_on_knees(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: WEEK_2 in app.detail.text, "the plan line, week 2")
        await pilot.press("plus")
        chosen = app.engine.snapshot.plan
        assert chosen[0].hold_seconds > 12, chosen
        await pilot.press("s", "enter")
        await until(pilot, lambda: "Saved as knees.toml" in notices(app), "saved")
        await until(pilot, lambda: app.memory.days() is not None, "the history read again")
        assert app.engine.snapshot.plan == chosen  # the other stretch: 22 s, as before
    text = (user_routines_dir() / "knees.toml").read_text(encoding="utf-8")
    saved = load_routine(user_routines_dir() / "knees.toml", "user")
    assert saved.stretches[0].hold_seconds.low == chosen[0].hold_seconds, text
    assert saved.stretches[1].hold_seconds.low == 20, text
    assert "[stretches.progression]\nhold_seconds_per_week = 0\n" in text, text
