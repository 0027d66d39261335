"""Routine files changed on disk are read again (the watch timer's tick is called by hand
here): the open routine is replaced when idle, a running session keeps its plan until it
ends, and new problems are shown as at start."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_memory_fakes import memory_app, notices, run_to_end, tick
from patience import HANG
from settle import until
from test_app_fakes import FakeClock
from textual.pilot import Pilot

from tui.routine_files.catalog import Catalog, discover
from tui.routine_files.watch import Watcher
from tui.store.config import Config
from tui.store.paths import user_routines_dir
from tui.store.sessions import SessionStore
from tui.ui import persistence as app_memory
from tui.ui.app import UnknotApp
from tui.ui.persistence import RETRY_SECONDS, WATCH_SECONDS, WATCH_SESSION_SECONDS, Memory

NO_PAIN = Config(ask_pain=False)

ROUTINE = """schema = 1
name = "{name}"
prepare_seconds = 1
rest_seconds = 1

[[stretches]]
id = "one"
name = "One"
steps = ["Breathe."]
hold_seconds = {hold}
reps = 1
"""


def write(name: str = "Mine", hold: int = 2) -> Path:
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mine.toml"
    path.write_text(ROUTINE.format(name=name, hold=hold), encoding="utf-8")
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def ticks_by_hand(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watch ticks only when a test calls on_tick (watch_tick): the real timer, which on a
    busy machine fired between a test's own ticks and saw an edit or counted a retry first, is
    stopped as soon as it is set. A test marked real_watch_timer keeps it."""
    if request.node.get_closest_marker("real_watch_timer"):
        return
    set_next = Memory._watch_again

    def next_by_hand(memory: Memory) -> None:
        set_next(memory)  # the delay of the next tick, as the app works it out
        if memory._watch_timer is not None:
            memory._watch_timer.stop()
            memory._watch_timer = None

    monkeypatch.setattr(Memory, "_watch_again", next_by_hand)


async def watch_tick(app: UnknotApp, pilot: Pilot[int]) -> None:
    """One tick of the watch timer, and the reading it starts off the UI thread."""
    app.memory.on_tick()
    await settle(app, pilot)


