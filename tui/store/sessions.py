"""What the app remembers between runs: history, the place to resume, the last routine.

No Textual here: the app calls these at a session's end, at quit and at start, and shows the
messages they return. Nothing raises on a full or read-only disk: the data waits in memory
(PendingWrites, HistoryRecorder) and `retry()` tries again.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.model import Routine
from tui.core.textclean import clean_line
from tui.store.durable import Held, PendingWrites, ReadError, SaveError, read_limited
from tui.store.paths import state_dir

if TYPE_CHECKING:
    from tui.core.position import Position
    from tui.core.summary import Summary
    from tui.store.history.recorder import HistoryRecorder
    from tui.store.history.records import Session
    from tui.store.resume import Offer, Places

LAST_ROUTINE = "last-routine"


def last_routine_path() -> Path:
    return state_dir() / LAST_ROUTINE


def read_last_routine(path: Path | None = None) -> str | None:
    """The id of the routine opened last time, if one was remembered."""
    try:
        text = read_limited(path or last_routine_path(), 1024).decode("utf-8", "replace")
    except (FileNotFoundError, ReadError):
        return None
    found = clean_line(text.strip(), 80)
    return found or None


class SessionStore:
    """History, resume and the last routine for one run of the app."""

    def __init__(
        self,
        *,
        history_folder: Path | None = None,
        resume_file: Path | None = None,
        resume_folder: Path | None = None,
        last_file: Path | None = None,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    ) -> None:
        self._history_folder = history_folder
        self._recorder: HistoryRecorder | None = None
        self._history_error: SaveError | None = None
        """Why the sessions waiting for the history could not be saved, the last time tried."""
        self.pending = PendingWrites()
        self.resume_file = resume_file
        self.resume_folder = resume_folder
        self.last_file = last_file
        self._now = now

    # -- history ------------------------------------------------------------------------------

    @property
    def recorder(self) -> HistoryRecorder:
        """Made on first use: the history is not needed before the app's first frame."""
        if self._recorder is None:
            from tui.store.history.recorder import HistoryRecorder

            self._recorder = HistoryRecorder(self._history_folder)
        return self._recorder

    def record(
        self, summary: Summary, pain_before: int | None = None, pain_after: int | None = None
    ) -> list[str]:
        """Add a session to the history; the messages to show (none when all went well)."""
        from tui.store.history.records import session_from_summary

        session = session_from_summary(summary, pain_before, pain_after, now=self._now)
        if session is None:
            return []
        outcome = self.recorder.record(session)
        self._history_error = outcome.error
        messages = list(outcome.notices)
        if outcome.error is not None:
            messages.append(
                f"Could not save this session to the history: {outcome.error.message}. "
                "It is kept and saved as soon as the disk allows."
            )
        return messages

    # -- resume -------------------------------------------------------------------------------

    @property
    def places(self) -> Places:
        """Where places are kept: one file per session (store/resume loads after the first
        frame)."""
        from tui.store.resume import Places

        default = Places.default()
        return Places(self.resume_folder or default.folder, self.resume_file or default.legacy)

    def keep_place(self, routine: Routine, position: Position) -> str | None:
        """Save where an unfinished session is (over its own earlier place only); the message
        when it could not be saved."""
        error = self.places.save(routine, position, pending=self.pending)
        if error is None:
            return None
        return f"Could not save where you stopped: {error.message}. Trying again later."

    def forget_place(self, session_id: str) -> str | None:
        """Clear the place of this session, and no other (it was finished, or the person chose
        to start it over)."""
        try:
            self.places.forget(session_id, pending=self.pending)
        except OSError as error:
            return f"Could not remove the saved place ({error.strerror or error})."
        return None

    def offer(self, routine: Routine) -> tuple[Offer | None, list[str]]:
        """The newest saved place in `routine` that fits it, if any; and notices to show."""
        return self.places.offer(routine)

    @property
    def resume_file_path(self) -> Path:
        from tui.store.resume import resume_path

        return self.resume_file or resume_path()

    # -- the last routine ---------------------------------------------------------------------

    def remember_routine(self, routine_id: str) -> str | None:
        """Remember the routine in use, for the next `unknot` without a name."""
        error = self.pending.write(
            self.last_file or last_routine_path(),
            routine_id.encode("utf-8") + b"\n",
            what="the last routine used",
        )
        return None if error is None else error.message

    # -- retrying -----------------------------------------------------------------------------

    @property
    def waiting(self) -> int:
        """How many writes (sessions and files) are waiting for the disk."""
        return len(self.recorder.unsaved) + len(self.pending)

    def retry(self) -> list[str]:
        """Try the waiting writes again; messages for those that are now saved."""
        if not self.waiting:
            return []
        before = self.waiting
        outcome = self.recorder.retry()
        self._history_error = outcome.error
        self.pending.retry()
        messages = list(outcome.notices)
        if self.waiting < before and not self.waiting:
            messages.append("Everything that was waiting has now been saved.")
        return messages

    def held(self) -> list[Held]:
        """Everything still waiting for the disk, with its data, as whole files: each month's
        waiting sessions as a month file of their own, then the other waiting writes."""
        from tui.store.history.month import history_dir, month_name, month_toml

        unsaved = self.recorder.unsaved if self._recorder is not None else ()
        by_month: dict[str, list[Session]] = {}
        for session in unsaved:
            by_month.setdefault(month_name(session.started_at), []).append(session)
        folder = self.recorder.folder or history_dir()
        held = []
        for name, sessions in by_month.items():
            path = folder / name
            error = self._history_error or SaveError(
                "history", path, OSError(errno.EAGAIN, "not saved yet")
            )
            count = len(sessions)
            what = f"{count} session{'' if count == 1 else 's'} for the history"
            held.append(Held(path, month_toml(sessions).encode("utf-8"), what, error))
        return held + self.pending.held()
