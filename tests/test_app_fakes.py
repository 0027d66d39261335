"""Fakes shared by the app's Pilot and snapshot tests: a clock the test moves by hand, and a
way to read what the screen shows. (A few tests of the fakes themselves sit at the end.)"""

from __future__ import annotations

import asyncio
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from patience import HANG
from textual.app import App

from tui.core.model import Routine, Span, Stretch
from tui.routine_files.loader import load_routine
from tui.store.paths import builtin_dir


class FakeClock:
    """Monotonic time that moves only when the test says so; `sleep` waits for it.

    Injected into the app (never patch time.monotonic: that hangs Pilot).
    """

    def __init__(self) -> None:
        self.now = 1000.0
        self._moved = asyncio.Event()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        target = self.now + seconds
        while self.now < target - 1e-9:
            self._moved.clear()
            await self._moved.wait()

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self._moved.set()


def wall() -> datetime:
    return datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def builtin() -> Routine:
    return load_routine(builtin_dir() / "back-spasm-relief.toml", "built-in")


def screen_lines(app: App[object]) -> list[str]:
    """The characters the current screen would send, one string a row."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(app: App[object]) -> str:
    return "\n".join(screen_lines(app))


def control_characters(text: str) -> set[str]:
    """Characters that a terminal would act on instead of showing (C0, DEL, C1)."""
    return {ch for ch in text if ch != "\n" and unicodedata.category(ch) == "Cc"}


EVIL = "[bold]x[/bold] [@click=app.quit]click[/] [/] [link=file:///x]l[/link]"
ESCAPES = "\x1b]2;pwned\x07\x1b[2J\x9b31m\x07\x00\x7f\u202eend"


def evil_routine() -> Routine:
    """A routine whose every text tries markup, actions, links and terminal escapes."""
    stretch = Stretch(
        id="evil",
        name=f"{EVIL} name{ESCAPES}",
        steps=(f"step {EVIL}{ESCAPES}", "[/release] second step"),
        hold_seconds=Span(2, 2),
        reps=Span(1, 1),
        targets=("[red]target[/red]",),
        position=f"[blink]position{ESCAPES}",
        tips=(f"tip [/]{ESCAPES}",),
        variation="[link=file:///etc/passwd]variation[/link]",
    )
    other = Stretch(
        id="plain",
        name="Plain [left] stretch",
        steps=("Reach [left] arm",),
        hold_seconds=Span(2, 2),
        reps=Span(1, 1),
    )
    return Routine(
        id="evil",
        name=f"Routine {EVIL}{ESCAPES}",
        stretches=(stretch, other),
        prepare_seconds=1,
        rest_seconds=1,
    )


def tiny_routine(routine_id: str = "tiny", name: str = "Tiny") -> Routine:
    """Two short stretches, one per side kind, for fast whole-routine runs."""
    return Routine(
        id=routine_id,
        name=name,
        stretches=(
            Stretch(
                id="a",
                name="Alpha",
                steps=("Do alpha.",),
                hold_seconds=Span(2, 4),
                reps=Span(2, 3),
                sides="each",
                switch_seconds=1,
                rest_between_reps=1,
            ),
            Stretch(
                id="b", name="Beta", steps=("Do beta.",), hold_seconds=Span(2, 2), reps=Span(1, 1)
            ),
        ),
        prepare_seconds=1,
        rest_seconds=1,
    )


async def test_fake_clock_sleep_waits_for_advance() -> None:
    clock = FakeClock()
    task = asyncio.create_task(clock.sleep(2))
    await asyncio.sleep(0)
    clock.advance(1)
    await asyncio.sleep(0)
    assert not task.done()
    clock.advance(1)
    await asyncio.wait_for(task, HANG)
    assert clock() == 1002.0


def test_control_characters_finds_escapes() -> None:
    assert control_characters(ESCAPES) >= {"\x1b", "\x9b", "\x00", "\x7f"}
    assert control_characters("plain [bold] text\n") == set()


def test_builtin_routine_is_the_four_stretches() -> None:
    assert [s.name for s in builtin().stretches] == [
        "Knee-to-chest stretch",
        "Trunk rotations",
        "Prone back extension",
        "Hamstring stretch",
    ]
    assert Path(builtin_dir()).is_dir()
