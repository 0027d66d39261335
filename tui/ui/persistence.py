"""What the app keeps between runs (issue 6), as the class Memory: history, pain scores,
resume, settings, saved routines and routine files that change on disk. The app calls these
hooks at a few points; the files themselves are written by tui.store.sessions, tui.store.config
and tui.routine_files.writer.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from tui.core.engine import Engine, Snapshot
from tui.core.model import Routine, StretchPlan
from tui.core.steps import Phase
from tui.routine_files.catalog import Catalog
from tui.routine_files.loader import RoutineError
from tui.routine_files.watch import Watcher
from tui.store.config import KEYS as CONFIG_KEYS
from tui.store.config import WHAT as CONFIG_WHAT
from tui.store.config import (
    Config,
    SettingsWriter,
    config_path,
    config_toml,
    load_config,
    with_settings,
)
from tui.store.durable import SaveError
from tui.store.paths import builtin_dir, tilde, user_routines_dir
from tui.store.sessions import SessionStore

if TYPE_CHECKING:
    from textual.await_complete import AwaitComplete
    from textual.notifications import SeverityLevel
    from textual.screen import Screen
    from textual.theme import Theme
    from textual.timer import Timer
    from textual.widget import AwaitMount
    from textual.worker import Worker, WorkType

    from tui.core.plan_view import Days
    from tui.core.position import Position
    from tui.core.summary import Summary
    from tui.store.history.records import Entry
    from tui.store.history.stats import HistoryRead
    from tui.store.resume import Offer
    from tui.terminal.cues import TerminalCues
    from tui.ui.held_keys import HeldKeys
    from tui.ui.screens.history import HistoryScreen

WATCH_SECONDS = 1.5
"""How often routine files are checked for changes (a stat of each) when no session runs."""
WATCH_SESSION_SECONDS = 10.0
"""... and while a session runs or is paused: an edit waits for the session's end anyway, and
the app, paused, should cost next to nothing (issue 7)."""
RETRY_SECONDS = 30.0
"""Waiting writes are tried again this often."""
HISTORY_GRACE = 0.15
"""Seconds the history screen waits to open filled in when there is an index (10,000
sessions are read through it in about 0.1 s)."""

CONFIG_NOTICE = (
    "The settings file has problems, so defaults are used where it is wrong: press ! to see them."
)
"""Said once at start; taken down when the file has no problems any more (fixed or replaced)."""

_UNASKED = object()
_Result = TypeVar("_Result")


class Host(Protocol):
    """What the memory asks of the app it serves (tui.ui.app.UnknotApp): the app's own state and
    five calls back, then the part of Textual's App it uses to show dialogs and notices."""

    routine: Routine
    routines: tuple[Routine, ...]
    problems: tuple[str, ...]
    theme: str

    @property
    def engine(self) -> Engine: ...
    @property
    def cues(self) -> TerminalCues: ...
    @property
    def held_keys(self) -> HeldKeys: ...
    def resume_at(self, position: Position) -> None: ...
    def open_routine(self, chosen: Routine) -> None: ...
    def show_status(self) -> None: ...
    def withdraw_notice(self, message: str) -> None: ...
    def tell_problems(self, count: int) -> None: ...
    def set_figure_characters(self, characters: str) -> None: ...
    def wall_now(self) -> datetime: ...
    def use_plan(self, plan: Sequence[StretchPlan]) -> None: ...
    def show_selected(self) -> None: ...
    def show_progress(self, words: str) -> None: ...

    @property
    def is_web(self) -> bool: ...
    @property
    def is_running(self) -> bool: ...
    @property
    def available_themes(self) -> dict[str, Theme]: ...
    @property
    def screen(self) -> Screen[object]: ...
    @property
    def screen_stack(self) -> list[Screen[Any]]: ...
    def push_screen(
        self, screen: Screen[_Result], callback: Callable[[_Result | None], None] | None = None
    ) -> AwaitMount: ...
    def pop_screen(self) -> AwaitComplete: ...
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...
    def call_after_refresh(self, callback: Callable[..., Any], *args: Any) -> bool: ...
    def call_later(self, callback: Callable[..., Any], *args: Any) -> bool: ...
    def set_timer(
        self, delay: float, callback: Callable[[], Any] | None = None, *, name: str | None = None
    ) -> Timer: ...
    def run_worker(
        self,
        work: WorkType[_Result],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[_Result]: ...
    def exit(self, result: int | None = None, return_code: int = 0) -> None: ...


class Memory:
    """Everything the app keeps between runs, for one app (its Host)."""

    def __init__(
        self,
        app: Host,
        store: SessionStore | None,
        config: Config,
        config_problems: Sequence[str] = (),
        reload: Callable[[], Catalog] | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.app = app
        self.store = store
        self.config = config
        self.config_problems = tuple(config_problems)
        self._reload = reload
        self._today = today
        self._pain_before: object = _UNASKED
        self._ended: Summary | None = None
        """A finished session waiting for its after-score before it is recorded."""
        self._watcher: Watcher | None = None
        self._watch_timer: Timer | None = None
        self.watch_delay = WATCH_SECONDS
        """Seconds from the last look at the routine files to the next."""
        self._since_retry = 0.0
        self.base = app.routine
        """The routine as its file says (the app runs it with the settings applied)."""
        self._history_reader: Worker[HistoryRead] | None = None
        self._history_waiting: HistoryScreen | None = None
        """The history screen, made but not shown yet: it waits a moment for the reading."""
        self._recorded = 0
        """Sessions recorded by this run: a history read before the last one is out of date."""
        self._settings_writer = SettingsWriter()
        self._changed_settings: set[str] = set()
        """The settings changed in the app this run: the ones written into the person's file."""
        self._starts: tuple[datetime, ...] | None = None
        """When the sessions of this routine that count began (issue 17); None until read."""
        self.adjusted: set[int] = set()
        """Stretches whose hold or reps the person changed (+/-, [ ]): the plan's progression
        leaves them as they chose."""

    # -- start --------------------------------------------------------------------------------

    def prepared(self, routine: Routine) -> Routine:
        return with_settings(routine, self.config) if self.store is not None else routine

    _served = False
    """The app runs in a browser (`unknot serve`)."""

    def on_mount(self) -> None:
        app = self.app
        self._served = app.is_web
        if self.store is not None:
            if self.config.theme in app.available_themes:
                app.theme = self.config.theme
            if not self.config.bell:
                app.cues.bell_enabled = False
            if self.config.notify:
                app.cues.notify_enabled = True
        if self.config_problems:
            app.call_after_refresh(self._tell_config_problems)
        if self.store is not None:
            # resume.toml is read after the first frame: the person sees the app at once; keys
            # typed before it is read wait for the offer, should there be one (issue 14)
            app.held_keys.hold()
            app.call_after_refresh(self._offer_resume)
        if self.store is not None:
            app.call_after_refresh(self.read_days)
        if self.catalog_later:
            app.call_after_refresh(self._load_catalog)  # which starts watching the files
        elif self._reload is not None:
            self._watcher = Watcher(self._watched())
            app.call_after_refresh(self._drop_gone_places_later)
        if self._reload is not None or self.store is not None:
            self._watch_again()

    async def _offer_resume(self) -> None:
        """Offer to carry on where an unfinished session of this routine stopped; then hand the
        keys typed meanwhile to what is on top: the offer when there is one, so that an Enter
        typed ahead resumes, as it would have a moment later."""
        app = self.app
        try:
            offer = self._resume_offer()
            if offer is not None:
                from tui.ui.screens.resume_prompt import ResumePrompt

                answered = partial(self._resume_answered, offer)
                await app.push_screen(ResumePrompt(offer.question), answered)  # until mounted
        finally:
            app.held_keys.release()

    def _resume_offer(self) -> Offer | None:
        """The saved place of this routine, if it can be offered now; notices said."""
        app = self.app
        if self.store is None or app.engine.snapshot.phase != Phase.IDLE:
            return None  # a session began already: nothing to offer
        if len(app.screen_stack) > 1:
            return None  # a dialog came first; the place stays saved
        offer, notices = self.store.offer(app.routine)
        for notice in notices:
            app.notify(notice, severity="warning", timeout=8, markup=False)
        return offer

    def _watched(self) -> list[Path]:
        paths = [builtin_dir(), user_routines_dir()]
        paths += [r.path for r in self.app.routines if r.source == "file" and r.path is not None]
        return paths

    def _tell_config_problems(self) -> None:
        self.app.notify(
            CONFIG_NOTICE,
            title="Settings",
            severity="warning",
            timeout=10,
            markup=False,
        )

    def all_problems(self, routine_problems: Sequence[str]) -> tuple[str, ...]:
        return (*self.config_problems, *routine_problems)

    def _resume_answered(self, offer: Offer, resume: bool | None) -> None:
        app = self.app
        if not resume:  # start over: this place goes, any other session's stays
            session = offer.position.session_id
            self._notify_error(self.store.forget_place(session) if self.store else None)
            return
        position = self.store.places.take(offer, app.routine) if self.store else offer.position
        if position is None:  # another window answered first: it carries the session on
            from tui.store.resume import TAKEN

            app.notify(TAKEN, severity="warning", timeout=8, markup=False)
            app.held_keys.hold()  # the next place, if there is one, is offered as the first was
            app.call_later(self._offer_resume)
            return
        app.resume_at(position)
        self._pain_before = None  # the before-score belongs to the session's real start
        app.notify("Resumed, paused: Space carries on.", timeout=4, markup=False)

    # -- pain and the session's end -----------------------------------------------------------

    @property
    def asks_pain(self) -> bool:
        return self.store is not None and self.config.ask_pain

    def before_start(self, start: Callable[[], None]) -> bool:
        """Ask the before-score first, when wanted; True when `start` will be called later."""
        if not self.asks_pain or self._pain_before is not _UNASKED:
            return False
        from tui.ui.screens.pain import SKIPPED, PainScreen

        def answered(score: int | None) -> None:
            self._pain_before = None if score is None or score == SKIPPED else score
            start()

        self.app.push_screen(PainScreen("right now"), answered)
        return True

    def on_engine(self, old: Snapshot, new: Snapshot, engine: Engine) -> None:
        """The engine changed: note a session's start and end."""
        if self.watch_delay > WATCH_SECONDS and not engine.running and self.app.is_running:
            self._watch_again()  # the session is over: an edit made meanwhile shows soon
        if old.phase == Phase.IDLE and new.phase != Phase.IDLE and self.store is not None:
            self._notify_error(self.store.remember_routine(self.base.id))
        if new.phase == old.phase or new.phase not in (Phase.DONE, Phase.STOPPED):
            return
        if new.phase == Phase.DONE:
            if self.store is not None:  # its own place only: another unknot may have one
                self._notify_error(self.store.forget_place(engine.session_id))
            self._ended = engine.summary
            if not self.asks_pain or not self.app.is_running:
                self.flush()
        else:
            self._record(engine.summary, None)

    def after_summary(self) -> None:
        """The summary is on screen: ask the after-score on top of it."""
        if self._ended is None or not self.asks_pain:
            return
        from tui.ui.screens.pain import SKIPPED, PainScreen

        def answered(score: int | None) -> None:
            self.flush(None if score is None or score == SKIPPED else score)

        self.app.push_screen(PainScreen("now, after the routine"), answered)

    def flush(self, pain_after: int | None = None) -> None:
        """Record a finished session still waiting for its after-score."""
        ended, self._ended = self._ended, None
        if ended is not None:
            self._record(ended, pain_after)

    def _record(self, summary: Summary, pain_after: int | None) -> None:
        before = self._pain_before
        self._pain_before = _UNASKED
        if self.store is None:
            return
        self._recorded += 1
        pain_before = before if isinstance(before, int) else None
        for message in self.store.record(summary, pain_before, pain_after):
            self.app.notify(message, severity="warning", timeout=10, markup=False)
        if self.app.is_running:
            self.read_days()  # today's progress, with this session

    # -- the plan across days (issue 17) ------------------------------------------------------

    def read_days(self) -> None:
        """Read the history (in a thread, as for the history screen: one reading serves both)
        for when the sessions of this routine that count began: the weeks of its progression
        and today's progress come from them."""
        if self.store is not None and self.app.is_running:
            self._read_history()

    def days(self) -> Days | None:
        """This routine's plan now, from the sessions read; None before they are."""
        if self._starts is None:
            return None
        from tui.core.plan_view import Days

        return Days.of(with_settings(self.base, self.config), self._starts, self.app.wall_now())

    def apply_progression(self) -> None:
        """Before a session: each stretch at this week's hold and reps, except those the person
        adjusted (the app calls this again as a session starts: a new week may have begun)."""
        days = self.days()
        engine = self.app.engine
        if days is None or engine.snapshot.phase != Phase.IDLE:
            return
        plan = days.start_plan(engine.snapshot.plan, self.adjusted)
        if plan != engine.snapshot.plan:
            self.app.use_plan(plan)

    def show_days(self) -> None:
        """Today's progress in the heading, the progression on the plan line."""
        days = self.days()
        if days is None or not self.app.is_running:
            return
        self.app.show_progress(days.today())
        self.app.show_selected()

    def plan_note(self, index: int, plan: StretchPlan) -> str:
        """The plan line's progression for stretch `index` (empty when nothing grows)."""
        days = self.days()
        if days is None:
            return ""
        from tui.core.plan_view import plan_note

        return plan_note(days.in_force[index], plan)

    def routine_opened(self) -> None:
        """Another routine (or the same one, reloaded): its own sessions, its own choices."""
        self.adjusted.clear()
        self._starts = None
        self.app.show_progress("")
        self.read_days()

    def plan_lines(self, entries: Sequence[Entry]) -> list[str]:
        """The history screen's lines on this routine's plan, from every entry read."""
        from tui.core.schedule import schedule_of
        from tui.store.history.report import RoutinePlan, plan_lines
        from tui.store.history.stats import plan_starts

        routine = self.base
        self._starts = plan_starts(entries, routine.id)
        schedule = schedule_of(with_settings(routine, self.config))
        plan = RoutinePlan(routine.id, routine.name, schedule.plan)
        return plan_lines(plan, entries, self.app.wall_now().date(), weeks=4)

    def keep_place(self) -> None:
        """Save where a running session is, before it is stopped (quit, signal)."""
        engine = self.app.engine
        if self.store is None or not engine.running:
            return
        self._notify_error(self.store.keep_place(self.app.routine, engine.position()))

    def on_unmount(self) -> None:
        if self.app.engine.running:
            self.keep_place()
            self.app.engine.stop()
        self.flush()
        if self.store is not None:
            self.store.retry()
            self._keep_copies(self.store)

    # -- leaving with data the disk refused (issue 14) ----------------------------------------

    last_words: tuple[str, ...] = ()
    """Said after the screen is restored: each file that could not be saved and where its copy
    went (tui.cli prints them)."""
    last_data = ""
    """Data no folder took, as TOML, for standard output after the screen is restored."""
    unsaved_at_end = False
    """Something could not be saved where it belongs (the exit status says so: 1)."""

    def leave(self) -> None:
        """Quit (q, Ctrl+Q, Ctrl+C, the quit dialog's yes), trying once more to save what waits;
        when the disk still refuses, say what and ask: stay, or quit and keep a copy."""
        from tui.ui.screens.unsaved import UnsavedScreen

        app = self.app
        if isinstance(app.screen, UnsavedScreen):
            self.quit_keeping_copies()  # asked already: quitting again is the answer
            return
        self.flush()
        store = self.store
        if store is not None and store.waiting:
            store.retry()
        if store is None or not store.waiting:
            app.exit()  # a settings file moved aside just now is told in the last words
            return
        self._settings_saved()
        from tui.store.rescue import unsaved_words

        app.push_screen(
            UnsavedScreen(unsaved_words(store.held()), self.quit_keeping_copies), self._stayed
        )

    def _stayed(self, _answer: bool | None) -> None:
        from tui.ui.screens.quit_confirm import QuitConfirm

        app = self.app
        if isinstance(app.screen, QuitConfirm):
            app.screen.close(False)  # staying answers that question too
        paused = " The routine is paused: Space carries on." if app.engine.running else ""
        app.notify(
            f"Still waiting for the disk: tried again every 30 s, and when you quit.{paused}",
            timeout=6,
            markup=False,
        )

    def quit_keeping_copies(self) -> None:
        """Quit with data still waiting: the copies are written as the app ends (on_unmount)."""
        self.app.exit()

    def _keep_copies(self, store: SessionStore) -> None:
        """Copy what is still waiting to a folder that takes it, and note what to say at the end.

        Signals (a dropped connection, kill) come here too: they cannot ask, so the copy is
        all there is."""
        moved = self._settings_writer.told()
        words = [
            f"unknot: your settings file could not be read: {why}. It is kept as {tilde(kept)}."
            for kept, why in moved
        ]
        if store.waiting:
            from tui.store.rescue import final_words, keep_copies, printed

            self.unsaved_at_end = True
            kept = keep_copies(store.held())
            words += final_words(kept)
            if self._served:
                # served, standard output is the browser's channel: the words (on standard
                # error) reach the terminal running `unknot serve`, so the data goes with them
                words += printed(kept).splitlines()
            else:
                self.last_data = printed(kept)
        self.last_words = tuple(words)

    def _notify_error(self, message: str | None) -> None:
        if message is not None:
            self.app.notify(message, severity="warning", timeout=10, markup=False)

    # -- screens ------------------------------------------------------------------------------

    def show_history(self) -> None:
        """Open the history screen; it fills in when the reading (in a thread) is done.

        With no index the reading takes a second or more, so the screen opens at once and says
        it is reading. With an index it takes a moment: the screen waits up to HISTORY_GRACE
        for it and opens filled in, drawn once (every drawing of a dialog costs about as much
        as that reading), or says it is reading if that was not enough.
        """
        # loaded here, not at the top: none of it is needed before the first frame
        from tui.store.history.index import index_path, month_files
        from tui.store.history.month import history_dir
        from tui.ui.screens.history import HistoryScreen

        app = self.app
        if isinstance(app.screen, HistoryScreen) or self._history_waiting is not None:
            return
        folder = self._history_folder() or history_dir()
        months = len(month_files(folder))
        reading = f"Reading {months} month{'' if months == 1 else 's'} of history…"
        screen = HistoryScreen(self._today(), reading if months else "Reading…")
        if index_path(folder).exists():
            self._history_waiting = screen
            app.held_keys.hold()  # keys typed after h are for the screen about to open
            self._read_history()
            app.set_timer(HISTORY_GRACE, self._open_waiting_history)
        else:
            app.push_screen(screen)
            # once the screen is drawn: a reading thread started now would hold it back (GIL)
            app.call_after_refresh(self._read_history)

    def _open_waiting_history(self) -> None:
        screen, self._history_waiting = self._history_waiting, None
        if screen is not None:
            self.app.push_screen(screen)
            self.app.held_keys.release()

    def _history_folder(self) -> Path | None:
        return self.store.recorder.folder if self.store is not None else None

    def _read_history(self) -> None:
        """Read the history in a thread worker; one reading at a time.

        Opening the screen again while a reading is under way waits for that reading, so two
        never race on the index. Years of history with no index take a second or more.
        """
        if self._history_reader is not None and self._history_reader.is_running:
            return
        from tui.store.history.index import load_entries
        from tui.store.history.stats import HistoryRead, compute_stats

        store = self.store
        folder = self._history_folder()
        unsaved = store.recorder.unsaved if store is not None else ()
        today = self._today()
        recorded = self._recorded

        def read() -> HistoryRead:
            load = load_entries(folder, unsaved=unsaved)
            return HistoryRead(load, compute_stats(load.entries, today), recorded)

        self._history_reader = self.app.run_worker(
            read, name="unknot-history", group="unknot-history", thread=True
        )

    def on_worker_done(self, worker: Worker[object]) -> None:
        """A worker finished: when it read the history, show it on the history screen."""
        if worker is not self._history_reader:
            return  # another worker (reading the routine files): no history module to load
        from tui.store.history.stats import HistoryRead
        from tui.ui.screens.history import HistoryScreen

        result = worker.result
        if not isinstance(result, HistoryRead):
            return
        self._history_reader = None
        app = self.app
        for notice in result.load.notices:
            app.notify(notice, severity="warning", timeout=10, markup=False)
        plan = self.plan_lines(result.load.entries)  # and the starts the plan counts from
        self.apply_progression()
        self.show_days()
        waiting = [s for s in app.screen_stack if isinstance(s, HistoryScreen) and s.load is None]
        if self._history_waiting is not None:
            waiting.append(self._history_waiting)
        if not waiting:
            return
        if result.recorded != self._recorded:
            self._read_history()  # a session was recorded meanwhile: read again, with it
            return
        for screen in waiting:
            screen.fill(result.load, result.stats, plan)
        self._open_waiting_history()

    def show_settings(self) -> None:
        from tui.ui.screens.settings import SettingsScreen

        app = self.app
        if isinstance(app.screen, SettingsScreen):
            return
        ids = [r.id for r in app.routines]
        app.push_screen(SettingsScreen(self.config, ids, self.change_settings))

    def change_settings(self, config: Config) -> None:
        """Apply and save a changed setting (timings apply from the next routine opened).

        Only the settings changed here are written into the file, the rest of it kept as the
        person wrote it; a file that could not be read is moved aside first (issue 14)."""
        app = self.app
        self._changed_settings |= {
            key for key in CONFIG_KEYS if getattr(config, key) != getattr(self.config, key)
        }
        self.config = config
        app.cues.bell_enabled = config.bell
        app.cues.notify_enabled = config.notify
        if config.theme in app.available_themes:
            app.theme = config.theme
        app.set_figure_characters(config.figure_characters)
        store = self.store
        data = config_toml(config).encode("utf-8")
        if store is None:
            return
        using = partial(self._settings_writer.write, config, frozenset(self._changed_settings))
        error = store.pending.write(config_path(), data, what=CONFIG_WHAT, using=using)
        if error is not None:
            app.notify(
                f"{error.message}. The change applies now and is saved when the disk allows.",
                severity="warning",
                timeout=10,
                markup=False,
            )
        self._settings_saved()
        app.show_status()
        self.show_days()  # a plan of the person's own counts at once

    def _settings_saved(self) -> None:
        """Tell where an unreadable settings file went, and name the saved file's problems."""
        moved = self._settings_writer.told()
        told = [kept for kept, _why in moved if self._told_at_start(kept)]
        if moved or self.config_problems:
            self._recheck_settings()  # first: the start-up notice may go, and leave its room
        for kept, why in moved:
            if kept in told:  # and listed under !: say only what became of it
                words = f"The settings file with problems is kept as {tilde(kept)}"
            else:
                words = f"Your settings file could not be read: {why}. It is kept as {tilde(kept)}"
            self.app.notify(
                f"{words}; a new one holds the settings shown here.",
                title="Settings",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def _recheck_settings(self) -> None:
        """The settings file's problems as it is now (a change may have fixed or moved it)."""
        store = self.store
        if store is not None and config_path() in store.pending.waiting:
            return  # not written yet: the file still has the problems it had
        app = self.app
        routine_problems = app.problems[len(self.config_problems) :]
        self.config_problems = tuple(str(p) for p in load_config().problems)
        app.problems = self.all_problems(routine_problems)
        if not self.config_problems:
            app.withdraw_notice(CONFIG_NOTICE)  # it would send the person to an empty list

    def _told_at_start(self, kept: Path) -> bool:
        """Whether every problem of a settings file moved aside is one the person was told of:
        the file is the one read at start, unchanged since."""
        from dataclasses import replace

        from tui.core.problems import shown_path

        shown = shown_path(config_path())
        found = {str(replace(problem, path=shown)) for problem in load_config(kept).problems}
        return bool(found) and found <= set(self.config_problems)

    def ask_save(self) -> None:
        from tui.ui.screens.save_routine import SaveRoutineScreen

        app = self.app
        if not isinstance(app.screen, SaveRoutineScreen):
            app.push_screen(SaveRoutineScreen(self.base.id), self.save_as)

    def save_as(self, routine_id: str | None) -> None:
        """Save the base routine with the adjusted plan under `routine_id`; first ask when a
        file of the person's would be replaced (issue 14)."""
        if not routine_id:
            return
        from tui.routine_files.writer import in_the_way

        try:
            there = in_the_way(self.base, routine_id)
        except ValueError as error:
            self.app.notify(f"Could not save it: {error}", severity="warning", markup=False)
            return
        if there is None:
            self._save(routine_id, replace=False)
            return
        from tui.core.problems import shown_path
        from tui.ui.screens.replace_routine import ReplaceRoutineScreen

        def answered(replace: bool | None) -> None:
            if replace:
                self._save(routine_id, replace=True)
            else:
                self.app.notify("Nothing was saved.", timeout=4, markup=False)

        screen = ReplaceRoutineScreen(
            shown_path(tilde(there.path)), there.routine_name, there.problem
        )
        self.app.push_screen(screen, answered)

    def _save(self, routine_id: str, *, replace: bool) -> None:
        from tui.core.plan_view import Days, saved_plan
        from tui.routine_files.writer import save_user_routine

        app = self.app
        overrides = routine_id == self.base.id and self.base.source == "built-in"
        # before the history is read, nothing has grown: week 1
        days = self.days() or Days.of(with_settings(self.base, self.config), (), app.wall_now())
        plan, chosen = saved_plan(days.in_force, app.engine.snapshot.plan, self.adjusted)
        try:
            saved = save_user_routine(self.base, plan, routine_id, overwrite=replace, chosen=chosen)
        except FileExistsError:
            message = f"A routine {routine_id} appeared meanwhile: nothing was saved."
        except (ValueError, RoutineError) as error:
            message = f"Could not save it: {error}"
        except SaveError as error:
            message = f"{error.message}. Nothing was changed; try again when the disk allows."
        else:
            note = "it now opens instead of the built-in" if overrides else "it is in your routines"
            if saved.kept is not None:
                note += f"; the file it replaced is kept as {saved.kept.name}"
            app.notify(f"Saved as {saved.path.name}: {note}.", timeout=8, markup=False)
            self.reload_now()
            return
        app.notify(message, severity="warning", timeout=10, markup=False)

    def reset_to_builtin(self) -> None:
        from tui.routine_files.writer import remove_user_override

        app = self.app
        try:
            removed = remove_user_override(self.base.id)
        except (OSError, ValueError) as error:
            app.notify(f"Could not remove your copy: {error}", severity="warning", markup=False)
            return
        if removed is None:
            app.notify("There is no copy of your own of this routine.", timeout=4, markup=False)
            return
        app.notify(f"Removed your copy ({removed.name}).", timeout=6, markup=False)
        self.reload_now()

    # -- the timer: files changed on disk, writes waiting -------------------------------------

    def on_tick(self) -> None:
        self._since_retry += self.watch_delay
        days = self.days()
        if days is not None:
            self.app.show_progress(days.today())  # past midnight: a new day
        if self._watcher is not None:
            self._check_files(self._watcher)
        if self._since_retry >= RETRY_SECONDS:
            self._since_retry = 0.0
            if self.store is not None and self.store.waiting:
                for message in self.store.retry():
                    self.app.notify(message, timeout=6, markup=False)
                self._settings_saved()
        self._apply_pending_routine()
        self._watch_again()

    def _watch_again(self) -> None:
        """Set the next tick (one at a time): soon when no session runs, later while one runs
        or is paused."""
        if self._watch_timer is not None:
            self._watch_timer.stop()
        self.watch_delay = WATCH_SESSION_SECONDS if self.app.engine.running else WATCH_SECONDS
        self._watch_timer = self.app.set_timer(
            self.watch_delay, self._watch_due, name="unknot-watch"
        )

    def _watch_due(self) -> None:
        self._watch_timer = None  # it has fired: nothing to stop
        self.on_tick()

    catalog_later = False
    """Only the routine to start was read before the first frame; the rest comes after it."""

    _reading = False
    """A thread is stat-ing or reading the routine files (one at a time)."""
    _readings = 0
    """Catalogs shown so far: a thread's result is dropped when a newer one was shown."""

    def _load_catalog(self) -> None:
        """Read every routine file off the UI thread, then show the full list and problems."""
        reload = self._reload
        if reload is None:
            return
        paths = self._watched()

        def read() -> tuple[Watcher, Catalog]:
            watcher = Watcher(paths)  # first: a change while reading is seen at the next tick
            catalog = reload()
            self._drop_gone_places(catalog)  # the catalog read whole, once a start
            return watcher, catalog

        self._read_in_thread(read)

    def _drop_gone_places_later(self) -> None:
        """The places of routines gone for a week go, off the UI thread (the catalog was read
        before the first frame; read again here, from the cache)."""
        reload = self._reload
        if self.store is None or reload is None:
            return
        self.app.run_worker(
            lambda: self._drop_gone_places(reload()),
            name="unknot-places",
            group="unknot-places",
            thread=True,
            exit_on_error=False,
        )

    def _drop_gone_places(self, catalog: Catalog) -> None:
        """Drop the places whose routine has been gone for a week (tui/store/stale_places.py);
        runs in a thread. Nothing to tell: each was a place no routine could offer any more."""
        if self.store is None:
            return
        from tui.store.stale_places import drop_gone_places

        now = self.app.wall_now()
        with contextlib.suppress(OSError):  # the places stay as they are; the next start looks
            drop_gone_places(self.store.places, catalog.known(), now=now)

    def _check_files(self, watcher: Watcher) -> None:
        """Stat the routine files off the UI thread (a thousand of them take milliseconds);
        read them all again there when any changed."""
        reload = self._reload
        if reload is None:
            return

        def read() -> tuple[Watcher, Catalog] | None:
            # changed() keeps the stamp it took before the reading, as _load_catalog does
            return (watcher, reload()) if watcher.changed() else None

        self._read_in_thread(read)

    def _read_in_thread(self, read: Callable[[], tuple[Watcher, Catalog] | None]) -> None:
        if self._reading:
            return  # the next tick looks again
        self._reading = True
        readings = self._readings

        async def run() -> None:
            try:
                found = await asyncio.to_thread(read)
            finally:
                self._reading = False
            if found is not None and readings == self._readings:
                self._watcher, catalog = found
                self.apply_catalog(catalog)

        # the function, not a coroutine made now: a worker cancelled before it starts (the
        # app ending in its first moments) leaves no unawaited coroutine for Python to report;
        # the cast because mypy cannot pick the result type out of textual's WorkType union
        self.app.run_worker(
            cast("WorkType[None]", run), name="unknot-catalog", group="unknot-catalog"
        )

    def reload_now(self) -> None:
        """Read the routine files again at once (after a save): new list, new problems; the
        open routine when idle."""
        if self._reload is None:
            return
        watcher = Watcher(self._watched())  # first, as in _load_catalog
        catalog = self._reload()
        self._watcher = watcher
        self.apply_catalog(catalog)

    def apply_catalog(self, catalog: Catalog) -> None:
        """Show a freshly read catalog: new list, new problems; the open routine when idle."""
        app = self.app
        self._readings += 1
        problems = [str(p) for p in catalog.problems]
        shown = set(app.problems)
        new = zip(catalog.problems, problems, strict=True)
        new_files = {problem.path for problem, text in new if text not in shown}
        app.routines = tuple(catalog.ordered()) or (self.base,)
        app.problems = self.all_problems(problems)
        self._latest = catalog.get(self.base.id)
        if new_files:
            from tui.ui.screens.problems import ProblemsScreen

            app.tell_problems(len(new_files))  # files, not problems: one file may have many
            if isinstance(app.screen, ProblemsScreen):
                app.pop_screen()
                app.push_screen(ProblemsScreen(app.problems))
        app.show_status()
        self._apply_pending_routine()

    _latest: Routine | None = None

    def _apply_pending_routine(self) -> None:
        """Open the reloaded routine once nothing runs (a session keeps its plan to the end)."""
        latest = self._latest
        app = self.app
        if latest is None or app.engine.running or self._ended is not None:
            return
        self._latest = None
        if latest == self.base and latest.source == self.base.source:
            self.base = latest
            return
        self.base = latest
        app.open_routine(self.prepared(latest))
        app.notify("The routine file changed: reloaded.", timeout=4, markup=False)
