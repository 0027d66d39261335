"""Remember checked routine files, so that an unchanged file is not parsed and checked again.

With a thousand routine files, parsing them all took seconds on every start. The cache keeps,
for each file by path, what the loader made of it (the routine, or its problems) together with
the file's size, mtime_ns and inode. A file whose stat no longer matches is read again; so is
one changed in the last moments (its mtime may not yet tell a later change apart).

The cache is plain JSON (never pickle) in $XDG_CACHE_HOME/unknot, and it is never trusted over
the file: anything unexpected in it (not JSON, another version, a wrong type, a value out of
bounds, a control code) makes that entry, or the whole cache, count as missing and rebuilt.
No Textual here.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from tui.model import (
    HOLD_BOUNDS,
    PREPARE_BOUNDS,
    REPS_BOUNDS,
    REST_BETWEEN_REPS_BOUNDS,
    REST_BOUNDS,
    STRETCHES_COUNT,
    SWITCH_BOUNDS,
    Advance,
    Routine,
    Side,
    Sides,
    Source,
    Span,
    Stretch,
)
from tui.paths import APP_NAME

if TYPE_CHECKING:
    from tui.loader import Problem

CACHE_VERSION = 2
CACHE_FILE = "routines.json"
RACY_SECONDS = 0.1
"""A file changed this recently is not cached: a second change may keep the same mtime."""
RACY_COARSE_SECONDS = 2.0
"""The same on a file system that keeps whole seconds (or two, as FAT does)."""

Key = tuple[int, int, int]
# What the loader never lets through (textclean): controls other than the newline, bidi codes.
_UNCLEAN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def cache_dir() -> Path:
    """Where unknot keeps what it can rebuild: $XDG_CACHE_HOME/unknot, or the system's place."""
    value = os.environ.get("XDG_CACHE_HOME", "")
    if value and os.path.isabs(value):
        return Path(value) / APP_NAME
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


class Bad(Exception):
    """An entry of the cache that cannot be used."""


class RoutineCache:
    """Loaded routine files by path; `load` is the loader's `load_routine`, remembered."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else cache_dir() / CACHE_FILE
        self._old = self._read()
        self._new: dict[str, Any] = {}
        self.changed = False
        self.hits = 0

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.path, "rb") as file:
                data = json.load(file)
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

    def load(self, path: Path, source: Source) -> Routine:
        """The routine in `path`, from the cache when the file is unchanged; else as the loader
        reads it. Raises RoutineError (only), with the same problems the loader reports."""
        from tui.loader import RoutineError, load_routine

        name = str(path)
        before = _stat_key(path)
        entry = self._old.get(name)
        if before is not None and isinstance(entry, dict) and entry.get("key") == list(before):
            try:
                cached, cached_problems = _decode(entry, path, source)
            except (Bad, TypeError, ValueError, KeyError, RecursionError):
                pass
            else:
                self.hits += 1
                self._new[name] = entry
                if cached is None:
                    raise RoutineError(cached_problems)
                return cached
        try:
            routine: Routine | None = load_routine(path, source)
            problems: tuple[Problem, ...] = ()
        except RoutineError as error:
            routine, problems = None, error.problems
        after = _stat_key(path)
        if before is not None and before == after and not _racy(path):
            stored = (
                {"routine": _routine(routine)}
                if routine is not None
                else {"problems": [_problem(p) for p in problems]}
            )
            self._new[name] = {"key": list(before), **stored}
            self.changed = True
        elif name in self._old:
            self.changed = True
        if routine is None:
            raise RoutineError(problems)
        return routine

    def save(self) -> None:
        """Write the entries used in this run, when any changed; a failure only costs speed."""
        if not self.changed and set(self._new) == set(self._old):
            return
        data = {"version": CACHE_VERSION, "files": self._new}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as file:
                json.dump(data, file, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _stat_key(path: Path) -> Key | None:
    """Size, mtime_ns and inode of a regular file; None for anything else."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def _racy(path: Path) -> bool:
    """True when the file changed so recently that a further change might keep its stat."""
    try:
        mtime_ns = os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return True
    coarse = mtime_ns % 1_000_000_000 == 0
    return time.time() - mtime_ns / 1e9 < (RACY_COARSE_SECONDS if coarse else RACY_SECONDS)


# ---------------------------------------------------------------------------------------------
# To JSON


def _problem(problem: Problem) -> list[object]:
    return [problem.path, problem.line, problem.field, problem.message]


