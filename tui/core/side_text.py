"""Text that follows the side: routine text names the working side and the other one with
placeholders, and is filled in for the side being done.

```toml
position = "Sit with your {side} leg out straight."       # "right leg", then "left leg"
steps = ["{Other} foot stays flat."]                      # "Left foot...", then "Right foot..."
tips = ["Curly braces themselves are written {{ and }}."]  # shows "{ and }"
```

{side} and {other} give "right" or "left"; {Side} and {Other} give "Right" or "Left", to start
a sentence. A brace that is not part of a placeholder is written twice. The placeholders work in
the texts that describe doing the stretch (FOLLOWS_SIDE); the name is the same on both sides.

The rule is pure (no Textual, no files): the loader asks `problems` of each text, the views show
`on_side(stretch, side)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tui.core.model import Side, Stretch, other_side

PLACEHOLDERS = ("side", "Side", "other", "Other")
"""Every placeholder's name, as written between braces."""
FOLLOWS_SIDE = ("targets", "position", "steps", "tips", "variation")
"""The fields of a stretch whose text is filled in for the side being done."""

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
"""A doubled brace, a braced name (which may be unknown), or a brace standing alone."""
_SHOWN_NAME = 30
"""At most this many characters of an unknown name are quoted back."""


@dataclass(frozen=True, slots=True)
class BraceProblem:
    """One thing wrong with the braces of a text: where (0-based) and what, in words."""

    column: int
    found: str
    """The piece of text at fault, as written: "{sdie}", "{" or "}"."""
    message: str


def words_for(side: Side) -> dict[str, str]:
    """What each placeholder stands for on `side`."""
    other = other_side(side)
    return {"side": side, "Side": side.capitalize(), "other": other, "Other": other.capitalize()}


def problems(text: str) -> list[BraceProblem]:
    """Every misused brace and unknown placeholder in `text`, in the order they come."""
    found: list[BraceProblem] = []
    if "{" not in text and "}" not in text:
        return found
    for match in _TOKEN.finditer(text):
        piece = match.group(0)
        if piece in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            found.append(BraceProblem(match.start(), piece, _lone_brace(piece)))
        elif name not in PLACEHOLDERS:
            found.append(BraceProblem(match.start(), piece, _unknown(name)))
    return found


def placeholders(text: str) -> list[str]:
    """The known placeholders `text` uses, in order, each as written ("{Side}")."""
    if "{" not in text:
        return []
    return [
        match.group(0)
        for match in _TOKEN.finditer(text)
        if match.group(1) is not None and match.group(1) in PLACEHOLDERS
    ]


def written_in(text: str) -> list[str]:
    """The placeholders written anywhere in a text shown as written (a name), in order: there
    a brace is a brace, so "{{side}}" holds "{side}" too."""
    return sorted(
        (f"{{{name}}}" for name in PLACEHOLDERS if f"{{{name}}}" in text),
        key=text.index,
    )


def fill(text: str, side: Side) -> str:
    """`text` as it reads on `side`: placeholders filled in, doubled braces made single.

    A text the loader would refuse is never filled here, but if one is, what cannot be read
    is left as written rather than lost.
    """
    if "{" not in text and "}" not in text:
        return text
    words = words_for(side)

    def piece(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole in ("{{", "}}"):
            return whole[0]
        name = match.group(1)
        return words.get(name, whole) if name is not None else whole

    return _TOKEN.sub(piece, text)


def switch_words(side: str | None) -> str:
    """What a switch of sides is called where it is announced (speech, a notification): it names
    the side the person turns to, since they may not be looking at the screen."""
    return f"Switch to the {side} side" if side else "Switch sides"


def escape(text: str) -> str:
    """`text` written so that it reads as itself once filled: every brace doubled."""
    return text.replace("{", "{{").replace("}", "}}")


def uses_side(stretch: Stretch) -> bool:
    """True when some text of `stretch` reads differently on each side."""
    return any(placeholders(text) for text in _texts(stretch))


def side_to_show(stretch: Stretch, side: Side | None) -> Side:
    """The side whose text to show: `side`, or the stretch's first side when no side is being
    done (before the stretch starts, while idle, between stretches)."""
    return side if side is not None else stretch.first_side


def on_side(stretch: Stretch, side: Side | None = None) -> Stretch:
    """`stretch` as it reads on `side` (None: its first side), for showing only: its texts are
    filled in, so they are no longer in the file's form."""
    if not any("{" in text or "}" in text for text in _texts(stretch)):
        return stretch
    shown = side_to_show(stretch, side)
    return replace(
        stretch,
        targets=tuple(fill(text, shown) for text in stretch.targets),
        position=fill(stretch.position, shown),
        steps=tuple(fill(text, shown) for text in stretch.steps),
        tips=tuple(fill(text, shown) for text in stretch.tips),
        variation=fill(stretch.variation, shown),
    )


def _texts(stretch: Stretch) -> tuple[str, ...]:
    return (*stretch.targets, stretch.position, *stretch.steps, *stretch.tips, stretch.variation)


def _lone_brace(brace: str) -> str:
    if brace == "{":
        return "a { that is never closed; write {{ for a brace itself"
    return "a } with no { before it; write }} for a brace itself"


def _unknown(name: str) -> str:
    shown = name if len(name) <= _SHOWN_NAME else name[: _SHOWN_NAME - 1] + "…"
    known = ", ".join(f"{{{known}}}" for known in PLACEHOLDERS)
    message = f"unknown placeholder {{{shown}}}; known: {known} (a brace itself is {{{{ or }}}})"
    guess = _guess(name)
    return f"{message}; did you mean {guess}?" if guess else message


def _guess(name: str) -> str | None:
    """The placeholder a mistyped name most likely meant, as written."""
    bare = name.strip()
    if bare in PLACEHOLDERS:
        return f"{{{bare}}} (no spaces inside the braces)"
    lower = bare.lower()
    if lower in ("right", "left"):
        return "{side} (the side being done) or {other}"
    if lower in ("side", "other"):
        return f"{{{lower}}}, or {{{lower.capitalize()}}} to start a sentence"
    import difflib  # only a file with a mistake gets here

    close = difflib.get_close_matches(lower, ["side", "other"], n=1, cutoff=0.6)
    return f"{{{close[0]}}}" if close else None
