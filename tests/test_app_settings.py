"""Settings: applied at start, edited from the keyboard and saved at once, a broken file gives
defaults and says so; `unknot` opens the last routine used, else the settings' one."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest
from app_memory_fakes import memory_app, notices
from test_app_fakes import FakeClock, builtin, screen_text, tiny_routine

from tui.cli import start_routine
from tui.routine_files.catalog import Catalog
from tui.store.config import Config, config_path, load_config, with_settings
from tui.store.sessions import SessionStore
from tui.ui.screens.problems import ProblemsScreen
from tui.ui.screens.settings import SettingsScreen, changed, shown


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_the_figure_setting_draws_half_blocks_at_once_and_from_the_start(
    clock: FakeClock,
) -> None:
    app = memory_app(clock, builtin(), config=Config(figure_characters="blocks", ask_pain=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        figure = app.detail.figure
        assert figure.mode == "blocks"
        app.memory.change_settings(replace(app.memory.config, figure_characters="braille"))
        await pilot.pause()
        assert figure.mode == "braille"
        drawn = "".join(figure.render_line(y).text for y in range(figure.size.height))
        assert drawn.strip() and set(drawn) - {" "} <= {chr(c) for c in range(0x2801, 0x2900)}


async def test_settings_apply_at_start(clock: FakeClock) -> None:
    config = Config(bell=False, theme="nord", prepare_seconds=4, rest_seconds=7, ask_pain=False)
    app = memory_app(clock, config=config)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "nord"
        assert not app.cues.bell_enabled
        assert (app.routine.prepare_seconds, app.routine.rest_seconds) == (4, 7)
        assert app.memory.base.prepare_seconds == 1  # the file's own, kept for saving


async def test_a_broken_settings_file_starts_on_defaults_and_says_so(clock: FakeClock) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('bell = "loud"\ntheme = "nope"\n', encoding="utf-8")
    load = load_config()
    assert load.config == Config() and len(load.problems) == 2
    app = memory_app(clock, config=load.config, config_problems=[str(p) for p in load.problems])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "settings file has problems" in notices(app)
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, ProblemsScreen)
        assert "config.toml" in screen_text(app) and "bell" in screen_text(app)


async def test_the_settings_screen_changes_and_saves_at_once(clock: FakeClock) -> None:
    app = memory_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma")
        assert isinstance(app.screen, SettingsScreen)
        assert "Bell" in screen_text(app) and "Ask pain score" in screen_text(app)
        await pilot.press("enter")  # bell: on -> off
        assert not app.cues.bell_enabled
        await pilot.press("down", "down", "down", "right")  # ask_pain: on -> off
        await pilot.press("down", "plus", "plus")  # prepare: the routine's own -> 0 -> 1
        await pilot.press("down", "down", "right")  # theme: the next one
        await pilot.press("escape")
        assert not isinstance(app.screen, SettingsScreen)
        assert app.theme == "textual-light"
    saved = tomllib.loads(config_path().read_text(encoding="utf-8"))
    assert saved["bell"] is False and saved["ask_pain"] is False
    assert saved["prepare_seconds"] == 1 and saved["theme"] == "textual-light"
    assert load_config().problems == []


async def test_the_settings_screen_fits_a_small_window(clock: FakeClock) -> None:
    app = memory_app(clock)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("comma")
        assert "Bell" in screen_text(app)


def test_changed_steps_each_kind_of_setting() -> None:
    config = Config()
    assert changed(config, "notify", 1, []).notify is True
    assert changed(config, "rest_seconds", -1, []).rest_seconds is None
    assert changed(Config(rest_seconds=0), "rest_seconds", -1, []).rest_seconds is None
    assert changed(Config(prepare_seconds=60), "prepare_seconds", 1, []).prepare_seconds == 60
    assert changed(config, "start_routine", 1, ["a", "b"]).start_routine == "a"
    assert changed(config, "start_routine", -1, ["a", "b"]).start_routine == "b"
    assert changed(config, "theme", -1, []).theme == "ansi-light"
    assert changed(config, "figure_characters", 1, []).figure_characters == "blocks"
    assert changed(Config(figure_characters="blocks"), "figure_characters", 1, []) == config


def test_start_routine_is_the_last_used_then_the_setting_then_the_default() -> None:
    catalog = Catalog()
    for routine in (tiny_routine(), tiny_routine("other"), tiny_routine("back-spasm-relief")):
        catalog.routines[routine.id] = routine
    config = Config(start_routine="other")

    def chosen(last: str | None, config: Config) -> str:
        found = start_routine(catalog, config, last)
        assert found is not None
        return found.id

    assert chosen("tiny", config) == "tiny"
    assert chosen("gone", config) == "other"
    assert chosen(None, Config()) == "back-spasm-relief"


def test_with_settings_replaces_only_what_is_set() -> None:
    routine = tiny_routine()
    assert with_settings(routine, Config()) == routine
    assert with_settings(routine, Config(rest_seconds=9)).prepare_seconds == 1


async def test_a_refused_settings_save_applies_now_and_waits_to_retry(clock: FakeClock) -> None:
    from mounts import read_only

    folder = config_path().parent
    store = SessionStore()
    app = memory_app(clock, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        with read_only(folder):  # a real read-only folder (a read-only bind mount as root)
            await pilot.press("comma", "enter")
            assert not app.cues.bell_enabled  # applied all the same
            said = notices(app)
            assert "Could not save the settings" in said, said
            assert "read-only" in said or "permission was denied" in said, said
            assert config_path() in store.pending.waiting
        assert store.retry() and not store.pending
    assert tomllib.loads(config_path().read_text("utf-8"))["bell"] is False


def test_the_plan_settings_step_through_their_choices() -> None:
    config = Config()
    assert changed(config, "plan_times_a_day", 1, []).plan_times_a_day == 1
    assert changed(config, "plan_times_a_day", -1, []).plan_times_a_day == 6
    assert changed(Config(plan_times_a_day=1), "plan_times_a_day", -1, []).plan_times_a_day is None
    week = changed(config, "plan_days", 1, []).plan_days
    assert week == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    assert shown(Config(plan_days=week), "plan_days") == "every day"
    workdays = changed(Config(plan_days=week), "plan_days", 1, [])
    assert shown(workdays, "plan_days") == "Mon Tue Wed Thu Fri"
    # days of the person's own choosing, from config.toml, are one of the choices, the last
    mine = Config(plan_days=("sun",))
    assert changed(mine, "plan_days", 1, []).plan_days is None
    assert changed(mine, "plan_days", -1, []).plan_days == ("sat", "sun")
    assert shown(mine, "plan_days") == "Sun"
    assert shown(Config(), "plan_times_a_day") == "routine's"


def test_the_plan_settings_replace_the_routines_plan() -> None:
    from tui.core.schedule import Plan, schedule_of

    routine = tiny_routine()
    assert with_settings(routine, Config()).schedule is None
    both = with_settings(routine, Config(plan_times_a_day=3, plan_days=("mon", "fri")))
    assert schedule_of(both).plan == Plan(3, (0, 4))
    times = with_settings(routine, Config(plan_times_a_day=2))
    assert schedule_of(times).plan == Plan(2)


async def test_every_setting_can_be_seen_in_a_small_window(clock: FakeClock) -> None:
    app = memory_app(clock)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("comma")
        await pilot.press("up")  # from the first row to the last
        assert "Days" in screen_text(app)
        await pilot.press("up")
        assert "Times a day" in screen_text(app)
        await pilot.press("down", "down")  # back round to the first
        assert "Bell" in screen_text(app)
