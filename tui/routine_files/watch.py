"""Notice routine files that changed on disk, by stat alone (cheap enough for a 1.5 s timer)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

Stamp = tuple[tuple[str, int, int, int], ...]


def _entry(path: str) -> tuple[str, int, int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return (path, -1, -1, -1)
    return (path, info.st_mtime_ns, info.st_size, info.st_ino)


def stamp(paths: Iterable[Path]) -> Stamp:
    """Modification time, size and inode of each path, and of the *.toml files in folders."""
    seen: list[tuple[str, int, int, int]] = []
    for path in paths:
        seen.append(_entry(str(path)))
        try:
            with os.scandir(path) as entries:
                names = sorted(e.path for e in entries if e.name.endswith(".toml"))
        except OSError:
            continue
        seen += [_entry(name) for name in names]
    return tuple(seen)


class Watcher:
    """`changed()` is True once after any watched file or folder changed."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self.paths = tuple(paths)
        self._last = stamp(self.paths)

    def changed(self) -> bool:
        now = stamp(self.paths)
        if now == self._last:
            return False
        self._last = now
        return True
