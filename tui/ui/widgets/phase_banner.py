"""The phase in words over the countdown: plain bold text, or block capitals in a tall panel.

Beside numerals twenty rows high, a one-line "Hold" cannot be read from a mat; when the panel
has the rows, the phase (and the side, if it fits) is drawn in the numerals' own font. The
rows it takes depend only on the panel's height, never on the words, so the countdown below
keeps its size from one phase to the next.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from tui.ui.widgets.glyphs import can_draw, render, rows_at, text_size

BANNER_ROWS: tuple[tuple[int, int], ...] = ((40, 2), (20, 1))
"""(panel rows, scale): from 40 rows of panel the capitals are drawn at scale 2, from 20 at 1."""


GAP_FROM = 14
"""From this many panel rows (80x24 has 14) a blank row separates the words from the numerals."""


def banner_scale(panel_rows: int) -> int:
    """The largest scale of capitals a panel of `panel_rows` content rows makes room for."""
    return next((scale for rows, scale in BANNER_ROWS if panel_rows >= rows), 0)


def choose(candidates: Sequence[str], width: int, scale: int) -> tuple[str, int]:
    """The first candidate that fits `width` at some scale up to `scale`, at the largest such
    scale: more words at a smaller size beat fewer words at a larger one. ("", 0) if none."""
    for text in candidates:
        if not text or not can_draw(text):
            continue
        for size in range(scale, 0, -1):
            if text_size(text, size)[0] <= width:
                return text, size
    return "", 0


class PhaseBanner(Widget):
    """The phase words: `plain` on one line, or the best of `candidates` in block capitals."""

    DEFAULT_CSS = """
    PhaseBanner {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._plain = ""
        self._candidates: tuple[str, ...] = ()

    @property
    def plain(self) -> str:
        return self._plain

    @property
    def shown(self) -> str:
        """What is drawn: the capitals chosen, or the plain words."""
        return self._face()[0] or self._plain

    def update(self, plain: str, candidates: Sequence[str] = ()) -> None:
        self._plain, self._candidates = plain, tuple(candidates)
        self.refresh()

    def _face(self) -> tuple[str, int]:
        width, height = self.content_region.size
        scale = max((s for s in (2, 1) if rows_at(s) < height), default=0)
        return choose(self._candidates, width, scale)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # a blank row under the words keeps them apart from the numerals, where there is room
        rows = self._panel_rows(container)
        gap = 1 if rows >= GAP_FROM else 0
        return rows_at(banner_scale(rows)) + gap

    def _panel_rows(self, container: Size) -> int:
        """The rows the layout gives the panel: none when the panel's height is left to its
        content (the compact layout), where the banner keeps its one-line form.

        Such a panel is measured with no rows and then laid out in the height it measured:
        were the banner to answer from that height, it would claim a gap or capitals that the
        measurement never counted, and push the panel's last rows out of sight.
        """
        panel = self.parent
        height = panel.styles.height if isinstance(panel, Widget) else None
        return 0 if height is not None and height.is_auto else container.height

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        text, scale = self._face()
        indent = 0
        if scale:
            lines = render(text, scale)
            indent = (width - text_size(text, scale)[0]) // 2  # over the numerals
            ink = lines[y] if 0 <= y < len(lines) else ""
        else:
            ink = self._plain if y == 0 else ""
            if len(ink) > width:
                ink = ink[: max(0, width - 1)] + "…"
        style = self.rich_style
        # the words take the style (reverse in the last seconds), the rest only the background
        rest = Style(bgcolor=style.bgcolor)
        return Strip(
            [
                Segment(" " * indent, rest),
                Segment(ink, style),
                Segment(" " * max(0, width - indent - len(ink)), rest),
            ],
            width,
        )
