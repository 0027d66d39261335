"""The figure in the app: the start pose while idle, moving only while the body moves (get-ready,
switch), still for the whole hold and while paused, hidden where it cannot be read, and no gap
where a stretch has none. Layout rules at many sizes: the numerals and the rows under them, and
the stretch's first step, stay on the screen."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import settle
from test_app_fakes import FakeClock, builtin, screen_lines, screen_text, wall
from textual.geometry import Region
from textual.pilot import Pilot

from tui.core.figure_draw import SMALLEST, render
from tui.core.figure_motion import moving, progress_at
from tui.core.model import Routine
from tui.core.side_text import on_side
from tui.terminal.cues import TerminalCues
from tui.ui.app import UnknotApp
from tui.ui.widgets.big_digits import BigDigits
from tui.ui.widgets.figure import FigureView
from tui.ui.widgets.stretch_detail import StretchDetail


def make_app(clock: FakeClock, routine: Routine | None = None) -> UnknotApp:
    cues = TerminalCues(lambda _text: None, env={})
    return UnknotApp(routine or builtin(), clock=clock, sleep=clock.sleep, wall=wall, cues=cues)


def figure_of(app: UnknotApp) -> FigureView:
    return app.query_one(FigureView)


def shown(view: FigureView) -> tuple[str, ...]:
    """The rows the widget draws now, read through Textual (what reaches the screen)."""
    return tuple(
        "".join(segment.text for segment in view.render_line(y))
        for y in range(view.content_region.height)
    )


def drawn(view: FigureView, progress: float, side: str = "right") -> tuple[str, ...]:
    """The rows the renderer makes for the widget's figure at `progress`, at its size."""
    assert view.figure is not None
    cols, rows = view.content_region.size
    return render(view.figure, cols, rows, progress=progress, side=side).lines  # type: ignore[arg-type]


class Spy:
    """Counts every refresh of a widget and every row it paints."""

    def __init__(self, view: FigureView) -> None:
        self.refreshes: list[tuple[Region, ...]] = []
        self.painted: list[int] = []
        refresh, render_line = view.refresh, view.render_line

        def spy_refresh(*regions: Region, **kwargs: Any) -> Any:
            self.refreshes.append(regions)
            return refresh(*regions, **kwargs)

        def spy_line(y: int) -> Any:
            self.painted.append(y)
            return render_line(y)

        view.refresh = spy_refresh  # type: ignore[method-assign]
        view.render_line = spy_line  # type: ignore[method-assign]

    def clear(self) -> None:
        self.refreshes.clear()
        self.painted.clear()


def rows_off_screen(app: UnknotApp) -> list[str]:
    """The rows under the numerals (stretch, side and rep, bars, time left, next) that have
    words but do not show where they are drawn, inside the timer and above the footer."""
    panel, lines = app.timer, app.timer.lines
    screen = screen_lines(app)
    missing = []
    for offset, text in enumerate(lines.render().plain.splitlines()):
        y = lines.region.y + offset
        if text.strip() and (
            y >= panel.region.bottom or y >= len(screen) - 1 or text.strip() not in screen[y]
        ):
            missing.append(text)
    return missing


async def into_hold(pilot: Pilot[int]) -> None:
    await pilot.press("space", "n")
    await pilot.pause()


# ---------------------------------------------------------------------------------------------
# Moving and still


async def test_idle_shows_the_start_pose_still() -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = figure_of(app)
        assert view.figure is app.routine.stretches[0].figure
        assert not view.moving and view.progress == 0.0
        assert shown(view) == drawn(view, 0.0), screen_text(app)
        await pilot.press("j")  # another stretch: its own start pose
        assert view.figure is app.routine.stretches[1].figure
        assert shown(view) == drawn(view, 0.0)


async def test_the_figure_plays_into_the_stretch_during_the_get_ready() -> None:
    clock = FakeClock()
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = figure_of(app)
        await pilot.press("space")
        assert view.moving
        start = shown(view)
        assert start == drawn(view, 0.0)
        seen = [view.progress]
        for _ in range(3):
            clock.advance(1.0)
            await settle.until(
                pilot, lambda: view.progress > seen[-1], "the figure moving on with the clock"
            )
            seen.append(view.progress)
            assert shown(view) == drawn(view, view.progress)
        assert seen == sorted(seen) and 0 < seen[-1] <= 1
        assert shown(view) != start


async def test_a_hold_repaints_nothing_between_two_ticks() -> None:
    clock = FakeClock()
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await into_hold(pilot)
        view = figure_of(app)
        assert not view.moving and view.progress == 1.0
        assert shown(view) == drawn(view, 1.0)
        spy = Spy(view)
        digits = app.query_one(BigDigits)
        for _ in range(2):
            before = digits.value
            clock.advance(1.0)
            await settle.until(pilot, lambda: digits.value != before, "the next second shown")  # noqa: B023
        assert (spy.refreshes, spy.painted) == ([], []), screen_text(app)


