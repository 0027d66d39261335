"""The record of every session: one TOML file per month, validated on load, summed into stats.

Files live in `data_dir()/history/YYYY-MM.toml` (the month the session started). Recording a
session rewrites only that month's file, atomically. A month file is only ever rewritten when it
loaded without a single problem; otherwise it is first moved aside to `<name>.broken-<time>`,
so nothing a person has is ever overwritten. Each record carries its session's identity, made
when the session started: two sessions are never merged into one record, whatever else ran in
the same second, and a resumed session replaces the record of its own stop.

Reading years of history is not free (tui.history_toml reads unknot's own files about ten times
faster than tomllib, still some 0.1 ms a session), so the few facts the stats need are kept in
a JSON index in the cache folder, keyed by each month file's size, mtime and inode: only
changed months are parsed again.

No Textual here: the app's history screen and `unknot history` both render from this module.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeGuard, cast

import tomli_w

from tui.core.counting import holds_count
from tui.history_toml import quick_loads
from tui.loader import Problem, shown_path, toml_error_parts
from tui.model import (
    HOLD_BOUNDS,
    ID_LENGTH,
    MAX_SESSION_SECONDS,
    NAME_LENGTH,
    REPS_BOUNDS,
    SESSION_ID_LENGTH,
    format_duration,
    is_session_id,
)
from tui.paths import data_dir
from tui.storage import ReadError, SaveError, atomic_write_bytes, move_aside, read_limited
from tui.textclean import clean_line

SCHEMA = 1
MAX_MONTH_BYTES = 32 * 1024 * 1024
MONTH_FILE = re.compile(r"^(\d{4})-(\d{2})\.toml$")
PAIN_BOUNDS = (0, 10)
MAX_STRETCHES = 200
MAX_REPS_SKIPPED = 10_000
SIDES = ("right", "left", "none")
INDEX_VERSION = 3  # 2: entries know how many holds were done; 3: and the session's identity
_HEADER = "# unknot history: one [[session]] per stretching session, written by unknot.\n"


# ---------------------------------------------------------------------------------------------
# The records


@dataclass(frozen=True, slots=True)
class StretchRecord:
    """What was done of one stretch in a session."""

    stretch_id: str
    name: str
    reps_planned: int
    reps_done: Mapping[str, int]
    """Side ("right", "left", or "none" for a stretch without sides) -> reps completed."""
    reps_skipped: int
    hold_seconds: int
    held_seconds: float


class Entry(NamedTuple):
    """The facts about a session that lists and stats need; cheap to keep in the index.

    A NamedTuple rather than a dataclass: 10,000 of them are built on every history load.
    """

    routine_id: str
    routine_name: str
    started_at: datetime
    finished: bool
    total_seconds: float
    paused_seconds: float
    pain_before: int | None
    pain_after: int | None
    stretch_count: int
    holds_done: int
    """Holds held to their end, every stretch and side together (`counts` reads these)."""
    session_id: str = ""
    """The session's identity; empty in records written before sessions had one."""

    @property
    def day(self) -> date:
        """The day the session started, in the local time it was recorded in."""
        return self.started_at.date()

    @property
    def key(self) -> SessionKey:
        return session_key(self.routine_id, self.started_at, self.session_id)


SessionKey = str | tuple[str, datetime]


def session_key(routine_id: str, started_at: datetime, session_id: str) -> SessionKey:
    """What makes two records the same session: its identity; for a record written before
    sessions had one, its routine and start to the second, as those were merged then."""
    return session_id or (routine_id, started_at)


@dataclass(frozen=True, slots=True)
class Session:
    """One recorded session, finished or stopped."""

    routine_id: str
    routine_name: str
    started_at: datetime
    ended_at: datetime
    finished: bool
    total_seconds: float
    paused_seconds: float
    stretches: tuple[StretchRecord, ...] = ()
    pain_before: int | None = None
    pain_after: int | None = None
    session_id: str = ""
    """Made when the session started (Engine.session_id); empty in older records."""

    @property
    def entry(self) -> Entry:
        return Entry(
            self.routine_id,
            self.routine_name,
            self.started_at,
            self.finished,
            self.total_seconds,
            self.paused_seconds,
            self.pain_before,
            self.pain_after,
            len(self.stretches),
            sum(sum(s.reps_done.values()) for s in self.stretches),
            self.session_id,
        )

    @property
    def key(self) -> SessionKey:
        """Two records with this key are the same session (saving twice must not count twice,
        and a resumed session replaces the record of its stop)."""
        return session_key(self.routine_id, self.started_at, self.session_id)


