"""Pilot tests of the app: the built-in routine from the first key to the summary, every
control, the screens, and untrusted text shown literally. Time comes from a fake clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest
from settle import until
from test_app_fakes import (
    EVIL,
    FakeClock,
    builtin,
    control_characters,
    evil_routine,
    screen_text,
    tiny_routine,
    wall,
)
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot

from tui.core.model import Routine
from tui.core.side_text import on_side
from tui.core.steps import Phase
from tui.terminal.cues import TerminalCues
from tui.ui.app import KEY_HELP, UnknotApp
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.problems import ProblemsScreen
from tui.ui.screens.quit_confirm import QuitConfirm
from tui.ui.screens.routine_picker import RoutinePicker
from tui.ui.screens.summary import SummaryScreen
from tui.ui.widgets.stretch_detail import StretchDetail
from tui.ui.widgets.stretch_list import StretchList
from tui.ui.widgets.timer import TimerPanel
from tui.ui.widgets.timer_lines import FULL, HALF, ROWS


class Written:
    """What the cues would have sent to the terminal."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def __call__(self, text: str) -> None:
        self.parts.append(text)

    @property
    def bells(self) -> int:
        return "".join(self.parts).count("\x07")


async def no_wait(_seconds: float) -> None:
    return None


def make_app(
    clock: FakeClock,
    routine: Routine | None = None,
    *,
    routines: Sequence[Routine] = (),
    problems: Sequence[str] = (),
    written: Written | None = None,
    bell: bool = True,
) -> UnknotApp:
    cues = TerminalCues(
        written or Written(), bell_enabled=bell, notify_enabled=True, env={}, sleep=no_wait
    )
    return UnknotApp(
        routine or builtin(),
        routines=routines,
        problems=problems,
        clock=clock,
        sleep=clock.sleep,
        wall=wall,
        cues=cues,
    )


async def tick(pilot: Pilot[int], clock: FakeClock, seconds: int = 1) -> None:
    """Let `seconds` of routine time pass, one second at a time, as the engine sees it."""
    for _ in range(seconds):
        clock.advance(1)
        await pilot.pause()


async def run_until_summary(pilot: Pilot[int], clock: FakeClock, limit: int = 500) -> None:
    """Let the routine run to its end, a whole phase at a time."""
    app = pilot.app
    assert isinstance(app, UnknotApp)
    for _ in range(limit):
        if isinstance(app.screen, SummaryScreen):
            return
        clock.advance(max(1, app.engine.snapshot.seconds_left))
        await pilot.pause()
    raise AssertionError("the routine never reached the summary")


def palette_offers(app: UnknotApp, typed: str, offer: str) -> bool:
    """The command palette has all of `typed`, has finished searching for it, and offers
    something with `offer` in its name first."""
    palette = app.screen
    if not isinstance(palette, CommandPalette) or palette.query_one(CommandInput).value != typed:
        return False
    group = CommandPalette._GATHER_COMMANDS_GROUP
    if any(worker.group == group and worker.is_running for worker in app.workers):
        return False
    commands = palette.query_one(CommandList)
    if commands.highlighted is None:
        return False
    first = commands.get_option_at_index(commands.highlighted).prompt
    return offer.lower() in str(first).lower()


