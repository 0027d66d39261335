"""The base of every dialog: closing twice (two keys queued, a message after Escape) is harmless."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal screen whose `close` does nothing once it is no longer the screen on top."""

    def close(self, result: ResultType | None = None) -> None:
        if self.is_current:
            self.dismiss(result)

    def action_close(self) -> None:
        self.close(None)
