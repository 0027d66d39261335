"""Plain line mode: a routine told one line at a time, for screen readers, braille displays,
TERM=dumb, serial consoles and logs.

Each line is written once and never redrawn: no cursor movement, no colour, no escape code of
any kind; the only control character ever written is the bell (BEL). Keys are read one at a
time when standard input is a terminal; otherwise the routine runs by itself, so
`unknot run --plain tiny | tee log` works. The engine drives the time, exactly as in the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from tui.core.engine import Engine, Event, Snapshot
from tui.core.model import Routine, Side, StretchPlan, routine_seconds
from tui.core.side_text import on_side, switch_words
from tui.core.steps import Phase
from tui.core.textclean import clean_line
from tui.terminal.cues import (
    BEL,
    BELL_COUNTS,
    BELL_GAP,
    BellPattern,
    PhaseKey,
    TerminalCues,
    cue_for_change,
    phase_key,
)
from tui.terminal.exits import install_exit_signals

if TYPE_CHECKING:
    import argparse

    from tui.core.position import Position
    from tui.core.summary import Summary
    from tui.routine_files.catalog import Catalog
    from tui.store.sessions import SessionStore

Listener = Callable[[Snapshot, Sequence[Event]], None]

LINE_LIMIT = 1000
COUNTDOWN_MARKS = {60: "1 minute left", 30: "30 seconds left", 5: "5 seconds left"}
"""Said during a hold when that many seconds are left (only in holds longer than the mark)."""
NO_KEYS_READY_SECONDS = 5
"""Without a keyboard, a stretch that waits for "ready" starts by itself after this long."""
KEYS_HELP = (
    "Keys: Space start, pause, resume or ready; n next; p back; r restart stretch; "
    "s steps again; m bell on or off; ? keys; q quit."
)
PAIN_QUESTION = "How does your back feel {when}? 0 none, 10 worst, Enter skips: "
_PHASE_WORDS = {
    Phase.PREPARE: "Get ready",
    Phase.HOLD: "Hold",
    Phase.SWITCH: "Switch sides",
    Phase.REST: "Rest",
}


def say_duration(seconds: float) -> str:
    """A duration in words, to be read aloud: "45 seconds", "3 minutes 20 seconds"."""
    whole = max(0, round(seconds))

    def unit(count: int, name: str) -> str:
        return f"{count} {name}" + ("" if count == 1 else "s")

    if whole < 60:
        return unit(whole, "second")
    minutes, secs = divmod(whole, 60)
    if minutes >= 10:
        minutes, secs = round(whole / 60), 0  # past ten minutes, seconds are noise
    if minutes < 60:
        return unit(minutes, "minute") + (f" {unit(secs, 'second')}" if secs else "")
    hours, minutes = divmod(minutes, 60)
    return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


class Narrator:
    """Turns engine changes into lines of text, each said once."""

    def __init__(self, routine: Routine, *, keys: bool = True) -> None:
        self.routine = routine
        self.keys = keys
        self._last: Snapshot | None = None
        self._introduced: set[int] = set()
        self._told_side: dict[int, Side | None] = {}
        """The side each stretch's text was last told for."""
        self._sides_told: dict[int, set[Side | None]] = {}
        """The sides each stretch's text has been told for, whole or as the lines that differ."""

    def intro(self, plan: Sequence[StretchPlan]) -> list[str]:
        """The routine's opening lines, before anything runs."""
        routine = self.routine
        count = _count(len(routine.stretches), "stretch", "stretches")
        total = say_duration(routine_seconds(routine, tuple(plan)))
        lines = [f"{routine.name}: {count}, about {total}."]
        return lines + [line for line in routine.description.splitlines() if line.strip()]

    def stretch_lines(
        self, index: int, plan: StretchPlan | None = None, side: Side | None = None
    ) -> list[str]:
        """Everything about one stretch, said once before it starts, as it reads on `side`
        (None: its first side)."""
        stretch = on_side(self.routine.stretches[index], side)
        lines = [f"Stretch {index + 1} of {len(self.routine.stretches)}: {stretch.name}"]
        if stretch.targets:
            lines.append("Targets: " + ", ".join(stretch.targets))
        if stretch.position:
            lines.append(f"Position: {stretch.position}")
        lines += [f"Step {number}: {step}" for number, step in enumerate(stretch.steps, 1)]
        lines += [f"Tip: {tip}" for tip in stretch.tips]
        if stretch.variation:
            lines.append(f"Variation: {stretch.variation}")
        if plan is not None:
            sides = {"none": "", "each": " each side", "alternate": " each side, alternating"}
            reps = _count(plan.reps, "rep")
            lines.append(f"Plan: hold {plan.hold_seconds} s, {reps}{sides[stretch.sides]}")
        return lines

    def phase_line(self, snap: Snapshot) -> str:
        """The line that opens a phase."""
        phase = snap.phase
        if phase == Phase.PREPARE:
            where = f", {snap.side} side" if snap.side else ""
            if snap.waiting:
                how = (
                    "press Space when you are in position"
                    if self.keys
                    else f"the hold starts in {NO_KEYS_READY_SECONDS} s"
                )
                return f"Get in position: {snap.stretch_name}{where}; {how}"
            return f"Get ready: {snap.stretch_name}{where}, {snap.phase_seconds} s"
        if phase == Phase.HOLD:
            side = f", {snap.side}" if snap.side else ""
            return f"Hold{side}, rep {snap.rep} of {snap.reps}, {snap.phase_seconds} s"
        if phase == Phase.SWITCH:
            return f"{switch_words(snap.side)}, {snap.phase_seconds} s"
        if phase == Phase.REST:
            if snap.rest_kind == "stretch" and snap.next_label:
                return f"Rest {snap.phase_seconds} s. {snap.next_label}"
            return f"Rest {snap.phase_seconds} s"
        if phase == Phase.DONE:
            count = _count(snap.stretch_count, "stretch", "stretches")
            return f"Done: {count}, {say_duration(snap.elapsed)}"
        if phase == Phase.STOPPED:
            done = sum(1 for state in snap.stretch_states if state == "done")
            return (
                f"Stopped after {done} of {_count(snap.stretch_count, 'stretch', 'stretches')}, "
                f"{say_duration(snap.elapsed)}"
            )
        return ""

    def lines(self, snap: Snapshot, events: Sequence[Event] = ()) -> list[str]:
        """The lines for one change of the engine (a tick, a new phase, a control)."""
        last, self._last = self._last, snap
        kinds = {event.kind for event in events}
        out: list[str] = []
        if snap.phase == Phase.IDLE:
            return out
        if "paused" in kinds and snap.paused:
            out.append("Paused. Press Space to resume." if self.keys else "Paused.")
        if "restarted" in kinds:
            out.append(f"Starting {snap.stretch_name} again")
        new_phase = (
            last is None
            or phase_key(last) != phase_key(snap)
            or bool(kinds & {"phase-began", "restarted", "jumped"})
            # back to the start of the same phase (the p key)
            or (not snap.waiting and snap.seconds_left > last.seconds_left)
        )
        if new_phase:
            if (
                snap.phase in (Phase.PREPARE, Phase.HOLD)
                and snap.stretch_index not in self._introduced
            ):
                self._introduced.add(snap.stretch_index)
                self.told(snap.stretch_index, snap.side)
                plan = snap.plan[snap.stretch_index] if snap.plan else None
                out += self.stretch_lines(snap.stretch_index, plan, snap.side)
            line = self.phase_line(snap)
            if line:
                out.append(line)
            return out + self.side_lines(snap)
        if "resumed" in kinds:
            word = _PHASE_WORDS.get(snap.phase, str(snap.phase).capitalize())
            out.append(f"Resumed: {word}, {snap.seconds_left} s left")
            return out
        if last is not None and snap.seconds_left != last.seconds_left and not snap.paused:
            out += self._countdown(snap)
        return out

    def told(self, index: int, side: Side | None) -> None:
        """The stretch's whole text was just said as it reads on `side`."""
        self._told_side[index] = side
        self._sides_told.setdefault(index, set()).add(side)

    def side_lines(self, snap: Snapshot) -> list[str]:
        """What to say of the stretch's text now that its other side has come: the lines that
        read differently, the first time this side comes; its name alone after that (a
        scrolling log and a screen reader then know which of the two texts told is the one
        now), unless the switch's own line just named it. Nothing when its text names no side,
        or the side is the one last told."""
        index = snap.stretch_index
        if snap.side is None or index not in self._told_side:
            return []
        told, self._told_side[index] = self._told_side[index], snap.side
        if told == snap.side:
            return []
        before = self.stretch_lines(index, side=told)
        now = self.stretch_lines(index, side=snap.side)
        changed = [line for line, old in zip(now, before, strict=True) if line != old]
        sides = self._sides_told.setdefault(index, set())
        if not changed or snap.side not in sides:
            sides.add(snap.side)
            return changed
        if snap.phase == Phase.SWITCH:
            return []  # "Switch to the left side" has just said it
        return [f"{snap.side.capitalize()} side."]

    def _countdown(self, snap: Snapshot) -> list[str]:
        left = snap.seconds_left
        if snap.phase not in (Phase.HOLD, Phase.PREPARE, Phase.SWITCH) or snap.waiting:
            return []
        if 1 <= left <= 3:
            return [str(left)]
        if snap.phase == Phase.HOLD and left in COUNTDOWN_MARKS and snap.phase_seconds > left:
            return [COUNTDOWN_MARKS[left]]
        return []


