"""Asks before a save replaces a routine file of the person's: it names the file and the routine
in it, and says that the old file is kept beside it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label

from tui.ui.screens.dialog import Dialog


class ReplaceRoutineScreen(Dialog[bool]):
    """Dismisses with True to replace the file, False (or None) to leave it alone."""

    DEFAULT_CSS = """
    #replace-box {
        width: 76;
        max-width: 100%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Replace", id="replace.yes", priority=True),
        Binding("n,escape", "answer(False)", "Keep it", id="replace.no", priority=True),
    ]

    def __init__(self, shown_file: str, routine_name: str | None, problem: str | None) -> None:
        super().__init__()
        self._file = shown_file
        if routine_name is not None:
            self._holds = f"It holds your routine “{routine_name}”."
        else:
            self._holds = f"It could not be read as a routine ({problem or 'unknown problem'})."

    def compose(self) -> ComposeResult:
        with Vertical(id="replace-box", classes="dialog"):
            yield Label("Replace your routine file?", classes="dialog-title")
            yield Label(self._file, id="replace-file", markup=False)
            yield Label(self._holds, id="replace-holds", markup=False)
            yield Label(
                "y: replace it (the old file is kept beside it)\nn / Escape: keep it",
                classes="dialog-note",
                markup=False,
            )

    def action_answer(self, replace: bool) -> None:
        self.close(replace)
