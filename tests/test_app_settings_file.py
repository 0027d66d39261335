"""Changing a setting never costs the person what they wrote in config.toml (issue 14, item 3).

Found this way: a config.toml with a comment, a theme, a start routine and one bad line; the
app said so and used defaults; then `,` and Enter rewrote the file with the app's own lines,
the person's text gone and no .broken-* copy. Now a file that cannot be read is moved aside
first (and the person told where), and a file that reads is edited in place: only the setting
changed is written, their comments, order and other lines stay.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from app_memory_fakes import memory_app, notices
from test_app_fakes import FakeClock, screen_text

from tui.store.config import Config, config_path, load_config
from tui.ui.screens.problems import ProblemsScreen
from tui.ui.screens.settings import SettingsScreen

BAD_LINE = """\
# my settings: nord is easier on the eyes at night
theme = "nord"
start_routine = "evening"
bell = maybe
"""

CLEAN = """\
# my settings, kept in my dotfiles
theme = "nord"    # easier on the eyes at night

# the routine I do every evening
start_routine = "evening"
ask_pain = false
"""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def write_settings(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def started_with_settings(clock: FakeClock):  # type: ignore[no-untyped-def]
    """The app as `unknot` starts it: the settings read from the file, their problems shown."""
    load = load_config()
    return memory_app(clock, config=load.config, config_problems=[str(p) for p in load.problems])


async def test_a_file_that_could_not_be_read_is_moved_aside_before_a_change_is_saved(
    clock: FakeClock,
) -> None:
    path = write_settings(BAD_LINE)
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "settings file has problems" in notices(app)
        await pilot.press("comma")
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("enter")  # bell: on -> off, saved at once
        await pilot.pause()
        said = notices(app)
    [kept] = path.parent.glob("config.toml.broken-*")
    assert kept.read_text(encoding="utf-8") == BAD_LINE
    assert kept.name in said, said
    assert tomllib.loads(path.read_text(encoding="utf-8"))["bell"] is False


async def test_a_change_keeps_the_comments_and_lines_of_a_clean_file(clock: FakeClock) -> None:
    path = write_settings(CLEAN)
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "nord"
        await pilot.press("comma", "enter")  # bell: on -> off
        await pilot.press("escape")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(CLEAN.rstrip("\n")), text  # every line of theirs, as it was
    assert "bell = false" in text.splitlines()[-1] or "bell = false" in text, text
    assert load_config().config == Config(
        bell=False, theme="nord", start_routine="evening", ask_pain=False
    )
    assert list(path.parent.glob("config.toml.*")) == []


async def test_a_changed_setting_is_changed_where_it_stands(clock: FakeClock) -> None:
    path = write_settings(CLEAN)
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma", *["down"] * 6, "right")  # colours: nord -> the next one
        await pilot.press("escape")
        theme = app.theme
    assert theme != "nord"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == f'theme = "{theme}"    # easier on the eyes at night', lines
    assert lines[0] == "# my settings, kept in my dotfiles"
    assert lines[3:] == CLEAN.splitlines()[3:]


async def test_a_file_with_an_unknown_key_keeps_it_and_the_problem_is_still_named(
    clock: FakeClock,
) -> None:
    path = write_settings('# mine\nbel = false   # typo of mine\ntheme = "nord"\n')
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma", "down", "enter")  # desktop notices: off -> on
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen), screen_text(app)
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, ProblemsScreen), screen_text(app)
        shown = " ".join(screen_text(app).translate(str.maketrans("", "", "│╭╮╰╯─")).split())
        assert "bel: unknown setting; did you mean bell?" in shown, screen_text(app)
    text = path.read_text(encoding="utf-8")
    assert "bel = false   # typo of mine" in text and "notify = true" in text, text
    assert list(path.parent.glob("config.toml.*")) == []


async def test_a_fixed_file_clears_the_settings_problems(clock: FakeClock) -> None:
    write_settings(BAD_LINE)
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert any("config.toml" in problem for problem in app.problems)
        await pilot.press("comma", "enter", "escape")
        await pilot.pause()
        assert not any("config.toml" in problem for problem in app.problems), app.problems


async def test_a_settings_file_that_is_not_text_is_moved_aside(clock: FakeClock) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'theme = "nord"\n\xff\xfe bell = true\n')
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma", "enter", "escape")
    [kept] = path.parent.glob("config.toml.broken-*")
    assert kept.read_bytes().startswith(b'theme = "nord"\n\xff')


async def test_a_file_that_cannot_be_moved_aside_is_never_overwritten(clock: FakeClock) -> None:
    """The folder refuses a new name (a read-only disk): the change applies, waits in memory,
    and the person's file stays as it was."""
    path = write_settings(BAD_LINE)
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        folder = path.parent
        with read_only(folder):
            await pilot.press("comma", "enter")
            await pilot.pause()
            assert not app.cues.bell_enabled  # the change applies now
            said = notices(app)
            assert "Could not save the settings" in said, said
            app.memory.store.retry()  # type: ignore[union-attr]
            assert path.read_text(encoding="utf-8") == BAD_LINE
        await pilot.press("escape")
    # the disk is back: the waiting write moves the file aside first, then saves
    assert app.memory.store is not None
    app.memory.store.retry()
    [kept] = path.parent.glob("config.toml.broken-*")
    assert kept.read_text(encoding="utf-8") == BAD_LINE
    assert tomllib.loads(path.read_text(encoding="utf-8"))["bell"] is False


