"""What the disk refused, kept somewhere that works when unknot ends, and said in plain words.

When unknot ends with data still waiting in memory (a read-only or full disk: a session for the
history, the place to resume, the settings), that data is written as a copy to the first of
these folders that takes it, each in a new folder of its own named by the time:

1. the cache folder (`$XDG_CACHE_HOME/unknot/unsaved/`): the person's own and private, kept
   across restarts, and where nobody minds finding a file unknot wrote;
2. the temporary folder (`$TMPDIR`, else /tmp): often another disk than the person's home
   (a full or read-only home does not stop it), but emptied at restart;
3. the current folder: where they ran unknot, so they will see it, but theirs, not ours, and
   often on the same disk as the home: the last folder to try.

What no folder takes is printed to standard output as TOML once the screen is restored. The
words said at the end name each file that could not be saved, why, and where its copy is.

No Textual here: the app, the plain mode and the signal handlers all end through this module.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from tui.core.textclean import clean_line
from tui.store.durable import Held, SaveError, atomic_write_bytes, os_error_reason
from tui.store.paths import cache_dir, tilde


class Kept(NamedTuple):
    """One thing that could not be saved where it belongs, and where its copy went."""

    held: Held
    copy: Path | None
    """None: no folder took it (it is printed instead)."""
    lost_at_restart: bool = False
    """The copy is in the temporary folder, which a restart empties."""


class Folder(NamedTuple):
    """A folder to keep copies in: a new folder is made in `root` for each ending."""

    root: Path
    prefix: str
    lost_at_restart: bool = False


def fallback_folders() -> list[Folder]:
    """The folders to try for copies, in order (the module's docstring says why this order)."""
    folders = [
        Folder(cache_dir() / "unsaved", ""),
        Folder(Path(tempfile.gettempdir()), "unknot-unsaved-", lost_at_restart=True),
    ]
    with contextlib.suppress(OSError):  # the current folder may have been removed
        folders.append(Folder(Path.cwd(), "unknot-unsaved-"))
    return folders


def keep_copies(
    held: Sequence[Held],
    *,
    folders: Sequence[Folder] | None = None,
    now: Callable[[], datetime] = datetime.now,
) -> list[Kept]:
    """Write a copy of each of `held` to the first folder that takes it; where each went."""
    stamp = now().strftime("%Y%m%d-%H%M%S")
    left = list(held)
    kept: list[Kept] = []
    for place in folders if folders is not None else fallback_folders():
        if not left:
            break
        try:
            place.root.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix=f"{place.prefix}{stamp}-", dir=place.root))
        except OSError:
            continue
        names: set[str] = set()
        for item in list(left):
            name = _free_name(item.path.name or "data", names)
            try:
                atomic_write_bytes(folder / name, item.data, what=item.what)
            except SaveError:
                continue  # this folder is full as well: the next one may take it
            names.add(name)
            kept.append(Kept(item, folder / name, place.lost_at_restart))
            left.remove(item)
        if not names:
            with contextlib.suppress(OSError):
                folder.rmdir()
    return kept + [Kept(item, None) for item in left]


def _free_name(name: str, taken: set[str]) -> str:
    found, number = name, 1
    while found in taken:
        number += 1
        found = f"{name}.{number}"
    return found


def unsaved_words(held: Sequence[Held]) -> str:
    """What is waiting and why, in as few words as a small window needs:
    "1 session for the history and where the session stopped: the disk is read-only."."""
    by_reason: dict[str, list[str]] = {}
    for item in held:
        by_reason.setdefault(os_error_reason(item.error.cause), []).append(item.what)
    sentences = []
    for reason, whats in by_reason.items():
        listed = whats[0] if len(whats) == 1 else ", ".join(whats[:-1]) + " and " + whats[-1]
        sentences.append(f"{listed}: {reason}.")
    return " ".join(sentences)


def _where(path: Path) -> str:
    return clean_line(tilde(path), 1000)


def final_words(kept: Sequence[Kept]) -> list[str]:
    """What unknot says at its end about `kept`: each file, why, and where its copy is."""
    if not kept:
        return []
    count = len(kept)
    lines = [
        f"unknot: {count} file{'' if count == 1 else 's'} could not be saved where "
        f"{'it belongs' if count == 1 else 'they belong'}:"
    ]
    for item in kept:
        reason = os_error_reason(item.held.error.cause)
        lines.append(f"- {item.held.what}: {_where(item.held.path)} ({reason})")
        if item.copy is not None:
            lines.append(f"  a copy is in {_where(item.copy)}")
        else:
            lines.append("  no folder would take a copy: it is printed below, on standard output")
    lines.append(
        "Move each copy to its place once the disk allows; a copy of a history month goes at "
        "the end of that month's file if there is one (its [[session]] tables)."
    )
    if any(item.lost_at_restart for item in kept):
        lines.append("A copy in the temporary folder is lost when the computer restarts.")
    return lines


def printed(kept: Sequence[Kept]) -> str:
    """The data no folder took, as text for standard output (TOML, each under a comment)."""
    parts = []
    for item in kept:
        if item.copy is None:
            text = item.held.data.decode("utf-8", "replace")
            parts.append(f"# unknot: {item.held.what}, for {_where(item.held.path)}\n{text}")
    return "\n".join(parts)


def say(kept: Sequence[Kept], *, words: Callable[[str], None], data: Callable[[str], None]) -> None:
    """Say the final words with `words` and print what no folder took with `data`; a terminal
    that is gone (a dropped connection) is not an error here: the copies are on disk."""
    with contextlib.suppress(OSError, ValueError):
        for line in final_words(kept):
            words(line)
        text = printed(kept)
        if text:
            data(text)
