"""What unknot says to the terminal besides drawing: bells, the window title, desktop notices.

No Textual import here: the cues write through a plain `write(str)` callable, so they can be
tested byte for byte and reused by a plain (non-Textual) mode. The app builds that callable with
`driver_writer(app)`.

Cues, and why they sound the way they do (the person is often lying down, eyes closed):

- "hold"          1 bell   a hold begins: get into the stretch
- "release"       1 bell   a hold ends and a short rest between reps (or, for a manual
                           stretch, the wait for the person) begins: let go
- "switch"        2 bells  change sides
- "stretch-done"  3 bells  a stretch is finished (rest before the next one, or the end)
- "warning"       1 bell   the soft cue: 3 seconds are left in a hold, a get-ready or a switch.
                           Only one bell, once per phase, and none when the phase is 3 s or
                           shorter (its own start cue is enough), so it never stacks on another.

A new pattern cuts short one still ringing. Paused, stopped or idle: no bells.

Bells of one pattern are written `BELL_GAP` seconds apart: many terminals (xterm, VTE) swallow
a bell that comes within about 200 ms of the previous one, so "2 bells" written together are
heard as one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, Protocol

from tui.core.model import format_duration
from tui.core.side_text import switch_words
from tui.core.textclean import clean_for_sequence

Write = Callable[[str], None]
BellPattern = Literal["hold", "release", "switch", "stretch-done", "warning"]
NotifyProtocol = Literal["auto", "osc9", "osc777", "both"]

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"
PUSH_TITLE = ESC + "[22;0t"  # XTWINOPS: save the window and icon title on the terminal's stack
POP_TITLE = ESC + "[23;0t"  # XTWINOPS: restore them

BELL_COUNTS: Mapping[BellPattern, int] = {
    "hold": 1,
    "release": 1,
    "switch": 2,
    "stretch-done": 3,
    "warning": 1,
}
BELL_GAP = 0.35
"""Seconds between the bells of one pattern: above xterm's 200 ms bell suppression, with room
for the jitter of an SSH connection."""

TITLE_LENGTH = 120
NOTIFY_LENGTH = 200


def _field(text: str, limit: int) -> str:
    """A cleaned OSC field: no ';' (it separates fields in OSC 777 and starts commands in OSC 9)."""
    return clean_for_sequence(text.replace(";", ","), limit)


def osc_title(text: str) -> str:
    """OSC 2: set the window title to `text` (cleaned)."""
    return f"{ESC}]2;{clean_for_sequence(text, TITLE_LENGTH)}{ST}"


def osc9(title: str, body: str) -> str:
    """OSC 9 notification (iTerm2, WezTerm, kitty, Ghostty, Windows Terminal): one line of text."""
    message = f"{_field(title, NOTIFY_LENGTH)}: {_field(body, NOTIFY_LENGTH)}"
    return f"{ESC}]9;{message}{ST}"


def osc777(title: str, body: str) -> str:
    """OSC 777 notification (urxvt, foot, some VTE builds): a title and a body."""
    return f"{ESC}]777;notify;{_field(title, NOTIFY_LENGTH)};{_field(body, NOTIFY_LENGTH)}{ST}"


def tmux_passthrough(sequence: str) -> str:
    """Wrap `sequence` so tmux hands it to the outer terminal (needs `allow-passthrough on`)."""
    return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ST}"


def pick_protocol(env: Mapping[str, str]) -> Literal["osc9", "osc777"]:
    """The notification sequence this terminal most likely reads.

    TERM travels over SSH; VTE_VERSION only on the local machine. Terminals that read OSC 777 and
    not OSC 9 are urxvt, foot and VTE; everything else gets OSC 9 (sending both would show two
    notices on terminals that read both, such as Ghostty or WezTerm).
    """
    term = env.get("TERM", "")
    if term.startswith(("rxvt", "foot")) or env.get("VTE_VERSION"):
        return "osc777"
    return "osc9"


class TerminalCues:
    """Bells, title and notifications for one run of the app, written through `write`.

    `bell_enabled` is the configured choice (`--no-bell` turns it off); `muted` is the `m` key.
    `notify_enabled` is off unless `--notify` (or the setting) turns it on.
    """

    def __init__(
        self,
        write: Write,
        *,
        bell_enabled: bool = True,
        notify_enabled: bool = False,
        env: Mapping[str, str] | None = None,
        protocol: NotifyProtocol = "auto",
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._write = write
        self.bell_enabled = bell_enabled
        self.notify_enabled = notify_enabled
        self.muted = False
        environ = os.environ if env is None else env
        self.in_tmux = bool(environ.get("TMUX"))
        self.protocol: NotifyProtocol = pick_protocol(environ) if protocol == "auto" else protocol
        self._sleep = sleep
        self._ringing: asyncio.Task[None] | None = None
        self._title_pushed = False
        self._title: str | None = None

    # -- bells --------------------------------------------------------------------------------

    @property
    def audible(self) -> bool:
        """Whether a bell would be heard now: enabled and not muted."""
        return self.bell_enabled and not self.muted

    def toggle_mute(self) -> bool:
        """Mute or unmute (the `m` key); returns the new muted state."""
        self.muted = not self.muted
        if self.muted:
            self.cancel()
        return self.muted

    async def ring(self, pattern: BellPattern) -> None:
        """Ring `pattern`: its bells `BELL_GAP` apart; stops early if muted meanwhile."""
        for index in range(BELL_COUNTS[pattern]):
            if index:
                await self._sleep(BELL_GAP)
            if not self.audible:
                return
            self._write(BEL)

    def bell(self, pattern: BellPattern) -> None:
        """Start ringing `pattern` in the background, replacing a pattern still ringing.

        Outside a running event loop (scripts, tests) only the first bell is written.
        """
        if not self.audible:
            return
        self.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._write(BEL)
            return
        self._ringing = loop.create_task(self.ring(pattern))

    def cancel(self) -> None:
        """Stop a pattern that is still ringing."""
        if self._ringing is not None and not self._ringing.done():
            self._ringing.cancel()
        self._ringing = None

    # -- title --------------------------------------------------------------------------------

    def set_title(self, text: str) -> None:
        """Show `text` as the window title; the user's own title is saved first, once."""
        cleaned = clean_for_sequence(text, TITLE_LENGTH)
        if cleaned == self._title:
            return  # the title is rewritten every second: send nothing when it did not change
        if not self._title_pushed:
            self._write(PUSH_TITLE)
            self._title_pushed = True
        self._write(osc_title(cleaned))
        self._title = cleaned

    @property
    def title_saved(self) -> bool:
        """Whether the user's title is saved on the terminal's stack, waiting to be restored."""
        return self._title_pushed

    def restore_title(self) -> None:
        """Give the user's title back (a no-op when unknot never set one).

        Terminals without a title stack ignore the pop; for them the title is emptied first,
        which most show as their default title rather than unknot's last state.
        """
        if not self._title_pushed:
            return
        self._write(osc_title(""))
        self._write(POP_TITLE)
        self._title_pushed = False
        self._title = None

    # -- notifications ------------------------------------------------------------------------

    def notify(self, title: str, body: str) -> None:
        """A desktop notification through the terminal, if enabled (it reaches over SSH)."""
        if not self.notify_enabled:
            return
        sequences: list[str] = []
        if self.protocol in ("osc9", "both"):
            sequences.append(osc9(title, body))
        if self.protocol in ("osc777", "both"):
            sequences.append(osc777(title, body))
        for sequence in sequences:
            self._write(tmux_passthrough(sequence) if self.in_tmux else sequence)

    def close(self) -> None:
        """On the way out: stop any bells and give the title back."""
        self.cancel()
        self.restore_title()


