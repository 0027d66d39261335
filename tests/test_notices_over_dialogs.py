"""A notice never covers a dialog: what the person must read or answer stays in sight.

Found by hand at 40x12: `+` (a notice of the longer hold) then `s` opened the save dialog under
the notice, which hid half of its words and its input; a notice said while the settings dialog
was open covered its note even at 80x24. Now, while a dialog is on top, a notice shows only
where it leaves the dialog's box alone; the others wait, and show when there is room (the dialog
closed, or the window grew), for their whole time: at 40x12 on the row over the heading
(tests/test_notices_small_windows.py), in a larger window as toasts.
"""

from __future__ import annotations

import pytest
import settle
from app_memory_fakes import memory_app, notices
from patience import HANG
from test_app_fakes import FakeClock, builtin, screen_text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Label
from textual.widgets._toast import Toast

from tui.store.config import Config
from tui.ui.app import UnknotApp
from tui.ui.notices import notice_rows
from tui.ui.screens.save_routine import SaveRoutineScreen
from tui.ui.screens.settings import SettingsScreen

LONGER = "Knee-to-chest stretch: hold 11 s"
"""The start of the notice `+` gives on the built-in routine's first stretch."""


@pytest.fixture(autouse=True)
def notices_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notices stay up until the app takes them down: Textual's wall clock stands still, and a
    row of words told over the heading (in a small window) stays as long as a test can wait."""
    import textual.notifications

    raised = textual.notifications.time()
    monkeypatch.setattr(textual.notifications, "time", lambda: raised)
    monkeypatch.setattr("tui.ui.notice_band.LEAST_SECONDS", HANG)


def told(app: UnknotApp) -> list[str]:
    """The notices told on the row over the heading, the one shown first (tui.ui.notices)."""
    return [notification.message for notification in app.notices.band.notices]


def toasts(screen: Screen[object]) -> list[Toast]:
    return list(screen.query(Toast))


def hidden_lines(screen: Screen[object]) -> list[str]:
    """The dialog's lines that a notice covers, or that the window or the box cuts off."""
    box = screen.query_one(".dialog")
    window = Region(0, 0, screen.size.width, screen.size.height - 1)  # above the key line
    covers = [toast.region for toast in toasts(screen)]
    hidden = []
    for line in box.query("Label, Input, OptionList"):
        if not line.display or (isinstance(line, Label) and not str(line.render()).strip()):
            continue
        region = line.region
        inside = window.contains_region(region) and box.region.contains_region(region)
        if not inside or any(region.overlaps(cover) for cover in covers):
            hidden.append(f"{type(line).__name__} {region}: {str(line.render())[:30]!r}")
    return hidden


def app_on_builtin(clock: FakeClock) -> UnknotApp:
    return memory_app(clock, builtin(), config=Config(ask_pain=False))


async def test_at_40x12_a_notice_waits_while_the_save_dialog_is_open() -> None:
    app = app_on_builtin(FakeClock())
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await pilot.press("plus")
        await settle.until(
            pilot,
            lambda: screen_text(app).startswith(f"▌ {LONGER}"),
            "the notice of the longer hold, over the heading",
        )
        await pilot.press("s")
        await settle.until(
            pilot, lambda: isinstance(app.screen, SaveRoutineScreen), "the save dialog"
        )
        await pilot.pause()
        assert hidden_lines(app.screen) == [], screen_text(app)
        text = screen_text(app)
        for words in ("Save this routine", "Keep the id", "Enter: save"):
            assert words in text, text
        assert LONGER in notices(app), "the notice waits; it is not lost"
        app.notify("Said while the dialog is open.", markup=False)
        await pilot.pause()
        assert hidden_lines(app.screen) == [], screen_text(app)
        await pilot.press("escape")
        await settle.until(
            pilot,
            lambda: len(told(app)) == 2 and screen_text(app).startswith(f"▌ {LONGER}"),
            "both notices, told in turn over the heading once the dialog closed",
        )
        assert told(app)[1] == "Said while the dialog is open.", told(app)
        assert not toasts(app.screen), screen_text(app)


async def test_at_40x12_an_error_under_the_id_still_leaves_every_line_in_sight() -> None:
    app = app_on_builtin(FakeClock())
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await pilot.press("s", "ctrl+u", "slash", "enter")  # ctrl+u: the id emptied
        await pilot.pause()
        assert isinstance(app.screen, SaveRoutineScreen)
        assert "An id is letters" in " ".join(screen_text(app).split()), screen_text(app)
        assert hidden_lines(app.screen) == [], screen_text(app)


async def test_a_notice_said_in_the_settings_dialog_waits_at_80x24() -> None:
    app = app_on_builtin(FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("comma")
        await settle.until(pilot, lambda: isinstance(app.screen, SettingsScreen), "settings")
        app.notify(
            "Your settings file could not be read: it is not valid TOML at line 2. It is kept "
            "as ~/.config/unknot/config.toml.broken-20260101-120000; a new one holds the settings",
            title="Settings",
            markup=False,
        )
        await pilot.pause()
        assert hidden_lines(app.screen) == [], screen_text(app)
        await pilot.press("escape")
        await settle.until(pilot, lambda: toasts(app.screen), "the notice, after the dialog")


async def test_in_a_large_window_a_notice_stays_up_beside_the_dialog() -> None:
    """Nothing waits where it need not: at 120x40 the save dialog leaves the corner free."""
    app = app_on_builtin(FakeClock())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("plus")
        await settle.until(pilot, lambda: toasts(app.screen), "the notice of the longer hold")
        await pilot.press("s")
        await settle.until(
            pilot, lambda: isinstance(app.screen, SaveRoutineScreen), "the save dialog"
        )
        await settle.until(pilot, lambda: toasts(app.screen), "the notice, over the dialog's shade")
        assert hidden_lines(app.screen) == [], screen_text(app)


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("x")


SAID = [
    ("Settings", "The settings file has problems, so defaults are used where it is wrong: "),
    ("", "Bell muted"),
    ("Routine files", "1 routine file has a problem: press ! to see them. The others work."),
]


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (79, 30), (120, 40)])
async def test_a_notice_takes_the_rows_textual_gives_it(size: tuple[int, int]) -> None:
    """notice_rows counts as Textual lays a toast out (8.2.8): margin, padding, title, words."""
    app = Bare()
    async with app.run_test(size=size, notifications=True) as pilot:
        for title, message in SAID:
            app.notify(message, title=title, markup=False, timeout=100)
        await pilot.pause()
        found = [toast.region.height + 1 for toast in app.screen.query(Toast)]
        counted = [notice_rows(message, title, size[0]) for title, message in SAID]
        assert found == counted
