"""The notice line: a notice in one row over the heading, where a toast would cover the timer.

In a small window (40x12 over SSH from a phone) Textual's toast, up to half the window wide in
the bottom right corner, hid the countdown's numerals, the phase and the stretch under way for
the notice's whole time. This row takes the heading's place instead, on a layer of its own, so
nothing under it moves; what it shows, and when, is tui.ui.notice_band's to say.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widget import Widget

SEVERITIES = ("information", "warning", "error")


class NoticeLine(Widget):
    """One row of a notice (a page of its words), and which row of how many it is."""

    EDGES = 3
    """Cells the line keeps for itself: the severity's mark on the left and a space each side."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"notice-line--count"}
    DEFAULT_CSS = """
    NoticeLine {
        layer: notices;
        dock: top;
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel-lighten-1;
        border-left: outer $success;
        display: none;

        &.-warning { border-left: outer $warning; }
        &.-error { border-left: outer $error; }
        &:ansi { background: $ansi-background; }
        & > .notice-line--count { color: $text-muted; }
    }
    """

    def __init__(self) -> None:
        super().__init__(id="notice-line")
        self._page = Content("")
        self._count = ""

    def show(self, page: Content, count: str, severity: str) -> None:
        """Show `page`, with `count` ("2/3") at the right edge when there is more than one."""
        for name in SEVERITIES:
            self.set_class(name == severity, f"-{name}")
        self._page, self._count = page, count
        self.display = True
        self.refresh()

    def hide(self) -> None:
        self.display = False

    @property
    def plain(self) -> str:
        """The words shown, for tests; empty while hidden."""
        return f"{self._page.plain} {self._count}".strip() if self.display else ""

    def render(self) -> Content:
        if not self._count:
            return self._page
        gap = max(1, self.content_size.width - self._page.cell_length - len(self._count))
        style = self.get_visual_style("notice-line--count")
        return Content.assemble(self._page, " " * gap, (self._count, style))


__all__ = ["NoticeLine"]
