"""Resume: the place is saved on quit and signals mid-routine, offered at the next start, and
resuming gives exactly that place; a finished routine clears it."""

from __future__ import annotations

import pytest
from app_memory_fakes import memory_app, notices, run_to_end, tick
from test_app_fakes import FakeClock, screen_text, tiny_routine

from tui.core.steps import Phase
from tui.store.config import Config
from tui.store.resume import Places, SavedResume, resume_path
from tui.store.sessions import read_last_routine
from tui.ui.screens.pain import PainScreen
from tui.ui.screens.resume_prompt import ResumePrompt

NO_PAIN = Config(ask_pain=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def saved_places() -> list[SavedResume]:
    return Places.default().load().saved


async def leave_mid_routine(clock: FakeClock, how: str) -> tuple[object, ...]:
    """Run the tiny routine into its second rep, leave (`q` or a signal), and say where it was."""
    app = memory_app(clock, config=NO_PAIN)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await tick(pilot, clock, 5)  # prepare 1, hold 2, rest 1: in the second rep's hold
        snap = app.engine.snapshot
        where = (snap.stretch_index, snap.side, snap.rep, snap.phase, snap.seconds_left)
        if how == "q":
            await pilot.press("q", "y")
        else:
            app._on_signal(1)
            await pilot.pause()
    assert len(saved_places()) == 1
    return where


@pytest.mark.parametrize("how", ["q", "SIGHUP"])
async def test_resuming_gives_exactly_the_saved_place(clock: FakeClock, how: str) -> None:
    where = await leave_mid_routine(clock, how)
    assert where[2] == 2 and where[3] == Phase.HOLD
    again = memory_app(FakeClock(), config=Config())
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ResumePrompt)
        assert "Resume Tiny at Alpha, right, rep 2 of 2?" in screen_text(again)
        assert "Enter resume / Esc start over" in screen_text(again)
        await pilot.press("enter")
        snap = again.engine.snapshot
        assert (snap.stretch_index, snap.side, snap.rep, snap.phase, snap.seconds_left) == where
        assert snap.paused
        await pilot.press("space")  # carries on, with no pain question in the middle
        assert not isinstance(again.screen, PainScreen)
        assert not again.engine.snapshot.paused


async def test_escape_starts_over_and_forgets_the_place(clock: FakeClock) -> None:
    await leave_mid_routine(clock, "q")
    again = memory_app(FakeClock(), config=NO_PAIN)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ResumePrompt)
        await pilot.press("escape")
        assert again.engine.snapshot.phase == Phase.IDLE
    assert saved_places() == []


async def test_finishing_the_routine_clears_the_place(clock: FakeClock) -> None:
    await leave_mid_routine(clock, "q")
    again = memory_app(clock, config=NO_PAIN)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "space")
        await run_to_end(pilot, clock)
    assert saved_places() == []


async def test_another_routine_is_not_offered_the_place(clock: FakeClock) -> None:
    await leave_mid_routine(clock, "q")
    other = memory_app(FakeClock(), tiny_routine("other", "Other"), config=NO_PAIN)
    async with other.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(other.screen, ResumePrompt)
    assert len(saved_places()) == 1  # still there for the routine it belongs to


async def test_a_changed_routine_is_not_resumed_and_says_why(clock: FakeClock) -> None:
    await leave_mid_routine(clock, "q")
    changed = tiny_routine()
    changed = type(changed)(id=changed.id, name=changed.name, stretches=changed.stretches[:1])
    again = memory_app(FakeClock(), changed, config=NO_PAIN)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(again.screen, ResumePrompt)
        assert "cannot be resumed" in notices(again)


async def test_a_torn_resume_file_is_set_aside_with_a_notice(clock: FakeClock) -> None:
    path = resume_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("schema = 1\nposition = {", encoding="utf-8")
    app = memory_app(clock, config=NO_PAIN)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ResumePrompt)
        assert "could not be read" in notices(app)
    assert not path.exists()
    assert list(path.parent.glob("resume.toml.broken-*"))


async def test_quitting_before_the_start_saves_no_place(clock: FakeClock) -> None:
    app = memory_app(clock, config=NO_PAIN)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
    assert saved_places() == []


async def test_the_routine_started_is_remembered_for_next_time(clock: FakeClock) -> None:
    app = memory_app(clock, tiny_routine("other", "Other"), config=NO_PAIN)
    async with app.run_test(size=(80, 24)) as pilot:
        assert read_last_routine() is None
        await pilot.press("space")
    assert read_last_routine() == "other"
