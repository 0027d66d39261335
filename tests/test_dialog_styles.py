"""Every dialog keeps its look now that its rules live in its own screen, not in app.tcss.

The main screen's stylesheet is parsed before the first frame; a dialog's rules are read when
it first opens (issue 7: start-up). These tests fail if a dialog loses its rules on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from test_app_fakes import FakeClock, builtin, wall
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label

from tui.ui.app import UnknotApp
from tui.ui.screens.dialog import Dialog
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.pain import PainScreen
from tui.ui.screens.quit_confirm import QuitConfirm
from tui.ui.screens.resume_prompt import ResumePrompt
from tui.ui.widgets.keys_footer import KeysFooter

SIZE = (120, 40)
# what opens the dialog, the id of its box, and the width its rules give it
DIALOGS: list[tuple[str, str, int]] = [
    ("?", "help-box", 80),
    ("h", "history-box", 76),
    (",", "settings-box", 76),
    ("s", "save-box", 76),
    ("o", "picker-box", 60),
    ("!", "problems-box", 76),
]
PUSHED: list[tuple[Callable[[], Screen[object]], str, int]] = [
    (lambda: ResumePrompt("Resume at the second stretch?"), "resume-box", 76),
    (lambda: PainScreen("right now"), "pain-box", 60),
]


def app_with_two_routines() -> UnknotApp:
    routine = builtin()
    other = replace(routine, id="other", name="Other routine")
    clock = FakeClock()
    return UnknotApp(
        routine,
        routines=(routine, other),
        problems=["broken.toml, line 3, field 'reps': must be a whole number"],
        clock=clock,
        sleep=clock.sleep,
        wall=wall,
    )


def assert_centred_box(screen: Screen[object], box_id: str, width: int) -> Widget:
    box = screen.query_one(f"#{box_id}")
    assert isinstance(screen, Dialog)
    assert box.region.width == width
    left = box.region.x
    right = SIZE[0] - box.region.right
    assert abs(left - right) <= 1, "a dialog stands in the middle of the window"
    # ... in the rows above its footer, which lists its keys
    top, bottom = box.region.y, screen.query_one(KeysFooter).region.y - box.region.bottom
    assert abs(top - bottom) <= 1
    return box


@pytest.mark.parametrize(("key", "box_id", "width"), DIALOGS)
async def test_each_dialog_keeps_its_size_and_place(key: str, box_id: str, width: int) -> None:
    app = app_with_two_routines()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        box = assert_centred_box(app.screen, box_id, width)
        if box_id == "help-box":
            # every key must fit 80x24: no border, and no blank line around the title
            assert box.styles.border.top[0] == ""
            title = box.query_one(".dialog-title")
            assert title.styles.margin.bottom == 0
        else:
            assert box.styles.border.top[0] == "round"
            title = box.query_one(".dialog-title")
            assert title.styles.margin.bottom == 1
            assert title.styles.text_style.bold


@pytest.mark.parametrize(("make", "box_id", "width"), PUSHED)
async def test_questions_keep_their_size_and_full_width_labels(
    make: Callable[[], Screen[object]], box_id: str, width: int
) -> None:
    app = app_with_two_routines()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(make())
        await pilot.pause()
        box = assert_centred_box(app.screen, box_id, width)
        inner = box.region.width - 2 - 2  # round border and one column of padding each side
        assert all(label.region.width == inner for label in box.query("Label"))


async def test_quit_question_is_as_wide_as_its_words() -> None:
    app = app_with_two_routines()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(QuitConfirm())
        await pilot.pause()
        box = app.screen.query_one("#quit-box")
        assert box.styles.border.top[0] == "round"
        assert box.region.width < 60


async def test_help_fits_80x24_without_scrolling() -> None:
    app = app_with_two_routines()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("?")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one("#help-box")
        assert box.max_scroll_y == 0


def cut_labels(screen: Screen[object]) -> list[str]:
    """Labels whose words run past the right edge of their dialog's box."""
    box = screen.query_one(".dialog")
    edge = box.content_region.right
    return [str(label.render())[:40] for label in box.query(Label) if label.region.right > edge]


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
@pytest.mark.parametrize("key", ["?", ",", "!", "quit"])
async def test_dialog_words_wrap_inside_the_box(key: str, size: tuple[int, int]) -> None:
    app = app_with_two_routines()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if key == "quit":
            app.push_screen(QuitConfirm())
        else:
            await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, Dialog)
        assert cut_labels(app.screen) == []
