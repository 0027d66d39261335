"""Read routine files into the model, and turn anything wrong with them into clear problems.

A routine file is written by anyone and may be anything: too big, not text, not TOML, a FIFO, a
link to /dev/zero. The loader never hangs and never raises anything but RoutineError, which
carries every problem found in a file at once, each with file, line, field and what was wrong.
Every string is cleaned (tui.core.textclean) once, here.

Field paths count from 1, the way a person counts the [[stretches]] in a file: the second
stretch's reps is `stretches[2].reps`.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import math
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tui.core.model import (
    ROUTINE_ID_PATTERN,
    SCHEMA_VERSION,
    Advance,
    Routine,
    Side,
    Sides,
    Source,
    Span,
    Stretch,
)
from tui.core.problems import (
    Problem,
    Where,
    described,
    field_name,
    quoted,
    shown_path,
    toml_error_parts,
)
from tui.core.textclean import clean_block, clean_line
from tui.routine_files.fields import ROUTINE_FIELDS, STRETCH_FIELDS, FieldSpec

if TYPE_CHECKING:
    from tui.core.figure import Figure
    from tui.core.schedule import Progression, Schedule

MAX_FILE_BYTES = 256 * 1024
MAX_PROBLEMS = 100
"""Problems reported for one file; beyond this, a count (a generated file can hold thousands)."""
ROUTINE_SUFFIX = ".toml"


class RoutineError(Exception):
    """A routine could not be loaded; `problems` says every reason found."""

    def __init__(self, problems: Iterable[Problem], *, transient: bool = False) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.transient = transient
        """The file could not be read this time (permissions, I/O): not a fault in its text,
        so nothing about it may be remembered."""
        super().__init__("\n".join(str(p) for p in self.problems))


def routine_id_of(path: Path) -> str:
    """A routine's id: its file name without the .toml."""
    return path.stem if path.name.endswith(ROUTINE_SUFFIX) else path.name


# ---------------------------------------------------------------------------------------------
# Reading bytes safely


def read_routine_bytes(path: Path) -> bytes:
    """The bytes of a routine file, read without following it into a FIFO, device or huge file."""
    shown = shown_path(path)

    def fail(message: str, *, transient: bool = False) -> RoutineError:
        return RoutineError([Problem(shown, None, "", message)], transient=transient)

    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise fail("no such file (or a link to a missing file)") from None
    except OSError as exc:
        raise fail(f"cannot read it: {os_reason(exc)}", transient=True) from None
    _check_kind(info, fail)
    flags = os.O_RDONLY
    for extra in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, extra, 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise fail(f"cannot read it: {os_reason(exc)}", transient=True) from None
    try:
        # checked again on the open file: it may have been swapped since the stat
        _check_kind(os.fstat(fd), fail)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise fail(f"cannot read it: {os_reason(exc)}", transient=True) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:
        raise fail(_too_big_message())
    return data


def _check_kind(info: os.stat_result, fail: Callable[[str], RoutineError]) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise fail("is a folder, not a routine file")
    if not stat.S_ISREG(info.st_mode):
        raise fail("is not a plain file (a FIFO, device or socket); a routine must be a plain file")
    if info.st_size > MAX_FILE_BYTES:
        raise fail(_too_big_message(info.st_size))


def _too_big_message(size: int | None = None) -> str:
    found = f"{math.ceil(size / 1024)} KiB" if size is not None else "larger than that"
    return f"too big: a routine file may be at most {MAX_FILE_BYTES // 1024} KiB; found {found}"


def os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


# ---------------------------------------------------------------------------------------------
# Loading


def load_routine(path: Path, source: Source = "file") -> Routine:
    """The routine in the file at `path`; raises RoutineError (only) when it cannot be used."""
    try:
        data = read_routine_bytes(path)
    except RoutineError:
        raise
    except Exception as exc:  # a last resort: nothing but RoutineError may leave the loader
        raise _unexpected(path, exc) from None
    return parse_routine(data, path=path, source=source)


