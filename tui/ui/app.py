"""The full-screen app: a thin view on the engine, driven from the keyboard alone.

The engine owns time and state; the app forwards keys to its controls and redraws from the
snapshots it publishes (once a second while a phase counts down, and on every control).
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.driver import Driver
from textual.events import Resize
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import Screen
from textual.widgets import OptionList
from textual.worker import Worker, WorkerState

from tui.core.engine import Engine, Event, Snapshot
from tui.core.model import Routine, Side, StretchPlan, format_duration, routine_seconds
from tui.core.steps import Phase
from tui.routine_files.catalog import Catalog
from tui.store.config import Config
from tui.store.sessions import SessionStore
from tui.terminal.cues import (
    TerminalCues,
    cue_for_change,
    driver_writer,
    notification_for,
    title_for,
)
from tui.terminal.exits import install_exit_signals
from tui.terminal.job_control import StoppableClock, install_job_control
from tui.ui.held_keys import HeldKeys, as_typed
from tui.ui.literal import clean, literal
from tui.ui.notices import Notices
from tui.ui.persistence import Memory
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.keys_footer import KeysFooter
from tui.ui.widgets.routine_heading import RoutineHeading
from tui.ui.widgets.stretch_detail import StretchDetail
from tui.ui.widgets.stretch_list import StretchList
from tui.ui.widgets.timer import TimerPanel

if TYPE_CHECKING:
    from tui.core.position import Position
    from tui.core.summary import Summary
    from tui.ui.commands import PaletteHost

COMPACT_BELOW = 60
"""Below this many columns the timer comes first and the stretch list hides behind `l`."""
SHORT_BELOW = 18
"""Below this many rows the detail pane gives its room to the timer."""
WIDE_FROM = 100
"""From this many columns the timer's column takes half the width, for bigger numerals."""

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
Wall = Callable[[], datetime]


def _commands() -> type[Provider]:
    """unknot's palette provider, imported when the palette first opens (start-up time)."""
    from tui.ui.commands import UnknotCommands

    return UnknotCommands


def runs(snapshot: Snapshot) -> bool:
    """A session is under way (paused or not): started, and not yet done or stopped."""
    return snapshot.phase not in (Phase.IDLE, Phase.DONE, Phase.STOPPED)


def hold_step(seconds: int) -> int:
    """How much + and - change a hold: a second for short holds, five for long ones."""
    return 1 if seconds < 20 else 5


