"""Offers to carry on where an unfinished session stopped."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label

from tui.ui.screens.dialog import Dialog


class ResumePrompt(Dialog[bool]):
    """Dismisses with True to resume, False to start over."""

    DEFAULT_CSS = """
    #resume-box {
        width: 76;
        max-width: 100%;

        Label {
            width: 100%;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "answer(True)", "Resume", id="resume.yes", priority=True),
        Binding("escape,n", "answer(False)", "Start over", id="resume.no", priority=True),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="resume-box", classes="dialog"):
            yield Label(self._question, classes="dialog-title", markup=False)
            yield Label("Enter resume / Esc start over", markup=False)

    def action_answer(self, resume: bool) -> None:
        self.close(resume)

    def on_key(self, event: events.Key) -> None:
        """A key that does not answer (typed ahead to start, perhaps): say which keys do.

        The answers are priority bindings, so only other keys come this far."""
        event.stop()
        self.notify("Enter: resume · Escape: start over", timeout=4, markup=False)