def parse_routine(data: bytes, *, path: Path, source: Source) -> Routine:
    """The routine these bytes describe (read from `path`); raises RoutineError (only)."""
    try:
        return _Parser(data, path).routine(source)
    except RoutineError:
        raise
    except Exception as exc:  # a last resort: nothing but RoutineError may leave the loader
        raise _unexpected(path, exc) from None


def _unexpected(path: Path, exc: Exception) -> RoutineError:
    return RoutineError(
        [
            Problem(
                shown_path(path), None, "", f"could not be read (unexpected {type(exc).__name__})"
            )
        ],
        transient=True,
    )


class _Parser:
    """One file's checks: collects every problem, then either raises them all or builds."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.path = path
        self.shown = shown_path(path)
        self.data = data
        self.problems: list[Problem] = []
        self.dropped = 0
        self.text = ""
        self._lines: _LineFinder | None = None
        self.own_progressions: list[tuple[str, Progression]] = []
        """(stretch id, its own [stretches.progression]), for the stretches that have one."""

    def fail(self, message: str, line: int | None = None, where: Where = ()) -> RoutineError:
        return RoutineError([Problem(self.shown, line, field_name(where), message)])

    def add(self, where: Where, message: str, line: int | None = None) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        at = line if line is not None else self.lines().line_of(where)
        self.problems.append(Problem(self.shown, at, field_name(where), message))

    def lines(self) -> _LineFinder:
        """Where each key is in the file: found when a problem first needs a line."""
        if self._lines is None:
            self._lines = _LineFinder(self.text)
        return self._lines

    def found(self) -> int:
        """How many problems so far, counting those beyond the cap."""
        return len(self.problems) + self.dropped

    def error(self) -> RoutineError:
        """Every problem found, in the order of the file (those of the whole file first)."""
        problems = sorted(self.problems, key=lambda p: p.line or 0)
        if self.dropped:
            more = f"and {self.dropped} more problems; fix these first"
            problems.append(Problem(self.shown, None, "", more))
        return RoutineError(problems)

    def routine(self, source: Source) -> Routine:
        document = self.document()
        if not self.check_schema(document):
            raise self.error()
        values = self.check_table(document, ROUTINE_FIELDS, ())
        schedule = self.schedule(values)
        routine_id = routine_id_of(self.path)
        if not ROUTINE_ID_PATTERN.match(routine_id):
            self.problems.insert(
                0,
                Problem(
                    self.shown,
                    None,
                    "",
                    "a routine's id is its file name, which may hold only letters, digits, "
                    "spaces, '-', '_' and '.' (up to 80, starting with a letter or digit); "
                    f"found {quoted(routine_id)}",
                ),
            )
        if self.problems:
            raise self.error()
        return Routine(
            id=routine_id,
            name=cast(str, values["name"]),
            stretches=cast(tuple[Stretch, ...], values["stretches"]),
            description=cast(str, values.get("description", "")),
            prepare_seconds=cast(int, values.get("prepare_seconds", 5)),
            rest_seconds=cast(int, values.get("rest_seconds", 15)),
            source=source,
            path=self.path,
            schedule=schedule,
        )

    def document(self) -> dict[str, Any]:
        if len(self.data) > MAX_FILE_BYTES:
            raise self.fail(_too_big_message(len(self.data)))
        data = self.data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise self.fail(
                f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read; "
                "save the file as UTF-8",
                line,
            ) from None
        self.text = text
        import tomllib  # not needed when every routine comes from the cache (start-up time)

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            reason, at = toml_error_parts(exc)
            raise self.fail(f"not valid TOML: {clean_line(reason, 200)}", at) from None
        except RecursionError:
            raise self.fail("not valid TOML here: arrays or tables are nested too deeply") from None
        except ValueError as exc:  # e.g. an integer with more digits than Python will convert
            raise self.fail(
                f"not valid TOML here: {clean_line(str(exc), 200) or 'a value is out of range'}"
            ) from None

    def check_schema(self, document: Mapping[str, Any]) -> bool:
        """False when the file is written for a newer format: then nothing else is checked."""
        reads = f"this program reads schema {SCHEMA_VERSION} files"
        if "schema" not in document:
            self.add(("schema",), f"missing; {reads}: add `schema = {SCHEMA_VERSION}` at the top")
            return True
        value = document["schema"]
        if _is_whole(value) and value > SCHEMA_VERSION:
            self.add(
                ("schema",),
                f"found {value}, a newer format than this program reads "
                f"(schema {SCHEMA_VERSION}); a newer unknot may read it",
            )
            return False
        if not _is_whole(value) or value != SCHEMA_VERSION:
            self.add(
                ("schema",),
                f"found {described(value, whole=True)}; {reads} (schema = {SCHEMA_VERSION})",
            )
        return True

    def check_table(
        self, table: Mapping[str, Any], fields: Sequence[FieldSpec], where: Where
    ) -> dict[str, object]:
        """The checked values of the keys that were good; problems for every other key."""
        known = {spec.name: spec for spec in fields}
        for key in table:
            if key in known:
                continue
            if len(self.problems) >= MAX_PROBLEMS:
                self.dropped += 1  # and no time spent on a suggestion nobody will read
            else:
                self.add((*where, key), _unknown_key(key, list(known), where))
        values: dict[str, object] = {}
        for spec in fields:
            if spec.name == "schema":
                continue
            if spec.name not in table:
                if spec.required:
                    self.add((*where, spec.name), f"missing; required: {_allowed(spec)}")
                continue
            value = self.check_value(spec, table[spec.name], (*where, spec.name))
            if value is not _BAD:
                values[spec.name] = value
        return values

    def check_value(self, spec: FieldSpec, value: Any, where: Where) -> object:
        """The checked, cleaned value; or _BAD after adding a problem."""
        kind = spec.kind
        if kind == "stretches":
            return self.check_stretches(spec, value, where)
        if kind == "lines":
            return self.check_lines(spec, value, where)
        if kind == "figure":
            return self.check_figure(value, where)
        if kind in ("plan", "progression"):
            return self.check_schedule_table(kind, value, where)
        message: str | None = None
        result: object = _BAD
        if kind == "integer":
            if _is_whole(value) and _within(value, spec.bounds):
                result = value
        elif kind == "span":
            result = _span(value, spec.bounds)
            if result is None:
                result = _BAD
                message = _span_message(value, spec)
        elif kind in ("text", "block", "id"):
            if isinstance(value, str):
                result, message = _text(value, spec)
        elif kind == "choice":
            if isinstance(value, str) and value in spec.choices:
                result = value
            elif isinstance(value, str):
                message = f"found {described(value)}; allowed: {_allowed(spec)}"
                import difflib

                close = difflib.get_close_matches(value.lower(), spec.choices, n=1, cutoff=0.6)
                if close:
                    message += f" (did you mean {close[0]}?)"
        if result is _BAD:
            whole = kind in ("integer", "span")  # where a fraction is wrong for being one
            found = described(value, whole=whole)
            self.add(where, message or f"found {found}; expected {_allowed(spec)}")
        return result

    def check_lines(self, spec: FieldSpec, value: Any, where: Where) -> object:
        if not isinstance(value, list):
            self.add(where, f"found {described(value)}; expected {_allowed(spec)}")
            return _BAD
        good = _count_ok(value, spec)
        if not good:
            self.add(where, _count_message(value, spec))
        cleaned: list[str] = []
        item_spec = _item_spec(spec)
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.add(
                    (*where, index), f"found {described(item)}; expected {_allowed(item_spec)}"
                )
                good = False
                continue
            text, message = _text(item, item_spec)
            if message is not None:
                self.add((*where, index), message)
                good = False
            else:
                cleaned.append(cast(str, text))
        return tuple(cleaned) if good else _BAD

    def check_figure(self, value: Any, where: Where) -> object:
        """The figure a stretch's `figure` table draws; or _BAD after adding its problems, each
        placed at its line inside the table."""
        from tui.core.figure_toml import read_figure  # only files with figures need it

        def line_of(inner: Where) -> int | None:
            return self.lines().in_figure(inner)

        figure, problems = read_figure(value, where, line_of)
        for problem in problems:
            self.add_at(problem.where, problem.line, problem.message)
        return _BAD if figure is None else figure

    def add_at(self, where: Where, line: int | None, message: str) -> None:
        """A problem whose line the caller found."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.problems.append(Problem(self.shown, line, field_name(where), message))

    def check_schedule_table(self, kind: str, value: Any, where: Where) -> object:
        """[plan], [progression] or a stretch's own progression, read by tui.core.schedule
        (loaded only for a file that has one); its problems placed like every other."""
        from tui.core.schedule import parse_plan, parse_progression

        found: object
        if kind == "plan":
            found, problems = parse_plan(value, where)
        else:
            found, problems = parse_progression(value, where, stretch=len(where) > 1)
        for problem in problems:
            self.add(problem.where, problem.message)
        return _BAD if found is None else found

    def schedule(self, values: Mapping[str, object]) -> Schedule | None:
        """The routine's plan and progressions; None when the file has none of them. What a
        progression would do to the stretches is checked here (the problems are added)."""
        if "plan" not in values and "progression" not in values and not self.own_progressions:
            return None
        from tui.core.progress import check_progressions
        from tui.core.schedule import Plan, Schedule

        schedule = Schedule(
            cast(Plan, values.get("plan", Plan())),
            cast("Progression | None", values.get("progression")),
            tuple(self.own_progressions),
        )
        stretches = values.get("stretches")
        if isinstance(stretches, tuple) and not self.problems:
            for problem in check_progressions(schedule, cast(tuple[Stretch, ...], stretches)):
                self.add(problem.where, problem.message)
        return schedule

    def check_stretches(self, spec: FieldSpec, value: Any, where: Where) -> object:
        if not isinstance(value, list):
            self.add(where, f"found {described(value)}; expected {_allowed(spec)}")
            return _BAD
        good = _count_ok(value, spec)
        if not good:
            self.add(where, _count_message(value, spec))
        stretches: list[Stretch] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            place = (*where, index)
            if not isinstance(item, dict):
                self.add(place, f"found {described(item)}; expected a table ([[stretches]])")
                good = False
                continue
            before = self.found()
            values = self.check_table(item, STRETCH_FIELDS, place)
            self.check_side_text(item, values, place)
            stretch_id = values.get("id")
            if isinstance(stretch_id, str):
                if stretch_id in seen:
                    self.add(
                        (*place, "id"),
                        f"{quoted(stretch_id)} is already the id of stretches[{seen[stretch_id]}];"
                        " ids must be unique in a file",
                    )
                else:
                    seen[stretch_id] = index + 1
            if self.found() > before:
                good = False
                continue
            if "progression" in values:
                own = cast("Progression", values["progression"])
                self.own_progressions.append((cast(str, stretch_id), own))
            stretches.append(_stretch(values))
        return tuple(stretches) if good else _BAD

    def check_side_text(
        self, table: Mapping[str, Any], values: dict[str, object], where: Where
    ) -> None:
        """The placeholders of a stretch's texts (tui.core.side_text): each one known, every
        brace doubled or part of one, none in a stretch without sides, none in its name."""
        from tui.core import side_text

        # a bad `sides` is a problem of its own: whether this stretch has sides is not known
        sideless = values.get("sides", "none") == "none" and (
            "sides" in values or "sides" not in table
        )
        name = values.get("name")
        named = side_text.written_in(name) if isinstance(name, str) else []
        if named:
            self.add(
                (*where, "name"),
                f"{named[0]}: a name reads the same on both sides (the side is shown beside "
                "it); name the side in the position, steps or tips",
            )
        for key in side_text.FOLLOWS_SIDE:
            value = values.get(key)
            listed = isinstance(value, tuple)
            texts = list(cast(tuple[str, ...], value)) if listed else [cast(str, value or "")]
            for index, text in enumerate(texts):
                at: Where = (*where, key, index) if listed else (*where, key)
                earlier = texts[:index]
                for problem in side_text.problems(text):
                    line = self._line_of_piece(at, earlier, text, problem.found, problem.column)
                    self.add(at, problem.message, line)
                used = side_text.placeholders(text)
                if used and sideless:
                    piece = used[0]
                    self.add(
                        at,
                        f'{piece} names a side, but this stretch has sides = "none"; give it '
                        'sides = "each" or "alternate", or write the text without placeholders',
                        self._line_of_piece(at, earlier, text, piece, text.index(piece)),
                    )

    def _line_of_piece(
        self, where: Where, earlier: list[str], text: str, piece: str, column: int
    ) -> int | None:
        """The line of the file that holds `piece`, found at `column` of `text` (after the
        `earlier` items of its list): the item's own line in a list written over lines."""
        before = sum(item.count(piece) for item in earlier) + text[:column].count(piece)
        return self.lines().line_of_nth(where, piece, before)


