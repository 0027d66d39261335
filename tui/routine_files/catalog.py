"""Every routine in every folder: the built-in ones, the person's, and the files named on the
command line, found by id, with every problem met on the way.

The catalog reads each file through the cache (routine_files/cache.py), which reads the files
it has not seen through the loader: catalog -> cache -> loader, never back.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tui.core.model import Routine, Source
from tui.core.problems import Problem, quoted, shown_path
from tui.routine_files.listing import Listing
from tui.routine_files.loader import (
    ROUTINE_SUFFIX,
    RoutineError,
    load_routine,
    os_reason,
    routine_id_of,
)
from tui.store.paths import builtin_dir, user_routines_dir

if TYPE_CHECKING:
    from tui.routine_files.cache import RoutineCache
    from tui.store.stale_places import Known


R = TypeVar("R", Routine, Listing)


@dataclass
class _Found(Generic[R]):
    """What was found of every routine file, by id, and every problem met on the way; the
    subclass says what is kept of each file (the routine, or its listing)."""

    routines: dict[str, R] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    broken: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    """Ids of files that failed to load (and did not override a good one) -> their problems."""
    loaded: int = 0
    """How many files loaded well, counting those that another file overrode."""
    unlisted: bool = False
    """A folder of routines could not be listed (or is not a folder): a routine missing from
    the catalog may only be out of reach."""
    partial: bool = False
    """Only the routines needed to start were read (the app reads the rest after its first
    frame)."""
    cache: RoutineCache | None = field(default=None, repr=False, compare=False)
    """Where unchanged files are remembered (discover() sets one); None: parse every file."""

    def _load(self, path: Path, source: Source) -> R:
        raise NotImplementedError

    def get(self, routine_id: str) -> R | None:
        return self.routines.get(routine_id)

    def ids(self) -> list[str]:
        return sorted(self.routines)

    def ordered(self) -> list[R]:
        """The routines in the order to show them: by name, then id."""
        return sorted(self.routines.values(), key=lambda r: (r.name.casefold(), r.id))

    def __len__(self) -> int:
        return len(self.routines)

    def __iter__(self) -> Iterator[R]:
        return iter(self.ordered())

    def add_file(self, path: Path, source: Source) -> None:
        """Load one file into the catalog; a good one replaces any earlier routine of its id."""
        try:
            routine = self._load(path, source)
        except RoutineError as error:
            self.problems.extend(error.problems)
            routine_id = routine_id_of(path)
            if routine_id not in self.routines:
                self.broken[routine_id] = error.problems
            return
        self.loaded += 1
        earlier = self.routines.get(routine.id)
        if earlier is not None:
            routine = replace(routine, overrides=str(earlier.path) if earlier.path else None)
        self.broken.pop(routine.id, None)
        self.routines[routine.id] = routine

    def add_folder(self, folder: Path, source: Source) -> None:
        """Load every *.toml in `folder` (not below it); hidden files are skipped."""
        try:
            names = sorted(
                entry.name
                for entry in os.scandir(folder)
                if entry.name.endswith(ROUTINE_SUFFIX) and not entry.name.startswith(".")
            )
        except OSError as exc:
            self.problems.append(
                Problem(shown_path(folder), None, "", f"cannot list it: {os_reason(exc)}")
            )
            self.unlisted = True
            return
        for name in names:
            self.add_file(folder / name, source)

    def add_path(self, path: Path, source: Source) -> None:
        """A file or folder named by the person."""
        try:
            is_folder = path.is_dir()
            exists = is_folder or os.path.lexists(path)
        except (OSError, ValueError):
            is_folder, exists = False, False
        if is_folder:
            self.add_folder(path, source)
        elif exists:
            self.add_file(path, source)
        else:
            self.problems.append(Problem(shown_path(path), None, "", "no such file or folder"))


class Catalog(_Found[Routine]):
    """Every routine found, by id, and every problem met on the way."""

    def known(self) -> Known:
        """What this catalog says of routines, for telling a place whose routine is gone from
        one whose routine is only out of reach (tui/store/stale_places.py)."""
        from tui.store.stale_places import Known  # after the first frame, with the places

        return Known(
            ids=frozenset(self.routines) | frozenset(self.broken),
            stretches=frozenset(
                tuple(stretch.id for stretch in routine.stretches)
                for routine in self.routines.values()
            ),
            routines_folder=user_routines_dir(),
            every_folder_listed=not self.unlisted,
        )

    def _load(self, path: Path, source: Source) -> Routine:
        if self.cache is not None:
            return self.cache.load(path, source)
        return load_routine(path, source)


class Listings(_Found[Listing]):
    """Every routine found, as `unknot list` shows it, and every problem met on the way."""

    def _load(self, path: Path, source: Source) -> Listing:
        if self.cache is not None:
            return self.cache.listing(path, source)
        return Listing.of(load_routine(path, source))


def discover(extra: Sequence[Path] = (), *, cache: bool = True) -> Catalog:
    """Every routine: the built-in ones, then the person's (which override by id), then `extra`.

    Unchanged files come from the cache (tui.routine_files.cache) unless `cache` is False.
    """
    catalog = Catalog()
    _discover_into(catalog, extra, cache)
    return catalog


def discover_listings(extra: Sequence[Path] = (), *, cache: bool = True) -> Listings:
    """What discover() finds, as listings: the same routines, problems and overrides."""
    listings = Listings()
    _discover_into(listings, extra, cache)
    return listings


def _discover_into(found: _Found[Any], extra: Sequence[Path], cache: bool) -> None:
    from tui.routine_files.cache import RoutineCache

    # Thousands of files make many small objects that all live on: the collector would walk
    # them again and again while they are made, for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        found.cache = RoutineCache() if cache else None
        _read_folders(found, extra)
        if found.cache is not None:
            found.cache.save()
            # what it read is no longer needed, and a thousand files make a lot of it to keep
            found.cache = None
    finally:
        if collecting:
            gc.enable()


def _read_folders(found: _Found[Any], extra: Sequence[Path]) -> None:
    found.add_folder(builtin_dir(), "built-in")
    user = user_routines_dir()
    try:
        user_is_folder = user.is_dir()
        user_exists = user_is_folder or os.path.lexists(user)
    except (OSError, ValueError):
        user_is_folder, user_exists = False, True
    if user_is_folder:
        found.add_folder(user, "user")
    elif user_exists:
        found.problems.append(
            Problem(shown_path(user), None, "", "should be a folder of routine files, but is not")
        )
        found.unlisted = True
    for path in extra:
        found.add_path(path, "file")


def looks_like_path(ref: str) -> bool:
    """True when `ref` names a file rather than an id: it has a folder part or ends in .toml."""
    return "/" in ref or os.sep in ref or ref.endswith(ROUTINE_SUFFIX)


def resolve(catalog: Catalog, ref: str) -> Routine:
    """The routine `ref` names, an id in the catalog or a path; RoutineError says why not."""
    found = catalog.get(ref)
    if found is not None:
        return found
    if ref in catalog.broken:
        raise RoutineError(catalog.broken[ref])
    if looks_like_path(ref):
        return load_routine(Path(ref), "file")
    message = f"no routine with the id {quoted(ref)}"
    import difflib

    close = difflib.get_close_matches(ref, catalog.ids(), n=3, cutoff=0.6)
    if close:
        message += f"; did you mean {' or '.join(close)}?"
    elif catalog.routines:
        message += f"; known ids: {', '.join(catalog.ids())}"
    raise RoutineError([Problem("", None, "", message + " (`unknot list` shows them all)")])
