"""Pilot waits for the app's work (tests/settle.py), not for the process to look idle: a chain
of messages that a key starts is finished when `press` returns, however starved the machine."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import settle
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Static

STEPS = 30


@dataclass
class Step(Message):
    number: int


class ChainApp(App[None]):
    """x starts a chain: each step shows itself and posts the next, as a layout that resizes a
    widget which redraws and lays out again does; the text's width sets the widget's."""

    CSS = "#shown { width: auto; }"

    def compose(self) -> ComposeResult:
        yield Static("idle", id="shown")

    def on_key(self, event: object) -> None:
        self.post_message(Step(1))

    def on_step(self, message: Step) -> None:
        self.query_one("#shown", Static).update(f"step {message.number}")
        if message.number < STEPS:
            self.post_message(Step(message.number + 1))


@pytest.fixture
def starved(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's idle wait answers at once, as for a process that gets almost no CPU (the
    suite's default: this test holds whatever `--textual-idle` says)."""
    settle.install(monkeypatch, textual_idle=False)


async def test_a_chain_a_key_starts_is_finished_when_press_returns(starved: None) -> None:
    app = ChainApp()
    async with app.run_test() as pilot:
        await pilot.press("x")
        shown = app.query_one("#shown", Static)
        assert (str(shown.render()), shown.size.width) == (f"step {STEPS}", len(f"step {STEPS}"))
        assert settle.busy(app) == []


async def test_busy_names_what_still_has_work() -> None:
    app = ChainApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert settle.busy(app) == []
        shown = app.query_one("#shown", Static)
        app.post_message(Step(1))  # not handled yet: nothing has been awaited since
        shown.refresh(layout=True)
        left = settle.busy(app)
        assert any("ChainApp" in item and "messages" in item for item in left), left
        assert any("_layout_required" in item for item in left), left
        await pilot.pause()
        assert settle.busy(app) == []


async def test_until_says_what_did_not_happen_and_shows_the_screen() -> None:
    app = ChainApp()
    async with app.run_test(size=(30, 3)) as pilot:
        with pytest.raises(AssertionError) as failed:
            await settle.until(pilot, lambda: False, "the step never came", timeout=0)
    assert str(failed.value).startswith("the step never came in 0 s; the screen:\nidle")
