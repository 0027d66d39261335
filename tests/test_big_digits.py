"""The countdown widget: as big as its room allows, recomputed on resize, one size for a whole
phase, and a second that changes one digit repaints only that digit's columns."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region, Size

from tui.ui.widgets.big_digits import AUTO_SHARE, BigDigits
from tui.ui.widgets.glyphs import MAX_SCALE, render, rows_at


class DigitsApp(App[None]):
    CSS = "BigDigits { width: 1fr; height: 1fr; }"

    def __init__(self, value: str = "45", template: str = "45") -> None:
        super().__init__()
        self.digits = BigDigits(value, template=template)

    def compose(self) -> ComposeResult:
        yield self.digits


def rows(widget: BigDigits) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_the_scale_follows_the_room_on_resize() -> None:
    app = DigitsApp()
    async with app.run_test(size=(30, 6)) as pilot:
        await pilot.pause()
        assert app.digits.scale == 2  # "45": 14x5 fits 30x6, 21x8 does not
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert app.digits.scale == MAX_SCALE  # 17 would fit 120 columns; 16 fit 40 rows
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert app.digits.scale == 8
        await pilot.resize_terminal(6, 2)
        await pilot.pause()
        assert app.digits.scale == 0
        assert "45" in "".join(rows(app.digits))


async def test_the_face_is_centred_and_keeps_its_size_when_a_digit_goes() -> None:
    app = DigitsApp("10", "10")
    async with app.run_test(size=(20, 5)) as pilot:
        await pilot.pause()
        assert app.digits.scale == 2
        assert [line[3:17] for line in rows(app.digits)] == list(render("10", 2))
        app.digits.update("9")
        await pilot.pause()
        nine = rows(app.digits)
        assert app.digits.scale == 2  # the template keeps the size: no jump at 9
        assert [line[7:13] for line in nine] == list(render("9", 2))
        assert all(set(line[:7] + line[13:]) == {" "} for line in nine)


async def test_the_face_is_centred_in_height_a_spare_row_below() -> None:
    app = DigitsApp("10", "10")
    async with app.run_test(size=(20, 7)) as pilot:
        await pilot.pause()
        lines = rows(app.digits)
        assert [bool(line.strip()) for line in lines] == [False] + [True] * 5 + [False]
        await pilot.resize_terminal(20, 6)
        await pilot.pause()
        lines = rows(app.digits)
        assert [bool(line.strip()) for line in lines] == [True] * 5 + [False]


async def test_a_short_phase_is_drawn_no_bigger_than_two_digits() -> None:
    app = DigitsApp("5", "5")
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        assert app.digits.scale == 40 // 7
        face = [line for line in rows(app.digits) if line.strip()]
        assert len(face) == rows_at(40 // 7)


async def test_a_second_repaints_only_the_columns_that_changed() -> None:
    app = DigitsApp("45", "45")
    async with app.run_test(size=(30, 6)) as pilot:
        await pilot.pause()
        refreshed: list[tuple[tuple[Region, ...], dict[str, Any]]] = []
        real = app.digits.refresh

        def spy(*regions: Region, **kwargs: Any) -> Any:
            refreshed.append((regions, kwargs))
            return real(*regions, **kwargs)

        app.digits.refresh = spy  # type: ignore[method-assign]
        app.digits.update("44")
        # "45" is 14 columns at scale 2, centred in 30: the 5 sits in columns 16-21, rows 0-4
        assert len(refreshed) == 1
        (region,) = refreshed[0][0]
        assert region.x >= 16 and region.right <= 22
        assert (region.y, region.height) == (0, 5)  # the rows of the face, not the blank one
        refreshed.clear()
        app.digits.update("44")
        assert refreshed == []
        await pilot.pause()
        assert [line[8:22] for line in rows(app.digits)[:5]] == list(render("44", 2))


async def test_a_new_template_repaints_everything() -> None:
    app = DigitsApp("45", "45")
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        assert app.digits.scale == 4
        calls: list[tuple[Region, ...]] = []
        real = app.digits.refresh

        def spy(*regions: Region, **kwargs: Any) -> Any:
            calls.append(regions)
            return real(*regions, **kwargs)

        app.digits.refresh = spy  # type: ignore[method-assign]
        app.digits.update("1:30", "1:30")
        assert calls == [()]
        await pilot.pause()
        assert app.digits.scale == 40 // 13


def test_with_its_height_left_to_its_content_it_takes_a_share_of_the_window() -> None:
    digits = BigDigits("45", template="45")
    assert digits.get_content_height(Size(38, 0), Size(40, 12), 38) == rows_at(1)
    assert digits.get_content_height(Size(38, 0), Size(40, 6), 38) == rows_at(1)
    tall = Size(40, 30)
    share = int(30 * AUTO_SHARE)
    height = digits.get_content_height(Size(38, 0), tall, 38)
    assert height <= share and height == rows_at(4)
