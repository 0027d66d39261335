"""The problems found in routine files, worded as `unknot check` words them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from tui.ui.literal import literal
from tui.ui.screens.dialog import Dialog


class ProblemsScreen(Dialog[None]):
    """One problem a line, shown literally (file names and values come from the files)."""

    DEFAULT_CSS = """
    #problems-box {
        width: 76;
        max-width: 100%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,exclamation_mark", "close", "Close", id="problems.close"),
    ]

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__()
        self._problems = tuple(problems)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems-box", classes="dialog"):
            yield Label("Problems in routine files", classes="dialog-title")
            if self._problems:
                body = Content("\n").join(literal(p) for p in self._problems)
                yield Static(body, id="problems-list")
                yield Label(
                    "Routines with problems were left out; the others work.",
                    classes="dialog-note",
                    markup=False,
                )
            else:
                yield Label("No problems: every routine file loaded.", markup=False)
            yield Label("Escape closes this screen.", classes="dialog-note", markup=False)