def driver_writer(app: Any) -> Write:
    """A `write` for TerminalCues that goes through the app's driver.

    Writes nothing while there is no driver (before start, after exit) or when the app runs
    headless (tests); a terminal that has gone away (EIO after a hang-up) is ignored.
    """

    def write(text: str) -> None:
        driver = getattr(app, "_driver", None)
        if driver is None or getattr(app, "is_headless", False):
            return
        with contextlib.suppress(OSError, AssertionError):
            driver.write(text)

    return write


# -- deciding cues from engine snapshots (duck-typed: see tui/core/engine.py's Snapshot) -----------


class SnapshotLike(Protocol):
    """The part of tui.core.engine.Snapshot these functions read."""

    @property
    def phase(self) -> str: ...
    @property
    def stretch_index(self) -> int: ...
    @property
    def stretch_count(self) -> int: ...
    @property
    def stretch_name(self) -> str: ...
    @property
    def side(self) -> str | None: ...
    @property
    def rep(self) -> int: ...
    @property
    def reps(self) -> int: ...
    @property
    def seconds_left(self) -> int: ...
    @property
    def phase_seconds(self) -> int: ...
    @property
    def waiting(self) -> bool: ...
    @property
    def paused(self) -> bool: ...
    @property
    def warning(self) -> bool: ...
    @property
    def elapsed(self) -> float: ...
    @property
    def rest_kind(self) -> str | None: ...
    @property
    def next_label(self) -> str: ...