class _StretchSummaryLike(Protocol):
    @property
    def stretch_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def reps_planned(self) -> int: ...
    @property
    def reps_done(self) -> Mapping[str, int]: ...
    @property
    def reps_skipped(self) -> int: ...
    @property
    def hold_seconds(self) -> int: ...
    @property
    def held_seconds(self) -> float: ...


class SummaryLike(Protocol):
    """The engine's Summary, as far as history needs it."""

    @property
    def routine_id(self) -> str: ...
    @property
    def routine_name(self) -> str: ...
    @property
    def finished(self) -> bool: ...
    @property
    def stretches(self) -> Sequence[_StretchSummaryLike]: ...
    @property
    def total_seconds(self) -> float: ...
    @property
    def paused_seconds(self) -> float: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def ended_at(self) -> datetime | None: ...
    @property
    def session_id(self) -> str: ...


def _local(moment: datetime) -> datetime:
    """Local time with its offset, to the second (a naive time is taken as local)."""
    aware = moment if moment.tzinfo is not None else moment.astimezone()
    return aware.replace(microsecond=0)


def session_from_summary(
    summary: SummaryLike,
    pain_before: int | None = None,
    pain_after: int | None = None,
    *,
    now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
) -> Session | None:
    """The record of a session from the engine's summary; None when it never started.

    Every value is one the history's reader takes: a session left paused for more than a week
    is recorded as a week (the reader refuses more, and the record would be set aside).
    """
    if summary.started_at is None:
        return None
    started = _local(summary.started_at)
    ended = _local(summary.ended_at if summary.ended_at is not None else now())
    stretches = tuple(
        StretchRecord(
            stretch_id=s.stretch_id,
            name=s.name,
            reps_planned=s.reps_planned,
            reps_done={side: int(count) for side, count in s.reps_done.items()},
            reps_skipped=s.reps_skipped,
            hold_seconds=s.hold_seconds,
            held_seconds=_bounded_seconds(s.held_seconds),
        )
        for s in summary.stretches
    )
    for score in (pain_before, pain_after):
        if score is not None and not PAIN_BOUNDS[0] <= score <= PAIN_BOUNDS[1]:
            raise ValueError(f"a pain score is 0 to 10, not {score}")
    return Session(
        routine_id=summary.routine_id,
        routine_name=summary.routine_name,
        started_at=started,
        ended_at=max(ended, started),
        finished=summary.finished,
        total_seconds=_bounded_seconds(summary.total_seconds),
        paused_seconds=_bounded_seconds(summary.paused_seconds),
        stretches=stretches,
        pain_before=pain_before,
        pain_after=pain_after,
        session_id=summary.session_id,
    )


def _bounded_seconds(seconds: float) -> float:
    return round(min(max(float(seconds), 0.0), MAX_SESSION_SECONDS), 1)


# ---------------------------------------------------------------------------------------------
# Writing


def history_dir() -> Path:
    return data_dir() / "history"


def month_name(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}.toml"


def _session_table(session: Session) -> dict[str, Any]:
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
    body = tomli_w.dumps({"schema": SCHEMA, "session": [_session_table(s) for s in ordered]})
    return _HEADER + body


def append_sessions(sessions: Sequence[Session], folder: Path | None = None) -> list[str]:
    """Add sessions to their month files; notices for the person; raises SaveError.

    A month file that did not load cleanly is moved aside first (and the good records in it
    are carried over), so nothing is overwritten. A session already there (the same identity,
    see `session_key`) is replaced, never counted twice; every other record stays as it is.
    """
    folder = folder or history_dir()
    with _locked(folder):
        return _append(sessions, folder)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
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


