"""What is wrong with a file the person can edit (a routine, the settings, the history, a place
to resume), in the words every one of them uses: one Problem per thing, with file, line and
field, ready to print on one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
