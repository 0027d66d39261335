"""The timer in the app's layout: the numerals grow with the window, what comes next fits in
80x24 (keeping its second row beside the list, taking only the rows it needs when compact), and
a long list of stretches never pushes the timer off the screen."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_app_fakes import FakeClock, builtin, screen_lines, screen_text, wall
from test_timer_widget import snapshot
from textual.pilot import Pilot

from tui.core.model import Routine, Span, Stretch
from tui.terminal.cues import TerminalCues
from tui.ui.app import COMPACT_BELOW, UnknotApp
from tui.ui.widgets.big_digits import BigDigits
from tui.ui.widgets.stretch_detail import StretchDetail
from tui.ui.widgets.stretch_list import MAX_ROWS, StretchList
from tui.ui.widgets.timer import TimerPanel, widest_face
from tui.ui.widgets.timer_lines import NEXT_ROW, TimerLines, next_lines


def make_app(clock: FakeClock, routine: Routine | None = None) -> UnknotApp:
    cues = TerminalCues(lambda _text: None, env={})
    return UnknotApp(routine or builtin(), clock=clock, sleep=clock.sleep, wall=wall, cues=cues)


def long_routine(count: int) -> Routine:
    stretch = Stretch(
        id="s", name="Stretch", steps=("Do it.",), hold_seconds=Span(30, 30), reps=Span(1, 1)
    )
    stretches = tuple(replace(stretch, id=f"s{i}", name=f"Stretch {i}") for i in range(count))
    return Routine(id="long", name="Long", stretches=stretches)


async def hold(pilot: Pilot[int]) -> None:
    await pilot.press("space", "n")  # past the get-ready, into the first hold
    await pilot.pause()


async def test_the_numerals_grow_with_the_window() -> None:
    scales = {}
    for size in ((40, 12), (80, 24), (120, 40), (200, 60)):
        app = make_app(FakeClock())
        async with app.run_test(size=size) as pilot:
            await hold(pilot)
            scales[size] = app.query_one(BigDigits).scale
    assert scales[40, 12] == 1  # the size of Textual's Digits: all the compact window has
    assert scales[80, 24] == 2
    assert scales[120, 40] > scales[80, 24] * 2
    assert scales[200, 60] > scales[120, 40]


async def test_the_timer_column_takes_half_a_wide_window() -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await hold(pilot)
        assert app.query_one("#side").region.width == 60
        timer = app.query_one(TimerPanel)
        assert timer.region.bottom <= 39  # above the footer, nothing cut off
    app = make_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await hold(pilot)
        assert app.query_one("#side").region.width == 34  # as before: the steps need the rest


async def test_what_comes_next_fits_80x24_on_two_lines() -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "n", "n")  # the rest after the first hold
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any("Then: Hold right side," in line for line in lines)
        assert any("│ rep 2 of 3 " in line for line in lines)
        assert "…" not in "".join(lines[7:22])


async def test_a_long_list_leaves_the_timer_its_rows() -> None:
    for size in ((80, 24), (80, 20), (120, 40)):
        app = make_app(FakeClock(), long_routine(30))
        async with app.run_test(size=size) as pilot:
            await hold(pilot)
            timer = app.query_one(TimerPanel)
            stretches = app.query_one(StretchList)
            assert timer.region.height >= 13, size
            assert timer.region.bottom <= size[1] - 1, size
            assert stretches.region.height <= MAX_ROWS + 2, size
            assert app.query_one(BigDigits).scale >= 1, size


async def test_a_short_list_shows_every_stretch() -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await hold(pilot)
        assert app.query_one(StretchList).region.height == 4 + 2
        assert app.query_one(TimerPanel).region.height == 22 - 6


async def test_what_comes_next_keeps_its_second_row_beside_the_list() -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await hold(pilot)
        lines = app.query_one(TimerLines)
        assert lines.render().plain.splitlines()[NEXT_ROW:] == ["Then: Rest 3 s"]
        kept = lines.region.height, app.query_one(BigDigits).region
        assert kept[0] == NEXT_ROW + 2  # the second row kept, blank
        await pilot.press("n")  # the rest, and the next hold in two rows
        await pilot.pause()
        shown = lines.render().plain.splitlines()[NEXT_ROW:]
        assert shown == ["Then: Hold right side,", "rep 2 of 3"]
        assert (lines.region.height, app.query_one(BigDigits).region) == kept


async def test_what_comes_next_takes_only_the_rows_it_needs_when_compact() -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=(30, 12)) as pilot:
        await hold(pilot)
        assert app.has_class("-compact")
        lines = app.query_one(TimerLines)
        assert lines.region.height == NEXT_ROW + 1  # "Then: Rest 3 s"
        await pilot.press("n")
        await pilot.pause()
        assert lines.region.height == NEXT_ROW + 2  # "Then: Hold right side," / "rep 2 of 3"
        words, long_next = lines.words, "Then: " + "a b c d e " * 9  # four rows at 28 columns
        lines.update(
            name=words["name"],
            where=words["where"],
            bars=lines.bars,
            left=words["left"],
            next_text=long_next,
        )
        await pilot.pause()
        assert lines.region.height == NEXT_ROW + 2  # never more than two


async def test_the_compact_panel_keeps_no_blank_rows_for_capitals_it_does_not_draw() -> None:
    app = make_app(FakeClock())
    async with app.run_test(size=(50, 20)) as pilot:
        await pilot.pause()
        assert app.has_class("-compact")
        timer = app.query_one(TimerPanel)
        assert timer.phase_label.shown == "Ready? press Space"  # one line, not capitals
        assert timer.region.height == sum(part.region.height for part in timer.children)
        assert app.query_one(StretchDetail).region.y == timer.lines.region.bottom


def test_next_breaks_after_its_last_comma_when_too_wide() -> None:
    text = "Then: Hold right side, rep 2 of 3"
    assert next_lines(text, 40).plain == text
    assert next_lines(text, 30).plain == "Then: Hold right side,\nrep 2 of 3"
    assert next_lines("Then: Rest 3 s", 10).plain == "Then: Rest 3 s"  # no comma: wraps
    assert next_lines(text, 0).plain == text  # before layout


def test_the_widest_face_is_the_whole_phase() -> None:
    assert widest_face(snapshot(3600, 0)) == "60:00"
    assert widest_face(snapshot(10, 0, phase_seconds=10)) == "10"
    assert widest_face(snapshot(0, 0, phase_seconds=0)) == "--"


def hidden_rows(app: UnknotApp) -> list[str]:
    """The rows under the numerals that have words or bars but do not show: outside the
    timer panel, under the detail pane (or the footer), or drawn over by something else."""
    panel, lines = app.query_one(TimerPanel), app.query_one(TimerLines)
    detail = app.query_one(StretchDetail)
    screen = screen_lines(app)
    hidden = []
    for offset, text in enumerate(lines.render().plain.splitlines()):
        y = lines.region.y + offset
        if not text.strip():
            continue
        if (
            y >= panel.region.bottom
            or (detail.display and y >= detail.region.y)
            or y >= len(screen) - 1  # the footer's row
            or text.strip() not in screen[y]
        ):
            hidden.append(text)
    return hidden


@pytest.mark.parametrize("width", [40, 49, 59])  # one test each: they spread over the workers
async def test_every_row_under_the_numerals_shows_in_compact_windows(width: int) -> None:
    # 59x24 lost "Then: Hold ..." under the detail pane's border: the banner claimed a gap
    # row in the height the panel had measured without it. One app per width, started at the
    # smallest height and resized up through the even heights, then down through the odd ones:
    # every height from 12 to 40, reached growing and shrinking (that a resized window lays
    # the timer out as a fresh start would is the next test's)
    assert width < COMPACT_BELOW == 60
    heights = [*range(12, 41, 2), *range(39, 12, -2)]
    app = make_app(FakeClock())
    async with app.run_test(size=(width, heights[0])) as pilot:
        await pilot.press("space")  # the get-ready: every row has words
        await pilot.pause()
        for height in heights:
            if app.size != (width, height):
                await pilot.resize_terminal(width, height)
                await pilot.pause()
            assert app.size == (width, height)
            assert app.has_class("-compact")
            assert app.query_one(TimerLines).words["next"].startswith("Then: ")
            assert hidden_rows(app) == [], (width, height)


def timer_layout(app: UnknotApp) -> tuple[int, int, int]:
    timer = app.timer
    return timer.region.height, timer.digits.region.height, timer.lines.region.bottom


async def test_a_window_that_shrinks_lays_the_timer_out_as_a_fresh_start_would() -> None:
    # the numerals size themselves from the window: shrinking it must shrink them too, or the
    # rows under them fall off the screen (59x30 -> 59x13 kept 10-row numerals)
    for tall, small in (((40, 20), (40, 12)), ((59, 30), (59, 13)), ((90, 40), (90, 24))):
        app = make_app(FakeClock())
        async with app.run_test(size=tall) as pilot:
            await pilot.pause()
            await pilot.resize_terminal(*small)
            await pilot.pause()
            await pilot.pause()
            shrunk = timer_layout(app)
            if small[0] < COMPACT_BELOW:  # where the detail pane is under the timer
                assert hidden_rows(app) == [], small
        app = make_app(FakeClock())
        async with app.run_test(size=small) as pilot:
            await pilot.pause()
            assert shrunk == timer_layout(app), f"{tall} -> {small}"