class LineWriter:
    """Writes whole lines (cleaned of every control character) and bells to one stream."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.broken = False

    def line(self, text: str) -> None:
        self._write(clean_line(text, LINE_LIMIT) + "\n")

    def bell(self, _text: str = BEL) -> None:
        self._write(BEL)

    def _write(self, text: str) -> None:
        if self.broken:
            return
        try:
            self.out.write(text)
            self.out.flush()
        except (OSError, ValueError):
            # the reader went away (`| head`, a dropped connection): stop writing, quietly
            self.broken = True


@contextlib.contextmanager
def cbreak(fd: int | None) -> Iterator[None]:
    """Keys one at a time and not echoed; the terminal's modes come back however we leave."""
    if fd is None:
        yield
        return
    import termios  # here, not at the top: only plain mode needs them (start-up time)
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        yield
    finally:
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSAFLUSH, saved)


class PlainSession:
    """One routine run in plain mode: the engine, the narrator, the keys and the bells."""

    def __init__(
        self,
        routine: Routine,
        *,
        out: TextIO,
        keys_fd: int | None = None,
        keyboard: bool | None = None,
        bell: bool = True,
        plan: Sequence[StretchPlan] | None = None,
        plan_lines: Sequence[str] = (),
        position: Position | None = None,
        autostart: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        bell_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        wall: Callable[[], datetime] | None = None,
        listeners: Sequence[Listener] = (),
    ) -> None:
        self.routine = routine
        self.keys_fd = keys_fd
        self.keyboard = keys_fd is not None if keyboard is None else keyboard
        """Whether someone can press keys (read from keys_fd, or given to press() directly)."""
        self.writer = LineWriter(out)
        # used for its mute state; the bells themselves are rung by _ring, first one at once
        self.cues = TerminalCues(self.writer.bell, bell_enabled=bell)
        self._bell_sleep = bell_sleep
        self._ringing: asyncio.Task[None] | None = None
        self._sleep = sleep
        times: dict[str, object] = {"clock": clock, "sleep": sleep}
        if wall is not None:
            times["wall"] = wall
        if position is not None:
            self.engine = Engine.resume_from(routine, position, **times)  # type: ignore[arg-type]
        else:
            self.engine = Engine(routine, plan, **times)  # type: ignore[arg-type]
        self.resumed = position is not None
        self.plan_lines = tuple(plan_lines)
        """This week of the routine's plan, said once after the opening lines."""
        self.autostart = not self.keyboard if autostart is None else autostart
        self.narrator = Narrator(routine, keys=self.keyboard)
        self._last = self.engine.snapshot
        self._started = asyncio.Event()
        self._quit_asked = False
        self._quitting = False
        self.signal: int | None = None
        self.stopped_at: Position | None = None
        """Where the routine was when it was stopped part way: what a resume needs."""
        self._tasks: set[asyncio.Task[None]] = set()
        self.engine.subscribe(self._on_change)
        for listener in listeners:
            self.engine.subscribe(listener)

    @property
    def exit_code(self) -> int:
        return 128 + self.signal if self.signal is not None else 0

    # -- what the engine tells us -------------------------------------------------------------

    def _on_change(self, snap: Snapshot, events: Sequence[Event]) -> None:
        old, self._last = self._last, snap
        cue = cue_for_change(old, snap)
        if cue is not None:
            self._ring(cue)
        for text in self.narrator.lines(snap, events):
            self.writer.line(text)
        if self.writer.broken and self.engine.running:
            self._stop()
        if snap.waiting and not self.keyboard and phase_key(old) != phase_key(snap):
            self._spawn(self._ready_later(phase_key(snap)))

    def _ring(self, pattern: BellPattern) -> None:
        """The first bell now, before the line it belongs to; the rest of the pattern after."""
        if not self.cues.audible:
            return
        if self._ringing is not None:
            self._ringing.cancel()
            self._ringing = None
        self.writer.bell()
        more = BELL_COUNTS[pattern] - 1
        if more > 0:
            self._ringing = self._spawn(self._more_bells(more))

    async def _more_bells(self, count: int) -> None:
        for _ in range(count):
            await self._bell_sleep(BELL_GAP)
            if not self.cues.audible:
                return
            self.writer.bell()

    async def _ready_later(self, key: PhaseKey) -> None:
        """Without a keyboard nobody can say "ready": start the hold after a short wait."""
        await self._sleep(NO_KEYS_READY_SECONDS)
        if phase_key(self.engine.snapshot) == key:
            self.engine.ready()

    def _spawn(self, coroutine: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- keys -----------------------------------------------------------------------------------

    def press(self, key: str) -> None:
        """Act on one key, as the app would."""
        engine = self.engine
        snap = engine.snapshot
        if self._quit_asked:
            self._quit_asked = False
            if key == "q":
                self._quit()
            else:
                self.writer.line("Carrying on.")
            return
        if key == " ":
            if not self._started.is_set():
                self._started.set()
            elif snap.waiting and not snap.paused:
                engine.ready()
            elif engine.running:
                engine.toggle_pause()
        elif key == "q":
            if engine.running:
                self._quit_asked = True
                self.writer.line("Stop the routine? Press q again to stop, any other key to go on.")
            else:
                self._quit()
        elif key == "?":
            self.writer.line(KEYS_HELP)
        elif key == "m":
            muted = self.cues.toggle_mute()
            self.writer.line("Bell off." if muted else "Bell on.")
        elif not engine.running:
            return
        elif key == "n":
            engine.next()
        elif key == "p":
            engine.previous()
        elif key == "r":
            engine.restart_stretch()
        elif key == "s":
            index = snap.stretch_index
            for text in self.narrator.stretch_lines(index, snap.plan[index], snap.side):
                self.writer.line(text)
            self.narrator.told(index, snap.side)

    def _on_readable(self) -> None:
        assert self.keys_fd is not None
        try:
            data = os.read(self.keys_fd, 64)
        except OSError:
            data = b""
        if not data:
            # the terminal went away: stop listening (a hang-up also ends us by SIGHUP)
            asyncio.get_running_loop().remove_reader(self.keys_fd)
            return
        if data.startswith(b"\x1b"):
            return  # arrow keys and other escape sequences mean nothing here
        for byte in data:
            if byte < 128:
                self.press(chr(byte).lower())

    # -- ending -------------------------------------------------------------------------------

    def _quit(self) -> None:
        self._quitting = True
        self._started.set()
        self._stop()

    def _stop(self) -> None:
        if not self.engine.running:
            return
        # where it was before stop() ends it: that is the place to resume from
        self.stopped_at = self.engine.position()
        self.engine.stop()

    def _on_signal(self, signum: int) -> None:
        self.signal = signum
        self._quit()

    # -- the whole run ------------------------------------------------------------------------

    async def run(self) -> Summary | None:
        """Run to the end (or until quit); None when quit before it started."""
        loop = asyncio.get_running_loop()
        remove_signals = install_exit_signals(loop, self._on_signal)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError, AttributeError):
            # Ctrl+\ too: its default (a core dump) would leave the terminal in cbreak mode
            loop.add_signal_handler(signal.SIGQUIT, self._on_signal, int(signal.SIGQUIT))
        reading = False
        try:
            if self.keys_fd is not None:
                loop.add_reader(self.keys_fd, self._on_readable)
                reading = True
            snap = self.engine.snapshot
            if self.resumed:
                self.writer.line(f"Resuming {self.routine.name} at {snap.stretch_name}.")
            else:
                for text in [*self.narrator.intro(self.engine.plan), *self.plan_lines]:
                    self.writer.line(text)
            if self.keyboard:
                self.writer.line(KEYS_HELP)
            if self.autostart or self.resumed:
                self._started.set()
            else:
                self.writer.line("Press Space to start, q to quit.")
            await self._started.wait()
            if self._quitting:
                return None
            if self.resumed:
                self._on_change(self.engine.snapshot, ())
                if not self.keyboard:
                    self.engine.resume()
                else:
                    self.writer.line("Paused. Press Space to carry on.")
            else:
                self.engine.start()
            summary = await self.engine.run()
            if self._ringing is not None and not self._quitting:
                # the end of the routine rings out in full before we leave
                await asyncio.wait({self._ringing}, timeout=BELL_GAP * 4)
            return summary
        finally:
            if reading and self.keys_fd is not None:
                loop.remove_reader(self.keys_fd)
            remove_signals()
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError, AttributeError):
                loop.remove_signal_handler(signal.SIGQUIT)
            self.cues.cancel()
            for task in list(self._tasks):
                task.cancel()


