"""The figure of the stretch shown: a stick figure drawn in braille dots (or half blocks).

It moves only while the body does (tui.core.figure_motion): a few frames a second during the
get-ready, the switch of sides and a rest between reps, and not at all during a hold, so that a
hold costs no more to draw than before. Each frame redraws only the cells that changed. Near
limbs are drawn bright and far ones dim; the renderer also draws them thicker and thinner, so
the picture reads in monochrome and under NO_COLOR. Nothing of the routine file's text is shown
here, so no markup can reach the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from tui.core.engine import Snapshot
from tui.core.model import Side, Stretch

if TYPE_CHECKING:
    from tui.core.figure import Figure
    from tui.core.raster import Frame, Mode

SMALLEST_ROWS = 6
"""tui.core.figure_draw.SMALLEST's rows, named here: the drawing modules load after the first
frame (a test holds the two equal)."""

SHARE = 0.5
"""The most of its pane's height the figure takes: the words under it keep the rest."""

MIN_COLUMNS = 30
"""Narrower than this (a 60-column window), a figure is too small to make out, and the rows it
would take push the stretch's first step out of the pane: none is shown."""

FRAMES_PER_SECOND = 3
"""tui.core.figure_motion.FRAMES_PER_SECOND (a test holds the two equal)."""


class FigureView(Widget, can_focus=False):
    """The stretch's figure, as large as the pane's width allows within SHARE of its height;
    no rows at all when there is no figure or too little room to read one.

    Nothing is drawn before the app's first frame: working out a figure's room and drawing it
    waits until just after, so a figure never delays the start."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "figure--near",
        "figure--far",
        "figure--head",
        "figure--floor",
    }
    DEFAULT_CSS = """
    FigureView {
        width: 1fr;
        height: auto;
    }
    FigureView > .figure--near, FigureView > .figure--head {
        color: $text;
        text-style: bold;
    }
    FigureView > .figure--far {
        color: $text-muted;
    }
    FigureView > .figure--floor {
        color: $text-disabled;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.figure: Figure | None = None
        self.side: Side = "right"
        self.progress = 0.0
        self.mode: Mode = "braille"
        self.frames_drawn = 0
        """Frames drawn so far (a new picture, not a repaint of the same one): for tests."""
        self._frame: Frame | None = None
        self._frame_for: tuple[object, ...] | None = None
        self._timer: Timer | None = None
        self._playing: tuple[Snapshot, Callable[[], float]] | None = None
        self._ready = False
        """The app has drawn its first frame: the figure may take its room."""
        self._wanted: tuple[Stretch | None, Snapshot | None, Callable[[], float] | None] = (
            None,
            None,
            None,
        )

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        self._ready = True
        self.refresh(layout=True)
        self.follow(*self._wanted)

    # -- what to show --------------------------------------------------------------------------

    def follow(
        self,
        stretch: Stretch | None,
        snapshot: Snapshot | None = None,
        elapsed: Callable[[], float] | None = None,
    ) -> None:
        """Show `stretch`'s figure: where `snapshot` (the routine at this stretch) is in its
        movement, `elapsed()` seconds into the phase; without one, the start position of the
        first side."""
        self._wanted = (stretch, snapshot, elapsed)
        if not self._ready:
            return
        from tui.core.figure_motion import moving

        figure = stretch.figure if stretch is not None else None
        if figure is not self.figure:
            self.figure = figure
            self.refresh(layout=True)  # its height follows the figure (none: no rows)
        if stretch is None or figure is None or snapshot is None or elapsed is None:
            self._stop()
            self._show(stretch.first_side if stretch is not None else "right", 0.0)
            return
        side = snapshot.side or stretch.first_side
        if moving(snapshot.phase, snapshot.rest_kind) and not snapshot.paused:
            self._playing = (snapshot, elapsed)
            if self._timer is None:
                self._timer = self.set_interval(1 / FRAMES_PER_SECOND, self._tick)
        else:
            self._stop()
        self._show(side, _progress(snapshot, elapsed()))

    def set_mode(self, characters: str) -> None:
        """Braille dots or half blocks, as the setting `figure_characters` says."""
        mode: Mode = "blocks" if characters == "blocks" else "braille"
        if mode != self.mode:
            self.mode = mode
            self.refresh(layout=True)

    @property
    def moving(self) -> bool:
        """True while the figure plays its movement (a timer draws it again and again)."""
        return self._timer is not None

    def _tick(self) -> None:
        if self._playing is not None:
            snapshot, elapsed = self._playing
            self._show(snapshot.side or self.side, _progress(snapshot, elapsed()))

    def _stop(self) -> None:
        self._playing = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_unmount(self) -> None:
        self._stop()

    def _show(self, side: Side, progress: float) -> None:
        """Draw the figure at `progress` for `side`, repainting only the cells that changed."""
        if (side, progress) == (self.side, self.progress) and self._frame is not None:
            return
        self.side, self.progress = side, progress
        old = self._frame
        new = self._current_frame()
        if old is None and new is None:
            return  # nothing drawn, before or now: nothing to repaint
        if old is None or new is None:
            self.refresh()
            return
        changed = _changed_regions(old.lines, new.lines)
        if changed:
            self.refresh(*changed)

    # -- drawing -------------------------------------------------------------------------------

    def _current_frame(self) -> Frame | None:
        figure = self.figure
        cols, rows = self.content_region.size
        if figure is None or not self._ready or cols < MIN_COLUMNS or rows < SMALLEST_ROWS:
            self._frame, self._frame_for = None, None
            return None
        key = (figure, cols, rows, self.side, self.progress, self.mode)
        if key != self._frame_for:
            from tui.core.figure_draw import render

            frame = render(
                figure, cols, rows, progress=self.progress, side=self.side, mode=self.mode
            )
            if self._frame is None or frame.lines != self._frame.lines:
                self.frames_drawn += 1
            self._frame, self._frame_for = frame, key
        return self._frame

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        frame = self._current_frame()
        if frame is None or not 0 <= y < len(frame.lines):
            return Strip.blank(width, self.rich_style)
        return Strip(self._segments(frame.runs(y)), width)

    def _segments(self, runs: list[tuple[str, str]]) -> list[Segment]:
        """A row's runs as few segments as look the same: a blank cell shows only the
        background, so it takes the style of the run beside it, and the terminal is sent a
        change of style only where the dots change layer (a style costs 20-30 bytes: a moving
        figure sent half its bytes in styles)."""
        styles = self._styles()
        segments: list[Segment] = []
        blank = ""
        for text, layer in runs:
            if not layer:
                if segments:
                    segments[-1] = Segment(segments[-1].text + text, segments[-1].style)
                else:
                    blank += text
                continue
            style = styles[layer]
            if segments and segments[-1].style == style:  # a head beside a near limb
                segments[-1] = Segment(segments[-1].text + text, style)
            else:
                segments.append(Segment(blank + text, style))
                blank = ""
        if blank:
            segments.append(Segment(blank, self.rich_style))
        return segments

    def _styles(self) -> dict[str, Style]:
        base = self.rich_style
        return {
            layer: base + self.get_component_rich_style(f"figure--{layer}", partial=True)
            for layer in ("near", "far", "head", "floor")
        }

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        figure = self.figure
        if figure is None or not self._ready or width < MIN_COLUMNS:
            return 0
        from tui.core.figure_draw import fitting_rows

        rows = min(fitting_rows(figure, width, self.mode), int(container.height * SHARE))
        return rows if rows >= SMALLEST_ROWS else 0

    def on_resize(self) -> None:
        self._frame, self._frame_for = None, None


def _progress(snapshot: Snapshot, elapsed: float) -> float:
    from tui.core.figure_motion import progress_at

    return progress_at(
        snapshot.phase,
        elapsed,
        snapshot.phase_seconds,
        snapshot.rest_kind,
        waiting=snapshot.waiting,
    )


def _changed_regions(old: tuple[str, ...], new: tuple[str, ...]) -> list[Region]:
    """One region a changed row, from its first changed cell to its last: only those go to the
    terminal (a moving limb changes a few cells of a few rows)."""
    if len(old) != len(new) or any(len(a) != len(b) for a, b in zip(old, new, strict=True)):
        return [Region(0, 0, max((len(line) for line in new), default=0), len(new))]
    regions = []
    for y, (before, after) in enumerate(zip(old, new, strict=True)):
        if before != after:
            columns = [x for x, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
            regions.append(Region(columns[0], y, columns[-1] + 1 - columns[0], 1))
    return regions
