"""Keys are handled one after another: each sees the screen the key before it left.

Over a slow SSH link, keys typed a moment apart arrive in one read: `q` then `y`, `?` then
Escape. In textual 8.2.8 the app looks at a key's priority bindings when it takes the key, then
posts it to the focused widget; the key climbs back up through each widget's queue, and only
when it reaches the app again do the app's own bindings run (`q` asking "Quit?"). The next key
read in the same burst was taken meanwhile, and went to the screen still underneath: the `y`
was lost and the question stayed up. So while a key is under way, later keys wait here; once
the key and what it set off are done, the next is handed back, as a message of its own.

When is a key done? Whatever it sets off travels through the message queues of the focused
widget and its ancestors up to the app (the key itself, a message a binding posts such as an
option list's selection, a dialog's result callback, a new screen starting up). A callback
passed up that line, each widget's behind what it already had, finds each queue in turn; when
none of them had anything waiting, nothing is left under way. One such pass is a round; rounds
go on until one finds every queue empty. Rounds run only while a key waits: a key typed on its
own finds the queues of the line empty (a look at each, no message, no wait) and goes at once.

The same holding serves the start: keys typed before the app knows its first screen (the resume
offer, should there be one) wait until `release`.

An Enter typed before the terminal left its line mode reaches the app as a newline (the
terminal turns CR into LF then), which Textual reads as Ctrl+J; unknot binds no Ctrl+J, so a
newline is taken as the Enter it was (`as_typed`).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.timer import Timer

MAX_ROUNDS = 12
"""Rounds after which a key counts as done even if the queues never all emptied at once (an
animation that keeps posting): the next key then goes as it did before this rule."""
STUCK_SECONDS = 1.0
"""A key still under way after this long, with another waiting, is taken as done: a round lost
with a widget removed at that moment must not stop the keyboard."""


def as_typed(event: events.Key) -> events.Key:
    """The key the person pressed: Enter for a newline, anything else as it is."""
    if event.key == "ctrl+j":
        return events.Key("enter", "\r")
    return event


def pending(pump: MessagePump, own: int = 0) -> bool:
    """`pump` has messages waiting, one being handled (besides `own` of them: the message the
    caller is handling there), or callbacks to run after it.

    Reads textual 8.2.8's queue of the pump: an asyncio.Queue counts the messages taken but not
    yet done (the one being handled among them), and `call_next` callbacks wait in a list.
    """
    queue: asyncio.Queue[object] = pump._message_queue
    unfinished = getattr(queue, "_unfinished_tasks", None)
    if not isinstance(unfinished, int):
        unfinished = queue.qsize()  # (another asyncio: what waits, at least)
    return unfinished > own or bool(pump._next_callbacks)


class HeldKeys:
    """The keys an app holds back, and the handing back of them, one finished key at a time."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._holds = 0
        """How many `hold`s have not been released yet."""
        self._busy = False
        """A key was handled, and what it set off is not known to be over."""
        self._turn = 0
        """Counts followings, so a round of an earlier one does not end a later one."""
        self._following = False
        self._rounds = 0
        self._waiting: deque[events.Key] = deque()
        self._returned: events.Key | None = None
        """The key handed back, posted to the app and not yet taken."""
        self._stuck: Timer | None = None

    @property
    def holding(self) -> bool:
        return self._holds > 0

    def hold(self) -> None:
        """Keep every key that comes from now on until `release`: for a screen that the app
        opens a moment later than the key that asked for it (or, at the start, the offer to
        resume). Holds nest: each `hold` has its `release`."""
        self._holds += 1

    def release(self) -> None:
        """End a `hold`; once none is left, the keys held are handed back one by one, the
        first when what the app did meanwhile (opening that screen) is done."""
        self._holds = max(0, self._holds - 1)
        if not self._holds and self._waiting and not self._following:
            self._busy = True
            self._follow()

    def take(self, event: events.Key) -> bool:
        """True when the app should handle `event` now (then call `handled`); False when it
        waits here instead."""
        if event is self._returned:
            self._returned = None
            self._busy = True
            return True
        if self.holding or self._waiting or self._returned is not None or self._following:
            self._wait(event)
            return False
        if self._busy and not self._quiet_now():
            self._wait(event)  # the key before is still under way: follow it to its end
            self._follow()
            return False
        self._busy = True
        return True

    def handled(self) -> None:
        """The app has handled the key `take` let through; when others wait behind it, follow
        what it set off, then hand the next back."""
        if self._waiting and not self.holding and not self._following:
            self._follow()

    def _wait(self, event: events.Key) -> None:
        # a fresh event: the one read was dispatched once already
        self._waiting.append(events.Key(event.key, event.character))

    def _line(self) -> list[MessagePump]:
        """The focused widget (or the screen on top) and its ancestors, up to the app."""
        app = self._app
        return list((app.focused or app.screen).ancestors_with_self)

    def _quiet_now(self) -> bool:
        """Nothing is under way along the line, besides the key the app is taking now: the
        key before is done (as a person typing key by key finds it; a burst does not)."""
        app = self._app
        if not app.screen_stack:
            return True
        return not any(pending(pump, own=1 if pump is app else 0) for pump in self._line())

    def _follow(self) -> None:
        self._turn += 1
        self._rounds = 0
        self._following = True
        if self._stuck is None:
            self._stuck = self._app.set_timer(STUCK_SECONDS, self._done)
        self._round(self._turn)

    def _round(self, turn: int) -> None:
        """Pass a callback up from the focused widget to the app, each queue's after what it
        holds; `_round_done` learns whether every queue was empty when it got there."""
        app = self._app
        if not app.is_running or not app.screen_stack:
            self._done()  # the app is ending: nothing to wait for
            return
        line = self._line()
        quiet = True

        def reach(index: int) -> None:
            nonlocal quiet
            while index < len(line):
                pump = line[index]
                if pending(pump):
                    quiet = False
                if pump.call_later(reach, index + 1):
                    return
                quiet = False  # closing: it takes nothing more; on to its parent
                index += 1
            self._round_done(turn, quiet)

        reach(0)

    def _round_done(self, turn: int, quiet: bool) -> None:
        if turn != self._turn or not self._following:
            return  # given up on (STUCK_SECONDS), or a later following runs
        self._rounds += 1
        if quiet or self._rounds >= MAX_ROUNDS:
            self._done()
        else:
            self._round(turn)

    def _done(self) -> None:
        """What the key set off is over: hand the next one back."""
        self._following = False
        self._busy = False
        if self._stuck is not None:
            self._stuck.stop()
            self._stuck = None
        self._hand_back()

    def _hand_back(self) -> None:
        """Post the next waiting key to the app, when nothing is under way."""
        if self.holding or self._busy or self._returned is not None or not self._waiting:
            return
        self._returned = self._waiting.popleft()
        self._app.post_message(self._returned)
