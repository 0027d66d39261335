"""Places to resume whose routine is gone for good are dropped; no other place ever is.

A place (tui/store/resume.py) belongs to one routine. When that routine's file is deleted, the
place can never be offered again, and nothing else removed it: it stayed for ever. But a
routine that is missing at one start may only be out of reach for now (a file being saved, a
folder on a disk not mounted, a read error), and a place is the only record of where a session
stopped. So a place is dropped only when its routine has been gone at two starts at least
GONE_AFTER apart, and gone means all of this, at each of them:

- no routine read has its id, and no file of its id failed to load (a broken file is still its
  routine, to be fixed);
- no routine read has the same stretches in the same order (the routine renamed or moved: the
  place stays, in case it is given its old name back);
- the file it was read from (places saved from now on name it) is not there;
- the folder that file was in (for older places, the person's routines folder) exists, can be
  listed and holds at least one routine file: an empty or missing folder may be a disk not
  mounted, so it says nothing about the routine;
- every folder of routines could be listed.

When a place is first found gone, the time is noted in `state_dir()/resume-gone.toml` (by the
place's file name); a later start that finds it again, GONE_AFTER or more after that, removes
the place. A start that finds its routine again clears the note. Notes are state: a note lost
(two windows writing at once, an unreadable file, moved aside) only makes the wait start over.

No Textual here.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from tui.store.durable import ReadError, SaveError, atomic_write_text, move_aside, read_limited
from tui.store.paths import state_dir
from tui.store.resume import Places, SavedResume

GONE_AFTER = timedelta(days=7)
"""How long a place's routine must have been gone before the place is dropped."""
MAX_BYTES = 256 * 1024
ROUTINE_SUFFIX = ".toml"
_HEADER = (
    "# unknot: places to resume whose routine was not found, and when that was first seen.\n"
    "# A place is removed once its routine has been gone for a week; edit nothing here.\n"
)

Verdict = Literal["found", "gone", "unknown"]


@dataclass(frozen=True, slots=True)
class Known:
    """What the routine files said at this start, as the catalog found them."""

    ids: frozenset[str]
    """Ids of the routines read, and of files that failed to load."""
    stretches: frozenset[tuple[str, ...]]
    """The stretch ids, in order, of each routine read."""
    routines_folder: Path
    """The person's routines folder, where a place that names no file had its routine."""
    every_folder_listed: bool
    """False when a folder of routines could not be listed (or is not a folder)."""


def gone_notes_path() -> Path:
    return state_dir() / "resume-gone.toml"


def verdict(saved: SavedResume, known: Known) -> Verdict:
    """Whether the routine of a place was found, is gone, or cannot be told now."""
    if saved.routine_id in known.ids or saved.stretch_ids in known.stretches:
        return "found"
    path = Path(saved.routine_path) if saved.routine_path else None
    if path is not None:
        try:
            if os.path.lexists(path):
                return "found"
        except (OSError, ValueError):
            return "unknown"
    if not known.every_folder_listed:
        return "unknown"
    folder = path.parent if path is not None else known.routines_folder
    return "gone" if _holds_routines(folder) else "unknown"


def _holds_routines(folder: Path) -> bool:
    """The folder exists, can be listed, and has a routine file in it."""
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(ROUTINE_SUFFIX) for entry in entries)
    except (OSError, ValueError):
        return False


def drop_gone_places(
    places: Places,
    known: Known,
    *,
    now: datetime,
    notes: Path | None = None,
) -> list[str]:
    """Note the places whose routine is gone, remove those gone for GONE_AFTER, and clear the
    notes of places whose routine was found again. The names of the files removed."""
    notes = notes or gone_notes_path()
    before = _read_notes(notes)
    after: dict[str, datetime] = {}
    removed: list[str] = []
    for saved in places.load(set_aside=False).saved:
        name = places.path_of(saved.session_id).name
        found = verdict(saved, known)
        if found == "found":
            continue  # its note, if any, goes
        since = before.get(name)
        if found == "unknown":
            if since is not None:
                after[name] = since  # no word either way: the wait goes on as it was
            continue
        if since is None or since > now:  # first seen, or a clock set back since
            after[name] = now
        elif now - since >= GONE_AFTER:
            try:
                os.unlink(places.path_of(saved.session_id))
            except FileNotFoundError:
                pass  # claimed or removed meanwhile by another window
            except OSError:
                after[name] = since  # cannot be removed now: at a later start, then
                continue
            removed.append(name)
        else:
            after[name] = since
    if after != before:
        _write_notes(notes, after)
    return removed


def _read_notes(path: Path) -> dict[str, datetime]:
    """The notes, by place file name; none when there is no file, or it cannot be read (moved
    aside: the waits start over)."""
    try:
        data = read_limited(path, MAX_BYTES)
    except FileNotFoundError:
        return {}
    except ReadError:
        return _set_aside(path)
    import tomllib

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return _set_aside(path)
    gone = document.get("gone")
    if not isinstance(gone, dict):
        return _set_aside(path)
    return {
        name: _aware(when)
        for name, when in gone.items()
        if isinstance(when, datetime) and name.endswith(ROUTINE_SUFFIX) and "/" not in name
    }


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def _set_aside(path: Path) -> dict[str, datetime]:
    with contextlib.suppress(OSError):
        move_aside(path)
    return {}


def _write_notes(path: Path, notes: dict[str, datetime]) -> None:
    if not notes:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    import tomli_w

    text = _HEADER + tomli_w.dumps({"gone": dict(sorted(notes.items()))})
    with contextlib.suppress(SaveError):  # a note not written: the wait starts over next time
        atomic_write_text(path, text, what="the notes of places to resume")
