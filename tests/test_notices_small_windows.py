"""In a window too small for a toast beside the timer, a notice leaves the timer in sight.

Found at 40x12, the size of a phone running unknot over SSH: a toast (Textual's notice, up to
half the window wide in the bottom right corner) covered the numerals, the phase and the stretch
under way for its whole time. There a notice is now told on the row over the heading, a row of
its words at a time, and nothing else moves; from 65 columns and 18 rows up a toast sits beside
the timer, as before. `i` shows the last notices again.
"""

from __future__ import annotations

import re

import pytest
import settle
from app_memory_fakes import memory_app, notices, tick
from hypothesis import given, settings
from hypothesis import strategies as st
from patience import HANG
from test_app_fakes import FakeClock, builtin, screen_lines, screen_text
from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Region
from textual.notifications import Notification
from textual.pilot import Pilot
from textual.widgets import Label
from textual.widgets._toast import Toast

from tui.core.steps import Phase
from tui.store.config import Config
from tui.ui import notice_band
from tui.ui.app import UnknotApp
from tui.ui.notice_band import Band, pages_of
from tui.ui.screens.recent_notices import RecentNotices
from tui.ui.widgets.notice_line import NoticeLine

MOVED = (
    "Your settings file could not be read: it is not valid TOML at line 2. It is kept as "
    "~/.config/unknot/config.toml.broken-20260101-120000; a new one holds the settings shown here."
)
"""What the app says, titled "Settings", when a change moves a broken settings file aside."""


