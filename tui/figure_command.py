"""`unknot figure STRETCH`: a stretch's figure printed as plain text, to check it by eye.

No Textual here: the figure is drawn by tui.core.figure_draw, the same renderer the app uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import get_args

from tui.core.figure_draw import SMALLEST, Moment, figure_text
from tui.core.model import Routine, Side, Stretch
from tui.core.raster import MODES, Mode
from tui.core.textclean import clean_line
from tui.routine_files.catalog import Catalog, resolve
from tui.routine_files.loader import RoutineError

LARGEST = (200, 60)
"""The largest box (columns, rows) a figure is printed in."""
DEFAULT_SIZE = (60, 20)
SIDES: tuple[Side, ...] = get_args(Side)
MOMENTS: tuple[Moment, ...] = get_args(Moment)


class FigureUsageError(Exception):
    """Something the person asked for that does not exist or cannot be: one line to print."""


class FigureMissing(Exception):
    """The stretch exists but carries no figure."""


@dataclass(frozen=True, slots=True)
class FigureRequest:
    stretch: str
    routine: str | None = None
    side: Side | None = None
    size: str | None = None
    at: Moment = "held"
    chars: Mode = "braille"


def parse_size(text: str) -> tuple[int, int]:
    """ "60x20" -> (60, 20), within SMALLEST and LARGEST; FigureUsageError says why not."""
    found = re.fullmatch(r"\s*(\d{1,4})\s*[xX×]\s*(\d{1,4})\s*", text)
    low, high = SMALLEST, LARGEST
    expected = (
        f"--size is COLSxROWS, from {low[0]}x{low[1]} to {high[0]}x{high[1]} (e.g. 60x20); "
        f'found "{clean_line(text, 40)}"'
    )
    if found is None:
        raise FigureUsageError(expected)
    cols, rows = int(found.group(1)), int(found.group(2))
    if not (low[0] <= cols <= high[0] and low[1] <= rows <= high[1]):
        raise FigureUsageError(expected)
    return cols, rows


def find_stretch(routine: Routine, wanted: str) -> Stretch:
    """The stretch of `routine` whose id (or name, in any case) is `wanted`."""
    for stretch in routine.stretches:
        if stretch.id == wanted or stretch.name.casefold() == wanted.casefold():
            return stretch
    ids = [stretch.id for stretch in routine.stretches]
    import difflib

    close = difflib.get_close_matches(wanted.lower(), ids, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]}?" if close else f"its stretches: {', '.join(ids)}"
    raise FigureUsageError(
        f'no stretch "{clean_line(wanted, 40)}" in the routine {routine.id}; {hint}'
    )


def chosen_routine(catalog: Catalog, ref: str | None, default: Routine | None) -> Routine:
    """The routine named by `ref` (an id or a path), or `default`; an unknown name is a usage
    error, a named file with problems raises RoutineError with them."""
    if ref is None:
        if default is None:
            raise FigureUsageError("no routines found; `unknot check` says why")
        return default
    try:
        return resolve(catalog, ref)
    except RoutineError as error:
        unknown = len(error.problems) == 1 and not error.problems[0].path
        if unknown:
            raise FigureUsageError(error.problems[0].message) from None
        raise


def figure_of(routine: Routine, request: FigureRequest) -> str:
    """The text `unknot figure` prints for `request` in `routine`."""
    size = parse_size(request.size) if request.size is not None else DEFAULT_SIZE
    stretch = find_stretch(routine, request.stretch)
    if stretch.figure is None:
        raise FigureMissing(
            f"the stretch {stretch.id} of the routine {routine.id} has no figure "
            "(a [stretches.figure] table draws one: see the README)"
        )
    side = request.side or stretch.first_side
    return figure_text(stretch.figure, side=side, size=size, at=request.at, mode=request.chars)


__all__ = ["MODES", "MOMENTS", "SIDES", "FigureRequest", "figure_of", "parse_size"]
