"""The top line (name and length left, state right, in one widget) and the start-up rule that
the garbage collector rests until the first frame."""

from __future__ import annotations

import gc
from dataclasses import replace

import pytest
import textual.app
from test_app_fakes import EVIL, FakeClock, builtin, control_characters, screen_lines

from tui.terminal.cues import TerminalCues
from tui.ui.app import UnknotApp
from tui.ui.literal import literal
from tui.ui.widgets.routine_heading import fit_heading


@pytest.mark.parametrize("width", [0, 1, 5, 12, 20, 40, 80])
@pytest.mark.parametrize("status", ["", "muted", "bell off · 3 problem(s): !"])
def test_the_state_shows_in_full_and_the_name_gives_way(width: int, status: str) -> None:
    name = literal("Back spasm relief · 6 min 38 s")
    shown, gap = fit_heading(name, status, width)
    if len(status) + 1 <= width:
        line = shown.plain + gap.plain + status
        assert len(line) == width
        assert line.endswith(status)
        if len(name.plain) + len(status) + (1 if status else 0) <= width:
            assert shown.plain == name.plain
        else:
            assert shown.plain.endswith("…")
            assert name.plain.startswith(shown.plain[:-1])
    else:
        assert shown.plain == ""  # no room for any of the name


async def _no_wait(_seconds: float) -> None:
    return None


def _app(clock: FakeClock, name: str, *, bell: bool = True) -> UnknotApp:
    cues = TerminalCues(lambda _text: None, bell_enabled=bell, env={}, sleep=_no_wait)
    routine = replace(builtin(), name=name)
    return UnknotApp(routine, clock=clock, sleep=clock.sleep, cues=cues)


async def test_a_long_name_never_hides_the_state() -> None:
    app = _app(FakeClock(), "A very long routine name " * 4, bell=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        top = screen_lines(app)[0]
        assert top.rstrip().endswith("bell off")
        assert "…" in top
        assert top.startswith(" A very long")


async def test_the_heading_shows_hostile_names_as_plain_text() -> None:
    app = _app(FakeClock(), EVIL + "\x1b[2J")
    async with app.run_test(size=(120, 12)) as pilot:
        await pilot.pause()
        top = screen_lines(app)[0]
        assert "[bold]x[/bold]" in top
        assert control_characters(top) == set()
        assert app.is_running  # the click markup ran nothing


async def test_changes_to_the_plan_and_the_state_reach_the_heading() -> None:
    app = _app(FakeClock(), "Morning")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = screen_lines(app)[0]
        await pilot.press("plus", "m")
        await pilot.pause()
        after = screen_lines(app)[0]
        assert before != after
        assert after.rstrip().endswith("muted")
        assert app.heading.status == "muted"


def test_the_collector_rests_from_run_until_the_first_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    def fake_run(self: textual.app.App[object], *args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())  # the real run would mount and draw here

    monkeypatch.setattr(textual.app.App, "run", fake_run)
    assert gc.isenabled()
    _app(FakeClock(), "Morning").run()
    assert seen == [False]
    assert gc.isenabled()  # back on after the run, whatever happened in it


async def test_the_collector_comes_back_after_the_first_frame() -> None:
    frozen = gc.get_freeze_count()  # the suite freezes what collecting the tests made
    app = _app(FakeClock(), "Morning")
    gc.disable()
    app._gc_paused = True  # as App.run leaves it
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > frozen  # and the app froze what it made
    finally:
        gc.unfreeze()
        gc.enable()
    del app, pilot
    gc.collect()
    gc.freeze()  # the suite's own freeze, as tests/conftest.py made it
