"""The base of every dialog: asking it to close twice (two keys in one burst) is harmless, and
its keys are listed on its last line.

Keys arrive in bursts (a person mashing, a slow SSH link catching up): two Escapes can ask a
dialog to close twice before the first pop has happened, and in textual 8.2.8 the second
dismiss raises InvalidStateError. So a dialog is closed with `close`, which acts once.
"""

from __future__ import annotations

from typing import TypeVar

from textual.events import Resize, ScreenResume
from textual.screen import ModalScreen

from tui.ui.notices import place_notices
from tui.ui.screens.sizing import drop_stale_resize
from tui.ui.widgets.keys_footer import KeysFooter

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal screen closed with `close`, never with `dismiss` directly."""

    # Each dialog's own rules live with it, so the app's stylesheet, parsed before the first
    # frame, holds only the main screen's (issue 7: start-up).
    DEFAULT_CSS = """
    Dialog {
        align: center middle;

        .dialog {
            width: auto;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }

        .dialog-title {
            text-style: bold;
            margin-bottom: 1;
        }

        .dialog-note {
            color: $text-muted;
            margin-top: 1;
        }

        /* words wrap inside the box: a narrow window must not cut a note or a key line off */
        .dialog Label {
            max-width: 100%;
        }
    }
    """

    # not `_closing`: MessagePump uses that name, and setting it makes Textual drop the
    # screen's own Prune message, so the pop waits forever
    _dismissing = False

    def on_mount(self) -> None:
        # the dialog's keys, on its own last line: the main screen's footer lists them too,
        # but under the dialog's shade, dimmed. A dialog closed (or an app quit) in the same
        # burst of keys that opened it may be gone already by now: nothing to add then.
        if self.is_attached:
            self.mount(KeysFooter())

    def close(self, result: ResultType | None = None) -> None:
        if self.is_current and not self._dismissing:
            self._dismissing = True
            self.dismiss(result)

    def action_close(self) -> None:
        self.close(None)

    def on_resize(self, event: Resize) -> None:
        drop_stale_resize(self, event)
        self.call_after_refresh(place_notices, self.app)

    def on_screen_resume(self, _event: ScreenResume) -> None:
        # before Textual shows the notices on this screen: held until its box is laid out, then
        # shown if they leave it alone (tui.ui.notices)
        place_notices(self.app)
        self.call_after_refresh(place_notices, self.app)
