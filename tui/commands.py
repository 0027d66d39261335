"""The command palette (Ctrl+P): routines, stretches and actions, found by typing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.style import Style

from tui.widgets.safe import clean

if TYPE_CHECKING:
    from tui.app import UnknotApp

_MATCH = Style(reverse=True)


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


class UnknotCommands(Provider):
    """Every routine, every stretch of the open routine, and the app's actions."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = cast("UnknotApp", self.app)
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
            ("Choose another routine", "pick_routine", "o"),
            ("Help: every key", "help", "?"),
            ("Quit", "request_quit", "q"),
        ]
        for words, action, key in actions:
            commands.append((words, getattr(app, f"action_{action}"), f"Key: {key}"))
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
