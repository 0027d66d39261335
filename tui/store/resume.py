"""Where unfinished sessions stopped, one file per session, to pick each up again.

When the app is closed mid-routine (q, Ctrl+C, a dropped SSH connection), the engine's position
is saved in `state_dir()/resume/<session id>.toml`; on the next start of that routine the app
offers the newest place that fits it. Finishing a session, or choosing to start over, removes
that session's own place and no other: two unknot at once (two terminals) each keep theirs.

Only one unknot carries a session on. Resuming a place claims it first (`Places.take`): its file
is renamed to `<name>.<token>.claim`, which no offer reads, and locked (flock) by the process
for as long as it lives. The first of two windows to answer the same offer wins; the other is
told ("This session was resumed in another window") and offered the next place, if any. The
claim ends when the session's place is saved again (quit, a signal) or removed (finished). A
claim whose lock is free has lost its process (killed, crashed, the machine restarted): the
next look at the places puts it back as the place it was, at once. A lock held says the
process lives, whatever its id or how long it has been paused; a dead process holds none (the
kernel drops its locks), so no age or process id has to be guessed, and a place is never lost.

One file per session rather than one file of all places: each instance writes and removes only
its own file, atomically, so no lock and no read-modify-write is needed, a write waiting for
the disk (PendingWrites) can never put back another's removed place or drop another's new
one, and a file edited into something unreadable costs that one place, not all of them.
`state_dir()/resume.toml`, the one place older versions kept, is still read and offered, and
belongs to the session resumed from it (a session with no identity).

A place is state, not data: one that cannot be read, or holds a value out of bounds (a hand
edit), is moved aside (the person is told: file, field, value) and not offered; one that no
longer fits its routine (the routine file was edited) is refused with a clear reason rather
than resumed at a wrong place.

No Textual here.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tui.core.model import (
    ID_LENGTH,
    NAME_LENGTH,
    STRETCHES_COUNT,
    Routine,
    StretchPlan,
    is_session_id,
)
from tui.core.position import Position, read_plan
from tui.core.problems import shown_path
from tui.core.textclean import clean_line
from tui.store.durable import (
    PendingWrites,
    ReadError,
    SaveError,
    atomic_write_bytes,
    move_aside,
    read_limited,
)
from tui.store.paths import state_dir

SCHEMA = 1
MAX_BYTES = 1024 * 1024
CLOCK_SLACK = timedelta(days=1)
"""How far a session's start may be after its place was saved (the clock was set back)."""
WHAT = "where the session stopped"
TAKEN = "This session was resumed in another window."
"""Said when a place was claimed by another unknot between its offer and the answer."""
CLAIM_SUFFIX = ".claim"
PATH_LENGTH = 4096
_HEADER = "# unknot: where an unfinished session stopped. Removed when a routine is finished.\n"


class ResumeMismatch(ValueError):
    """The saved position cannot be resumed on the routine as it is now; the message says why."""


def resume_path() -> Path:
    """The one place older versions kept (read still; written only for its own session)."""
    return state_dir() / "resume.toml"


def places_dir() -> Path:
    """The folder of places: one `<session id>.toml` per unfinished session."""
    return state_dir() / "resume"


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
        # to the microsecond: the newest of two places saved in one second is the one offered
        "saved_at": now(),
        "question": _question_for(routine, position),
        "stretch_ids": [s.id for s in routine.stretches],
        "plan": [{"hold_seconds": p.hold_seconds, "reps": p.reps} for p in position.plan],
        "position": position.to_dict(),
    }
    path = _recorded_path(routine)
    if path is not None:  # to tell a routine gone from one out of reach (stale_places)
        document["routine_path"] = path
    import tomli_w

    return _HEADER + tomli_w.dumps(document)


def _recorded_path(routine: Routine) -> str | None:
    """The routine's file as a place records it: absolute, if it can be written as text."""
    if routine.path is None:
        return None
    try:
        path = os.path.abspath(routine.path)
        path.encode("utf-8")
    except (OSError, ValueError):  # UnicodeEncodeError: a name that is not UTF-8
        return None
    return path if len(path) <= PATH_LENGTH else None


