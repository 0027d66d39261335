"""The JSON Schema (draft 2020-12) of routine format 1, built from the loader's own field table.

`unknot schema` prints it; a copy is kept beside the built-in routines for the `#:schema` comment
that TOML language servers (taplo, tombi, Even Better TOML) read, and a test keeps that copy equal
to what this module generates, so neither can drift from the loader.

What JSON Schema cannot say, the loader alone checks: a range's low end not above its high end,
stretch ids unique in a file, a figure's keyframe times in order, and 10.0 not being a whole
number (JSON does not tell 10.0 from 10); a day named twice in [plan], and a progression under
which nothing can grow. The placeholders of text that follows the side (tui.core.side_text) it
can say, as patterns.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tui.core.model import SCHEMA_VERSION
from tui.core.side_text import FOLLOWS_SIDE, PLACEHOLDERS
from tui.core.textclean import BIDI_RANGES, CONTROL_RANGES
from tui.routine_files.fields import ROUTINE_FIELDS, STRETCH_FIELDS, FieldSpec

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"urn:unknot:routine-{SCHEMA_VERSION}"
SCHEMA_FOLDER = "schema"
SCHEMA_FILE = f"routine-{SCHEMA_VERSION}.json"
SCHEMA_REF = f"./{SCHEMA_FOLDER}/{SCHEMA_FILE}"
"""What a built-in routine's `#:schema` comment says: the copy beside it, relative to the file."""