async def search_palette(pilot: Pilot[int], app: UnknotApp, typed: str, offer: str) -> None:
    await pilot.press(*typed)
    await until(
        pilot, lambda: palette_offers(app, typed, offer), f"the palette never offered {offer!r}"
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_builtin_routine_from_first_key_to_summary(clock: FakeClock) -> None:
    written = Written()
    app = make_app(clock, written=written)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Ready? press Space" in screen_text(app)
        await pilot.press("space")
        assert app.engine.snapshot.phase == Phase.PREPARE
        await run_until_summary(pilot, clock)
        summary = app.summary
        assert summary is not None and summary.finished
        assert [s.name for s in summary.stretches] == [s.name for s in app.routine.stretches]
        text = screen_text(app)
        assert "Routine done" in text and "Hamstring stretch" in text
        # every stretch is marked done in the list behind the summary
        assert app.query_one(StretchList).states == ("done",) * 4
        # bells rang on the way: at least one per hold
        assert written.bells >= 3 + 5 * 2 + 3 + 3 * 2
        await pilot.press("escape")
        assert not isinstance(app.screen, SummaryScreen)
        assert "Done" in app.query_one(TimerPanel).text
        await pilot.press("q")  # nothing runs any more: no question asked
    assert app.return_code == 0


async def test_pause_and_resume_stop_the_countdown(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await tick(pilot, clock, 2)
        left = app.engine.snapshot.seconds_left
        await pilot.press("space")
        assert app.engine.snapshot.paused
        assert "paused" in app.query_one(TimerPanel).text
        await tick(pilot, clock, 5)
        assert app.engine.snapshot.seconds_left == left
        await pilot.press("space")
        assert not app.engine.snapshot.paused
        await tick(pilot, clock, 1)
        assert app.engine.snapshot.seconds_left == left - 1


async def test_next_back_and_restart(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        assert app.engine.snapshot.phase == Phase.PREPARE
        await pilot.press("n")
        assert app.engine.snapshot.phase == Phase.HOLD
        await tick(pilot, clock, 4)
        assert app.engine.snapshot.seconds_left == 6
        await pilot.press("p")  # more than 2 s in: back to the start of this hold
        assert app.engine.snapshot.phase == Phase.HOLD
        assert app.engine.snapshot.seconds_left == 10
        await pilot.press("n", "n")  # past the rest between reps
        assert (app.engine.snapshot.phase, app.engine.snapshot.rep) == (Phase.HOLD, 2)
        await pilot.press("r")
        snapshot = app.engine.snapshot
        assert (snapshot.phase, snapshot.rep, snapshot.stretch_index) == (Phase.PREPARE, 1, 0)


async def test_adjust_hold_and_reps_of_the_selected_stretch(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")  # Trunk rotations: hold 3-5, reps 5-10
        await pilot.press("plus", "plus", "right_square_bracket")
        assert app.engine.snapshot.plan[1].hold_seconds == 5
        assert app.engine.snapshot.plan[1].reps == 6
        assert "hold 5 s · 6 reps" in app.query_one(StretchDetail).text
        await pilot.press("minus", "left_square_bracket", "left_square_bracket")
        assert app.engine.snapshot.plan[1].hold_seconds == 4
        assert app.engine.snapshot.plan[1].reps == 4
        # the first stretch was not touched
        assert app.engine.snapshot.plan[0] == app.routine.default_plan()[0]
        for _ in range(10):
            await pilot.press("minus")
        assert app.engine.snapshot.plan[1].hold_seconds == 1  # the format's lower bound


async def test_mute_silences_the_bell(clock: FakeClock) -> None:
    written = Written()
    app = make_app(clock, written=written)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        assert app.cues.muted
        assert "muted" in screen_text(app)
        await pilot.press("space", "n", "n")  # a hold begins and ends
        assert written.bells == 0
        await pilot.press("m")
        assert not app.cues.muted
        await pilot.press("n")
        assert written.bells >= 1


async def test_no_bell_flag_keeps_it_quiet(clock: FakeClock) -> None:
    written = Written()
    app = make_app(clock, written=written, bell=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "n", "n", "n")
        assert written.bells == 0
        assert "bell off" in screen_text(app)


async def test_help_lists_every_key_and_escape_closes_it(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for keys, words in app.key_help():
            assert keys in text and words in text
        # all of it fits in 80x24: the title above the keys, the note below them
        assert "Keys" in text and "Keys act on the highlighted stretch" in text
        for note in app.help_notes():
            assert note.split()[-1] in text  # the last word of every note: nothing cut off
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def test_every_binding_has_a_description_and_an_id() -> None:
    ids = []
    for binding in UnknotApp.BINDINGS:
        assert binding.description, binding  # type: ignore[union-attr]
        assert binding.id, binding  # type: ignore[union-attr]
        ids.append(binding.id)  # type: ignore[union-attr]
    assert len(ids) == len(set(ids))
    in_help = {binding_id for _keys, _words, group in KEY_HELP for binding_id in group}
    assert set(ids) == in_help


async def test_palette_finds_a_stretch_and_starts_there(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await search_palette(pilot, app, "hamstring", "hamstring")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        assert app.selected == 3
        assert app.engine.snapshot.stretch_index == 3
        assert app.engine.running


async def test_palette_runs_an_action(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await search_palette(pilot, app, "help: every", "Help: every key")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_quit_asks_while_running(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "q")
        assert isinstance(app.screen, QuitConfirm)
        await pilot.press("n")
        assert not isinstance(app.screen, QuitConfirm)
        assert app.engine.running
        await pilot.press("ctrl+c")
        assert isinstance(app.screen, QuitConfirm)
        await pilot.press("escape", "ctrl+q")
        assert isinstance(app.screen, QuitConfirm)
        await pilot.press("y")
    assert app.return_code == 0
    assert app.engine.snapshot.phase == Phase.STOPPED


async def test_quit_without_a_routine_running_does_not_ask(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
    assert app.return_code == 0


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_untrusted_text_is_shown_literally(clock: FakeClock, size: tuple[int, int]) -> None:
    app = make_app(clock, evil_routine())
    async with app.run_test(size=size) as pilot:
        if size[0] < 60:
            await pilot.press("l")
        await pilot.pause()
        text = screen_text(app)
        assert not control_characters(text)
        detail = app.query_one(StretchDetail).text
        assert EVIL in detail
        assert "[/release] second step" in detail
        assert "[link=file:///etc/passwd]variation[/link]" in detail
        assert "[bold]x" in text
        assert "Plain [left] stretch" in text
        await pilot.press("space")
        await tick(pilot, clock, 2)
        text = screen_text(app)
        assert not control_characters(text)
        assert "[bold]x" in text  # the stretch name in the timer
        # clicking where the fake action link is drawn does nothing
        await pilot.click(StretchDetail)
        await pilot.press("down")
        await pilot.press("n", "n", "n", "n", "n", "n")
        await run_until_summary(pilot, clock)
        text = screen_text(app)
        assert "[bold]x" in text
        assert not control_characters(text)
    assert app.return_code in (None, 0)


async def test_untrusted_routine_names_in_palette_and_picker(clock: FakeClock) -> None:
    other = tiny_routine("other", f"Other {EVIL}")
    app = make_app(clock, evil_routine(), routines=[evil_routine(), other])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await search_palette(pilot, app, "other", "other")
        assert "[@click=app.quit]click[/]" in screen_text(app)
        await pilot.press("escape", "o")
        assert isinstance(app.screen, RoutinePicker)
        assert "[@click=app.quit]click[/]" in screen_text(app)
        await pilot.press("escape")
    assert app.return_code in (None, 0)


async def test_problems_show_in_a_notice_and_a_screen(clock: FakeClock) -> None:
    problems = ["bad.toml:3: reps: [bold]true[/] is not a whole number"]
    app = make_app(clock, problems=problems)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(  # the notice is drawn shortly after the first frame
            pilot, lambda: "1 routine file has a problem" in screen_text(app), "no notice"
        )
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, ProblemsScreen)
        assert problems[0] in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, ProblemsScreen)


async def test_routine_picker_switches_routine(clock: FakeClock) -> None:
    first, second = builtin(), tiny_routine()
    app = make_app(clock, first, routines=[first, second])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, RoutinePicker)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.routine.id == "tiny"
        assert "Alpha" in screen_text(app)
        await pilot.press("space")
        await run_until_summary(pilot, clock)
        assert app.summary is not None and app.summary.routine_id == "tiny"


async def test_compact_layout_hides_the_list_behind_l(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(40, 12)) as pilot:
        stretches = app.query_one(StretchList)
        assert app.has_class("-compact")
        assert not stretches.display or stretches.region.height == 0
        assert "Ready? press Space" in screen_text(app)
        await pilot.press("l")
        assert stretches.region.height > 0
        await pilot.press("j", "enter")
        assert app.engine.snapshot.stretch_index == 1
        await pilot.press("l")
        await pilot.resize_terminal(80, 24)
        assert not app.has_class("-compact")
        assert stretches.region.height > 0


async def test_resizing_while_running_never_crashes(clock: FakeClock) -> None:
    sizes = [(80, 24), (20, 6), (59, 30), (60, 10), (21, 7), (120, 40), (40, 12), (30, 8)]
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        for width, height in sizes:
            await pilot.resize_terminal(width, height)
            await tick(pilot, clock)
            assert screen_text(app)
        assert app.engine.running
    assert app.return_code in (None, 0)


async def test_smallest_window_still_shows_the_countdown(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.press("space")
        await tick(pilot, clock)
        assert "Get ready" in screen_text(app)


async def test_80x24_shows_every_part_without_scrolling(clock: FakeClock) -> None:
    # Without figures the whole detail fits. With them (issue 16) the figure takes the top of
    # the pane at 80x24 and the words below it reach at least the first step; the rest scrolls.
    routine = builtin()
    plain = replace(routine, stretches=tuple(replace(s, figure=None) for s in routine.stretches))
    app = make_app(clock, plain)
    async with app.run_test(size=(80, 24)) as pilot:
        for index, stretch in enumerate(app.routine.stretches):
            app.query_one(StretchList).select_index(index)
            await pilot.pause()
            detail = app.query_one(StretchDetail)
            assert detail.max_scroll_y == 0, stretch.name
            text = screen_text(app)
            for line in on_side(stretch).steps:  # as shown: for the first side
                assert line.split()[-1] in text
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for index, stretch in enumerate(app.routine.stretches):
            app.query_one(StretchList).select_index(index)
            await pilot.pause()
            assert app.query_one(StretchDetail).figure.region.height >= 6, stretch.name
            assert "1. " + on_side(stretch).steps[0][:12] in screen_text(app), stretch.name
        await pilot.press("space", "n")
        text = screen_text(app)
        for part in ("Hold", "rep 1 of 3", "right side", "left", "Knee-to-chest stretch"):
            assert part in text
        for name in ("Trunk rotations", "Prone back extension", "Hamstring stretch"):
            assert name in text
        lines = app.query_one(TimerPanel).lines
        top, count = ROWS["bars"]
        rows = lines.render().plain.splitlines()
        bars = rows[top : top + count]  # the phase's bar over the routine's
        assert [len(bar) for bar in bars] == [lines.content_size.width] * 2
        assert set("".join(bars)) <= {FULL, HALF}


async def test_warning_marks_the_last_three_seconds(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "n")  # hold 10 s
        timer = app.query_one(TimerPanel)
        await tick(pilot, clock, 6)
        assert not timer.has_class("-warning")
        await tick(pilot, clock, 1)
        assert timer.has_class("-warning")


async def test_no_color_and_light_theme_render(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"
        await pilot.press("space", "n")
        await tick(pilot, clock, 8)
        assert "Hold" in screen_text(app)


async def test_fast_keys_in_palette_and_lists_do_not_crash(clock: FakeClock) -> None:
    first, second = builtin(), tiny_routine()
    app = make_app(clock, first, routines=[first, second])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", "pagedown", "pageup", "h", "a", "enter", "enter", "enter")
        await pilot.press("escape", "pagedown", "pageup", "o", "pagedown", "escape", "escape")
        await pilot.press("ctrl+p", "escape", "pagedown", "escape")
        await pilot.pause()
    assert app.return_code in (None, 0)


async def test_palette_has_no_quit_that_skips_the_question(clock: FakeClock) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "ctrl+p")
        await search_palette(pilot, app, "quit", "quit")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuitConfirm)
        await pilot.press("n")
        assert app.engine.running
