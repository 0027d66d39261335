"""The rows under the countdown, drawn by one widget: the stretch, the side and rep, the phase's
and the routine's progress bars, the time left in the routine, and what comes next.

Each row was a widget of its own, and Textual charges every widget the same start-up work
(styles, layout, a message queue, a first render) whatever it shows: one widget that cuts its
own rows shows the same screen for a fifth of that. A row is cut at the widget's width with an
ellipsis; what comes next may take two rows. Only the rows whose text changed are redrawn, and a
bar only when it gains or loses a half-cell: a running hold redraws one row a second.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual
from textual.widget import Widget

from tui.ui.literal import literal

FULL = "━"
HALF = "╸"
"""The left half of a cell, for a bar that ends halfway through it."""

ROWS: dict[str, tuple[int, int]] = {
    "name": (0, 1),
    "where": (1, 1),
    "bars": (2, 2),
    "left": (4, 1),
}
"""(first row, rows) of each part above what comes next; "bars" is the phase's over the
routine's."""
NEXT_ROW = 5
"""What comes next starts here, under the time left."""
NEXT_MAX_ROWS = 2

Bar = tuple[float, float]
"""(total, done) of a bar."""


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


def next_lines(text: str, width: int) -> Content:
    """What comes next, broken after its last comma when it is wider than `width` and the part
    before fits: "Then: Hold right side," over "rep 2 of 3" (never "... rep 2" over "of 3")."""
    head, comma, tail = text.rpartition(", ")
    if not comma or len(text) <= width or len(head) + 1 > width or width <= 0:
        return literal(text)
    return Content.assemble(literal(head + ","), "\n", literal(tail))


def one_row(text: str, width: int) -> Content:
    """`text` on one row of `width` cells, cut with an ellipsis when it is wider."""
    return literal(" ".join(text.splitlines())).truncate(width, ellipsis=True)


def next_rows(text: str, width: int) -> list[Content]:
    """What comes next as the rows it needs at `width`: broken after its last comma, or
    wrapped at spaces, each row cut with an ellipsis (one empty row for no text)."""
    return next_lines(text, width).wrap(width, overflow="ellipsis")


