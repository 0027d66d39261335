"""The summary at the end: what was done, from the engine's own count."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from tui.core.model import format_duration
from tui.core.summary import StretchSummary, Summary
from tui.ui.literal import template
from tui.ui.screens.dialog import Dialog


def reps_words(stretch: StretchSummary) -> str:
    """Reps done against the plan: "3/3 right, 2/3 left", and what was skipped."""
    done = stretch.reps_done
    if set(done) <= {"none"}:
        text = f"{done.get('none', 0)}/{stretch.reps_planned} reps"
    else:
        text = ", ".join(
            f"{done.get(side, 0)}/{stretch.reps_planned} {side}" for side in ("right", "left")
        )
    if stretch.reps_skipped:
        text += f", {stretch.reps_skipped} skipped"
    return text


def summary_content(summary: Summary) -> Content:
    """The summary as lines: one for the routine, one per stretch, one for the time."""
    verdict = "Routine done" if summary.finished else "Routine stopped"
    lines = [template(f"[b]{verdict}:[/b] $name", name=summary.routine_name)]
    for stretch in summary.stretches:
        lines.append(
            template(
                "$mark [b]$name[/b] · $reps · hold $hold s",
                mark="✓" if stretch.reps_skipped == 0 and _complete(stretch) else "·",
                name=stretch.name,
                reps=reps_words(stretch),
                hold=str(stretch.hold_seconds),
            )
        )
    time = f"Time: {format_duration(summary.total_seconds)}"
    if summary.paused_seconds >= 1:
        time += f" (paused {format_duration(summary.paused_seconds)})"
    lines.append(Content(time))
    return Content("\n").join(lines)


def _complete(stretch: StretchSummary) -> bool:
    return bool(stretch.reps_done) and all(
        count >= stretch.reps_planned for count in stretch.reps_done.values()
    )


class SummaryScreen(Dialog[None]):
    """Shown when the routine ends; Escape or Enter returns to the main screen, Space starts
    the routine again, q quits."""

    DEFAULT_CSS = """
    #summary-box {
        width: 76;
        max-width: 100%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="summary.close"),
        Binding("space", "again", "Again", id="summary.again"),
        # the App's own q does nothing while a dialog is open: the note promises it here
        Binding("q", "app.request_quit", "Quit", id="summary.quit"),
    ]

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary

    def action_again(self) -> None:
        """Close the summary and start the routine again from the selected stretch."""
        self.close(None)
        self.app.call_later(self.app.run_action, "space")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-box", classes="dialog"):
            yield Label("Summary", classes="dialog-title")
            yield Static(summary_content(self.summary), id="summary-body")
            yield Label(
                "Escape: back · Space: again · q: quit", classes="dialog-note", markup=False
            )
