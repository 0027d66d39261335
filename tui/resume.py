"""Where an unfinished session stopped, kept in `state_dir()/resume.toml` to pick it up again.

When the app is closed mid-routine (q, Ctrl+C, a dropped SSH connection), the engine's position
is saved here; on the next start the app asks whether to resume. A finished routine clears it.
The file is state, not data: one that cannot be read is moved aside (the person is told) and
treated as absent, and one that no longer fits its routine (the file was edited) is refused
with a clear reason rather than resumed at a wrong place.

No Textual here.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.loader import shown_path
from tui.model import NAME_LENGTH, Routine, StretchPlan
from tui.paths import state_dir
from tui.position import Position
from tui.storage import (
    PendingWrites,
    ReadError,
    SaveError,
    atomic_write_bytes,
    move_aside,
    read_limited,
)
from tui.textclean import clean_line

SCHEMA = 1
MAX_BYTES = 1024 * 1024
WHAT = "where the session stopped"
_HEADER = "# unknot: where an unfinished session stopped. Removed when a routine is finished.\n"


class ResumeMismatch(ValueError):
    """The saved position cannot be resumed on the routine as it is now; the message says why."""


def resume_path() -> Path:
    return state_dir() / "resume.toml"


def resume_question(
    routine: Routine, stretch_index: int, side: str | None, rep: int, reps: int
) -> str:
    """The question the app asks: "Resume <routine> at <stretch>, <side>, rep 3 of 5?"."""
    if not 0 <= stretch_index < len(routine.stretches):
        return f"Resume {routine.name}?"
    where = routine.stretches[stretch_index].name
    if side:
        where += f", {side}"
    if rep >= 1:
        where += f", rep {rep} of {reps}"
    return f"Resume {routine.name} at {where}?"


def _question_for(routine: Routine, position: Position) -> str:
    reps = position.plan[position.stretch_index].reps if position.plan else 0
    return resume_question(routine, position.stretch_index, position.side, position.rep, reps)


def resume_toml(
    routine: Routine,
    position: Position,
    *,
    now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
) -> str:
    """The text of resume.toml for this position of `routine`."""
    document = {
        "schema": SCHEMA,
        "routine_id": routine.id,
        "routine_name": routine.name,
        "saved_at": now().replace(microsecond=0),
        "question": _question_for(routine, position),
        "stretch_ids": [s.id for s in routine.stretches],
        "plan": [{"hold_seconds": p.hold_seconds, "reps": p.reps} for p in position.plan],
        "position": position.to_dict(),
    }
    import tomli_w

    return _HEADER + tomli_w.dumps(document)


def save_resume(
    routine: Routine,
    position: Position,
    *,
    pending: PendingWrites | None = None,
    path: Path | None = None,
) -> SaveError | None:
    """Save where the session is. With `pending`, a failed write is kept there to retry and
    its error returned; without, the SaveError is raised."""
    path = path or resume_path()
    data = resume_toml(routine, position).encode("utf-8")
    if pending is not None:
        return pending.write(path, data, what=WHAT)
    atomic_write_bytes(path, data, what=WHAT)
    return None


def clear_resume(*, pending: PendingWrites | None = None, path: Path | None = None) -> None:
    """Forget the saved position (the routine was finished, or the person chose to start over).

    No file is fine; OSError when the file is there but cannot be removed (a read-only disk).
    """
    path = path or resume_path()
    if pending is not None:
        pending.discard(path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


@dataclass(frozen=True, slots=True)
class SavedResume:
    """A resume file that read well; `fit` checks it against the routine as it is now."""

    routine_id: str
    routine_name: str
    saved_at: datetime
    question: str
    stretch_ids: tuple[str, ...]
    plan: tuple[StretchPlan, ...]
    position: Mapping[str, Any]
    """The engine's Position.to_dict(), still to be checked against the routine."""


@dataclass
class ResumeLoad:
    saved: SavedResume | None = None
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Offer:
    """A saved place the app can offer to resume (SessionStore.offer): the question to ask, and
    the place that fits the routine as it is now."""

    question: str
    position: Position


