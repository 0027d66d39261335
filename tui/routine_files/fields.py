"""The routine file format (schema 1) as plain data: one entry per field.

The loader checks files against these tables, and the JSON Schema is generated from them, so the
two cannot disagree. Bounds come from tui.core.model, the allowed words from its Literal types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from tui.core.model import (
    HOLD_BOUNDS,
    ID_LENGTH,
    LINES_COUNT,
    NAME_LENGTH,
    PREPARE_BOUNDS,
    REPS_BOUNDS,
    REST_BETWEEN_REPS_BOUNDS,
    REST_BOUNDS,
    SCHEMA_VERSION,
    STRETCHES_COUNT,
    SWITCH_BOUNDS,
    TEXT_LINE_LENGTH,
    Advance,
    Side,
    Sides,
)

Kind = Literal[
    "schema",
    "integer",
    "span",
    "text",
    "block",
    "lines",
    "choice",
    "id",
    "stretches",
    "plan",
    "progression",
    "figure",
]
"""How a value is written and checked:

- schema: the format version, a whole number that must be SCHEMA_VERSION;
- integer: a whole number within `bounds`;
- span: a whole number within `bounds`, or a range [low, high] of two of them, low <= high;
- text: one line of text whose length is within `bounds`;
- block: text that may span lines (a TOML multi-line string), length within `bounds`;
- lines: a list of `count` one-line texts, each of a length within `bounds`;
- choice: one of the words in `choices`;
- id: one line matching `pattern`, length within `bounds`;
- stretches: the array of tables [[stretches]], `count` of them, each checked by STRETCH_FIELDS;
- plan, progression: the tables [plan] and [progression] (a stretch's own [stretches.progression]),
  read by tui.core.schedule.
- figure: a table drawing the stretch (tui.core.figure_toml reads and checks it).
"""

ID_PATTERN = "^[a-z0-9-]+$"
DESCRIPTION_LENGTH = (0, 4000)
OPTIONAL_TEXT_LENGTH = (0, TEXT_LINE_LENGTH[1])
OPTIONAL_LINES_COUNT = (0, LINES_COUNT[1])


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One key of a routine file: how it is written, whether it must be there, what it may hold."""

    name: str
    kind: Kind
    help: str
    required: bool = False
    bounds: tuple[int, int] | None = None
    """integer, span, schema: the value; text, block, id: the length; lines: each line's length."""
    count: tuple[int, int] | None = None
    """lines, stretches: how many items."""
    default: int | str | None = None
    """What an optional key means when it is left out (lines: an empty list; text: "")."""
    choices: tuple[str, ...] = ()
    pattern: str | None = None


ROUTINE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "schema",
        "schema",
        "The format version of this file.",
        required=True,
        bounds=(SCHEMA_VERSION, SCHEMA_VERSION),
    ),
    FieldSpec("name", "text", "The routine's name.", required=True, bounds=NAME_LENGTH),
    FieldSpec(
        "description",
        "block",
        "What the routine is for, shown on its overview.",
        bounds=DESCRIPTION_LENGTH,
        default="",
    ),
    FieldSpec(
        "prepare_seconds",
        "integer",
        "Seconds of get-ready countdown before each stretch.",
        bounds=PREPARE_BOUNDS,
        default=5,
    ),
    FieldSpec(
        "rest_seconds",
        "integer",
        "Seconds of rest between stretches.",
        bounds=REST_BOUNDS,
        default=15,
    ),
    FieldSpec(
        "plan",
        "plan",
        "How often the routine is meant to be done: times_a_day (1-6) and, optionally, days "
        '(such as ["mon", "wed", "fri"]). Left out: once a day, every day.',
    ),
    FieldSpec(
        "progression",
        "progression",
        "How holds and reps grow, counted in weeks from the first session: "
        "hold_seconds_per_week, max_hold_seconds, reps_per_week, max_reps.",
    ),
    FieldSpec(
        "stretches",
        "stretches",
        "The stretches, run in this order.",
        required=True,
        count=STRETCHES_COUNT,
    ),
)

STRETCH_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "id",
        "id",
        "Unique in the file: lower-case letters, digits and '-'.",
        required=True,
        bounds=ID_LENGTH,
        pattern=ID_PATTERN,
    ),
    FieldSpec("name", "text", "The stretch's name.", required=True, bounds=NAME_LENGTH),
    FieldSpec(
        "targets",
        "lines",
        "The parts of the body it works on.",
        bounds=NAME_LENGTH,
        count=OPTIONAL_LINES_COUNT,
    ),
    FieldSpec(
        "position", "text", "The starting position.", bounds=OPTIONAL_TEXT_LENGTH, default=""
    ),
    FieldSpec(
        "steps",
        "lines",
        "What to do, one line per step.",
        required=True,
        bounds=TEXT_LINE_LENGTH,
        count=LINES_COUNT,
    ),
    FieldSpec(
        "tips",
        "lines",
        "Advice while holding.",
        bounds=TEXT_LINE_LENGTH,
        count=OPTIONAL_LINES_COUNT,
    ),
    FieldSpec(
        "variation",
        "text",
        "Another way to do the stretch.",
        bounds=OPTIONAL_TEXT_LENGTH,
        default="",
    ),
    FieldSpec(
        "hold_seconds",
        "span",
        "Seconds to hold each rep: a whole number, or a recommended range [low, high].",
        required=True,
        bounds=HOLD_BOUNDS,
    ),
    FieldSpec(
        "reps",
        "span",
        "Reps on each side: a whole number, or a recommended range [low, high].",
        required=True,
        bounds=REPS_BOUNDS,
    ),
    FieldSpec(
        "sides",
        "choice",
        '"none"; "each": every rep on the first side, then on the other; '
        '"alternate": one rep a side, turn about.',
        choices=get_args(Sides),
        default="none",
    ),
    FieldSpec(
        "first_side", "choice", "The side to start on.", choices=get_args(Side), default="right"
    ),
    FieldSpec(
        "switch_seconds",
        "integer",
        "Seconds to change sides.",
        bounds=SWITCH_BOUNDS,
        default=3,
    ),
    FieldSpec(
        "rest_between_reps",
        "integer",
        "Seconds of rest between reps on the same side.",
        bounds=REST_BETWEEN_REPS_BOUNDS,
        default=3,
    ),
    FieldSpec(
        "advance",
        "choice",
        '"auto": the get-ready countdown starts each hold; '
        '"manual": the hold waits until the person says they are in position.',
        choices=get_args(Advance),
        default="auto",
    ),
    FieldSpec(
        "progression",
        "progression",
        "This stretch's own progression, over the routine's: what it leaves out comes from "
        "[progression]; hold_seconds_per_week = 0 keeps its holds as they are.",
    ),
    FieldSpec(
        "figure",
        "figure",
        "A moving figure of the stretch, drawn for the first side and mirrored for the other: "
        "a posture, a view, the start position and keyframes into the held pose.",
    ),
)