async def settle(app: UnknotApp, pilot: Pilot[int]) -> None:
    """Until the readings started so far are shown."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def app_on_mine(clock: FakeClock) -> UnknotApp:
    catalog = discover()
    routine = catalog.get("mine")
    assert routine is not None
    return memory_app(clock, routine, config=NO_PAIN, routines=catalog.ordered(), reload=discover)


def test_the_watcher_sees_an_edit_a_new_file_and_a_removal(tmp_path: Path) -> None:
    folder = tmp_path / "routines"
    folder.mkdir()
    watcher = Watcher([folder])
    assert not watcher.changed()
    (folder / "a.toml").write_text("x", encoding="utf-8")
    assert watcher.changed() and not watcher.changed()
    (folder / "a.toml").write_text("longer", encoding="utf-8")
    assert watcher.changed()
    (folder / "a.toml").unlink()
    assert watcher.changed()


async def test_an_edited_routine_is_reloaded_when_idle(clock: FakeClock) -> None:
    write("Mine")
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        write("Mine edited", hold=30)
        await watch_tick(app, pilot)
        assert app.routine.name == "Mine edited"
        assert app.engine.snapshot.plan[0].hold_seconds == 30
        assert "reloaded" in notices(app)


async def test_a_running_session_keeps_its_plan_until_it_ends(clock: FakeClock) -> None:
    write("Mine", hold=3)
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await tick(pilot, clock, 1)
        write("Mine edited", hold=9)
        await watch_tick(app, pilot)
        assert app.routine.name == "Mine"
        assert app.engine.snapshot.plan[0].hold_seconds == 3
        await run_to_end(pilot, clock)
        await pilot.press("escape")
        await watch_tick(app, pilot)
        assert app.routine.name == "Mine edited"


async def test_a_file_broken_on_disk_is_shown_as_a_problem(clock: FakeClock) -> None:
    write("Mine")
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.problems == ()
        (user_routines_dir() / "other.toml").write_text("schema = 1\nname = 3\n", "utf-8")
        await watch_tick(app, pilot)
        assert any("other.toml" in p for p in app.problems)
        assert "press ! to see them" in notices(app)
        assert app.routine.name == "Mine"  # the open routine is untouched


async def test_a_new_file_joins_the_routine_list(clock: FakeClock) -> None:
    write("Mine")
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        (user_routines_dir() / "extra.toml").write_text(
            ROUTINE.format(name="Extra", hold=2), "utf-8"
        )
        await watch_tick(app, pilot)
        assert "extra" in [r.id for r in app.routines]


def test_session_store_and_watch_load_without_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tui.store.sessions, tui.routine_files.watch; "
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


async def test_the_files_are_stat_ed_and_read_off_the_ui_thread(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a thousand files a stat of each takes milliseconds and a reading much more: the
    UI thread does neither (not even the first stat, before the first frame)."""
    import threading

    from tui.routine_files import watch

    main = threading.main_thread()
    threads: list[tuple[str, bool]] = []
    real_watcher = watch.Watcher

    def watcher(paths: list[Path]) -> Watcher:
        threads.append(("watch", threading.current_thread() is main))
        return real_watcher(paths)

    def reload() -> Catalog:
        threads.append(("read", threading.current_thread() is main))
        return discover()

    monkeypatch.setattr(app_memory, "Watcher", watcher)
    write("Mine")
    first = Catalog(partial=True)
    first.add_file(user_routines_dir() / "mine.toml", "user")
    app = UnknotApp(first.routines["mine"], reload=reload, catalog_later=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert threads == [("watch", False), ("read", False)]
        write("Mine edited")
        await watch_tick(app, pilot)
        assert threads[2:] == [("read", False)]
        assert app.routine.name == "Mine edited"


async def test_a_change_while_the_files_are_read_is_seen_at_the_next_tick(
    clock: FakeClock,
) -> None:
    write("Mine")
    edits = iter(["Mine edited", None])

    def reload() -> Catalog:
        catalog = discover()
        edit = next(edits, None)
        if edit:
            write(edit, hold=5)  # after reading, before the app shows what was read
        return catalog

    app = memory_app(clock, discover().routines["mine"], config=NO_PAIN, reload=reload)
    app.memory.catalog_later = True
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.routine.name == "Mine"
        await watch_tick(app, pilot)
        assert app.routine.name == "Mine edited"


async def test_a_reading_overtaken_by_a_save_is_dropped(clock: FakeClock) -> None:
    """A tick's reading that began before a save (which reads at once) must not bring the
    old list back when it ends."""
    import asyncio
    import threading

    write("Mine")
    read, release = threading.Event(), threading.Event()

    def reload() -> Catalog:
        catalog = discover()
        if threading.current_thread() is not threading.main_thread():
            read.set()
            release.wait(HANG)
        return catalog

    app = app_on_mine(clock)
    app.memory._reload = reload
    async with app.run_test(size=(80, 24)) as pilot:
        write("Mine edited", hold=3)
        app.memory.on_tick()  # its thread reads "Mine edited", then waits
        assert await asyncio.to_thread(read.wait, HANG), "the tick's reading never began"
        write("Mine saved", hold=4)
        app.memory.reload_now()
        await pilot.pause()
        assert app.routine.name == "Mine saved"
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.routine.name == "Mine saved"


async def test_the_notice_counts_files_not_problems(clock: FakeClock) -> None:
    """Ten broken files of five problems each are ten files with problems, not fifty."""
    write("Mine")
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for name in ("one", "two"):
            (user_routines_dir() / f"{name}.toml").write_text(
                'schema = 1\nname = 3\nrest_seconds = -1\nsurprise = 1\n[[stretches]]\nid = "A"\n',
                "utf-8",
            )
        await watch_tick(app, pilot)
        assert len(app.problems) > 2
        assert "2 routine files have problems" in notices(app)


# -- how often the files are looked at (issue 7: next to no CPU while paused) ----------------


def pending_watch_timers(app: UnknotApp) -> int:
    """The watch's timers still to fire: one, or ticks would multiply."""
    return sum(
        1
        for timer in app._timers
        if timer.name == "unknot-watch" and timer._task is not None and not timer._task.done()
    )


@pytest.mark.real_watch_timer  # it counts the timers set; a real tick here changes nothing
async def test_the_watch_slows_down_while_a_session_runs_or_is_paused(clock: FakeClock) -> None:
    write("Mine", hold=3)
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        memory = app.memory
        assert memory.watch_delay == WATCH_SECONDS  # nothing runs: an edit shows soon
        await pilot.press("space")
        memory.on_tick()
        assert memory.watch_delay == WATCH_SESSION_SECONDS  # an edit waits for the end anyway
        await pilot.press("space")
        assert app.engine.snapshot.paused
        memory.on_tick()
        assert memory.watch_delay == WATCH_SESSION_SECONDS
        await pilot.press("space")
        write("Mine edited", hold=9)
        await run_to_end(pilot, clock)
        assert memory.watch_delay == WATCH_SECONDS  # the end brings the next look near
        await pilot.press("escape")
        await watch_tick(app, pilot)  # and that look still finds the edit made meanwhile
        assert app.routine.name == "Mine edited"
        assert pending_watch_timers(app) == 1  # however often it ticked: one look planned


@pytest.mark.real_watch_timer
async def test_the_watch_timer_itself_finds_an_edit(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_memory, "WATCH_SECONDS", 0.2)  # the real timer, made quick
    write("Mine")
    app = app_on_mine(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        write("Mine edited", hold=30)
        await until(pilot, lambda: app.routine.name == "Mine edited", "the edit was not seen")
        assert pending_watch_timers(app) == 1


class WaitingStore(SessionStore):
    """A store that always has a write waiting for the disk, and counts its retries."""

    tries = 0

    @property
    def waiting(self) -> int:
        return 1

    def retry(self) -> list[str]:
        self.tries += 1
        return []


async def test_waiting_writes_are_tried_again_every_30_seconds_of_watching(
    clock: FakeClock,
) -> None:
    store = WaitingStore()
    app = memory_app(clock, config=NO_PAIN, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        per_retry = round(RETRY_SECONDS / WATCH_SECONDS)
        for _ in range(per_retry - 1):
            app.memory.on_tick()
        assert store.tries == 0
        app.memory.on_tick()
        assert store.tries == 1
        await pilot.press("space")  # a session: fewer, longer ticks, the same 30 s
        app.memory.on_tick()  # the last short one
        for _ in range(round(RETRY_SECONDS / WATCH_SESSION_SECONDS)):
            app.memory.on_tick()
        assert store.tries == 2
