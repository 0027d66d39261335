"""A stretch's `figure` table, as written by hand in a routine file, read into a Figure.

The form, in full (every key but `posture` may be left out):

    [stretches.figure]
    posture = "lying-on-back"    # lying-on-back, lying-face-down, sitting, standing, all-fours
    view = "side"                # "side" (the default): seen from the working side;
                                 # "head": the person's own view, along the body from beyond
                                 # the head, a little above (right is right on the screen);
                                 # "feet": the same from beyond the feet (right is left)
    start = { hips = 50, knees = 100 }    # the start position: only the joints that differ
                                          # from the posture's
    keyframes = [                         # the movement into the stretch, in order; each lists
        { near_hip = 80 },                # only the joints that change from the one before;
        { near_hip = 115, near_knee = 120, shoulders = 40 },   # the last is the held pose
    ]

A keyframe may say when it is reached with `at`, a fraction of the movement from 0 (the start) to
1 (the held pose); keyframes without `at` are spaced evenly between those with one, and the last
is at 1. The release is the movement played backward.

Joints (degrees; see tui.core.figure.JOINT_HELP): lean, back, twist, neck, and for each side,
near_ (the working side) or far_: shoulder, shoulder_out, elbow, hip, hip_out, hip_turn, knee,
ankle. The plurals (shoulders, shoulders_out, elbows, hips, hips_out, hips_turn, knees, ankles)
set both sides; a joint named alone wins over its plural.

Every mistake becomes a FigureProblem naming the field the way the routine loader does
(`stretches[2].figure.keyframes[1].near_hip`), and its line when the caller can find it. Nothing
is raised for a mistake in the table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from tui.core.figure import (
    JOINT_HELP,
    JOINT_RANGES,
    MAX_KEYFRAMES,
    PAIRS,
    POSTURES,
    VIEWS,
    Figure,
    Keyframe,
    View,
)
from tui.core.problems import Where
from tui.core.problems import described as _describe  # one wording for every file

LineOf = Callable[[Where], int | None]
"""Finds the line of a field in the file, or None."""

FIGURE_KEYS = ("posture", "view", "start", "keyframes")
AT = "at"

_RANGE_OF: dict[str, tuple[int, int]] = {
    **JOINT_RANGES,
    **{pair: JOINT_RANGES[joints[0]] for pair, joints in PAIRS.items()},
}
"""Every name a pose table may use, with its range."""


@dataclass(frozen=True, slots=True)
class FigureProblem:
    """One thing wrong with a figure table, in the routine loader's words."""

    where: Where
    field: str
    """The field as a person reads it: `stretches[2].figure.keyframes[1].near_hip`."""
    line: int | None
    message: str

    def __str__(self) -> str:
        place = f"line {self.line}: " if self.line is not None else ""
        return f"{place}{self.field}: {self.message}"


def field_name(where: Where) -> str:
    """("stretches", 1, "figure") -> "stretches[2].figure" (counting from 1, as people do)."""
    parts: list[str] = []
    for part in where:
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + _printable(part, 60))
    return "".join(parts)


def read_figure(
    value: object, where: Where = ("figure",), line_of: LineOf | None = None
) -> tuple[Figure | None, tuple[FigureProblem, ...]]:
    """The figure a TOML table describes, or None and every problem found in it."""
    reader = _Reader(line_of)
    figure = reader.figure(value, where)
    return (figure if not reader.problems else None), tuple(reader.problems)


