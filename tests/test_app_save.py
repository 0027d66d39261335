"""`s` saves the adjusted routine as the person's own copy (same id overrides the built-in, or
a new id); it loads back to the same routine; "reset to built-in" removes the override."""

from __future__ import annotations

import pytest
from app_memory_fakes import memory_app, notices
from test_app_fakes import FakeClock, builtin, screen_text

from tui.routine_files.catalog import discover
from tui.routine_files.loader import load_routine
from tui.store.config import Config
from tui.store.paths import user_routines_dir
from tui.ui.app import UnknotApp
from tui.ui.screens.save_routine import SaveRoutineScreen

NO_PAIN = Config(ask_pain=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def app_on_builtin(clock: FakeClock) -> UnknotApp:
    catalog = discover()
    routine = catalog.get("back-spasm-relief")
    assert routine is not None
    return memory_app(clock, routine, config=NO_PAIN, routines=catalog.ordered(), reload=discover)


async def test_s_saves_the_adjusted_routine_under_the_same_id(clock: FakeClock) -> None:
    app = app_on_builtin(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus", "plus", "right_square_bracket")  # first stretch adjusted
        plan = app.engine.snapshot.plan
        await pilot.press("s")
        assert isinstance(app.screen, SaveRoutineScreen)
        assert "Save this routine as your own" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "now opens instead of the built-in" in notices(app)
        assert app.routine.source == "user"
        assert app.engine.snapshot.plan == plan
    path = user_routines_dir() / "back-spasm-relief.toml"
    saved = load_routine(path, "user")
    original = builtin()
    assert saved.name == original.name and saved.description == original.description
    assert [s.id for s in saved.stretches] == [s.id for s in original.stretches]
    assert saved.stretches[1:] == original.stretches[1:]  # untouched stretches: every field
    first = saved.stretches[0]
    assert (first.hold_seconds.low, first.reps.low) == (plan[0].hold_seconds, plan[0].reps)


async def test_a_new_id_typed_saves_a_new_routine(clock: FakeClock) -> None:
    app = app_on_builtin(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.press(*["backspace"] * 20)
        await pilot.press(*"my-back")
        await pilot.press("enter")
        await pilot.pause()
        assert "my-back" in [r.id for r in app.routines]
        assert app.routine.source == "built-in"
    assert load_routine(user_routines_dir() / "my-back.toml", "user").id == "my-back"


async def test_a_bad_id_is_refused_in_the_dialog(clock: FakeClock) -> None:
    app = app_on_builtin(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", *["backspace"] * 20, *"../x", "enter")
        assert isinstance(app.screen, SaveRoutineScreen)
        assert "An id is letters" in screen_text(app)
        await pilot.press("escape")
    assert not user_routines_dir().exists() or not list(user_routines_dir().iterdir())


async def test_reset_to_builtin_removes_the_override(clock: FakeClock) -> None:
    app = app_on_builtin(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus", "s", "enter")
        await pilot.pause()
        assert app.routine.source == "user"
        app.action_reset_routine()
        await pilot.pause()
        assert app.routine.source == "built-in"
        assert "Removed your copy" in notices(app)
    assert not (user_routines_dir() / "back-spasm-relief.toml").exists()


async def test_a_refused_save_says_so_and_changes_nothing(clock: FakeClock) -> None:
    folder = user_routines_dir()
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder", encoding="utf-8")  # the disk cannot put a file there
    app = app_on_builtin(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "enter")
        await pilot.pause()
        assert "Could not save" in notices(app)
        assert app.routine.source == "built-in"
