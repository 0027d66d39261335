"""One month file, `data_dir()/history/YYYY-MM.toml`: its name, its TOML, and reading it back
with every record checked (a line-by-line quick path for unknot's own files, tomllib and the
field-by-field checks for anything else). Also the lock over the folder and the words for a
file moved aside, shared by the writer and the index.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeGuard, cast

import tomli_w

from tui.core.model import (
    HOLD_BOUNDS,
    ID_LENGTH,
    MAX_SESSION_SECONDS,
    NAME_LENGTH,
    REPS_BOUNDS,
    SESSION_ID_LENGTH,
    is_session_id,
)
from tui.core.problems import Problem, shown_path, toml_error_parts
from tui.core.textclean import clean_line
from tui.store.durable import ReadError, read_limited
from tui.store.history.quick_toml import quick_loads
from tui.store.history.records import (
    MAX_REPS_SKIPPED,
    MAX_STRETCHES,
    PAIN_BOUNDS,
    SCHEMA,
    SIDES,
    Session,
    StretchRecord,
)
from tui.store.paths import data_dir

MAX_MONTH_BYTES = 32 * 1024 * 1024
MONTH_FILE = re.compile(r"^(\d{4})-(\d{2})\.toml$")
_HEADER = "# unknot history: one [[session]] per stretching session, written by unknot.\n"


def history_dir() -> Path:
    return data_dir() / "history"


def month_name(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}.toml"


def session_table(session: Session) -> dict[str, Any]:
    table: dict[str, Any] = {
        "routine_id": session.routine_id,
        "routine_name": session.routine_name,
        "started": session.started_at,
        "ended": session.ended_at,
        "finished": session.finished,
        "total_seconds": session.total_seconds,
        "paused_seconds": session.paused_seconds,
    }
    if session.session_id:
        table["session_id"] = session.session_id
    if session.pain_before is not None:
        table["pain_before"] = session.pain_before
    if session.pain_after is not None:
        table["pain_after"] = session.pain_after
    if session.stretches:
        table["stretch"] = [
            {
                "id": s.stretch_id,
                "name": s.name,
                "reps_planned": s.reps_planned,
                "reps_done": dict(s.reps_done),
                "reps_skipped": s.reps_skipped,
                "hold_seconds": s.hold_seconds,
                "held_seconds": s.held_seconds,
            }
            for s in session.stretches
        ]
    return table


def month_toml(sessions: Iterable[Session]) -> str:
    """The text of a month file holding `sessions` (in order of their start)."""
    ordered = sorted(sessions, key=lambda s: s.started_at)
    body = tomli_w.dumps({"schema": SCHEMA, "session": [session_table(s) for s in ordered]})
    return _HEADER + body


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the history folder's lock, so two unknot sessions ending together both count.

    Best effort: where there is no lock (no fcntl, or the folder cannot be made), go on
    without it, and let the write itself report what is wrong.
    """
    try:
        import fcntl

        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def moved_notice(path: Path, kept: Path, month: MonthRead) -> str:
    if month.corrupt is not None:
        why = month.corrupt
        after = "a new file started"
    else:
        count = len(month.problems)
        first = clean_line(str(month.problems[0]), 300) if month.problems else ""
        why = f"{count} problem{'' if count == 1 else 's'} in its records (the first: {first})"
        after = "the sessions that could be read went on into a new file"
    return (
        f"The history file {shown_path(path)} could not be used as it was: {why}. "
        f"It was kept as {shown_path(kept.name)}, and {after}."
    )


@dataclass
class MonthRead:
    """One month file: its good sessions, problems with the rest, or why it could not be read."""

    path: Path
    sessions: list[Session] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    corrupt: str | None = None
    """Why the file as a whole could not be read (then it is moved aside)."""


def read_month(path: Path) -> MonthRead:
    """Read and check one month file; an absent file is an empty month."""
    month = MonthRead(path)
    try:
        data = read_limited(path, MAX_MONTH_BYTES)
    except FileNotFoundError:
        return month
    except ReadError as error:
        month.corrupt = error.reason
        return month
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        month.corrupt = f"it is not UTF-8 text (line {line})"
        return month
    return read_month_text(month, text)


def read_month_text(month: MonthRead, text: str) -> MonthRead:
    """Parse and check the text of one month file into `month`."""
    document = quick_loads(text)  # the files unknot wrote; None for any other text
    if document is not None:
        _Checker(month, text).check(document)
        return month
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reason, place = toml_error_parts(error)
        at = f" at line {place}" if place is not None else ""
        month.corrupt = f"it is not valid TOML{at} ({clean_line(reason, 200)})"
        return month
    except (RecursionError, ValueError):
        month.corrupt = "it is not valid TOML (nested too deeply or a number out of range)"
        return month
    _Checker(month, text).check(document)
    return month