# -- the command ------------------------------------------------------------------------------


def ask_pain(when: str, stdin: TextIO, out: TextIO) -> int | None:
    """One pain score from a line prompt: 0-10 (t also means 10), or None when skipped."""
    for _attempt in range(3):
        try:
            out.write(PAIN_QUESTION.format(when=when))
            out.flush()
            answer = stdin.readline()
        except (OSError, ValueError):
            return None
        if not answer:
            out.write("\n")
            return None  # end of input
        answer = answer.strip().lower()
        if not answer:
            return None
        if answer == "t":
            return 10
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        out.write("Please type a whole number from 0 to 10, or just Enter.\n")
    return None


def run_plain(
    routine: Routine | None,
    catalog: Catalog | None,
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """`unknot run --plain`: run `routine` in plain line mode; returns the exit status.

    The same settings, pain questions, resume and history as the app; questions are asked as
    line prompts, and only when there is a keyboard to answer them.
    """
    from tui.store.config import load_config

    stdin = stdin if stdin is not None else sys.stdin
    out = stdout if stdout is not None else sys.stdout
    if routine is None:
        print("unknot: no routines found; `unknot check` says why", file=sys.stderr)
        return 1
    settings = load_config()
    for problem in settings.problems:
        print(f"unknot: {clean_line(str(problem), LINE_LIMIT)}", file=sys.stderr)
    if catalog is not None and catalog.problems:
        count = _count(len(catalog.problems), "problem")
        print(f"unknot: {count} in routine files; `unknot check` lists them", file=sys.stderr)
    config = settings.config
    from tui.store.config import with_settings

    routine = with_settings(routine, config)
    keys_fd = _terminal_fd(stdin)
    writer = LineWriter(out)
    listeners: list[Listener] = []
    speaker = None
    if getattr(args, "speak", False) or config.speak:
        from tui.terminal.speech import make_speaker, speech_listener

        speaker = make_speaker(writer.line)
        if speaker is not None:
            listeners.append(speech_listener(speaker))
    position = _offer_resume(routine, stdin, out, writer) if keys_fd is not None else None
    ask = keys_fd is not None and config.ask_pain
    pain_before = ask_pain("right now", stdin, out) if ask and position is None else None
    plan, week = this_weeks_plan(routine, writer) if position is None else (None, [])
    session = PlainSession(
        routine,
        out=out,
        keys_fd=keys_fd,
        bell=config.bell and not getattr(args, "no_bell", False),
        plan=plan,
        plan_lines=week,
        position=position,
        listeners=listeners,
    )
    try:
        with cbreak(keys_fd):
            summary = asyncio.run(session.run())
    finally:
        if speaker is not None:
            # "Done" may finish; a signal (a dropped connection, a kill) ends it now
            speaker.close(grace=0 if session.signal is not None else 3.0)
    from tui.store.sessions import SessionStore

    store = SessionStore()
    _keep_place(routine, session, writer, store)
    if summary is not None:
        pain_after = None
        if summary.finished and ask and session.signal is None:
            pain_after = ask_pain("now, after the routine", stdin, out)
        for message in store.record(summary, pain_before, pain_after):
            writer.line(message)
    asking = keys_fd is not None and session.signal is None
    if not _leave(store, writer, stdin if asking else None, out):
        return session.exit_code or 1
    return session.exit_code


def this_weeks_plan(
    routine: Routine, writer: LineWriter, now: datetime | None = None
) -> tuple[tuple[StretchPlan, ...], list[str]]:
    """The holds and reps a session of `routine` (settings applied) starts with this week of
    its plan, as in the app, and the lines that say so; the history's notices said first."""
    from tui.core.plan_view import Days
    from tui.store.history.index import load_entries
    from tui.store.history.stats import plan_starts

    load = load_entries()
    for notice in load.notices:
        writer.line(notice)
    now = now or datetime.now().astimezone()
    days = Days.of(routine, plan_starts(load.entries, routine.id), now)
    return days.start_plan(routine.default_plan()), days.this_week()


def _offer_resume(
    routine: Routine, stdin: TextIO, out: TextIO, writer: LineWriter
) -> Position | None:
    """The newest saved place in this routine, if there is one and the person wants it back
    (and no other window resumed it first: then the next one, if any)."""
    from tui.store.resume import TAKEN, Places

    places = Places.default()
    while True:
        offer, notices = places.offer(routine)
        for notice in notices:
            writer.line(notice)
        if offer is None:
            return None
        try:
            out.write(f"{clean_line(offer.question, LINE_LIMIT)} Enter resumes, n starts over: ")
            out.flush()
            answer = stdin.readline()
        except (OSError, ValueError):
            return None
        if answer.strip().lower() not in ("", "y", "yes"):
            break
        position = places.take(offer, routine)
        if position is not None:
            return position
        writer.line(TAKEN)  # another window answered first; the next place, if any, is offered
    try:  # start over: this place goes, any other session's stays
        places.forget(offer.position.session_id)
    except OSError as error:
        writer.line(f"Could not remove the saved place ({error.strerror or error}).")
    return None


def _keep_place(
    routine: Routine, session: PlainSession, writer: LineWriter, store: SessionStore
) -> None:
    """Save where a routine stopped part way, or forget its own place once it is finished
    (another unknot may have left one); what the disk refuses waits in `store` (see `_leave`)."""
    snap = session.engine.snapshot
    if snap.phase == Phase.DONE:
        message = store.forget_place(session.engine.session_id)
        if message is not None:
            writer.line(message)
    elif session.stopped_at is not None:
        error = store.places.save(routine, session.stopped_at, pending=store.pending)
        if error is None:
            writer.line("Saved where you stopped: run this routine again to carry on from there.")
        else:
            writer.line(f"Could not save where you stopped: {error.message}.")


def _leave(store: SessionStore, writer: LineWriter, stdin: TextIO | None, out: TextIO) -> bool:
    """Try once more to save what the disk refused; True when nothing is left unsaved.

    With someone at the keyboard (`stdin`), say what is not saved and let them free the disk
    and try again, as often as they like; then, or with nobody to ask (a signal, a pipe),
    keep a copy in another folder and say where (tui.store.rescue).
    """
    if not store.waiting:
        return True
    store.retry()
    while store.waiting and stdin is not None:
        from tui.store.rescue import unsaved_words

        writer.line(f"Not saved: {unsaved_words(store.held())}")
        try:
            out.write("Enter tries again; q quits and keeps a copy in another folder: ")
            out.flush()
            answer = stdin.readline()
        except (OSError, ValueError):
            break
        if not answer or answer.strip().lower() in ("q", "y"):
            break
        store.retry()
        if not store.waiting:
            writer.line("Saved.")
    if not store.waiting:
        return True
    from tui.store.rescue import final_words, keep_copies, printed

    kept = keep_copies(store.held())
    for line in final_words(kept):
        writer.line(line)
    data = printed(kept)
    if data:
        with contextlib.suppress(OSError, ValueError):
            out.write(data)
            out.flush()
    return False


def _terminal_fd(stdin: TextIO) -> int | None:
    """The file descriptor to read keys from, when standard input is a terminal."""
    try:
        fd = stdin.fileno()
    except (AttributeError, ValueError, OSError):
        return None
    return fd if os.isatty(fd) else None
