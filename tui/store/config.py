"""The person's settings: `config_dir()/config.toml`, read with clear problems, saved atomically.

A broken settings file must never stop unknot: every problem is reported the way routine
problems are (file, line, field, what was found, "did you mean"), the keys that were fine are
kept, and the rest fall back to their defaults. A file that is not TOML at all gives the
defaults throughout. No Textual here: the theme names are a plain list, checked against
Textual's own list by a test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from tui.core.model import PREPARE_BOUNDS, REST_BOUNDS, ROUTINE_ID_PATTERN, Routine
from tui.core.problems import Problem, shown_path, toml_error_parts
from tui.core.textclean import clean_line
from tui.store.durable import (
    ReadError,
    SaveError,
    atomic_write_bytes,
    atomic_write_text,
    move_aside,
    read_limited,
)
from tui.store.paths import config_dir

MAX_BYTES = 64 * 1024
WHAT = "the settings"

THEMES: tuple[str, ...] = (
    "textual-dark",
    "textual-light",
    "nord",
    "gruvbox",
    "catppuccin-mocha",
    "dracula",
    "tokyo-night",
    "monokai",
    "flexoki",
    "catppuccin-latte",
    "catppuccin-frappe",
    "catppuccin-macchiato",
    "solarized-light",
    "solarized-dark",
    "rose-pine",
    "rose-pine-moon",
    "rose-pine-dawn",
    "atom-one-dark",
    "atom-one-light",
    "ansi-dark",
    "ansi-light",
)
"""Textual 8.2.8's built-in themes (tests/test_config.py checks this against Textual)."""


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting, with its default. None for the timings means: as the routine says."""

    bell: bool = True
    """Ring the terminal bell at the end of holds."""
    notify: bool = False
    """Also send desktop notifications (OSC 9/777)."""
    speak: bool = False
    """Say the cues aloud too (espeak-ng or say), as `--speak` does."""
    ask_pain: bool = True
    """Ask for a pain score from 0 to 10 before the first stretch and after the last."""
    prepare_seconds: int | None = None
    """Get-ready seconds before each stretch, instead of the routine's own."""
    rest_seconds: int | None = None
    """Rest seconds between stretches, instead of the routine's own."""
    theme: str = "textual-dark"
    start_routine: str | None = None
    """The id of the routine opened at start (None: the back-spasm one)."""
    figure_characters: str = "braille"
    """How figures are drawn: "braille" dots, or "blocks" (half blocks, for terminals or eyes
    that show braille faintly)."""
    plan_times_a_day: int | None = None
    """Sessions a day, instead of what each routine's [plan] says (issue 17)."""
    plan_days: tuple[str, ...] | None = None
    """The days of the week to stretch on ("mon", "wed", ...), instead of each routine's."""


KEYS = tuple(f.name for f in fields(Config))
_HELP = {
    "bell": "true or false",
    "notify": "true or false",
    "speak": "true or false",
    "ask_pain": "true or false",
    "prepare_seconds": f"a whole number from {PREPARE_BOUNDS[0]} to {PREPARE_BOUNDS[1]}",
    "rest_seconds": f"a whole number from {REST_BOUNDS[0]} to {REST_BOUNDS[1]}",
    "theme": "one of " + ", ".join(THEMES),
    "start_routine": "a routine id, as `unknot list` shows it",
    "figure_characters": '"braille" or "blocks"',
    "plan_times_a_day": "a whole number from 1 to 6",
    "plan_days": 'a list of days such as ["mon", "wed", "fri"], each named once',
}
FIGURE_CHARACTERS = ("braille", "blocks")
"""The renderer's modes (tui.core.raster.MODES), named here to keep that module out of the
settings' start-up."""


def with_settings(routine: Routine, config: Config) -> Routine:
    """The routine with the person's get-ready and rest seconds and plan, where the settings
    give them.

    The loader cannot tell a routine that sets these from one that leaves them at their
    defaults, so a setting replaces the routine's own value (in the app and in plain mode).
    """
    if config.prepare_seconds is not None:
        routine = replace(routine, prepare_seconds=config.prepare_seconds)
    if config.rest_seconds is not None:
        routine = replace(routine, rest_seconds=config.rest_seconds)
    if config.plan_times_a_day is not None or config.plan_days is not None:
        from tui.core.schedule import with_plan_settings

        schedule = with_plan_settings(routine, config.plan_times_a_day, config.plan_days)
        routine = replace(routine, schedule=schedule)
    return routine