class _Checker:
    """Checks one parsed month file record by record, the way the routine loader does."""

    _SESSION_HEADER = re.compile(r"^\s*\[\[\s*session\s*\]\]")
    _STRETCH_HEADER = re.compile(r"^\s*\[\[\s*session\s*\.\s*stretch\s*\]\]")

    def __init__(self, month: MonthRead, text: str) -> None:
        self.month = month
        self.shown = shown_path(month.path)
        self._text = text
        self._lines: list[str] | None = None
        self._starts: list[int] | None = None

    # where things are: worked out only when there is a problem to place
    def _all_lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._text.splitlines()
        return self._lines

    def _session_starts(self) -> list[int]:
        if self._starts is None:
            lines = self._all_lines()
            self._starts = [n for n, line in enumerate(lines) if self._SESSION_HEADER.match(line)]
        return self._starts

    def _find_key(self, key: str | None, start: int, end: int) -> int | None:
        if not key:
            return None
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        lines = self._all_lines()
        return next((n + 1 for n in range(start, end) if pattern.match(lines[n])), None)

    def line_of(self, index: int | None, key: str | None, stretch: int | None = None) -> int | None:
        """The line of a key (or of its table's header), when the text shows one."""
        lines = self._all_lines()
        starts = self._session_starts()
        if index is None:
            return self._find_key(key, 0, starts[0] if starts else len(lines))
        if index >= len(starts):
            return None
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        inner = [n for n in range(start + 1, end) if self._STRETCH_HEADER.match(lines[n])]
        if stretch is None:
            return self._find_key(key, start + 1, inner[0] if inner else end) or start + 1
        if stretch >= len(inner):
            return start + 1
        block_end = inner[stretch + 1] if stretch + 1 < len(inner) else end
        return self._find_key(key, inner[stretch] + 1, block_end) or inner[stretch] + 1

    def add(
        self, index: int | None, key: str | None, message: str, stretch: int | None = None
    ) -> None:
        name = "" if index is None else f"session[{index + 1}]"
        if stretch is not None:
            name += f".stretch[{stretch + 1}]"
        if key:
            name += f".{key}" if name else key
        self.month.problems.append(
            Problem(self.shown, self.line_of(index, key, stretch), name, message)
        )

    def check(self, document: dict[str, Any]) -> None:
        schema = document.get("schema")
        if schema is None:
            self.add(None, "schema", f"missing; a history file says `schema = {SCHEMA}`")
        elif not _whole(schema) or schema != SCHEMA:
            newer = _whole(schema) and schema > SCHEMA
            self.add(
                None,
                "schema",
                f"found {_describe(schema)}; this program reads history schema {SCHEMA}"
                + (" (a newer unknot wrote this file)" if newer else ""),
            )
            return
        for key in document:
            if key not in ("schema", "session"):
                self.add(None, key, _unknown(key, ("schema", "session")))
        records = document.get("session", [])
        if not isinstance(records, list):
            self.add(None, "session", "expected [[session]] tables")
            return
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                self.add(index, None, "expected a [[session]] table")
                continue
            session = self.session(index, record)
            if session is not None:
                self.month.sessions.append(session)

    def session(self, index: int, record: dict[str, Any]) -> Session | None:
        quick = _quick_session(record)
        if quick is not None:
            return quick
        before = len(self.month.problems)
        for key in record:
            if key not in _SESSION_KEYS:
                self.add(index, key, _unknown(key, _SESSION_KEYS))
        routine_id = self.text(index, record, "routine_id", ID_LENGTH[1] * 2)
        name = self.text(index, record, "routine_name", NAME_LENGTH[1], required=False)
        started = self.moment(index, record, "started")
        ended = self.moment(index, record, "ended")
        finished = record.get("finished")
        if not isinstance(finished, bool):
            self.add(index, "finished", f"found {_describe(finished)}; expected true or false")
        total = self.seconds(index, record, "total_seconds")
        paused = self.seconds(index, record, "paused_seconds")
        session_id = record.get("session_id", "")
        if session_id != "" and not is_session_id(session_id):
            self.add(
                index,
                "session_id",
                f"found {_describe(session_id)}; expected 1 to {SESSION_ID_LENGTH} letters, "
                "digits, - or _",
            )
        pain = [self.pain(index, record, key) for key in ("pain_before", "pain_after")]
        stretches: list[StretchRecord] = []
        raw = record.get("stretch", [])
        if not isinstance(raw, list) or len(raw) > MAX_STRETCHES:
            self.add(index, "stretch", f"expected up to {MAX_STRETCHES} [[session.stretch]] tables")
            raw = []
        for number, item in enumerate(raw):
            if not isinstance(item, dict):
                self.add(index, None, "expected a [[session.stretch]] table", number)
                continue
            found = self.stretch(index, number, item)
            if found is not None:
                stretches.append(found)
        if started is not None and ended is not None and ended < started:
            self.add(index, "ended", "is before the start")
        if len(self.month.problems) > before:
            return None
        assert started is not None and ended is not None and total is not None
        assert paused is not None and routine_id is not None
        return Session(
            routine_id=routine_id,
            routine_name=name or routine_id,
            started_at=started,
            ended_at=ended,
            finished=bool(finished),
            total_seconds=total,
            paused_seconds=paused,
            stretches=tuple(stretches),
            pain_before=pain[0],
            pain_after=pain[1],
            session_id=session_id,
        )

    def stretch(self, index: int, number: int, item: dict[str, Any]) -> StretchRecord | None:
        quick = _quick_stretch(item)
        if quick is not None:
            return quick
        before = len(self.month.problems)
        for key in item:
            if key not in _STRETCH_KEYS:
                self.add(index, key, _unknown(key, _STRETCH_KEYS), number)
        stretch_id = self.text(index, item, "id", ID_LENGTH[1] * 2, stretch=number)
        name = self.text(index, item, "name", NAME_LENGTH[1], required=False, stretch=number)
        planned = self.whole(index, item, "reps_planned", (0, REPS_BOUNDS[1]), number)
        skipped = self.whole(index, item, "reps_skipped", (0, MAX_REPS_SKIPPED), number)
        hold = self.whole(index, item, "hold_seconds", HOLD_BOUNDS, number)
        held = self.seconds(index, item, "held_seconds", number)
        done_raw = item.get("reps_done")
        done: dict[str, int] = {}
        if not isinstance(done_raw, dict):
            self.add(
                index, "reps_done", f"found {_describe(done_raw)}; expected {{ right = 3 }}", number
            )
        else:
            for side, count in done_raw.items():
                if side not in SIDES:
                    self.add(index, "reps_done", _unknown(side, SIDES, "sides"), number)
                elif not _whole(count) or not 0 <= count <= MAX_REPS_SKIPPED:
                    self.add(
                        index,
                        "reps_done",
                        f"found {_describe(count)} for {side}; expected a whole number of reps",
                        number,
                    )
                else:
                    done[side] = count
        if len(self.month.problems) > before:
            return None
        assert stretch_id is not None and planned is not None and skipped is not None
        assert hold is not None and held is not None
        return StretchRecord(stretch_id, name or stretch_id, planned, done, skipped, hold, held)

    def text(
        self,
        index: int,
        table: dict[str, Any],
        key: str,
        limit: int,
        *,
        required: bool = True,
        stretch: int | None = None,
    ) -> str | None:
        value = table.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.add(index, key, f"found {_describe(value)}; expected a text", stretch)
            return None
        cleaned = clean_line(value, limit)
        if required and not cleaned:
            self.add(index, key, "found an empty text", stretch)
            return None
        return cleaned

    def moment(self, index: int, record: dict[str, Any], key: str) -> datetime | None:
        value = record.get(key)
        if not isinstance(value, datetime):
            self.add(
                index,
                key,
                f"found {_describe(value)}; expected a date and time like "
                "2026-11-25T08:30:00+01:00",
            )
            return None
        try:
            local = value.astimezone()  # a naive time is local; every time is shown as local
        except (ValueError, OverflowError, OSError):
            self.add(index, key, f"found {value}; that is outside the years this computer can show")
            return None
        return value if value.tzinfo is not None else local

    def seconds(
        self, index: int, table: dict[str, Any], key: str, stretch: int | None = None
    ) -> float | None:
        value = table.get(key)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not 0 <= value <= MAX_SESSION_SECONDS
        ):
            self.add(
                index,
                key,
                f"found {_describe(value)}; expected seconds from 0 to {MAX_SESSION_SECONDS}",
                stretch,
            )
            return None
        return float(value)

    def whole(
        self,
        index: int,
        table: dict[str, Any],
        key: str,
        bounds: tuple[int, int],
        stretch: int | None = None,
    ) -> int | None:
        value = table.get(key)
        if not _whole(value) or not bounds[0] <= cast(int, value) <= bounds[1]:
            low, high = bounds
            self.add(
                index,
                key,
                f"found {_describe(value)}; expected a whole number {low} to {high}",
                stretch,
            )
            return None
        return cast(int, value)

    def pain(self, index: int, record: dict[str, Any], key: str) -> int | None:
        if key not in record:
            return None
        return self.whole(index, record, key, PAIN_BOUNDS)


