"""Routine files are written by anyone: their text is shown literally and never reaches the
terminal as a control code.

The loader cleans text once, but the view cleans again so that a routine built some other way
(a test, a future importer) cannot style, link, act or send escape codes either.
"""

from __future__ import annotations

from textual.content import Content

from tui.core.textclean import clean_shown

MAX_LENGTH = 2000


def clean(text: str) -> str:
    """`text` without control characters or bidi overrides, tabs as spaces, capped in length."""
    return clean_shown(text, MAX_LENGTH)


def literal(text: str) -> Content:
    """Content that shows `text` exactly as typed: markup in it is just characters."""
    return Content(clean(text))


def template(markup: str, **values: str) -> Content:
    """Our own markup around untrusted values: `template("[b]$name[/b]", name=text)`."""
    return Content.from_markup(markup, **{key: clean(value) for key, value in values.items()})
