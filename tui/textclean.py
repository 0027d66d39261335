"""Make untrusted text safe to show: no control codes, no bidi tricks, no unbounded length.

Routine files are written by anyone, and a terminal obeys what it is sent: an ESC in a stretch
name could retitle the window or clear the screen, a C1 code (U+009B) is a CSI on its own, and a
bidi override reorders what the person reads. The loader cleans every string once, at load, so
the rest of the program only ever sees clean text. Markup such as "[bold]" is left as typed: the
views show text literally (see TEXTUAL-NOTES.md), so it is harmless here.
"""

from __future__ import annotations

import re

# Bidi embeddings/overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
_BIDI = "\u202a-\u202e\u2066-\u2069"
# C0 (category Cc below U+0020), DEL and C1 (U+0080-U+009F): all of Unicode category Cc.
_CONTROLS = "\x00-\x1f\x7f-\x9f"

_LINE_BREAKS = re.compile("\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile("[\t\n\r\u2028\u2029]")
_DROP = re.compile(f"[{_CONTROLS}{_BIDI}]")
_ELLIPSIS = "…"


def _cap(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when it was cut."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + _ELLIPSIS


def clean_line(text: str, limit: int) -> str:
    """One line of text: tabs and line breaks become spaces, other control codes go, then capped."""
    text = _SPACES.sub(" ", text)
    text = _DROP.sub("", text)
    return _cap(text.strip(), limit)


def clean_block(text: str, limit: int) -> str:
    """Several lines of text: like `clean_line`, but line breaks are kept (as "\\n")."""
    lines = _LINE_BREAKS.split(text)
    cleaned = [_DROP.sub("", line.expandtabs(4)).rstrip() for line in lines]
    return _cap("\n".join(cleaned).strip("\n").rstrip(), limit)


def clean_for_terminal(text: str) -> str:
    """Text to put inside an escape sequence (window title, OSC notification): one plain line.

    Every control character goes, newline included (tabs and line breaks become spaces), so the
    payload can never end the sequence early or start another.
    """
    text = _SPACES.sub(" ", text)
    return _DROP.sub("", text).strip()
