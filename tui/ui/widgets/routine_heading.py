"""The top line: the routine's name and length on the left, its state on the right.

One widget draws both parts (a container with two labels cost three widgets at start-up). The
state ("adjusted", "not saved", ...) always shows in full; the name gives way, ending in "…".
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widget import Widget

from tui.ui.literal import literal


def fit_heading(name: Content, status: str, width: int) -> tuple[Content, Content]:
    """`name` cut to leave room for `status` and a space in `width` cells, and the padding
    that pushes `status` to the right edge."""
    room = width - (len(status) + 1 if status else 0)
    if name.cell_length > room:
        name = name.truncate(room, ellipsis=True) if room > 0 else Content("")
    gap = max(0, width - name.cell_length - len(status))
    return name, Content(" " * gap)


class RoutineHeading(Widget):
    """The routine's name and total time, and the words of its state at the right edge."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"routine-heading--status"}
    DEFAULT_CSS = """
    RoutineHeading {
        height: 1;
        padding: 0 1;
        & > .routine-heading--status { color: $text-warning; }
    }
    """

    def __init__(self, heading: Content, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._heading = heading
        self._status = ""
        self._progress = ""
        """Today against the plan ("today 1 of 2"), shown in full before the state."""

    @property
    def heading(self) -> Content:
        return self._heading

    @property
    def status(self) -> str:
        return self._status

    @property
    def progress(self) -> str:
        return self._progress

    def update(
        self, heading: Content | None = None, status: str | None = None, progress: str | None = None
    ) -> None:
        """Change the heading, the state, today's progress, or any of them; a redraw only when
        one changed."""
        changed = False
        if heading is not None and heading != self._heading:
            self._heading, changed = heading, True
        if status is not None and status != self._status:
            self._status, changed = status, True
        if progress is not None and progress != self._progress:
            self._progress, changed = progress, True
        if changed:
            self.refresh()

    def render(self) -> Content:
        status = literal(self._status).plain
        between = "  " if status and self._progress else ""
        right = f"{self._progress}{between}{status}"
        name, gap = fit_heading(self._heading, right, self.content_size.width)
        style = self.get_visual_style("routine-heading--status")
        return Content.assemble(name.stylize("bold"), gap, self._progress, between, (status, style))

    @property
    def plain(self) -> str:
        """The words shown, for tests: the heading, today's progress and the state."""
        parts = [self._heading.plain, self._progress, self._status]
        return "  ".join(part for part in parts if part)


__all__ = ["RoutineHeading", "fit_heading"]