@pytest.fixture(autouse=True)
def notices_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notices stay until the test moves them on: Textual's wall clock stands still (toasts),
    and a row of words stays until the test turns to the next."""
    import textual.notifications

    raised = textual.notifications.time()
    monkeypatch.setattr(textual.notifications, "time", lambda: raised)
    monkeypatch.setattr(notice_band, "LEAST_SECONDS", HANG)


def in_sight(app: UnknotApp) -> dict[str, list[str]]:
    """The screen's rows where the timer shows the phase, the numerals and the stretch under
    way (its name, then side and rep): what a person looking there sees."""
    lines = screen_lines(app)
    timer = app.timer
    stretch = timer.lines.region
    parts = {
        "phase": timer.phase_label.region,
        "numerals": timer.digits.region,
        "stretch": Region(stretch.x, stretch.y, stretch.width, 2),
    }
    return {
        name: [lines[y][region.x : region.right] for y in range(region.y, region.bottom)]
        for name, region in parts.items()
    }


def told(app: App[object]) -> str:
    """The words on the row over the heading, or nothing while it is not shown."""
    rows = app.screen.query(NoticeLine)
    return rows.first().plain if rows else ""


def toasts(app: App[object]) -> list[Toast]:
    return list(app.screen.query(Toast))


def app_on_builtin(clock: FakeClock) -> UnknotApp:
    return memory_app(clock, builtin(), config=Config(ask_pain=False))


async def hold_on(pilot: Pilot[int], app: UnknotApp, clock: FakeClock) -> dict[str, list[str]]:
    """Start the routine, let it reach its first hold, and return what the timer shows."""
    await pilot.press("space")
    for _ in range(30):
        if app.engine.snapshot.phase == Phase.HOLD:
            break
        await tick(pilot, clock)
    seen = in_sight(app)
    shown = screen_text(app)
    assert app.timer.phase_label.plain == "Hold" and "".join(seen["phase"]).strip(), shown
    assert "█" in "".join(seen["numerals"]), shown
    assert "Knee-to-chest stretch" in seen["stretch"][0], shown
    assert "right side · rep 1 of 3" in seen["stretch"][1], shown
    return seen


def without_space(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("size", [(40, 12), (50, 14), (60, 16), (64, 20)])
async def test_in_a_small_window_a_notice_leaves_the_timer_in_sight(size: tuple[int, int]) -> None:
    clock = FakeClock()
    app = app_on_builtin(clock)
    async with app.run_test(size=size, notifications=True) as pilot:
        before = await hold_on(pilot, app, clock)
        app.notify(MOVED, title="Settings", severity="warning", timeout=15, markup=False)
        await settle.until(pilot, lambda: MOVED in notices(app), "the notice")
        assert in_sight(app) == before, screen_text(app)
        # every word of it is told, a row at a time, and the timer stays in sight meanwhile
        band = app.notices.band
        rows = []
        for _ in band.pages:
            top = screen_lines(app)[0]
            assert top.startswith("▌ "), screen_text(app)
            rows.append(re.sub(r" \d+/\d+ *$", "", top.removeprefix("▌ ")))
            assert in_sight(app) == before, screen_text(app)
            band.turn()
            await pilot.pause()
        assert without_space(" ".join(rows)) == without_space(f"Settings: {MOVED}"), rows
        assert not toasts(app)


@pytest.mark.parametrize("size", [(65, 20), (80, 24), (120, 40)])
async def test_from_65x18_up_a_notice_is_a_toast_beside_the_timer(size: tuple[int, int]) -> None:
    clock = FakeClock()
    app = app_on_builtin(clock)
    async with app.run_test(size=size, notifications=True) as pilot:
        before = await hold_on(pilot, app, clock)
        app.notify(MOVED, title="Settings", severity="warning", timeout=15, markup=False)
        await settle.until(pilot, lambda: toasts(app), "the toast")
        assert in_sight(app) == before, screen_text(app)
        assert told(app) == "", screen_text(app)


async def test_a_notice_moves_to_the_row_as_the_window_shrinks_and_back_as_it_grows() -> None:
    app = app_on_builtin(FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("m")
        await settle.until(pilot, lambda: toasts(app), "the toast of the muted bell")
        await pilot.resize_terminal(40, 12)
        await settle.until(pilot, lambda: told(app) == "Bell muted", "the notice, on the row")
        assert not toasts(app), screen_text(app)
        await pilot.resize_terminal(80, 24)
        await settle.until(pilot, lambda: toasts(app) and not told(app), "a toast again")


async def test_i_shows_the_last_notices_again_the_newest_first() -> None:
    app = app_on_builtin(FakeClock())
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await pilot.press("m", "m")  # Bell muted, then Bell on
        app.notify(MOVED, title="Settings", severity="warning", markup=False)
        app.withdraw_notice(MOVED)  # no longer so: not kept either
        await pilot.press("i")
        await settle.until(pilot, lambda: isinstance(app.screen, RecentNotices), "the notices")
        listed = str(app.screen.query_one("#notices-list").render())
        assert "Bell on" in listed and "Bell muted" in listed, screen_text(app)
        assert listed.index("Bell on") < listed.index("Bell muted"), listed
        assert "settings file" not in listed, listed
        await pilot.press("escape")
        await settle.until(pilot, lambda: not isinstance(app.screen, RecentNotices), "closed")
        assert told(app) == "" and not notices(app), "read there, none is told again after"


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("x")


def said(message: str, timeout: float = 5) -> Notification:
    return Notification(message, timeout=timeout)


async def test_the_row_tells_notices_in_turn_each_read_once() -> None:
    app = Bare()
    async with app.run_test(size=(40, 12)) as pilot:
        band = Band(app, lambda: app.screen)
        long, second, third, late, last = (
            said("every word of this one takes more than one row of forty cells"),
            said("second", timeout=10 * HANG),
            said("third"),
            said("late"),
            said("last"),
        )
        band.add(long)
        band.add(second)
        assert band.current is long and len(band.pages) == 2  # the second waits its turn
        band.turn()
        await pilot.pause()
        assert band.current is long and told(app) == f"{band.pages[1].plain} 2/2"
        band.turn()  # each row of it read once: the next one's turn
        assert band.current is second
        band.turn()
        assert band.current is second, "read, and alone: it stays its time"
        band.add(third)
        assert band.current is third, "a notice read gives way at once"
        late.raised_at -= 100  # its time runs out while it waits
        last.raised_at -= 100  # this one's too, but it is the newest
        band.add(late)
        band.add(last)
        band.turn()
        assert band.current is last, "a stale notice is passed over for a newer one"
        band.turn()
        await pilot.pause()
        assert band.current is None and told(app) == ""


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(st.characters(codec="utf-8", categories=["L", "N", "P"]), min_size=1)),
    st.integers(12, 120),
)
def test_rows_hold_every_character_in_order_and_fit_with_their_count(
    words: list[str], width: int
) -> None:
    text = Content(" ".join(words))
    pages, counts = pages_of(text, width)
    assert without_space("".join(page.plain for page in pages)) == without_space(text.plain)
    assert len(counts) == len(pages)
    for page, count in zip(pages, counts, strict=True):
        assert page.cell_length + (len(count) + 1 if count else 0) <= width
        if len(pages) > 1:
            assert re.fullmatch(rf"\d+/{len(pages)}", count)