def config_path() -> Path:
    return config_dir() / "config.toml"


@dataclass
class ConfigLoad:
    config: Config = field(default_factory=Config)
    problems: list[Problem] = field(default_factory=list)


def load_config(path: Path | None = None) -> ConfigLoad:
    """The settings in the file (defaults where it has none, or a bad value), and its problems."""
    path = path or config_path()
    shown = shown_path(path)
    try:
        data = read_limited(path, MAX_BYTES)
    except FileNotFoundError:
        return ConfigLoad()
    except ReadError as error:
        return ConfigLoad(problems=[Problem(shown, None, "", f"{error.reason}; using defaults")])
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return ConfigLoad(
            problems=[Problem(shown, line, "", "not UTF-8 text; using the default settings")]
        )
    import tomllib  # only when there is a settings file (start-up time)

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reason, at = toml_error_parts(error)
        message = f"not valid TOML: {clean_line(reason, 200)}; using the default settings"
        return ConfigLoad(problems=[Problem(shown, at, "", message)])
    except (RecursionError, ValueError):
        return ConfigLoad(
            problems=[Problem(shown, None, "", "not valid TOML; using the default settings")]
        )
    return _check(document, text, shown)


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _check(document: dict[str, Any], text: str, shown: str) -> ConfigLoad:
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def add(key: str, message: str) -> None:
        problems.append(Problem(shown, _line_of(text, key), clean_line(key, 60), message))

    for key, value in document.items():
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else f"the settings are: {', '.join(KEYS)}"
            add(key, f"unknown setting; {hint}")
            continue
        checked = _value(key, value)
        if isinstance(checked, _Bad):
            add(
                key,
                f"found {_describe(value)}; expected {_HELP[key]}{checked.hint}; using the default",
            )
        else:
            values[key] = checked
    return ConfigLoad(replace(Config(), **values), problems)


@dataclass(frozen=True, slots=True)
class _Bad:
    """A value refused, with a hint for the message."""

    hint: str = ""


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _value(key: str, value: object) -> object:
    """The checked value for a key, or _Bad."""
    if key in ("bell", "notify", "speak", "ask_pain"):
        return value if isinstance(value, bool) else _Bad()
    if key in ("prepare_seconds", "rest_seconds"):
        low, high = PREPARE_BOUNDS if key == "prepare_seconds" else REST_BOUNDS
        return (
            value if isinstance(value, int) and _whole(value) and low <= value <= high else _Bad()
        )
    if key == "theme":
        if isinstance(value, str) and value in THEMES:
            return value
        if isinstance(value, str):
            import difflib

            close = difflib.get_close_matches(value.lower(), THEMES, n=1, cutoff=0.6)
            return _Bad(f" (did you mean {close[0]}?)" if close else "")
        return _Bad()
    if key == "figure_characters":
        return value if isinstance(value, str) and value in FIGURE_CHARACTERS else _Bad()
    if key == "start_routine":
        return value if isinstance(value, str) and ROUTINE_ID_PATTERN.match(value) else _Bad()
    if key == "plan_times_a_day":
        return value if isinstance(value, int) and _whole(value) and 1 <= value <= 6 else _Bad()
    if key == "plan_days":
        return _days(value)
    return _Bad()


