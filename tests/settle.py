"""Pilot's waits made to wait for the app's work, and for nothing else.

Textual's Pilot (8.2.8) waits, after a key or a pause, until the messages queued at that moment
are handled, and then until the process "looks idle": until it used less than 1 ms of CPU in a
20 ms sleep. Between the keys of one `press("escape", "o")` it waits only for that. On a loaded
machine a process gets little CPU whether or not it has work left, so it looks idle at once: the
work that handling one message starts (a layout that resizes a widget, which redraws, which lays
out again; a dialog closing) is still queued when the next key comes or the test reads the
screen. With that heuristic made to answer at once, 50 of the suite's app tests failed.

`install` makes every Pilot wait (the start of `run_test`, `press` and between its keys,
`click`, `pause`) go on until nothing in the app has work queued: no message waiting or being
handled, no callback due, nothing on the screen shown waiting to be laid out or painted. Timers
(the countdown, a notice that times out) are future events, not work queued, and are not waited
for; nor are workers, which may wait on purpose for a test (a test that needs one done waits for
it, or for what it shows, with `until`).

Textual's look-idle heuristic is then left out: it answers at once, as it would for a process
too starved of CPU to ever look busy, so no test can lean on it, and a wait ends when the work
does. Its sleeps (20 ms at least, three to a key) made the app tests take twice as long and use
a third more CPU (tests/test_keys_shown.py and tests/test_app.py in one process: 104 s and
58 s of CPU with it, 54 s and 42 s without). `pytest --textual-idle` puts it back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import textual.app
import textual.pilot
from patience import HANG
from textual._context import active_app
from textual.app import App
from textual.pilot import Pilot, WaitForScreenTimeout

POLL = 0.002
"""Seconds between looks while the app still has work: lets its timers (the screen's own
refresh, at 60 Hz) run."""

_WIDGET_FLAGS = (
    "_layout_required",
    "_repaint_required",
    "_recompose_required",
    "_scroll_required",
    "_refresh_styles_required",
)
_SCREEN_WORK = ("_dirty_widgets", "_callbacks")


def busy(app: App[Any]) -> list[str]:
    """What in `app` has work queued now, by name; empty when everything asked of it is done."""
    try:
        screen = app.screen
    except Exception:  # no screen yet, or the app is gone: nothing to wait for
        return []
    found = []
    if getattr(app, "_resize_timer", None) is not None:
        found.append("a resize is due (Textual waits 1/120 s for more before laying out)")
    shown = [screen, *screen.walk_children(with_self=False)]
    for pump in [app, *app.screen_stack, *shown[1:]]:
        queue = pump._message_queue
        if getattr(queue, "_unfinished_tasks", queue.qsize()) or pump._next_callbacks:
            found.append(f"{pump!r} has messages")
    # what is drawn: the screen on top and its widgets (a screen underneath keeps its flags
    # until it is on top again)
    for widget in shown:
        flags = [flag for flag in _WIDGET_FLAGS if getattr(widget, flag, False)]
        if widget is screen:
            flags += [name for name in _SCREEN_WORK if getattr(screen, name)]
        if flags:
            found.append(f"{widget!r}: {', '.join(flags)}")
    return found


async def drained(app: App[Any]) -> None:
    """Return once `busy(app)` finds nothing (or the app is ending); fail after HANG."""
    deadline = time.monotonic() + HANG
    while True:
        for _ in range(3):
            await asyncio.sleep(0)  # tasks woken meanwhile (the engine on a fake clock) run
        left = busy(app)
        if not left or app._exit or app._closing:
            return  # done, or the app is ending (and stops drawing)
        if time.monotonic() > deadline:
            raise WaitForScreenTimeout(f"the app still had work after {HANG:.0f} s: {left}")
        await asyncio.sleep(POLL)


Idle = Callable[..., Awaitable[None]]
Waiter = Callable[..., Awaitable[bool]]


def _then_drained_screen(original: Waiter) -> Waiter:
    async def wait_for_screen(self: Pilot[Any], timeout: float = HANG) -> bool:
        if not await original(self, max(timeout, HANG)):
            return False  # the app raised: the test will see it
        await drained(self.app)
        return True

    return wait_for_screen


def _then_drained(idle: Idle) -> Idle:
    async def wait_for_idle(*args: Any, **kwargs: Any) -> None:
        await idle(*args, **kwargs)
        app = active_app.get(None)
        if app is not None:
            await drained(app)

    return wait_for_idle


async def _looks_idle_at_once(*_args: object, **_kwargs: object) -> None:
    await asyncio.sleep(0)


def install(monkeypatch: pytest.MonkeyPatch, *, textual_idle: bool = False) -> None:
    """Make every Pilot wait until the app has no work queued (see the module's docstring).

    `textual_idle`: before that, wait as Textual does by itself until the process looks idle
    (`pytest --textual-idle`).
    """
    idle: Idle = textual.app.wait_for_idle if textual_idle else _looks_idle_at_once
    monkeypatch.setattr(Pilot, "_wait_for_screen", _then_drained_screen(Pilot._wait_for_screen))
    monkeypatch.setattr(textual.app, "wait_for_idle", _then_drained(idle))  # between keys
    monkeypatch.setattr(textual.pilot, "wait_for_idle", idle)  # pause(): after the above


async def until(
    pilot: Pilot[Any], done: Callable[[], bool], what: str, timeout: float = HANG
) -> None:
    """Pause until `done()` holds (work in a worker, a timer firing); after `timeout` seconds
    fail, saying `what` did not happen and what the screen showed."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()  # what `done` looks at is drawn and settled
        if done():
            return
        if time.monotonic() > deadline:
            from test_app_fakes import screen_text

            shown = screen_text(pilot.app)
            raise AssertionError(f"{what} in {timeout:.0f} s; the screen:\n{shown}")
        await asyncio.sleep(POLL * 5)
