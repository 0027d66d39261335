"""Asks before quitting while a routine runs, so a stray q does not lose the session."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label

from tui.ui.screens.dialog import Dialog


class QuitConfirm(Dialog[bool]):
    """Dismisses with True to quit, False to carry on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Ctrl+C and Ctrl+Q again also say yes: the App's priority bindings hear them first
        # (UnknotApp.action_request_quit)
        Binding("y,enter,q", "answer(True)", "Quit", id="quit.yes", priority=True),
        Binding("n,escape", "answer(False)", "Keep going", id="quit.no", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-box", classes="dialog"):
            yield Label("Quit while the routine is running?", classes="dialog-title")
            yield Label("y / Enter: quit    n / Escape: keep going", markup=False)

    def action_answer(self, quit_: bool) -> None:
        if quit_:
            # quit from here, with this dialog still up: exiting while its pop is pending
            # leaves textual 8.2.8 waiting forever on the half-removed screen
            quit_now = getattr(self.app, "quit_now", self.app.exit)
            quit_now()
        else:
            self.close(False)
