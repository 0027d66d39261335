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
from collections.abc import Collection, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import tomli_w

from tui.core.model import ROUTINE_ID_PATTERN, SCHEMA_VERSION, Routine, Span, Stretch, StretchPlan
from tui.routine_files.loader import RoutineError, load_routine, parse_routine, read_routine_bytes
from tui.store.durable import SaveError, atomic_write_text, move_aside
from tui.store.paths import user_routines_dir

if TYPE_CHECKING:
    from tui.core.schedule import Progression, Schedule


def chosen_span(span: Span, chosen: int) -> Span:
    """The span to write so that a plan starting at its low end starts at `chosen`."""
    if chosen == span.low:
        return span
    if span.low < chosen < span.high:
        return Span(chosen, span.high)
    return Span.exactly(chosen)


def _span_value(span: Span) -> int | list[int]:
    return [span.low, span.high] if span.is_range else span.low


def _as_written(stretch: Stretch, plan: StretchPlan | None) -> Stretch:
    """The stretch as its saved file will load: its spans starting at `plan`'s values."""
    if plan is None:
        return stretch
    hold = chosen_span(stretch.hold_seconds, plan.hold_seconds)
    return replace(stretch, hold_seconds=hold, reps=chosen_span(stretch.reps, plan.reps))


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


def routine_to_toml(
    routine: Routine, plan: Sequence[StretchPlan] | None = None, chosen: Collection[int] = ()
) -> str:
    """The schema-1 text of `routine`, with `plan`'s holds and reps as the starting values;
    the stretches `chosen` (by index) keep them: a progression does not grow them
    (tui.core.progress.keeping_choices)."""
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
    schedule = None
    if routine.schedule is not None:
        from tui.core.progress import keeping_choices
        from tui.core.schedule import schedule_of

        written = [
            _as_written(s, plan[i] if plan is not None else None)
            for i, s in enumerate(routine.stretches)
        ]
        ids = {written[index].id for index in chosen}
        schedule = keeping_choices(schedule_of(routine), written, ids)
    own = dict(schedule.stretch_progressions) if schedule is not None else {}
    if schedule is not None:
        parts.append(_schedule_tables(schedule))
    for index, stretch in enumerate(routine.stretches):
        table = _stretch_table(stretch, plan[index] if plan is not None else None)
        parts.append("\n[[stretches]]\n" + _lines(table))
        if stretch.figure is not None:
            from tui.core.figure_toml import figure_block

            parts.append("\n" + figure_block(stretch.figure))
        if stretch.id in own:
            parts.append("\n[stretches.progression]\n" + _lines(_progression(own[stretch.id])))
    return "".join(parts)


def _schedule_tables(schedule: Schedule) -> str:
    """[plan] and [progression] as the file had them (issue 17): a saved copy keeps its plan."""
    from tui.core.schedule import DAY_SHORT, EVERY_DAY

    plan: dict[str, Any] = {"times_a_day": schedule.plan.times_a_day}
    if schedule.plan.days != EVERY_DAY:
        plan["days"] = [DAY_SHORT[day].lower() for day in schedule.plan.days]
    text = "\n[plan]\n" + _lines(plan)
    if schedule.progression is not None:
        text += "\n[progression]\n" + _lines(_progression(schedule.progression))
    return text


def _progression(progression: Progression) -> dict[str, Any]:
    return {
        f.name: getattr(progression, f.name)
        for f in fields(progression)
        if getattr(progression, f.name) is not None
    }


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


class InTheWay(NamedTuple):
    """A file of the person's that saving would replace: what the question before it names."""

    path: Path
    routine_name: str | None
    """The name of the routine in it; None when it does not load as a routine."""
    problem: str | None
    """Why it does not load, for the question."""