_PHASE_WORDS = {
    "idle": "Ready",
    "prepare": "Get ready",
    "hold": "Hold",
    "switch": "Switch sides",
    "rest": "Rest",
    "done": "Done",
    "stopped": "Stopped",
}
_NAME_LENGTH = 40


PhaseKey = tuple[str, int, str | None, int, str | None, bool]


def phase_key(snap: SnapshotLike) -> PhaseKey:
    """What identifies one phase of the routine; a change of it means a new phase began."""
    return (
        str(snap.phase),
        snap.stretch_index,
        snap.side,
        snap.rep,
        snap.rest_kind,
        snap.waiting,
    )


def _short(name: str) -> str:
    name = clean_for_sequence(name, 200)
    return name if len(name) <= _NAME_LENGTH else name[: _NAME_LENGTH - 1] + "…"


def title_for(snap: SnapshotLike) -> str:
    """The window title for this moment: "Hold 7 - Knee-to-chest stretch R 2/3"."""
    phase = str(snap.phase)
    if phase == "idle":
        return "unknot"
    if phase == "done":
        return "Done - unknot"
    if phase == "stopped":
        return "Stopped - unknot"
    if phase == "rest" and snap.rest_kind == "stretch":
        head = f"Rest {snap.seconds_left} - {clean_for_sequence(snap.next_label, 60)}"
    else:
        word = "Ready?" if snap.waiting else _PHASE_WORDS.get(phase, phase.capitalize())
        clock = "" if snap.waiting or snap.phase_seconds == 0 else f" {snap.seconds_left}"
        side = f" {snap.side[0].upper()}" if snap.side else ""
        head = f"{word}{clock} - {_short(snap.stretch_name)}{side} {snap.rep}/{snap.reps}"
    return f"Paused - {head}" if snap.paused else head


def _finished_stretch(old: SnapshotLike, new: SnapshotLike) -> bool:
    """True when `new` is the first moment after a stretch was finished."""
    if str(new.phase) == "done":
        return str(old.phase) != "done"
    if str(new.phase) == "rest" and new.rest_kind == "stretch":
        return phase_key(old) != phase_key(new)
    # no rest between stretches (rest_seconds = 0): straight on to the next stretch
    return (
        new.stretch_index == old.stretch_index + 1
        and str(old.phase) == "hold"
        and str(new.phase) in ("prepare", "hold")
    )


def cue_for_change(old: SnapshotLike, new: SnapshotLike) -> BellPattern | None:
    """The bell pattern for going from `old` to `new`, or None (see the module docstring)."""
    phase = str(new.phase)
    if phase in ("idle", "stopped") or (new.paused and phase != "done"):
        return None
    if _finished_stretch(old, new):
        return "stretch-done"
    if phase_key(old) != phase_key(new):
        if phase == "hold":
            return "hold"
        if phase == "switch":
            return "switch"
        if phase in ("rest", "prepare") and str(old.phase) == "hold":
            return "release"
        return None
    if new.warning and not old.warning and phase in ("hold", "prepare", "switch"):
        return "warning"
    return None


def notification_for(old: SnapshotLike, new: SnapshotLike) -> tuple[str, str] | None:
    """The desktop notification (title, body) for going from `old` to `new`, or None.

    Only the moments worth a pop-up: switch sides, the next stretch, the end of the routine.
    """
    phase = str(new.phase)
    if phase == "done" and str(old.phase) != "done":
        body = f"{new.stretch_count} stretches in {format_duration(new.elapsed)}"
        return ("Routine done", body)
    if phase in ("idle", "stopped", "done") or phase_key(old) == phase_key(new):
        return None
    if phase == "switch":
        return (switch_words(new.side), _short(new.stretch_name))
    if _finished_stretch(old, new):
        if phase == "rest":
            return (clean_for_sequence(new.next_label, 80), f"{_short(old.stretch_name)} done")
        return (f"Next: {_short(new.stretch_name)}", f"{_short(old.stretch_name)} done")
    return None