def _append(sessions: Sequence[Session], folder: Path) -> list[str]:
    notices: list[str] = []
    by_month: dict[str, list[Session]] = defaultdict(list)
    for session in sessions:
        by_month[month_name(session.started_at)].append(session)
    for name, new in by_month.items():
        path = folder / name
        month = read_month(path)
        kept: Path | None = None
        if (month.corrupt is not None or month.problems) and (path.exists() or path.is_symlink()):
            try:
                kept = move_aside(path)
            except OSError as error:
                raise SaveError("history", path, error) from error
        # one record per session: a resumed session that ends later replaces the record
        # written when it was left (the same identity, carried through its saved place)
        replacing = {s.key: s for s in new}
        kept_records = [s for s in month.sessions if s.key not in replacing]
        text = month_toml([*kept_records, *replacing.values()])
        try:
            atomic_write_bytes(path, text.encode("utf-8"), what="history")
        except SaveError:
            if kept is not None and not os.path.lexists(path):
                # put the file back as it was, so the next try finds it the same way
                with contextlib.suppress(OSError):
                    os.rename(kept, path)
            raise
        if kept is not None:
            notices.append(_moved_notice(path, kept, month))
        _index_after_write(folder, path, kept_records, list(replacing.values()), text)
    return notices


def _moved_notice(path: Path, kept: Path, month: MonthRead) -> str:
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


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What happened when saving: notices to show, and the error when something is waiting."""

    notices: tuple[str, ...] = ()
    error: SaveError | None = None
    waiting: int = 0

    @property
    def saved(self) -> bool:
        return self.error is None


class HistoryRecorder:
    """Records sessions, keeping in memory those that could not be saved, to retry later.

    On a read-only or full disk the app goes on: `record` returns the error to show, and
    `retry()` (on a timer, at the next session, before exit) saves what is still waiting.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._unsaved: list[Session] = []

    @property
    def unsaved(self) -> tuple[Session, ...]:
        return tuple(self._unsaved)

    def record(self, session: Session) -> RecordOutcome:
        self._unsaved.append(session)
        return self.retry()

    def retry(self) -> RecordOutcome:
        notices: list[str] = []
        error: SaveError | None = None
        for session in list(self._unsaved):
            try:
                notices += append_sessions([session], self.folder)
            except SaveError as failed:
                error = failed
                continue
            self._unsaved.remove(session)
        return RecordOutcome(tuple(notices), error, len(self._unsaved))


# ---------------------------------------------------------------------------------------------
# Reading one month


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
    return _read_text(month, text)


def _read_text(month: MonthRead, text: str) -> MonthRead:
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


def _seconds(value: object) -> TypeGuard[float]:
    return type(value) in (int, float) and 0 <= cast(float, value) <= MAX_SESSION_SECONDS


def _count(value: object, low: int, high: int) -> TypeGuard[int]:
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
        and _seconds(get("total_seconds"))
        and _seconds(get("paused_seconds"))
        and (before is None or _count(before, *PAIN_BOUNDS))
        and (after is None or _count(after, *PAIN_BOUNDS))
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
        and _count(planned, 0, REPS_BOUNDS[1])
        and _count(skipped, 0, MAX_REPS_SKIPPED)
        and _count(hold, *HOLD_BOUNDS)
        and _seconds(held)
        and type(done) is dict
        and all(side in SIDES and _count(n, 0, MAX_REPS_SKIPPED) for side, n in done.items())
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


# ---------------------------------------------------------------------------------------------
# Reading every month, through the index


@dataclass
class HistoryLoad:
    """Every session's entry (oldest first), with problems found and notices for the person."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _cache_dir() -> Path:
    value = os.environ.get("XDG_CACHE_HOME", "")
    if value and os.path.isabs(value):
        return Path(value) / "unknot"
    import platformdirs

    return platformdirs.user_cache_path("unknot", appauthor=False)


def index_path(folder: Path) -> Path:
    """The index of one history folder, named by a digest of the folder's path."""
    digest = hashlib.sha256(os.fsencode(folder.absolute())).hexdigest()[:16]
    return _cache_dir() / f"history-index-{digest}.json"


def _stat_key(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    # ctime too: `touch -r` or `cp -p` can put an old mtime on new text, but not an old ctime
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev, info.st_ctime_ns]


def _row_problem(row: Any) -> Problem:
    """A problem back from the index; ValueError when the row is not one this code wrote (the
    index is a file anyone can edit: the month is then read again)."""
    if not isinstance(row, list) or len(row) != 4:
        raise ValueError(row)
    path, line, field, message = row
    texts = (path, field, message)
    if not all(isinstance(text, str) for text in texts):
        raise ValueError(row)
    if line is not None and (isinstance(line, bool) or not isinstance(line, int) or line < 1):
        raise ValueError(row)
    return Problem(clean_line(path, 1000), line, clean_line(field, 200), clean_line(message, 1000))