_SESSION_KEYS = (
    "routine_id",
    "routine_name",
    "started",
    "ended",
    "finished",
    "session_id",
    "total_seconds",
    "paused_seconds",
    "pain_before",
    "pain_after",
    "stretch",
)
_STRETCH_KEYS = (
    "id",
    "name",
    "reps_planned",
    "reps_done",
    "reps_skipped",
    "hold_seconds",
    "held_seconds",
)


# The common case in one pass: a record exactly as unknot writes it is taken at once, and
# anything else (one wrong type, one value out of bounds, one unknown key) goes through the
# checks above, which say what is wrong and where. These accept nothing those would refuse,
# and build the same record (a property test holds them to that).


def _plain(value: object, limit: int) -> TypeGuard[str]:
    """Text that clean_line would leave as it is: printable, not padded, not too long."""
    return (
        type(value) is str
        and len(value) <= limit
        and value.isprintable()
        and value.strip() == value
    )


def is_seconds(value: object) -> TypeGuard[float]:
    return type(value) in (int, float) and 0 <= cast(float, value) <= MAX_SESSION_SECONDS


def is_count(value: object, low: int, high: int) -> TypeGuard[int]:
    return type(value) is int and low <= value <= high


def _moment_with_offset(value: object) -> TypeGuard[datetime]:
    return type(value) is datetime and value.tzinfo is not None


