"""A figure drawn into a box of terminal cells: scaled to fill it, proportions kept, never outside.

The figure is drawn for the right side, then its dots are flipped for the left: the two sides are
exact mirror images at every size, whatever the rounding of each line.

Near limbs are drawn thicker than far ones (and, where lines are one dot thin, the far ones are
dotted), so the picture reads without colour; each cell's tag lets a view colour near limbs
bright and far limbs dim as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tui.core.figure import (
    HEAD_RADIUS,
    ROOM_MARGIN,
    TRUNK_RADIUS,
    Drawing,
    Extent,
    Figure,
    Layer,
    Pose,
    Side,
    View,
    drawing,
)
from tui.core.raster import DOTS_PER_CELL, FAR, FLOOR, HEAD, NEAR, Canvas, Frame, Mode

Moment = Literal["start", "held"]

SMALLEST = (20, 6)
"""The smallest box (columns, rows) a figure is drawn in; a view hides it below this."""

MARGIN = 2
"""Dots kept free at the left, right and top: the figure never touches what is drawn beside it,
and a thick line is never cut."""

FLOOR_GAP = 1.5
"""Dots from the middle of the floor line to the lowest edge of a lying body, at least."""

THIN_BELOW, THICK_FROM = 30.0, 140.0
"""Dots per metre below which lines are one dot thin, and from which they are three thick (at
45, figures beside the words at 80x24 were one dot thin and hard to make out)."""

ALONG_THIN_BELOW = 45.0
"""THIN_BELOW for the views along the body (`head`, `feet`): there the two legs lie side by side,
a hand's width apart, and at 80x24 (trunk rotations, 34 dots per metre) two-dot lines merged the
knees pressed together into one blot."""

_LAYER_BITS: dict[Layer, int] = {"near": NEAR, "far": FAR, "head": HEAD, "floor": FLOOR}


def line_thickness(scale: float, *, along: bool = False) -> int:
    """How many dots thick a near limb is drawn at `scale` dots per metre: two where there is
    room, one where there is not, three when the figure is large; `along` for the views along the
    body, which need more room for two."""
    if scale < (ALONG_THIN_BELOW if along else THIN_BELOW):
        return 1
    return 2 if scale < THICK_FROM else 3


def render(
    figure: Figure,
    cols: int,
    rows: int,
    *,
    progress: float = 1.0,
    side: Side = "right",
    mode: Mode = "braille",
) -> Frame:
    """`figure` at `progress` of its movement (0: the start, 1: the held pose), filling a box of
    `cols` x `rows` cells, for `side`. The view is fitted to the rest of the movement
    (Figure.extent_from), so a playing figure never jumps: it is still where the rest of the
    movement keeps its room, and closes in smoothly as the body folds into a smaller one."""
    return _frame(
        drawing(figure.pose_at(progress), figure.posture, figure.view, figure.mat),
        figure.extent_from(progress),
        cols,
        rows,
        side,
        mode,
    )


def render_pose(
    pose: Pose,
    posture: str,
    cols: int,
    rows: int,
    *,
    view: View = "side",
    side: Side = "right",
    mode: Mode = "braille",
) -> Frame:
    """One pose alone, scaled to fill the box."""
    found = drawing(pose, posture, view)
    return _frame(found, Extent.around([found]).grown(ROOM_MARGIN), cols, rows, side, mode)


def figure_text(
    figure: Figure,
    *,
    side: Side = "right",
    size: tuple[int, int] = (60, 20),
    at: Moment = "held",
    mode: Mode = "braille",
) -> str:
    """The figure as plain text, for `unknot figure`: the held pose (or the start) of `side`."""
    cols, rows = size
    frame = render(figure, cols, rows, progress=1.0 if at == "held" else 0.0, side=side, mode=mode)
    return frame.text


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a drawing goes on a canvas: dots per metre, and the dot that a point maps to."""

    scale: float
    centre: float
    """The x (metres) drawn in the middle of the canvas."""
    bottom: float
    """The dot row (continuous, from the top) where the drawing's lowest y goes."""
    floor: float
    """The drawing's lowest y, metres."""
    width: int

    def x(self, x: float) -> float:
        return self.width / 2 + (x - self.centre) * self.scale

    def y(self, y: float) -> float:
        return self.bottom - (y - self.floor) * self.scale