def _entry_row(entry: Entry) -> list[Any]:
    row: list[Any] = list(entry)
    row[2] = entry.started_at.isoformat()
    return row


_ROW_TYPES = {
    (str, str, str, bool, total, paused, before, after, int, int, str)
    for total in (int, float)
    for paused in (int, float)
    for before in (int, type(None))
    for after in (int, type(None))
}


def _row_entry(row: list[Any]) -> Entry:
    """An entry from the index; any oddity raises, and the month is read again from its file.

    The index is a file anyone can edit: its values are held to the month reader's bounds, so
    it can never count a session the reader would refuse.
    """
    if tuple(map(type, row)) not in _ROW_TYPES:
        raise ValueError("bad index row")
    started = datetime.fromisoformat(row[2])
    if started.tzinfo is None:
        raise ValueError("bad index row")
    for text in (row[0], row[1]):
        # isprintable() is the quick test; text that fails it must at least be clean
        if not text.isprintable() and clean_line(text, len(text)) != text:
            raise ValueError("bad index row")
    _, _, _, _, total, paused, before, after, stretches, holds, session_id = row
    if not (
        _seconds(total)
        and _seconds(paused)
        and (before is None or _count(before, *PAIN_BOUNDS))
        and (after is None or _count(after, *PAIN_BOUNDS))
        and _count(stretches, 0, MAX_STRETCHES)
        and _count(holds, 0, MAX_STRETCHES * 3 * MAX_REPS_SKIPPED)
        and (session_id == "" or is_session_id(session_id))
    ):
        raise ValueError("bad index row")
    return Entry(row[0], row[1], started, *row[3:])


