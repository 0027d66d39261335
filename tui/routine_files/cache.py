"""Remember checked routine files, so that an unchanged file is not parsed and checked again.

With a thousand routine files, parsing them all took seconds on every start. The cache keeps,
for each file by path, what the loader made of it (the routine, or its problems) together with
the file's size, mtime_ns and inode. A file whose stat no longer matches is read again; so is
one changed in the last moments (its mtime may not yet tell a later change apart).

What the cache holds was checked and cleaned by the loader, so a hit only rebuilds the model
objects, without checking every value again: that is what makes a thousand files cheap. So it
is trusted only when it is exactly what this code wrote. The file is plain JSON (never pickle)
in $XDG_CACHE_HOME/unknot, three lines: a header with the cache format, a stamp of the code
that checks routine files (the loader, the format table, the text cleaning, the model and this
module) and digests of the other two lines; an index (each file's stat and its listing, or its
problems); the details (each good routine's content). A cache written by other code, or
changed since (a bad disk, a hand edit, a half-written file), fails the header's check and
counts as empty: every file is read again and the cache rebuilt. An entry of the wrong shape
counts as missing. Only someone who recomputes the digests can make the cache say what the
files do not, and whoever can write the person's cache folder can change anything of theirs.
No Textual here.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tui import __version__
from tui.core.model import SCHEMA_VERSION, Routine, Source, Span, Stretch, routine_seconds
from tui.core.problems import Problem
from tui.routine_files.listing import Listing
from tui.routine_files.loader import RoutineError, load_routine, routine_id_of
from tui.store.paths import cache_dir

if TYPE_CHECKING:
    from tui.core.figure import Figure
    from tui.core.schedule import Progression, Schedule

CACHE_VERSION = 5  # 4: a routine's schedule; 5: a stretch's figure
CACHE_FILE = "routines.json"
RACY_SECONDS = 0.1
"""A file changed this recently is not cached: a second change may keep the same mtime."""
RACY_COARSE_SECONDS = 2.0
"""The same on a file system that keeps whole seconds (or two, as FAT does)."""
MAX_CACHE_BYTES = 512 * 1024 * 1024
"""A cache file larger than this is not read (a thousand routines make a few MiB)."""
CODE_FILES = (
    "routine_files/loader.py",
    "routine_files/fields.py",
    "routine_files/cache.py",
    "core/textclean.py",
    "core/model.py",
    "core/problems.py",
    "core/side_text.py",
    "core/schedule.py",
    "core/progress.py",
    "core/figure.py",
    "core/figure_toml.py",
)
"""The modules whose rules decide what a routine file holds once loaded, from the package's
root folder (tui/)."""

Key = tuple[int, int, int, int, int]
"""Size, mtime_ns, inode, device and ctime_ns: ctime moves on every change and cannot be set
back (`touch -r` and `cp -p` restore an old mtime on new text)."""
_ROUTINE = "routine"
_PROBLEMS = "problems"
_T = TypeVar("_T")


@functools.cache
def code_stamp() -> str:
    """What a cache is trusted by: only the code that wrote it (see stamp_of)."""
    return stamp_of(Path(__file__).resolve().parent.parent)


def stamp_of(package: Path) -> str:
    """A digest of the cache format, the routine format, the version and the CODE_FILES in
    `package`."""
    digest = hashlib.blake2b(
        f"{CACHE_VERSION}/{SCHEMA_VERSION}/{__version__}".encode(), digest_size=16
    )
    for name in CODE_FILES:
        try:
            digest.update((package / name).read_bytes())
        except OSError:  # an install without sources: the version alone tells them apart
            digest.update(b"-")
    return digest.hexdigest()


def _digest(payload: bytes) -> str:
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


class RoutineCache:
    """Loaded routine files by path: `load` is the loader's `load_routine` and `listing` its
    Listing, remembered.

    The file holds a header line, an index line (each file's stat, and its listing or its
    problems) and a details line (each good routine's content). A listing needs only the
    index; the details are checked and read the first time a routine is wanted.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else cache_dir() / CACHE_FILE
        self._index, self._details_text, self._details_digest = self._read()
        self._details: dict[str, Any] | None = None
        self._new_index: dict[str, Any] = {}
        self._new_details: dict[str, Any] = {}
        self.changed = False
        self.hits = 0
        self._spans: dict[tuple[int, int], Span] = {}

    def _read(self) -> tuple[dict[str, Any], bytes, str]:
        """The index, and the details still as text: nothing when the file is not exactly
        what this code wrote."""
        nothing: tuple[dict[str, Any], bytes, str] = ({}, b"", "")
        try:
            with open(self.path, "rb") as file:
                data = file.read(MAX_CACHE_BYTES + 1)
        except (OSError, ValueError):
            return nothing
        lines = data.split(b"\n", 2)
        if len(lines) != 3 or len(data) > MAX_CACHE_BYTES:
            return nothing
        head, index_text, details_text = lines
        try:
            header = json.loads(head)
            if (
                not isinstance(header, dict)
                or header.get("version") != CACHE_VERSION
                or header.get("code") != code_stamp()
                or header.get("index") != _digest(index_text)
                or not isinstance(header.get("details"), str)
            ):
                return nothing
            index = json.loads(index_text)
        except (ValueError, RecursionError):
            return nothing
        if not isinstance(index, dict):
            return nothing
        return index, details_text, header["details"]

    def _old_details(self) -> dict[str, Any]:
        """Every routine's content, read the first time one is wanted; none when the details
        are not what the header says."""
        if self._details is None:
            self._details = {}
            text, self._details_text = self._details_text, b""
            if text and _digest(text) == self._details_digest:
                with contextlib.suppress(ValueError, RecursionError):
                    details = json.loads(text)
                    if isinstance(details, dict):
                        self._details = details
        return self._details

    def load(self, path: Path, source: Source) -> Routine:
        """The routine in `path`, from the cache when the file is unchanged; else as the loader
        reads it. Raises RoutineError (only), with the same problems the loader reports."""
        name = str(path)
        before = _stat_key(path)

        def rebuild(_summary: Any) -> Routine:
            details = self._old_details()[name]
            routine = _rebuild_routine(details, path, source, self._spans)
            self._new_details[name] = details
            return routine

        found = self._cached(name, before, rebuild)
        return found if found is not None else self._read_file(name, path, source, before)

    def listing(self, path: Path, source: Source) -> Listing:
        """What `load` gives, as a listing: from the index alone when the file is unchanged."""
        name = str(path)
        before = _stat_key(path)

        def summarise(summary: Any) -> Listing:
            title, count, seconds = summary
            return Listing(routine_id_of(path), title, count, seconds, source, path)

        found = self._cached(name, before, summarise)
        if found is not None:
            return found
        return Listing.of(self._read_file(name, path, source, before))

    def _cached(self, name: str, before: Key | None, build: Callable[[Any], _T]) -> _T | None:
        """`build(summary)` for an unchanged file's routine entry, or RoutineError with the
        problems remembered for it; None when the cache cannot answer (the file changed, or the
        entry is not this code's shape): then the file is read."""
        entry = self._index.get(name)
        if before is None or entry is None:
            return None
        try:
            kind, data = _unchanged(entry, before)
            problems = _rebuild_problems(data) if kind == _PROBLEMS else None
            found = build(data) if problems is None else None
        except (TypeError, ValueError, KeyError, AttributeError):
            return None
        self._keep(name, entry)
        if problems is not None:
            raise RoutineError(problems)
        return found

    def _keep(self, name: str, entry: Any) -> None:
        self.hits += 1
        self._new_index[name] = entry

    def _read_file(self, name: str, path: Path, source: Source, before: Key | None) -> Routine:
        """The loader's answer for a file the cache cannot give; remembered when it is safe."""
        try:
            routine: Routine | None = load_routine(path, source)
            problems: tuple[Problem, ...] = ()
        except RoutineError as error:
            routine, problems = None, error.problems
            if error.transient:
                self._new_index.pop(name, None)  # read again next time, when it may work
                self.changed = True
                raise
        after = _stat_key(path)
        if before is not None and before == after and _storable(name) and not _racy(path):
            if routine is None:
                self._new_index[name] = [*before, _PROBLEMS, [_problem(p) for p in problems]]
            else:
                self._new_index[name] = [*before, _ROUTINE, _summary(routine)]
                self._new_details[name] = _routine(routine)
            self.changed = True
        elif name in self._index:
            self.changed = True
        if routine is None:
            raise RoutineError(problems)
        return routine

    def save(self) -> None:
        """Write the entries used in this run, when any changed; a failure only costs speed."""
        if not self.changed and self._new_index.keys() == self._index.keys():
            return
        details = self._new_details
        missing = [
            name
            for name, entry in self._new_index.items()
            if entry[-2] == _ROUTINE and name not in details  # [*key, kind, data]
        ]
        if missing:  # kept by `listing` without their details: carried over as they were
            old = self._old_details()
            for name in missing:
                if name in old:
                    details[name] = old[name]
                else:
                    del self._new_index[name]  # read again next time
        index_text = _dumps(self._new_index)
        details_text = _dumps(details)
        header = {
            "version": CACHE_VERSION,
            "code": code_stamp(),
            "index": _digest(index_text),
            "details": _digest(details_text),
        }
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as file:
                file.write(b"\n".join([_dumps(header), index_text, details_text]))
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _dumps(value: object) -> bytes:
    """One line of JSON (its strings escape every line break)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _stat_key(path: Path) -> Key | None:
    """The stat fields that change when a regular file does (Key); None for anything else."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev, info.st_ctime_ns)


def _racy(path: Path) -> bool:
    """True when the file changed so recently that a further change might keep its stat."""
    try:
        mtime_ns = os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return True
    coarse = mtime_ns % 1_000_000_000 == 0
    return time.time() - mtime_ns / 1e9 < (RACY_COARSE_SECONDS if coarse else RACY_SECONDS)


def _storable(name: str) -> bool:
    """False for a path that is not valid text (a file name in another encoding): JSON in
    UTF-8 cannot hold it, so that file is simply read every time."""
    try:
        name.encode()
    except UnicodeEncodeError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Entries. Index: [*key, "routine", [name, stretches, seconds]] or
# [*key, "problems", [[path, line, field, message], ...]], the key as Key says. Details: the
# routine as lists (a third the size of tables), read back without checking every value again:
# the header proved that this code wrote them, after the loader had checked and cleaned them.


def _unchanged(entry: Any, key: Key) -> tuple[str, Any]:
    """The kind and data of an index entry whose stat is the file's; KeyError when the file
    changed, TypeError or ValueError when the entry has another shape."""
    *stat, kind, data = entry
    if len(stat) != len(key):
        raise ValueError(stat)
    if tuple(stat) != key:
        raise KeyError(key)
    if kind not in (_ROUTINE, _PROBLEMS):
        raise ValueError(kind)
    return kind, data


def _problem(problem: Problem) -> list[object]:
    return [problem.path, problem.line, problem.field, problem.message]


def _rebuild_problems(data: Any) -> tuple[Problem, ...]:
    problems = tuple(Problem(shown, line, field, message) for shown, line, field, message in data)
    if not problems:
        raise ValueError("a broken file without problems")
    return problems


def _summary(routine: Routine) -> list[object]:
    return [routine.name, len(routine.stretches), routine_seconds(routine)]


def _routine(routine: Routine) -> list[object]:
    return [
        routine.name,
        routine.description,
        routine.prepare_seconds,
        routine.rest_seconds,
        [_stretch(s) for s in routine.stretches],
        _schedule(routine),
    ]


def _schedule(routine: Routine) -> list[object] | None:
    """[times a day, [days], progression or None, [[stretch id, progression], ...]], where a
    progression is its four values; None for a routine without a schedule."""
    if routine.schedule is None:
        return None
    from tui.core.schedule import schedule_of

    schedule = schedule_of(routine)
    return [
        schedule.plan.times_a_day,
        list(schedule.plan.days),
        _progression(schedule.progression),
        [[stretch_id, _progression(own)] for stretch_id, own in schedule.stretch_progressions],
    ]


def _progression(progression: Progression | None) -> list[int | None] | None:
    if progression is None:
        return None
    return [
        progression.hold_seconds_per_week,
        progression.max_hold_seconds,
        progression.reps_per_week,
        progression.max_reps,
    ]


def _rebuild_schedule(data: Any) -> Schedule | None:
    if data is None:
        return None
    from tui.core.schedule import Plan, Progression, Schedule

    times, days, progression, own = data

    def rebuilt(values: Any) -> Progression:
        hold_step, hold_top, reps_step, reps_top = values
        return Progression(hold_step, hold_top, reps_step, reps_top)

    return Schedule(
        Plan(times, tuple(days)),
        None if progression is None else rebuilt(progression),
        tuple((stretch_id, rebuilt(values)) for stretch_id, values in own),
    )


def _stretch(s: Stretch) -> list[object]:
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
        _figure(s.figure),
    ]


