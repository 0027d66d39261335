"""What is wrong with a file the person can edit (a routine, the settings, the history, a place
to resume), in the words every one of them uses: one Problem per thing, with file, line and
field, ready to print on one line, and the value found there named in words (`described`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from tui.core.textclean import clean_line

Where = tuple[str | int, ...]
"""A field's place in a document: ("stretches", 1, "reps") is the second stretch's reps."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, ready to print on one line."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        place = self.path
        if self.line is not None:
            place += f":{self.line}"
        parts = [part for part in (place, self.field, self.message) if part]
        return ": ".join(parts)


def shown_path(path: Path | str) -> str:
    """A path as it can be printed: odd bytes escaped, control characters removed."""
    text = str(path).encode("utf-8", "backslashreplace").decode("utf-8")
    return clean_line(text, 1000)


def field_name(where: Where) -> str:
    """("stretches", 1, "reps") -> "stretches[2].reps" (counting from 1, as a person counts
    the [[stretches]] in a file)."""
    parts: list[str] = []
    for part in where:
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + clean_line(part, 60))
    return "".join(parts)


_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$|\s*\(at end of document\)\s*$")


def toml_error_parts(error: ValueError) -> tuple[str, int | None]:
    """tomllib's complaint without the place it ends with ("(at line 3, column 7)" or "(at end
    of document)"), and the line, when it gives one."""
    message = str(error)
    place = _TOML_PLACE.search(message)
    if place is None:
        return message, None
    line = int(place.group(1)) if place.group(1) else None
    return _TOML_PLACE.sub("", message), line


QUOTED_LENGTH = 40
"""The most of a found text a message shows, escapes included."""


def described(value: object, *, whole: bool = False) -> str:
    """A value found in a file, in a few words safe to print: never the whole of a long or odd
    value. `whole`: a whole number was wanted there, so a fraction says it is not one."""
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (true/false, not a number)"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else "a very large number"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan (not a number)"
        written = f"{'-' if value < 0 else ''}inf" if math.isinf(value) else repr(value)
        return f"{written} (not a whole number)" if whole else written
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, list):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date or time"
    return "a value of another kind"


def quoted(text: str) -> str:
    """A found text in quotes, cut short, every character that is not plainly printable (a
    control code, a tab, a bidi or zero-width mark) written as its \\u escape, so the message
    shows what makes the text wrong and the terminal acts on none of it."""
    pieces: list[str] = []
    length = 0
    for char in text[: QUOTED_LENGTH + 1]:
        piece = char if char.isprintable() else _escape(char)
        pieces.append(piece)
        length += len(piece)
    if len(text) <= QUOTED_LENGTH and length <= QUOTED_LENGTH:
        return f'"{"".join(pieces)}"'
    kept: list[str] = []
    room = QUOTED_LENGTH - 1  # and an ellipsis
    for piece in pieces:
        if len(piece) > room:
            break
        kept.append(piece)
        room -= len(piece)
    return f'"{"".join(kept)}…"'


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