def read_only(folder: Path):  # type: ignore[no-untyped-def]
    from mounts import read_only as really_read_only

    return really_read_only(folder)


def test_the_edit_never_loads_tomlkit_at_start() -> None:
    """tomlkit is for saving only: reading the settings at start must not import it."""
    import subprocess
    import sys

    code = "import sys, tui.store.config as c; c.load_config(); print('tomlkit' in sys.modules)"
    write_settings(CLEAN)
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True
    )
    assert found.stdout.strip() == "False", found


async def test_a_file_moved_aside_as_the_app_ends_is_named_in_the_last_words(
    clock: FakeClock,
) -> None:
    path = write_settings(BAD_LINE)
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        with read_only(path.parent):
            await pilot.press("comma", "enter")  # waits: the folder refuses the move
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")  # the disk is back: the quit's try moves it aside, then saves
        await pilot.pause()
    [kept] = path.parent.glob("config.toml.broken-*")
    assert kept.read_text(encoding="utf-8") == BAD_LINE
    words = "\n".join(app.memory.last_words)
    assert kept.name in words and "could not be read" in words, words
    assert not app.memory.unsaved_at_end


@pytest.fixture
def notices_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notices stay up until the app takes them down: Textual's wall clock stands still."""
    import textual.notifications

    raised = textual.notifications.time()
    monkeypatch.setattr(textual.notifications, "time", lambda: raised)


def settings_notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    said = [*app._notifications, *app.notices.waiting]  # shown, or waiting for a dialog to go
    return [n.message for n in said if n.title == "Settings"]


@pytest.mark.usefixtures("notices_stay")
async def test_a_file_moved_aside_is_told_once_not_again_with_the_start_up_notice(
    clock: FakeClock,
) -> None:
    """Found by hand: `,` and Enter on a settings file with a broken line showed the start-up
    notice and, under it, the same problem again; the start-up one now pointed at a `!` list
    that no longer held it. Now the change tells what happened to the file, and only that."""
    path = write_settings(BAD_LINE)
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        [start_up] = settings_notices(app)
        assert "settings file has problems" in start_up
        await pilot.press("comma", "enter")  # bell: on -> off, saved at once
        await pilot.pause()
        said = settings_notices(app)
    [kept] = path.parent.glob("config.toml.broken-*")
    assert len(said) == 1, said
    [moved] = said
    assert kept.name in moved and "a new one holds the settings shown here" in moved, moved
    assert "not valid TOML" not in moved, "its reason was told at start-up, under !"


@pytest.mark.usefixtures("notices_stay")
async def test_a_file_broken_since_start_up_is_moved_aside_with_its_reason(
    clock: FakeClock,
) -> None:
    """Its problem was never told: the notice of the move says what was wrong."""
    path = write_settings(CLEAN)
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert settings_notices(app) == []
        path.write_text(BAD_LINE, encoding="utf-8")  # edited by hand meanwhile
        await pilot.press("comma", "enter")
        await pilot.pause()
        said = settings_notices(app)
    [kept] = path.parent.glob("config.toml.broken-*")
    assert len(said) == 1 and kept.name in said[0], said
    assert "not valid TOML at line 4" in said[0], said


@pytest.mark.usefixtures("notices_stay")
async def test_a_change_that_fixes_the_file_takes_the_start_up_notice_down(
    clock: FakeClock,
) -> None:
    """A bad value kept in place, then set in the app: nothing is left for `!` to show."""
    write_settings("# mine\nfigure_characters = 7\n")
    app = started_with_settings(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(settings_notices(app)) == 1
        await pilot.press("comma", "enter")  # bell: the value 7 stays as they wrote it
        await pilot.pause()
        assert len(settings_notices(app)) == 1, "the file still has its problem"
        await pilot.press(*["down"] * 8, "right")  # figures: braille -> blocks
        await pilot.pause()
        assert settings_notices(app) == [], settings_notices(app)
        assert not any("config.toml" in problem for problem in app.problems), app.problems
