"""Reading every month, through a JSON index in the cache folder keyed by each month file's
size, mtime and inode: only changed months are parsed again. A month that fails to load is
moved aside, never overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from tui.core.model import is_session_id
from tui.core.problems import Problem, shown_path
from tui.core.textclean import clean_line
from tui.store.durable import ReadError, SaveError, atomic_write_bytes, move_aside, read_limited
from tui.store.history.month import (
    MONTH_FILE,
    MonthRead,
    history_dir,
    is_count,
    is_seconds,
    locked,
    month_toml,
    moved_notice,
    read_month,
    read_month_text,
)
from tui.store.history.records import MAX_REPS_SKIPPED, MAX_STRETCHES, PAIN_BOUNDS, Entry, Session
from tui.store.paths import cache_dir

INDEX_VERSION = 3  # 2: entries know how many holds were done; 3: and the session's identity


@dataclass
class HistoryLoad:
    """Every session's entry (oldest first), with problems found and notices for the person."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def index_path(folder: Path) -> Path:
    """The index of one history folder, named by a digest of the folder's path."""
    digest = hashlib.sha256(os.fsencode(folder.absolute())).hexdigest()[:16]
    return cache_dir() / f"history-index-{digest}.json"


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
        is_seconds(total)
        and is_seconds(paused)
        and (before is None or is_count(before, *PAIN_BOUNDS))
        and (after is None or is_count(after, *PAIN_BOUNDS))
        and is_count(stretches, 0, MAX_STRETCHES)
        and is_count(holds, 0, MAX_STRETCHES * 3 * MAX_REPS_SKIPPED)
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


def index_after_write(
    folder: Path, path: Path, kept: Sequence[Session], new: Sequence[Session], text: str
) -> None:
    """Bring the index up to date with a month just written (its `text`), so it need not be
    parsed again. The month reader alone decides what is a session: `kept` it read already,
    `new` it reads now (the whole `text` when it refuses one, so its problems name lines)."""
    files = _load_index(folder)
    key = _stat_key(path)
    if key is None:
        return
    month = read_month_text(MonthRead(path), month_toml(new))
    if month.problems or month.corrupt is not None:
        month = read_month_text(MonthRead(path), text)
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
    with locked(folder):
        if _stat_key(path) != key:
            return ""  # written again meanwhile: the next reading looks at it afresh
        try:
            kept = move_aside(path)
        except OSError as error:
            return (
                f"The history file {shown_path(path)} could not be read "
                f"({month.corrupt}), and could not be moved aside: {error.strerror}."
            )
    return moved_notice(path, kept, month)


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
