"""The last notices, the newest first: a notice goes by in seconds, often while the person is
on the floor, and in a small window it is told a row at a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from tui.ui.literal import clean
from tui.ui.notices import Said
from tui.ui.screens.dialog import Dialog


def said_words(said: Said) -> Content:
    """One notice as a paragraph: when, its title in bold, and its words ("08:10 Settings: ...").
    Words said with markup keep their styles; the rest are shown as written."""
    notification = said.notification
    message = (
        Content.from_markup(notification.message)
        if notification.markup
        else Content(clean(notification.message))
    )
    title = clean(notification.title)
    return Content.assemble(
        (f"{said.at:%H:%M}", "dim"),
        " ",
        *((title, "bold"), ": ") if title else (),
        message,
    )


class RecentNotices(Dialog[None]):
    """The notices kept by tui.ui.notices, the newest first, a blank row between two."""

    DEFAULT_CSS = """
    #notices-box {
        width: 76;
        max-width: 100%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,i", "close", "Close", id="notices.close"),
    ]

    def __init__(self, said: Sequence[Said]) -> None:
        super().__init__()
        self._said = tuple(said)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="notices-box", classes="dialog"):
            yield Label("The last notices", classes="dialog-title")
            if self._said:
                newest_first = [said_words(said) for said in reversed(self._said)]
                yield Static(Content("\n\n").join(newest_first), id="notices-list")
            else:
                yield Label("No notices yet.", markup=False)
            yield Label("Escape closes this screen.", classes="dialog-note", markup=False)