class UnknotApp(App[int]):
    """Sidebar of stretches, detail pane and big timer for one routine at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "unknot"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {_commands}
    """Only unknot's own commands: Textual's system ones would quit without asking."""
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "space", "Start/Pause", id="run.space"),
        Binding("question_mark", "help", "Help", id="view.help"),
        Binding("l", "toggle_list", "List", id="view.list"),
        Binding("n", "next", "Next", id="run.next"),
        Binding("p", "previous", "Back", id="run.back"),
        Binding("r", "restart", "Restart", id="run.restart"),
        Binding("enter", "start_selected", "Go to stretch", show=False, id="run.go"),
        Binding("down,j", "move(1)", "Next stretch", show=False, id="list.next"),
        Binding("up,k", "move(-1)", "Previous stretch", show=False, id="list.previous"),
        Binding("plus", "hold(1)", "Longer hold", show=False, id="plan.hold-up"),
        Binding("minus", "hold(-1)", "Shorter hold", show=False, id="plan.hold-down"),
        Binding("right_square_bracket", "reps(1)", "More reps", show=False, id="plan.reps-up"),
        Binding("left_square_bracket", "reps(-1)", "Fewer reps", show=False, id="plan.reps-down"),
        Binding("pagedown", "scroll_words(1)", "Scroll words", show=False, id="view.words-down"),
        Binding("pageup", "scroll_words(-1)", "Scroll words", show=False, id="view.words-up"),
        Binding("m", "mute", "Mute", id="cues.mute"),
        Binding("o", "pick_routine", "Routines", show=False, id="view.routines"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="view.problems"),
        Binding("i", "notices", "Notices", show=False, id="view.notices"),
        Binding("h", "history", "History", show=False, id="view.history"),
        Binding("s", "save_routine", "Save", show=False, id="plan.save"),
        Binding("comma", "settings", "Settings", show=False, id="view.settings"),
        Binding("q", "request_quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True, id="app.quit-q"),
        Binding("ctrl+c", "request_quit", "Quit", show=False, priority=True, id="app.quit-c"),
        Binding("ctrl+p", "command_palette", "Palette", show=False, id="app.palette"),
        Binding(
            "ctrl+z", "suspend_process", "Suspend", show=False, priority=True, id="app.suspend"
        ),
    ]

    def __init__(
        self,
        routine: Routine,
        *,
        routines: Sequence[Routine] = (),
        problems: Sequence[str] = (),
        plan: Sequence[StretchPlan] | None = None,
        bell: bool = True,
        notify: bool = False,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        wall: Wall | None = None,
        cues: TerminalCues | None = None,
        speech: Callable[[Snapshot, Sequence[Event]], None] | None = None,
        store: SessionStore | None = None,
        config: Config | None = None,
        config_problems: Sequence[str] = (),
        reload: Callable[[], Catalog] | None = None,
        catalog_later: bool = False,
    ) -> None:
        super().__init__()
        self.notices = Notices(self, lambda: self.wall_now())
        self.routine = routine
        self.routines: tuple[Routine, ...] = tuple(routines) or (routine,)
        self.memory = Memory(self, store, config or Config(), config_problems, reload)
        self.memory.catalog_later = catalog_later and reload is not None
        """`routines` holds only the routine to start: `reload` reads the rest after the first
        frame (with a thousand routine files, reading them all would delay it by a second)."""
        """History, pain scores, resume, settings (issue 6); inert without a store."""
        routine = self.memory.prepared(routine)
        self._speech = speech
        """Spoken cues (tui.terminal.speech.speech_listener), when --speak or the setting asks
        for them."""
        self.routine = routine
        self.problems = self.memory.all_problems([str(p) for p in problems])
        self._clock = StoppableClock(clock)
        """The engines' clock: it stands still while the process is stopped (Ctrl+Z)."""
        self._sleep = sleep
        self._wall = wall
        self.cues = cues or TerminalCues(
            driver_writer(self), bell_enabled=bell, notify_enabled=notify
        )
        self.engine = self._new_engine(routine, plan)
        self.summary: Summary | None = None
        self._last: Snapshot = self.engine.snapshot
        self._unsubscribe: Callable[[], None] = self.engine.subscribe(self._on_engine)
        self._remove_signals: Callable[[], None] = lambda: None
        self._remove_job_control: Callable[[], None] = lambda: None
        self._seen_counting: float | None = None
        """When the engine last published a counting, unpaused state (about once a second)."""
        self._engine_task: asyncio.Task[Summary] | None = None
        self._signalled: int | None = None
        self._gc_paused = False
        self.held_keys = HeldKeys(self)
        """Keys wait here while the one before is under way, and at the start until the app
        knows its first screen (Memory holds them for the resume offer)."""

    # -- building -----------------------------------------------------------------------------

    def _new_engine(self, routine: Routine, plan: Sequence[StretchPlan] | None) -> Engine:
        return Engine(routine, plan, **self._engine_times())  # type: ignore[arg-type]

    def _engine_times(self) -> dict[str, object]:
        """The clock, sleep and wall-clock every engine of this app is made with."""
        kwargs: dict[str, object] = {"clock": self._clock, "sleep": self._sleep}
        if self._wall is not None:
            kwargs["wall"] = self._wall
        return kwargs

    def wall_now(self) -> datetime:
        """Now, on the wall clock sessions are recorded by (tests give theirs)."""
        return self._wall() if self._wall is not None else datetime.now().astimezone()

    def use_plan(self, plan: Sequence[StretchPlan]) -> None:
        """Begin from `plan` (this week's holds and reps, issue 17); only before a session."""
        if self.engine.snapshot.phase != Phase.IDLE:
            return
        self._unsubscribe()
        self.engine = self._new_engine(self.routine, plan)
        self._last = self.engine.snapshot
        self._unsubscribe = self.engine.subscribe(self._on_engine)
        self._engine_task = None
        self._show(self.engine.snapshot, force=True)

    def resume_at(self, position: Position) -> None:
        """Carry on a saved session from `position`, paused, in place of the current engine,
        which has not started."""
        engine = Engine.resume_from(self.routine, position, **self._engine_times())  # type: ignore[arg-type]
        self._unsubscribe()
        self.engine = engine
        self._last = engine.snapshot
        self._unsubscribe = engine.subscribe(self._on_engine)
        self._engine_task = None
        self._ensure_running()
        self._show(engine.snapshot, force=True)
        self._show_selected()
        self.refresh_bindings()  # a session under way: n, p and r are shown again

    def get_driver_class(self) -> type[Driver]:
        chosen = super().get_driver_class()
        if (chosen.__module__, chosen.__name__) == ("textual.drivers.web_driver", "WebDriver"):
            # under textual-serve: a driver that also ends the app when the server goes away
            from tui.ui.served_driver import ServedDriver

            return ServedDriver
        # in a terminal: an input thread that sleeps until a key comes (issue 7)
        from tui.ui.quiet_driver import driver_class_for  # with the driver Textual loads anyway

        return driver_class_for(chosen)

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        # the app keeps its own references: queries fail while a dialog is on top or the
        # screen is being torn down, and the engine's listener may run at either moment
        self.heading = RoutineHeading(self._heading(), id="heading")
        self.stretch_list = StretchList(self.routine, id="stretches")
        self.timer = TimerPanel(id="timer")
        self.detail = StretchDetail(id="detail")
        self.footer = KeysFooter()
        self.notices.keep_clear_of(self.timer)
        yield self.heading
        with Horizontal(id="main"):
            with Vertical(id="side"):
                yield self.stretch_list
                yield self.timer
            yield self.detail
        yield self.footer

    def _heading(self) -> Content:
        total = format_duration(routine_seconds(self.routine, self.engine.snapshot.plan))
        return Content.assemble(literal(self.routine.name), f" · {total}")

    def run(self, *args: Any, **kwargs: Any) -> int | None:
        """Run the app; the garbage collector rests until the first frame is drawn.

        Start-up makes tens of thousands of objects that live as long as the app (widgets,
        styles, the routine): collecting while they are made finds nothing and cost about 2 %
        of the start (callgrind). After the first frame they are frozen out of later
        collections, which then only look at what the running app makes.
        """
        self._gc_paused = gc.isenabled()
        gc.disable()
        try:
            return super().run(*args, **kwargs)
        finally:
            self._resume_gc()

    def _resume_gc(self) -> None:
        if self._gc_paused:
            self._gc_paused = False
            gc.freeze()
            gc.enable()

    def on_mount(self) -> None:
        self.call_after_refresh(self._resume_gc)
        self._remove_signals = install_exit_signals(
            asyncio.get_running_loop(), self._on_signal, app=self
        )
        if self._driver is not None and self._driver.can_suspend and not self.is_headless:
            self._remove_job_control = install_job_control(
                asyncio.get_running_loop(),
                self._clock.stop,
                self._continued,
                getattr(self._driver, "fileno", None),
            )
        self._layout_for(self.size.width, self.size.height)
        self.set_figure_characters(self.memory.config.figure_characters)
        self.stretch_list.focus()
        self._show(self.engine.snapshot, force=True)
        self._show_selected()
        self._show_status()
        if self.problems and len(self.problems) > len(self.memory.config_problems):
            self.call_after_refresh(self._tell_problems)
        self.memory.on_mount()

    def set_figure_characters(self, characters: str) -> None:
        """Draw figures in braille dots or half blocks, as the settings say."""
        self.detail.figure.set_mode(characters)

    def tell_problems(self, count: int) -> None:
        self._tell_problems(count)

    def _tell_problems(self, count: int | None = None) -> None:
        count = count or len(self.problems) - len(self.memory.config_problems)
        noun = "file has a problem" if count == 1 else "files have problems"
        self.notify(
            f"{count} routine {noun}: press ! to see them. The others work.",
            title="Routine files",
            severity="warning",
            timeout=8,
            markup=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS:
            self.memory.on_worker_done(event.worker)

    def on_unmount(self) -> None:
        self.memory.on_unmount()
        if self._engine_task is not None and not self._engine_task.done():
            self._engine_task.cancel()
        self._remove_signals()
        self._remove_job_control()
        self._unsubscribe()
        self.cues.close()

    # -- layout -------------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._layout_for(event.size.width, event.size.height)
        # the numerals size themselves from the window, but Textual keeps a widget's measured
        # height until the widget itself changes size: a window that shrank would keep numerals
        # sized for the taller one, pushing the rows under them off the screen
        self.timer.digits.refresh(layout=True)

    def _layout_for(self, width: int, height: int) -> None:
        compact = width < COMPACT_BELOW
        if compact != self.has_class("-compact"):
            self.refresh_bindings()
        self.set_class(compact, "-compact")
        self.set_class(height < SHORT_BELOW, "-short")
        self.set_class(width >= WIDE_FROM, "-wide")
        self.footer.show_command_palette = not compact

    MAIN_SCREEN_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"space", "start_selected", "next", "previous", "restart", "move", "hold", "reps"}
        | {"history", "settings", "save_routine"}
    )
    """Actions that act on the routine: only from the main screen, never under a dialog."""
    RUNNING_ACTIONS: ClassVar[frozenset[str]] = frozenset({"next", "previous", "restart"})
    """Actions that move within a session: nothing to do (so not shown) before or after one."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not self.held_keys.take(event):
                return  # held: handled later, in turn
            await super().on_event(as_typed(event))
            self.held_keys.handled()
            return
        await super().on_event(event)

    async def _check_bindings(self, key: str, priority: bool = False) -> bool:
        # textual 8.2.8 reads self.screen here, which raises once shutdown has emptied the
        # screen stack; keys still queued at that moment must be dropped, not crash the exit
        if not self.screen_stack:
            return False
        return await super()._check_bindings(key, priority)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_list":
            return self.has_class("-compact")  # the list is always there in wide windows
        if action in self.RUNNING_ACTIONS and not self.engine.running:
            return False
        return not (action in self.MAIN_SCREEN_ACTIONS and len(self.screen_stack) > 1)

    # -- engine -> view -----------------------------------------------------------------------

    def _on_engine(self, snapshot: Snapshot, events: Sequence[Event]) -> None:
        """Engine listener (same event loop): cues first, then the widgets that changed."""
        old, self._last = self._last, snapshot
        if runs(old) != runs(snapshot) and self.screen_stack:  # (none left at unmount)
            self.refresh_bindings()  # n, p and r are shown only while a session runs
        counting = snapshot.phase not in (Phase.IDLE, Phase.DONE, Phase.STOPPED)
        self._seen_counting = self._clock() if counting and not snapshot.paused else None
        self.memory.on_engine(old, snapshot, self.engine)
        pattern = cue_for_change(old, snapshot)
        if pattern is not None:
            self.cues.bell(pattern)
        notice = notification_for(old, snapshot)
        if notice is not None:
            self.cues.notify(*notice)
        if self._speech is not None:
            self._speech(snapshot, events)
        self._show(snapshot)

    def _show(self, snapshot: Snapshot, *, force: bool = False) -> None:
        if not self.is_running and not force:
            return
        timer, stretches = self.timer, self.stretch_list
        timer.show(snapshot)
        stretches.set_states(snapshot.stretch_states)
        if snapshot.stretch_index != self._shown_index and snapshot.phase != Phase.IDLE:
            self._shown_index = snapshot.stretch_index
            stretches.select_index(snapshot.stretch_index)
        if snapshot.plan != self._shown_plan or snapshot.side != self._shown_side:
            self._shown_plan, self._shown_side = snapshot.plan, snapshot.side
            self._show_selected(snapshot)
            self.heading.update(self._heading())
        else:
            self._show_figure()
        if snapshot.phase == Phase.IDLE or snapshot.phase in (Phase.DONE, Phase.STOPPED):
            self.cues.set_title(title_for(snapshot) if snapshot.phase != Phase.IDLE else "unknot")
        else:
            self.cues.set_title(title_for(snapshot))

    _shown_index = -1
    _shown_plan: tuple[StretchPlan, ...] = ()
    _shown_side: Side | None = None

    def show_selected(self) -> None:
        self._show_selected()

    def show_progress(self, words: str) -> None:
        """Today against the routine's plan, in the heading ("today 1 of 2")."""
        self.heading.update(progress=words)

    def _show_selected(self, snapshot: Snapshot | None = None) -> None:
        index = self.selected
        if index is None:
            return
        snapshot = snapshot or self.engine.snapshot
        plan = snapshot.plan
        note = self.memory.plan_note(index, plan[index])
        # the side being done when it is this stretch's turn; otherwise its first side
        side = snapshot.side if index == snapshot.stretch_index else None
        self.detail.show(self.routine.stretches[index], plan[index], note, side)
        self._show_figure()

    def _show_figure(self) -> None:
        """The selected stretch's figure: moving with the routine when it is the stretch under
        way, else at its start position."""
        index = self.selected
        stretch = self.routine.stretches[index] if index is not None else None
        snapshot = self.engine.snapshot
        if runs(snapshot) and index == snapshot.stretch_index:
            self.detail.figure.follow(stretch, snapshot, self.engine.phase_elapsed)
        else:
            self.detail.figure.follow(stretch)

    def show_status(self) -> None:
        self._show_status()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notice, or hold it while it would cover a dialog (tui.ui.notices)."""
        timeout = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        self.notices.say(Notification(message, title, severity, timeout, markup))

    def on_notify(self, event: Notify) -> None:
        self.notices.arrived(event)  # before Textual's own handler, which it may stop

    def withdraw_notice(self, message: str) -> None:
        """Take a notice down before its time: what it says is no longer so."""
        self.notices.withdraw(message)

    def _show_status(self) -> None:
        words = []
        if not self.cues.bell_enabled:
            words.append("bell off")
        elif self.cues.muted:
            words.append("muted")
        if self.problems:
            words.append(f"{len(self.problems)} problem(s): !")
        self.heading.update(status=" · ".join(words))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if isinstance(event.option_list, StretchList):
            self._show_selected()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, StretchList):
            event.stop()
            self.action_start_selected()

    @property
    def selected(self) -> int | None:
        """The index of the highlighted stretch in the sidebar."""
        return self.stretch_list.highlighted

    def _ensure_running(self) -> None:
        """Run the engine's timer loop as a task of this app, once per engine."""
        if self._engine_task is None or self._engine_task.done():
            self._engine_task = asyncio.create_task(self._drive(self.engine))

    async def _drive(self, engine: Engine) -> Summary:
        summary = await engine.run()
        if engine is self.engine and summary.finished and self.is_running:
            from tui.ui.screens.summary import SummaryScreen

            self.summary = summary
            self.push_screen(SummaryScreen(summary))
            self.memory.after_summary()
        return summary

    def _fresh_engine_if_finished(self) -> None:
        """After the end (or a stop), Space or Enter starts the routine again."""
        if self.engine.snapshot.phase in (Phase.DONE, Phase.STOPPED):
            plan = self.engine.snapshot.plan
            self._unsubscribe()
            self.engine = self._new_engine(self.routine, plan)
            self._last = self.engine.snapshot
            self._unsubscribe = self.engine.subscribe(self._on_engine)
            self._engine_task = None

    # -- actions ------------------------------------------------------------------------------

    def action_space(self) -> None:
        """Start from the selected stretch; say "ready" to a waiting stretch; pause or resume."""
        snapshot = self.engine.snapshot
        if snapshot.phase in (Phase.IDLE, Phase.DONE, Phase.STOPPED):
            self.action_start_selected()
        elif snapshot.waiting and not snapshot.paused:
            self.engine.ready()
        else:
            self.engine.toggle_pause()

    def action_start_selected(self) -> None:
        """Start the routine at the selected stretch, or go there now if it runs already."""
        index = self.selected or 0
        self._fresh_engine_if_finished()
        if self.engine.running:
            self.engine.jump(index)
        elif self.memory.before_start(self.action_start_selected):
            return  # the pain question first; its answer starts the routine
        else:
            self.memory.apply_progression()  # this week's holds and reps (a day may have passed)
            self.engine.start(index)
        self._ensure_running()
        self._show(self.engine.snapshot)

    def go_to_stretch(self, index: int) -> None:
        """Select stretch `index` and start (or continue) the routine there."""
        self.stretch_list.select_index(index)
        self.action_start_selected()

    def action_command_palette(self) -> None:
        from tui.ui.commands import Palette

        if self.use_command_palette and not Palette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette(id="--command-palette"))

    def action_next(self) -> None:
        self.engine.next()

    def action_previous(self) -> None:
        self.engine.previous()

    def action_restart(self) -> None:
        self.engine.restart_stretch()

    def action_move(self, step: int) -> None:
        stretches = self.stretch_list
        current = stretches.highlighted or 0
        stretches.select_index(current + step)

    def action_hold(self, direction: int) -> None:
        index = self.selected
        if index is None:
            return
        hold = self.engine.snapshot.plan[index].hold_seconds
        step = hold_step(hold if direction > 0 else hold - 1)
        new = self.engine.adjust(hold_seconds=hold + direction * step, stretch_index=index)
        self.memory.adjusted.add(index)  # the person's choice wins over the plan's progression
        self._after_adjust(new, index)

    def action_reps(self, direction: int) -> None:
        index = self.selected
        if index is None:
            return
        reps = self.engine.snapshot.plan[index].reps
        new = self.engine.adjust(reps=reps + direction, stretch_index=index)
        self.memory.adjusted.add(index)
        self._after_adjust(new, index)

    def _after_adjust(self, plan: StretchPlan, index: int) -> None:
        self._show(self.engine.snapshot)
        self._show_selected()
        self.heading.update(self._heading())
        name = clean(self.routine.stretches[index].name)
        self.notify(
            f"{name}: hold {plan.hold_seconds} s, {plan.reps} reps",
            timeout=2,
            markup=False,
        )

    def action_mute(self) -> None:
        muted = self.cues.toggle_mute()
        if not self.cues.bell_enabled:
            self.notify("The bell is off (--no-bell).", timeout=3, markup=False)
        else:
            self.notify("Bell muted" if muted else "Bell on", timeout=2, markup=False)
        self._show_status()

    def action_toggle_theme(self) -> None:
        """Light or dark: whichever the terminal's background makes readable."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_toggle_list(self) -> None:
        self.toggle_class("-show-list")

    def action_scroll_words(self, pages: int) -> None:
        """PgDn / PgUp: the stretch's words a page further or back, where the figure above
        them leaves too little room for all of them (at 80x24, the last steps and the tips)."""
        if pages > 0:
            self.detail.scroll_page_down(animate=False)
        else:
            self.detail.scroll_page_up(animate=False)

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.key_help(), self.help_notes()))

    def action_problems(self) -> None:
        from tui.ui.screens.problems import ProblemsScreen

        if not isinstance(self.screen, ProblemsScreen):
            self.push_screen(ProblemsScreen(self.problems))

    def action_notices(self) -> None:
        """The last notices again, the newest first: each goes by in seconds."""
        from tui.ui.screens.recent_notices import RecentNotices

        if not isinstance(self.screen, RecentNotices):
            self.push_screen(RecentNotices(self.notices.said))
            self.notices.all_read()  # they are all on this screen: none is told again after it

    def action_pick_routine(self) -> None:
        if len(self.routines) < 2:
            self.notify("This is the only routine.", timeout=3, markup=False)
            return
        from tui.ui.screens.routine_picker import RoutinePicker

        self.push_screen(RoutinePicker(self.routines, self.routine.id), self.switch_routine)

    def switch_routine(self, routine_id: str | None) -> None:
        """Open another routine; refused while one runs (stop it or let it finish first)."""
        chosen = next((r for r in self.routines if r.id == routine_id), None)
        if chosen is None or chosen.id == self.routine.id:
            return
        if self.engine.running:
            self.notify("A routine is running: finish it or quit first.", timeout=4, markup=False)
            return
        self.memory.base = chosen
        self.open_routine(self.memory.prepared(chosen))

    def open_routine(self, chosen: Routine) -> None:
        """Show `chosen` (idle) in place of the current routine."""
        self._unsubscribe()
        self.routine = chosen
        self.engine = self._new_engine(chosen, None)
        self._last = self.engine.snapshot
        self._unsubscribe = self.engine.subscribe(self._on_engine)
        self._engine_task = None
        self._shown_index = -1
        self._shown_plan = ()
        self.call_later(self.recompose)
        self.call_after_refresh(self._after_recompose)
        self.memory.routine_opened()

    def _after_recompose(self) -> None:
        self.notices.place()  # a notice on the row over the heading: the row was composed anew
        self.stretch_list.focus()
        self._show(self.engine.snapshot, force=True)
        self._show_selected()
        self._show_status()

    def action_request_quit(self) -> None:
        """Quit now, or ask first while a routine runs."""
        from tui.ui.screens.quit_confirm import QuitConfirm

        if isinstance(self.screen, QuitConfirm):
            # Ctrl+C or Ctrl+Q again at "Quit while the routine is running?": the surest yes
            # (this priority binding of the App's is what hears them, before the dialog does)
            self.screen.action_answer(True)
            return
        if self.engine.running:
            self.push_screen(QuitConfirm(), self._quit_answered)
        else:
            self.memory.leave()

    def _quit_answered(self, quit_: bool | None) -> None:
        if quit_:
            self.quit_now()

    def quit_now(self) -> None:
        """Keep the place and leave with status 0 (the quit dialog's yes); first asking, if the
        disk refused something (Memory.leave). The routine is paused, not stopped, until the app
        really ends (on_unmount stops it): a person who stays, asked about the disk, finds it
        where they left it."""
        if self.engine.running:
            self.memory.keep_place()
            if not self.engine.paused:
                self.engine.pause()
        self.memory.leave()

    def _on_signal(self, signum: int) -> None:
        """SIGTERM, SIGHUP, SIGINT: stop the engine and leave with 128 + the signal number."""
        self._signalled = signum
        if self.engine.running:
            self.memory.keep_place()
            self.engine.stop()
        self.exit(return_code=128 + signum)

    def action_suspend_process(self) -> None:
        """Ctrl+Z: back to the shell (`fg` returns, the routine paused), where there is one."""
        from tui.terminal.job_control import shell_can_continue

        if not shell_can_continue():
            self.notify(
                "No shell here to come back to: Ctrl+Z does nothing.", timeout=4, markup=False
            )
            return
        super().action_suspend_process()

    def _continued(self, terminal_taken: bool) -> None:
        """After SIGCONT (`fg`): a routine that was counting when the process was stopped is
        paused as of that moment, and the whole screen is drawn again (Textual, taking the
        screen back, redraws only the widgets that refresh by themselves).

        After a bare SIGSTOP no handler marked the moment: if a shell had the terminal
        meanwhile, the pause is dated the last time the routine was seen counting (see
        tui.terminal.job_control)."""
        if not self._clock.stopped and terminal_taken and self._seen_counting is not None:
            self._clock.stop(at=self._seen_counting)
        if self._clock.stopped:
            engine = self.engine
            if engine.running and not engine.paused and not engine.snapshot.waiting:
                engine.pause()  # reads the clock, which still stands at the stop
                self.notify(
                    "Paused while unknot was stopped. Space carries on.", timeout=6, markup=False
                )
            self._clock.go()
        self.refresh(layout=True)

    def action_history(self) -> None:
        self.memory.show_history()

    def action_settings(self) -> None:
        self.memory.show_settings()

    def action_save_routine(self) -> None:
        self.memory.ask_save()

    def action_reset_routine(self) -> None:
        """Remove the person's own copy of this routine, back to the built-in one."""
        self.memory.reset_to_builtin()

    # -- help ---------------------------------------------------------------------------------

    def key_help(self) -> list[tuple[str, str]]:
        """Every key of the main screen with what it does, for the help screen."""
        return [(keys, words) for keys, words, _ids in KEY_HELP]

    def help_notes(self) -> list[str]:
        return [
            "Keys act on the highlighted stretch; the list follows the routine.",
            "Spoken cues (--speak) are off by default: over SSH they would play far away.",
            "Escape / ? / q: close this help.",
        ]


KEY_HELP: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Space", "Start here · pause/resume · ready (when a stretch waits)", ("run.space",)),
    ("Enter", "Go to the selected stretch now", ("run.go",)),
    (
        "↑ ↓  j k",
        "Select a stretch in the list; PgDn PgUp scroll its words",
        ("list.next", "list.previous", "view.words-down", "view.words-up"),
    ),
    ("n", "Skip to the next phase", ("run.next",)),
    ("p", "Back to the start of this phase (or the one before)", ("run.back",)),
    ("r", "Restart the current stretch", ("run.restart",)),
    ("+ -", "Hold the selected stretch longer / shorter", ("plan.hold-up", "plan.hold-down")),
    ("] [", "One rep more / fewer for the selected stretch", ("plan.reps-up", "plan.reps-down")),
    ("m", "Mute or unmute the bell", ("cues.mute",)),
    ("l", "Show or hide the stretch list (narrow windows)", ("view.list",)),
    ("o", "Choose another routine", ("view.routines",)),
    (
        "! i",
        "Problems in routine and settings files / the last notices again",
        ("view.problems", "view.notices"),
    ),
    ("h", "History: streak, minutes per day, pain trend", ("view.history",)),
    ("s", "Save this routine, as adjusted, as your own copy", ("plan.save",)),
    (",", "Settings", ("view.settings",)),
    ("?", "This help", ("view.help",)),
    ("Ctrl+P", "Command palette: routines, stretches, actions", ("app.palette",)),
    ("Ctrl+Z", "Back to the shell, the routine paused; `fg` returns", ("app.suspend",)),
    (
        "q",
        "Quit; also Ctrl+Q, Ctrl+C (asks first while a routine runs)",
        ("app.quit", "app.quit-q", "app.quit-c"),
    ),
)
"""The help screen's rows: keys as a person types them, what they do, and the bindings they are."""

if TYPE_CHECKING:
    _PALETTE_HOST: type[PaletteHost] = UnknotApp  # the palette's provider reads the app as one
