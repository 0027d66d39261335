"""Textual's key parser, changed in one way: Escape followed by a key is two keys (issue 14).

Over SSH, two keys typed a moment apart often arrive in one read. Textual 8.2.8 cannot tell
them from one key sent as two bytes: it reads ESC q as Alt+q (once ESCDELAY has passed with
nothing more), ESC 5 and ESC - as "∞" and "–" (WezTerm's Option keys on macOS), and ESC q ESC
as "^", "q", Escape. unknot binds no Alt key and no such character, so the person pressed
Escape and then the key: help stayed open and q did not quit.

`EscapeKeyParser` wraps the parser's generator and changes only what follows a lone ESC:

- a character that cannot continue an escape sequence: Textual is told the ESC timed out (it
  sends the Escape key, exactly as when the delay passes), then it gets the character;
- ESC [ or ESC O with nothing after them within ESCDELAY, or followed by another ESC: the
  Escape key, then [ or O as typed (Textual would send Alt+[ or Alt+O).

Everything else reaches Textual's parser unchanged and in order, so it parses exactly as before:
every sequence that starts with ESC [ or ESC O (arrows, function keys, bracketed paste, mouse,
focus and the terminal's replies), ESC ESC, a lone ESC, whatever a bracketed paste holds, and
the four pairs that terminals send for one editing key and Textual reads as one: ESC b, ESC f
(Option+Left/Right in iTerm2: ctrl+left/right), ESC DEL (Alt+Backspace: ctrl+w) and ESC Tab
(Shift+Tab on the Linux console). Those four mean nothing to unknot after an Escape, and the
palette's text field uses them.
"""

from __future__ import annotations

from collections.abc import Generator

from textual import constants
from textual._parser import ParseError, ParseTimeout, Peek1, Read1, TokenCallback
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.message import Message

ESC = "\x1b"
SEQUENCE_STARTS = frozenset("[O")
"""After ESC, the characters that begin a longer sequence (CSI and SS3)."""
EDITING_KEYS = frozenset("bf\x7f\t")
"""After ESC, the characters of the one-key pairs Textual maps to editing keys."""
CONTINUES_AFTER_ESCAPE = SEQUENCE_STARTS | EDITING_KEYS | {ESC}
"""What Textual's parser still reads as part of (or the start of) a sequence after ESC."""

Request = Read1 | Peek1


class EscapeKeyParser(XTermParser):
    """XTermParser that reads Escape followed by a key as two keys, never as Alt+key."""

    def parse(self, token_callback: TokenCallback[Message]) -> Generator[Request, str, None]:
        inner = super().parse(token_callback)
        wanted = next(inner)
        escape_pending = False
        """Textual holds a lone ESC and waits (ESCDELAY) for what follows."""
        starter = ""
        """[ or O read after that ESC, not yet given to Textual: what comes next decides."""
        recent = ""
        """The last few characters, to know when a bracketed paste is open."""
        pasting = False
        while True:
            try:
                character = yield Read1(constants.ESCAPE_DELAY) if starter else wanted
            except ParseError as error:
                escape_pending = False
                if starter:
                    # ESC [ or ESC O, then nothing: the Escape key, then that key
                    wanted = _escape_then(inner, starter)
                    starter = ""
                    if isinstance(error, ParseTimeout):
                        continue
                try:
                    wanted = inner.throw(error)
                except StopIteration:
                    return
                continue
            if starter:
                # ESC [ or ESC O then ESC: no sequence, a key
                wanted = _escape_then(inner, starter) if character == ESC else inner.send(starter)
                starter = ""
            elif escape_pending and not pasting:
                if character in SEQUENCE_STARTS:
                    starter = character
                    recent = (recent + character)[-len(BRACKETED_PASTE_START) :]
                    continue
                if character not in CONTINUES_AFTER_ESCAPE:
                    inner.throw(ParseTimeout())  # Textual's own Escape key, as after the delay
            recent = (recent + character)[-len(BRACKETED_PASTE_START) :]
            if recent.endswith(BRACKETED_PASTE_START):
                pasting = True
            elif recent.endswith(BRACKETED_PASTE_END):
                pasting = False
            try:
                wanted = inner.send(character)
            except StopIteration:
                return
            escape_pending = character == ESC and wanted.timeout is not None


def _escape_then(inner: Generator[Request, str, None], key: str) -> Request:
    """Have Textual's parser send the ESC it holds as the Escape key, then `key` on its own."""
    inner.throw(ParseTimeout())
    return inner.send(key)


__all__ = ["EscapeKeyParser"]
