"""Routine files are written by anyone: their text is shown literally and never reaches the
terminal as a control code.

The loader cleans text once, but the view cleans again so that a routine built some other way
(a test, a future importer) cannot style, link, act or send escape codes either.
"""

from __future__ import annotations

import unicodedata

from textual.content import Content

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_LENGTH = 2000


def clean(text: str) -> str:
    """`text` without control characters or bidi overrides, tabs as spaces, capped in length."""
    text = text.replace("\t", " ")
    kept = (
        ch for ch in text if ch not in _BIDI and (ch == "\n" or unicodedata.category(ch) != "Cc")
    )
    return "".join(kept)[:MAX_LENGTH]


def literal(text: str) -> Content:
    """Content that shows `text` exactly as typed: markup in it is just characters."""
    return Content(clean(text))


def template(markup: str, **values: str) -> Content:
    """Our own markup around untrusted values: `template("[b]$name[/b]", name=text)`."""
    return Content.from_markup(markup, **{key: clean(value) for key, value in values.items()})
