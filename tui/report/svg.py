"""A few SVG shapes for the report's charts: text escaped, numbers short, nothing fetched.

Our own code rather than a charting library: three charts of bars, dots and labels are some
two hundred lines, need to read in black and white (patterns and shapes, not colour), and must
carry a title and description for screen readers. The libraries that draw SVG from Python
(pygal, matplotlib) bring scripts or fonts or a large install for less control over those.
"""

from __future__ import annotations

from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#000"
GREY = "#6b6b6b"
"""The bars' fill: dark enough to print, light enough for black labels beside it."""
FAINT = "#c8c8c8"


def num(value: float) -> str:
    """A coordinate, one decimal at most: "12", "12.5"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


class Drawing:
    """One SVG chart: its shapes in order, a title and a description for those who cannot see
    it, and the hatch pattern its "not done" parts are filled with."""

    def __init__(self, key: str, width: float, height: float, title: str, desc: str) -> None:
        self.key = key
        self.width = width
        self.height = height
        self.title = title
        self.desc = desc
        self.parts: list[str] = []

    @property
    def hatch(self) -> str:
        """The fill of a part not done: black diagonal lines on white."""
        return f"url(#{self.key}-hatch)"

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(
        self,
        x: float,
        y: float,
        words: str,
        *,
        anchor: str = "start",
        size: float = 13,
        bold: bool = False,
        italic: bool = False,
        rotate: bool = False,
    ) -> None:
        extra = ""
        if anchor != "start":
            extra += f' text-anchor="{anchor}"'
        if size != 13:
            extra += f' font-size="{num(size)}"'
        if bold:
            extra += ' font-weight="bold"'
        if italic:
            extra += ' font-style="italic"'
        if rotate:
            extra += f' transform="rotate(-90 {num(x)} {num(y)})"'
        self.add(f'<text x="{num(x)}" y="{num(y)}"{extra}>{escape(words)}</text>')

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        *,
        width: float = 1,
        colour: str = INK,
        dash: str = "",
    ) -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(
            f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
            f'stroke="{colour}" stroke-width="{num(width)}"{extra}/>'
        )

    def rect(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        *,
        fill: str = INK,
        stroke: str = "none",
    ) -> None:
        outline = f' stroke="{stroke}"' if stroke != "none" else ""
        self.add(
            f'<rect x="{num(x)}" y="{num(y)}" width="{num(width)}" height="{num(height)}" '
            f'fill="{fill}"{outline}/>'
        )

    def circle(self, x: float, y: float, r: float, *, filled: bool) -> None:
        fill = INK if filled else "#fff"
        self.add(
            f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill="{fill}" '
            f'stroke="{INK}" stroke-width="1.3"/>'
        )

    def square(self, x: float, y: float, side: float) -> None:
        self.rect(x - side / 2, y - side / 2, side, side)

    def svg(self) -> str:
        """The chart, ready to put inside an HTML page (no XML declaration, no namespace:
        inline SVG in HTML needs neither)."""
        key = self.key
        return (
            f'<svg viewBox="0 0 {num(self.width)} {num(self.height)}" role="img" '
            f'aria-labelledby="{key}-title {key}-desc" font-family="{FONT}" font-size="13">'
            f'<title id="{key}-title">{escape(self.title)}</title>'
            f'<desc id="{key}-desc">{escape(self.desc)}</desc>'
            f'<defs><pattern id="{key}-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="5" height="5" fill="#fff"/>'
            f'<line x1="0" y1="0" x2="0" y2="5" stroke="{INK}" stroke-width="1.4"/>'
            "</pattern></defs>" + "".join(self.parts) + "</svg>"
        )