_BAD = object()


def _stretch(values: Mapping[str, object]) -> Stretch:
    return Stretch(
        id=cast(str, values["id"]),
        name=cast(str, values["name"]),
        steps=cast(tuple[str, ...], values["steps"]),
        hold_seconds=cast(Span, values["hold_seconds"]),
        reps=cast(Span, values["reps"]),
        targets=cast(tuple[str, ...], values.get("targets", ())),
        position=cast(str, values.get("position", "")),
        tips=cast(tuple[str, ...], values.get("tips", ())),
        variation=cast(str, values.get("variation", "")),
        sides=cast(Sides, values.get("sides", "none")),
        first_side=cast(Side, values.get("first_side", "right")),
        switch_seconds=cast(int, values.get("switch_seconds", 3)),
        rest_between_reps=cast(int, values.get("rest_between_reps", 3)),
        advance=cast(Advance, values.get("advance", "auto")),
        figure=cast("Figure | None", values.get("figure")),
    )


# ---------------------------------------------------------------------------------------------
# Checks on single values


def _is_whole(value: object) -> bool:
    """True for an integer; a bool is not a number here, though Python says it is an int."""
    return isinstance(value, int) and not isinstance(value, bool)


def _within(value: int, bounds: tuple[int, int] | None) -> bool:
    return bounds is None or bounds[0] <= value <= bounds[1]


