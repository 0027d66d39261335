"""Escape followed by a key in one read is two keys (issue 14, item 9), in both drivers.

Over SSH, keys typed a moment apart often arrive in one read; Textual's parser took ESC q as
Alt+q, so help stayed open and q did not quit. The quiet terminal driver and the served (web)
driver read keys with tui.ui.key_parser.EscapeKeyParser. Each test feeds bytes to a real driver
(a pseudo-terminal, or the pipe textual-serve writes packets to) and compares what it produces
with what Textual's own parser produces:

- real sequences, byte for byte the same events as Textual's parser gives for the same bytes;
- Escape and a key in one read, the same events as Textual's parser gives when the two come a
  moment apart (after its ESCDELAY), which is how a person typed them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
import textual._parser
from test_quiet_driver import Input, disable_input, signals_kept, terminal  # noqa: F401
from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message

from tui.ui.served_driver import ServedDriver

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the drivers are for POSIX")

WAIT = 10.0
"""Longest wait for the events of one case (a hang guard; a lone Escape takes ESCDELAY)."""
SENTINEL = "~"
"""A key typed after each case: once it is read, every event of the case has been read."""

SAME_AS_TEXTUAL: list[tuple[str, str]] = [
    ("text", "unknot"),
    ("enter tab backspace ctrl+c", "\r\t\x7f\x03"),
    ("utf-8", "é✓"),
    ("up", "\x1b[A"),
    ("arrows in one read", "\x1b[A\x1b[B\x1b[C\x1b[D"),
    ("up, application mode", "\x1bOA"),
    ("ctrl+right", "\x1b[1;5C"),
    ("alt+up (xterm)", "\x1b[1;3A"),
    ("alt+up (ESC ESC [A)", "\x1b\x1b[A"),
    ("shift+tab", "\x1b[Z"),
    ("home end page-up delete", "\x1b[H\x1b[F\x1b[5~\x1b[3~"),
    ("f1", "\x1bOP"),
    ("f5 f12", "\x1b[15~\x1b[24~"),
    ("f1 linux console", "\x1b[[A"),
    ("kitty q", "\x1b[113u"),
    ("kitty ctrl+a", "\x1b[97;5u"),
    ("kitty escape", "\x1b[27u"),
    ("paste", "\x1b[200~Knee to chest, 3 x 10 s\x1b[201~"),
    ("paste of lines", "\x1b[200~one\rtwo\nthree\x1b[201~"),
    ("paste holding escapes", "\x1b[200~a\x1b(Bb\x1b7c\x1bqd\x1b[201~"),
    ("mouse down up", "\x1b[<0;10;5M\x1b[<0;10;5m"),
    ("mouse move", "\x1b[<35;12;7M"),
    ("scroll", "\x1b[<64;3;3M\x1b[<65;3;3M"),
    ("focus in out", "\x1b[I\x1b[O"),
    ("cursor position report", "\x1b[12;40R"),
    ("sync output report", "\x1b[?2026;2$y"),
    ("lone escape", "\x1b"),
    ("escape escape", "\x1b\x1b"),
    ("option+left iterm", "\x1bb"),
    ("option+right iterm", "\x1bf"),
    ("alt+backspace", "\x1b\x7f"),
    ("shift+tab linux console", "\x1b\t"),
]
"""(what, text): the events must be exactly those of Textual's parser for the same text."""

TWO_KEYS: list[tuple[str, Sequence[str]]] = [
    ("escape q", ["\x1b", "q"]),
    ("escape space", ["\x1b", " "]),
    ("escape enter", ["\x1b", "\r"]),
    ("escape 5", ["\x1b", "5"]),
    ("escape minus", ["\x1b", "-"]),
    ("escape ]", ["\x1b", "]"]),
    ("escape [", ["\x1b", "["]),
    ("escape O", ["\x1b", "O"]),
    ("escape q escape", ["\x1b", "q", "\x1b"]),
    ("escape escape q", ["\x1b", "\x1b", "q"]),
    ("escape [ up", ["\x1b", "[", "\x1b[A"]),
    ("escape é", ["\x1b", "é"]),
]
"""(what, keys): typed in one read, the events must be those of the keys a moment apart."""


# -- Textual's own parser, the reference ------------------------------------------------------


def textual_events(keys: Sequence[str]) -> list[tuple[object, ...]]:
    """What Textual's parser reads from `keys` given one by one, ESCDELAY passing after each."""
    parser = XTermParser()
    found: list[Message] = []
    for text in keys:
        found += parser.feed(text)
        with mock.patch.object(textual._parser, "get_time", lambda: float("inf")):
            found += parser.tick()  # the delay has passed: a pending ESC is sent
    return [shape(message) for message in found]


def shape(message: Message) -> tuple[object, ...]:
    """Everything an event tells the app, comparable (Key: name and character; mouse: place,
    movement, button and modifiers; paste: text; replies: their values)."""
    fields = ("button", "shift", "meta", "ctrl")
    return (type(message).__name__, repr(message), *(getattr(message, f, None) for f in fields))


# -- the quiet terminal driver, on a pseudo-terminal -------------------------------------------


def quiet_driver_events(term: Input, text: str, count: int) -> list[tuple[object, ...]]:
    """The events the running driver makes of `text` written to its terminal in one write."""
    term.type(text.encode())
    return read_until_sentinel(term.driver.messages, count, lambda: term.type(SENTINEL.encode()))


