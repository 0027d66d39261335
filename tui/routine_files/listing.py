"""A routine as `unknot list` shows it: its name, source and length, without its stretches.

Kept apart from the loader because only `unknot list` needs it: the app's start does not pay
for building the class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.core.model import Routine, Source, routine_seconds


@dataclass(frozen=True, slots=True)
class Listing:
    """A routine as `unknot list` shows it: no stretches, only how many and how long.

    A thousand routine files hold tens of thousands of stretches; a listing of them is built
    from the cache without making one of them."""

    id: str
    name: str
    stretches: int
    seconds: int
    """routine_seconds() of the routine at its starting plan."""
    source: Source = "file"
    path: Path | None = field(default=None, compare=False)
    overrides: str | None = field(default=None, compare=False)

    @classmethod
    def of(cls, routine: Routine) -> Listing:
        return cls(
            routine.id,
            routine.name,
            len(routine.stretches),
            routine_seconds(routine),
            routine.source,
            routine.path,
            routine.overrides,
        )
