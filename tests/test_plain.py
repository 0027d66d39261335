"""Plain line mode in-process: the exact lines, the keys, the bells, with a fake clock."""

from __future__ import annotations

import argparse
import asyncio
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest
from patience import HANG
from tools import require_tool

from tui.cli import plain_reason
from tui.core.model import Routine, Span, Stretch
from tui.plain import (
    KEYS_HELP,
    NO_KEYS_READY_SECONDS,
    PlainSession,
    ask_pain,
    run_plain,
    say_duration,
)
from tui.store.history import index as history_index
from tui.terminal import speech as speak

BEL = "\x07"


class SteppedTime:
    """A clock that moves only when the test says so; sleepers wake in deadline order."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = 0

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._order += 1
        self._sleepers.append((self.now + max(0.0, delay), self._order, future))
        await future

    async def settle(self) -> None:
        for _ in range(20):
            await asyncio.sleep(0)

    async def advance(self, seconds: float) -> None:
        """Move time on by `seconds`, waking every sleeper whose deadline comes, in order."""
        target = self.now + seconds
        await self.settle()
        while True:
            due = sorted(s for s in self._sleepers if s[0] <= target and not s[2].done())
            if not due:
                break
            deadline, _order, future = due[0]
            self._sleepers.remove(due[0])
            self.now = max(self.now, deadline)
            future.set_result(None)
            await self.settle()
        self.now = target
        await self.settle()


async def no_sleep(_seconds: float) -> None:
    await asyncio.sleep(0)


def wall() -> datetime:
    return datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def stretch(**fields: object) -> Stretch:
    base: dict[str, object] = {
        "id": "knee",
        "name": "Knee-to-chest stretch",
        "steps": ("Lie on your back.", "Pull one knee in."),
        "hold_seconds": Span.exactly(10),
        "reps": Span.exactly(1),
    }
    base.update(fields)
    return Stretch(**base)  # type: ignore[arg-type]


def routine(*stretches: Stretch, prepare: int = 5, rest: int = 3) -> Routine:
    return Routine(
        id="two",
        name="Two stretches",
        stretches=stretches,
        prepare_seconds=prepare,
        rest_seconds=rest,
    )


TWO = routine(
    stretch(sides="each", reps=Span.exactly(1), switch_seconds=2, tips=("Keep breathing.",)),
    stretch(
        id="bridge",
        name="Bridge",
        steps=("Lift the hips.",),
        hold_seconds=Span.exactly(4),
        reps=Span.exactly(2),
        rest_between_reps=2,
    ),
)


def session_for(
    r: Routine, time: SteppedTime, *, keys: bool = False, bell: bool = True
) -> tuple[PlainSession, io.StringIO]:
    out = io.StringIO()
    session = PlainSession(
        r,
        out=out,
        keyboard=keys,  # the tests press keys themselves
        bell=bell,
        autostart=not keys,
        clock=time.clock,
        sleep=time.sleep,
        bell_sleep=no_sleep,
        wall=wall,
    )
    return session, out


def lines(out: io.StringIO) -> list[str]:
    return out.getvalue().replace(BEL, "").splitlines()


async def run_through(session: PlainSession, time: SteppedTime, seconds: float) -> None:
    task = asyncio.ensure_future(session.run())
    await time.advance(seconds)
    await asyncio.wait_for(task, HANG)


async def test_a_whole_routine_line_by_line() -> None:
    time = SteppedTime()
    session, out = session_for(TWO, time)
    await run_through(session, time, 120)
    assert lines(out) == [
        "Two stretches: 2 stretches, about 45 seconds.",
        "Stretch 1 of 2: Knee-to-chest stretch",
        "Step 1: Lie on your back.",
        "Step 2: Pull one knee in.",
        "Tip: Keep breathing.",
        "Plan: hold 10 s, 1 rep each side",
        "Get ready: Knee-to-chest stretch, right side, 5 s",
        "3",
        "2",
        "1",
        "Hold, right, rep 1 of 1, 10 s",
        "5 seconds left",
        "3",
        "2",
        "1",
        "Switch to the left side, 2 s",
        "1",
        "Hold, left, rep 1 of 1, 10 s",
        "5 seconds left",
        "3",
        "2",
        "1",
        "Rest 3 s. Next: Bridge",
        "Stretch 2 of 2: Bridge",
        "Step 1: Lift the hips.",
        "Plan: hold 4 s, 2 reps",
        "Get ready: Bridge, 5 s",
        "3",
        "2",
        "1",
        "Hold, rep 1 of 2, 4 s",
        "3",
        "2",
        "1",
        "Rest 2 s",
        "Hold, rep 2 of 2, 4 s",
        "3",
        "2",
        "1",
        "Done: 2 stretches, 45 seconds",
    ]
    assert time.now == 120


def bells_between(text: str, first: str, then: str) -> int:
    """BELs written after the line starting `first` and up to the line starting `then`."""
    start = text.index("\n", text.index(first))
    return text[start : text.index(then, start)].count(BEL)


async def test_bells_ring_with_the_line_they_belong_to() -> None:
    time = SteppedTime()
    session, out = session_for(TWO, time)
    await run_through(session, time, 120)
    text = out.getvalue()
    # the first bell of a pattern comes just before its line, so a log shows which is which
    assert f"{BEL}Hold, right, rep 1 of 1" in text
    assert f"{BEL}Switch to the left side" in text
    assert f"{BEL}Rest 3 s. Next: Bridge" in text
    # 1 bell: a hold starts; 2: switch sides; 3: a stretch is done; 1 soft one at 3 s left
    assert bells_between(text, "Get ready: Knee", "Hold, right") == 2  # warning + hold
    switch = "Switch to the left side"
    assert bells_between(text, switch, "Hold, left") == 1 + 1  # rest of switch + hold
    assert bells_between(text, "Hold, right", switch) == 2  # warning + first switch bell
    assert bells_between(text, "Hold, left", "Stretch 2 of 2") == 1 + 3  # warning + stretch done
    # the last pattern rings out in full before the session ends
    assert text.endswith(f"{BEL}Done: 2 stretches, 45 seconds\n{BEL * 2}")


async def test_no_bell_means_no_bel_at_all() -> None:
    time = SteppedTime()
    session, out = session_for(TWO, time, bell=False)
    await run_through(session, time, 120)
    assert BEL not in out.getvalue()
    assert "Done: 2 stretches" in out.getvalue()


async def test_nothing_but_plain_text_and_bells_is_ever_written() -> None:
    hostile = routine(
        stretch(
            name="Evil\x1b]2;owned\x07 \x9b31m name\u202e",
            steps=("Step \x1b[2J with ESC", "[bold]markup[/] stays as typed"),
            hold_seconds=Span.exactly(2),
        ),
        prepare=1,
    )
    time = SteppedTime()
    session, out = session_for(hostile, time)
    await run_through(session, time, 30)
    text = out.getvalue()
    controls = {
        ch for ch in text if (ord(ch) < 32 and ch not in "\n\x07") or 0x7F <= ord(ch) < 0xA0
    }
    assert controls == set()
    assert "\u202e" not in text
    assert "Step 2: [bold]markup[/] stays as typed" in text
    assert "Evil]2;owned 31m name" in text


async def test_steps_are_said_once_even_when_a_stretch_restarts() -> None:
    time = SteppedTime()
    session, out = session_for(TWO, time, keys=True)
    task = asyncio.ensure_future(session.run())
    await time.settle()
    session.press(" ")
    await time.advance(7)
    session.press("r")
    await time.settle()
    session.press("q")
    session.press("q")
    await asyncio.wait_for(task, HANG)
    said = lines(out)
    assert said.count("Step 1: Lie on your back.") == 1
    assert "Starting Knee-to-chest stretch again" in said
    restart = said.index("Starting Knee-to-chest stretch again")
    assert said[restart + 1] == "Get ready: Knee-to-chest stretch, right side, 5 s"


async def test_keys_pause_skip_back_mute_and_quit() -> None:
    time = SteppedTime()
    session, out = session_for(TWO, time, keys=True)
    task = asyncio.ensure_future(session.run())
    await time.settle()
    assert lines(out)[-2:] == [KEYS_HELP, "Press Space to start, q to quit."]
    await time.advance(30)
    assert "Get ready" not in out.getvalue()  # nothing runs before Space
    session.press(" ")
    await time.advance(5)
    assert lines(out)[-1] == "Hold, right, rep 1 of 1, 10 s"
    await time.advance(2)
    session.press(" ")
    await time.settle()
    assert lines(out)[-1] == "Paused. Press Space to resume."
    mark = len(lines(out))
    await time.advance(60)
    assert len(lines(out)) == mark  # nothing happens while paused
    session.press(" ")
    await time.settle()
    assert lines(out)[-1] == "Resumed: Hold, 8 s left"
    session.press("n")
    await time.settle()
    assert lines(out)[-1] == "Switch to the left side, 2 s"
    session.press("p")
    await time.settle()
    assert lines(out)[-1] == "Hold, right, rep 1 of 1, 10 s"
    session.press("m")
    await time.settle()
    assert lines(out)[-1] == "Bell off."
    bells = out.getvalue().count(BEL)
    session.press("n")
    await time.advance(3)
    assert out.getvalue().count(BEL) == bells  # muted
    session.press("?")
    assert lines(out)[-1] == KEYS_HELP
    session.press("q")
    assert lines(out)[-1].startswith("Stop the routine? Press q again")
    session.press("x")
    assert lines(out)[-1] == "Carrying on."
    session.press("q")
    session.press("q")
    summary = await asyncio.wait_for(task, HANG)
    assert summary is not None and not summary.finished
    assert lines(out)[-1].startswith("Stopped after 0 of 2 stretches")
    assert session.stopped_at is not None and session.stopped_at.stretch_index == 0
    assert session.exit_code == 0


async def test_q_before_starting_quits_without_running() -> None:
    time = SteppedTime()
    session, _out = session_for(TWO, time, keys=True)
    task = asyncio.ensure_future(session.run())
    await time.settle()
    session.press("q")
    assert await asyncio.wait_for(task, HANG) is None
    assert not session.engine.events


async def test_a_manual_stretch_waits_for_space() -> None:
    manual = routine(stretch(advance="manual", hold_seconds=Span.exactly(3)))
    time = SteppedTime()
    session, out = session_for(manual, time, keys=True)
    task = asyncio.ensure_future(session.run())
    await time.settle()
    session.press(" ")
    await time.advance(100)
    assert lines(out)[-1] == (
        "Get in position: Knee-to-chest stretch; press Space when you are in position"
    )
    session.press(" ")
    await time.advance(10)
    await asyncio.wait_for(task, HANG)
    said = lines(out)
    assert said[-4:-1] == ["Hold, rep 1 of 1, 3 s", "2", "1"]
    assert said[-1].startswith("Done: 1 stretch, ")


async def test_without_keys_a_manual_stretch_starts_by_itself() -> None:
    manual = routine(stretch(advance="manual", hold_seconds=Span.exactly(3)))
    time = SteppedTime()
    session, out = session_for(manual, time)
    await run_through(session, time, NO_KEYS_READY_SECONDS + 10)
    said = lines(out)
    assert f"the hold starts in {NO_KEYS_READY_SECONDS} s" in said[-5]
    assert "Hold, rep 1 of 1, 3 s" in said
    assert said[-1] == f"Done: 1 stretch, {say_duration(NO_KEYS_READY_SECONDS + 3)}"


async def test_a_reader_that_goes_away_stops_the_routine_quietly() -> None:
    class Gone(io.StringIO):
        def write(self, text: str) -> int:
            if "Hold" in text:
                raise BrokenPipeError(32, "Broken pipe")
            return super().write(text)

    time = SteppedTime()
    out = Gone()
    session = PlainSession(
        TWO, out=out, clock=time.clock, sleep=time.sleep, bell_sleep=no_sleep, wall=wall
    )
    task = asyncio.ensure_future(session.run())
    await time.advance(10)
    summary = await asyncio.wait_for(task, HANG)
    assert summary is not None and not summary.finished
    assert session.writer.broken


async def test_a_signal_stops_with_its_exit_status() -> None:
    time = SteppedTime()
    session, _out = session_for(TWO, time)
    task = asyncio.ensure_future(session.run())
    await time.advance(7)
    session._on_signal(15)
    summary = await asyncio.wait_for(task, HANG)
    assert summary is not None and not summary.finished
    assert session.exit_code == 143
    assert session.stopped_at is not None


@pytest.mark.parametrize(
    ("hold", "marks"),
    [
        (40, ["30 seconds left", "5 seconds left", "3", "2", "1"]),
        (10, ["5 seconds left", "3", "2", "1"]),
        (5, ["3", "2", "1"]),
        (2, ["1"]),
    ],
)
async def test_countdown_marks_only_in_longer_holds(hold: int, marks: list[str]) -> None:
    one = routine(stretch(hold_seconds=Span.exactly(hold)), prepare=0)
    time = SteppedTime()
    session, out = session_for(one, time)
    await run_through(session, time, hold + 1)
    said = lines(out)
    start = said.index(f"Hold, rep 1 of 1, {hold} s")
    assert said[start + 1 : -1] == marks


def test_durations_in_words() -> None:
    assert say_duration(0) == "0 seconds"
    assert say_duration(1) == "1 second"
    assert say_duration(61) == "1 minute 1 second"
    assert say_duration(200) == "3 minutes 20 seconds"
    assert say_duration(18 * 60 + 20) == "18 minutes"
    assert say_duration(3600 + 300) == "1 hour 5 minutes"


class _Tty(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize(
    ("env", "tty", "reason"),
    [
        ({"TERM": "xterm-256color"}, True, None),
        ({}, True, "TERM is not set"),
        ({"TERM": ""}, True, "TERM is not set"),
        ({"TERM": "dumb"}, True, "TERM is dumb"),
        ({"TERM": "xterm"}, False, "output is not a terminal"),
        # textual-serve runs the app with pipes; its web driver is not a terminal matter
        ({"TERM": "dumb", "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}, False, None),
    ],
)
def test_when_plain_mode_starts_by_itself(
    env: dict[str, str], tty: bool, reason: str | None
) -> None:
    found = plain_reason(env, _Tty(tty), _Tty(True), _Tty(True))
    if reason is None:
        assert found is None
    else:
        assert found is not None and found.startswith(reason) and "--plain" in found


@pytest.mark.parametrize(
    ("typed", "score"),
    [("7\n", 7), ("10\n", 10), ("t\n", 10), ("0\n", 0), ("\n", None), ("", None), (" 3 \n", 3)],
)
def test_pain_question(typed: str, score: int | None) -> None:
    out = io.StringIO()
    assert ask_pain("right now", io.StringIO(typed), out) == score
    assert out.getvalue().startswith("How does your back feel right now? 0 none, 10 worst")


def test_pain_question_asks_again_after_a_bad_answer() -> None:
    out = io.StringIO()
    assert ask_pain("now", io.StringIO("eleven\n11\n4\n"), out) == 4
    assert out.getvalue().count("Please type a whole number from 0 to 10") == 2


def test_run_plain_without_a_terminal_runs_and_records_history(isolated_home: Path) -> None:
    quick = routine(stretch(hold_seconds=Span.exactly(1)), prepare=0)
    out = io.StringIO()
    args = argparse.Namespace(no_bell=True, speak=False)
    assert run_plain(quick, None, args, stdin=io.StringIO(""), stdout=out) == 0
    said = out.getvalue().splitlines()
    assert said[-1] == "Done: 1 stretch, 1 second"
    assert not any("How does your back feel" in line for line in said)  # nobody to ask
    loaded = history_index.load_entries()
    assert [(e.routine_id, e.finished) for e in loaded.entries] == [("two", True)]


def _fake_speaker(folder: Path, heard: Path) -> None:
    folder.mkdir()
    script = folder / "espeak-ng"
    script.write_text(f"#!/bin/sh\nexec {require_tool('cat')} >> {heard}\n")
    script.chmod(0o755)


class _Heard(speak.Speaker):
    """The real speaker (it runs the fake program), noting each phrase it is given: what run_plain
    says does not depend on how soon the program gets to write it down."""

    said: ClassVar[list[str]] = []

    def say(self, text: str) -> None:
        self.said.append(text)
        super().say(text)


@pytest.mark.parametrize("how", ["flag", "setting"])
def test_speak_says_each_phase_through_the_speaker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path, how: str
) -> None:
    heard = tmp_path / "heard.txt"
    _fake_speaker(tmp_path / "bin", heard)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    if how == "setting":
        (isolated_home / ".config/unknot").mkdir(parents=True, exist_ok=True)
        (isolated_home / ".config/unknot/config.toml").write_text("speak = true\n")
    _Heard.said = []
    monkeypatch.setattr(speak, "Speaker", _Heard)
    quick = routine(stretch(hold_seconds=Span.exactly(1)), prepare=0)
    out = io.StringIO()
    args = argparse.Namespace(no_bell=True, speak=how == "flag")
    assert run_plain(quick, None, args, stdin=io.StringIO(""), stdout=out) == 0
    assert _Heard.said == ["Hold, rep 1 of 1", "Done. Well done."]


def test_speak_with_no_speaker_installed_says_so_and_carries_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    quick = routine(stretch(hold_seconds=Span.exactly(1)), prepare=0)
    out = io.StringIO()
    args = argparse.Namespace(no_bell=True, speak=True)
    assert run_plain(quick, None, args, stdin=io.StringIO(""), stdout=out) == 0
    said = out.getvalue().splitlines()
    assert said[0].startswith("Spoken cues are on, but neither espeak-ng nor say is installed")
    assert said[-1] == "Done: 1 stretch, 1 second"
