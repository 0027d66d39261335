"""Keys typed before the app is ready for them: held, then handled in the order they came.

A person who knows what comes first types ahead: Enter to answer the resume offer they expect,
before the app has even drawn its first frame. Keys read in that moment used to go to the main
screen (where Space or Enter started a fresh session and the offer was never made) or nowhere.
While the app holds keys (`hold`), they wait here; `release` hands them back one at a time,
each handled as its own message, so whatever the one before did (a dialog closing, an answer
applied) is done before the next is looked at. A key that comes while held ones are still being
handed back waits its turn behind them.

An Enter typed before the terminal left its line mode reaches the app as a newline (the
terminal turns CR into LF then), which Textual reads as Ctrl+J; unknot binds no Ctrl+J, so a
newline is taken as the Enter it was (`as_typed`).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events


def as_typed(event: events.Key) -> events.Key:
    """The key the person pressed: Enter for a newline, anything else as it is."""
    if event.key == "ctrl+j":
        return events.Key("enter", "\r")
    return event


class HeldKeys:
    """The keys an app holds back, and the handing back of them, in order."""

    def __init__(self, post: Callable[[events.Key], object]) -> None:
        self._post = post
        """Posts a key to the app's own queue, to be handled like one just typed."""
        self._holding = False
        self._waiting: list[events.Key] = []
        """Held keys not yet handled; the first has been posted again once holding stopped."""

    @property
    def holding(self) -> bool:
        return self._holding

    def hold(self) -> None:
        """Keep every key that comes from now on until `release`."""
        self._holding = True

    def release(self) -> None:
        """Stop holding and hand back the first key held (the others follow one by one)."""
        self._holding = False
        if self._waiting:
            self._post(self._waiting[0])

    def take(self, event: events.Key) -> bool:
        """True when the app should handle `event` now; False when it waits here instead."""
        if self._holding:
            self._waiting.append(self._copy(event))
            return False
        if not self._waiting:
            return True
        if event is self._waiting[0]:
            self._waiting.pop(0)
            if self._waiting:
                self._post(self._waiting[0])  # handled after this one and what it sets off
            return True
        self._waiting.append(self._copy(event))  # came while held keys are handed back
        return False

    @staticmethod
    def _copy(event: events.Key) -> events.Key:
        """A fresh event for the same key: the one read was already dispatched once."""
        return events.Key(event.key, event.character)
