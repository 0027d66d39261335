"""Shared by the issue-6 app tests: an app with a session store, settings and a reload."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from test_app_fakes import FakeClock, tiny_routine, wall
from textual.pilot import Pilot

from tui.core.model import Routine
from tui.routine_files.catalog import Catalog
from tui.store.config import Config
from tui.store.sessions import SessionStore
from tui.terminal.cues import TerminalCues
from tui.ui.app import UnknotApp
from tui.ui.screens.summary import SummaryScreen


async def no_wait(_seconds: float) -> None:
    return None


def memory_app(
    clock: FakeClock,
    routine: Routine | None = None,
    *,
    config: Config | None = None,
    config_problems: Sequence[str] = (),
    store: SessionStore | None = None,
    routines: Sequence[Routine] = (),
    reload: Callable[[], Catalog] | None = None,
) -> UnknotApp:
    cues = TerminalCues(lambda _text: None, env={}, sleep=no_wait)
    return UnknotApp(
        routine or tiny_routine(),
        routines=routines,
        clock=clock,
        sleep=clock.sleep,
        wall=wall,
        cues=cues,
        store=store or SessionStore(),
        config=config or Config(),
        config_problems=config_problems,
        reload=reload,
    )


async def run_to_end(pilot: Pilot[int], clock: FakeClock, limit: int = 200) -> None:
    """Let the routine run until the summary is there (under any question on top of it)."""
    app = pilot.app
    assert isinstance(app, UnknotApp)
    for _ in range(limit):
        if any(isinstance(s, SummaryScreen) for s in app.screen_stack):
            return
        clock.advance(max(1, app.engine.snapshot.seconds_left))
        await pilot.pause()
    raise AssertionError("the routine never reached the summary")


async def tick(pilot: Pilot[int], clock: FakeClock, seconds: int = 1) -> None:
    for _ in range(seconds):
        clock.advance(1)
        await pilot.pause()


async def history_read(pilot: Pilot[int]) -> None:
    """Let the history reading (a thread worker) finish, and the screen show what it read."""
    for _ in range(10):  # a reading that came too early starts another one
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if all(worker.is_finished for worker in pilot.app.workers):
            break
    await pilot.pause()


def notices(app: UnknotApp) -> str:
    """Every notice the app has said and not taken down, in one text: those on screen (as
    toasts or on the row over the heading) and those waiting for room (tui.ui.notices)."""
    return "\n".join(n.message for n in app.notices.up())


def places_kept() -> list[Path]:
    """The place files kept to resume (one per session, and the older single file)."""
    from tui.store.resume import Places

    places = Places.default()
    found = sorted(places.folder.glob("*.toml")) if places.folder.is_dir() else []
    return [*found, places.legacy] if places.legacy.exists() else found


def forget_every_place() -> None:
    for path in places_kept():
        path.unlink()
