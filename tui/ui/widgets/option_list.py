"""Textual's OptionList without its page-key crash in textual 8.2.8."""

from __future__ import annotations

import contextlib

from textual.widgets import OptionList


class SafeOptionList(OptionList):
    """PageUp/PageDown before the list has laid out its lines raise KeyError in OptionList;
    a key pressed at the wrong moment must not end the app."""

    def action_page_up(self) -> None:
        with contextlib.suppress(KeyError):
            super().action_page_up()  # type: ignore[no-untyped-call]

    def action_page_down(self) -> None:
        with contextlib.suppress(KeyError):
            super().action_page_down()  # type: ignore[no-untyped-call]
