"""Asked at quit when the disk refused something: what is not saved, and whether to stay (it is
tried again) or quit (a copy goes to another folder, named when unknot ends)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label

from tui.ui.screens.dialog import Dialog


class UnsavedScreen(Dialog[bool]):
    """Dismisses with False to stay; quitting calls `on_quit` with the dialog still up."""

    DEFAULT_CSS = """
    #unsaved-box {
        width: 72;
        max-width: 100%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter,q", "quit", "Quit, keep a copy", id="unsaved.quit", priority=True),
        Binding("n,escape", "stay", "Stay", id="unsaved.stay", priority=True),
    ]

    def __init__(self, words: str, on_quit: Callable[[], None]) -> None:
        super().__init__()
        self._words = words
        self._on_quit = on_quit

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-box", classes="dialog"):
            yield Label("Not saved: the disk refused it", classes="dialog-title")
            yield Label(self._words, id="unsaved-what", markup=False)
            yield Label(
                "n / Escape: stay (tried again every 30 s)\n"
                "y / Enter: quit and keep a copy elsewhere",
                classes="dialog-note",
                markup=False,
            )

    def action_stay(self) -> None:
        self.close(False)

    def action_quit(self) -> None:
        # from here, with the dialog still up: exiting while its pop is pending leaves
        # textual 8.2.8 waiting forever on the half-removed screen (as QuitConfirm does)
        self._on_quit()