class _Reader:
    def __init__(self, line_of: LineOf | None) -> None:
        self.line_of = line_of
        self.problems: list[FigureProblem] = []

    def add(self, where: Where, message: str) -> None:
        line = self.line_of(where) if self.line_of is not None else None
        self.problems.append(FigureProblem(where, field_name(where), line, message))

    def figure(self, value: object, where: Where) -> Figure | None:
        if not isinstance(value, dict):
            self.add(where, f"found {_describe(value)}; expected a table with a posture")
            return None
        table = cast(dict[str, Any], value)
        for key in table:
            if key not in FIGURE_KEYS:
                self.add((*where, key), _unknown_key(key, FIGURE_KEYS, "a figure"))
        posture = self.choice(table, "posture", tuple(POSTURES), where, required=True)
        view = self.choice(table, "view", VIEWS, where) or "side"
        changes = self.pose_table(table.get("start", {}), (*where, "start"), keyframe=False)
        steps = self.keyframes(table.get("keyframes", []), (*where, "keyframes"))
        if posture is None or changes is None or steps is None or self.problems:
            return None
        pose = POSTURES[posture].pose.changed(changes)
        frames = [Keyframe(0.0, pose)]
        for at, step in steps:
            pose = pose.changed(step)
            frames.append(Keyframe(at, pose))
        return Figure(posture, tuple(frames), cast(View, view))

    def choice(
        self,
        table: Mapping[str, Any],
        key: str,
        choices: Sequence[str],
        where: Where,
        *,
        required: bool = False,
    ) -> str | None:
        allowed = _words(choices)
        if key not in table:
            if required:
                self.add((*where, key), f"missing; required: {allowed}")
            return None
        value = table[key]
        if isinstance(value, str) and value in choices:
            return value
        message = f"found {_describe(value)}; allowed: {allowed}"
        if isinstance(value, str):
            close = _close(value.lower(), choices)
            if close:
                message += f" (did you mean {close}?)"
        self.add((*where, key), message)
        return None

    def pose_table(self, value: object, where: Where, *, keyframe: bool) -> dict[str, float] | None:
        """The joint angles of a start or keyframe table; None after adding its problems."""
        if not isinstance(value, dict):
            example = "{ near_hip = 90 }" if keyframe else "{ knees = 90 }"
            self.add(where, f"found {_describe(value)}; expected a table of angles, e.g. {example}")
            return None
        found: dict[str, float] = {}
        good = True
        for key, angle in cast(dict[str, Any], value).items():
            if keyframe and key == AT:
                continue
            if key not in _RANGE_OF:
                self.add((*where, key), _unknown_joint(key, keyframe))
                good = False
                continue
            low, high = _RANGE_OF[key]
            if not _is_number(angle) or not low <= angle <= high:
                self.add((*where, key), f"found {_describe(angle)}; expected {_degrees(key)}")
                good = False
                continue
            found[key] = float(angle)
        return found if good else None

    def keyframes(self, value: object, where: Where) -> list[tuple[float, dict[str, float]]] | None:
        """Each keyframe's time and changes, times filled in; None after adding problems."""
        if not isinstance(value, list):
            self.add(
                where,
                f"found {_describe(value)}; expected a list of keyframes, "
                "e.g. [{ near_hip = 90 }, { near_hip = 120 }]",
            )
            return None
        items: list[Any] = value
        if len(items) > MAX_KEYFRAMES:
            self.add(where, f"found {len(items)} keyframes; expected at most {MAX_KEYFRAMES}")
            return None
        changes: list[dict[str, float] | None] = []
        times: list[float | None] = []
        for index, item in enumerate(items):
            place = (*where, index)
            changes.append(self.pose_table(item, place, keyframe=True))
            times.append(self.at(item, place, last=index == len(items) - 1))
        if any(step is None for step in changes) or not self.in_order(times, where):
            return None
        filled = _spread(times)
        return [
            (at, cast(dict[str, float], step)) for at, step in zip(filled, changes, strict=True)
        ]

    def at(self, item: object, where: Where, *, last: bool) -> float | None:
        if not isinstance(item, dict) or AT not in item:
            return None
        value = item[AT]
        place = (*where, AT)
        if not _is_number(value) or not 0 < value <= 1:
            self.add(
                place,
                f"found {_describe(value)}; expected a number above 0 and up to 1 "
                "(how far through the movement: 1 is the held pose)",
            )
            return None
        if last and value != 1:
            self.add(
                place,
                f"found {_describe(value)}; the last keyframe is the held pose, at 1 "
                "(or leave `at` out)",
            )
            return None
        if not last and value == 1:
            self.add(place, "found 1; only the last keyframe, the held pose, is at 1")
            return None
        return float(value)

    def in_order(self, times: list[float | None], where: Where) -> bool:
        good = True
        latest: float | None = None
        for index, at in enumerate(times):
            if at is None:
                continue
            if latest is not None and at <= latest:
                self.add(
                    (*where, index, AT),
                    f"found {_describe(at)} after {_describe(latest)}; keyframes go in order, "
                    "each `at` later than the one before",
                )
                good = False
            latest = at if latest is None else max(latest, at)
        return good


def _spread(times: list[float | None]) -> list[float]:
    """Each keyframe's time: the given ones, the last at 1 when not given, and the others
    spaced evenly between their neighbours (the start is at 0)."""
    filled: list[float | None] = [0.0, *times]
    if filled[-1] is None:
        filled[-1] = 1.0
    index = 1
    while index < len(filled):
        if filled[index] is None:
            end = index
            while filled[end] is None:
                end += 1
            before, after = cast(float, filled[index - 1]), cast(float, filled[end])
            for step in range(index, end):
                filled[step] = before + (after - before) * (step - index + 1) / (end - index + 1)
            index = end
        index += 1
    return [cast(float, at) for at in filled[1:]]


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _degrees(name: str) -> str:
    low, high = _RANGE_OF[name]
    return f"degrees from {low} to {high}"


def _unknown_key(key: str, known: Sequence[str], what: str) -> str:
    close = _close(key, known)
    if close:
        return f"unknown key; did you mean {close}?"
    return f"unknown key; the keys of {what} are: {', '.join(known)}"


