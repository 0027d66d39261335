"""Thousands of random keys on every screen while a routine runs: the app must never raise."""

from __future__ import annotations

import asyncio
import random
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from test_app_fakes import FakeClock
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from tui.core.model import Routine
from tui.routine_files.loader import load_routine
from tui.ui.app import UnknotApp

DATA = Path(__file__).parent / "data" / "pty"

# The product's keys that act on the current screen (weighted: the routine runs and moves).
PRODUCT_KEYS = [
    "space", "space", "n", "n", "n", "p", "r", "enter", "up", "down", "j", "k",
    "plus", "minus", "right_square_bracket", "left_square_bracket", "m", "l",
    "escape", "escape", "y", "tab",
]  # fmt: skip
# Keys that open another screen: help, problems, routine picker, command palette.
SCREEN_KEYS = ["question_mark", "exclamation_mark", "o", "ctrl+p"]
# Quitting keys, rarer so that a run lasts long enough to reach the other screens.
QUIT_KEYS = ["q", "ctrl+q", "ctrl+c"]
# Whatever else a person's fingers or a confused terminal may send.
OTHER_KEYS = [
    "left", "right", "home", "end", "pageup", "pagedown", "delete", "backspace",
    "shift+tab", "insert", "f1", "f5", "f12", "ctrl+a", "ctrl+e", "ctrl+l", "ctrl+w",
    "ctrl+u", "alt+x", "shift+up", "ctrl+down",
]  # fmt: skip
PRINTABLE = list("abcdefghiortuvwxyzABCQRZ0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~é€")

TOTAL_KEYS = 1000  # a test; two seeds make 2000 keys, and xdist runs them side by side
BURST = 40
SEEDS = (20261125, 5)
HANG_SECONDS = 60


def random_keys(rng: random.Random, count: int) -> list[str]:
    keys = []
    for _ in range(count):
        pool = rng.choices(
            (PRODUCT_KEYS, SCREEN_KEYS, OTHER_KEYS, PRINTABLE, QUIT_KEYS),
            weights=(60, 3, 20, 20, 1),
        )[0]
        keys.append(rng.choice(pool))
    return keys


def key_event(key: str) -> events.Key:
    """The Key event a terminal's driver would post for `key` (as Pilot.press builds it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def mash(pilot: Pilot[int], keys: list[str]) -> None:
    """Send `keys` in one burst, as a terminal does when keys come faster than the app draws.

    (Pilot.press waits for the app to go idle after every key: about 65 ms a key.)
    """
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        event = key_event(key)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await pilot.pause()  # until every key of the burst is handled: what is seen next is certain


def routines() -> list[Routine]:
    return [
        load_routine(DATA / "two-stretch.toml", "file"),
        load_routine(DATA / "long-hold.toml", "file"),
    ]


def _note_pushed_screens(app: UnknotApp, seen: set[str]) -> None:
    """Add the name of every screen the keys open to `seen`, however briefly it stays."""
    push = app.push_screen

    def noting(screen: Any, *args: Any, **kwargs: Any) -> Any:
        seen.add(screen if isinstance(screen, str) else type(screen).__name__)
        return push(screen, *args, **kwargs)

    app.push_screen = noting  # type: ignore[method-assign]


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_never_raise(seed: int) -> None:
    # a hung app fails the test instead of stopping the suite (its task is left behind:
    # cancelling it would wait on the same hang); only a burst that never ends is a hang, however
    # long the thousand keys take on a busy machine
    bursts = [0]
    task = asyncio.create_task(mash_every_screen(seed, bursts))
    while True:
        seen = bursts[0]
        done, _ = await asyncio.wait({task}, timeout=HANG_SECONDS)
        if done:
            break
        assert bursts[0] > seen, (
            f"the app stopped answering keys (no burst done in {HANG_SECONDS} s)"
        )
    task.result()


async def mash_every_screen(seed: int, bursts: list[int]) -> None:
    """Mash until TOTAL_KEYS are pressed, counting each burst handled in `bursts[0]`."""
    rng = random.Random(seed)
    pressed = 0
    runs = 0
    screens_seen: set[str] = set()
    while pressed < TOTAL_KEYS:
        # a run ends when the keys happen to quit (q, then y); the next starts a fresh app
        first, *others = routines() if runs % 2 == 0 else routines()[::-1]
        clock = FakeClock()  # the routine moves between bursts, by the seeded amounts
        app = UnknotApp(
            first,
            routines=[first, *others],
            problems=["broken.toml: line 3: reps = true is not a whole number"],
            bell=runs % 3 != 0,
            notify=True,
            clock=clock,
            sleep=clock.sleep,
        )
        _note_pushed_screens(app, screens_seen)
        async with app.run_test(size=(80, 24) if runs % 2 == 0 else (40, 12)) as pilot:
            await pilot.press("space")  # the routine runs while the keys rain down
            while app.is_running and pressed < TOTAL_KEYS:
                burst = random_keys(rng, BURST)
                await mash(pilot, burst)
                pressed += len(burst)
                bursts[0] += 1
                clock.advance(rng.choice((0.0, 0.5, 1.0, 3.0)))
                if app.is_running:
                    screens_seen.add(type(app.screen).__name__)
            if app.is_running:
                await pilot.pause()
        # an exception inside the app makes run_test raise, or leaves return code 1
        assert app.return_code in (None, 0), f"run {runs} ended with {app.return_code}"
        runs += 1
    # the keys reached more than the main screen: help, palette, picker, problems, quit ...
    assert len(screens_seen) >= 5, screens_seen
