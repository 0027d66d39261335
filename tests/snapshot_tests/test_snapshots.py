"""SVG snapshots of the screens a person sees (pytest-textual-snapshot).

Update after a deliberate change with `pytest tests/snapshot_tests --snapshot-update`, then look
at the new SVGs by hand before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from test_app_fakes import FakeClock, builtin, wall
from textual.pilot import Pilot

from tui.terminal.cues import TerminalCues
from tui.ui.app import UnknotApp
from tui.ui.screens.summary import SummaryScreen

SnapCompare = Callable[..., bool]
Size = tuple[int, int]


def make_app(clock: FakeClock) -> UnknotApp:
    cues = TerminalCues(lambda _text: None, env={})
    return UnknotApp(builtin(), clock=clock, sleep=clock.sleep, wall=wall, cues=cues)


async def advance(pilot: Pilot[Any], clock: FakeClock, seconds: int) -> None:
    for _ in range(seconds):
        clock.advance(1)
        await pilot.pause()


def test_main_screen(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(FakeClock()), terminal_size=(80, 24))


def test_running_timer(snap_compare: SnapCompare) -> None:
    clock = FakeClock()

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("space", "n")  # past the get-ready, into the first hold
        await advance(pilot, clock, 3)

    assert snap_compare(make_app(clock), terminal_size=(80, 24), run_before=run_before)


def test_warning_in_the_last_seconds(snap_compare: SnapCompare) -> None:
    clock = FakeClock()

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("space", "n")
        await advance(pilot, clock, 8)

    assert snap_compare(make_app(clock), terminal_size=(80, 24), run_before=run_before)


def test_help(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(FakeClock()), terminal_size=(80, 24), press=["question_mark"])


def test_summary(snap_compare: SnapCompare) -> None:
    clock = FakeClock()

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, UnknotApp)
        await pilot.press("space")
        for _ in range(500):
            if isinstance(app.screen, SummaryScreen):
                break
            clock.advance(max(1, app.engine.snapshot.seconds_left))
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)

    assert snap_compare(make_app(clock), terminal_size=(80, 24), run_before=run_before)


def test_compact_running(snap_compare: SnapCompare) -> None:
    clock = FakeClock()

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("space", "n")
        await advance(pilot, clock, 2)

    assert snap_compare(make_app(clock), terminal_size=(40, 12), run_before=run_before)


def test_compact_with_list(snap_compare: SnapCompare) -> None:
    run_before: Callable[[Pilot[Any]], Awaitable[None]] | None = None
    assert snap_compare(
        make_app(FakeClock()), terminal_size=(40, 12), press=["l", "j"], run_before=run_before
    )


def test_paused_in_a_rest_with_the_next_hold_on_two_lines(snap_compare: SnapCompare) -> None:
    clock = FakeClock()

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("space", "n", "n")  # into the rest after the first hold
        await advance(pilot, clock, 1)
        await pilot.press("space")

    assert snap_compare(make_app(clock), terminal_size=(80, 24), run_before=run_before)


def test_wide_running(snap_compare: SnapCompare) -> None:
    """120x40: the timer's column takes half the width, and the numerals fill it."""
    clock = FakeClock()

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("space", "n")
        await advance(pilot, clock, 3)

    assert snap_compare(make_app(clock), terminal_size=(120, 40), run_before=run_before)


FIGURE_SIZES = [(40, 12), (80, 24), (120, 40)]


@pytest.mark.parametrize("size", FIGURE_SIZES, ids=[f"{w}x{h}" for w, h in FIGURE_SIZES])
@pytest.mark.parametrize("index", range(4), ids=["knee", "trunk", "prone", "hamstring"])
def test_each_built_in_figure_held(snap_compare: SnapCompare, index: int, size: Size) -> None:
    """Each built-in stretch's figure in its hold (still, so the picture is the same every
    run): large at 120x40, recognisable at 80x24, and none at 40x12, where it cannot be read."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press(*["j"] * index, "enter", "n")  # the stretch, past its get-ready
        await pilot.pause()

    assert snap_compare(make_app(FakeClock()), terminal_size=size, run_before=run_before)