async def test_the_switch_plays_the_other_side_mirrored() -> None:
    clock = FakeClock()
    app = make_app(clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "enter", "n")  # trunk rotations, right side, held
        await pilot.pause()
        view = figure_of(app)
        assert (view.side, view.progress) == ("right", 1.0)
        await pilot.press("n")  # the switch to the left side
        await pilot.pause()
        assert view.moving and view.side == "left"
        assert shown(view) == drawn(view, view.progress, "left")
        await pilot.press("n")  # the left hold
        await pilot.pause()
        assert not view.moving and shown(view) == drawn(view, 1.0, "left")


async def test_pausing_freezes_the_figure() -> None:
    clock = FakeClock()
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        view = figure_of(app)
        await pilot.press("space")
        clock.advance(1.5)
        await settle.until(pilot, lambda: view.progress > 0, "the figure moving")
        await pilot.press("space")  # pause
        assert not view.moving
        frozen, picture = view.progress, shown(view)
        spy = Spy(view)
        clock.advance(2.0)
        await pilot.pause()
        await pilot.pause()
        assert (view.progress, shown(view)) == (frozen, picture)
        assert spy.refreshes == []
        await pilot.press("space")  # carries on from where it stood
        assert view.moving and view.progress == frozen


# ---------------------------------------------------------------------------------------------
# Room


async def test_no_figure_leaves_no_gap() -> None:
    routine = builtin()
    plain = replace(routine, stretches=tuple(replace(s, figure=None) for s in routine.stretches))
    app = make_app(FakeClock(), plain)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        detail = app.query_one(StretchDetail)
        assert figure_of(app).region.height == 0
        top = detail.content_region
        assert screen_lines(app)[top.y][top.x :].startswith("Knee-to-chest stretch")


@pytest.mark.parametrize("size", [(40, 12), (80, 17), (45, 20), (100, 14), (60, 24)])
async def test_the_figure_hides_where_it_cannot_be_read(size: tuple[int, int]) -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=size) as pilot:
        await pilot.press("space")
        view = figure_of(app)
        assert view.region.height == 0 or not app.query_one(StretchDetail).display, size
        assert not any("⣀⣀⣀⣀" in line for line in screen_lines(app)), screen_text(app)


@pytest.mark.parametrize(
    "size", [(60, 20), (70, 22), (80, 24), (90, 30), (100, 28), (120, 40), (160, 50), (200, 60)]
)
async def test_the_figure_never_pushes_the_numerals_or_the_first_step_off(
    size: tuple[int, int],
) -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=size) as pilot:
        for index in range(len(app.routine.stretches)):
            await pilot.press("enter")  # each stretch, get-ready then hold
            await pilot.pause()
            view, detail = figure_of(app), app.query_one(StretchDetail)
            if size >= (70, 22):
                assert view.region.height >= SMALLEST[1], (size, index)  # shown, and readable
            assert view.region.height <= detail.content_region.height // 2, (size, index)
            assert rows_off_screen(app) == [], (size, index)
            digits = app.query_one(BigDigits).region
            assert digits.bottom <= size[1] - 1, (size, index)
            first_step = "1. " + on_side(app.routine.stretches[index]).steps[0][:12]
            assert any(first_step in line for line in screen_lines(app)), screen_text(app)
            await pilot.press("n")
            await pilot.pause()
            await pilot.press("j")


# ---------------------------------------------------------------------------------------------
# Characters


async def test_half_blocks_when_the_setting_asks() -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = figure_of(app)
        view.set_mode("blocks")
        await pilot.pause()
        assert set("".join(shown(view))) <= set(" ▀▄█"), shown(view)
        assert view.region.height >= SMALLEST[1]


# ---------------------------------------------------------------------------------------------
# The rule of motion, alone


def test_the_widget_names_the_renderers_numbers_alike() -> None:
    # the widget keeps its own copies so that the drawing modules load after the first frame
    from tui.core import figure_motion
    from tui.ui.widgets import figure

    assert SMALLEST[1] == figure.SMALLEST_ROWS
    assert figure.FRAMES_PER_SECOND == figure_motion.FRAMES_PER_SECOND


def test_the_figure_moves_only_while_the_body_moves() -> None:
    assert [moving(p) for p in ("idle", "prepare", "hold", "switch", "rest", "done")] == [
        False,
        True,
        False,
        True,
        False,
        False,
    ]
    assert moving("rest", "rep") and not moving("rest", "stretch")


def test_progress_reaches_the_held_pose_before_the_get_ready_ends() -> None:
    steps = [progress_at("prepare", t / 4, 5) for t in range(21)]
    assert steps == sorted(steps) and steps[0] == 0.0
    assert progress_at("prepare", 4.0, 5) == 1.0  # the last second is still, in the stretch
    assert progress_at("switch", 2.0, 3) == 1.0
    assert progress_at("hold", 0.0, 10) == progress_at("hold", 9.5, 10) == 1.0
    assert progress_at("idle", 3.0, 0) == progress_at("rest", 3.0, 15, "stretch") == 0.0
    # between reps the body comes out of the stretch and goes back in
    assert progress_at("rest", 0.0, 4, "rep") == 1.0
    assert progress_at("rest", 2.0, 4, "rep") == 0.0
    assert progress_at("rest", 4.0, 4, "rep") == 1.0
    assert 0 < progress_at("prepare", 1.0, 0, waiting=True) < 1