def read_until_sentinel(
    messages: queue.Queue[Message], count: int, send_sentinel: Any
) -> list[tuple[object, ...]]:
    """Take `count` events (or what comes within WAIT), then type the sentinel and take every
    event up to it: a case that made more events than Textual shows them too."""
    seen: list[Message] = []
    with contextlib.suppress(queue.Empty):
        while len(seen) < count:
            seen.append(messages.get(timeout=WAIT))
    send_sentinel()
    while True:
        try:
            message = messages.get(timeout=WAIT)
        except queue.Empty:
            pytest.fail(f"the sentinel never came; events so far: {[repr(m) for m in seen]}")
        if isinstance(message, events.Key) and message.character == SENTINEL:
            return [shape(m) for m in seen]
        seen.append(message)


@pytest.mark.parametrize(("what", "text"), SAME_AS_TEXTUAL, ids=[c[0] for c in SAME_AS_TEXTUAL])
def test_the_terminal_driver_reads_real_sequences_as_textual_does(
    terminal: Input,  # noqa: F811
    what: str,
    text: str,
) -> None:
    expected = textual_events([text])
    terminal.start()
    assert quiet_driver_events(terminal, text, len(expected)) == expected, what
    disable_input(terminal)


@pytest.mark.parametrize(("what", "keys"), TWO_KEYS, ids=[c[0] for c in TWO_KEYS])
def test_the_terminal_driver_reads_escape_and_a_key_in_one_read_as_two_keys(
    terminal: Input,  # noqa: F811
    what: str,
    keys: Sequence[str],
) -> None:
    expected = textual_events(keys)
    assert shape(events.Key("escape", "\x1b")) in expected  # the reference has the Escape key
    terminal.start()
    assert quiet_driver_events(terminal, "".join(keys), len(expected)) == expected, what
    disable_input(terminal)


# -- the served driver, on the pipe textual-serve writes packets to ----------------------------


class RecordingServedDriver(ServedDriver):
    """Keeps what the input thread would send to the app."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.messages: queue.Queue[Message] = queue.Queue()

    def process_message(self, message: Message) -> None:
        self.messages.put(message)


class Served:
    """A served driver whose input thread reads the packets written to `writer`."""

    def __init__(self, driver: RecordingServedDriver, writer: int) -> None:
        self.driver = driver
        self.writer = writer
        self.thread = threading.Thread(target=driver.run_input_thread, name="served-under-test")
        self.thread.start()

    def keys(self, text: str) -> None:
        """Keys as the server sends them: a "D" packet (type, 4-byte length, payload)."""
        payload = text.encode()
        os.write(self.writer, b"D" + len(payload).to_bytes(4, "big") + payload)

    def stop(self) -> None:
        self.driver.exit_event.set()  # the app is leaving: no ExitApp, no exit_later
        self.driver._input_reader.close()
        self.thread.join(WAIT)
        assert not self.thread.is_alive(), "the served driver's input thread did not end"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    reader, writer = os.pipe()
    stdin = SimpleNamespace(fileno=lambda: reader, isatty=lambda: False)
    monkeypatch.setattr(sys, "__stdin__", stdin)  # what the web driver's InputReader reads

    async def build() -> RecordingServedDriver:
        return RecordingServedDriver(app=SimpleNamespace())

    made = Served(asyncio.run(build()), writer)
    try:
        yield made
    finally:
        if made.thread.is_alive():
            made.stop()
        os.close(writer)
        os.close(reader)


def served_driver_events(served: Served, text: str, count: int) -> list[tuple[object, ...]]:
    served.keys(text)
    return read_until_sentinel(served.driver.messages, count, lambda: served.keys(SENTINEL))


@pytest.mark.parametrize(("what", "text"), SAME_AS_TEXTUAL, ids=[c[0] for c in SAME_AS_TEXTUAL])
def test_the_served_driver_reads_real_sequences_as_textual_does(
    served: Served, what: str, text: str
) -> None:
    expected = textual_events([text])
    assert served_driver_events(served, text, len(expected)) == expected, what
    served.stop()


@pytest.mark.parametrize(("what", "keys"), TWO_KEYS, ids=[c[0] for c in TWO_KEYS])
def test_the_served_driver_reads_escape_and_a_key_in_one_read_as_two_keys(
    served: Served, what: str, keys: Sequence[str]
) -> None:
    expected = textual_events(keys)
    assert served_driver_events(served, "".join(keys), len(expected)) == expected, what
    served.stop()


# -- the app, as a person over a slow link meets it --------------------------------------------


def test_escape_then_q_in_one_write_closes_help_and_quits() -> None:
    from ptyterm import PtyTerminal

    unknot = Path(sys.executable).parent / "unknot"
    routine = Path(__file__).parent / "data" / "pty" / "long-hold.toml"
    with PtyTerminal([str(unknot), "run", str(routine)]) as term:
        term.wait_for("Pty long hold", timeout=15)
        term.send("?")
        term.wait_for("Keys act on the highlighted stretch")
        term.send("\x1bq")  # one write: Escape and q, as one read over SSH brings them
        deadline = time.monotonic() + WAIT
        while term.alive and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not term.alive, f"the app still runs; screen:\n{term.screen_text()}"
        assert term.wait_exit(WAIT) == 0


def test_under_serve_escape_then_q_in_one_packet_closes_help_and_quits() -> None:
    from test_served_child import Served as ServedApp
    from test_served_child import keys as key_packet

    child = ServedApp()
    try:
        child.until(lambda out: b"\x1b]2;unknot" in out, "waiting for the first frame")
        child.send(key_packet("?"))
        child.until(lambda out: b"Keys act on the highlighted stretch" in out, "opening help")
        child.send(key_packet("\x1bq"))  # one packet: Escape and q typed a moment apart
        assert child.ended() == 0
    finally:
        child.close()
