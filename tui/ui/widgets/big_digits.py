"""The countdown numerals, as large as the space they are given allows.

The scale is chosen for the widest face the phase can show (its `template`), so the numerals
keep one size for a whole phase; the face is centred in the widget (a lone 9 in a big panel
would look lost at the right edge of a two-digit box). An update repaints only the cells that
changed (Textual resends each line of that region from the widget's left edge): a second that
turns 45 into 44 sends the rows of the face up to the last digit, not the blank rows around.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from tui.ui.widgets.glyphs import fit_scale, render, rows_at, text_size

MIN_GLYPHS = 2
"""The scale is chosen as if the face had at least this many digits: a 5 s get-ready is drawn
no bigger than the 30 s hold after it."""
AUTO_SHARE = 0.35
"""With its height left to its content, the numerals take at most this share of the window's
rows (and never less than scale 1): the compact layout keeps room for the steps below."""


class BigDigits(Widget):
    """A time such as "9", "45" or "12:30" in block numerals sized to fit."""

    DEFAULT_CSS = """
    BigDigits {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, value: str = "", *, template: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self._value = value
        self._template = template
        self._lines: tuple[str, ...] = ()
        self._lines_for: tuple[str, str, int, int] | None = None

    @property
    def value(self) -> str:
        return self._value

    @property
    def template(self) -> str:
        """The widest face the numerals make room for (at least the value itself)."""
        return self._template if len(self._template) >= len(self._value) else self._value

    @property
    def scale(self) -> int:
        """The scale the numerals are drawn at in the widget's current size."""
        return fit_scale(self._sizing, *self._room())

    @property
    def _sizing(self) -> str:
        return self.template.rjust(MIN_GLYPHS, "8")

    def update(self, value: str, template: str | None = None) -> None:
        """Show `value`; a new `template` may change the scale (a new phase), a value never does."""
        old_template = self.template
        self._value = value
        if template is not None:
            self._template = template
        if self.template != old_template or not self._lines:
            self._lines_for = None
            self.refresh(layout=self.styles.height is not None and self.styles.height.is_auto)
            return
        old = self._lines
        new = self._render_lines()
        changed = _changed_region(old, new)
        if changed is not None:
            self.refresh(changed)

    def _room(self) -> tuple[int, int]:
        size = self.content_region.size
        return size.width, size.height

    def _render_lines(self) -> tuple[str, ...]:
        """Every row of the content, full width: the face centred, the value right-aligned."""
        width, height = self._room()
        key = (self._value, self.template, width, height)
        if key == self._lines_for:
            return self._lines
        scale = fit_scale(self._sizing, width, height)
        value_width, box_height = text_size(self._value, scale)
        left = max(0, (width - value_width) // 2)
        top = max(0, (height - box_height) // 2)
        face = render(self._value, scale)
        blank = " " * width
        lines = [blank] * height
        for row, text in enumerate(face):
            if top + row < height:
                lines[top + row] = (" " * left + text + blank)[:width]
        self._lines, self._lines_for = tuple(lines), key
        return self._lines

    def render_line(self, y: int) -> Strip:
        lines = self._render_lines()
        width = self._room()[0]
        text = lines[y] if 0 <= y < len(lines) else " " * width
        return Strip([Segment(text, self.rich_style)], width)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return text_size(self._sizing, 1)[0]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        budget = max(rows_at(1), int(viewport.height * AUTO_SHARE))
        return rows_at(max(1, fit_scale(self._sizing, width, budget)))

    def on_resize(self) -> None:
        self._lines_for = None


def _changed_region(old: tuple[str, ...], new: tuple[str, ...]) -> Region | None:
    """The smallest region holding every cell where `new` differs from `old`, or None."""
    if len(old) != len(new) or any(len(a) != len(b) for a, b in zip(old, new, strict=True)):
        width = max((len(line) for line in new), default=0)
        return Region(0, 0, width, len(new)) if width else None
    rows = [y for y, (before, after) in enumerate(zip(old, new, strict=True)) if before != after]
    if not rows:
        return None
    start, end = len(new[0]), 0
    for y in rows:
        pairs = list(zip(old[y], new[y], strict=True))
        start = min(start, next(x for x, (a, b) in enumerate(pairs) if a != b))
        end = max(end, len(pairs) - next(x for x, (a, b) in enumerate(reversed(pairs)) if a != b))
    return Region(start, rows[0], end - start, rows[-1] - rows[0] + 1)
