"""Keys typed before the app is ready are not lost (issue 14, item 12).

A person who knows the resume offer will come types Enter at once. Keys that arrive before the
offer is up are held and given to it, in order; an Enter typed before the terminal left its
line mode arrives as a newline (Ctrl+J) and is still an Enter. The keys are posted before the
app has started, as a terminal's input buffer hands them over at start; the same is tested in a
real terminal in test_pty_typed_ahead.py.
"""

from __future__ import annotations

import pytest
from app_memory_fakes import memory_app, notices, places_kept
from test_app_fakes import FakeClock, screen_text, tiny_routine, wall
from textual import events

from tui.core.engine import Engine
from tui.core.steps import Phase
from tui.store.config import Config
from tui.store.resume import save_resume
from tui.ui.screens.pain import PainScreen
from tui.ui.screens.resume_prompt import ResumePrompt

NO_PAIN = Config(ask_pain=False)

KEYS = {
    "newline": events.Key("ctrl+j", "\n"),  # Enter, typed while the terminal was in line mode
    "enter": events.Key("enter", "\r"),
    "space": events.Key("space", " "),
    "escape": events.Key("escape", "\x1b"),
}


def typed_ahead(*names: str) -> list[events.Key]:
    return [events.Key(KEYS[name].key, KEYS[name].character) for name in names]


def save_a_place() -> None:
    """The tiny routine left in its first hold, as a quit mid-routine leaves it."""
    clock = FakeClock()
    engine = Engine(tiny_routine(), clock=clock, sleep=clock.sleep, wall=wall)
    engine.start(0)
    clock.advance(2)
    save_resume(tiny_routine(), engine.position())


@pytest.mark.parametrize("enter", ["newline", "enter"])
async def test_an_enter_typed_ahead_answers_the_offer(enter: str) -> None:
    save_a_place()
    app = memory_app(FakeClock(), config=NO_PAIN)
    for key in typed_ahead(enter):
        app.post_message(key)  # before the app runs: the first thing it reads
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ResumePrompt), screen_text(app)
        snapshot = app.engine.snapshot
        assert snapshot.phase == Phase.HOLD and snapshot.paused, snapshot  # resumed, paused
        assert "Resumed, paused" in notices(app)


async def test_keys_typed_ahead_keep_their_order() -> None:
    # Enter answers the offer, then Space carries on from the place it gave back
    save_a_place()
    app = memory_app(FakeClock(), config=NO_PAIN)
    for key in typed_ahead("newline", "space"):
        app.post_message(key)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        snapshot = app.engine.snapshot
        assert snapshot.phase == Phase.HOLD and not snapshot.paused, screen_text(app)


async def test_escape_typed_ahead_starts_over() -> None:
    save_a_place()
    app = memory_app(FakeClock(), config=NO_PAIN)
    for key in typed_ahead("escape"):
        app.post_message(key)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ResumePrompt), screen_text(app)
        assert app.engine.snapshot.phase == Phase.IDLE
    assert not places_kept()


async def test_a_key_the_offer_does_not_take_says_what_it_takes() -> None:
    # Space typed ahead to start: the offer comes first, stays up, and says which keys answer
    save_a_place()
    app = memory_app(FakeClock(), config=NO_PAIN)
    for key in typed_ahead("space"):
        app.post_message(key)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ResumePrompt), screen_text(app)
        assert app.engine.snapshot.phase == Phase.IDLE
        said = notices(app)
        assert "Enter" in said and "Escape" in said, said
    assert bool(places_kept())


async def test_with_no_offer_an_enter_typed_ahead_starts_the_selected_stretch() -> None:
    app = memory_app(FakeClock(), config=Config(ask_pain=True))
    for key in typed_ahead("newline"):
        app.post_message(key)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PainScreen), screen_text(app)  # asked before the start
