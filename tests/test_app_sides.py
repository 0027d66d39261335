"""The app shows a stretch's text for the side being done: the built-in knee-to-chest and
hamstring stretches, walked to their left side with the keys a person uses."""

from __future__ import annotations

import re

import pytest
from settle import until
from test_app import make_app
from test_app_fakes import FakeClock, screen_text
from textual.pilot import Pilot

from tui.ui.app import UnknotApp
from tui.ui.widgets.stretch_detail import StretchDetail
from tui.ui.widgets.timer import TimerPanel

RIGHT = re.compile(r"\bright\b", re.IGNORECASE)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def skip_to_left_side(pilot: Pilot[int], app: UnknotApp, stretch_index: int) -> None:
    """Press n (next phase) until the stretch's first hold on its left side is running."""
    for _ in range(20):
        snapshot = app.engine.snapshot
        if (snapshot.stretch_index, snapshot.side, str(snapshot.phase)) == (
            stretch_index,
            "left",
            "hold",
        ):
            return
        await pilot.press("n")
    raise AssertionError(f"never reached the left side; at {app.engine.snapshot}")


@pytest.mark.parametrize(
    ("index", "right_words", "left_words"),
    [
        (
            0,
            "Lift your right knee up toward your chest.",
            "Lift your left knee up toward your chest.",
        ),
        (
            3,
            "Sit on the floor with your right leg out straight in front of you.",
            "Sit on the floor with your left leg out straight in front of you.",
        ),
    ],
    ids=["knee-to-chest", "hamstring"],
)
async def test_the_detail_and_timer_follow_the_side(
    clock: FakeClock, index: int, right_words: str, left_words: str
) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = app.query_one(StretchDetail)
        timer = app.query_one(TimerPanel)
        for _ in range(index):
            await pilot.press("down")
        # idle, before the stretch starts: its text reads for its first side
        await until(
            pilot, lambda: right_words in detail.text, f"the right side's text: {right_words}"
        )
        await pilot.press("enter")  # start this stretch
        await skip_to_left_side(pilot, app, index)
        await until(
            pilot,
            lambda: left_words in detail.text,
            f"the left side's text in the detail pane; it shows:\n{detail.text}",
        )
        assert not RIGHT.search(detail.text), detail.text
        assert "left side · rep 1 of" in timer.text, timer.text
        assert not RIGHT.search(timer.text), timer.text
        shown = screen_text(app)
        assert left_words[:30] in shown, shown
        assert not RIGHT.search(shown), shown
        # back on the first side (r restarts the stretch), the text reads right again
        await pilot.press("r")
        await until(
            pilot,
            lambda: right_words in detail.text,
            f"the right side's text after a restart; it shows:\n{detail.text}",
        )


async def test_another_stretch_selected_during_a_session_reads_for_its_first_side(
    clock: FakeClock,
) -> None:
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = app.query_one(StretchDetail)
        await pilot.press("enter")
        await skip_to_left_side(pilot, app, 0)
        await until(pilot, lambda: "left knee" in detail.text, "the left side's text")
        await pilot.press("down", "down", "down")  # the hamstring stretch, not yet begun
        await until(
            pilot,
            lambda: "your right leg out straight" in detail.text,
            f"the hamstring stretch on its first side; the pane shows:\n{detail.text}",
        )
        await pilot.press("up", "up", "up")  # back to the stretch being done, on its left side
        await until(
            pilot,
            lambda: "Lift your left knee" in detail.text,
            f"the stretch being done on its left side; the pane shows:\n{detail.text}",
        )
