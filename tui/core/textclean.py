"""Make untrusted text safe to show: no control codes, no bidi tricks, no unbounded length.

Routine files are written by anyone, and a terminal obeys what it is sent: an ESC in a stretch
name could retitle the window or clear the screen, a C1 code (U+009B) is a CSI on its own, and a
bidi override reorders what the person reads. The loader cleans every string once, at load, so
the rest of the program only ever sees clean text. Markup such as "[bold]" is left as typed: the
views show text literally (see TEXTUAL-NOTES.md), so it is harmless here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

CONTROL_RANGES = ((0x00, 0x1F), (0x7F, 0x9F))
"""C0 (below U+0020), DEL and C1 (U+0080-U+009F): all of Unicode category Cc (first, last)."""
BIDI_RANGES = ((0x202A, 0x202E), (0x2066, 0x2069))
"""Bidi embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069) (first, last)."""

# Tables for str.translate (a code point mapped to None is removed), not regular expressions:
# compiling those was most of what importing this module cost, and it is imported at every start.
_DROP: dict[int, str | None] = {
    code: None for first, last in (*CONTROL_RANGES, *BIDI_RANGES) for code in range(first, last + 1)
}
_ONE_LINE = _DROP | dict.fromkeys(map(ord, "\t\n\r\u2028\u2029"), " ")
"""Tabs and line breaks become spaces; every other control code goes."""
_LINE_BREAKS = dict.fromkeys(map(ord, "\r\x0b\x0c\x85\u2028\u2029"), "\n")
"""Every other line break as "\\n" (once "\\r\\n" is one already)."""
_SHOWN = {code: value for code, value in _DROP.items() if code != ord("\n")} | {ord("\t"): " "}
"""Line breaks ("\\n") stay, tabs become spaces; every other control code goes."""
_ESCAPED = {code: f"\\u{code:04x}" for code in _DROP}
"""Every code `clean_*` drops, written out as a \\u escape instead (for error messages)."""
_ELLIPSIS = "…"


def _translated(text: str, table: Mapping[int, str | None]) -> str:
    """`text` through `table`. Printable text (nearly all of it) holds nothing any table here
    changes, and telling so is much quicker than translating, which looks up every character."""
    return text if text.isprintable() else text.translate(table)


def escape_invisible(text: str) -> str:
    """`text` with every control code and bidi mark shown as a \\u escape ("\\u001b"), so a
    message can say what a file holds without the terminal acting on it."""
    return _translated(text, _ESCAPED)


def _cap(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when it was cut."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + _ELLIPSIS


def clean_line(text: str, limit: int) -> str:
    """One line of text: tabs and line breaks become spaces, other control codes go, then capped."""
    return _cap(_translated(text, _ONE_LINE).strip(), limit)


def clean_block(text: str, limit: int) -> str:
    """Several lines of text: like `clean_line`, but line breaks are kept (as "\\n")."""
    lines = _translated(text.replace("\r\n", "\n"), _LINE_BREAKS).split("\n")
    cleaned = [_translated(line.expandtabs(4), _DROP).rstrip() for line in lines]
    return _cap("\n".join(cleaned).strip("\n").rstrip(), limit)


def clean_shown(text: str, limit: int) -> str:
    """Text a view shows as it is: every control code and bidi control goes but line breaks
    ("\\n"), tabs become spaces; cut to at most `limit` characters (the view wraps the rest)."""
    return _translated(text, _SHOWN)[:limit]


def clean_for_terminal(text: str) -> str:
    """One plain line to write to a terminal: every control character goes, newline included
    (tabs and line breaks become spaces), so it can never end an escape sequence early or
    start another.
    """
    return _translated(text, _ONE_LINE).strip()


_INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Co"))
"""Control and format characters (every bidi mark among them), lone surrogates, private use."""


def clean_for_sequence(text: str, limit: int) -> str:
    """Text to put inside an escape sequence (a window title, a desktop notice): one line as
    `clean_for_terminal` makes it, also without the other invisible characters, which a title
    or a notice has no use for; runs of spaces as one; at most `limit` characters."""
    kept = (
        char for char in clean_for_terminal(text) if unicodedata.category(char) not in _INVISIBLE
    )
    return " ".join("".join(kept).split())[:limit]
