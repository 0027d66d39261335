"""A grid of dots to draw on, turned into terminal text: braille (2x4 dots a cell) or half blocks
(1x2 a cell), with a tag per cell saying what was drawn there, so a view can colour it.

A terminal cell is about twice as tall as it is wide, so both kinds of dot are about square.
Every dot belongs to one layer; a cell's tag is the most important layer among its dots
(near over head over far over floor). Nothing here knows what is being drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Mode = Literal["braille", "blocks"]
MODES: tuple[Mode, ...] = ("braille", "blocks")

DOTS_PER_CELL: dict[Mode, tuple[int, int]] = {"braille": (2, 4), "blocks": (1, 2)}
"""Dots across and down one cell."""

FLOOR, FAR, HEAD, NEAR = 1, 2, 4, 8
"""The layer of a dot; each is a bit, so that a cell's layers can be or-ed together."""

TAGS = {0: " ", FLOOR: "_", FAR: ".", HEAD: "o", NEAR: "#"}
"""The tag of a cell, one character per layer (" ": nothing drawn there)."""

TAG_NAMES = {"_": "floor", ".": "far", "o": "head", "#": "near"}


def _highest_tag(flags: int) -> str:
    for layer in (NEAR, HEAD, FAR, FLOOR):
        if flags & layer:
            return TAGS[layer]
    return TAGS[0]


_TAG_TABLE = {index: _highest_tag(index) for index in range(16)}

# A braille character's dots are bits: column 0 rows 0-2 are 1, 2, 4, column 1 rows 0-2 are
# 8, 16, 32, and the bottom row is 64 (left) and 128 (right).
_BRAILLE_BIT = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
_BIT_TABLES = tuple(
    tuple(bytes(bit if value else 0 for value in range(256)) for bit in row) for row in _BRAILLE_BIT
)
_BRAILLE_TABLE = {0: " ", **{bits: chr(0x2800 + bits) for bits in range(1, 256)}}
_BLOCK_TABLES = (bytes(1 if v else 0 for v in range(256)), bytes(2 if v else 0 for v in range(256)))
_BLOCK_TABLE = {0: " ", 1: "▀", 2: "▄", 3: "█"}


@dataclass(frozen=True, slots=True)
class Frame:
    """Drawn text: `lines` of exactly the box's width, and `tags`, the same shape, saying which
    layer each cell shows (see TAGS)."""

    lines: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        """The lines joined, trailing spaces cut (for printing)."""
        return "\n".join(line.rstrip() for line in self.lines)

    def runs(self, row: int) -> list[tuple[str, str]]:
        """Row `row` as (text, layer name) runs of one layer each ("" where nothing is drawn),
        ready to be styled."""
        found: list[tuple[str, str]] = []
        line, tags = self.lines[row], self.tags[row]
        start = 0
        for index in range(1, len(line) + 1):
            if index == len(line) or tags[index] != tags[start]:
                found.append((line[start:index], TAG_NAMES.get(tags[start], "")))
                start = index
        return found


class Canvas:
    """A grid of dots, `width` across and `height` down, (0, 0) at the top left. Drawing outside
    it is counted in `clipped` and goes nowhere."""

    def __init__(self, width: int, height: int) -> None:
        if width < 1 or height < 1:
            raise ValueError(f"a canvas of {width}x{height} dots holds nothing")
        self.width = width
        self.height = height
        self.dots = bytearray(width * height)
        self.clipped = 0

    @classmethod
    def for_cells(cls, cols: int, rows: int, mode: Mode) -> Canvas:
        across, down = DOTS_PER_CELL[mode]
        return cls(cols * across, rows * down)

    def dot(self, x: int, y: int, layer: int) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            self.dots[y * self.width + x] = layer
        else:
            self.clipped += 1

    def line(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        layer: int,
        thickness: int = 1,
        dotted: bool = False,
    ) -> None:
        """A line from (x0, y0) to (x1, y1), dot coordinates, `thickness` dots wide and tall (a
        square brush moved along it); `dotted` leaves every other step out."""
        shift = (thickness - 1) / 2
        ax, ay = math.floor(x0 - shift), math.floor(y0 - shift)
        bx, by = math.floor(x1 - shift), math.floor(y1 - shift)
        dx, dy = abs(bx - ax), -abs(by - ay)
        sx, sy = (1 if bx >= ax else -1), (1 if by >= ay else -1)
        error = dx + dy
        step = 0
        while True:
            if not dotted or step % 2 == 0:
                self._brush(ax, ay, thickness, layer)
            if ax == bx and ay == by:
                break
            twice = 2 * error
            if twice >= dy:
                error += dy
                ax += sx
            if twice <= dx:
                error += dx
                ay += sy
            step += 1

    def _brush(self, left: int, top: int, size: int, layer: int) -> None:
        width, height, dots = self.width, self.height, self.dots
        for y in range(top, top + size):
            for x in range(left, left + size):
                if 0 <= x < width and 0 <= y < height:
                    dots[y * width + x] = layer
                else:
                    self.clipped += 1

    def ring(self, cx: float, cy: float, radius: float, layer: int, thickness: int = 1) -> None:
        """A circle's outline around (cx, cy), dot coordinates, `thickness` dots wide; a disc when
        the circle is too small to show a hole."""
        outer = radius + thickness / 2
        inner = radius - thickness / 2 if radius > thickness + 0.5 else -1.0
        for y in range(math.floor(cy - outer), math.ceil(cy + outer) + 1):
            for x in range(math.floor(cx - outer), math.ceil(cx + outer) + 1):
                distance = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
                if inner <= distance <= outer:
                    self.dot(x, y, layer)

    def mirrored(self) -> Canvas:
        """This canvas flipped left to right, dot for dot."""
        flipped = Canvas(self.width, self.height)
        width, dots = self.width, self.dots
        for top in range(0, len(dots), width):
            flipped.dots[top : top + width] = dots[top : top + width][::-1]
        flipped.clipped = self.clipped
        return flipped

    def cells(self, mode: Mode) -> Frame:
        """The dots as text, one character a cell, and each cell's tag."""
        return self._braille() if mode == "braille" else self._blocks()

    def _braille(self) -> Frame:
        width, dots = self.width, self.dots
        cols = width // 2
        lines: list[str] = []
        tags: list[str] = []
        for top in range(0, self.height - 3, 4):
            bits = 0
            flags = 0
            for row in range(4):
                start = (top + row) * width
                for column in range(2):
                    part = dots[start + column : start + width : 2]
                    bits |= int.from_bytes(part.translate(_BIT_TABLES[row][column]))
                    flags |= int.from_bytes(part)
            lines.append(bits.to_bytes(cols).decode("latin-1").translate(_BRAILLE_TABLE))
            tags.append(flags.to_bytes(cols).decode("latin-1").translate(_TAG_TABLE))
        return Frame(tuple(lines), tuple(tags))

    def _blocks(self) -> Frame:
        width, dots = self.width, self.dots
        lines: list[str] = []
        tags: list[str] = []
        for top in range(0, self.height - 1, 2):
            upper = dots[top * width : (top + 1) * width]
            lower = dots[(top + 1) * width : (top + 2) * width]
            halves = int.from_bytes(upper.translate(_BLOCK_TABLES[0])) | int.from_bytes(
                lower.translate(_BLOCK_TABLES[1])
            )
            flags = int.from_bytes(upper) | int.from_bytes(lower)
            lines.append(halves.to_bytes(width).decode("latin-1").translate(_BLOCK_TABLE))
            tags.append(flags.to_bytes(width).decode("latin-1").translate(_TAG_TABLE))
        return Frame(tuple(lines), tuple(tags))
