"""The start-up baseline: a Static and a Footer, no project code.

`python -m bench.baselines.bare_app` shows MARKER, which the benchmarks wait for. Up and Down
rewrite the Static, the least a key can change on screen, which is the key-latency baseline.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

MARKER = "Bare Textual app"


class BareApp(App[None]):
    """As little as a Textual app can be while still drawing a screen and a key bar."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("down", "count(1)", "Down", show=False),
        Binding("up", "count(-1)", "Up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.position = 0
        self.text = Static(MARKER)

    def compose(self) -> ComposeResult:
        yield self.text
        yield Footer()

    def action_count(self, step: int) -> None:
        self.position += step
        self.text.update(f"{MARKER} at {self.position}")


if __name__ == "__main__":
    BareApp().run()
