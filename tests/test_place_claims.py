"""Only one unknot carries a session on (issue 14).

Found this way: two windows both offered the same place, both answered Enter; each carried the
same session on, and history, which merges records by session, kept one of the two. Resuming
now claims the place first: the first answer wins, the other window is told and offered the
next place, if any. A claim never loses a place: saving it again or finishing ends the claim,
and the claim of a process that is gone (killed, crashed) is a place again at the next look.
The processes here are real ones: a claimant that lives, one killed, one gone after saving.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from app_memory_fakes import memory_app, notices
from test_app_fakes import FakeClock, screen_text, tiny_routine, wall

from tui.core.engine import Engine
from tui.core.model import Routine
from tui.core.position import Position
from tui.core.steps import Phase
from tui.store import resume
from tui.store.config import Config
from tui.store.resume import TAKEN, Offer, Places, save_resume
from tui.ui.screens.resume_prompt import ResumePrompt


@pytest.fixture(autouse=True)
def no_claim_left() -> Iterator[None]:
    """Each test starts with no claim of this process, and leaves none."""
    yield
    for claim in resume._CLAIMS.values():
        claim.end()
    resume._CLAIMS.clear()


def a_place(routine: Routine, seconds: int = 2, stretch: int = 0) -> Position:
    """A session of `routine` left part way, its place saved as a quit saves it."""
    clock = FakeClock()
    engine = Engine(routine, clock=clock, sleep=clock.sleep, wall=wall)
    engine.start(stretch)
    clock.advance(seconds)
    position = engine.position()
    save_resume(routine, position)
    return position


def files() -> list[str]:
    folder = Places.default().folder
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def offered(routine: Routine) -> Offer | None:
    offer, said = Places.default().offer(routine)
    assert said == []
    return offer


def test_a_place_is_taken_once_and_not_offered_while_taken() -> None:
    routine = tiny_routine()
    position = a_place(routine)
    offer = offered(routine)
    assert offer is not None
    assert Places.default().take(offer, routine) == position
    assert Places.default().take(offer, routine) is None  # a second answer to the same offer
    assert offered(routine) is None  # carried on here: offered nowhere else
    [claim] = files()
    assert claim.startswith(f"{position.session_id}.toml.") and claim.endswith(".claim")


def test_saving_the_place_again_ends_the_claim() -> None:
    routine = tiny_routine()
    position = a_place(routine)
    offer = offered(routine)
    assert offer is not None and Places.default().take(offer, routine) is not None
    later = replace(position, elapsed=position.elapsed + 5)
    assert Places.default().save(routine, later) is None  # quit: the place is kept
    assert files() == [f"{position.session_id}.toml"]
    again = offered(routine)
    assert again is not None and again.position == later


def test_finishing_ends_the_claim_and_the_place() -> None:
    routine = tiny_routine()
    position = a_place(routine)
    offer = offered(routine)
    assert offer is not None and Places.default().take(offer, routine) is not None
    Places.default().forget(position.session_id)
    assert files() == []


def test_what_is_resumed_is_the_place_as_it_is_when_taken() -> None:
    # another window carried the session on and left it further along while this one's
    # offer was up: this one resumes where that one stopped, not where the offer said
    routine = tiny_routine()
    position = a_place(routine)
    offer = offered(routine)
    assert offer is not None
    further = replace(position, elapsed=position.elapsed + 7)
    save_resume(routine, further)
    assert Places.default().take(offer, routine) == further


CLAIMANT = """
import sys
from pathlib import Path
from tui.store.resume import Places, save_resume

places = Places.default()
saved = places.claim(sys.argv[1])
print("claimed" if saved is not None else "not claimed", flush=True)
if sys.argv[2] == "save, then end before the claim does":
    import os
    from dataclasses import replace
    import test_app_fakes

    further = replace(saved.position, elapsed=saved.position.elapsed + 9)
    save_resume(test_app_fakes.tiny_routine(), further)  # as a quit saves it
    print(further.elapsed, flush=True)
    os._exit(0)  # gone before its claim ended: nothing of this process cleans up
sys.stdin.readline()  # lives until the test says
"""


def claimant(session_id: str, what: str = "live") -> subprocess.Popen[str]:
    """Another unknot process that claims the session's place."""
    process = subprocess.Popen(
        [sys.executable, "-c", CLAIMANT, session_id, what],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if line != "claimed":
        _out, err = process.communicate(timeout=60)
        raise AssertionError(f"the claimant said {line!r}:\n{err}")
    return process


def test_a_claim_is_left_alone_while_its_process_lives_and_comes_back_once_killed() -> None:
    routine = tiny_routine()
    position = a_place(routine)
    other = claimant(position.session_id)
    try:
        assert offered(routine) is None, files()  # carried on in the other process
        other.send_signal(signal.SIGKILL)  # killed: nothing of it cleans up
        other.wait(timeout=60)
        offer = offered(routine)  # at once: a dead process holds no lock
        assert offer is not None, files()
        assert offer.position == position
        assert files() == [f"{position.session_id}.toml"]
    finally:
        if other.poll() is None:
            other.kill()
            other.wait()


def test_a_process_gone_after_saving_again_leaves_its_newer_place() -> None:
    routine = tiny_routine()
    position = a_place(routine)
    other = claimant(position.session_id, "save, then end before the claim does")
    out, err = other.communicate(timeout=60)
    assert other.returncode == 0, err
    offer = offered(routine)
    assert offer is not None, files()
    assert offer.position.elapsed == float(out.strip()) != position.elapsed
    assert files() == [f"{position.session_id}.toml"]  # the older copy in the claim is gone


NO_PAIN = Config(ask_pain=False)


@pytest.mark.parametrize("another_place", [False, True], ids=["only place", "another place"])
async def test_the_app_says_so_when_another_window_resumed_the_session_first(
    another_place: bool,
) -> None:
    routine = tiny_routine()
    if another_place:
        older = a_place(routine, seconds=1)
    newest = a_place(routine, seconds=3)
    app = memory_app(FakeClock(), config=NO_PAIN)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumePrompt), screen_text(app)
        other = claimant(newest.session_id)  # the other window answers first
        try:
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            assert TAKEN in notices(app), notices(app)
            assert app.engine.snapshot.phase == Phase.IDLE  # not carried on here too
            if another_place:  # the next place is offered, and resumes
                assert isinstance(app.screen, ResumePrompt), screen_text(app)
                await pilot.press("enter")
                await pilot.pause()
                assert app.engine.session_id == older.session_id
                assert app.engine.snapshot.phase != Phase.IDLE
            else:
                assert not isinstance(app.screen, ResumePrompt), screen_text(app)
        finally:
            other.kill()
            other.wait()
