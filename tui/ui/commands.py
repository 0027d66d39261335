"""The command palette (Ctrl+P): routines, stretches and actions, found by typing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Protocol, cast

from textual import work
from textual.await_complete import AwaitComplete
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.css.query import NoMatches
from textual.events import Resize
from textual.style import Style

from tui.ui.literal import clean
from tui.ui.notices import place_notices
from tui.ui.screens.sizing import drop_stale_resize

if TYPE_CHECKING:
    from tui.core.model import Routine

_MATCH = Style(reverse=True)


class PaletteHost(Protocol):
    """What the palette asks of the app it serves (tui.ui.app.UnknotApp), beside the app's
    `action_*` methods, which it finds by name as Textual's bindings do."""

    @property
    def routine(self) -> Routine: ...
    @property
    def routines(self) -> tuple[Routine, ...]: ...
    def switch_routine(self, routine_id: str | None) -> None: ...
    def go_to_stretch(self, index: int) -> None: ...


def highlighted(text: str, offsets: Sequence[int]) -> Content:
    """`text` shown literally, with the matched letters marked.

    Textual's own `Matcher.highlight` parses its argument as markup; routine names are
    untrusted, so the highlight is built on plain Content here.
    """
    content = Content(text)
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(_MATCH, offset, offset + 1)
    return content


_GATHER = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]


async def _nothing() -> None:
    return None


class Palette(CommandPalette):
    """Textual's palette, with two of its crashes in textual 8.2.8 closed off.

    Two quick Enters both reach `dismiss`, and the second pops the main screen
    (ScreenStackError); PageUp/PageDown on an empty list raise KeyError. A person mashing keys
    must not be able to end the app either way. Like every screen of the app, it lays out only
    at the window's present size (tui.ui.screens.sizing).
    """

    def on_resize(self, event: Resize) -> None:
        drop_stale_resize(self, event)

    def on_mount(self) -> None:
        from tui.ui.widgets.keys_footer import KeysFooter

        if self.is_attached:  # (not closed again in the burst of keys that opened it)
            self.mount(KeysFooter())  # its keys, undimmed, as every dialog of the app shows them
            place_notices(self.app)  # a notice on the main screen's row would go on unseen

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        # a search that starts or ends after the palette closed finds no list to fill
        with contextlib.suppress(NoMatches):
            await _GATHER(self, search_value)

    _dismissing = False

    def dismiss(self, result: None = None) -> AwaitComplete:
        if not self.is_current or self._dismissing:
            return AwaitComplete(_nothing())
        self._dismissing = True
        return super().dismiss(result)

    def _action_command_list(self, action: str) -> None:
        lists = self.query(CommandList)
        if not lists or lists.first().option_count == 0:
            return
        # the list's line index is filled in lazily; paging before that raises KeyError
        with contextlib.suppress(KeyError):
            super()._action_command_list(action)


class UnknotCommands(Provider):
    """Every routine, every stretch of the open routine, and the app's actions."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = cast("PaletteHost", self.app)
        commands: list[tuple[str, Callable[[], object], str]] = []
        for routine in app.routines:
            if routine.id != app.routine.id:
                commands.append(
                    (
                        f"Routine: {clean(routine.name)}",
                        partial(app.switch_routine, routine.id),
                        "Open this routine",
                    )
                )
        for index, stretch in enumerate(app.routine.stretches):
            commands.append(
                (
                    f"Stretch {index + 1}: {clean(stretch.name)}",
                    partial(app.go_to_stretch, index),
                    "Select it and start there",
                )
            )
        actions: list[tuple[str, str, str]] = [
            ("Start / pause / resume", "space", "Space"),
            ("Skip to the next phase", "next", "n"),
            ("Back to the start of the phase", "previous", "p"),
            ("Restart the current stretch", "restart", "r"),
            ("Mute or unmute the bell", "mute", "m"),
            ("Show or hide the stretch list", "toggle_list", "l"),
            ("Show problems in routine files", "problems", "!"),
            ("Show the last notices again", "notices", "i"),
            ("Choose another routine", "pick_routine", "o"),
            ("History: streak, minutes, pain trend", "history", "h"),
            ("Settings", "settings", ","),
            ("Save this routine as my own copy", "save_routine", "s"),
            ("Reset this routine to the built-in one", "reset_routine", "palette only"),
            ("Light or dark colours", "toggle_theme", "palette only"),
            ("Help: every key", "help", "?"),
            ("Quit", "request_quit", "q"),
        ]
        for words, action, key in actions:
            where = key if key == "palette only" else f"Key: {key}"
            commands.append((words, getattr(app, f"action_{action}"), where))
        return commands

    async def discover(self) -> Hits:
        for text, command, help_text in self._commands():
            yield DiscoveryHit(Content(text), command, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, text)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(text, offsets),
                    command,
                    text=text,
                    help=help_text,
                )
