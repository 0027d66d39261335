"""`s` never replaces a routine file of the person's without asking (issue 14, item 4).

Found this way: their own routines/tiny.toml ("My evening routine", with comments); they run
another file also named tiny.toml from elsewhere, press +, s, Enter, and their evening routine
was replaced with no copy kept. Saving over an existing file now asks first, naming the file
and the routine in it; a confirmed replace keeps the old file beside it; only the very file the
routine was loaded from (unchanged since) is replaced without a question.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_memory_fakes import memory_app, notices
from test_app_fakes import FakeClock, screen_text

from tui.routine_files.catalog import Catalog, discover
from tui.routine_files.loader import load_routine
from tui.store.config import Config
from tui.store.paths import user_routines_dir
from tui.ui.app import UnknotApp
from tui.ui.screens.replace_routine import ReplaceRoutineScreen
from tui.ui.screens.save_routine import SaveRoutineScreen

NO_PAIN = Config(ask_pain=False)

EVENING = """\
# My evening routine: written by hand after the physio's visit. Keep it!
schema = 1
name = "My evening routine"
prepare_seconds = 5
rest_seconds = 10

# the one that helps most, slowly
[[stretches]]
id = "knee-hug"
name = "Knee hug"
steps = ["Lie on your back.", "Hug both knees to the chest."]
hold_seconds = 20
reps = 2
"""

ELSEWHERE = """\
schema = 1
name = "Tiny from elsewhere"
prepare_seconds = 1
rest_seconds = 1

[[stretches]]
id = "reach"
name = "Reach"
steps = ["Reach up."]
hold_seconds = 3
reps = 1
"""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def their_evening_routine() -> Path:
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tiny.toml"
    path.write_text(EVENING, encoding="utf-8")
    return path


def app_on(clock: FakeClock, path: Path, source: str = "file") -> UnknotApp:
    """The app as `unknot run PATH` makes it: the named file, and every routine found."""
    chosen = load_routine(path, source)  # type: ignore[arg-type]

    def reload() -> Catalog:
        fresh = discover()
        if source == "file":
            fresh.add_path(path, "file")
        return fresh

    return memory_app(clock, chosen, config=NO_PAIN, routines=reload().ordered(), reload=reload)


def copies_of(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".replaced-*"))


async def test_s_asks_before_replacing_their_routine_of_the_same_name(
    clock: FakeClock, tmp_path: Path
) -> None:
    theirs = their_evening_routine()
    other = tmp_path / "some" / "where" / "tiny.toml"
    other.parent.mkdir(parents=True)
    other.write_text(ELSEWHERE, encoding="utf-8")
    app = app_on(clock, other)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus", "s")
        assert isinstance(app.screen, SaveRoutineScreen)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert isinstance(app.screen, ReplaceRoutineScreen), text
        assert "My evening routine" in text and "tiny.toml" in text, text
        assert theirs.read_text(encoding="utf-8") == EVENING
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ReplaceRoutineScreen), screen_text(app)
        assert "Nothing was saved" in notices(app)
    assert theirs.read_text(encoding="utf-8") == EVENING
    assert copies_of(theirs) == []


async def test_a_confirmed_replace_keeps_their_old_file(clock: FakeClock, tmp_path: Path) -> None:
    theirs = their_evening_routine()
    other = tmp_path / "elsewhere" / "tiny.toml"
    other.parent.mkdir(parents=True)
    other.write_text(ELSEWHERE, encoding="utf-8")
    app = app_on(clock, other)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus", "s", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplaceRoutineScreen), screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        said = notices(app)
    [kept] = copies_of(theirs)
    assert kept.read_text(encoding="utf-8") == EVENING
    assert kept.name in said, said
    saved = load_routine(theirs, "user")
    assert saved.name == "Tiny from elsewhere"
    assert saved.stretches[0].hold_seconds.low == 4  # the + before s
    assert other.read_text(encoding="utf-8") == ELSEWHERE


async def test_a_new_id_naming_another_of_their_routines_asks_too(clock: FakeClock) -> None:
    theirs = their_evening_routine()
    catalog = discover()
    builtin = catalog.get("back-spasm-relief")
    assert builtin is not None
    app = memory_app(clock, builtin, config=NO_PAIN, routines=catalog.ordered(), reload=discover)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", *["backspace"] * 20, *"tiny", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert isinstance(app.screen, ReplaceRoutineScreen), text
        assert "My evening routine" in text
        await pilot.press("escape")
        await pilot.pause()
    assert theirs.read_text(encoding="utf-8") == EVENING


async def test_saving_back_to_the_file_it_came_from_does_not_ask(clock: FakeClock) -> None:
    theirs = their_evening_routine()
    app = app_on(clock, theirs, source="user")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus", "s", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ReplaceRoutineScreen), screen_text(app)
        assert "Saved as tiny.toml" in notices(app)
    assert load_routine(theirs, "user").stretches[0].hold_seconds.low == 25
    assert copies_of(theirs) == []


async def test_a_file_edited_since_it_was_loaded_is_not_replaced_unasked(
    clock: FakeClock,
) -> None:
    theirs = their_evening_routine()
    app = app_on(clock, theirs, source="user")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")  # a running session keeps its routine: no reload meanwhile
        assert app.engine.running
        edited = EVENING.replace("Hug both knees", "Hug one knee")
        theirs.write_text(edited, encoding="utf-8")  # by hand, in another window
        await pilot.press("plus", "s", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplaceRoutineScreen), screen_text(app)
        await pilot.press("y")
        await pilot.pause()
    [kept] = copies_of(theirs)
    assert kept.read_text(encoding="utf-8") == edited


async def test_a_file_that_does_not_load_is_named_as_such(clock: FakeClock) -> None:
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    broken = folder / "back-spasm-relief.toml"
    broken.write_text("# my own version, half written\nschema = 1\nname = \n", encoding="utf-8")
    catalog = discover()  # the broken file leaves the built-in one in place
    builtin = catalog.get("back-spasm-relief")
    assert builtin is not None and builtin.source == "built-in"
    app = memory_app(clock, builtin, config=NO_PAIN, routines=catalog.ordered(), reload=discover)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert isinstance(app.screen, ReplaceRoutineScreen), text
        assert "could not be read" in text, text
        await pilot.press("y")
        await pilot.pause()
    [kept] = copies_of(broken)
    assert kept.read_text(encoding="utf-8").startswith("# my own version")


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_the_question_fits_the_window(clock: FakeClock, size: tuple[int, int]) -> None:
    their_evening_routine()
    catalog = discover()
    builtin = catalog.get("back-spasm-relief")
    assert builtin is not None
    app = memory_app(clock, builtin, config=NO_PAIN, routines=catalog.ordered(), reload=discover)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s", *["backspace"] * 20, *"tiny", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "y: replace" in text and "n / Escape" in text, text


async def test_saving_back_to_their_own_file_keeps_their_comments(clock: FakeClock) -> None:
    theirs = their_evening_routine()
    app = app_on(clock, theirs, source="user")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus", "right_square_bracket", "s", "enter")
        await pilot.pause()
        assert "Saved as tiny.toml" in notices(app)
    text = theirs.read_text(encoding="utf-8")
    expected = EVENING.replace("hold_seconds = 20", "hold_seconds = 25")
    assert text == expected.replace("reps = 2", "reps = 3"), text
