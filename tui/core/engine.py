"""The session engine: walks a routine phase by phase on an injected clock, with controls.

The core is synchronous and pure: `tick()` brings the state up to `clock()` now, and every
deadline is the phase start plus its length on the monotonic clock (never a sum of sleeps), so
nothing drifts. `run()` is a thin async driver that sleeps until the next whole second of the
countdown or the phase end, and not at all while paused or waiting. No Textual here.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from tui.core.model import HOLD_BOUNDS, REPS_BOUNDS, Routine, Side, StretchPlan
from tui.core.steps import (
    Phase,
    RestKind,
    Step,
    StepKey,
    check_plan,
    hold_order,
    plan_steps,
    side_key,
    side_keys,
)

if TYPE_CHECKING:
    from tui.core.position import Position
    from tui.core.summary import Summary

__all__ = [
    "Engine",
    "Event",
    "EventKind",
    "Listener",
    "Snapshot",
    "StretchState",
]

log = logging.getLogger(__name__)

PREVIOUS_WINDOW = 2.0
"""Seconds after a phase starts within which `previous()` goes to the phase before it."""
WARNING_SECONDS = 3
_EPSILON = 1e-9


StretchState = Literal["not-started", "in-progress", "done"]
EventKind = Literal[
    "started",
    "phase-began",
    "phase-ended",
    "rep-completed",
    "skipped",
    "paused",
    "resumed",
    "stopped",
    "done",
    "adjusted",
    "jumped",
    "restarted",
]
HoldStatus = Literal["done", "skipped"]
_Stage = Literal["idle", "running", "done", "stopped"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a front end shows at one moment, already worked out."""

    phase: Phase
    stretch_index: int
    stretch_count: int
    stretch_id: str
    stretch_name: str
    side: Side | None
    rep: int
    reps: int
    seconds_left: int
    phase_seconds: int
    waiting: bool
    paused: bool
    warning: bool
    elapsed: float
    remaining: float
    total: float
    rest_kind: RestKind | None
    next_label: str
    stretch_states: tuple[StretchState, ...]
    plan: tuple[StretchPlan, ...]


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened, for history and for cues."""

    kind: EventKind
    at: datetime
    elapsed: float
    phase: Phase
    stretch_index: int
    side: Side | None
    rep: int
    detail: str = ""


Listener = Callable[[Snapshot, Sequence[Event]], None]


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


# -- the engine --------------------------------------------------------------------------------


def _local_now() -> datetime:
    return datetime.now().astimezone()


def new_session_id() -> str:
    """A session's identity: 128 random bits, so that no two sessions are ever taken for one,
    however many start in the same second (two terminals) or on other computers."""
    return os.urandom(16).hex()


class Engine:
    """Runs one routine: the phases in order, the controls, the counts and the event stream."""

    def __init__(
        self,
        routine: Routine,
        plan: Sequence[StretchPlan] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        wall: Callable[[], datetime] = _local_now,
    ) -> None:
        if not routine.stretches:
            raise ValueError(f"routine {routine.id!r} has no stretches")
        self.routine = routine
        self._clock = clock
        self._sleep = sleep
        self._wall = wall
        self._plan = check_plan(routine, plan if plan is not None else routine.default_plan())
        self._steps: tuple[Step, ...] = ()
        self._suffix: list[int] = []
        self._first: list[int] = []
        self._where: dict[StepKey, int] = {}
        self._rebuild()
        self._stage: _Stage = "idle"
        self._index = 0
        self._phase_start = 0.0
        self._origin = 0.0
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._end_elapsed = 0.0
        self._started_at: datetime | None = None
        self._ended_at: datetime | None = None
        self._session_id = ""
        count = len(routine.stretches)
        self._status: list[dict[tuple[str, int], HoldStatus]] = [{} for _ in range(count)]
        self._held: list[float] = [0.0] * count
        self._events: list[Event] = []
        self._pending: list[Event] = []
        self._listeners: list[Listener] = []
        self._notifying = False
        self._last_shown: tuple[object, ...] = ()
        self._wake = asyncio.Event()
        self._op_now = 0.0
        self._op_wall: datetime | None = None

    # -- reading -------------------------------------------------------------------------------

    @property
    def plan(self) -> tuple[StretchPlan, ...]:
        return self._plan

    @property
    def running(self) -> bool:
        """Started and not yet done or stopped."""
        return self._stage == "running"

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def phase_elapsed(self) -> float:
        """Seconds into the current phase on the routine's clock, read now; it stands still
        while paused (the figure moves with it). 0 when no session runs."""
        if self._stage != "running":
            return 0.0
        now = self._paused_at if self._paused_at is not None else self._clock()
        return max(0.0, now - self._phase_start)

    @property
    def session_id(self) -> str:
        """This session's identity, made when it starts (empty before, and for a session
        resumed from a place saved before sessions had one)."""
        return self._session_id

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(self._events)

    @property
    def snapshot(self) -> Snapshot:
        """The state now (the clock is read; phases that ended meanwhile are moved past)."""
        self._begin()
        self._advance()
        return self._snapshot()

    @property
    def summary(self) -> Summary:
        """What was done so far; final once done or stopped."""
        from tui.core.summary import StretchSummary, Summary  # only at the end: not at start-up

        self._begin()
        self._advance()
        stretches = []
        for index, (stretch, chosen) in enumerate(
            zip(self.routine.stretches, self._plan, strict=True)
        ):
            status = self._status[index]
            done = {side: 0 for side in side_keys(stretch)}
            skipped = 0
            for (side, _rep), state in status.items():
                if state == "done":
                    done[side] = done.get(side, 0) + 1
                else:
                    skipped += 1
            held = self._held[index]
            if index == self._current_stretch():
                held += self._holding_now()
            stretches.append(
                StretchSummary(
                    stretch_id=stretch.id,
                    name=stretch.name,
                    reps_planned=chosen.reps,
                    reps_done=done,
                    reps_skipped=skipped,
                    hold_seconds=chosen.hold_seconds,
                    held_seconds=held,
                )
            )
        return Summary(
            routine_id=self.routine.id,
            routine_name=self.routine.name,
            finished=self._stage == "done",
            stretches=tuple(stretches),
            total_seconds=self._elapsed(),
            paused_seconds=self._paused_seconds(),
            started_at=self._started_at,
            ended_at=self._ended_at,
            session_id=self._session_id,
        )

    def position(self) -> Position:
        """Where the session is now, to save and resume later."""
        from tui.core.position import Position, StretchCounts  # only to save: not at start-up

        self._begin()
        self._advance()
        step = self._steps[self._index]
        counts = tuple(
            StretchCounts(
                done=tuple(sorted(k for k, v in status.items() if v == "done")),
                skipped=tuple(sorted(k for k, v in status.items() if v == "skipped")),
                held_seconds=held,
            )
            for status, held in zip(self._status, self._held, strict=True)
        )
        if self._stage == "running":
            phase, side, rep, rest_kind = step.phase, step.side, step.rep, step.rest_kind
            left = 0.0 if step.waiting else self._phase_left()
            waiting = step.waiting
        else:
            phase = self._snapshot_phase()
            side, rep, rest_kind, left, waiting = None, 0, None, 0.0, False
            if self._stage == "stopped":
                side, rep, rest_kind = step.side, step.rep, step.rest_kind
        return Position(
            routine_id=self.routine.id,
            stretch_index=self._current_stretch(),
            side=side,
            rep=rep,
            phase=phase,
            seconds_left=left,
            plan=self._plan,
            counts=counts,
            elapsed=self._elapsed(),
            paused_seconds=self._paused_seconds(),
            rest_kind=rest_kind,
            waiting=waiting,
            started_at=self._started_at.isoformat() if self._started_at else "",
            session_id=self._session_id,
        )

    @classmethod
    def resume_from(
        cls,
        routine: Routine,
        position: Position,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        wall: Callable[[], datetime] = _local_now,
    ) -> Engine:
        """An engine at a saved position, paused (or idle, done or stopped, as it was saved)."""
        from tui.core.position import stopped_index

        position.check(routine)
        engine = cls(routine, position.plan, clock=clock, sleep=sleep, wall=wall)
        for index, counts in enumerate(position.counts):
            engine._status[index] = {
                **{pair: "done" for pair in counts.done},
                **{pair: "skipped" for pair in counts.skipped},
            }
            engine._held[index] = counts.held_seconds
        if position.phase == Phase.IDLE:
            return engine
        now = clock()
        engine._started_at = (
            datetime.fromisoformat(position.started_at) if position.started_at else None
        )
        engine._session_id = position.session_id
        engine._paused_total = position.paused_seconds
        engine._origin = now - position.elapsed
        if position.phase == Phase.DONE:
            engine._stage = "done"
            engine._index = len(engine._steps) - 1
            engine._end_elapsed = position.elapsed
            return engine
        if position.phase == Phase.STOPPED:
            engine._stage = "stopped"
            engine._index = stopped_index(engine._steps, position) or 0
            engine._end_elapsed = position.elapsed
            return engine
        key = (position.phase, position.stretch_index, position.side, position.rep)
        engine._index = engine._where[(*key, position.rest_kind)]
        step = engine._steps[engine._index]
        engine._stage = "running"
        engine._paused_at = now
        engine._phase_start = now - (step.length - position.seconds_left) if step.length else now
        return engine

    # -- listening -----------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` on every change from now on; returns a function that stops it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    # -- time ----------------------------------------------------------------------------------

    def tick(self) -> None:
        """Bring the state up to clock() now, and tell listeners if anything they show changed."""
        self._begin()
        self._advance()
        self._notify(force=False)

    async def run(self) -> Summary:
        """Drive the timer until done or stopped, waking only when something can change."""
        while True:
            self._wake.clear()
            self.tick()
            if self._stage in ("done", "stopped"):
                return self.summary
            delay = self._next_wake()
            if delay is None:
                await self._wake.wait()
                continue
            sleeper = asyncio.ensure_future(self._sleep(delay))
            waker = asyncio.ensure_future(self._wake.wait())
            closing = False
            try:
                await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            except GeneratorExit:
                # closed rather than cancelled: Python closes the coroutine of a pending task
                # it collects (a loop left behind at exit), and a closing coroutine that
                # awaits again is an error ("coroutine ignored GeneratorExit")
                closing = True
                raise
            finally:
                # the loser is cancelled and, unless closing, awaited: no task outlives the wait
                losers = [task for task in (sleeper, waker) if not task.done()]
                for task in losers:
                    task.cancel()
                if losers and not closing:
                    await asyncio.wait(losers)

    def _next_wake(self) -> float | None:
        """Seconds until the countdown shows a new whole second or the phase ends; None: never."""
        if self._stage != "running" or self._paused_at is not None:
            return None
        step = self._steps[self._index]
        if step.waiting:
            return None
        now = self._clock()
        end = self._phase_start + step.length
        left = end - now
        if left <= 0:
            return 0.0
        shown = max(1, math.ceil(left - _EPSILON))
        return max(0.0, end - (shown - 1) - now)

    # -- controls ------------------------------------------------------------------------------

    def start(self, stretch_index: int = 0) -> None:
        """Begin the routine at a stretch (the first by default); nothing if already begun."""
        self._check_index(stretch_index)
        self._begin()
        if self._stage == "idle":
            now = self._op_now
            self._stage = "running"
            self._origin = now
            self._started_at = self._now_wall()
            self._session_id = new_session_id()
            self._emit("started", now)
            self._enter(self._first[stretch_index], now)
        self._after_control()

    def ready(self) -> None:
        """Leave the wait of a manual-advance stretch and begin the hold (resuming if paused)."""
        self._begin()
        self._advance()
        if self._stage == "running" and self._steps[self._index].waiting:
            if self._paused_at is not None:
                self._resume()
            now = self._op_now
            self._leave(now, "ready")
            self._go(self._index + 1, now)
        self._after_control()

    def pause(self) -> None:
        self._begin()
        self._advance()
        if self._stage == "running" and self._paused_at is None:
            self._paused_at = self._op_now
            self._emit("paused", self._op_now)
        self._after_control()

    def resume(self) -> None:
        self._begin()
        if self._stage == "running" and self._paused_at is not None:
            self._resume()
        self._after_control()

    def toggle_pause(self) -> None:
        if self._paused_at is None:
            self.pause()
        else:
            self.resume()

    def next(self) -> None:
        """Skip to the next phase; a skipped hold counts as skipped, not done."""
        self._begin()
        self._advance()
        if self._stage == "running":
            if self._steps[self._index].waiting:
                self.ready()
                return
            at = self._at()
            self._leave(at, "skipped")
            self._go(self._index + 1, at)
        self._after_control()

    def previous(self) -> None:
        """Back to the start of this phase, or to the phase before if this one began < 2 s ago."""
        self._begin()
        self._advance()
        if self._stage == "running":
            at = self._at()
            target = self._index
            if at - self._phase_start < PREVIOUS_WINDOW and self._index > 0:
                target -= 1
            self._leave(at, "back")
            self._enter(target, at)
        self._after_control()

    def restart_stretch(self) -> None:
        """Back to the start of the current stretch, its counts cleared."""
        self._begin()
        self._advance()
        if self._stage == "running":
            at = self._at()
            stretch = self._current_stretch()
            self._leave(at, "restarted")
            self._reset_counts(stretch)
            self._emit("restarted", at, str(stretch))
            self._enter(self._first[stretch], at)
        self._after_control()

    def jump(self, stretch_index: int) -> None:
        """Go to the start of stretch `stretch_index`; the holds left in the one being left
        are counted as skipped when jumping forward, and a stretch jumped back to starts over."""
        self._check_index(stretch_index)
        if self._stage == "idle":
            self.start(stretch_index)
            return
        self._begin()
        self._advance()
        if self._stage == "running":
            at = self._at()
            current = self._current_stretch()
            step = self._steps[self._index]
            self._leave(at, "jumped")
            if stretch_index > current and step.rest_kind != "stretch":
                self._skip_rest_of(current)
            if stretch_index <= current:
                self._reset_counts(stretch_index)
            self._emit("jumped", at, str(stretch_index))
            self._enter(self._first[stretch_index], at)
        self._after_control()

    def stop(self) -> None:
        """End the session now; the summary tells what was done."""
        self._begin()
        self._advance()
        if self._stage in ("idle", "running"):
            at = self._at() if self._stage == "running" else self._op_now
            if self._stage == "running":
                self._leave(at, "stopped")
            else:
                self._origin = at
            self._end(at, "stopped")
        self._after_control()

    def adjust(
        self,
        *,
        hold_seconds: int | None = None,
        reps: int | None = None,
        stretch_index: int | None = None,
    ) -> StretchPlan:
        """Change a stretch's hold and reps (the current one by default), within the format's
        bounds and never below the reps already done; the rest of the plan follows."""
        self._begin()
        self._advance()
        index = self._current_stretch() if stretch_index is None else stretch_index
        self._check_index(index)
        old = self._plan[index]
        hold = _clamp(old.hold_seconds if hold_seconds is None else hold_seconds, *HOLD_BOUNDS)
        floor = max(
            (rep for (_side, rep), state in self._status[index].items() if state == "done"),
            default=0,
        )
        count = _clamp(
            old.reps if reps is None else reps, max(REPS_BOUNDS[0], floor), REPS_BOUNDS[1]
        )
        new = StretchPlan(hold, count)
        if new != old:
            self._replan(index, new)
        self._after_control()
        return new

    # -- inside --------------------------------------------------------------------------------

    def _check_index(self, stretch_index: int) -> None:
        if not 0 <= stretch_index < len(self.routine.stretches):
            raise ValueError(
                f"stretch index {stretch_index} is out of range "
                f"(routine {self.routine.id!r} has {len(self.routine.stretches)} stretches)"
            )

    def _rebuild(self) -> None:
        self._steps = plan_steps(self.routine, self._plan)
        suffix = [0] * (len(self._steps) + 1)
        for i in range(len(self._steps) - 1, -1, -1):
            suffix[i] = suffix[i + 1] + self._steps[i].length
        self._suffix = suffix
        self._where = {step.key: i for i, step in enumerate(self._steps)}
        first: list[int] = [-1] * len(self.routine.stretches)
        for i, step in enumerate(self._steps):
            if first[step.stretch_index] < 0 and step.rest_kind != "stretch":
                first[step.stretch_index] = i
        self._first = first

    def _begin(self) -> None:
        """Read the clock once for this operation."""
        self._op_now = self._clock()
        self._op_wall = None

    def _now_wall(self) -> datetime:
        if self._op_wall is None:
            self._op_wall = self._wall()
        return self._op_wall

    def _at(self) -> float:
        """The routine-clock time of a change made now: frozen at the pause while paused."""
        return self._paused_at if self._paused_at is not None else self._op_now

    def _elapsed(self) -> float:
        if self._stage == "idle":
            return 0.0
        if self._stage in ("done", "stopped"):
            return self._end_elapsed
        return self._at() - self._origin

    def _paused_seconds(self) -> float:
        if self._paused_at is None:
            return self._paused_total
        return self._paused_total + self._op_now - self._paused_at

    def _phase_left(self) -> float:
        step = self._steps[self._index]
        return max(0.0, self._phase_start + step.length - self._at())

    def _holding_now(self) -> float:
        if self._stage != "running":
            return 0.0
        if self._steps[self._index].phase != Phase.HOLD:
            return 0.0
        return max(0.0, self._at() - self._phase_start)

    def _current_stretch(self) -> int:
        if self._stage == "idle":
            return 0
        return self._steps[self._index].stretch_index

    def _advance(self) -> None:
        """Move past every phase whose deadline is behind the clock, each at its deadline."""
        while self._stage == "running" and self._paused_at is None:
            step = self._steps[self._index]
            if step.waiting:
                return
            end = self._phase_start + step.length
            if self._op_now < end:
                return
            self._leave(end, "completed")
            self._go(self._index + 1, end)

    def _go(self, index: int, at: float) -> None:
        if index >= len(self._steps):
            self._end(at, "done")
        else:
            self._enter(index, at)

    def _enter(self, index: int, at: float) -> None:
        self._index = index
        self._phase_start = at
        step = self._steps[index]
        if step.phase == Phase.HOLD:
            self._status[step.stretch_index].pop((side_key(step.side), step.rep), None)
        detail = step.rest_kind or ("waiting" if step.waiting else "")
        self._emit("phase-began", at, detail)

    def _leave(self, at: float, how: str) -> None:
        step = self._steps[self._index]
        stretch = step.stretch_index
        if step.phase == Phase.HOLD:
            self._held[stretch] += max(0.0, at - self._phase_start)
            pair = (side_key(step.side), step.rep)
            if how == "completed":
                self._status[stretch][pair] = "done"
            elif how == "skipped":
                self._status[stretch][pair] = "skipped"
        self._emit("phase-ended", at, how)
        if how == "skipped":
            self._emit("skipped", at, str(step.phase))
        if step.phase == Phase.HOLD and how == "completed" and self._rep_complete(step):
            self._emit("rep-completed", at)

    def _rep_complete(self, step: Step) -> bool:
        stretch = self.routine.stretches[step.stretch_index]
        if stretch.sides != "alternate":
            return True
        status = self._status[step.stretch_index]
        return all(status.get((side, step.rep)) == "done" for side in stretch.side_order)

    def _end(self, at: float, how: Literal["done", "stopped"]) -> None:
        self._end_elapsed = at - self._origin
        if self._paused_at is not None:
            self._paused_total += self._op_now - self._paused_at
            self._paused_at = None
        self._stage = how
        if how == "done":
            self._index = len(self._steps) - 1
        self._emit(how, at)
        self._ended_at = self._events[-1].at

    def _resume(self) -> None:
        assert self._paused_at is not None
        gap = self._op_now - self._paused_at
        self._phase_start += gap
        self._origin += gap
        self._paused_total += gap
        self._paused_at = None
        self._emit("resumed", self._op_now)

    def _reset_counts(self, stretch: int) -> None:
        self._status[stretch].clear()
        self._held[stretch] = 0.0

    def _skip_rest_of(self, stretch: int) -> None:
        status = self._status[stretch]
        for side, rep in hold_order(self.routine.stretches[stretch], self._plan[stretch].reps):
            status.setdefault((side_key(side), rep), "skipped")

    def _replan(self, index: int, new: StretchPlan) -> None:
        at = self._at()
        self._emit(
            "adjusted", at, f"stretch {index + 1}: hold {new.hold_seconds} s, reps {new.reps}"
        )
        old_steps, old_index = self._steps, self._index
        self._plan = (*self._plan[:index], new, *self._plan[index + 1 :])
        status = self._status[index]
        for pair in [pair for pair in status if pair[1] > new.reps]:
            del status[pair]
        if self._stage != "running":
            self._rebuild()
            self._index = len(self._steps) - 1 if self._stage == "done" else 0
            if self._stage == "stopped":
                self._index = self._nearest(old_steps, old_index)
            return
        current = old_steps[old_index]
        new_steps = plan_steps(self.routine, self._plan)
        keys = {step.key: i for i, step in enumerate(new_steps)}
        if current.key in keys:
            self._rebuild()
            self._index = keys[current.key]
            step = self._steps[self._index]
            if not step.waiting and at - self._phase_start >= step.length:
                # the phase is already as long as it now should be: it ends here
                self._leave(at, "completed")
                self._go(self._index + 1, at)
            return
        # the current rep is no longer planned: carry on after the last phase that still is
        self._leave(at, "adjusted")
        self._rebuild()
        self._go(self._nearest(old_steps, old_index, after=True), at)

    def _nearest(self, old_steps: Sequence[Step], old_index: int, after: bool = False) -> int:
        """The new index of the closest phase at or before `old_index` that is still planned."""
        j = old_index - 1 if after else old_index
        while j >= 0 and old_steps[j].key not in self._where:
            j -= 1
        if j < 0:
            return 0
        return self._where[old_steps[j].key] + (1 if after else 0)

    def _emit(self, kind: EventKind, at: float, detail: str = "") -> None:
        phase = self._snapshot_phase()
        step = self._steps[self._index]
        if self._stage == "idle":
            stretch, side, rep = 0, None, 0
        elif self._stage == "done":
            stretch, side, rep = step.stretch_index, None, self._plan[step.stretch_index].reps
        else:
            stretch, side, rep = step.stretch_index, step.side, step.rep
        # a phase that ended while nobody looked is stamped with the wall time of its deadline
        late = 0.0 if self._paused_at is not None else max(0.0, self._op_now - at)
        wall = self._now_wall() - timedelta(seconds=late)
        elapsed = self._end_elapsed if self._stage in ("done", "stopped") else at - self._origin
        if self._stage == "idle":
            elapsed = 0.0
        event = Event(kind, wall, elapsed, phase, stretch, side, rep, detail)
        self._events.append(event)
        self._pending.append(event)

    def _after_control(self) -> None:
        self._wake.set()
        self._notify(force=True)

    def _notify(self, force: bool) -> None:
        if self._notifying:
            return
        if not self._listeners:
            self._pending.clear()
            return
        self._notifying = True
        try:
            while True:
                snapshot = self._snapshot()
                shown = (
                    snapshot.phase,
                    snapshot.stretch_index,
                    snapshot.side,
                    snapshot.rep,
                    snapshot.seconds_left,
                    snapshot.paused,
                    snapshot.waiting,
                )
                if not (force or self._pending or shown != self._last_shown):
                    return
                force = False
                self._last_shown = shown
                events = tuple(self._pending)
                self._pending.clear()
                for listener in list(self._listeners):
                    try:
                        listener(snapshot, events)
                    except Exception:
                        log.exception("an engine listener failed; carrying on")
                if not self._pending:
                    return
        finally:
            self._notifying = False

    # -- snapshots -----------------------------------------------------------------------------

    def _snapshot_phase(self) -> Phase:
        if self._stage == "idle":
            return Phase.IDLE
        if self._stage == "done":
            return Phase.DONE
        if self._stage == "stopped":
            return Phase.STOPPED
        return self._steps[self._index].phase

    def _snapshot(self) -> Snapshot:
        routine = self.routine
        stage = self._stage
        step = self._steps[self._index]
        index = self._current_stretch()
        stretch = routine.stretches[index]
        reps = self._plan[index].reps
        elapsed = self._elapsed()
        side: Side | None = None
        rep = 0
        seconds_left = 0
        phase_seconds = 0
        waiting = False
        rest_kind: RestKind | None = None
        remaining = 0.0
        next_label = ""
        if stage == "idle":
            remaining = float(self._suffix[self._first[0]])
            next_label = f"Next: {stretch.name}"
        elif stage == "done":
            rep = reps
        elif stage == "stopped":
            side, rep = step.side, step.rep
        else:
            side, rep, rest_kind, waiting = step.side, step.rep, step.rest_kind, step.waiting
            if not waiting:
                left = self._phase_left()
                seconds_left = max(0, math.ceil(left - _EPSILON))
                phase_seconds = step.length
                remaining = left
            remaining += self._suffix[self._index + 1]
            next_label = self._next_label()
        warning = (
            stage == "running"
            and step.phase in (Phase.HOLD, Phase.PREPARE, Phase.SWITCH)
            and 1 <= seconds_left <= WARNING_SECONDS
        )
        return Snapshot(
            phase=self._snapshot_phase(),
            stretch_index=index,
            stretch_count=len(routine.stretches),
            stretch_id=stretch.id,
            stretch_name=stretch.name,
            side=side,
            rep=rep,
            reps=reps,
            seconds_left=seconds_left,
            phase_seconds=phase_seconds,
            waiting=waiting,
            paused=self._paused_at is not None,
            warning=warning,
            elapsed=elapsed,
            remaining=remaining,
            total=elapsed + remaining,
            rest_kind=rest_kind,
            next_label=next_label,
            stretch_states=self._stretch_states(),
            plan=self._plan,
        )

    def _next_label(self) -> str:
        current = self._steps[self._index]
        if current.rest_kind == "stretch":
            return f"Next: {self.routine.stretches[current.stretch_index].name}"
        if self._index + 1 >= len(self._steps):
            return "Done"
        step = self._steps[self._index + 1]
        if step.stretch_index != current.stretch_index:
            return f"Next: {self.routine.stretches[step.stretch_index].name}"
        if step.phase == Phase.SWITCH:
            return f"Switch to {step.side} side"
        if step.phase == Phase.REST:
            return f"Rest {step.length} s"
        reps = self._plan[step.stretch_index].reps
        where = (
            f"{step.side} side, rep {step.rep} of {reps}"
            if step.side
            else f"rep {step.rep} of {reps}"
        )
        if step.phase == Phase.PREPARE:
            return f"Get ready: {where}"
        return f"Hold {where}"

    def _stretch_states(self) -> tuple[StretchState, ...]:
        active = -1
        if self._stage in ("running", "stopped"):
            step = self._steps[self._index]
            if step.rest_kind != "stretch":
                active = step.stretch_index
        states: list[StretchState] = []
        for index, (stretch, chosen) in enumerate(
            zip(self.routine.stretches, self._plan, strict=True)
        ):
            status = self._status[index]
            holds = chosen.reps * (2 if stretch.sides != "none" else 1)
            if len(status) >= holds:
                states.append("done")
            elif status or index == active:
                states.append("in-progress")
            else:
                states.append("not-started")
        return tuple(states)