_SIDE_WORD = re.compile(r"^(right|left)_(\w+)$")


def _unknown_joint(key: str, keyframe: bool) -> str:
    names = [*_RANGE_OF, AT] if keyframe else list(_RANGE_OF)
    sided = _SIDE_WORD.match(key)
    if sided and f"near_{sided.group(2)}" in _RANGE_OF:
        return (
            f"unknown joint; sides are near_ (the working side) and far_, "
            f"e.g. near_{sided.group(2)}"
        )
    close = _close(key, names)
    if close:
        return f"unknown joint; did you mean {close}?"
    return (
        "unknown joint; the joints are lean, back, twist, neck, and near_ or far_ with "
        "shoulder, shoulder_out, elbow, hip, hip_out, hip_turn, knee, ankle "
        "(or the plural for both sides: knees, hips, ...)"
    )


def _close(word: str, choices: Sequence[str]) -> str | None:
    import difflib  # only when a mistake needs a suggestion

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


def _words(choices: Sequence[str]) -> str:
    quoted = [f'"{choice}"' for choice in choices]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def _printable(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, anything that is not plainly printable escaped."""
    shown = "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in text[:limit])
    return shown + ("..." if len(text) > limit else "")


# ---------------------------------------------------------------------------------------------
# Writing a figure back


def figure_table(figure: Figure) -> dict[str, Any]:
    """The `figure` table that reads back as `figure`: the start as the joints that differ from
    the posture's, each keyframe as the joints that change, with `at` where even spacing would
    not give it. Whole degrees are written as whole numbers."""
    table: dict[str, Any] = {"posture": figure.posture}
    if figure.view != "side":
        table["view"] = figure.view
    base = POSTURES[figure.posture].pose
    start = _changes(base.as_dict(), figure.start.as_dict())
    if start:
        table["start"] = start
    keyframes: list[dict[str, Any]] = []
    before = figure.start.as_dict()
    count = len(figure.keyframes) - 1
    for number, key in enumerate(figure.keyframes[1:], start=1):
        now = key.pose.as_dict()
        step: dict[str, Any] = {}
        if not math.isclose(key.at, number / count):
            step[AT] = _number(key.at)
        step |= _changes(before, now)
        keyframes.append(step)
        before = now
    if keyframes:
        table["keyframes"] = keyframes
    return table


def figure_block(figure: Figure, header: str = "[stretches.figure]") -> str:
    """`figure` as the lines a person would write under a stretch: its header, then one key a
    line, the start and each keyframe an inline table."""
    table = figure_table(figure)
    lines = [header, f'posture = "{table["posture"]}"']
    if "view" in table:
        lines.append(f'view = "{table["view"]}"')
    if "start" in table:
        lines.append(f"start = {_inline(table['start'])}")
    if "keyframes" in table:
        lines.append("keyframes = [")
        lines += [f"    {_inline(step)}," for step in table["keyframes"]]
        lines.append("]")
    return "\n".join(lines) + "\n"


def _inline(angles: Mapping[str, Any]) -> str:
    return "{ " + ", ".join(f"{name} = {value!r}" for name, value in angles.items()) + " }"


def _changes(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, Any]:
    """The joints that changed, a pair changed alike written once by its plural (`knees`)."""
    changed = {name: _number(value) for name, value in after.items() if value != before[name]}
    for pair, (near, far) in PAIRS.items():
        if near in changed and far in changed and changed[near] == changed[far]:
            changed[pair] = changed.pop(near)
            del changed[far]
    return changed


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# ---------------------------------------------------------------------------------------------
# JSON Schema


def figure_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a stretch's `figure` table, built from the same tables
    the reader checks against, so the two cannot disagree. What it cannot say, the reader alone
    checks: keyframe times in order, and only the last one at 1."""

    def angles(*, keyframe: bool) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        if keyframe:
            properties[AT] = {
                "description": "How far through the movement this keyframe is reached, "
                "from the start (0) to the held pose (1); left out, keyframes are spaced evenly.",
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": 1,
            }
        for name, (low, high) in _RANGE_OF.items():
            kind = name.removeprefix("near_").removeprefix("far_")
            if name in PAIRS:
                kind = PAIRS[name][0].removeprefix("near_")
            side = (
                "both sides: "
                if name in PAIRS
                else "the working side: "
                if name.startswith("near_")
                else "the other side: "
                if name.startswith("far_")
                else ""
            )
            properties[name] = {
                "description": f"Degrees; {side}{JOINT_HELP[kind]}.",
                "type": "number",
                "minimum": low,
                "maximum": high,
            }
        return {"type": "object", "properties": properties, "additionalProperties": False}

    return {
        "description": "A moving figure of the stretch, drawn for the first side and mirrored "
        "for the other.",
        "type": "object",
        "properties": {
            "posture": {
                "description": "The base position; every joint starts at its angle.",
                "type": "string",
                "enum": list(POSTURES),
            },
            "view": {
                "description": '"side": seen from the working side; "head": the person\'s '
                "own view, along the body from beyond the head and above (their right on the "
                'right), for turns about the spine; "feet": the same from beyond the feet.',
                "type": "string",
                "enum": list(VIEWS),
                "default": "side",
            },
            "start": {
                "description": "The start position: the joints that differ from the posture's.",
                **angles(keyframe=False),
            },
            "keyframes": {
                "description": "The movement into the stretch: each keyframe lists the joints "
                "that change from the one before; the last is the held pose.",
                "type": "array",
                "items": angles(keyframe=True),
                "maxItems": MAX_KEYFRAMES,
            },
        },
        "required": ["posture"],
        "additionalProperties": False,
    }


# ---------------------------------------------------------------------------------------------
# Lines: where a field of a figure is written


def line_in_figure(text_lines: Sequence[str], start: int, end: int, inner: Where) -> int | None:
    """The line (counting from 1) of `inner`, a place inside the figure table of the stretch
    written on lines `start` to `end` (indexes of `text_lines`, end excluded); None when it
    cannot be told. Reads the forms a person writes: `[stretches.figure]` with `start = {...}`
    and `keyframes = [...]`, sub-tables `[stretches.figure.start]` and
    `[[stretches.figure.keyframes]]`, or one inline `figure = {...}`."""
    end = min(end, len(text_lines))
    headers = [
        (number, name, double)
        for number in range(start, end)
        if (found := _HEADER.match(text_lines[number]))
        for name, double in [(re.sub(r"[\s\"']", "", found.group(2)), found.group(1) == "[[")]
    ]
    top = next((n for n, name, _ in headers if name == "stretches.figure"), None)
    if top is None:
        inline = _key_line(text_lines, start, end, "figure")
        return inline
    if not inner:
        return top + 1
    key = inner[0]
    region_end = next((n for n, _, _ in headers if n > top), end)
    if key == "keyframes" and len(inner) > 1 and isinstance(inner[1], int):
        tables = [
            n for n, name, double in headers if double and name == "stretches.figure.keyframes"
        ]
        if tables:
            if inner[1] >= len(tables):
                return tables[-1] + 1
            first = tables[inner[1]]
            after = next((n for n, _, _ in headers if n > first), end)
            if len(inner) > 2 and isinstance(inner[2], str):
                found_key = _key_line(text_lines, first + 1, after, inner[2])
                if found_key is not None:
                    return found_key
            return first + 1
        opened = _key_line(text_lines, top + 1, region_end, "keyframes")
        if opened is None:
            return top + 1
        item = _nth_item(text_lines, opened - 1, region_end, inner[1])
        return item if item is not None else opened
    if isinstance(key, str):
        sub = next((n for n, name, _ in headers if name == f"stretches.figure.{key}"), None)
        if sub is not None:
            if len(inner) > 1 and isinstance(inner[1], str):
                after = next((n for n, _, _ in headers if n > sub), end)
                found_key = _key_line(text_lines, sub + 1, after, inner[1])
                if found_key is not None:
                    return found_key
            return sub + 1
        found_key = _key_line(text_lines, top + 1, region_end, key)
        if found_key is not None:
            return found_key
    return top + 1


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")


def _key_line(text_lines: Sequence[str], start: int, end: int, key: str) -> int | None:
    quoted = re.escape(key)
    pattern = re.compile(rf"^\s*(?:{quoted}|\"{quoted}\"|'{quoted}')\s*=")
    for number in range(start, min(end, len(text_lines))):
        if pattern.match(text_lines[number]):
            return number + 1
    return None


def _nth_item(text_lines: Sequence[str], first: int, end: int, wanted: int) -> int | None:
    """The line where item `wanted` (from 0) of the array whose key is on line index `first`
    begins; strings and comments are skipped, nested arrays and tables counted as one item."""
    depth = 0
    count = -1
    quote = ""
    expecting = False
    for number in range(first, min(end, len(text_lines))):
        line = text_lines[number]
        column = line.index("=") + 1 if number == first and "=" in line else 0
        while column < len(line):
            char = line[column]
            if quote:
                if char == "\\" and quote == '"':
                    column += 1
                elif char == quote:
                    quote = ""
                column += 1
                continue
            if char == "#":
                break
            if expecting and depth == 1 and not char.isspace() and char != "]":
                expecting = False
                count += 1
                if count == wanted:
                    return number + 1
            if char in "\"'":
                quote = char
            elif char in "[{":
                depth += 1
                expecting = depth == 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return None
            elif char == "," and depth == 1:
                expecting = True
            column += 1
    return None
