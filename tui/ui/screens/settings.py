"""The settings screen: every setting in a list, changed with the arrow keys, saved at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.core.model import PREPARE_BOUNDS, REST_BOUNDS
from tui.store.config import FIGURE_CHARACTERS, THEMES, Config
from tui.ui.literal import literal
from tui.ui.screens.dialog import Dialog
from tui.ui.widgets.option_list import SafeOptionList

ROWS: tuple[tuple[str, str], ...] = (
    ("bell", "Bell"),
    ("notify", "Desktop notices"),
    ("speak", "Speak cues"),
    ("ask_pain", "Ask pain score"),
    ("prepare_seconds", "Get-ready"),
    ("rest_seconds", "Rest between"),
    ("theme", "Colours"),
    ("start_routine", "Start routine"),
    ("figure_characters", "Figures drawn in"),
    ("plan_times_a_day", "Times a day"),
    ("plan_days", "Days"),
)
_BOUNDS = {"prepare_seconds": PREPARE_BOUNDS, "rest_seconds": REST_BOUNDS}
SHORT_BELOW = 18
DAY_CHOICES: tuple[tuple[str, ...], ...] = (
    ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    ("mon", "tue", "wed", "thu", "fri"),
    ("mon", "wed", "fri"),
    ("tue", "thu", "sat"),
    ("sat", "sun"),
)
"""The days the settings screen offers after "routine's"; config.toml may name any others."""


def _cycle(values: Sequence[object], current: object, step: int) -> object:
    index = values.index(current) if current in values else -1
    return values[(index + step) % len(values)]


def changed(config: Config, key: str, step: int, routine_ids: Sequence[str]) -> Config:
    """`config` with setting `key` moved one step forward (step 1) or back (step -1)."""
    value = getattr(config, key)
    new: object
    if isinstance(value, bool):
        new = not value
    elif key in _BOUNDS:
        low, high = _BOUNDS[key]
        # None (the routine's own) sits just below the lowest number
        number = (low - 1 if value is None else value) + step
        new = None if number < low else min(number, high)
    elif key == "theme":
        new = _cycle(THEMES, value, step)
    elif key == "figure_characters":
        new = _cycle(FIGURE_CHARACTERS, value, step)
    elif key == "plan_times_a_day":
        new = _cycle([None, 1, 2, 3, 4, 5, 6], value, step)
    elif key == "plan_days":
        mine = () if value is None or value in DAY_CHOICES else (value,)
        new = _cycle([None, *DAY_CHOICES, *mine], value, step)
    else:
        new = _cycle([None, *routine_ids], value, step)
    return replace(config, **{key: new})  # type: ignore[arg-type]


def shown(config: Config, key: str) -> str:
    value = getattr(config, key)
    if isinstance(value, bool):
        return "on" if value else "off"
    if value is None:
        return "last used" if key == "start_routine" else "routine's"
    if key == "figure_characters":
        return "braille dots" if value == "braille" else "half blocks"
    if key == "plan_days":
        return "every day" if len(value) == 7 else " ".join(day.capitalize() for day in value)
    return f"{value} s" if key in _BOUNDS else str(value)


class SettingsScreen(Dialog[None]):
    """Up/Down choose a setting; Enter, Space, Right or + change it; Left or - change it back."""

    DEFAULT_CSS = """
    #settings-box {
        width: 76;
        max-width: 100%;
    }

    #settings-list {
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="settings.close"),
        Binding("enter,space,right,plus,l", "change(1)", "Change", id="settings.next"),
        Binding("left,minus,h", "change(-1)", "Back", id="settings.back"),
        Binding("j", "move(1)", "Down", show=False, id="settings.down"),
        Binding("k", "move(-1)", "Up", show=False, id="settings.up"),
    ]

    def __init__(
        self, config: Config, routine_ids: Sequence[str], on_change: Callable[[Config], None]
    ) -> None:
        super().__init__()
        self.config = config
        self._ids = tuple(routine_ids)
        self._on_change = on_change
        self._list = SafeOptionList(id="settings-list")

    def compose(self) -> ComposeResult:
        with Vertical(id="settings-box", classes="dialog"):
            yield Label("Settings", classes="dialog-title")
            self._list.add_options([Option(self._row(key), id=key) for key, _ in ROWS])
            yield self._list
            yield Label(
                "Enter/→ change · ← back · saved at once · Escape closes. "
                "Timings, plan and spoken cues apply from the next start.",
                classes="dialog-note",
                markup=False,
            )

    def _row(self, key: str) -> Content:
        words = dict(ROWS)[key]
        return literal(f"{words:<16} {shown(self.config, key)}")

    def on_mount(self) -> None:
        self._list.highlighted = 0
        self._list.focus()
        self._fit(self.app.size.height)

    def on_resize(self, event: Resize) -> None:
        super().on_resize(event)
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        """Every row reachable in a short window: the list takes the rows there are (it scrolls
        to the one chosen), and below 18 rows the note gives its room to it."""
        short = height < SHORT_BELOW
        for note in self.query(".dialog-note"):
            note.display = not short
        self._list.styles.max_height = max(3, min(len(ROWS) + 2, height - (5 if short else 9)))

    def action_move(self, step: int) -> None:
        self._list.action_cursor_down() if step > 0 else self._list.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter on the list: the same as Right
        self.action_change(1)

    def action_change(self, step: int) -> None:
        index = self._list.highlighted
        if index is None:
            return
        key = ROWS[index][0]
        self.config = changed(self.config, key, step, self._ids)
        self._list.replace_option_prompt_at_index(index, self._row(key))
        self._on_change(self.config)
