"""Routine files changed on disk are read again (the watch timer's tick is called by hand
here): the open routine is replaced when idle, a running session keeps its plan until it
ends, and new problems are shown as at start."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_memory_fakes import memory_app, notices, run_to_end, tick
from test_app_fakes import FakeClock

from tui.app import UnknotApp
from tui.config import Config
from tui.loader import discover
from tui.paths import user_routines_dir
from tui.watch import Watcher

NO_PAIN = Config(ask_pain=False)

ROUTINE = """schema = 1
name = "{name}"
prepare_seconds = 1
rest_seconds = 1

[[stretches]]
id = "one"
name = "One"
steps = ["Breathe."]
hold_seconds = {hold}
reps = 1
"""


def write(name: str = "Mine", hold: int = 2) -> Path:
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mine.toml"
    path.write_text(ROUTINE.format(name=name, hold=hold), encoding="utf-8")
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def app_on_mine(clock: FakeClock) -> UnknotApp:
    catalog = discover()
    routine = catalog.get("mine")
    assert routine is not None
    return memory_app(clock, routine, config=NO_PAIN, routines=catalog.ordered(), reload=discover)


def test_the_watcher_sees_an_edit_a_new_file_and_a_removal(tmp_path: Path) -> None:
    folder = tmp_path / "routines"
    folder.mkdir()
    watcher = Watcher([folder])
    assert not watcher.changed()
    (folder / "a.toml").write_text("x", encoding="utf-8")
    assert watcher.changed() and not watcher.changed()
    (folder / "a.toml").write_text("longer", encoding="utf-8")
    assert watcher.changed()
    (folder / "a.toml").unlink()
    assert watcher.changed()


async def test_an_edited_routine_is_reloaded_when_idle(clock: FakeClock) -> None:
    write("Mine")
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        write("Mine edited", hold=30)
        app.memory.on_tick()
        await pilot.pause()
        assert app.routine.name == "Mine edited"
        assert app.engine.snapshot.plan[0].hold_seconds == 30
        assert "reloaded" in notices(app)


async def test_a_running_session_keeps_its_plan_until_it_ends(clock: FakeClock) -> None:
    write("Mine", hold=3)
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await tick(pilot, clock, 1)
        write("Mine edited", hold=9)
        app.memory.on_tick()
        await pilot.pause()
        assert app.routine.name == "Mine"
        assert app.engine.snapshot.plan[0].hold_seconds == 3
        await run_to_end(pilot, clock)
        await pilot.press("escape")
        app.memory.on_tick()
        await pilot.pause()
        assert app.routine.name == "Mine edited"


async def test_a_file_broken_on_disk_is_shown_as_a_problem(clock: FakeClock) -> None:
    write("Mine")
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.problems == ()
        (user_routines_dir() / "other.toml").write_text("schema = 1\nname = 3\n", "utf-8")
        app.memory.on_tick()
        await pilot.pause()
        assert any("other.toml" in p for p in app.problems)
        assert "press ! to see them" in notices(app)
        assert app.routine.name == "Mine"  # the open routine is untouched


async def test_a_new_file_joins_the_routine_list(clock: FakeClock) -> None:
    write("Mine")
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        (user_routines_dir() / "extra.toml").write_text(
            ROUTINE.format(name="Extra", hold=2), "utf-8"
        )
        app.memory.on_tick()
        await pilot.pause()
        assert "extra" in [r.id for r in app.routines]


def test_session_store_and_watch_load_without_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tui.session_store, tui.watch; "
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
