"""The bytes-on-the-wire baseline: the bare app plus a Digits countdown redrawn once a second.

Space pauses and resumes the countdown, so the same key stream works for it and for unknot.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Digits, Footer, Static

from bench.baselines.bare_app import MARKER

START_SECONDS = 3600


def clock_face(seconds: int) -> str:
    """Minutes and seconds the way a countdown shows them: "59:59"."""
    minutes, secs = divmod(max(0, seconds), 60)
    return f"{minutes}:{secs:02d}"


class DigitsApp(App[None]):
    """A once-a-second countdown and nothing else."""

    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quit"), ("space", "pause", "Pause")]

    def __init__(self) -> None:
        super().__init__()
        self.left = START_SECONDS
        self.paused = False
        self.digits = Digits(clock_face(self.left))

    def compose(self) -> ComposeResult:
        yield Static(MARKER)
        yield self.digits
        yield Footer()

    def on_mount(self) -> None:
        self.ticker = self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        self.left -= 1
        self.digits.update(clock_face(self.left))

    def action_pause(self) -> None:
        self.paused = not self.paused
        if self.paused:
            self.ticker.pause()
        else:
            self.ticker.resume()


if __name__ == "__main__":
    DigitsApp().run()
