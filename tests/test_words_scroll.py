"""PgDn and PgUp scroll the stretch's words from the keyboard (issue 16).

With the figure above them, the built-in stretches' last steps and tips run below the detail
pane at 80x24, and only a mouse wheel reached them: the person on the mat has a keyboard."""

from __future__ import annotations

import settle
from test_app import make_app
from test_app_fakes import FakeClock, screen_text


async def test_pgdn_shows_the_last_words_and_pgup_the_first() -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        detail = app.detail
        await settle.until(pilot, lambda: detail.max_scroll_y > 0, "the words run below the pane")
        last = " ".join(detail.text.split()[-3:])  # the words' end, within one wrapped row
        assert last not in screen_text(app)
        await pilot.press("pagedown")
        await settle.until(pilot, lambda: detail.scroll_y > 0, "PgDn scrolled")
        while detail.scroll_y < detail.max_scroll_y:
            before = detail.scroll_y
            await pilot.press("pagedown")
            await settle.until(pilot, lambda at=before: detail.scroll_y > at, "PgDn scrolled on")
        assert last in screen_text(app), screen_text(app)
        await pilot.press("pageup")
        await settle.until(pilot, lambda: detail.scroll_y < detail.max_scroll_y, "PgUp went back")
        for _ in range(5):
            await pilot.press("pageup")
        await settle.until(pilot, lambda: detail.scroll_y == 0, "PgUp back to the top")
        assert app.selected == 0  # the list's highlight stayed where it was