def load_resume(path: Path | None = None) -> ResumeLoad:
    """The saved position, if any; a file that cannot be read is moved aside, with a notice."""
    path = path or resume_path()
    try:
        data = read_limited(path, MAX_BYTES)
    except FileNotFoundError:
        return ResumeLoad()
    except ReadError as error:
        return _set_aside(path, error.reason)
    import tomllib  # only when a place was saved (start-up time)

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _set_aside(path, "it is not UTF-8 text")
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as error:
        return _set_aside(path, f"it is not valid TOML ({clean_line(str(error), 200)})")
    try:
        return ResumeLoad(_saved(document))
    except ValueError as error:
        return _set_aside(path, str(error))


def _set_aside(path: Path, why: str) -> ResumeLoad:
    shown = shown_path(path)
    try:
        kept = move_aside(path)
    except OSError as error:
        return ResumeLoad(
            None,
            [
                f"The saved place of an unfinished session ({shown}) could not be read: {why}; "
                f"it could not be moved aside either ({error.strerror or error})."
            ],
        )
    return ResumeLoad(
        None,
        [
            f"The saved place of an unfinished session ({shown}) could not be read: {why}. "
            f"It was kept as {shown_path(kept.name)}; starting fresh."
        ],
    )


def _text(document: Mapping[str, Any], key: str, limit: int) -> str:
    value = document.get(key)
    if not isinstance(value, str) or not clean_line(value, limit):
        raise ValueError(f"{key} is missing or not a text")
    return clean_line(value, limit)


def _saved(document: Mapping[str, Any]) -> SavedResume:
    if document.get("schema") != SCHEMA:
        raise ValueError(f"it is not a schema {SCHEMA} resume file")
    saved_at = document.get("saved_at")
    if not isinstance(saved_at, datetime):
        raise ValueError("saved_at is missing or not a date and time")
    ids = document.get("stretch_ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ValueError("stretch_ids is missing or not a list of texts")
    raw_plan = document.get("plan")
    if not isinstance(raw_plan, list) or len(raw_plan) != len(ids):
        raise ValueError("plan is missing or does not match stretch_ids")
    plan: list[StretchPlan] = []
    for item in raw_plan:
        hold = item.get("hold_seconds") if isinstance(item, dict) else None
        reps = item.get("reps") if isinstance(item, dict) else None
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (hold, reps)):
            raise ValueError("plan holds something other than whole hold_seconds and reps")
        assert isinstance(hold, int) and isinstance(reps, int)
        plan.append(StretchPlan(hold, reps))
    position = document.get("position")
    if not isinstance(position, dict):
        raise ValueError("position is missing")
    return SavedResume(
        routine_id=_text(document, "routine_id", 200),
        routine_name=_text(document, "routine_name", NAME_LENGTH[1]),
        saved_at=saved_at if saved_at.tzinfo is not None else saved_at.astimezone(),
        question=_text(document, "question", 400),
        stretch_ids=tuple(ids),
        plan=tuple(plan),
        position=position,
    )


def fit(saved: SavedResume, routine: Routine) -> Position:
    """The engine Position to resume `routine` at; ResumeMismatch says why it cannot be.

    Checks that the routine is the same one, with the same stretches in the same order, and
    that the engine accepts the position for it (phase, side and rep exist, plan in bounds).
    """
    name = clean_line(routine.name, NAME_LENGTH[1])
    if saved.routine_id != routine.id:
        raise ResumeMismatch(
            f"The unfinished session was of routine {saved.routine_id}, not {routine.id}."
        )
    if saved.stretch_ids != tuple(s.id for s in routine.stretches):
        raise ResumeMismatch(
            f"{name} has changed since the session was left (its stretches are not the same), "
            "so it cannot be resumed; start it over instead."
        )
    try:
        return Position.from_dict(dict(saved.position), routine)
    except ValueError as error:
        raise ResumeMismatch(
            f"{name} has changed since the session was left ({clean_line(str(error), 200)}), "
            "so it cannot be resumed; start it over instead."
        ) from None


def question(saved: SavedResume, routine: Routine) -> str:
    """The question to ask, worded from the routine as it is now (its names may have changed)."""
    position = saved.position
    index = position.get("stretch_index")
    side = position.get("side")
    rep = position.get("rep")
    if (
        isinstance(index, int)
        and isinstance(rep, int)
        and isinstance(side, str)
        and 0 <= index < len(saved.plan)
    ):
        return resume_question(routine, index, side or None, rep, saved.plan[index].reps)
    return saved.question