def _figure(figure: Figure | None) -> list[object] | None:
    """A figure as lists: posture, view, and each keyframe's time and angles."""
    if figure is None:
        return None
    keys = [[key.at, *key.pose.angles] for key in figure.keyframes]
    return [figure.posture, figure.view, keys]


def _rebuild_figure(data: Any) -> Figure | None:
    if data is None:
        return None
    from tui.core.figure import Figure, Keyframe, Pose  # only routines with figures need it

    posture, view, keys = data
    frames = tuple(Keyframe(at, Pose(tuple(angles))) for at, *angles in keys)
    return Figure(posture, frames, view)


def _rebuild_routine(
    data: Any, path: Path, source: Source, spans: dict[tuple[int, int], Span]
) -> Routine:
    name, description, prepare_seconds, rest_seconds, stretches, schedule = data
    routine = Routine(
        id=routine_id_of(path),
        name=name,
        stretches=tuple([_rebuild_stretch(s, spans) for s in stretches]),
        description=description,
        prepare_seconds=prepare_seconds,
        rest_seconds=rest_seconds,
        source=source,
        path=path,
        schedule=_rebuild_schedule(schedule),
    )
    if not routine.stretches:
        raise ValueError("a routine without stretches")
    return routine


def _rebuild_stretch(data: Any, spans: dict[tuple[int, int], Span]) -> Stretch:
    """One stretch; equal spans are shared (they are immutable, and most holds and reps are
    the same few numbers), which saves making and tracking tens of thousands of objects."""
    (
        id_,
        name,
        position,
        variation,
        steps,
        targets,
        tips,
        hold_low,
        hold_high,
        reps_low,
        reps_high,
        switch,
        between,
        sides,
        first,
        advance,
        figure,
    ) = data
    hold = spans.get((hold_low, hold_high)) or spans.setdefault(
        (hold_low, hold_high), Span(hold_low, hold_high)
    )
    reps = spans.get((reps_low, reps_high)) or spans.setdefault(
        (reps_low, reps_high), Span(reps_low, reps_high)
    )
    return Stretch(
        id=id_,
        name=name,
        steps=tuple(steps),
        hold_seconds=hold,
        reps=reps,
        targets=tuple(targets),
        position=position,
        tips=tuple(tips),
        variation=variation,
        sides=sides,
        first_side=first,
        switch_seconds=switch,
        rest_between_reps=between,
        advance=advance,
        figure=_rebuild_figure(figure),
    )
