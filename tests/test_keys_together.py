"""Keys that arrive together do what they do one at a time (issue 14).

Over a slow SSH link, keys typed a moment apart arrive in one read. `q` then `y` used to leave
the quit question up with the `y` lost; `q` then Enter jumped to the selected stretch before
the question opened. The rule: keys are handled strictly one after another, each seeing the
screen the key before it left.

Every place of test_keys_shown.PLACES that is opened by typing is tried here: the keys that
open it and each key it shows, all posted to the app at once, must end where the same keys
typed one by one end (the screens open, the routine's state, the files written, what was said),
and the key must have done what PLACES says it does. The same is tried in a real terminal, the
keys written in one write.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from app_memory_fakes import places_kept
from test_app_fakes import FakeClock, screen_text
from test_keys_shown import PLACES, Place, Press, Seen, new_app, running
from textual import events
from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key
from textual.pilot import Pilot

from tui.app import UnknotApp
from tui.paths import config_dir

WAIT_LIMIT = 10.0
"""Seconds a burst may take to settle: only a hang (or keys handled out of turn) takes that."""


def typed(key: str) -> events.Key:
    """The event a terminal's key gives, with its character, as Pilot.press makes it."""
    import unicodedata

    try:
        character: str | None = unicodedata.lookup(
            _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        )
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


@dataclass(frozen=True)
class Outcome:
    """Where a run of keys left the app: all a person could tell apart."""

    ended: int | None
    seen: Seen | None
    notices: tuple[str, ...] | None
    """What was said (while the app runs), without the run's own folder, ids and times."""
    places: int
    files: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, app: UnknotApp) -> Outcome:
        folder = config_dir()  # settings and the person's routines
        files = sorted(
            (re.sub(r"\d", "#", str(p.relative_to(folder))), p.read_text("utf-8"))
            for p in folder.rglob("*")
            if p.is_file()
        )
        return cls(
            ended=app.return_code,
            seen=Seen.of(app) if app.return_code is None else None,
            notices=None if app.return_code is not None else said(app),
            places=len(places_kept()),
            files=tuple(files),
        )


def said(app: UnknotApp) -> tuple[str, ...]:
    home = str(Path.home())
    return tuple(
        re.sub(r"[0-9a-f]{32}|\d+", "#", n.message.replace(home, "~")) for n in app._notifications
    )


def fresh_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Every folder the app uses, empty, under `home`: each run starts from the same files."""
    for name, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        folder = home / sub
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("HOME", str(home))


async def settled(pilot: Pilot[int], done: object) -> None:
    """Let the app work until `done()` is true, or WAIT_LIMIT has passed."""
    assert callable(done)
    deadline = time.monotonic() + WAIT_LIMIT
    while not done() and time.monotonic() < deadline:
        await pilot.pause(0.01)


BURSTS = [
    pytest.param(place, key, id=f"{' '.join(place.open.keys)} {key}")
    for place in PLACES
    if isinstance(place.open, Press) and place.open.keys
    for key in sorted(place.effects)
]


@pytest.mark.parametrize(("place", "key"), BURSTS)
async def test_keys_in_one_read_do_what_they_do_one_by_one(
    place: Place, key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opener = place.open
    assert isinstance(opener, Press)
    effect = place.effects[key]
    size = effect.size or place.size

    # one by one, as test_keys_shown presses them
    fresh_home(monkeypatch, tmp_path / "apart")
    if place.before is not None:
        place.before()
    clock = FakeClock()
    app = new_app(clock, place.config)
    async with app.run_test(size=size) as pilot:
        await opener(pilot, clock)
        assert isinstance(app.screen, place.screen), f"{place.name}: on top is {app.screen}"
        before = Seen.of(app)
        await pilot.press(key)
        if app.return_code is None:
            await pilot.pause()
        apart = Outcome.of(app)
        shown_apart = screen_text(app) if app.return_code is None else "(the app exited)"

    # all in one read
    fresh_home(monkeypatch, tmp_path / "together")
    if place.before is not None:
        place.before()
    clock = FakeClock()
    app = new_app(clock, place.config)
    burst = (*opener.keys, key)
    async with app.run_test(size=size) as pilot:
        if opener.running_first:
            await running(pilot, clock)
        else:
            await pilot.pause()  # the app up and waiting, as a person sees it before typing
        for name in burst:
            app.post_message(typed(name))
        await settled(pilot, lambda: Outcome.of(app) == apart)
        if app.return_code is None:
            await pilot.pause()  # and nothing more comes after
        together = Outcome.of(app)
        did = effect.check(before, app)
        shown = screen_text(app) if app.return_code is None else "(the app exited)"
    assert together == apart and did, (
        f"{' '.join(burst)} in one read: {key} should {effect.what}"
        f"{'' if did else ' but did not'}.\n"
        f"one by one:\n{apart}\n{shown_apart}\ntogether:\n{together}\n{shown}"
    )
