"""Run a program in a real pseudo-terminal and read its screen, as a person at a keyboard would.

Reusable by the tests and the benchmarks::

    with PtyTerminal([unknot, "run", "x.toml"], cols=80, rows=24) as term:
        term.wait_for("Knee-to-chest")
        term.send("Space")
        term.signal(signal.SIGHUP)
        assert term.wait_exit(10) == 129
        assert restore_problems(term.raw) == []

A reader thread feeds everything the program writes into a pyte screen and keeps the raw bytes.
The child runs in its own session with the pty as its controlling terminal, so a resize sends it
SIGWINCH and closing our side (`hangup()`) sends it SIGHUP, like a dropped SSH connection.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
import select
import signal
import struct
import subprocess
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import pyte

try:  # as the benchmarks import this module
    from tests.known_env import PLUGIN_PREFIXES, known_environment
    from tests.patience import HANG
except ImportError:  # as the tests do, with tests/ on sys.path
    from known_env import (  # type: ignore[import-not-found,no-redef]
        PLUGIN_PREFIXES,
        known_environment,
    )
    from patience import HANG  # type: ignore[import-not-found,no-redef]

KEYS: dict[str, str] = {
    "Enter": "\r",
    "Space": " ",
    "Escape": "\x1b",
    "Tab": "\t",
    "BTab": "\x1b[Z",
    "Backspace": "\x7f",
    "Up": "\x1b[A",
    "Down": "\x1b[B",
    "Right": "\x1b[C",
    "Left": "\x1b[D",
    "Home": "\x1b[H",
    "End": "\x1b[F",
    "PageUp": "\x1b[5~",
    "PageDown": "\x1b[6~",
    "Delete": "\x1b[3~",
}

# (turned on, turned off): after the program exits, every "on" must have been followed by its "off"
RESTORE_PAIRS: tuple[tuple[bytes, bytes, str], ...] = (
    (b"\x1b[?1049h", b"\x1b[?1049l", "alternate screen"),
    (b"\x1b[?1000h", b"\x1b[?1000l", "mouse reporting (1000)"),
    (b"\x1b[?1003h", b"\x1b[?1003l", "mouse reporting (1003)"),
    (b"\x1b[?1006h", b"\x1b[?1006l", "SGR mouse mode (1006)"),
    (b"\x1b[?25l", b"\x1b[?25h", "hidden cursor"),
    (b"\x1b[22;0t", b"\x1b[23;0t", "saved window title"),
)
_OSC_TITLE = re.compile(rb"\x1b\][02];")
_TITLE_EVENTS = re.compile(rb"\x1b\][02];([^\x07\x1b]*)(?:\x07|\x1b\\)|\x1b\[2([23]);0t")
_OSC = re.compile(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
SYNC_QUERY = b"\x1b[?2026$p"  # DECRQM: does the terminal know synchronized output?
SYNC_SUPPORTED = b"\x1b[?2026;2$y"  # it does (and it is off until asked for)
SYNC_BEGIN = b"\x1b[?2026h"  # a frame begins: show nothing of it yet
SYNC_END = b"\x1b[?2026l"  # the frame is whole: show it
LAST_BYTES = 600
"""How many of the last bytes written a failure message shows."""


def key_text(name: str) -> str:
    """What the terminal sends for a key name: "Enter", "Up", "Ctrl+C", or a literal string."""
    if name in KEYS:
        return KEYS[name]
    if name.lower().startswith("ctrl+") and len(name) == 6:
        return chr(ord(name[-1].lower()) & 0x1F)
    return name


def count_bells(raw: bytes) -> int:
    """Bells the program rang: BEL bytes, not counting those that end an OSC sequence."""
    return _OSC.sub(b"", raw).count(b"\x07")


def restore_problems(raw: bytes) -> list[str]:
    """What a program left switched on in the terminal, judging by everything it wrote."""
    problems = []
    for on, off, what in RESTORE_PAIRS:
        last_on = raw.rfind(on)
        if last_on >= 0 and raw.rfind(off) < last_on:
            problems.append(f"{what} left on")
    push = raw.rfind(b"\x1b[22;0t")
    if push >= 0:
        last_title = max((m.start() for m in _OSC_TITLE.finditer(raw)), default=-1)
        if raw.rfind(b"\x1b[23;0t") < last_title:
            problems.append("title changed after it was restored")
    return problems


class PtyTimeout(AssertionError):
    """The screen did not show (or stop showing) what was awaited before HANG; the message
    says what was there instead (screen, title, last bytes, whether the program still ran)."""


class PtyTerminal:
    """One program in a pseudo-terminal of `cols` x `rows`, with a pyte screen of its output."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 80,
        rows: int = 24,
        env: Mapping[str, str | None] | None = None,
        home: Path | None = None,
        cwd: Path | None = None,
        streams: Mapping[int, str | None] | None = None,
        whole_frames: bool = True,
    ) -> None:
        """`streams` takes standard streams off the terminal: fd -> None (closed, as with
        `<&-`) or a path (read for 0, written for 1 and 2, as with `<path`, `>path`).
        `whole_frames`: answer that this terminal draws frames whole (see _follow_frames);
        the benchmarks turn it off, to measure what they always measured."""
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        self.whole_frames = whole_frames
        if home is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="ptyterm-")
            home = Path(self._tempdir.name)
        self.home = home
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.RLock()  # until() holds it while a test's check reads us
        self._raw = bytearray()
        self._title = ""
        self._titles_saved: list[str] = []
        self._title_scan = 0
        self._titles: list[str] = []
        self._title_from = 0
        self._output_from = 0
        self._changed = threading.Condition(self._lock)  # notified at each read, and at the end
        self._reading = True
        self._frame_open = False  # inside a synchronized frame: the screen is half drawn
        self._stop = threading.Event()
        self.master, slave = os.openpty()
        self._set_size(slave, cols, rows)
        try:
            self.proc = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self._environment(env),
                cwd=cwd,
                start_new_session=True,
                preexec_fn=functools.partial(_take_controlling_terminal, dict(streams or {})),
            )
        except BaseException:
            os.close(self.master)
            raise
        finally:
            os.close(slave)
        self._reader = threading.Thread(target=self._read, name="ptyterm-reader", daemon=True)
        self._reader.start()

    def _environment(self, extra: Mapping[str, str | None] | None) -> dict[str, str]:
        """tests/known_env.py's environment with our home, without the test plugins' variables, then
        `extra` (a value of None removes that variable, e.g. {"TERM": None})."""
        env = {
            name: value
            for name, value in known_environment(self.home).items()
            if not name.startswith(PLUGIN_PREFIXES)
        }
        for name, value in (extra or {}).items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env

    @staticmethod
    def _set_size(fd: int, cols: int, rows: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def _read(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    ready, _, _ = select.select([self.master], [], [], 0.05)
                    if not ready:
                        continue  # only to look at the stop flag again
                    data = os.read(self.master, 65536)
                except (OSError, ValueError):
                    return  # EIO: the program closed the terminal (it exited)
                if not data:
                    return
                with self._changed:
                    start = max(0, len(self._raw) - len(SYNC_QUERY) + 1)  # a query cut in two
                    self._raw += data
                    self._stream.feed(data)
                    self._follow_title()
                    if self.whole_frames:
                        self._follow_frames(start)
                    self._changed.notify_all()
        finally:
            with self._changed:
                self._reading = False
                self._changed.notify_all()

    def _follow_frames(self, start: int) -> None:
        """Answer the program's question whether we draw frames whole (DECRQM 2026), as modern
        terminals do, and note whether a frame has begun and not yet ended.

        Textual asks, and then writes each frame between SYNC_BEGIN and SYNC_END; a terminal
        shows it only once whole. The waits do the same: they never judge a screen half drawn,
        where a dialog's first line is there and its last not yet.
        """
        new = self._raw[start:]
        for _ in range(new.count(SYNC_QUERY)):
            with contextlib.suppress(OSError):
                os.write(self.master, SYNC_SUPPORTED)
        begin, end = new.rfind(SYNC_BEGIN), new.rfind(SYNC_END)
        if begin >= 0 or end >= 0:
            self._frame_open = begin > end

    def _follow_title(self) -> None:
        """Track the title from OSC 0/2 and the XTWINOPS title stack (pyte reads OSC 22 as a
        title and knows no stack); every title shown is kept, in order, in `_titles`."""
        end = self._title_scan
        for match in _TITLE_EVENTS.finditer(self._raw, self._title_scan):
            text, stack = match.groups()
            if text is not None:
                self._title = text.decode("utf-8", "replace")
                self._titles.append(self._title)
            elif stack == b"2":
                self._titles_saved.append(self._title)
            elif self._titles_saved:
                self._title = self._titles_saved.pop()
                self._titles.append(self._title)
            end = match.end()
        # a sequence cut in two by a read is matched on the next pass
        self._title_scan = max(end, len(self._raw) - 512)

    # -- looking ----------------------------------------------------------------------------

    @property
    def raw(self) -> bytes:
        """Every byte the program has written so far."""
        with self._lock:
            return bytes(self._raw)

    @property
    def received(self) -> int:
        """How many bytes the program has written so far (cheap: no copy, for polling)."""
        return len(self._raw)

    @property
    def title(self) -> str:
        """The window title now: the last OSC 0/2, or the one a title-stack pop gave back."""
        with self._lock:
            return self._title

    @property
    def titles(self) -> list[str]:
        """Every title the program has shown, in order (a pop of the stack counts as one)."""
        with self._lock:
            return list(self._titles)

    def screen_text(self) -> str:
        """The screen as text, one line per row, trailing spaces removed."""
        with self._lock:
            return self._screen_text()

    def _screen_text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def screen_after(self, offset: int) -> str:
        """The screen drawn by what the program wrote from byte `offset` on, on a blank screen.

        A terminal clears its alternate screen each time a program enters it (ESC [?1049h), so
        after a program takes the screen back this is what a person sees; pyte keeps the old
        contents instead, which would hide a screen left half drawn.
        """
        screen = pyte.Screen(self.cols, self.rows)
        pyte.ByteStream(screen).feed(self.raw[offset:])
        return "\n".join(line.rstrip() for line in screen.display)

    def screen_cells(self) -> tuple[tuple[object, ...], ...]:
        """Every cell with its colours and style: unlike the text, this changes when only a
        highlight moves (the benchmarks time key presses by it)."""
        with self._lock:
            buffer = self.screen.buffer
            return tuple(
                tuple(buffer[row][col] for col in range(self.screen.columns))
                for row in range(self.screen.lines)
            )

    def describe(self) -> str:
        """What the terminal shows now, for a failure message: the screen, the title, the last
        bytes written (escape codes and all) and whether the program still runs."""
        with self._lock:
            return self._describe()

    def _describe(self) -> str:
        tail = bytes(self._raw[-LAST_BYTES:])
        code = self.proc.poll()
        if code is None and not self._reading:  # the terminal closed: it is ending, or has
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = self.proc.wait(1)
        state = "still running" if code is None else f"exited with status {code}"
        rule = "-" * self.cols
        return (
            f"program: {state}; title: {self._title!r}\n"
            f"screen ({self.cols}x{self.rows}):\n{rule}\n{self._screen_text()}\n{rule}\n"
            f"last {len(tail)} of {len(self._raw)} bytes written: {tail!r}"
        )

    def until(
        self,
        done: Callable[[], bool],
        what: str,
        timeout: float = HANG,
        seen: Callable[[], str] | None = None,
    ) -> None:
        """Wait until `done()` holds, looking again each time the program writes, and never at a
        frame half drawn (both are called with the terminal's lock held: they may read its
        private state).

        Fails with PtyTimeout when the program has closed the terminal and `done()` still does
        not hold (nothing can change any more), or after `timeout` seconds. The message says
        `what`, then `seen()` if given, then `describe()`.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while (self._frame_open and self._reading) or not done():
                left = deadline - time.monotonic()
                if self._reading and left > 0:
                    self._changed.wait(min(left, 1.0))
                    continue
                why = f"waited {timeout:.0f} s" if self._reading else "the terminal was closed"
                extra = f"\n{seen()}" if seen is not None else ""
                raise PtyTimeout(f"{what} ({why}){extra}\n{self._describe()}")

    def wait_for(self, text: str, timeout: float = HANG) -> None:
        """Wait until `text` is on screen; PtyTimeout (with what was there) if it never is."""
        self.until(lambda: text in self._screen_text(), f"never saw {text!r}", timeout)

    def wait_gone(self, text: str, timeout: float = HANG) -> None:
        """Wait until `text` is no longer on screen."""
        self.until(lambda: text not in self._screen_text(), f"still saw {text!r}", timeout)

    def wait_title(self, text: str, timeout: float = HANG) -> None:
        """Wait until a title containing `text` has been shown.

        Titles are looked for in the order they came, from the one the previous wait_title
        found on: a title shown only for a moment (or between two looks) still counts, and
        waiting for "Switch sides" then "Hold" means a hold after the switch.
        """

        def found() -> bool:
            for index in range(self._title_from, len(self._titles)):
                if text in self._titles[index]:
                    self._title_from = index
                    return True
            return False

        def seen() -> str:
            return f"titles from the last one waited for on: {self._titles[self._title_from :]}"

        self.until(found, f"no title with {text!r}", timeout, seen)

    def wait_output(self, text: str, timeout: float = HANG, since: int | None = None) -> None:
        """Wait until the program has written `text` (as UTF-8), after what the previous
        wait_output found, or after byte `since` (e.g. `received` before a resize): for
        programs that write lines (plain mode), whose screen scrolls, this misses nothing and
        keeps the order; for a full-screen app, it tells a new frame from an old one."""
        wanted = text.encode()
        if since is not None:
            self._output_from = since

        def found() -> bool:
            at = self._raw.find(wanted, self._output_from)
            if at < 0:
                return False
            self._output_from = at + len(wanted)
            return True

        self.until(found, f"never wrote {text!r} (after byte {self._output_from})", timeout)

    # -- doing ------------------------------------------------------------------------------

    def send(self, *keys: str, gap: float = 0.0) -> None:
        """Press keys by name ("Enter", "Space", "Up", "Ctrl+C") or type literal text, in order.

        Keys sent in one call may reach the program in one read, as keys typed quickly over SSH
        do. A test that needs the program to see a key on its own (a lone Escape) waits for the
        answer to it before sending the next. `gap` (seconds) spaces keys for the benchmarks.
        """
        for index, key in enumerate(keys):
            if index and gap:
                time.sleep(gap)
            os.write(self.master, key_text(key).encode())

    def resize(self, cols: int, rows: int) -> None:
        """Change the window size; the kernel sends the program SIGWINCH."""
        with self._lock:
            self.screen.resize(rows, cols)
        self.cols, self.rows = cols, rows
        self._set_size(self.master, cols, rows)

    def signal(self, sig: int) -> None:
        """Send `sig` to the program."""
        self.proc.send_signal(sig)

    def hangup(self) -> None:
        """Close our side of the terminal, as a dropped connection does: the program gets SIGHUP."""
        self._stop.set()
        self._reader.join(HANG)
        with contextlib.suppress(OSError):
            os.close(self.master)
        self.master = -1

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_exit(self, timeout: float = HANG) -> int:
        """The program's exit status once it has ended (negative: killed by that signal).

        Also waits for its last output, so `raw` is complete.
        """
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise PtyTimeout(
                f"the program did not exit in {timeout:.0f} s\n" + self.describe()
            ) from None
        self._reader.join(timeout)
        return code

    def close(self) -> None:
        """Kill the program if it still runs, and release the terminal."""
        if self.alive:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(5)
        self._stop.set()
        self._reader.join(HANG)
        if self.master >= 0:
            with contextlib.suppress(OSError):
                os.close(self.master)
            self.master = -1
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

    def __enter__(self) -> PtyTerminal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _take_controlling_terminal(streams: Mapping[int, str | None]) -> None:
    """In the child, after setsid: make the pty (fd 0) its controlling terminal, then close or
    redirect the standard streams named in `streams`."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    for fd, path in streams.items():
        if path is None:
            os.close(fd)
            continue
        flags = os.O_RDONLY if fd == 0 else os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        opened = os.open(path, flags, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