def _routine(routine: Routine) -> dict[str, object]:
    return {
        "id": routine.id,
        "name": routine.name,
        "description": routine.description,
        "prepare_seconds": routine.prepare_seconds,
        "rest_seconds": routine.rest_seconds,
        "stretches": [_stretch(s) for s in routine.stretches],
    }


def _stretch(s: Stretch) -> list[object]:
    """A stretch as a list in the order of _STRETCH_FIELDS: a third the size of a table."""
    return [
        s.id,
        s.name,
        s.position,
        s.variation,
        list(s.steps),
        list(s.targets),
        list(s.tips),
        s.hold_seconds.low,
        s.hold_seconds.high,
        s.reps.low,
        s.reps.high,
        s.switch_seconds,
        s.rest_between_reps,
        s.sides,
        s.first_side,
        s.advance,
    ]


_STRETCH_FIELDS = 16
_SIDES = frozenset(get_args(Sides))
_SIDE = frozenset(get_args(Side))
_ADVANCE = frozenset(get_args(Advance))


# ---------------------------------------------------------------------------------------------
# From JSON, checked: the cache file may hold anything


def _decode(
    entry: dict[str, Any], path: Path, source: Source
) -> tuple[Routine | None, list[Problem]]:
    from tui.loader import ROUTINE_SUFFIX, Problem

    if "problems" in entry:
        raw = entry["problems"]
        if not isinstance(raw, list) or not raw:
            raise Bad
        problems = []
        for item in raw:
            if not isinstance(item, list) or len(item) != 4:
                raise Bad
            shown, line, field, message = item
            if line is not None and not _is_int(line):
                raise Bad
            problems.append(Problem(_text(shown), line, _text(field), _text(message)))
        return None, problems
    data = entry["routine"]
    if not isinstance(data, dict):
        raise Bad
    routine_id = path.stem if path.name.endswith(ROUTINE_SUFFIX) else path.name
    if data["id"] != routine_id:
        raise Bad
    stretches = data["stretches"]
    if not isinstance(stretches, list) or not _within(len(stretches), STRETCHES_COUNT):
        raise Bad
    routine = Routine(
        id=routine_id,
        name=_text(data["name"], empty=False),
        stretches=tuple(_decode_stretch(s) for s in stretches),
        description=_text(data["description"]),
        prepare_seconds=_int(data["prepare_seconds"], PREPARE_BOUNDS),
        rest_seconds=_int(data["rest_seconds"], REST_BOUNDS),
        source=source,
        path=path,
    )
    return routine, []


def _decode_stretch(data: object) -> Stretch:
    """One stretch, every value checked; built for speed (a thousand files hold 20,000)."""
    if type(data) is not list or len(data) != _STRETCH_FIELDS:
        raise Bad
    (id_, name, position, variation, steps, targets, tips, *numbers, sides, first, advance) = data
    if type(steps) is not list or type(targets) is not list or type(tips) is not list:
        raise Bad
    texts = [id_, name, position, variation, *steps, *targets, *tips]
    if set(map(type, texts)) != {str} or not (id_ and name and steps) or "" in texts[4:]:
        raise Bad
    if _UNCLEAN.search("\n".join(texts)):
        raise Bad
    if set(map(type, numbers)) != {int}:
        raise Bad
    hold_low, hold_high, reps_low, reps_high, switch, between = numbers
    if not (
        HOLD_BOUNDS[0] <= hold_low <= hold_high <= HOLD_BOUNDS[1]
        and REPS_BOUNDS[0] <= reps_low <= reps_high <= REPS_BOUNDS[1]
        and SWITCH_BOUNDS[0] <= switch <= SWITCH_BOUNDS[1]
        and REST_BETWEEN_REPS_BOUNDS[0] <= between <= REST_BETWEEN_REPS_BOUNDS[1]
    ):
        raise Bad
    if sides not in _SIDES or first not in _SIDE or advance not in _ADVANCE:
        raise Bad
    return Stretch(
        id=id_,
        name=name,
        steps=tuple(steps),
        hold_seconds=Span(hold_low, hold_high),
        reps=Span(reps_low, reps_high),
        targets=tuple(targets),
        position=position,
        tips=tuple(tips),
        variation=variation,
        sides=sides,
        first_side=first,
        switch_seconds=switch,
        rest_between_reps=between,
        advance=advance,
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _within(value: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _int(value: object, bounds: tuple[int, int]) -> int:
    if not _is_int(value) or not _within(value, bounds):  # type: ignore[arg-type]
        raise Bad
    return value  # type: ignore[return-value]


def _text(value: object, *, empty: bool = True) -> str:
    if not isinstance(value, str) or (not empty and not value) or _UNCLEAN.search(value):
        raise Bad
    return value
