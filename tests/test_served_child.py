"""The process behind each browser tab of `unknot serve` always ends.

textual-serve runs `python -m tui run` on Textual's web driver for each tab and speaks to it in
packets over its stdin and stdout. These tests speak that protocol themselves (no browser, no
server): the process must end once told "quit", however early, and once nobody is left to tell
it anything. Deadlines are generous; no test measures how fast.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from patience import HANG

from tui.store.resume import Places, resume_path

DEADLINE = HANG
"""Seconds a test waits for something before it fails: only a hang gets there."""


def packet(kind: bytes, payload: bytes) -> bytes:
    """One packet as textual-serve frames it: a type byte, a 4-byte length, the payload."""
    return kind + len(payload).to_bytes(4, "big") + payload


def meta(**fields: object) -> bytes:
    return packet(b"M", json.dumps(fields).encode())


def keys(text: str) -> bytes:
    return packet(b"D", text.encode())


class Served:
    """`python -m tui run` as textual-serve starts it, with its output collected as it comes."""

    def __init__(self, width: int = 80, height: int = 24) -> None:
        env = dict(
            os.environ,
            TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver",
            TEXTUAL_FPS="60",
            TEXTUAL_COLOR_SYSTEM="truecolor",
            TERM_PROGRAM="textual",
            COLUMNS=str(width),
            ROWS=str(height),
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", "run"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while chunk := stdout.read1(65536):
            with self._lock:
                self._output += chunk

    @property
    def output(self) -> bytes:
        with self._lock:
            return bytes(self._output)

    def send(self, data: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(data)
        stdin.flush()

    def seen(self) -> str:
        """The end of what the app has written so far, and whether it still runs."""
        code = self.process.poll()
        state = "still running" if code is None else f"exited with status {code}"
        output = self.output
        return f"the app is {state}; last of {len(output)} bytes: {output[-600:]!r}"

    def until(self, what: Callable[[bytes], bool], doing: str) -> None:
        """Wait (up to DEADLINE) until the output so far satisfies `what`."""
        end = time.monotonic() + DEADLINE
        while not what(self.output):
            assert self.process.poll() is None, f"the app ended while {doing}: {self.seen()}"
            assert time.monotonic() < end, f"nothing came while {doing}: {self.seen()}"
            time.sleep(0.05)

    def ended(self) -> int:
        """The exit status, once the process ends (failing if it is still alive at DEADLINE)."""
        try:
            return self.process.wait(DEADLINE)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {DEADLINE:.0f} s after it should have ended: {self.seen()}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        self._reader.join(DEADLINE)


@pytest.fixture
def served() -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(width: int = 80, height: int = 24) -> Served:
        started.append(Served(width, height))
        return started[-1]

    yield start
    for child in started:
        child.close()


def _mounted(output: bytes) -> bool:
    """The app has drawn its first frame and set the window title."""
    return b"\x1b]2;unknot" in output


@pytest.mark.parametrize("sizes", [[(100, 30)], [(111, 30), (111, 38)], [(60, 20), (120, 40)]])
def test_a_tab_that_resizes_and_leaves_while_the_app_starts_ends_it(
    served: Callable[..., Served], sizes: list[tuple[int, int]]
) -> None:
    # a browser that fits its terminal to the page and is gone a moment later: before the fix
    # the app laid its screen out at two sizes in turn for ever, at full CPU, deaf to SIGTERM
    child = served()
    for width, height in sizes:
        child.send(meta(type="resize", width=width, height=height))
    child.send(meta(type="quit"))
    assert child.ended() == 0


def test_a_tab_that_leaves_after_the_first_frame_ends_it(served: Callable[..., Served]) -> None:
    child = served()
    child.until(_mounted, "waiting for the first frame")
    child.send(meta(type="resize", width=90, height=28))
    child.send(meta(type="quit"))
    assert child.ended() == 0


def _start_the_routine(child: Served) -> None:
    child.until(_mounted, "waiting for the first frame")
    child.send(keys(" "))
    child.until(lambda out: b"right now" in out, "waiting for the pain question")
    child.send(keys("\r"))  # skip it
    child.until(lambda out: b"\x1b]2;Get ready" in out, "waiting for the routine to start")


def test_the_app_ends_and_keeps_the_place_when_the_server_goes_away(
    served: Callable[..., Served],
) -> None:
    # the server killed or crashed: stdin ends and no "quit" ever comes
    child = served()
    _start_the_routine(child)
    stdin = child.process.stdin
    assert stdin is not None
    stdin.close()
    assert child.ended() == 0
    assert len(Places.default().load().saved) == 1


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no POSIX signals on this platform")
def test_sigterm_ends_a_served_app_mid_routine(served: Callable[..., Served]) -> None:
    child = served()
    _start_the_routine(child)
    child.process.send_signal(signal.SIGTERM)
    assert child.ended() == 128 + signal.SIGTERM
    assert len(Places.default().load().saved) == 1


def test_resume_path_is_in_the_test_home(isolated_home: Path) -> None:
    # the app process inherits the XDG folders of the test, so the resume file checked above
    # is the one it wrote, never the real one
    assert resume_path().is_relative_to(isolated_home)
    assert Places.default().folder.is_relative_to(isolated_home)
