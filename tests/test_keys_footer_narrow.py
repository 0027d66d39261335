"""A footer narrower than its keys leaves whole keys out, never the way out or the way to help.

Seen at 40x12: the main footer read "space Start/Pause ? Help l List m Mute", with q Quit cut
off the end. A key left out is still on the help screen, which ? opens.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_app import make_app
from test_app_fakes import FakeClock, screen_lines

from tui.ui.widgets.keys_footer import fitting


@given(
    st.lists(st.tuples(st.integers(1, 20), st.booleans()), max_size=12),
    st.integers(0, 120),
)
def test_what_is_chosen_fits_keeps_order_and_drops_only_from_the_end_side(
    entries: list[tuple[int, bool]], room: int
) -> None:
    widths = [width for width, _ in entries]
    kept = [keep for _, keep in entries]
    chosen = fitting(widths, kept, room)
    assert chosen == sorted(chosen)
    assert all(index in chosen for index, keep in enumerate(kept) if keep)
    used = sum(widths[index] for index in chosen) + max(0, len(chosen) - 1)
    must_keep = sum(w for w, keep in entries if keep) + max(0, sum(kept) - 1)
    if used > room:  # only the kept ones can overflow, and then nothing else is shown
        assert chosen == [index for index, keep in enumerate(kept) if keep]
        assert used == must_keep
    dropped = [index for index in range(len(widths)) if index not in chosen]
    if dropped:  # one more than shown would not fit, dropped from the end first
        first_dropped = min(dropped)
        assert all(kept[index] or index in dropped for index in range(first_dropped, len(kept)))


@pytest.mark.parametrize("width", [40, 44, 52])
async def test_a_narrow_main_footer_still_says_quit_and_help(width: int) -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=(width, 12)) as pilot:
        await pilot.pause()
        footer = screen_lines(app)[-1]
    assert "q Quit" in footer and "? Help" in footer, footer
    # every entry shown is whole: a key followed by its word
    words = footer.split()
    descriptions = {"Start/Pause", "Help", "List", "Next", "Back", "Restart", "Mute", "Quit"}
    assert words[-1] in descriptions, footer
