"""How does the back feel? One key, 0 to 9 or t for 10; Enter skips."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label

from tui.ui.screens.dialog import Dialog

SKIPPED = -1
"""The dialog's result when the person skips the question (None means it was closed unasked)."""


def _digit_bindings() -> list[BindingType]:
    return [
        Binding(str(n), f"score({n})", str(n), show=False, id=f"pain.{n}", priority=True)
        for n in range(10)
    ]


class PainScreen(Dialog[int]):
    """Dismisses with the score 0-10, or SKIPPED."""

    DEFAULT_CSS = """
    #pain-box {
        width: 60;
        max-width: 100%;

        Label {
            width: 100%;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *_digit_bindings(),
        Binding("t", "score(10)", "10", show=False, id="pain.10", priority=True),
        Binding("enter,escape", "score(-1)", "Skip", id="pain.skip", priority=True),
    ]

    def __init__(self, when: str) -> None:
        super().__init__()
        self._when = when

    def compose(self) -> ComposeResult:
        with Vertical(id="pain-box", classes="dialog"):
            yield Label(f"How does your back feel {self._when}?", classes="dialog-title")
            yield Label("0 none ... 9, t = 10 worst", markup=False)
            yield Label("Enter skips", markup=False)

    def action_score(self, score: int) -> None:
        self.close(score)