def place(extent: Extent, width: int, height: int, *, floor_line: bool) -> Placement:
    """The largest scale at which `extent` fits `width` x `height` dots with its proportions,
    centred across, standing on the bottom row; a body lying on a floor line keeps an empty
    row of dots above it however small it is drawn, else the two merge into one thick line."""
    fit_width = (width - 2 * MARGIN) / max(extent.width, 1e-6)
    if not floor_line:  # a mat: its lowest corner needs the same room as the top
        scale = min(fit_width, (height - 1 - 2 * MARGIN) / max(extent.height, 1e-6))
        return Placement(scale, extent.centre, height - 0.5 - MARGIN, extent.bottom, width)
    room = height - 1 - MARGIN
    scale = min(fit_width, room / max(extent.height, 1e-6))
    lift = max(0.0, FLOOR_GAP + line_thickness(scale) / 2 - TRUNK_RADIUS * scale)
    scale = min(fit_width, max(room - lift, 1.0) / max(extent.height, 1e-6))
    return Placement(scale, extent.centre, height - 0.5 - lift, extent.bottom, width)


def fitting_rows(figure: Figure, cols: int, mode: Mode = "braille") -> int:
    """The fewest rows that show `figure` as large as `cols` columns allow at every moment of its
    movement: a view can give it that many and no more, so that a lying figure leaves no empty
    band above it."""
    across, down = DOTS_PER_CELL[mode]
    floor_line = figure.view == "side"
    rows = SMALLEST[1]
    for extent in figure.rooms:
        widest = place(extent, cols * across, 10**6, floor_line=floor_line).scale
        while place(extent, cols * across, rows * down, floor_line=floor_line).scale < widest:
            rows += 1
    return rows


def canvas_for(found: Drawing, extent: Extent, cols: int, rows: int, mode: Mode) -> Canvas:
    """`found` drawn for the right side on the dots of a `cols` x `rows` box."""
    if cols < SMALLEST[0] or rows < SMALLEST[1]:
        raise ValueError(f"a figure needs at least {SMALLEST[0]}x{SMALLEST[1]} cells")
    canvas = Canvas.for_cells(cols, rows, mode)
    width, height = canvas.width, canvas.height
    at = place(extent, width, height, floor_line=not found.floor)
    near = line_thickness(at.scale, along=bool(found.floor))
    far = max(1, near - 1)
    if not found.floor:
        canvas.line(0, height - 1, width - 1, height - 1, FLOOR)
    for start, end in zip(found.floor, found.floor[1:] + found.floor[:1], strict=True):
        canvas.line(at.x(start[0]), at.y(start[1]), at.x(end[0]), at.y(end[1]), FLOOR, dotted=True)
    for stroke in found.strokes:
        layer = _LAYER_BITS[stroke.layer]
        canvas.line(
            at.x(stroke.start[0]),
            at.y(stroke.start[1]),
            at.x(stroke.end[0]),
            at.y(stroke.end[1]),
            layer,
            near if layer == NEAR else far,
            dotted=layer == FAR and near == 1,
        )
    radius = HEAD_RADIUS * at.scale
    canvas.ring(at.x(found.head[0]), at.y(found.head[1]), radius - near / 2, HEAD, near)
    return canvas


def _frame(found: Drawing, extent: Extent, cols: int, rows: int, side: Side, mode: Mode) -> Frame:
    canvas = canvas_for(found, extent, cols, rows, mode)
    if side == "left":
        canvas = canvas.mirrored()
    return canvas.cells(mode)