def save_resume(
    routine: Routine,
    position: Position,
    *,
    pending: PendingWrites | None = None,
    path: Path | None = None,
) -> SaveError | None:
    """Save where the session is, in the file of its own identity unless `path` says another.
    With `pending`, a failed write is kept there to retry and its error returned; without,
    the SaveError is raised."""
    path = path or Places.default().path_of(position.session_id)
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
    """A place that read well, every value in bounds; `fit` checks it against the routine as
    it is now."""

    routine_id: str
    routine_name: str
    saved_at: datetime
    question: str
    stretch_ids: tuple[str, ...]
    plan: tuple[StretchPlan, ...]
    position: Position
    """Where the session stopped, still to be checked against the routine."""
    routine_path: str | None = None
    """The file the routine was read from (places saved before this was kept have none)."""

    @property
    def session_id(self) -> str:
        return self.position.session_id


@dataclass
class ResumeLoad:
    saved: SavedResume | None = None
    notices: list[str] = field(default_factory=list)


@dataclass
class PlacesLoad:
    """Every place that read well, and notices for those that did not (moved aside)."""

    saved: list[SavedResume] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Offer:
    """A saved place the app can offer to resume (Places.offer): the question to ask, and
    the place that fits the routine as it is now (its session_id says whose it is)."""

    question: str
    position: Position


class PlaceTaken(Exception):
    """Another unknot resumed (or removed) the place between its offer and the answer here."""


@dataclass(frozen=True, slots=True)
class Claim:
    """A place this process took: the file under its claim name, and the open file that holds
    its lock (until `end`, or the process ends)."""

    path: Path
    fd: int

    def end(self) -> None:
        """The place was saved again or removed: the claim goes, and its lock with it."""
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        with contextlib.suppress(OSError):
            os.close(self.fd)


_CLAIMS: dict[Path, Claim] = {}
"""This process's claims, by the file of the place each was taken from."""


def _lock(fd: int) -> bool:
    """Lock an open file for this process; False when another process holds it. OSError when
    locks cannot be had here (no flock, or a network disk without locking)."""
    try:
        import fcntl
    except ImportError as missing:  # not POSIX: no claims, as before they existed
        raise OSError("no file locks here") from missing
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _claim_of(place: Path) -> Path:
    return place.with_name(f"{place.name}.{secrets.token_hex(4)}{CLAIM_SUFFIX}")


def _place_of(claim: Path) -> Path:
    """The place a claim file was taken from: `x.toml.<token>.claim` -> `x.toml`."""
    return claim.with_name(claim.name.removesuffix(CLAIM_SUFFIX).rpartition(".")[0])


def _end_claim(place: Path) -> None:
    claim = _CLAIMS.pop(place, None)
    if claim is not None:
        claim.end()


