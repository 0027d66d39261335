"""Screens lay themselves out at the window's size now, never at a size it had earlier.

Measured on textual 8.2.8: a screen lays itself out at the size its Resize event carries, and
when that changes its own size it posts itself a Resize of that size. Two Resize events of
different sizes waiting in one screen's queue (the window resized while the screen was still
busy starting up) then take turns: each layout posts the next one. Usually the newest event
absorbs the older ones, but once the app is shutting down Textual queues a repaint after every
layout, so the two never meet again and the screen flips between the sizes for ever. Its queue
never empties, so nothing else on the event loop runs again: not the shutdown, not a signal
handler. Under `unknot serve` a browser tab that resizes and closes in its first second did
exactly that: the app spun at full CPU after the browser left.

An event whose size is no longer the app's is dropped: a newer one is on its way, or has been
applied already, so every layout aims at the same size and the queue drains.
"""

from __future__ import annotations

from typing import Any

from textual.events import Resize
from textual.screen import Screen


def drop_stale_resize(screen: Screen[Any], event: Resize) -> None:
    """Skip Textual's layout for `event` when the window has another size by now."""
    if event.size != screen.app.size:
        event.prevent_default()
