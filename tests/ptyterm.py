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
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import pyte

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
    """The screen did not show (or stop showing) what was awaited in time."""


class PtyTerminal:
    """One program in a pseudo-terminal of `cols` x `rows`, with a pyte screen of its output."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 80,
        rows: int = 24,
        env: Mapping[str, str] | None = None,
        home: Path | None = None,
        cwd: Path | None = None,
        streams: Mapping[int, str | None] | None = None,
    ) -> None:
        """`streams` takes standard streams off the terminal: fd -> None (closed, as with
        `<&-`) or a path (read for 0, written for 1 and 2, as with `<path`, `>path`)."""
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        if home is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="ptyterm-")
            home = Path(self._tempdir.name)
        self.home = home
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        self._raw = bytearray()
        self._title = ""
        self._titles_saved: list[str] = []
        self._title_scan = 0
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

    def _environment(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("TMUX", "TEXTUAL", "TERM_PROGRAM", "VTE_", "PYTEST_"))
            and k not in ("COLUMNS", "LINES", "COLORTERM", "NO_COLOR", "STY")
        }
        env["TERM"] = "xterm-256color"
        env["HOME"] = str(self.home)
        for name, sub in (
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_DATA_HOME", ".local/share"),
            ("XDG_STATE_HOME", ".local/state"),
            ("XDG_CACHE_HOME", ".cache"),
        ):
            folder = self.home / sub
            folder.mkdir(parents=True, exist_ok=True)
            env[name] = str(folder)
        env.update(extra or {})
        return env

    @staticmethod
    def _set_size(fd: int, cols: int, rows: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(self.master, 65536)
            except (OSError, ValueError):
                return  # EIO: the program closed the terminal (it exited)
            if not data:
                return
            with self._lock:
                self._raw += data
                self._stream.feed(data)
                self._follow_title()

    def _follow_title(self) -> None:
        """Track the title from OSC 0/2 and the XTWINOPS title stack (pyte reads OSC 22 as a
        title and knows no stack)."""
        end = self._title_scan
        for match in _TITLE_EVENTS.finditer(self._raw, self._title_scan):
            text, stack = match.groups()
            if text is not None:
                self._title = text.decode("utf-8", "replace")
            elif stack == b"2":
                self._titles_saved.append(self._title)
            elif self._titles_saved:
                self._title = self._titles_saved.pop()
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

    def screen_text(self) -> str:
        """The screen as text, one line per row, trailing spaces removed."""
        with self._lock:
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

    def _await(self, check: str, text: str, present: bool, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen_text()
            if (text in shown) == present:
                return
            if time.monotonic() > deadline:
                exit_note = "" if self.alive else f" (program exited with {self.proc.returncode})"
                raise PtyTimeout(f"{check} {text!r} after {timeout} s{exit_note}; screen:\n{shown}")
            time.sleep(0.05)

    def wait_for(self, text: str, timeout: float = 10.0) -> None:
        """Wait until `text` is on screen; PtyTimeout (with the screen) if it never is."""
        self._await("never saw", text, True, timeout)

    def wait_title(self, text: str, timeout: float = 10.0) -> None:
        """Wait until the window title contains `text`."""
        deadline = time.monotonic() + timeout
        while text not in self.title:
            if time.monotonic() > deadline:
                raise PtyTimeout(f"title never showed {text!r} in {timeout} s: {self.title!r}")
            time.sleep(0.05)

    def wait_gone(self, text: str, timeout: float = 10.0) -> None:
        """Wait until `text` is no longer on screen."""
        self._await("still saw", text, False, timeout)

    # -- doing ------------------------------------------------------------------------------

    def send(self, *keys: str, gap: float = 0.05) -> None:
        """Press keys by name ("Enter", "Space", "Up", "Ctrl+C") or type literal text, in order.

        `gap` seconds between keys keep a lone Escape from merging with the next key.
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
        self._reader.join(5)
        with contextlib.suppress(OSError):
            os.close(self.master)
        self.master = -1

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_exit(self, timeout: float = 10.0) -> int:
        """The program's exit status once it has ended (negative: killed by that signal).

        Also waits for its last output, so `raw` is complete.
        """
        code = self.proc.wait(timeout)
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
        self._reader.join(5)
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