def _give_back(claim: Path) -> None:
    """Put an orphaned claim (its process is gone) back as its place, unless the process saved
    a newer place before it ended; a claim still locked is left alone."""
    place = _place_of(claim)
    if place in _CLAIMS:
        return  # this process's own
    try:
        fd = os.open(claim, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return
    try:
        if not _lock(fd):
            return  # its process lives: the session goes on there
        if place.exists():
            os.unlink(claim)  # its process saved the place again, then stopped before this
        else:
            os.rename(claim, place)
    except OSError:
        return
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class Places:
    """Where the places to resume are: a folder of one file per session, and the single file
    older versions kept. Each session saves and removes only the file of its own identity."""

    folder: Path
    legacy: Path

    @classmethod
    def default(cls) -> Places:
        return cls(places_dir(), resume_path())

    def path_of(self, session_id: str) -> Path:
        """The file of a session's place: by its identity; resume.toml for a session that has
        none (one resumed from that file)."""
        return self.folder / f"{session_id}.toml" if session_id else self.legacy

    def save(
        self, routine: Routine, position: Position, *, pending: PendingWrites | None = None
    ) -> SaveError | None:
        """Save where this session is, over its own earlier place only (see save_resume)."""
        path = self.path_of(position.session_id)
        try:
            error = save_resume(routine, position, pending=pending, path=path)
        except SaveError:
            raise  # the claim stays: it holds the place as it was taken, until the next start
        if error is None:
            _end_claim(path)
        return error

    def forget(self, session_id: str, *, pending: PendingWrites | None = None) -> None:
        """Remove this session's place, and only its: OSError when it cannot be removed."""
        path = self.path_of(session_id)
        _end_claim(path)
        clear_resume(pending=pending, path=path)

    def claim(self, session_id: str) -> SavedResume | None:
        """Take this session's place for this process, to resume it: the place as its file
        says now. PlaceTaken when another unknot took it first (or removed it). None when it
        cannot be claimed here (a read-only disk, no file locks): the session goes on
        unclaimed, as it did before claims."""
        place = self.path_of(session_id)
        try:
            fd = os.open(place, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise PlaceTaken from None
        except OSError:
            return None
        claim = _claim_of(place)
        try:
            if not _lock(fd):
                raise PlaceTaken  # another unknot is claiming it this very moment
            os.rename(place, claim)
            if os.fstat(fd).st_ino != os.stat(claim).st_ino:
                # replaced in that instant by an unknot that does not claim (an older one)
                os.rename(claim, place)
                raise OSError("the place changed while it was claimed")
        except FileNotFoundError:
            os.close(fd)
            raise PlaceTaken from None
        except PlaceTaken:
            os.close(fd)
            raise
        except OSError:
            os.close(fd)
            return None
        _CLAIMS[place] = Claim(claim, fd)
        return load_resume(claim, session_id=session_id).saved

    def take(self, offer: Offer, routine: Routine) -> Position | None:
        """The position to resume an offered place at, once claimed for this process (as its
        file says now: another window may have carried the session on and left it since the
        offer was made); None when another unknot resumed it first."""
        try:
            saved = self.claim(offer.position.session_id)
        except PlaceTaken:
            return None
        if saved is None:
            return offer.position
        try:
            return fit(saved, routine)
        except ResumeMismatch:
            return offer.position

    def load(self, *, set_aside: bool = True) -> PlacesLoad:
        """Every place there is; a file that cannot be read is moved aside, with a notice (or,
        with `set_aside` False, left for the offer to move aside and tell)."""
        found = PlacesLoad()
        self._give_back_orphans()
        files: list[tuple[Path, str]] = [(self.legacy, "")]
        try:
            names = sorted(entry.name for entry in os.scandir(self.folder))
        except FileNotFoundError:
            names = []
        except OSError as error:
            found.notices.append(
                f"The saved places of unfinished sessions ({shown_path(self.folder)}) could "
                f"not be read: {error.strerror or error}."
            )
            names = []
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if dot and suffix == "toml" and is_session_id(stem):
                files.append((self.folder / name, stem))
        for path, session_id in files:
            load = load_resume(path, session_id=session_id, set_aside=set_aside)
            found.notices += load.notices
            if load.saved is not None:
                found.saved.append(load.saved)
        return found

    def _give_back_orphans(self) -> None:
        """Claims whose process is gone become places again (see the module's notes)."""
        for folder, prefix in ((self.folder, ""), (self.legacy.parent, self.legacy.name + ".")):
            try:
                names = [entry.name for entry in os.scandir(folder)]
            except OSError:
                continue
            for name in names:
                if name.endswith(CLAIM_SUFFIX) and name.startswith(prefix):
                    _give_back(folder / name)

    def offer(self, routine: Routine) -> tuple[Offer | None, list[str]]:
        """The newest place in `routine` that fits it as it is now; notices to show."""
        load = self.load()
        mine = [s for s in load.saved if s.routine_id == routine.id]
        mine.sort(key=lambda s: s.saved_at, reverse=True)
        refused: list[str] = []
        for saved in mine:
            try:
                position = fit(saved, routine)
            except ResumeMismatch as mismatch:
                refused.append(str(mismatch))
                continue
            return Offer(question(saved, routine), position), load.notices
        return None, load.notices + list(dict.fromkeys(refused))


def load_resume(
    path: Path | None = None, *, session_id: str = "", set_aside: bool = True
) -> ResumeLoad:
    """One saved place, if there is one; a file that cannot be read, or whose session is not
    the one its name says (`session_id`, none for resume.toml), is moved aside, with a notice
    (with `set_aside` False it is left as it is, and not given)."""
    refuse = _set_aside if set_aside else _left_alone
    path = path or resume_path()
    try:
        data = read_limited(path, MAX_BYTES)
    except FileNotFoundError:
        return ResumeLoad()
    except ReadError as error:
        return refuse(path, error.reason)
    import tomllib  # only when a place was saved (start-up time)

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return refuse(path, "it is not UTF-8 text")
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as error:
        return refuse(path, f"it is not valid TOML ({clean_line(str(error), 200)})")
    try:
        saved = _saved(document)
    except ValueError as error:
        return refuse(path, str(error))
    if saved.session_id != session_id:
        # the file of a session's place is named by its identity (Places.path_of): a place
        # in the wrong file would be offered again after its session removed "its" file
        found = f"position.session_id is {saved.session_id!r}"
        if session_id:
            return refuse(path, f"{found}, not {session_id!r} as the file's name says")
        return refuse(path, f"{found}; this file only holds a place saved with none")
    return ResumeLoad(saved)


def _left_alone(_path: Path, _why: str) -> ResumeLoad:
    return ResumeLoad()


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
            f"It was kept as {shown_path(kept.name)} and is not offered."
        ],
    )


