"""The timer: a countdown big enough to read from a mat, the phase in words, and what comes next.

It is redrawn from the engine's snapshots; each part is touched only when its text or value
changed, so a running hold costs one small redraw a second and nothing animates.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size

from tui.core.engine import Snapshot
from tui.core.model import format_duration
from tui.core.steps import Phase
from tui.ui.widgets.big_digits import BigDigits
from tui.ui.widgets.phase_banner import PhaseBanner
from tui.ui.widgets.timer_lines import TimerLines

PHASE_WORDS: dict[Phase, str] = {
    Phase.IDLE: "Ready? press Space",
    Phase.PREPARE: "Get ready",
    Phase.HOLD: "Hold",
    Phase.SWITCH: "Switch sides",
    Phase.REST: "Rest",
    Phase.DONE: "Done",
    Phase.STOPPED: "Stopped",
}


def phase_words(snapshot: Snapshot) -> str:
    """The phase as a person says it, with "paused" added while paused."""
    words = "Ready? press Space" if snapshot.waiting else PHASE_WORDS[snapshot.phase]
    return f"{words} · paused" if snapshot.paused else words


def banner_words(snapshot: Snapshot) -> tuple[str, ...]:
    """The phase for block capitals, most words first: "HOLD · RIGHT", then "HOLD"."""
    if snapshot.waiting or snapshot.phase == Phase.IDLE:
        words: tuple[str, ...] = ("READY? PRESS SPACE", "PRESS SPACE")
    else:
        word = PHASE_WORDS[snapshot.phase].upper()
        side = snapshot.side.upper() if snapshot.side and where_words(snapshot) else ""
        words = (f"{word} · {side}", word) if side else (word,)
    if snapshot.paused:
        return (f"{words[-1]} · PAUSED", "PAUSED")
    return words


def countdown(snapshot: Snapshot) -> str:
    """What the big digits show: seconds, or minutes:seconds from a minute up."""
    if snapshot.phase == Phase.DONE:
        return "0"
    if snapshot.phase_seconds == 0:
        return "--"
    return clock_face(snapshot.seconds_left)


def clock_face(seconds: int) -> str:
    """Seconds as the digits show them: "45", "1:05", "12:30"."""
    minutes, seconds = divmod(max(0, seconds), 60)
    return f"{minutes}:{seconds:02d}" if minutes else str(seconds)


def widest_face(snapshot: Snapshot) -> str:
    """The widest face this phase can show: the numerals keep one size for the whole phase."""
    return clock_face(snapshot.phase_seconds) if snapshot.phase_seconds else "--"


def where_words(snapshot: Snapshot) -> str:
    """Side and rep: "right side · rep 2 of 3", or nothing between stretches."""
    if snapshot.phase in (Phase.IDLE, Phase.DONE, Phase.STOPPED) or snapshot.reps == 0:
        return ""
    if snapshot.phase == Phase.REST and snapshot.rest_kind == "stretch":
        return ""
    rep = f"rep {max(1, snapshot.rep)} of {snapshot.reps}"
    return f"{snapshot.side} side · {rep}" if snapshot.side else rep


def routine_words(snapshot: Snapshot) -> str:
    """Time left in the routine and which stretch this is."""
    left = (
        "finished"
        if snapshot.phase == Phase.DONE
        else f"{format_duration(snapshot.remaining)} left"
    )
    return f"{left} · stretch {snapshot.stretch_index + 1}/{snapshot.stretch_count}"


def next_words(snapshot: Snapshot) -> str:
    """What comes next, marked as such: "Then: Rest 3 s", "Next: Hamstring stretch"."""
    label = snapshot.next_label
    if not label or label.startswith("Next") or snapshot.phase in (Phase.DONE, Phase.STOPPED):
        return label if snapshot.phase != Phase.DONE else ""
    return f"Then: {label}"


class TimerPanel(Vertical):
    """Big countdown, phase, stretch, side and rep, two progress bars, time left, and next."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.phase_label = PhaseBanner(id="phase")
        self.digits = BigDigits("--", id="count")
        self.lines = TimerLines(id="lines")
        """Stretch, side and rep, the phase's bar over the routine's, time left, and next."""
        self._shown: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        yield self.phase_label
        yield self.digits
        yield self.lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Where its height is left to its content (the compact layout), the panel is measured
        # with no rows to spare. Textual measures a column that way only when one child has a
        # fixed height; with every child's height auto it would offer them the whole window.
        # The banner keeps its one-line form in such a panel whatever rows it is offered (see
        # PhaseBanner), so the panel laid out in the height it measured holds every row.
        return self.arrange(Size(width, 0)).total_region.height if self.children else 0

    def _changed(self, key: str, value: object) -> bool:
        if self._shown.get(key, ...) == value:
            return False
        self._shown[key] = value
        return True

    def show(self, snapshot: Snapshot) -> None:
        """Bring every part up to `snapshot`, touching only those whose value changed."""
        if self._changed("phase", words := (phase_words(snapshot), banner_words(snapshot))):
            self.phase_label.update(*words)
        if self._changed("count", face := (countdown(snapshot), widest_face(snapshot))):
            self.digits.update(*face)
        timed = snapshot.phase_seconds > 0
        phase_bar = (
            (snapshot.phase_seconds, snapshot.phase_seconds - snapshot.seconds_left)
            if timed
            else (1, 1 if snapshot.phase == Phase.DONE else 0)
        )
        routine_bar = (max(1, round(snapshot.total)), int(snapshot.elapsed))
        if snapshot.phase == Phase.DONE:
            routine_bar = (routine_bar[0], routine_bar[0])
        self.lines.update(  # redraws only the rows that changed
            name=snapshot.stretch_name,
            where=where_words(snapshot),
            bars=(phase_bar, routine_bar),
            left=routine_words(snapshot),
            next_text=next_words(snapshot),
        )
        if self._changed("warning", snapshot.warning):
            self.set_class(snapshot.warning, "-warning")
        if self._changed("paused", snapshot.paused):
            self.set_class(snapshot.paused, "-paused")
        if self._changed("done", snapshot.phase == Phase.DONE):
            self.set_class(snapshot.phase == Phase.DONE, "-done")

    @property
    def text(self) -> str:
        """The words shown (not the digits), one part a line, for tests."""
        words = self.lines.words
        parts = [self.phase_label.plain] + [words[key] for key in ("name", "where", "left", "next")]
        return "\n".join(parts)