def _span(value: object, bounds: tuple[int, int] | None) -> Span | None:
    if _is_whole(value):
        number = cast(int, value)
        return Span.exactly(number) if _within(number, bounds) else None
    if isinstance(value, list) and len(value) == 2 and all(_is_whole(v) for v in value):
        low, high = cast(list[int], value)
        if low <= high and _within(low, bounds) and _within(high, bounds):
            return Span(low, high)
    return None


def _span_message(value: object, spec: FieldSpec) -> str:
    if isinstance(value, list) and len(value) == 2 and all(_is_whole(v) for v in value):
        low, high = cast(list[int], value)
        if low > high:
            return f"found the range [{low}, {high}]; a range is [low, high], low first"
        return f"found the range [{low}, {high}]; each end must be {_range_words(spec.bounds)}"
    if isinstance(value, list):
        items = ", ".join(described(v, whole=True) for v in value[:3])
        items += ", ..." if len(value) > 3 else ""
        return (
            f"found a list [{items}]; a range is two whole numbers [low, high], "
            f"each {_range_words(spec.bounds)}"
        )
    return f"found {described(value, whole=True)}; expected {_allowed(spec)}"


def _text(value: str, spec: FieldSpec) -> tuple[object, str | None]:
    """The cleaned text, or _BAD and why not."""
    low, high = spec.bounds or (0, MAX_FILE_BYTES)
    if spec.kind == "id":
        if not re.match(spec.pattern or ".*", value):
            return _BAD, (
                f"found {described(value)}; an id may hold only lower-case letters a-z, "
                f"digits and '-' ({low}-{high} characters)"
            )
        cleaned = value
    elif spec.kind == "block":
        cleaned = clean_block(value, MAX_FILE_BYTES)
    else:
        cleaned = clean_line(value, MAX_FILE_BYTES)
    if len(cleaned) < low:
        if not value:
            found = "an empty text"
        elif not cleaned:
            found = "nothing to show (only spaces or control characters)"
        else:
            found = f"{len(cleaned)} characters"
        return _BAD, f"found {found}; expected {_length_words(low, high)}"
    if len(cleaned) > high:
        return _BAD, f"found {len(cleaned)} characters; expected {_length_words(low, high)}"
    return cleaned, None