def _text(document: Mapping[str, Any], key: str, limit: int) -> str:
    value = document.get(key)
    if not isinstance(value, str) or not clean_line(value, limit):
        raise ValueError(f"{key} is missing or not a text")
    return clean_line(value, limit)


def _saved(document: Mapping[str, Any]) -> SavedResume:
    """A place from its TOML; ValueError naming the field and the value out of bounds."""
    if document.get("schema") != SCHEMA:
        raise ValueError(f"it is not a schema {SCHEMA} resume file")
    saved_at = document.get("saved_at")
    if not isinstance(saved_at, datetime):
        raise ValueError("saved_at is missing or not a date and time")
    try:
        saved_at = saved_at if saved_at.tzinfo is not None else saved_at.astimezone()
    except (ValueError, OverflowError, OSError):
        raise ValueError(
            f"saved_at {saved_at.isoformat()} is outside the years this computer can show"
        ) from None
    ids = document.get("stretch_ids")
    if (
        not isinstance(ids, list)
        or not 0 < len(ids) <= STRETCHES_COUNT[1]
        or not all(isinstance(i, str) and 0 < len(i) <= ID_LENGTH[1] for i in ids)
    ):
        raise ValueError(
            f"stretch_ids must be a list of 1 to {STRETCHES_COUNT[1]} stretch ids "
            f"of up to {ID_LENGTH[1]} characters"
        )
    plan = read_plan(document.get("plan"), "plan")
    if len(plan) != len(ids):
        raise ValueError("plan does not match stretch_ids")
    try:
        position = Position.from_dict(document.get("position"))
    except ValueError as error:
        raise ValueError(f"position.{error}") from None
    started = position.started_at
    # a session starts before its place is saved; a day of slack for a clock set back meanwhile
    if started and _aware(datetime.fromisoformat(started)) > saved_at + CLOCK_SLACK:
        raise ValueError(
            f"position.started_at {started!r} is after saved_at {saved_at.isoformat()}"
        )
    routine_path = document.get("routine_path")
    if routine_path is not None and (
        not isinstance(routine_path, str) or not 0 < len(routine_path) <= PATH_LENGTH
    ):
        raise ValueError(f"routine_path must be a file's path of up to {PATH_LENGTH} characters")
    return SavedResume(
        routine_path=routine_path,
        routine_id=_text(document, "routine_id", ID_LENGTH[1] * 5),
        routine_name=_text(document, "routine_name", NAME_LENGTH[1]),
        saved_at=saved_at,
        question=_text(document, "question", 400),
        stretch_ids=tuple(ids),
        plan=plan,
        position=position,
    )


def _aware(moment: datetime) -> datetime:
    """A time with its offset (a naive one is local time, as unknot shows every time)."""
    return moment if moment.tzinfo is not None else moment.astimezone()


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
        saved.position.check(routine)
    except ValueError as error:
        raise ResumeMismatch(
            f"{name} has changed since the session was left ({clean_line(str(error), 200)}), "
            "so it cannot be resumed; start it over instead."
        ) from None
    return saved.position


def question(saved: SavedResume, routine: Routine) -> str:
    """The question to ask, worded from the routine as it is now (its names may have changed)."""
    position = saved.position
    index = position.stretch_index
    if index < len(saved.plan):
        return resume_question(routine, index, position.side, position.rep, saved.plan[index].reps)
    return saved.question
