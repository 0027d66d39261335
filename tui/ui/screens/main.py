"""The screen the app starts on: Textual's default screen, sized as tui.ui.screens.sizing says."""

from __future__ import annotations

from textual.events import Resize, ScreenResume
from textual.screen import Screen

from tui.ui.notices import place_notices
from tui.ui.screens.sizing import drop_stale_resize


class MainScreen(Screen[None]):
    """The sidebar, detail and timer the app composes; it only ever lays out at today's size."""

    def on_resize(self, event: Resize) -> None:
        drop_stale_resize(self, event)
        # once laid out at the new size: toasts, or the row over the heading (tui.ui.notices)
        self.call_after_refresh(place_notices, self.app)

    def on_screen_resume(self, _event: ScreenResume) -> None:
        place_notices(self.app)  # a dialog closed: what waited for it is shown
