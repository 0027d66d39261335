"""The footer: the keys of the screen on top, whichever screen the footer itself sits on.

Textual's Footer shows the bindings of its own screen. unknot has one footer, on the main
screen, and its dialogs are modal: while one is open the main screen's keys do nothing (a
ModalScreen cuts the App's non-priority bindings), so a footer listing them promised keys that
did not work. This one lists what Textual computes for the screen on top (its
`active_bindings`): the dialog's own keys while a dialog is open, the main screen's otherwise.

It is one widget that draws a line of text, not a container of a widget per key as Textual's
Footer is: a screen under a dialog is not laid out again until it is back on top (textual
8.2.8, `Screen._on_idle`), so new child widgets would not be drawn there, while a repaint is.
It also costs one widget at start-up instead of one per key (issue 7: start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from collections.abc import Mapping

    from textual.binding import ActiveBinding, Binding
    from textual.screen import Screen


class Shown(NamedTuple):
    """One key in the footer: the key, as the footer writes it, and what it does."""

    key: str
    display: str
    description: str
    enabled: bool
    action: str = ""


KEPT_WHEN_NARROW = frozenset({"help", "request_quit", "quit"})
"""Actions whose keys stay in a footer too narrow for every key: the way out, and the way to
learn the keys left out (the help screen lists them all)."""


def fitting(widths: list[int], kept: list[bool], room: int) -> list[int]:
    """Which entries to show, by index, when entry i is `widths[i]` cells wide and entries are
    one cell apart in `room` cells: all when they fit, else the last ones not `kept` go first,
    one by one, until the rest fits. Never an entry cut in half."""
    shown = list(range(len(widths)))

    def width() -> int:
        return sum(widths[i] for i in shown) + max(0, len(shown) - 1)

    for index in reversed(range(len(widths))):
        if width() <= room:
            break
        if not kept[index]:
            shown.remove(index)
    return shown


def shown_bindings(active: Mapping[str, ActiveBinding]) -> list[tuple[Binding, bool]]:
    """The bindings a footer shows, given a screen's `active_bindings`: one per action (the
    first key Textual lists for it), in Textual's order, each with whether it is enabled."""
    by_action: dict[str, tuple[Binding, bool]] = {}
    for _node, binding, enabled, _tooltip in active.values():
        if binding.show:
            by_action.setdefault(binding.action, (binding, enabled))
    return list(by_action.values())


class KeysFooter(Widget):
    """The last line: each key the screen on top answers to, and what it does."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--disabled",
    }
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        padding: 0 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-footer--key { color: $footer-key-foreground; text-style: bold; }
        & > .keys-footer--description { color: $footer-description-foreground; }
        & > .keys-footer--disabled { text-style: dim; }
    }
    """

    show_command_palette = reactive(True)
    """Show the key of the command palette, at the right end."""

    def entries(self) -> tuple[list[Shown], Shown | None]:
        """The keys to show for the screen on top, and the palette's key when it is shown."""
        app = self.app
        active = app.screen.active_bindings  # worked out afresh each time: read it once
        keys = [
            Shown(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                enabled,
                binding.action,
            )
            for binding, enabled in shown_bindings(active)
        ]
        palette = None
        opener = active.get(app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE and opener is not None:
            binding = opener.binding
            display = app.get_key_display(binding)
            palette = Shown(binding.key, display, binding.description, opener.enabled)
        return keys, palette

    def _part(self, shown: Shown) -> Content:
        key = self.get_visual_style("keys-footer--key")
        words = self.get_visual_style("keys-footer--description")
        part = Content.assemble((shown.display, key), " ", (shown.description, words))
        if not shown.enabled:
            part = part.stylize(self.get_visual_style("keys-footer--disabled"))
        return part

    def render(self) -> Content:
        keys, palette = self.entries()
        width = self.content_size.width
        parts = [self._part(shown) for shown in keys]
        line = Content("  ").join(parts)
        end = self._part(palette) if palette is not None else Content("")
        if line.cell_length + end.cell_length + 2 > width:
            # narrow: closer together, and what still does not fit left out whole
            room = width - (end.cell_length + 1 if palette is not None else 0)
            kept = [shown.action in KEPT_WHEN_NARROW for shown in keys]
            chosen = fitting([part.cell_length for part in parts], kept, room)
            line = Content(" ").join([parts[index] for index in chosen])
        gap = max(1, width - line.cell_length - end.cell_length)
        return Content.assemble(line, " " * gap, end) if palette is not None else line

    # -- following the screen on top ----------------------------------------------------------

    _followed: Screen[Any] | None = None
    """The screen on top when it is not the footer's own: its binding changes are listened to."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        self.app.screen_change_signal.unsubscribe(self)
        self._follow(None)

    def _bindings_changed(self, _screen: Screen[Any]) -> None:
        self.refresh()

    def _screen_changed(self, screen: Screen[Any]) -> None:
        self._follow(None if screen is self.screen else screen)
        self.refresh()

    def _follow(self, screen: Screen[Any] | None) -> None:
        if self._followed is not None:
            self._followed.bindings_updated_signal.unsubscribe(self)
        self._followed = screen
        if screen is not None:
            screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