class TimerLines(Widget):
    """The words and bars under the numerals, one row each, and what comes next under them.

    What comes next takes the rows its component class `timer-lines--next` gives it: a fixed
    `height` keeps that many rows (so the numerals above keep their size when the words
    change); `height: auto` takes the rows the words need, up to `max-height` and never more
    than two.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timer-lines--phase",
        "timer-lines--routine",
        "timer-lines--track",
        "timer-lines--next",
    }
    DEFAULT_CSS = """
    TimerLines {
        width: 1fr;
        height: auto;
        & > .timer-lines--phase { color: $primary; }
        & > .timer-lines--routine { color: $secondary; }
        & > .timer-lines--track { color: $foreground 15%; }
    }
    """
    _BAR_STYLES = ("timer-lines--phase", "timer-lines--routine")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._words: dict[str, str] = {"name": "", "where": "", "left": "", "next": ""}
        self._bars: tuple[Bar, Bar] = ((1, 0), (1, 0))
        self._drawn: tuple[int, ...] | None = None
        self._drawn_parts: dict[str, tuple[object, list[Strip]]] = {}

    @property
    def words(self) -> dict[str, str]:
        """The text of each row ("name", "where", "left", "next"), as last given."""
        return dict(self._words)

    @property
    def bars(self) -> tuple[Bar, Bar]:
        """The phase's bar and the routine's, as last given."""
        return self._bars

    def halves(self, width: int | None = None) -> tuple[int, ...]:
        """The half-cells each bar fills at `width` (the widget's own width by default)."""
        cells = self.content_size.width if width is None else width
        return tuple(half_cells(total, done, cells) for total, done in self._bars)

    def update(
        self,
        *,
        name: str,
        where: str,
        bars: tuple[Bar, Bar],
        left: str,
        next_text: str,
    ) -> None:
        """Show these rows, redrawing only those that changed (a bar: only when it gains or
        loses a half-cell)."""
        width = self.content_size.width if self.is_mounted else 0
        self._bars = bars
        dirty = [ROWS["bars"]] if self.halves(width) != self._drawn else []
        for key, text in (("name", name), ("where", where), ("left", left)):
            if self._words[key] != text:
                self._words[key] = text
                dirty.append(ROWS[key])
        if self._words["next"] != next_text:
            old_rows = self.next_row_count(width) if width else 0
            self._words["next"] = next_text
            rows = self.next_row_count(width) if width else 0
            if rows != old_rows:
                self.refresh(layout=True)
                return
            dirty.append((NEXT_ROW, rows))
        if dirty and width:
            self.refresh(*(Region(0, top, width, count) for top, count in dirty))
        elif dirty:
            self.refresh()

    def next_row_count(self, width: int) -> int:
        """The rows what comes next takes at `width` (see the class's docstring)."""
        styles = self.get_component_styles("timer-lines--next")
        kept = styles.height.cells if styles.height is not None else None
        rows = kept if kept is not None else len(next_rows(self._words["next"], width))
        most = styles.max_height.cells if styles.max_height is not None else None
        return max(0, min(rows, NEXT_MAX_ROWS, NEXT_MAX_ROWS if most is None else most))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return NEXT_ROW + self.next_row_count(width) if width else 0

    def _parts(self, width: int) -> list[tuple[str, int, int]]:
        """(part, first row, rows) of every part at `width`, top to bottom."""
        parts = [(part, top, rows) for part, (top, rows) in ROWS.items()]
        return [*parts, ("next", NEXT_ROW, self.next_row_count(width))]

    def _part(self, part: str, rows: int, width: int) -> Content:
        """The rows of one part at `width`: a line of words, both bars, or what comes next."""
        if part == "bars":
            self._drawn = self.halves(width)
            track = self.get_visual_style("timer-lines--track")
            bars = []
            for halves, component in zip(self._drawn, self._BAR_STYLES, strict=True):
                filled, empty = bar_text(halves, width)
                bars.append(
                    Content.assemble((filled, self.get_visual_style(component)), (empty, track))
                )
            return Content("\n").join(bars)
        if part == "next":
            # a row kept for what comes next but not needed is left to Textual's blank fill
            return Content("\n").join(next_rows(self._words["next"], width)[:rows])
        return one_row(self._words[part], width)

    def render(self) -> Content:
        """Every row as one text (what is drawn, part by part, in `render_line`)."""
        width = self.content_size.width
        parts = self._parts(width)
        return Content("\n").join(self._part(part, rows, width) for part, _, rows in parts if rows)

    def render_line(self, y: int) -> Strip:
        # Textual asks only for the rows marked dirty: drawing just the part that holds row `y`
        # keeps a second's redraw to one row, where rendering the whole text would draw seven
        if self.text_selection is not None:
            return super().render_line(y)  # a selection runs across parts: the whole text
        width = self.content_size.width
        style = self.visual_style
        for part, top, rows in self._parts(width):
            if top <= y < top + rows:
                strips = self._strips(part, rows, width, style)
                if y - top < len(strips):
                    return strips[y - top]
        return Strip.blank(width, style.rich_style)

    def _strips(self, part: str, rows: int, width: int, style: VisualStyle) -> list[Strip]:
        """The drawn rows of `part`, drawn again only when its words, bars or style changed
        (the second row of a bar or of what comes next comes from the first one's drawing)."""
        content = self._part(part, rows, width)
        key = (width, rows, style, content.plain, content.spans)
        drawn = self._drawn_parts.get(part)
        if drawn is None or drawn[0] != key:
            drawn = key, Visual.to_strips(self, content, width, rows, style)
            self._drawn_parts[part] = drawn
        return drawn[1]

    def on_resize(self) -> None:
        self._drawn = None
        self.refresh()


__all__ = ["TimerLines", "bar_text", "half_cells", "next_lines"]
