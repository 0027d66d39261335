"""Spoken cues: phase changes said aloud through espeak-ng or `say`, on the machine running unknot.

Off by default: over SSH the sound would play on the server, not by the person's mat. Nothing
here may hang or crash the session: the speaker runs as a separate process that we never wait
for on the caller's thread, a newer cue cuts an older one short, and a process that runs too
long is killed.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tui.core.side_text import switch_words

if TYPE_CHECKING:
    import subprocess

    from tui.core.engine import Event, Snapshot

# subprocess, threading and shutil are imported where they are used: the command line reads
# SPEAK_HELP from here at every start, and most runs never speak.

# Each reads the text from standard input when given none, so text is never taken for an option.
SPEAKER_COMMANDS: tuple[tuple[str, ...], ...] = (("espeak-ng",), ("say",))
NO_SPEAKER_MESSAGE = (
    "Spoken cues are on, but neither espeak-ng nor say is installed here; carrying on without them."
)
SPEAK_HELP = (
    "say phase changes aloud with espeak-ng or say (off by default: over SSH the sound "
    "plays on the server, not where you are)"
)
MAX_TEXT = 300
DEFAULT_TIMEOUT = 20.0


def find_speaker() -> tuple[str, ...] | None:
    """The first speech command installed on this machine, as a full command, or None."""
    import shutil

    for command in SPEAKER_COMMANDS:
        found = shutil.which(command[0])
        if found:
            return (found, *command[1:])
    return None


def _speakable(text: str) -> str:
    """Text with control characters gone and its length capped: a speaker reads it as words."""
    kept = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return " ".join(kept.split())[:MAX_TEXT]


class Speaker:
    """Says one phrase at a time through a speech command; a failing command is reported once."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.command = tuple(command)
        self.name = os.path.basename(self.command[0])
        self.timeout = timeout
        self.on_error = on_error
        """Told about the first failure, once, on the thread that calls say()."""
        import threading

        self._current: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._error: str | None = None
        self._reported = False
        self.broken = False

    def say(self, text: str) -> None:
        """Start saying `text`, cutting short whatever is still being said; returns at once."""
        self._report()
        if self.broken:
            return
        words = _speakable(text)
        if not words:
            return
        self._stop_current()
        import subprocess
        import threading

        try:
            process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as error:
            self.broken = True
            self._error = f"Spoken cues are off: could not run {self.name} ({error.strerror})."
            self._report()
            return
        try:
            assert process.stdin is not None
            # a short phrase fits in the pipe's buffer, so this write never blocks
            process.stdin.write(words.encode("utf-8", "replace") + b"\n")
            process.stdin.close()
        except OSError:
            pass
        with self._lock:
            self._current = process
        threading.Thread(target=self._watch, args=(process,), daemon=True).start()

    def close(self, grace: float = 3.0) -> None:
        """At the end of a session: let the last phrase ("Done") finish, for `grace` seconds at
        most, then stop it."""
        import subprocess

        with self._lock:
            process = self._current
        if process is not None and grace > 0:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(grace)
        self._stop_current()

    def _stop_current(self) -> None:
        with self._lock:
            process, self._current = self._current, None
        if process is not None and process.poll() is None:
            _kill(process)

    def _watch(self, process: subprocess.Popen[bytes]) -> None:
        """Wait for one phrase in the background; kill it when it overruns; note a failure."""
        import subprocess

        try:
            code = process.wait(self.timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            self._error = f"{self.name} took longer than {self.timeout:g} s and was stopped."
            return
        # negative codes are our own kills (a newer cue took over)
        if code > 0:
            self._error = f"{self.name} failed (exit status {code}); cues carry on silently."

    def _report(self) -> None:
        """Tell the person about the first failure, once, on the caller's thread."""
        if self._error is not None and not self._reported:
            self._reported = True
            if self.on_error is not None:
                self.on_error(self._error)


def _kill(process: subprocess.Popen[bytes]) -> None:
    import subprocess

    try:
        process.kill()
    except OSError:
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(1.0)


def make_speaker(on_message: Callable[[str], None]) -> Speaker | None:
    """A speaker for this machine, or None after telling the person that none is installed."""
    command = find_speaker()
    if command is None:
        on_message(NO_SPEAKER_MESSAGE)
        return None
    return Speaker(command, on_error=on_message)


def phrase_for(snapshot: Snapshot) -> str:
    """What to say when a phase begins: short, so it ends before the next one."""
    phase = str(snapshot.phase)
    side = f", {snapshot.side}" if snapshot.side else ""
    if phase == "prepare":
        if snapshot.waiting:
            return f"Get in position: {snapshot.stretch_name}{side}. Press space when ready."
        return f"Get ready: {snapshot.stretch_name}{side}"
    if phase == "hold":
        return f"Hold{side}, rep {snapshot.rep} of {snapshot.reps}"
    if phase == "switch":
        return switch_words(snapshot.side)
    if phase == "rest":
        return "Rest"
    if phase == "done":
        return "Done. Well done."
    if phase == "stopped":
        return "Stopped"
    return ""


def speech_listener(speaker: Speaker) -> Callable[[Snapshot, Sequence[Event]], None]:
    """An engine listener that speaks each phase as it begins (and the end of the routine)."""

    def listen(snapshot: Snapshot, events: Sequence[Event]) -> None:
        kinds = {event.kind for event in events}
        if kinds & {"phase-began", "done", "stopped"}:
            phrase = phrase_for(snapshot)
            if phrase:
                speaker.say(phrase)

    return listen
