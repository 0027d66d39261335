"""Keys that arrive together do what they do one at a time (issue 14).

Over a slow SSH link, keys typed a moment apart arrive in one read. `q` then `y` used to leave
the quit question up with the `y` lost; `q` then Enter jumped to the selected stretch before
the question opened. The rule: keys are handled strictly one after another, each seeing the
screen the key before it left.

Every place of test_keys_shown.PLACES that is opened by typing is tried here: the keys that
open it and a key it shows (one for each effect in its row), all posted to the app at once,
must end where the same keys typed one by one end (the screens open, the routine's state, the
files written, what was said), and the key must have done what PLACES says it does. The same
is tried in a real terminal (test_pty_app.py), the keys written in one write.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from app_memory_fakes import places_kept
from test_app_fakes import FakeClock, screen_text
from test_keys_shown import PLACES, Place, Press, Seen, new_app, running
from textual import events
from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key
from textual.screen import Screen

from tui.store.config import Config
from tui.store.paths import config_dir
from tui.ui.app import UnknotApp

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


@pytest.fixture(autouse=True)
def notices_never_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notices stay until dismissed: Textual ends them by the wall clock, so on a busy machine
    the slower of the two runs lost the start-up notice and the runs differed by that alone."""
    import textual.notifications

    raised = time.time()
    monkeypatch.setattr(textual.notifications, "time", lambda: raised)


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


@dataclass(frozen=True)
class Run:
    """One run of keys: where it ended, the screen then, and (typed apart) the app as it was
    just before the last key, for the effect checks of PLACES."""

    outcome: Outcome
    shown: str
    before_last: Seen | None
    checked: bool = True
    """What the caller asked to check at the end, while the app was still there."""


@dataclass(frozen=True)
class Start:
    """Where the keys are typed: the settings, files made before, the routine running."""

    config: Config
    before: Callable[[], None] | None = None
    running_first: bool = False
    size: tuple[int, int] = (80, 24)


def shown(app: UnknotApp) -> str:
    return screen_text(app) if app.return_code is None else "(the app exited)"


async def typed_apart(
    keys: Sequence[str], start: Start, screen: type[Screen[Any]] | None = None
) -> Run:
    """The keys pressed one at a time, each once the one before is done; `screen` is on top
    before the last."""
    if start.before is not None:
        start.before()
    clock = FakeClock()
    app = new_app(clock, start.config)
    async with app.run_test(size=start.size) as pilot:
        if start.running_first:
            await running(pilot, clock)
        for key in keys[:-1]:
            await pilot.press(key)
            await pilot.pause()
        assert screen is None or isinstance(app.screen, screen), f"on top: {app.screen}"
        before_last = Seen.of(app)
        await pilot.press(keys[-1])
        if app.return_code is None:
            await pilot.pause()
        return Run(Outcome.of(app), shown(app), before_last)


async def typed_together(
    keys: Sequence[str],
    start: Start,
    expected: Outcome,
    check: Callable[[UnknotApp], bool] = lambda _app: True,
) -> Run:
    """The keys posted to the app at once, as one read of the terminal hands them over; the
    app is left to work until it ends where `expected` says (or WAIT_LIMIT passes)."""
    if start.before is not None:
        start.before()
    clock = FakeClock()
    app = new_app(clock, start.config)
    async with app.run_test(size=start.size) as pilot:
        if start.running_first:
            await running(pilot, clock)
        else:
            await pilot.pause()  # the app up and waiting, as a person sees it before typing
        for key in keys:
            app.post_message(typed(key))
        deadline = time.monotonic() + WAIT_LIMIT
        while Outcome.of(app) != expected and time.monotonic() < deadline:
            await pilot.pause(0.01)
        if app.return_code is None:
            await pilot.pause()  # and nothing more comes after
        return Run(Outcome.of(app), shown(app), None, check(app))


def differs(burst: Sequence[str], apart: Run, together: Run) -> str:
    return (
        f"{' '.join(burst)} in one read ended elsewhere than typed one by one.\n"
        f"one by one:\n{apart.outcome}\n{apart.shown}\n"
        f"together:\n{together.outcome}\n{together.shown}"
    )


def one_key_per_effect(place: Place) -> list[str]:
    """The keys of a place, one for each effect of its row: keys the table gives one effect
    (the pain question's digits, the settings' change keys) are bound alike, and a burst
    costs two runs of the app."""
    chosen: dict[int, str] = {}
    for key in sorted(place.effects):
        chosen.setdefault(id(place.effects[key]), key)
    return list(chosen.values())


BURSTS = [
    pytest.param(place, key, id=f"{' '.join(place.open.keys)} {key}")
    for place in PLACES
    if isinstance(place.open, Press) and place.open.keys
    for key in one_key_per_effect(place)
]


@pytest.mark.parametrize(("place", "key"), BURSTS)
async def test_keys_in_one_read_do_what_they_do_one_by_one(
    place: Place, key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opener = place.open
    assert isinstance(opener, Press)
    effect = place.effects[key]
    start = Start(place.config, place.before, opener.running_first, effect.size or place.size)
    burst = (*opener.keys, key)
    fresh_home(monkeypatch, tmp_path / "apart")
    apart = await typed_apart(burst, start, place.screen)
    before_last = apart.before_last
    assert before_last is not None
    fresh_home(monkeypatch, tmp_path / "together")
    together = await typed_together(
        burst, start, apart.outcome, lambda app: effect.check(before_last, app)
    )
    assert together.outcome == apart.outcome, differs(burst, apart, together)
    assert together.checked, (
        f"{' '.join(burst)} in one read: {key} should {effect.what}, but did not.\n{together.shown}"
    )


@pytest.mark.parametrize(
    "burst",
    [("enter", "5"), ("down", "enter", "3"), ("down", "down", "space", "t"), ("j", "k", "j")],
    ids=" ".join,
)
async def test_a_key_that_starts_the_routine_and_the_answer_to_its_question(
    burst: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Enter reaches the app as the list's choice, a message of its own after the key: the
    # pain question it opens takes the digit typed with it
    start = Start(Config(ask_pain=True))
    fresh_home(monkeypatch, tmp_path / "apart")
    apart = await typed_apart(burst, start)
    fresh_home(monkeypatch, tmp_path / "together")
    together = await typed_together(burst, start, apart.outcome)
    assert together.outcome == apart.outcome, differs(burst, apart, together)