def in_the_way(routine: Routine, routine_id: str) -> InTheWay | None:
    """The file that saving `routine` under `routine_id` would replace, if that needs asking.

    Nothing needs asking when there is no file, or when it is the very file `routine` was
    loaded from and still holds that routine (an edit made since, by hand or by another
    unknot, is the person's work and is asked about like any other file). ValueError for a
    bad id.
    """
    path = user_routine_path(routine_id)
    if not os.path.lexists(path):
        return None
    try:
        there = load_routine(path, "user")
    except RoutineError as error:
        problem = error.problems[0].message if error.problems else "it does not load"
        return InTheWay(path, None, problem)
    came_from = routine.path is not None and _same_file(routine.path, path)
    if came_from and there == routine.with_source("user", path):
        return None
    return InTheWay(path, there.name, None)


class SavedRoutine(NamedTuple):
    path: Path
    kept: Path | None
    """Where the file it replaced was moved (None: nothing of the person's was replaced)."""


def save_user_routine(
    routine: Routine,
    plan: Sequence[StretchPlan] | None = None,
    new_id: str | None = None,
    *,
    overwrite: bool = False,
    chosen: Collection[int] = (),
) -> SavedRoutine:
    """Save the person's copy of `routine` in their routines folder; where it went.

    Under the same id it overrides the built-in routine. An existing file of that name is
    replaced without a word only when `in_the_way` finds nothing to ask about; otherwise it
    needs `overwrite` (the person said yes), and is then first moved aside as
    `<name>.replaced-<time>`, so it can be had back. FileExistsError without `overwrite`,
    ValueError for a bad id, SaveError when the disk refuses (the old file is then put back).
    The text is loaded back before writing, so a file that would not load is never saved.
    """
    routine_id = new_id if new_id is not None else routine.id
    path = user_routine_path(routine_id)
    text = routine_to_toml(routine, plan, chosen)
    meant = parse_routine(text.encode("utf-8"), path=path, source="user")  # RoutineError if not
    what = f"the routine {routine_id}"
    kept: Path | None = None
    there = in_the_way(routine, routine_id)
    if there is None and plan is not None and os.path.lexists(path):
        # the very file it came from: change its holds and reps where they stand
        text = _edited_in_place(path, routine, plan, meant) or text
    if there is not None:
        if not overwrite:
            raise FileExistsError(f"{path} already exists; choose another id or replace it")
        try:
            kept = move_aside(path, label="replaced")
        except FileNotFoundError:
            kept = None  # gone meanwhile: nothing left to keep
        except OSError as error:
            raise SaveError(what, path, error) from error
    try:
        atomic_write_text(path, text, what=what)
    except SaveError:
        if kept is not None and not os.path.lexists(path):
            with contextlib.suppress(OSError):
                os.rename(kept, path)  # as it was: the next try finds it the same way
        raise
    return SavedRoutine(path, kept)


def _edited_in_place(
    path: Path, routine: Routine, plan: Sequence[StretchPlan], meant: Routine
) -> str | None:
    """The person's own file with only the holds and reps that changed written in, keeping
    their comments and layout; None when that cannot be done exactly (then the whole file is
    written as `routine_to_toml` gives it)."""
    try:
        text = read_routine_bytes(path).decode("utf-8")
    except (RoutineError, UnicodeDecodeError):
        return None
    import tomlkit  # only when saving (start-up time)

    try:
        document = tomlkit.parse(text)
    except Exception:  # tomlkit's own errors: the loader took it, so a corner case
        return None
    tables = document.get("stretches")
    if not isinstance(tables, list) or len(tables) != len(routine.stretches):
        return None
    for table, stretch, chosen in zip(tables, routine.stretches, plan, strict=True):
        hold = chosen_span(stretch.hold_seconds, chosen.hold_seconds)
        reps = chosen_span(stretch.reps, chosen.reps)
        if hold != stretch.hold_seconds:
            table["hold_seconds"] = _span_value(hold)
        if reps != stretch.reps:
            table["reps"] = _span_value(reps)
    edited = tomlkit.dumps(document)
    try:
        again = parse_routine(edited.encode("utf-8"), path=path, source="user")
    except RoutineError:
        return None
    return edited if again == meant else None


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