@functools.cache
def _item_spec(spec: FieldSpec) -> FieldSpec:
    """How each text of a list of lines is checked."""
    return replace(spec, kind="text")


def _count_ok(value: list[Any], spec: FieldSpec) -> bool:
    low, high = spec.count or (0, MAX_FILE_BYTES)
    return low <= len(value) <= high


def _count_message(value: list[Any], spec: FieldSpec) -> str:
    low, high = spec.count or (0, MAX_FILE_BYTES)
    noun = "stretches" if spec.kind == "stretches" else "lines"
    return f"found {len(value)} {noun}; expected {low} to {high}"


def _range_words(bounds: tuple[int, int] | None) -> str:
    if bounds is None:
        return "a whole number"
    return f"a whole number from {bounds[0]} to {bounds[1]}"


def _length_words(low: int, high: int) -> str:
    return f"{low} to {high} characters" if low else f"at most {high} characters"


def _allowed(spec: FieldSpec) -> str:
    """What a field may hold, in words."""
    kind = spec.kind
    if kind == "schema":
        return f"the whole number {SCHEMA_VERSION}"
    if kind == "integer":
        return _range_words(spec.bounds)
    if kind == "span":
        return f"{_range_words(spec.bounds)}, or a range [low, high] of them"
    if kind in ("text", "block", "id"):
        low, high = spec.bounds or (0, MAX_FILE_BYTES)
        if kind == "id":
            return f"an id of {_length_words(low, high)} from a-z, 0-9 and '-'"
        return f"a text of {_length_words(low, high)}"
    if kind == "lines":
        low, high = spec.bounds or (0, MAX_FILE_BYTES)
        count_low, count_high = spec.count or (0, MAX_FILE_BYTES)
        return (
            f"a list of {count_low} to {count_high} texts, each {_length_words(low, high)}"
            if count_low
            else f"a list of at most {count_high} texts, each {_length_words(low, high)}"
        )
    if kind == "choice":
        words = [f'"{c}"' for c in spec.choices]
        return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)
    low, high = spec.count or (0, MAX_FILE_BYTES)
    return f"{low} to {high} [[stretches]] tables"


