"""Thousands of random keys on every screen while a routine runs: the app must never raise."""

from __future__ import annotations

import random
from pathlib import Path

from tui.app import UnknotApp
from tui.loader import load_routine
from tui.model import Routine

DATA = Path(__file__).parent / "data" / "pty"

# The product's keys (main screen and every other screen), weighted so screens open and close often.
PRODUCT_KEYS = [
    "space", "space", "n", "n", "n", "p", "r", "enter", "up", "down", "j", "k",
    "plus", "minus", "right_square_bracket", "left_square_bracket", "m", "l", "o",
    "exclamation_mark", "question_mark", "escape", "escape", "q", "ctrl+q", "ctrl+c",
    "ctrl+p", "y", "tab",
]  # fmt: skip
# Whatever else a person's fingers or a confused terminal may send.
OTHER_KEYS = [
    "left", "right", "home", "end", "pageup", "pagedown", "delete", "backspace",
    "shift+tab", "insert", "f1", "f5", "f12", "ctrl+a", "ctrl+e", "ctrl+l", "ctrl+w",
    "ctrl+u", "alt+x", "shift+up", "ctrl+down",
]  # fmt: skip
PRINTABLE = list("abcdefghiortuvwxyzABCQRZ0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~é€")

KEYS_PER_RUN = 400
RUNS = 6
SEED = 20261125


def random_keys(rng: random.Random, count: int) -> list[str]:
    keys = []
    for _ in range(count):
        pool = rng.choices((PRODUCT_KEYS, OTHER_KEYS, PRINTABLE), weights=(6, 2, 2))[0]
        keys.append(rng.choice(pool))
    return keys


def routines() -> list[Routine]:
    return [
        load_routine(DATA / "two-stretch.toml", "file"),
        load_routine(DATA / "long-hold.toml", "file"),
    ]


async def test_random_keys_never_raise() -> None:
    rng = random.Random(SEED)
    pressed = 0
    screens_seen: set[str] = set()
    for run in range(RUNS):
        first, *others = routines() if run % 2 == 0 else routines()[::-1]
        app = UnknotApp(
            first,
            routines=[first, *others],
            problems=["broken.toml: line 3: reps = true is not a whole number"],
            bell=run % 3 != 0,
            notify=True,
        )
        async with app.run_test(size=(80, 24) if run % 2 == 0 else (40, 12)) as pilot:
            await pilot.press("space")  # the routine runs while the keys rain down
            for key in random_keys(rng, KEYS_PER_RUN):
                if not app.is_running:
                    break  # "q" then "y" quit: the next run starts a fresh app
                await pilot.press(key)
                pressed += 1
                screens_seen.add(type(app.screen).__name__)
            if app.is_running:
                await pilot.pause()
        # an exception inside the app makes run_test raise, or leaves return code 1
        assert app.return_code in (None, 0), f"run {run} ended with {app.return_code}"
    assert pressed >= RUNS * KEYS_PER_RUN // 2
    # the keys reached more than the main screen
    assert len(screens_seen) >= 4, screens_seen
