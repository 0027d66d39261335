"""The sidebar: the routine's stretches in order, each marked not started, in progress or done."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets.option_list import Option

from tui.core.model import Routine
from tui.ui.literal import clean
from tui.ui.widgets.option_list import SafeOptionList

State = Literal["not-started", "in-progress", "done"]

# Marks readable without colour (NO_COLOR) and in light and dark themes alike.
MARKS: dict[str, str] = {"not-started": "○", "in-progress": "◐", "done": "✓"}
MARK_STYLES: dict[str, str] = {"in-progress": "bold $text-warning", "done": "$text-success"}
MAX_ROWS = 12
"""The most stretches shown at once; a longer list scrolls, and follows the routine."""
STATE_WORDS: dict[str, str] = {
    "not-started": "not started",
    "in-progress": "in progress",
    "done": "done",
}


def stretch_prompt(position: int, name: str, state: str) -> Content:
    """One row of the list: its mark, number and name, with the name shown literally."""
    return Content.assemble(
        (MARKS.get(state, "?"), MARK_STYLES.get(state, "")),
        f" {position}. ",
        clean(name),
    )


class StretchList(SafeOptionList):
    """The stretches of the routine; the highlighted one is the one the keys act on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        # a page of a list this short is its end: PgDn / PgUp scroll the stretch's words
        # instead, as the app's own keys do where the list has no focus
        Binding("pagedown", "app.scroll_words(1)", "Scroll words", show=False, id="list.words"),
        Binding("pageup", "app.scroll_words(-1)", "Scroll words", show=False, id="list.words-up"),
    ]

    def __init__(self, routine: Routine, *, id: str | None = None) -> None:
        self._states: list[str] = ["not-started"] * len(routine.stretches)
        self._names = [s.name for s in routine.stretches]
        super().__init__(
            *(
                Option(stretch_prompt(i + 1, name, "not-started"), id=f"stretch-{i}")
                for i, name in enumerate(self._names)
            ),
            id=id,
        )
        self.highlighted = 0 if self._names else None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Its rows, at most MAX_ROWS, and none that the widgets below it need at the least:
        a long list must not push the timer that shares its column off the screen."""
        rows = min(super().get_content_height(container, viewport, width), MAX_ROWS)
        parent = self.parent
        if not isinstance(parent, Widget) or parent.styles.is_auto_height:
            return rows  # a column as tall as its content: nothing to share
        needed = sum(
            (sibling.styles.min_height.cells or 0) if sibling.styles.min_height else 0
            for sibling in parent.children
            if sibling is not self and sibling.display
        )
        return max(1, min(rows, container.height - needed))

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(self._states)

    def set_states(self, states: tuple[str, ...]) -> None:
        """Mark each stretch; only the rows whose state changed are redrawn."""
        for index, state in enumerate(states[: len(self._states)]):
            if self._states[index] != state:
                self._states[index] = state
                self.replace_option_prompt_at_index(
                    index, stretch_prompt(index + 1, self._names[index], state)
                )

    def select_index(self, index: int) -> None:
        """Highlight stretch `index` (clamped), scrolling it into view."""
        if not self._names:
            return
        index = max(0, min(index, len(self._names) - 1))
        if self.highlighted != index:
            self.highlighted = index
