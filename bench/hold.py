"""The steady state that wire, CPU and latency watch: a long hold counting down.

unknot runs a one-stretch routine with an hour-long hold, started with Space; the baseline is
the Digits app, whose countdown runs from the start.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from bench import terminal
from bench.baselines.bare_app import MARKER
from bench.common import Sandbox, Sizes, baseline, stretch, unknot, write_routine

ROUTINE_ID = "bench-hold"
ROUTINE_NAME = "Long hold benchmark"


@dataclass(frozen=True)
class Subject:
    """A program to watch, the text that marks its first frame, and the keys that start the hold."""

    name: str
    argv: Sequence[str]
    marker: str
    start_keys: Sequence[str] = ()
    pause_shows: bool = True  # whether pausing changes the screen (the Digits app's does not)


def long_hold(box: Sandbox) -> Subject:
    """unknot on a routine whose only hold lasts an hour, with no get-ready time."""
    write_routine(box.routines, ROUTINE_ID, ROUTINE_NAME, [stretch(1, hold=3600)])
    return Subject("unknot", unknot("run", ROUTINE_ID), ROUTINE_NAME, ("Space",))


def digits_baseline() -> Subject:
    return Subject("Digits app", baseline("digits_app"), MARKER, pause_shows=False)


@contextmanager
def counting_down(subject: Subject, box: Sandbox, sizes: Sizes) -> Iterator[terminal.PtyTerminal]:
    """`subject` in a pseudo-terminal, counting down, just after one of its redraws."""
    with terminal.spawn(subject.argv, box) as term:
        terminal.wait_for(term, subject.marker, sizes.timeout)
        time.sleep(sizes.settle)
        for key in subject.start_keys:
            terminal.press(term, key, sizes.timeout)
        time.sleep(sizes.settle * 2)
        between_ticks(term)
        yield term


def between_ticks(term: terminal.PtyTerminal) -> None:
    """Wait for a once-a-second redraw, then half a second, so a whole-second window holds
    exactly as many redraws as seconds."""
    terminal.next_output(term, 2.0)
    time.sleep(0.5)


def window_seconds(sizes: Sizes) -> int:
    return max(1, round(sizes.window))
