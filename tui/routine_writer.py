"""Write a routine back to a schema-1 file: the person's own copy, with the hold and reps chosen.

Every field is written out, defaults too, so the file shows all there is to change. Ranges stay
ranges. A value the person chose in the app becomes the file's starting value, since a plan
always starts at the low end of a range:

- chosen == low end: the range is kept as it is;
- chosen inside the range: the range becomes [chosen, high] (a whole number if chosen == high);
- chosen outside the range: the whole number chosen (the range no longer fits the person).

So the saved routine loads back to the same routine, and its default plan is the plan chosen.
No Textual here.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli_w

from tui.loader import ROUTINE_ID_PATTERN, parse_routine
from tui.model import SCHEMA_VERSION, Routine, Span, Stretch, StretchPlan
from tui.paths import user_routines_dir
from tui.storage import atomic_write_text


def chosen_span(span: Span, chosen: int) -> Span:
    """The span to write so that a plan starting at its low end starts at `chosen`."""
    if chosen == span.low:
        return span
    if span.low < chosen < span.high:
        return Span(chosen, span.high)
    return Span.exactly(chosen)


def _span_value(span: Span) -> int | list[int]:
    return [span.low, span.high] if span.is_range else span.low


def _stretch_table(stretch: Stretch, plan: StretchPlan | None) -> dict[str, Any]:
    hold, reps = stretch.hold_seconds, stretch.reps
    if plan is not None:
        hold, reps = chosen_span(hold, plan.hold_seconds), chosen_span(reps, plan.reps)
    table: dict[str, Any] = {"id": stretch.id, "name": stretch.name}
    if stretch.targets:
        table["targets"] = list(stretch.targets)
    if stretch.position:
        table["position"] = stretch.position
    table["steps"] = list(stretch.steps)
    if stretch.tips:
        table["tips"] = list(stretch.tips)
    if stretch.variation:
        table["variation"] = stretch.variation
    table |= {
        "hold_seconds": _span_value(hold),
        "reps": _span_value(reps),
        "sides": stretch.sides,
        "first_side": stretch.first_side,
        "switch_seconds": stretch.switch_seconds,
        "rest_between_reps": stretch.rest_between_reps,
        "advance": stretch.advance,
    }
    return table


def routine_to_toml(routine: Routine, plan: Sequence[StretchPlan] | None = None) -> str:
    """The schema-1 text of `routine`, with `plan`'s holds and reps as the starting values."""
    if plan is not None and len(plan) != len(routine.stretches):
        raise ValueError(
            f"the plan has {len(plan)} stretches but the routine has {len(routine.stretches)}"
        )
    top: dict[str, Any] = {"schema": SCHEMA_VERSION, "name": routine.name}
    if routine.description:
        top["description"] = routine.description
    top |= {"prepare_seconds": routine.prepare_seconds, "rest_seconds": routine.rest_seconds}
    parts = [
        "# A routine saved by unknot. Edit it freely; `unknot check` finds any mistake.\n"
        "# hold_seconds and reps start at the low end of a range [low, high].\n",
        _lines(top),
    ]
    for index, stretch in enumerate(routine.stretches):
        table = _stretch_table(stretch, plan[index] if plan is not None else None)
        parts.append("\n[[stretches]]\n" + _lines(table))
    return "".join(parts)


def _lines(table: dict[str, Any]) -> str:
    """Keys in order, one per line; a range on one line ([3, 5]), other values as tomli-w writes."""
    out: list[str] = []
    for key, value in table.items():
        if isinstance(value, list) and all(isinstance(v, int) for v in value):
            out.append(f"{key} = [{', '.join(str(v) for v in value)}]\n")
        else:
            out.append(tomli_w.dumps({key: value}, multiline_strings=True))
    return "".join(out)


def _checked_id(routine_id: str) -> str:
    if not ROUTINE_ID_PATTERN.match(routine_id) or routine_id.endswith(".toml"):
        raise ValueError(
            "a routine id may hold letters, digits, spaces, '-', '_' and '.', up to 80, "
            "starting with a letter or digit (it becomes the file name)"
        )
    return routine_id


def user_routine_path(routine_id: str) -> Path:
    return user_routines_dir() / f"{_checked_id(routine_id)}.toml"


def save_user_routine(
    routine: Routine,
    plan: Sequence[StretchPlan] | None = None,
    new_id: str | None = None,
    *,
    overwrite: bool = False,
) -> Path:
    """Save the person's copy of `routine` in their routines folder and return its path.

    Under the same id it overrides the built-in routine. An existing file of that name is only
    replaced when it is the file the routine was loaded from, or when `overwrite` is set;
    otherwise FileExistsError. ValueError for a bad id; SaveError when the disk refuses.
    The text is loaded back before writing, so a file that would not load is never saved.
    """
    routine_id = new_id if new_id is not None else routine.id
    path = user_routine_path(routine_id)
    text = routine_to_toml(routine, plan)
    parse_routine(text.encode("utf-8"), path=path, source="user")  # RoutineError if not
    came_from = routine.path is not None and _same_file(routine.path, path)
    if not overwrite and not came_from and os.path.lexists(path):
        raise FileExistsError(f"{path} already exists; choose another id or replace it")
    atomic_write_text(path, text, what=f"the routine {routine_id}")
    return path


def _same_file(one: Path, other: Path) -> bool:
    with contextlib.suppress(OSError):
        return os.path.samefile(one, other)
    return False


def remove_user_override(routine_id: str) -> Path | None:
    """Remove the person's copy of a routine ("reset to built-in"); the path removed, if any."""
    path = user_routine_path(routine_id)
    try:
        os.unlink(path)
    except FileNotFoundError:
        return None
    return path
