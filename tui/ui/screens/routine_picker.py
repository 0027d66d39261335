"""Choose another routine when more than one is installed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.core.model import Routine, format_duration, routine_seconds
from tui.ui.literal import template
from tui.ui.screens.dialog import Dialog
from tui.ui.widgets.option_list import SafeOptionList


class RoutinePicker(Dialog[str | None]):
    """Dismisses with the chosen routine's id, or None on Escape."""

    DEFAULT_CSS = """
    #picker-box {
        width: 60;
        max-width: 100%;
    }

    #picker-list {
        height: auto;
        max-height: 12;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="picker.close"),
        Binding("j", "move(1)", "Down", show=False, id="picker.down"),
        Binding("k", "move(-1)", "Up", show=False, id="picker.up"),
    ]

    def __init__(self, routines: Sequence[Routine], current: str) -> None:
        super().__init__()
        self._routines = tuple(routines)
        self._current = current
        self._list = SafeOptionList(id="picker-list")

    def compose(self) -> ComposeResult:
        options = [
            Option(
                template(
                    "$name [dim]· $n stretches · $time[/dim]",
                    name=routine.name,
                    n=str(len(routine.stretches)),
                    time=format_duration(routine_seconds(routine)),
                ),
                id=routine.id,
            )
            for routine in self._routines
        ]
        with Vertical(id="picker-box", classes="dialog"):
            yield Label("Routines", classes="dialog-title")
            self._list.add_options(options)
            yield self._list
            yield Label("Enter: open · Escape: close", classes="dialog-note", markup=False)

    def on_mount(self) -> None:
        picker = self._list
        ids = [routine.id for routine in self._routines]
        if self._current in ids:
            picker.highlighted = ids.index(self._current)
        picker.focus()

    def action_move(self, step: int) -> None:
        picker = self._list
        picker.action_cursor_down() if step > 0 else picker.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.close(event.option.id)
