"""Notices that never cover a dialog, nor the timer; and the last ones, kept to read again.

Textual draws a notice (a toast) in the bottom right corner of the window, over whatever is
there. A dialog in a small window reaches into that corner: at 40x12 one notice hid most of the
save dialog, and at 80x24 a notice said while the settings were open hid their note. So while
a dialog is on top, a notice is shown only where it leaves the dialog's box alone; the others
wait, and are shown for their whole time once there is room: the dialog closed, or the window
grew.

On the main screen the corner is beside the timer from 65 columns and 18 rows up (the toast's
column starts right of the timer's words); in a smaller window the timer takes the whole width,
and a toast hid its numerals, its phase and the stretch under way. There a notice is told on
the row over the heading instead (tui.ui.notice_band), and nothing else moves. Notices move
between the two as the window or the screen on top changes.

Every notice said is kept (the newest `KEPT`), for the `i` screen: a notice goes by in seconds,
often while the person is on the floor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.app import App, ScreenStackError
from textual.content import Content
from textual.notifications import Notification, Notify
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from tui.ui.notice_band import Band

TOAST_WIDTH = 60
"""A toast's width in Textual 8.2.8, at most half of its rack (the window less the rack's
scroll bar, 2 columns)."""


def toast_width(window_width: int) -> int:
    return min(TOAST_WIDTH, (window_width - 2) // 2)


def notice_rows(message: str, title: str, window_width: int, *, markup: bool = False) -> int:
    """The rows a notice takes in the corner, as Textual 8.2.8 lays a toast out: a blank row
    above it, a row of padding above and below, its title and its words wrapped."""
    words = Content.from_markup(message) if markup else Content(message)
    if title:
        words = Content.assemble(title, "\n", words)
    inside = max(1, toast_width(window_width) - 3)  # a column of edge, one of padding each side
    return 3 + len(words.wrap(inside))


def _box(screen: Screen[Any]) -> Widget | None:
    """The box of the dialog on top, if a dialog is on top (every dialog's box is `.dialog`)."""
    if not isinstance(screen, ModalScreen):
        return None
    found = screen.query(".dialog")
    return found.first() if found else None


KEPT = 30
"""How many notices the `i` screen can show again."""


class Said(NamedTuple):
    """A notice as it was said, and when (the wall clock's time)."""

    at: datetime
    notification: Notification


class Notices:
    """The app's notices: shown at once where there is room, else held until there is.

    A notice goes to Textual as a message (as App.notify sends it), so for a moment it is on
    its way: counted as shown, and placed again when it arrives (`arrived`)."""

    def __init__(self, app: App[Any], wall: Callable[[], datetime]) -> None:
        self._app = app
        self._wall = wall
        self.waiting: list[Notification] = []
        """Notices held back, oldest first."""
        self._sent: list[Notification] = []
        """Notices on their way to Textual's collection."""
        self.said: list[Said] = []
        """The last notices said, oldest first, to be read again."""
        self._timer: Widget | None = None
        self._band: Band | None = None

    def keep_clear_of(self, timer: Widget) -> None:
        """The widget no notice may cover on the main screen (composed anew with a routine)."""
        self._timer = timer

    @property
    def band(self) -> Band:
        """The notices told on the row over the heading (made when first needed)."""
        if self._band is None:
            from tui.ui.notice_band import Band

            self._band = Band(self._app, self._main_screen)
        return self._band

    def up(self) -> list[Notification]:
        """Every notice said and not yet gone: shown (as a toast or on the row), on its way,
        or waiting for room."""
        held = self._band.notices if self._band is not None else []
        return [*self._app._notifications, *self._sent, *self.waiting, *held]

    def say(self, notification: Notification) -> None:
        self.said = [*self.said[1 - KEPT :], Said(self._wall(), notification)]
        if self._on_the_row():
            self.band.add(notification)
        elif not self.waiting and self._room_for([*self._shown(), notification]):
            self._send(notification)
        else:
            self.waiting.append(notification)

    def arrived(self, event: Notify) -> None:
        """A notice reaches the app, before Textual's own handler takes it in: place them all
        for the screen on top now, and keep this one out if it has to wait."""
        notification = event.notification
        self.place()  # counting it as shown: it is on its way
        if notification in self._sent:
            self._sent.remove(notification)
        held = self._band is not None and self._band.holds(notification)
        if notification in self.waiting or held:
            event.prevent_default()  # Textual never takes it in; it is shown afresh later

    def place(self) -> None:
        """Hold back the notices that would cover the dialog on top; show the ones waiting that
        fit now, oldest first; on the main screen of a small window, tell them on the row over
        the heading. Called whenever a screen comes on top or the window resizes."""
        if self._on_the_row():
            moving = [*self._shown(), *self.waiting]
            if moving:
                self.waiting, self._sent = [], []
                self._app.clear_notifications()
            for notification in moving:
                self.band.add(notification)
            if self._band is not None:
                self._band.reflow()  # the window may have changed width
            return
        if self._band is not None:  # room for toasts again: the row's notices go there
            self.waiting.extend(self._band.take_all())
        shown = self._shown()
        if shown and not self._room_for(shown):
            self.waiting[:0] = shown
            self._sent.clear()
            self._app.clear_notifications()
            for screen in self._app.screen_stack[:-1]:
                # the screens under the dialog keep drawing their toasts, dimmed, until they
                # are on top again: a notice cut in half under the box, so those go too
                screen.query("ToastHolder").remove()
            shown = []
        going: list[Notification] = []
        while self.waiting and self._room_for([*shown, *going, self.waiting[0]]):
            going.append(self.waiting.pop(0))
        for held in going:  # afresh: its time runs from now, when it can be read
            self._send(
                Notification(held.message, held.title, held.severity, held.timeout, held.markup)
            )

    def all_read(self) -> None:
        """The person is reading every notice (the `i` screen): none is shown or told again."""
        self.waiting = []
        if self._band is not None:
            self._band.take_all()
        self._app.clear_notifications()

    def withdraw(self, message: str) -> None:
        """Take a notice down before its time, or before it is shown: it is no longer so (nor
        is it kept to be read again)."""
        self.waiting = [held for held in self.waiting if held.message != message]
        self.said = [said for said in self.said if said.notification.message != message]
        if self._band is not None:
            self._band.withdraw(message)
        app = self._app
        # Textual 8.2.8 has no public call for one notice; a toast clicked away does this
        for notification in list(app._notifications):
            if notification.message == message:
                app._unnotify(notification)
        self.place()  # its room may be what another one waited for

    def _send(self, notification: Notification) -> None:
        self._sent.append(notification)
        self._app.post_message(Notify(notification))

    def _shown(self) -> list[Notification]:
        return [*self._app._notifications, *self._sent]

    def _main_screen(self) -> Screen[Any]:
        return self._timer.screen if self._timer is not None else self._app.screen

    def _on_the_row(self) -> bool:
        """Whether notices go on the row over the heading: the timer is on the screen on top,
        and a toast's column would reach into its words. (Never where Textual is told to show
        no notices, as `run_test` is unless asked.)"""
        app, timer = self._app, self._timer
        if app._disable_notifications or timer is None or not timer.is_attached:
            return False
        try:
            if timer.screen is not app.screen:
                return False
        except ScreenStackError:
            return False
        words = timer.content_region
        if not words:
            return True  # not laid out yet: the row covers nothing whatever the layout
        width = app.size.width
        return width - 2 - toast_width(width) < words.right

    def _room_for(self, notices: list[Notification]) -> bool:
        """Whether `notices` leave the dialog on top alone (there is always room when none is)."""
        app = self._app
        try:
            screen = app.screen
        except ScreenStackError:
            return True  # not started, or ending: Textual shows notices on no screen then
        box = _box(screen)
        if box is None:
            return True
        region = box.region
        if not region:
            return False  # not laid out yet: its place is not known
        width, height = app.size
        if region.right <= width - 2 - toast_width(width):
            return True  # the box ends left of the corner
        # toasts stand on the row above the keys' line, each with a blank row above it
        rows = sum(notice_rows(n.message, n.title, width, markup=n.markup) for n in notices)
        return region.bottom + rows <= height


def place_notices(app: App[Any]) -> None:
    """Place the notices of `app` for the screen now on top (a dialog opened, closed, resized)."""
    notices = getattr(app, "notices", None)
    if isinstance(notices, Notices):
        notices.place()
