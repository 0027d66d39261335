"""The block numerals: every glyph has the size its scale promises, and the largest scale that
fits is the one chosen."""

from __future__ import annotations

import pytest

from tui.ui.widgets.glyphs import (
    FONT,
    FONT_HEIGHT,
    MAX_SCALE,
    fit_scale,
    pixel_width,
    render,
    rows_at,
    text_size,
)

CHARS = "0123456789:-"
SCALES = range(1, 7)


def test_every_glyph_is_a_full_rectangle_of_pixels() -> None:
    for char, rows in FONT.items():
        assert len(rows) == FONT_HEIGHT, char
        assert len({len(row) for row in rows}) == 1, char
        assert set("".join(rows)) <= {"#", "."}, char
    for char in "0123456789-":
        assert len(FONT[char][0]) == 3, char
    assert len(FONT[":"][0]) == 1


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("char", CHARS)
def test_each_glyph_has_its_size_at_each_scale(char: str, scale: int) -> None:
    lines = render(char, scale)
    width = (1 if char == ":" else 3) * scale
    assert text_size(char, scale) == (width, rows_at(scale))
    assert len(lines) == rows_at(scale)
    assert {len(line) for line in lines} == {width}
    assert set("".join(lines)) <= {" ", "▀", "▄", "█"}


def test_scale_one_is_the_size_of_textual_digits_and_each_scale_grows_by_half_rows() -> None:
    assert [rows_at(scale) for scale in range(1, 7)] == [3, 5, 8, 10, 13, 15]
    assert rows_at(0) == 1


def test_glyphs_are_set_apart_by_one_blank_pixel_column() -> None:
    assert pixel_width("8") == 3
    assert pixel_width("88") == 7
    assert pixel_width("59:59") == 3 + 1 + 3 + 1 + 1 + 1 + 3 + 1 + 3
    for scale in SCALES:
        assert text_size("12:30", scale) == (17 * scale, rows_at(scale))
        lines = render("88", scale)
        gap = slice(3 * scale, 4 * scale)
        assert all(set(line[gap]) == {" "} for line in lines)


def test_every_digit_looks_different_at_every_scale() -> None:
    for scale in (1, 2, 3):
        faces = {render(char, scale) for char in "0123456789"}
        assert len(faces) == 10


def test_a_scale_of_zero_is_the_plain_text() -> None:
    assert render("12:30", 0) == ("12:30",)
    assert text_size("12:30", 0) == (5, 1)
    assert render("", 1) == render("", 0) == ()


def test_scale_two_draws_each_pixel_as_two_full_columns() -> None:
    assert render("0", 2) == (
        "██████",
        "██  ██",
        "██  ██",
        "██  ██",
        "██████",
    )


@pytest.mark.parametrize(
    ("template", "width", "height", "scale"),
    [
        ("88", 30, 6, 2),  # 80x24 timer column: 14x5 fits, 21x8 does not
        ("88", 30, 3, 1),
        ("88", 30, 2, 0),  # not even 1x: the plain text
        ("88", 6, 10, 0),
        ("88", 7, 3, 1),
        ("88", 56, 23, 8),  # 120x40: half the width
        ("59:59", 30, 20, 1),  # an hour-long hold in the 80x24 column
        ("59:59", 34, 5, 2),
        ("59:59", 33, 5, 1),
        ("9:59", 82, 17, 6),
        ("88", 10_000, 10_000, MAX_SCALE),
        ("", 80, 24, 0),
    ],
)
def test_the_largest_scale_that_fits_is_chosen(
    template: str, width: int, height: int, scale: int
) -> None:
    assert fit_scale(template, width, height) == scale
    if scale:
        columns, rows = text_size(template, scale)
        assert columns <= width and rows <= height
        if scale < MAX_SCALE:
            bigger = text_size(template, scale + 1)
            assert bigger[0] > width or bigger[1] > height
