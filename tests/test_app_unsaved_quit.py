"""Quitting with data the disk refused says so, offers to stay, and keeps a copy that works
(issue 14, item 2).

Found this way: the data folder made read-only during a routine; at its end the app said the
session "is kept and saved as soon as the disk allows"; then Escape, q: it left at once,
status 0, nothing said, and the session was gone. The same with a read-only state folder and
quitting mid-routine: no place to resume, no word. The folders here are really read-only (a
read-only bind mount as root, as CI runs) or really full (a tiny tmpfs).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from app_memory_fakes import memory_app, notices, run_to_end, tick
from mounts import fill, read_only, tiny_disk
from test_app_fakes import FakeClock, screen_text

from tui.store.config import Config
from tui.store.paths import data_dir, state_dir, tilde
from tui.store.resume import Places
from tui.ui.app import UnknotApp

NO_PAIN = Config(ask_pain=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def copies(app: UnknotApp) -> dict[str, Path]:
    """The copies kept at the end, by the name of the file each stands for."""
    found: dict[str, Path] = {}
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "unknot" / "unsaved"
    for path in cache.rglob("*"):
        if path.is_file():
            found[path.name] = path
    return found


def last_words(app: UnknotApp) -> str:
    return "\n".join(app.memory.last_words)


async def test_a_session_the_disk_refused_is_not_dropped_at_quit(clock: FakeClock) -> None:
    data = data_dir()
    data.mkdir(parents=True, exist_ok=True)
    app = memory_app(clock, config=NO_PAIN)
    with read_only(data):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("space")
            await run_to_end(pilot, clock)
            await pilot.pause()
            assert "saved as soon as the disk allows" in notices(app)
            await pilot.press("escape", "q")
            await pilot.pause()
            text = screen_text(app)
            assert app.is_running, "quit at once, with the session unsaved"
            assert "1 session for the history" in text, text
            assert "read-only" in text or "permission" in text, text
            await pilot.press("n")  # stay
            await pilot.pause()
            assert app.is_running and "1 session for the history" not in screen_text(app)
            await pilot.press("q")
            await pilot.pause()
            assert "1 session for the history" in screen_text(app)
            await pilot.press("y")  # quit, keeping a copy
            await pilot.pause()
        assert not list(data.rglob("*.toml"))  # the disk really refused it
    assert app.memory.unsaved_at_end  # the command's exit status: 1
    words = last_words(app)
    [month] = [path for name, path in copies(app).items() if name.endswith(".toml")]
    [session] = tomllib.loads(month.read_text("utf-8"))["session"]
    assert session["routine_id"] == "tiny" and session["finished"] is True
    assert tilde(data / "history" / month.name) in words, words
    assert tilde(month) in words, words


async def test_quitting_mid_routine_with_a_read_only_state_folder_keeps_the_place(
    clock: FakeClock,
) -> None:
    state = state_dir()
    state.mkdir(parents=True, exist_ok=True)
    app = memory_app(clock, config=NO_PAIN)
    with read_only(state):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("space")
            await tick(pilot, clock, 3)
            await pilot.press("q")
            assert "Quit while the routine is running?" in screen_text(app)
            await pilot.press("y")
            await pilot.pause()
            text = screen_text(app)
            assert app.is_running, "quit at once, with the place unsaved"
            assert "where the session stopped" in text, text
            await pilot.press("enter")  # Enter, like y: quit, keeping a copy
            await pilot.pause()
        place = Places.default().path_of(app.engine.session_id)
        assert not place.exists()
    assert not app.is_running
    kept = copies(app)
    assert place.name in kept, kept
    saved = tomllib.loads(kept[place.name].read_text("utf-8"))
    assert saved["routine_id"] == "tiny" and saved["position"]["stretch_index"] == 0
    assert tilde(place) in last_words(app)


async def test_staying_closes_the_quit_question_too(clock: FakeClock) -> None:
    state = state_dir()
    state.mkdir(parents=True, exist_ok=True)
    app = memory_app(clock, config=NO_PAIN)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await tick(pilot, clock, 2)
        with read_only(state):
            await pilot.press("q", "y")
            await pilot.pause()
            assert "where the session stopped" in screen_text(app)
            before = app.engine.snapshot
            await pilot.press("escape")  # stay
            await pilot.pause()
            text = screen_text(app)
            assert "Quit while the routine" not in text and "where the session" not in text, text
            assert len(app.screen_stack) == 1
            # where they were, paused, not stopped ("Stopped · 0 s left" before)
            assert app.engine.running and app.engine.paused
            now = app.engine.snapshot
            assert (now.stretch_index, now.remaining) == (before.stretch_index, before.remaining)
            assert "Stopped" not in text and "paused" in text, text
        await pilot.press("space")  # carries on
        await tick(pilot, clock, 1)
        assert not app.engine.paused and app.engine.snapshot.remaining < before.remaining
        # the disk is back: quitting now saves it and leaves
        await pilot.press("q", "y")
        await pilot.pause()
    assert not app.is_running and not app.memory.unsaved_at_end
    assert Places.default().path_of(app.engine.session_id).is_file()
    assert copies(app) == {}


async def test_a_second_ctrl_c_at_the_question_quits_with_a_copy(clock: FakeClock) -> None:
    data = data_dir()
    data.mkdir(parents=True, exist_ok=True)
    app = memory_app(clock, config=NO_PAIN)
    with read_only(data):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("space")
            await run_to_end(pilot, clock)
            await pilot.press("escape", "ctrl+c")
            await pilot.pause()
            assert "1 session for the history" in screen_text(app)
            await pilot.press("ctrl+c")
            await pilot.pause()
    assert not app.is_running
    assert any(name.endswith(".toml") for name in copies(app))


async def test_a_full_disk_at_quit_is_said_and_a_copy_kept(clock: FakeClock) -> None:
    data = data_dir()
    app = memory_app(clock, config=NO_PAIN)
    with tiny_disk(data):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("space")
            fill(data)
            await run_to_end(pilot, clock)
            await pilot.press("escape", "q")
            await pilot.pause()
            text = screen_text(app)
            assert "disk is full" in text, text
            await pilot.press("y")
            await pilot.pause()
    assert "disk is full" in last_words(app)
    assert any(name.endswith(".toml") for name in copies(app))


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_the_question_fits_the_window(clock: FakeClock, size: tuple[int, int]) -> None:
    state = state_dir()
    state.mkdir(parents=True, exist_ok=True)
    app = memory_app(clock, config=NO_PAIN)
    async with app.run_test(size=size) as pilot:
        await pilot.press("space")
        await tick(pilot, clock, 2)
        with read_only(state):
            await pilot.press("q", "y")
            await pilot.pause()
            text = screen_text(app)
            flowing = " ".join(text.translate(str.maketrans("", "", "│╭╮╰╯─")).split())
            for words in ("where the session stopped", "n / Escape: stay", "y / Enter: quit"):
                assert words in flowing, text
            await pilot.press("n")
            await pilot.pause()
