"""Progress bars drawn as plain lines of one widget: how far the phase and the routine have got.

One widget draws both bars (Textual's ProgressBar is a container of three widgets, each with
its own message queue, styles and redraws: two of them cost six widgets at start-up). A bar is
drawn in half-cells, so it moves at most twice per cell, and only a half-cell that changes
makes the widget redraw: a long hold costs no redraw at all for most seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.content import Content
from textual.widget import Widget

FULL = "━"
HALF = "╸"
"""The left half of a cell, for a bar that ends halfway through it."""


def half_cells(total: float, done: float, width: int) -> int:
    """How many half-cells of a `width`-cell bar `done` of `total` fills (a full bar when
    `total` is not above zero, as for a phase with no length)."""
    if width <= 0:
        return 0
    if total <= 0:
        return 2 * width
    return int(min(1.0, max(0.0, done / total)) * 2 * width)


def bar_text(halves: int, width: int) -> tuple[str, str]:
    """The filled part and the empty track of a bar `halves` half-cells long."""
    whole, half = divmod(max(0, min(halves, 2 * width)), 2)
    filled = FULL * whole + (HALF if half else "")
    return filled, FULL * (width - whole - half)


class ProgressLines(Widget):
    """One bar a line, each given as (total, done); the first is the phase, then the routine."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "progress-lines--phase",
        "progress-lines--routine",
        "progress-lines--track",
    }
    DEFAULT_CSS = """
    ProgressLines {
        height: 2;
        & > .progress-lines--phase { color: $primary; }
        & > .progress-lines--routine { color: $secondary; }
        & > .progress-lines--track { color: $foreground 15%; }
    }
    """
    _STYLES = ("progress-lines--phase", "progress-lines--routine")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._bars: tuple[tuple[float, float], ...] = ((1, 0), (1, 0))
        self._drawn: tuple[int, ...] | None = None

    @property
    def bars(self) -> tuple[tuple[float, float], ...]:
        """The (total, done) of each bar, as last given."""
        return self._bars

    def halves(self, width: int | None = None) -> tuple[int, ...]:
        """The half-cells each bar fills at `width` (the widget's own width by default)."""
        cells = self.content_size.width if width is None else width
        return tuple(half_cells(total, done, cells) for total, done in self._bars)

    def update(self, bars: Sequence[tuple[float, float]]) -> None:
        """Show these bars; nothing is redrawn when no bar gains or loses a half-cell."""
        self._bars = tuple(bars)
        if self.halves() != self._drawn:
            self.refresh()

    def render(self) -> Content:
        width = self.content_size.width
        self._drawn = self.halves(width)
        track = self.get_visual_style("progress-lines--track")
        lines = []
        for index, halves in enumerate(self._drawn):
            filled, empty = bar_text(halves, width)
            style = self.get_visual_style(self._STYLES[min(index, len(self._STYLES) - 1)])
            lines.append(Content.assemble((filled, style), (empty, track)))
        return Content("\n").join(lines)

    def on_resize(self) -> None:
        self._drawn = None
        self.refresh()


__all__ = ["ProgressLines", "bar_text", "half_cells"]