_SESSION_KEY_SET = frozenset(_SESSION_KEYS)
_STRETCH_KEY_SET = frozenset(_STRETCH_KEYS)


def _quick_session(record: dict[str, Any]) -> Session | None:
    get = record.get
    routine_id, name = get("routine_id"), get("routine_name", "")
    started, ended = get("started"), get("ended")
    before, after = get("pain_before"), get("pain_after")
    stretches = get("stretch", [])
    session_id = get("session_id", "")
    if not (
        _SESSION_KEY_SET.issuperset(record)
        and (session_id == "" or is_session_id(session_id))
        and routine_id
        and _plain(routine_id, ID_LENGTH[1] * 2)
        and _plain(name, NAME_LENGTH[1])
        and _moment_with_offset(started)
        and _moment_with_offset(ended)
        and ended >= started
        and type(get("finished")) is bool
        and is_seconds(get("total_seconds"))
        and is_seconds(get("paused_seconds"))
        and (before is None or is_count(before, *PAIN_BOUNDS))
        and (after is None or is_count(after, *PAIN_BOUNDS))
        and type(stretches) is list
        and len(stretches) <= MAX_STRETCHES
    ):
        return None
    done = [_quick_stretch(item) if type(item) is dict else None for item in stretches]
    if None in done:
        return None
    return Session(
        routine_id=routine_id,
        routine_name=name or routine_id,
        started_at=started,
        ended_at=ended,
        finished=record["finished"],
        total_seconds=float(record["total_seconds"]),
        paused_seconds=float(record["paused_seconds"]),
        stretches=tuple(cast(list[StretchRecord], done)),
        pain_before=before,
        pain_after=after,
        session_id=session_id,
    )


def _quick_stretch(item: dict[str, Any]) -> StretchRecord | None:
    get = item.get
    stretch_id, name = get("id"), get("name", "")
    planned, skipped, hold = get("reps_planned"), get("reps_skipped"), get("hold_seconds")
    held, done = get("held_seconds"), get("reps_done")
    if not (
        _STRETCH_KEY_SET.issuperset(item)
        and stretch_id
        and _plain(stretch_id, ID_LENGTH[1] * 2)
        and _plain(name, NAME_LENGTH[1])
        and is_count(planned, 0, REPS_BOUNDS[1])
        and is_count(skipped, 0, MAX_REPS_SKIPPED)
        and is_count(hold, *HOLD_BOUNDS)
        and is_seconds(held)
        and type(done) is dict
        and all(side in SIDES and is_count(n, 0, MAX_REPS_SKIPPED) for side, n in done.items())
    ):
        return None
    return StretchRecord(stretch_id, name or stretch_id, planned, done, skipped, hold, float(held))


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _describe(value: object) -> str:
    """A found value in words, short and safe to print."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if abs(value) < 10**15 or not math.isfinite(value) else "a huge number"
    if isinstance(value, str):
        return f'"{clean_line(value, 40)}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime):
        return "a date and time"
    return "a date or time"


def _unknown(key: str, known: Sequence[str], what: str = "keys") -> str:
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    shown = clean_line(key, 40)
    if close:
        return f'unknown "{shown}"; did you mean {close[0]}?'
    return f'unknown "{shown}"; the {what} here are: {", ".join(known)}'
