"""A second start-up baseline: unknot's main screen rebuilt from stock Textual widgets.

The same containers, the same number of widgets in the same places, the same stylesheet
(tui/ui/app.tcss) and key bar, filled with fixed text; no project code is imported. What this app
costs beyond the bare one is what Textual charges for a screen like unknot's, before any of
unknot's own work: the floor under unknot's start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, Static

MARKER = "Same layout as unknot"
STYLESHEET = Path(__file__).resolve().parents[2] / "tui" / "ui" / "app.tcss"
KEYS = ("space", "question_mark", "l", "n", "p", "r", "m", "q")
WORDS = ("Start/Pause", "Help", "List", "Next", "Back", "Restart", "Mute", "Quit")
DETAIL = "\n".join(
    [
        "First stretch",
        "Plan: hold 30 s · 3 reps each side (recommended 20-30 s)",
        "Targets: lower back, hips",
        "Start: lying on your back, knees bent, feet flat",
    ]
    + [f"{n}. A step of the stretch, about as long as a real one is." for n in (1, 2, 3)]
    + ["Tip: breathe out slowly as the stretch deepens.", "Tip: stop at any sharp pain."]
)

BAR = "━" * 25
LINES = "\n".join(
    (
        "First stretch",
        "",
        BAR,
        BAR,
        "6 min 38 s left · stretch 1/4",
        "Then: Hold right side, rep 1 of 3",
        "",
    )
)
"""The rows under the numerals, which unknot draws as one widget."""


class SameLayoutApp(App[None]):
    """unknot's widget tree with stock widgets and fixed words."""

    CSS_PATH = str(STYLESHEET)
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, "bell", words) for key, words in zip(KEYS, WORDS, strict=True)),
        Binding("ctrl+p", "command_palette", "Palette", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(f"{MARKER} · 6 min 38 s", id="heading")
        with Horizontal(id="main"):
            with Vertical(id="side"):
                rows = (f"○ {n}. Stretch number {n}" for n in range(1, 5))
                yield OptionList(*rows, id="stretches")
                with Vertical(id="timer"):
                    yield Static("Ready? press Space", id="phase")
                    yield Static("█▀▀ █▀▀\n█ █ ▀▀█\n▀▀▀ ▀▀▀", id="count")
                    yield Static(LINES, id="lines")
            with VerticalScroll(id="detail"):
                yield Static(DETAIL, id="detail-body")
        yield Footer(compact=True)


if __name__ == "__main__":
    SameLayoutApp().run()
