"""The history screen (key h): streak, this week, total minutes, a per-day chart, pain trend
and recent sessions, as `unknot history` prints them.

It opens with a line saying what is being read, and fills in when the app's reading (in a
thread: years of history without an index take a second or more) hands it the result; when
an index makes the reading quick, the app opens it a moment later, already filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, Sparkline, Static

from tui.store.history.index import HistoryLoad
from tui.store.history.report import render_text
from tui.store.history.stats import Stats
from tui.ui.literal import literal
from tui.ui.screens.dialog import Dialog


class HistoryScreen(Dialog[None]):
    """Read-only; Escape, q or h closes it, also while it is reading. Up/Down and
    PageUp/PageDown scroll."""

    DEFAULT_CSS = """
    #history-box {
        width: 76;
        max-width: 100%;
    }

    #history-chart {
        height: 2;
        margin-bottom: 1;
    }

    #history-plan {
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,h", "close", "Close", id="history.close"),
    ]

    def __init__(self, today: date, reading: str = "Reading the history…") -> None:
        super().__init__()
        self.today = today
        self.reading = reading
        self.load: HistoryLoad | None = None
        self.stats: Stats | None = None
        """Both None until the reading is done."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history-box", classes="dialog"):
            yield Label("History", classes="dialog-title")
            yield Label(self.reading, id="history-reading", markup=False)
            yield Label("Escape closes this screen.", classes="dialog-note", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        if self.load is not None and self.stats is not None:
            self._show(self.load, self.stats)

    def fill(self, load: HistoryLoad, stats: Stats, plan: Sequence[str] = ()) -> None:
        """Show what was read, in place of the reading line; `plan`: the lines on the days the
        routine's plan was met (tui.core.plan_view.met_lines)."""
        self.load, self.stats, self.plan = load, stats, tuple(plan)
        if self.is_mounted:
            self._show(load, stats)

    plan: tuple[str, ...] = ()

    def _show(self, load: HistoryLoad, stats: Stats) -> None:
        reading = self.query("#history-reading")
        if not reading:
            return  # shown already
        widgets: list[Widget] = []
        if load.entries:
            widgets += [
                Label(f"Minutes per day since {stats.days[0].day:%d %b}", markup=False),
                Sparkline([d.minutes for d in stats.days], id="history-chart"),
            ]
        # names in the history come from routine files: shown literally
        widgets.append(Static(literal(render_text(load, stats)), id="history-text"))
        if self.plan:  # the days the routine's plan was met, below the figures
            widgets.append(Static(literal("\n".join(self.plan)), id="history-plan"))
        self.query_one(VerticalScroll).mount_all(widgets, before=reading.first())
        reading.remove()