def _load_index(folder: Path) -> dict[str, Any]:
    try:
        raw = json.loads(read_limited(index_path(folder), 256 * 1024 * 1024))
    except (OSError, ReadError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("version") != INDEX_VERSION:
        return {}
    files = raw.get("files")
    return files if isinstance(files, dict) else {}


def _save_index(folder: Path, files: dict[str, Any]) -> None:
    data = json.dumps({"version": INDEX_VERSION, "files": files}, separators=(",", ":"))
    # only a cache: when it cannot be saved, the next load reads the month files again
    with contextlib.suppress(SaveError):
        atomic_write_bytes(index_path(folder), data.encode("utf-8"), what="the history index")


def _problem_row(problem: Problem) -> list[Any]:
    return [problem.path, problem.line, problem.field, problem.message]


def _index_after_write(
    folder: Path, path: Path, kept: Sequence[Session], new: Sequence[Session], text: str
) -> None:
    """Bring the index up to date with a month just written (its `text`), so it need not be
    parsed again. The month reader alone decides what is a session: `kept` it read already,
    `new` it reads now (the whole `text` when it refuses one, so its problems name lines)."""
    files = _load_index(folder)
    key = _stat_key(path)
    if key is None:
        return
    month = _read_text(MonthRead(path), month_toml(new))
    if month.problems or month.corrupt is not None:
        month = _read_text(MonthRead(path), text)
    else:
        month.sessions[:0] = kept
    if month.corrupt is not None:  # not what unknot writes: the next load reads the file
        files.pop(path.name, None)
        _save_index(folder, files)
        return
    files[path.name] = {
        "key": key,
        "entries": [_entry_row(s.entry) for s in month.sessions],
        "problems": [_problem_row(p) for p in month.problems],
    }
    _save_index(folder, files)


def month_files(folder: Path) -> list[Path]:
    """The month files in the history folder, oldest first."""
    try:
        names = [e.name for e in os.scandir(folder) if MONTH_FILE.match(e.name)]
    except OSError:
        return []
    return [folder / name for name in sorted(names)]


def load_entries(
    folder: Path | None = None, *, repair: bool = True, unsaved: Sequence[Session] = ()
) -> HistoryLoad:
    """Every session's entry, through the index; corrupt month files are moved aside.

    `unsaved` (HistoryRecorder.unsaved) are shown too: a session waiting for the disk is not
    lost, and the person should see it counted.
    """
    folder = folder or history_dir()
    result = HistoryLoad()
    result.entries += [s.entry for s in unsaved]
    if folder.exists() and not folder.is_dir():
        result.notices.append(
            f"The history folder {shown_path(folder)} is a file, not a folder: "
            "no history can be read or saved until it is moved."
        )
        return result
    files = _load_index(folder)
    fresh: dict[str, Any] = {}
    changed = False
    for path in month_files(folder):
        key = _stat_key(path)
        cached = files.get(path.name)
        if isinstance(cached, dict) and key is not None and cached.get("key") == key:
            try:
                entries = [_row_entry(row) for row in cached["entries"]]
                problems = [_row_problem(row) for row in cached["problems"]]
            except (TypeError, ValueError, KeyError):
                pass
            else:
                result.entries += entries
                result.problems += problems
                fresh[path.name] = cached
                continue
        month = read_month(path)
        changed = True
        if month.corrupt is not None:
            if repair:
                notice = _move_aside_unchanged(folder, path, key, month)
                if notice:
                    result.notices.append(notice)
            else:
                result.notices.append(
                    f"The history file {shown_path(path)} could not be read: {month.corrupt}."
                )
            continue
        result.entries += [s.entry for s in month.sessions]
        result.problems += month.problems
        if key is not None:
            fresh[path.name] = {
                "key": key,
                "entries": [_entry_row(s.entry) for s in month.sessions],
                "problems": [_problem_row(p) for p in month.problems],
            }
    if changed or set(fresh) != set(files):
        _save_index(folder, fresh)
    if unsaved:
        waiting = {s.key for s in unsaved}
        result.entries = [s.entry for s in unsaved] + [
            e for e in result.entries[len(unsaved) :] if e.key not in waiting
        ]
    result.entries.sort(key=itemgetter(2))  # by start; itemgetter keeps 10,000 quick
    return result


def _move_aside_unchanged(folder: Path, path: Path, key: list[int] | None, month: MonthRead) -> str:
    """Move a month file that could not be read aside, unless it changed since it was read.

    The history may be read in a thread while a session is recorded: under the folder's lock,
    and only if the file is still the one that was read, so a good file just written in its
    place is never the one moved. The notice for the person; empty when nothing was moved.
    """
    with _locked(folder):
        if _stat_key(path) != key:
            return ""  # written again meanwhile: the next reading looks at it afresh
        try:
            kept = move_aside(path)
        except OSError as error:
            return (
                f"The history file {shown_path(path)} could not be read "
                f"({month.corrupt}), and could not be moved aside: {error.strerror}."
            )
    return _moved_notice(path, kept, month)


def load_sessions(folder: Path | None = None) -> tuple[list[Session], list[Problem], list[str]]:
    """Every session in full (slow for years of history: the stats only need `load_entries`)."""
    folder = folder or history_dir()
    sessions: list[Session] = []
    problems: list[Problem] = []
    notices: list[str] = []
    for path in month_files(folder):
        month = read_month(path)
        if month.corrupt is not None:
            notices.append(
                f"The history file {shown_path(path)} could not be read: {month.corrupt}."
            )
        sessions += month.sessions
        problems += month.problems
    sessions.sort(key=lambda s: s.started_at)
    return sessions, problems, notices


# ---------------------------------------------------------------------------------------------
# Stats


@dataclass(frozen=True, slots=True)
class DayMinutes:
    day: date
    minutes: float
    sessions: int


@dataclass(frozen=True, slots=True)
class PainWeek:
    """The average pain scores of the sessions in one week (Monday first), where any were given."""

    week: date
    before: float | None
    after: float | None
    scored: int


@dataclass(frozen=True, slots=True)
class Stats:
    """The figures of a history. Every one counts only the sessions that count (`counts`);
    `recorded` alone is every session."""

    sessions: int
    finished: int
    streak: int
    """Days in a row with a session that counts, ending today, or yesterday while today has
    none yet."""
    this_week: int
    """Sessions since Monday."""
    total_seconds: float
    days: tuple[DayMinutes, ...]
    """Every day from the Monday `weeks - 1` weeks ago up to today."""
    pain: tuple[PainWeek, ...]
    """The same weeks, oldest first."""
    recorded: int
    """Every session recorded, counted or not (each is listed all the same)."""

    @property
    def total_minutes(self) -> int:
        return round(self.total_seconds / 60)


COUNTING_RULE = (
    "A session counts once one hold is held to its end; every figure here counts only those."
)
"""The one rule of `counts`, in words: said once wherever the figures are shown."""
NOT_COUNTED = "(not counted)"
"""The mark on a listed session that does not count."""


@dataclass(frozen=True, slots=True)
class HistoryRead:
    """What the app's reading of the history hands its screen, and how many sessions the app
    had recorded when the reading began."""

    load: HistoryLoad
    stats: Stats
    recorded: int


def counts(entry: Entry) -> bool:
    """The one rule for every figure (streak, this week, totals, minutes per day, pain trend):
    a session counts when at least one hold was held to its end.

    A session stopped in the first seconds, or one skipped through with n, did no stretching:
    it is recorded and listed, but no figure counts it. One hold does, on a bad day.
    """
    return holds_count(entry.holds_done)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def compute_stats(entries: Sequence[Entry], today: date, weeks: int = 4) -> Stats:
    """Streak, this week, totals, per-day minutes and the weekly pain trend, all of them over
    the sessions that count (`counts`), and how many were recorded in all."""
    recorded = len(entries)
    entries = [entry for entry in entries if counts(entry)]
    weeks = max(1, weeks)
    first = week_start(today) - timedelta(weeks=weeks - 1)
    minutes: dict[date, float] = defaultdict(float)
    count: dict[date, int] = defaultdict(int)
    days_with: set[date] = set()
    befores: dict[date, list[int]] = defaultdict(list)
    afters: dict[date, list[int]] = defaultdict(list)
    scored: dict[date, int] = defaultdict(int)
    total = 0.0
    finished = 0
    this_week = 0
    monday = week_start(today)
    for entry in entries:
        day = entry.started_at.date()
        days_with.add(day)
        total += entry.total_seconds
        finished += entry.finished
        if monday <= day <= today:
            this_week += 1
        if first <= day <= today:
            minutes[day] += entry.total_seconds / 60
            count[day] += 1
            week = week_start(day)
            if entry.pain_before is not None:
                befores[week].append(entry.pain_before)
            if entry.pain_after is not None:
                afters[week].append(entry.pain_after)
            if entry.pain_before is not None or entry.pain_after is not None:
                scored[week] += 1
    streak = 0
    day = today if today in days_with else today - timedelta(days=1)
    while day in days_with:
        streak += 1
        day -= timedelta(days=1)
    span = (today - first).days + 1
    days = tuple(
        DayMinutes(d, round(minutes[d], 1), count[d])
        for d in (first + timedelta(days=n) for n in range(span))
    )
    pain = tuple(
        PainWeek(w, _mean(befores[w]), _mean(afters[w]), scored[w])
        for w in (first + timedelta(weeks=n) for n in range(weeks))
    )
    return Stats(len(entries), finished, streak, this_week, total, days, pain, recorded)


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


# ---------------------------------------------------------------------------------------------
# Text and JSON for `unknot history`

BLOCKS = "▁▂▃▄▅▆▇█"
DAY_LETTERS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def bar(minutes: float, most: float) -> str:
    """One day as a block character, scaled to the busiest day shown; "·" for none."""
    if minutes <= 0 or most <= 0:
        return "·"
    level = max(1, math.ceil(minutes / most * len(BLOCKS)))
    return BLOCKS[min(level, len(BLOCKS)) - 1]


def amount(minutes: float) -> str:
    """A day's or week's time as the chart shows it: "25 min", and "<1 min" for a little time
    (a short session is not "0 min", which reads as nothing done)."""
    if 0 < minutes < 1:
        return "<1 min"
    return f"{round(minutes)} min"


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def render_text(load: HistoryLoad, stats: Stats, recent: int = 10) -> str:
    """What `unknot history` prints: totals, a per-day chart, the pain trend, recent sessions."""
    lines: list[str] = []
    if not load.entries:
        lines.append("No sessions recorded yet: finish or stop a routine and it will show here.")
    else:
        lines += [
            f"{_plural(stats.recorded, 'session')} recorded, {stats.sessions} counted "
            f"({stats.finished} finished).",
            f"Days in a row: {stats.streak}    This week: {_plural(stats.this_week, 'session')}"
            f"    Total: {stats.total_minutes} min",
            f"({COUNTING_RULE})",
            "",
        ]
        most = max((d.minutes for d in stats.days), default=0.0)
        lines.append(
            f"Minutes per day, last {len(stats.pain)} weeks"
            + (f" (█ = {amount(most)})" if most else "")
        )
        lines.append("          " + " ".join(DAY_LETTERS) + "   week")
        for week in stats.pain:
            cells = []
            week_total = 0.0
            for offset in range(7):
                day = week.week + timedelta(days=offset)
                found = next((d for d in stats.days if d.day == day), None)
                if found is None:
                    cells.append("  ")
                else:
                    cells.append(bar(found.minutes, most) + " ")
                    week_total += found.minutes
            lines.append(f"  {week.week:%d %b}  " + " ".join(cells) + f"  {amount(week_total)}")
        lines += ["", "Back pain (0-10), weekly average before -> after a session"]
        for week in stats.pain:
            if week.scored:
                lines.append(
                    f"  {week.week:%d %b}  {_score(week.before)} -> {_score(week.after)}"
                    f"   ({_plural(week.scored, 'session')} scored)"
                )
            else:
                lines.append(f"  {week.week:%d %b}  no scores")
        lines += ["", "Recent sessions"]
        for entry in reversed(load.entries[-recent:]):
            lines.append("  " + entry_line(entry) + ("" if counts(entry) else f"  {NOT_COUNTED}"))
    for notice in load.notices:
        lines += ["", clean_line(notice, 1000)]
    if load.problems:
        lines += ["", f"{_plural(len(load.problems), 'problem')} in the history files:"]
        lines += [clean_line(str(p), 1000) for p in load.problems]
    return "\n".join(lines)


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def entry_line(entry: Entry) -> str:
    """One session in a line: date and time, routine, duration, finished or not, pain scores."""
    status = "finished" if entry.finished else "stopped"
    pain = ""
    if entry.pain_before is not None or entry.pain_after is not None:
        pain = f"  pain {_score(entry.pain_before)} -> {_score(entry.pain_after)}"
    name = clean_line(entry.routine_name, NAME_LENGTH[1])
    return (
        f"{entry.started_at:%a %d %b %Y %H:%M}  {name}  "
        f"{format_duration(entry.total_seconds)}  {status}{pain}"
    )


def session_json(session: Session) -> dict[str, Any]:
    table = _session_table(session)
    table["started"] = session.started_at.isoformat()
    table["ended"] = session.ended_at.isoformat()
    table["counts"] = counts(session.entry)
    table.setdefault("session_id", None)
    table.setdefault("pain_before", None)
    table.setdefault("pain_after", None)
    table.setdefault("stretch", [])
    return table


def to_json(
    stats: Stats,
    sessions: Sequence[Session],
    problems: Sequence[Problem],
    notices: Sequence[str],
) -> dict[str, Any]:
    """Everything for scripts: the stats, every session in full, problems and notices."""
    return {
        "schema": SCHEMA,
        "counting_rule": COUNTING_RULE,
        "recorded_count": stats.recorded,
        "sessions_count": stats.sessions,
        "finished_count": stats.finished,
        "streak_days": stats.streak,
        "sessions_this_week": stats.this_week,
        "total_minutes": stats.total_minutes,
        "days": [
            {"date": d.day.isoformat(), "minutes": d.minutes, "sessions": d.sessions}
            for d in stats.days
        ],
        "pain_weeks": [
            {
                "week": w.week.isoformat(),
                "before": w.before,
                "after": w.after,
                "scored": w.scored,
            }
            for w in stats.pain
        ],
        "sessions": [session_json(s) for s in sessions],
        "problems": [
            {"path": p.path, "line": p.line, "field": p.field, "message": p.message}
            for p in problems
        ],
        "notices": list(notices),
    }


def history_command(as_json: bool, *, today: date | None = None, weeks: int = 4) -> str:
    """The output of `unknot history` (text) or `unknot history --json`.

    Both count the same sessions: each month is read by `read_month`, directly for the JSON
    and through the index for the text (the index holds only what that reader took).
    """
    today = today or date.today()
    if as_json:
        sessions, problems, notices = load_sessions()
        stats = compute_stats([s.entry for s in sessions], today, weeks)
        return json.dumps(to_json(stats, sessions, problems, notices), indent=2, ensure_ascii=False)
    load = load_entries()
    return render_text(load, compute_stats(load.entries, today, weeks))
