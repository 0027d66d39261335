"""The help screen: every key of the app, so nothing has to be guessed or clicked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from tui.ui.screens.dialog import Dialog


class HelpScreen(Dialog[None]):
    """A list of (keys, what they do); Escape, ? or q closes it."""

    DEFAULT_CSS = """
    /* Every key must fit 80x24 without scrolling: no border, no blank lines. */
    #help-box {
        width: 80;
        max-width: 100%;
        border: none;
        padding: 0 1;

        .dialog-title, .dialog-note {
            margin: 0;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close help", id="help.close"),
    ]

    def __init__(self, keys: Sequence[tuple[str, str]], notes: Sequence[str] = ()) -> None:
        super().__init__()
        self._keys = tuple(keys)
        self._notes = tuple(notes)

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self._keys), default=0)
        lines = [
            Content.assemble((keys.ljust(width), "bold"), "  ", words) for keys, words in self._keys
        ]
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Label("Keys", classes="dialog-title")
            yield Static(Content("\n").join(lines), id="help-keys")
            for note in self._notes:
                yield Label(note, classes="dialog-note", markup=False)
