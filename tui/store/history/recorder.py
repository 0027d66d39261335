"""Writing sessions: a month file is rewritten whole and atomically, only when it loaded
without a single problem (otherwise it is first moved aside); the recorder keeps what the disk
refused until it can be written or rescued.
"""

from __future__ import annotations

import contextlib
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.store.durable import SaveError, atomic_write_bytes, move_aside
from tui.store.history.index import index_after_write
from tui.store.history.month import (
    history_dir,
    locked,
    month_name,
    month_toml,
    moved_notice,
    read_month,
)
from tui.store.history.records import Session


def append_sessions(sessions: Sequence[Session], folder: Path | None = None) -> list[str]:
    """Add sessions to their month files; notices for the person; raises SaveError.

    A month file that did not load cleanly is moved aside first (and the good records in it
    are carried over), so nothing is overwritten. A session already there (the same identity,
    see `session_key`) is replaced, never counted twice; every other record stays as it is.
    """
    folder = folder or history_dir()
    with locked(folder):
        return _append(sessions, folder)


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
            notices.append(moved_notice(path, kept, month))
        index_after_write(folder, path, kept_records, list(replacing.values()), text)
    return notices


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
