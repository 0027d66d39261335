"""Notices told on one row, in turn, a row of words at a time (tui.ui.widgets.notice_line).

Where a toast would cover the timer (tui.ui.notices decides), a notice is shown in the row
over the heading instead. Its words are wrapped to the row's width and shown a row (a page) at
a time, each long enough to read: the person lying on a mat glances up and finds the next part.
A notice stays its timeout, and in any case until each of its pages has been shown once; then
it cycles through them again while its time lasts. Notices said meanwhile wait their turn, and
the one shown gives way to them once every page of it has been read. A notice still waiting
when its time is up is passed over if a newer one waits behind it (a burst of `+` shows the
first hold and the last one); the `i` screen keeps every one of them.

The band, not its row, holds the notices: the main screen is composed again when another
routine opens, and the row with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.content import Content
from textual.notifications import Notification
from textual.screen import Screen
from textual.timer import Timer

from tui.ui.widgets.notice_line import NoticeLine

LEAST_SECONDS = 2.5
"""The least time a page stays (a row of 40 columns holds about 6 words)."""
SECONDS_A_WORD = 0.3
"""How long a page stays grows with its words past about 7 words (a wide row)."""


def page_seconds(page: Content) -> float:
    """How long a page of words stays: long enough to read it at a glance from a mat."""
    return max(LEAST_SECONDS, 0.5 + SECONDS_A_WORD * len(page.plain.split()))


def words_of(notification: Notification) -> Content:
    """A notice's words in one paragraph: its title in bold, then its message."""
    message = (
        Content.from_markup(notification.message)
        if notification.markup
        else Content(notification.message)
    )
    message = Content(" ").join(message.split("\n"))  # one row is a page, not a line
    if not notification.title:
        return message
    return Content.assemble((notification.title, "bold"), ": ", message)


def pages_of(words: Content, width: int) -> tuple[list[Content], list[str]]:
    """`words` wrapped into rows of `width` cells, with a count ("1/3") for each row when
    there is more than one; the count's room is taken from the rows it stands beside."""
    width = max(2, width)  # a wide character takes two cells
    pages = words.wrap(width)
    for _ in range(3):  # the count's width depends on how many pages there are
        if len(pages) < 2:
            return pages, [""] * len(pages)
        room = width - len(f" {len(pages)}/{len(pages)}")
        pages, before = words.wrap(max(2, room)), len(pages)
        if len(pages) == before:
            break
    pages = [page.rstrip() for page in pages if page.plain.strip()]
    return pages, [f"{n}/{len(pages)}" for n in range(1, len(pages) + 1)]


class Band:
    """The notices for the notice line: the one shown, its page, and the ones waiting."""

    def __init__(self, app: App[Any], host: Callable[[], Screen[Any]]) -> None:
        self._app = app
        self._host = host
        """The screen the row goes on (the main screen)."""
        self._line: NoticeLine | None = None
        self.current: Notification | None = None
        self.waiting: list[Notification] = []
        self._pages: list[Content] = []
        self._counts: list[str] = []
        self.page = 0
        self._shown_for = 0.0
        """Seconds the current notice has been shown, counted a page at a time."""
        self._read = False
        """Every page of the current notice has been shown once."""
        self._timer: Timer | None = None
        self._delay = 0.0

    @property
    def notices(self) -> list[Notification]:
        """Every notice the band holds: the one shown, then those waiting."""
        return [self.current, *self.waiting] if self.current is not None else list(self.waiting)

    @property
    def pages(self) -> list[Content]:
        """The rows of words of the notice shown, one a page."""
        return list(self._pages)

    def holds(self, notification: Notification) -> bool:
        return any(notification is held for held in self.notices)

    def add(self, notification: Notification) -> None:
        self.waiting.append(notification)
        if self.current is None or self._read:
            self._next()

    def take_all(self) -> list[Notification]:
        """Every notice held, oldest first; the band is left empty and its row hidden."""
        taken = self.notices
        self.waiting, self.current = [], None
        self._stop()
        if self._line is not None:
            self._line.hide()
        return taken

    def withdraw(self, message: str) -> None:
        """Drop every notice saying `message`: what it says is no longer so."""
        self.waiting = [held for held in self.waiting if held.message != message]
        if self.current is not None and self.current.message == message:
            self.current = None
            self._next()

    def reflow(self) -> None:
        """The window changed size: wrap the notice shown again, at the same page or the last."""
        if self.current is not None:
            self._wrap()
            self.page = min(self.page, len(self._pages) - 1)
            self._draw()

    def turn(self) -> None:
        """A page's time is up: the next page, the first again, or the next notice."""
        self._stop()  # (when turned before its time: tests)
        self._shown_for += self._delay
        if self.current is None:
            return
        if self.page + 1 < len(self._pages):
            self.page += 1
        else:
            self._read = True
            timeout = self.current.timeout
            if self.waiting or self._shown_for >= timeout:
                self._next()
                return
            if len(self._pages) == 1:  # nothing to turn to: it stays the rest of its time
                self._schedule(timeout - self._shown_for)
                return
            self.page = 0
        self._draw()
        self._schedule(page_seconds(self._pages[self.page]))

    def _next(self) -> None:
        self._stop()
        while len(self.waiting) > 1 and self.waiting[0].has_expired:
            self.waiting.pop(0)  # its time ran out while it waited, and a newer one waits
        if not self.waiting:
            self.current = None
            if self._line is not None:
                self._line.hide()
            return
        self.current = self.waiting.pop(0)
        self.page, self._shown_for, self._read = 0, 0.0, False
        self._wrap()
        self._draw()
        self._schedule(page_seconds(self._pages[0]))

    def _wrap(self) -> None:
        assert self.current is not None
        width = self._app.size.width - NoticeLine.EDGES
        self._pages, self._counts = pages_of(words_of(self.current), width)
        if not self._pages:  # a notice of no words still shows, as an empty row
            self._pages, self._counts = [Content("")], [""]

    def _draw(self) -> None:
        assert self.current is not None
        line = self._line
        if line is None or not line.is_attached:  # first use, or the screen was composed anew
            line = self._line = NoticeLine()
            self._host().mount(line)
        line.show(self._pages[self.page], self._counts[self.page], self.current.severity)

    def _schedule(self, delay: float) -> None:
        self._delay = max(0.0, delay)
        self._timer = self._app.set_timer(self._delay, self._timed_turn, name="notice band")

    def _timed_turn(self) -> None:
        self._timer = None  # done: nothing to stop
        self.turn()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