def _whole(bounds: tuple[int, int] | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer"}
    if bounds is not None:
        schema["minimum"], schema["maximum"] = bounds
    return schema


# Something left to show once the loader has cleaned the text: not only spaces, control codes
# or bidi controls (the loader drops those, then counts what is left).
VISIBLE = (
    "[^\\s"
    + "".join(f"\\u{first:04x}-\\u{last:04x}" for first, last in (*CONTROL_RANGES, *BIDI_RANGES))
    + "]"
)


def _string(bounds: tuple[int, int] | None, *, visible: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if bounds is not None:
        schema["minLength"], schema["maxLength"] = bounds
        if visible and bounds[0] > 0:
            schema["pattern"] = VISIBLE
    return schema


def _value(spec: FieldSpec) -> dict[str, Any]:
    """The schema of one field's value, by its kind."""
    kind = spec.kind
    if kind == "schema":
        assert spec.bounds is not None
        return {"type": "integer", "const": spec.bounds[0]}
    if kind == "integer":
        return _whole(spec.bounds)
    if kind == "span":
        whole = _whole(spec.bounds)
        pair = {
            "type": "array",
            "prefixItems": [whole, whole],
            "items": False,
            "minItems": 2,
            "description": "A recommended range [low, high]; the plan starts at low.",
        }
        return {"oneOf": [whole, pair]}
    if kind in ("text", "block"):
        return _string(spec.bounds)
    if kind == "id":
        schema = _string(spec.bounds, visible=False)
        if spec.pattern is not None:
            schema["pattern"] = spec.pattern
        return schema
    if kind == "lines":
        schema = {"type": "array", "items": _string(spec.bounds)}
        if spec.count is not None:
            schema["minItems"], schema["maxItems"] = spec.count
        return schema
    if kind == "choice":
        return {"type": "string", "enum": list(spec.choices)}
    if kind == "plan":
        return _plan()
    if kind == "progression":
        return _progression()
    if kind == "figure":
        from tui.core.figure_toml import figure_schema

        return figure_schema()
    if kind == "stretches":
        schema = {"type": "array", "items": {"$ref": "#/$defs/stretch"}}
        if spec.count is not None:
            schema["minItems"], schema["maxItems"] = spec.count
        return schema
    raise ValueError(f"no JSON Schema for field kind {kind!r}")


def _any_case(word: str) -> str:
    return "".join(f"[{letter.upper()}{letter}]" for letter in word)


def _day_pattern() -> str:
    """A day as the loader reads one: its first three letters or more, in any case."""
    from tui.core.schedule import DAY_NAMES

    names = []
    for name in DAY_NAMES:
        rest = ""
        for letter in reversed(name[3:]):
            rest = f"({_any_case(letter)}{rest})?"
        names.append(_any_case(name[:3]) + rest)
    return f"^({'|'.join(names)})$"


def _plan() -> dict[str, Any]:
    from tui.core.schedule import TIMES_A_DAY_BOUNDS

    return {
        "type": "object",
        "properties": {
            "times_a_day": {
                "description": "Sessions a day on the days planned (default 1).",
                **_whole(TIMES_A_DAY_BOUNDS),
                "default": 1,
            },
            "days": {
                "description": "The days of the week it is meant for (default: every day), "
                'such as ["mon", "wed", "fri"].',
                "type": "array",
                "items": {"type": "string", "pattern": _day_pattern()},
                "minItems": 1,
                "maxItems": 7,
            },
        },
        "additionalProperties": False,
    }


def _progression() -> dict[str, Any]:
    from tui.core.model import HOLD_BOUNDS, REPS_BOUNDS
    from tui.core.schedule import HOLD_PER_WEEK_BOUNDS, REPS_PER_WEEK_BOUNDS

    return {
        "type": "object",
        "properties": {
            "hold_seconds_per_week": {
                "description": "Seconds added to each hold every week of the plan.",
                **_whole(HOLD_PER_WEEK_BOUNDS),
            },
            "max_hold_seconds": {
                "description": "Where holds stop growing (default: the top of each hold range).",
                **_whole(HOLD_BOUNDS),
            },
            "reps_per_week": {
                "description": "Reps added every week of the plan.",
                **_whole(REPS_PER_WEEK_BOUNDS),
            },
            "max_reps": {
                "description": "Where reps stop growing (default: the top of each reps range).",
                **_whole(REPS_BOUNDS),
            },
        },
        "minProperties": 1,
        "additionalProperties": False,
    }


def _object(fields: tuple[FieldSpec, ...], title: str) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for spec in fields:
        prop = {"description": spec.help, **_value(spec)}
        if spec.default is not None:
            prop["default"] = spec.default
        properties[spec.name] = prop
    return {
        "title": title,
        "type": "object",
        "properties": properties,
        "required": [spec.name for spec in fields if spec.required],
        "additionalProperties": False,
    }


_NAMED = "\\{(?:" + "|".join(PLACEHOLDERS) + ")\\}"
"""One placeholder: {side}, {Side}, {other} or {Other}."""
_BRACE = "[^{}]|\\{\\{|\\}\\}"
"""One character that is not a brace, or a doubled brace."""
SIDE_TEXT = f"^(?:{_BRACE}|{_NAMED})*$"
"""A text that follows the side: placeholders and doubled braces, no brace alone."""
SIDELESS_TEXT = f"^(?:{_BRACE})*$"
"""The same text in a stretch without sides: doubled braces only."""
NAME_WITHOUT_SIDE = f"^(?![\\s\\S]*{_NAMED})"
"""A stretch's name, which reads the same on both sides: no placeholder."""
SIDE_TEXT_HELP = (
    " It may name the side being done: {side} or {Side} (right, Right; left, Left on the other"
    " side) and {other} or {Other}; a brace itself is written {{ or }}."
)


def _also_matches(schema: dict[str, Any], pattern: str) -> None:
    """`schema` (of a string) must match `pattern` as well as what it says already."""
    if "pattern" not in schema:
        schema["pattern"] = pattern
    else:
        schema.setdefault("allOf", []).append({"pattern": pattern})


def _side_text_rules(stretch: dict[str, Any]) -> None:
    """The placeholders' rules, added to the schema of a stretch."""
    properties = stretch["properties"]
    sideless: dict[str, Any] = {}
    for name in FOLLOWS_SIDE:
        prop = properties[name]
        prop["description"] += SIDE_TEXT_HELP
        listed = prop["type"] == "array"
        _also_matches(prop["items"] if listed else prop, SIDE_TEXT)
        pattern = {"pattern": SIDELESS_TEXT}
        sideless[name] = {"items": pattern} if listed else pattern
    _also_matches(properties["name"], NAME_WITHOUT_SIDE)
    properties["name"]["description"] += " The same on both sides: no {side} here."
    stretch["if"] = {
        "required": ["sides"],
        "properties": {"sides": {"enum": ["each", "alternate"]}},
    }
    stretch["else"] = {"properties": sideless}


def routine_schema() -> dict[str, Any]:
    """The whole schema, as a JSON-ready dict."""
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        **_object(ROUTINE_FIELDS, f"unknot routine (format {SCHEMA_VERSION})"),
    }
    stretch = _object(STRETCH_FIELDS, "One stretch")
    _side_text_rules(stretch)
    schema["$defs"] = {"stretch": stretch}
    return schema


def schema_text() -> str:
    """The schema as the text `unknot schema` prints and the shipped copy holds."""
    return json.dumps(routine_schema(), indent=2, ensure_ascii=False) + "\n"


def shipped_schema_path(builtin_folder: Path) -> Path:
    """Where the copy for `#:schema` comments lives, beside the built-in routines."""
    return builtin_folder / SCHEMA_FOLDER / SCHEMA_FILE


def write_schema(builtin_folder: Path) -> Path:
    """Regenerate the shipped copy (`python -m tui.routine_files.json_schema`); returns its path."""
    path = shipped_schema_path(builtin_folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    return path


if __name__ == "__main__":
    from tui.store.paths import builtin_dir

    print(write_schema(builtin_dir()))