def _days(value: object) -> object:
    """Days named as a routine's [plan] names them, kept as "mon", "tue"... in week order."""
    from tui.core.schedule import DAY_SHORT, parse_plan

    plan, problems = parse_plan({"days": value})
    if plan is None:
        return _Bad(f" (here: {problems[0].message})" if problems else "")
    return tuple(DAY_SHORT[day].lower() for day in plan.days)


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{clean_line(value, 40)}"'
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else "a very large number"
    if isinstance(value, float):
        return f"{value!r} (not a whole number)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def config_toml(config: Config) -> str:
    """The text of config.toml for `config`; settings left at "as the routine says" are left out."""
    values = {k: v for k, v in asdict(config).items() if v is not None}
    header = (
        "# unknot settings. Saved by unknot; you may edit it by hand.\n"
        "# prepare_seconds and rest_seconds, when set, replace every routine's own timings;\n"
        "# plan_times_a_day and plan_days every routine's own [plan].\n"
    )
    import tomli_w

    return header + tomli_w.dumps(values)


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write the settings atomically; raises SaveError with a message for the person."""
    path = path or config_path()
    atomic_write_text(path, config_toml(config), what=WHAT)
    return path


def edited_settings(text: str, config: Config, keys: Iterable[str]) -> str | None:
    """`text`, a settings file that reads as TOML, with `config`'s values for `keys` written in.

    Everything else stays as the person wrote it: comments, blank lines, order, keys unknown
    to unknot, values unknot could not use. A setting back at "as the routine says" (None) is
    removed. None when the text is not TOML, or the edit would not read back as meant.
    """
    import tomllib

    try:
        before = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    import tomlkit  # only when saving: it costs tens of milliseconds to import

    try:
        document = tomlkit.parse(text)
    except Exception:  # tomlkit's own parse errors; tomllib took it, so a corner case
        return None
    defaults = Config()
    for key in keys:
        wanted = getattr(config, key)
        if key in before:
            if _value(key, before[key]) == wanted:
                continue  # already so, as they wrote it
        elif wanted == getattr(defaults, key):
            continue  # absent means this already
        if wanted is None:
            document.pop(key, None)
        else:
            document[key] = wanted
    edited = tomlkit.dumps(document)
    try:
        after = _check(tomllib.loads(edited), edited, "").config
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    if any(getattr(after, key) != getattr(config, key) for key in keys):
        return None
    return edited


def _not_toml(text: str) -> str | None:
    """Why `text` is not TOML, in words; None when it is."""
    import tomllib

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reason, at = toml_error_parts(error)
        where = f" at line {at}" if at is not None else ""
        return f"it is not valid TOML{where} ({clean_line(reason, 200)})"
    except (RecursionError, ValueError):
        return "it is not valid TOML (nested too deeply or a number out of range)"
    return None


class SettingsWriter:
    """Saves config.toml for the app, through PendingWrites: never over what the person wrote.

    A file that reads as TOML is edited in place (`edited_settings`: only the settings changed
    in the app are written). A file that cannot be read (not TOML, not text, not a file) is
    moved aside as `config.toml.broken-<time>` before the new one is written, and `moved` says
    where it went and why, for the app to tell. The same writer does a retried write later, so
    a file that could not be moved aside then (a read-only disk) is still never overwritten.
    """

    def __init__(self) -> None:
        self.moved: list[tuple[Path, str]] = []
        """Files moved aside and not yet told about: where each went, and why."""

    def write(
        self, config: Config, keys: Iterable[str], path: Path, data: bytes, *, what: str = WHAT
    ) -> None:
        """Save `config` (whose fresh text is `data`) at `path`; SaveError when the disk refuses."""
        keys = tuple(keys)
        why: str | None = None
        label = "broken"
        try:
            raw = read_limited(path, MAX_BYTES)
        except FileNotFoundError:
            raw = None
        except ReadError as error:
            raw, why = None, error.reason
        if raw is not None:
            try:
                text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
            except UnicodeDecodeError:
                why = "it is not UTF-8 text"
            else:
                why = _not_toml(text)
                edited = edited_settings(text, config, keys) if why is None else None
                if edited is not None:
                    atomic_write_text(path, edited, what=what)
                    return
                if why is None:  # TOML that the edit could not keep as it was: a rare shape
                    why, label = "unknot could not change it in place", "replaced"
        if why is not None:
            try:
                kept = move_aside(path, label=label)
            except FileNotFoundError:
                pass  # gone meanwhile: nothing left to keep
            except OSError as error:
                raise SaveError(what, path, error) from error
            else:
                self.moved.append((kept, why))
        atomic_write_bytes(path, data, what=what)

    def told(self) -> list[tuple[Path, str]]:
        """The files moved aside since the last call, to tell the person once."""
        moved, self.moved = self.moved, []
        return moved