def _unknown_key(key: str, known: list[str], where: Where) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean {close[0]}?"
    table = "a stretch" if where else "a routine"
    return f"unknown key; the keys of {table} are: {', '.join(known)}"


class _LineFinder:
    """Finds the line of a key in the TOML text, for problems that tomllib cannot place.

    It reads the text line by line, looking for table headers and `key =` at the start of a
    line. Good enough for files written by hand; when it cannot tell, it gives no line.
    """

    _HEADER = r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$"
    """A table header; compiled when a problem first needs a line (not at every start)."""

    def __init__(self, text: str) -> None:
        self.text_lines = text.splitlines()
        # (line index, name, is an array-of-tables header), in the order of the file
        self.headers: list[tuple[int, str, bool]] = []
        header = re.compile(self._HEADER)
        for number, line in enumerate(self.text_lines):
            found = header.match(line)
            if found and "," not in found.group(2):
                name = found.group(2).replace('"', "").replace("'", "").replace(" ", "")
                self.headers.append((number, name, found.group(1) == "[["))
        self.header_lines = [number for number, _, _ in self.headers]
        # (first, end) lines of each [[stretches]] block, its sub-tables included
        self.blocks: list[tuple[int, int]] = []
        open_at: int | None = None
        for number, name, array in self.headers:
            if name.startswith("stretches."):  # a stretch's own tables, [[...]] ones too
                continue
            if open_at is not None:
                self.blocks.append((open_at, number))
                open_at = None
            if array and name == "stretches":
                open_at = number
        if open_at is not None:
            self.blocks.append((open_at, len(self.text_lines)))

    def line_of(self, where: Where) -> int | None:
        if not where:
            return None
        if where[0] == "stretches" and len(where) >= 2 and isinstance(where[1], int):
            inner = where[3] if len(where) > 3 and isinstance(where[3], str) else None
            return self._in_stretch(where[1], where[2] if len(where) > 2 else None, inner)
        if len(where) > 1 and isinstance(where[1], str):
            found = self._in_table(str(where[0]), where[1])
            if found is not None:
                return found
        return self._top_level(str(where[0]))

    def line_of_nth(self, where: Where, piece: str, nth: int) -> int | None:
        """The line of the `nth` (from 0) `piece` of text at or after the line of `where`,
        within its stretch; the line of `where` when it cannot be found (an escape in the
        TOML, say)."""
        start = self.line_of(where)
        if start is None:
            return None
        end = len(self.text_lines)
        in_stretch = where[0] == "stretches" and len(where) >= 2 and isinstance(where[1], int)
        if in_stretch and cast(int, where[1]) < len(self.blocks):
            end = self.blocks[cast(int, where[1])][1]
        seen = 0
        for number in range(start - 1, end):
            seen += self.text_lines[number].count(piece)
            if seen > nth:
                return number + 1
        return start

    def _in_table(self, table: str, key: str) -> int | None:
        """The line of `key =` in the table [`table`] (such as [plan])."""
        for index, (number, name, array) in enumerate(self.headers):
            if name == table and not array:
                end = self._next_header(index)
                return self._key_between(key, number + 1, end)
        return None

    def _next_header(self, index: int) -> int:
        return self.headers[index + 1][0] if index + 1 < len(self.headers) else len(self.text_lines)

    def _top_level(self, key: str) -> int | None:
        end = self.headers[0][0] if self.headers else len(self.text_lines)
        found = self._key_between(key, 0, end)
        if found is not None:
            return found
        for number, name, _ in self.headers:
            if name == key or name.startswith(key + "."):
                return number + 1
        return None

    def _in_stretch(
        self, index: int, key: str | int | None, inner: str | None = None
    ) -> int | None:
        """The line of a stretch's `key`; with `inner`, of that key in the stretch's table
        `key` (stretches[1].progression.max_reps), or the table's own line."""
        if index >= len(self.blocks):
            return self._top_level("stretches")
        start, end = self.blocks[index]
        if isinstance(key, str):
            found = self._key_between(key, start + 1, end)
            if found is not None:
                return found
            first = bisect.bisect_right(self.header_lines, start)
            last = bisect.bisect_left(self.header_lines, end)
            for offset, (number, name, _) in enumerate(self.headers[first:last]):
                if name == f"stretches.{key}":
                    if inner is not None:
                        found = self._key_between(
                            inner, number + 1, self._next_header(first + offset)
                        )
                        if found is not None:
                            return found
                    return number + 1
        return start + 1

    def in_figure(self, where: Where) -> int | None:
        """The line of a place inside a stretch's figure table (("stretches", 1, "figure",
        "keyframes", 0, "near_hip")), or of the stretch when it cannot be told."""
        index = where[1] if len(where) > 1 else None
        if not isinstance(index, int) or index >= len(self.blocks):
            return self.line_of(where)
        from tui.core.figure_toml import line_in_figure

        start, end = self.blocks[index]
        found = line_in_figure(self.text_lines, start, end, where[3:])
        return found if found is not None else self._in_stretch(index, "figure")

    def _key_between(self, key: str, start: int, end: int) -> int | None:
        escaped = re.escape(key)
        pattern = re.compile(rf"^\s*(?:{escaped}|\"{escaped}\"|'{escaped}')\s*[=.]")
        for number in range(start, min(end, len(self.text_lines))):
            if pattern.match(self.text_lines[number]):
                return number + 1
        return None
