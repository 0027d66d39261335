"""A quick reader for month files as unknot writes them, with tomllib for everything else.

tomllib is pure Python and reads about 1.5 MB a second; ten years of history is 10 MB of TOML
with some 45 lines a session, so the first history open took seven seconds. The files unknot
writes use a handful of line shapes, and this reader knows only those: each line is one of
them or the whole file goes to tomllib. So whatever this reader accepts, it reads exactly as
tomllib would (a property test holds it to that), and every file it declines (hand-edited,
broken, hostile) still gets tomllib's result or its error with line and column.

No Textual here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

_NUMBER = r"-?(?:0|[1-9][0-9]*)"
# `key = value`, the value in the one group that matched: a basic string with no escapes and
# no control characters (tomllib allows a tab in one), true, false, an integer, a float as
# tomli_w writes one, or a date and time with an offset
_KEY_LINE = re.compile(
    r'([A-Za-z0-9_-]+) = (?:"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"|(true)|(false)'
    rf"|({_NUMBER})|({_NUMBER}\.[0-9]+)"
    r"|([0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]{1,6})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])))\Z"
)
_COMMENT = re.compile(r"#[^\x00-\x08\x0a-\x1f\x7f]*\Z")
_SESSION = "[[session]]"
_STRETCH = "[[session.stretch]]"
_DONE = "[session.stretch.reps_done]"


class _Declined(Exception):
    """A line this reader does not know: tomllib reads the file instead."""


# by the number of the group that matched (0 and 1 never are: group 1 is the key)
_CONVERT: tuple[Callable[[str], object], ...] = (
    str,
    str,
    str,  # a basic string
    lambda _: True,
    lambda _: False,
    int,
    float,
    datetime.fromisoformat,  # with an offset, as tomllib reads it, only faster
)


def quick_loads(text: str) -> dict[str, Any] | None:
    """`tomllib.loads(text)` for a month file in unknot's own layout; None for any other text."""
    if "\r" in text:  # CRLF line ends: rare, and tomllib's to read
        return None
    try:
        return _read(text)
    except (_Declined, ValueError):  # ValueError: 31 February, or an integer of 5,000 digits
        return None


def _read(text: str) -> dict[str, Any]:
    document: dict[str, Any] = {}
    table = document
    sessions: list[dict[str, Any]] | None = None
    session: dict[str, Any] | None = None
    stretch: dict[str, Any] | None = None
    match_key_line, convert = _KEY_LINE.match, _CONVERT
    for line in text.split("\n"):
        found = match_key_line(line)
        if found is not None:
            size = len(table)
            kind = found.lastindex or 0
            table[found[1]] = convert[kind](found[kind])
            if len(table) == size:  # the key was there already
                raise _Declined
        elif not line:
            continue
        elif line[0] == "#":
            if _COMMENT.match(line) is None:
                raise _Declined
        # the values above are never lists or tables, so a name taken already was taken by a
        # `key = value` line or by the same header before: both are errors for tomllib
        elif line == _SESSION:
            if sessions is None:
                if "session" in document:
                    raise _Declined
                sessions = document["session"] = []
            table = session = {}
            sessions.append(session)
            stretch = None
        elif line == _STRETCH and session is not None:
            stretches = session.setdefault("stretch", [])
            if not isinstance(stretches, list):
                raise _Declined
            table = stretch = {}
            stretches.append(stretch)
        elif line == _DONE and stretch is not None and "reps_done" not in stretch:
            table = stretch["reps_done"] = {}
        else:
            raise _Declined
    return document
