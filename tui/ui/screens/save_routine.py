"""Save the adjusted routine as the person's own copy: the same id (overrides the built-in) or
a new one typed here."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import Input, Label

from tui.core.model import ROUTINE_ID_PATTERN
from tui.ui.screens.dialog import Dialog

SHORT_BELOW = 18
"""Below this many rows the dialog drops its blank rows and shows the id without a frame:
at 40x12 its last line, which says Enter saves, was cut off."""


class SaveRoutineScreen(Dialog[str | None]):
    """Dismisses with the id to save under, or None on Escape."""

    DEFAULT_CSS = """
    #save-box {
        width: 76;
        max-width: 100%;

        Label {
            width: 100%;
        }

        #save-error {
            display: none;
        }

        #save-error.-said {
            display: block;
        }
    }

    /* a short window: no blank rows, the id on one row, so every line stays in sight */
    SaveRoutineScreen.-short #save-box {
        .dialog-title {
            margin-bottom: 0;
        }

        .dialog-note {
            margin-top: 0;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", id="save.cancel", priority=True),
    ]

    def __init__(self, routine_id: str) -> None:
        super().__init__()
        self._id = routine_id
        self._input = Input(value=routine_id, id="save-id", max_length=80)
        self._error = Label("", id="save-error", markup=False)

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box", classes="dialog"):
            yield Label("Save this routine as your own", classes="dialog-title")
            yield Label(
                f"Keep the id {self._id} to use your copy instead of it, or type a new id.",
                markup=False,
            )
            yield self._input
            yield self._error
            yield Label("Enter: save · Escape: cancel", classes="dialog-note", markup=False)

    def on_mount(self) -> None:
        self._input.focus()
        self._fit(self.app.size.height)

    def on_resize(self, event: Resize) -> None:
        super().on_resize(event)
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        short = height < SHORT_BELOW
        self.set_class(short, "-short")
        self._input.compact = short

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        wanted = event.value.strip()
        if not ROUTINE_ID_PATTERN.match(wanted) or wanted.endswith(".toml"):
            self._error.update(
                "An id is letters, digits, spaces, - _ and . (it becomes the file name)."
            )
            self._error.add_class("-said")
            return
        self.close(wanted)
