"""The history screen (key h): streak, this week, total minutes, a per-day chart, pain trend
and recent sessions, as `unknot history` prints them."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Label, Sparkline, Static

from tui.history import HistoryLoad, Stats, render_text
from tui.screens.dialog import Dialog
from tui.widgets.safe import literal


class HistoryScreen(Dialog[None]):
    """Read-only; Escape, q or h closes it. Up/Down and PageUp/PageDown scroll."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,h", "close", "Close", id="history.close"),
    ]

    def __init__(self, load: HistoryLoad, stats: Stats, today: date) -> None:
        super().__init__()
        self.load = load
        self.stats = stats
        self.today = today

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history-box", classes="dialog"):
            yield Label("History", classes="dialog-title")
            if self.load.entries:
                yield Label(f"Minutes per day since {self.stats.days[0].day:%d %b}", markup=False)
                yield Sparkline([d.minutes for d in self.stats.days], id="history-chart")
            # names in the history come from routine files: shown literally
            yield Static(literal(render_text(self.load, self.stats)), id="history-text")
            yield Label("Escape closes this screen.", classes="dialog-note", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
