"""The base of every dialog: closing it at any moment, or twice, is harmless.

Keys arrive in bursts (a person mashing, a slow SSH link catching up): "? ?" can ask a dialog to
close before it has finished opening, and two Escapes can ask twice. In textual 8.2.8 the first
can leave the app waiting forever on the half-opened screen and the second raises
InvalidStateError, so a close is held until the dialog is up, and done once.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class _Pending(Generic[ResultType]):
    def __init__(self, result: ResultType | None) -> None:
        self.result = result


class Dialog(ModalScreen[ResultType]):
    """A modal screen closed with `close`, never with `dismiss` directly."""

    _dismissing = False
    _shown_up = False
    _held_close: _Pending[ResultType] | None = None

    def on_mount(self) -> None:
        self.call_after_refresh(self._now_ready)

    def _now_ready(self) -> None:
        self._shown_up = True
        if self._held_close is not None:
            self.close(self._held_close.result)

    def close(self, result: ResultType | None = None) -> None:
        if not self._shown_up:
            self._held_close = _Pending(result)
            return
        if self.is_current and not self._dismissing:
            self._dismissing = True
            self.dismiss(result)

    def action_close(self) -> None:
        self.close(None)
