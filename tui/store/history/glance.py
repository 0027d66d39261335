"""A glance at the history for `unknot due`: when the sessions of one routine that count began,
from the few newest months, read through the history's index.

`unknot due` runs at every shell prompt, so it must cost little more than starting Python.
Loading tui.store.history (the month reader and its TOML) and parsing the whole index (a
megabyte of JSON for 10,000 sessions) costs tens of milliseconds; so this module reads the
index's text and decodes only the months it
needs, found by their key (month names are plain ASCII, and JSON escapes every quote inside a
string, so `"2026-03.toml":` can only be that key). A month whose index entry is missing,
stale (its file's stat changed) or odd is read from its own file by tui.store.history.month, as
load_entries would; a month file that cannot be read is left out (`unknot history` and the app
say why and move it aside). Nothing is written: the index belongs to tui.store.history.index.

Which months: the newest first, down to the current one (today's sessions are all in it: a
session belongs to the month of the day it started on, where it was recorded), and on until
the last session before now is found, and one month more (a session recorded at another
offset can begin a little later, in real time, than one filed in the next month).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.core.counting import holds_count
from tui.store.durable import ReadError, read_limited
from tui.store.paths import cache_dir, data_dir

INDEX_VERSION = 3
"""tui.store.history.index.INDEX_VERSION (a test holds them equal): no other is read here."""
MAX_INDEX_BYTES = 256 * 1024 * 1024
ROW_LENGTH = 11
"""The fields of an index row (tui.store.history.records.Entry): routine id first, the start
third, the holds done tenth."""


def history_folder() -> Path:
    """tui.store.history.month.history_dir, without loading that module."""
    return data_dir() / "history"


def index_path(folder: Path) -> Path:
    """tui.store.history.index.index_path, without loading that module (a test holds them
    equal)."""
    digest = hashlib.sha256(os.fsencode(folder.absolute())).hexdigest()[:16]
    return cache_dir() / f"history-index-{digest}.json"


def stat_key(path: Path) -> list[int] | None:
    """tui.store.history.index._stat_key: what the index keeps to tell a month file unchanged."""
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev, info.st_ctime_ns]


def _is_month(name: str) -> bool:
    """YYYY-MM.toml, as tui.store.history.month.MONTH_FILE matches (without loading `re`)."""
    return (
        len(name) == 12
        and name.endswith(".toml")
        and name[4] == "-"
        and name[:4].isdecimal()
        and name[5:7].isdecimal()
        and name.isascii()
    )


def _month_names(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in os.scandir(folder) if _is_month(entry.name))
    except OSError:
        return []


def _index_text(folder: Path) -> str:
    """The index as text; empty when there is none or it is not one this version wrote."""
    try:
        data = read_limited(index_path(folder), MAX_INDEX_BYTES)
    except (OSError, ReadError):
        return ""
    try:
        text = data.decode("ascii")  # json.dumps escapes every other character
    except UnicodeDecodeError:
        return ""
    if not text.startswith(f'{{"version":{INDEX_VERSION},"files":{{'):
        return ""
    return text


Row = tuple[str, datetime, int]
"""(routine id, start, holds done) of one session."""


def _from_index(text: str, name: str, key: list[int] | None) -> list[Row] | None:
    """The rows the index keeps for month file `name`, when they are for its file as it is now;
    None when the month must be read from its file."""
    if not text or key is None:
        return None
    marker = f'"{name}":'
    at = text.find(marker)
    if at < 0:
        return None
    try:
        cached, _ = json.JSONDecoder().raw_decode(text, at + len(marker))
        if not isinstance(cached, dict) or cached.get("key") != key:
            return None
        return [_row(row) for row in cached["entries"]]
    except (ValueError, TypeError, KeyError, RecursionError):
        return None


def _row(row: Any) -> Row:
    """The three fields `due` needs from an index row; ValueError for a row of another shape."""
    if not isinstance(row, list) or len(row) != ROW_LENGTH:
        raise ValueError("not an index row")
    routine_id, started, holds = row[0], row[2], row[9]
    if type(routine_id) is not str or type(started) is not str or type(holds) is not int:
        raise ValueError("not an index row")
    start = datetime.fromisoformat(started)
    if start.tzinfo is None or holds < 0:
        raise ValueError("not an index row")
    return routine_id, start, holds


def _from_file(path: Path) -> list[Row]:
    """The month as tui.store.history.month reads it; nothing when it cannot be read."""
    from tui.store.history.month import read_month

    month = read_month(path)
    return [(e.routine_id, e.started_at, e.holds_done) for e in (s.entry for s in month.sessions)]


def _months(folder: Path) -> Iterator[tuple[str, list[Row]]]:
    """Each month's rows, newest month first, through the index where it is fresh."""
    text = _index_text(folder)
    for name in reversed(_month_names(folder)):
        path = folder / name
        rows = _from_index(text, name, stat_key(path))
        yield name, rows if rows is not None else _from_file(path)


def recent_starts(routine_id: str, now: datetime, folder: Path | None = None) -> list[datetime]:
    """When the sessions of `routine_id` that count began, for every session today and the last
    one before `now` (with its neighbours in time); older months are not read."""
    folder = folder or history_folder()
    this_month = f"{now:%Y-%m}.toml"
    starts: list[datetime] = []
    found_in: str | None = None
    for name, rows in _months(folder):
        if found_in is not None and name < found_in:
            starts += _counted(rows, routine_id)
            break  # the month before the last session's, read for the offsets' sake
        mine = _counted(rows, routine_id)
        starts += mine
        if name <= this_month and any(start <= now for start in mine):
            found_in = name
    return starts


def _counted(rows: list[Row], routine_id: str) -> list[datetime]:
    return [start for rid, start, holds in rows if rid == routine_id and holds_count(holds)]
