"""The phase words over the countdown: block capitals only where the panel has the rows, the
most words that fit, and a height that depends on the panel, never on the words."""

from __future__ import annotations

from dataclasses import replace

from test_timer_widget import snapshot
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Size

from tui.core.steps import Phase
from tui.ui.widgets.glyphs import FONT, can_draw, render, rows_at
from tui.ui.widgets.phase_banner import PhaseBanner, banner_scale, choose
from tui.ui.widgets.timer import banner_words


def test_every_glyph_differs_from_every_other() -> None:
    faces = [rows for char, rows in FONT.items() if char != " "]
    assert len(set(faces)) == len(faces)


def test_the_words_of_every_phase_can_be_drawn() -> None:
    for phase in Phase:
        for paused in (False, True):
            shot = replace(snapshot(5, 0), phase=phase, paused=paused, side="right", reps=3)
            for words in banner_words(shot):
                assert can_draw(words), words
    assert not can_draw("hold")  # lower case has no glyphs: the panel asks in capitals


def test_banner_words_give_the_side_and_fall_back_to_the_phase() -> None:
    hold = replace(snapshot(5, 0), side="left", reps=3)
    assert banner_words(hold) == ("HOLD · LEFT", "HOLD")
    assert banner_words(replace(hold, side=None)) == ("HOLD",)
    assert banner_words(replace(hold, paused=True)) == ("HOLD · PAUSED", "PAUSED")
    idle = replace(hold, phase=Phase.IDLE)
    assert banner_words(idle) == ("READY? PRESS SPACE", "PRESS SPACE")


def test_the_panel_height_decides_the_rows() -> None:
    assert [banner_scale(rows) for rows in (0, 14, 19, 20, 39, 40, 80)] == [0, 0, 0, 1, 1, 2, 2]
    banner = PhaseBanner()
    assert banner.get_content_height(Size(30, 13), Size(80, 23), 30) == 1
    assert banner.get_content_height(Size(30, 14), Size(80, 24), 30) == 1 + 1
    assert banner.get_content_height(Size(56, 30), Size(120, 40), 56) == rows_at(1) + 1
    assert banner.get_content_height(Size(96, 50), Size(200, 60), 96) == rows_at(2) + 1
    assert banner.get_content_height(Size(38, 0), Size(40, 12), 38) == 1  # compact: auto panel


def test_more_words_beat_bigger_letters() -> None:
    words = ("HOLD · RIGHT", "HOLD")
    assert choose(words, 200, 2) == ("HOLD · RIGHT", 2)
    assert choose(words, 56, 2) == ("HOLD · RIGHT", 1)
    assert choose(words, 30, 2) == ("HOLD", 2)  # 15 pixels of 2 columns
    assert choose(words, 29, 2) == ("HOLD", 1)
    assert choose(words, 10, 2) == ("", 0)
    assert choose(("hold",), 200, 2) == ("", 0)


class BannerApp(App[None]):
    CSS = "Vertical { height: 1fr; } PhaseBanner { width: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.banner = PhaseBanner()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield self.banner


async def test_capitals_in_a_tall_panel_plain_words_in_a_short_one() -> None:
    app = BannerApp()
    async with app.run_test(size=(60, 30)) as pilot:
        app.banner.update("Hold", ("HOLD · RIGHT", "HOLD"))
        await pilot.pause()
        assert app.banner.size.height == 3 + 1
        assert app.banner.shown == "HOLD · RIGHT"
        drawn = [app.banner.render_line(y).text.strip() for y in range(4)]
        assert drawn == [line.strip() for line in render("HOLD · RIGHT", 1)] + [""]
        await pilot.resize_terminal(60, 12)
        await pilot.pause()
        assert app.banner.size.height == 1  # not even the blank row under it
        assert app.banner.shown == "Hold"
        assert app.banner.render_line(0).text.rstrip() == "Hold"
        await pilot.resize_terminal(3, 12)
        await pilot.pause()
        assert app.banner.render_line(0).text == "Ho…"
