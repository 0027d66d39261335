"""unknot's own block numerals: a 3x5 pixel font drawn with half blocks at any whole scale.

A pixel is `scale` columns wide and `scale` half-rows tall, so it looks square in a terminal
cell of about 1:2; at scale 1 a digit is 3 columns by 3 rows, the size of Textual's Digits.
Scale 0 is the text itself on one line, for windows too small for even that.
Nothing here imports Textual: it is plain strings, cheap to test and to import.
"""

from __future__ import annotations

from functools import lru_cache

FONT_HEIGHT = 5
"""Pixel rows of every glyph."""

FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": ("##.", ".#.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "-": ("...", "...", "###", "...", "..."),
    " ": (".", ".", ".", ".", "."),
    # capitals, for the phase word over a big countdown ("HOLD · RIGHT")
    "A": (".#.", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": (".##", "#..", "#..", "#..", ".##"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "F": ("###", "#..", "##.", "#..", "#.."),
    "G": (".##", "#..", "#.#", "#.#", ".##"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..#", "..#", "..#", "#.#", "###"),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#.#", "###", "###", "#.#", "#.#"),
    "N": ("##.", "#.#", "#.#", "#.#", "#.#"),
    "O": (".#.", "#.#", "#.#", "#.#", ".#."),
    "P": ("##.", "#.#", "##.", "#..", "#.."),
    "Q": ("###", "#.#", "#.#", "###", "..#"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": (".##", "#..", ".#.", "..#", "##."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#.#", "#.#", "#.#", "###", "#.#"),
    "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "Z": ("###", "..#", ".#.", "#..", "###"),
    "?": ("##.", "..#", ".#.", "...", ".#."),
    "·": (".", ".", "#", ".", "."),
}
"""Each glyph as pixel rows, '#' inked; a blank column between glyphs keeps them apart."""


def can_draw(text: str) -> bool:
    """Whether every character of `text` has a glyph (no silent blanks for unknown ones)."""
    return all(char in FONT for char in text)


HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
"""One terminal cell from its (top, bottom) half-pixels."""

MAX_SCALE = 16
"""Past this the numerals would outgrow any sensible window; it bounds the work per redraw."""


def _glyph(char: str) -> tuple[str, ...]:
    return FONT.get(char, FONT[" "])


def pixel_width(text: str) -> int:
    """Width of `text` in font pixels, with one blank pixel column between glyphs."""
    if not text:
        return 0
    return sum(len(_glyph(char)[0]) for char in text) + len(text) - 1


def text_size(text: str, scale: int) -> tuple[int, int]:
    """(columns, rows) that `text` takes at `scale`; at 0, the plain text on one line."""
    if scale <= 0:
        return len(text), 1 if text else 0
    return pixel_width(text) * scale, rows_at(scale)


def rows_at(scale: int) -> int:
    """Terminal rows of a glyph at `scale` (5 pixels of `scale` half-rows each, rounded up)."""
    return 1 if scale <= 0 else (FONT_HEIGHT * scale + 1) // 2


def fit_scale(template: str, width: int, height: int) -> int:
    """The largest scale at which `template` fits `width` x `height` cells; 0 if none does."""
    pixels = pixel_width(template)
    if pixels == 0:
        return 0
    by_width = width // pixels
    by_height = max(0, (2 * height) // FONT_HEIGHT)
    return max(0, min(by_width, by_height, MAX_SCALE))


@lru_cache(maxsize=64)
def render(text: str, scale: int) -> tuple[str, ...]:
    """`text` drawn at `scale`: one string per terminal row, each `text_size(...)[0]` long."""
    if not text:
        return ()
    if scale <= 0:
        return (text,)
    pixels = [""] * FONT_HEIGHT
    for index, char in enumerate(text):
        glyph = _glyph(char)
        for row in range(FONT_HEIGHT):
            pixels[row] += ("." if index else "") + glyph[row]
    # every pixel becomes `scale` columns by `scale` half-rows
    half_rows = ["".join(pixel * scale for pixel in row) for row in pixels for _ in range(scale)]
    if len(half_rows) % 2:
        half_rows.append("." * len(half_rows[0]))
    return tuple(
        "".join(
            HALF_BLOCKS[top == "#", bottom == "#"]
            for top, bottom in zip(half_rows[row], half_rows[row + 1], strict=True)
        )
        for row in range(0, len(half_rows), 2)
    )
