"""The report in a real browser (issue 17): headless Chromium draws each chart where its numbers
say (read back from a screenshot's pixels), shows the whole page at a desktop's and a phone's
width, and prints it on A4.

Chromium comes through require_tool: without it these tests skip, except under CI=true, where
they fail (CI installs it first).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from helpers_report import NOW, ROUTINE, SCHEDULE, SESSIONS, SINCE
from pngread import Image, read_png
from tools import require_tool

from tui.report import charts
from tui.report.as_html import render_html
from tui.report.facts import Facts, build_facts
from tui.report.svg import GREY

HEADLESS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
BAR = int(GREY[1:3], 16)
"""The minutes bars' grey, one channel of it (the three are equal)."""


class Browser:
    """Runs Chromium on a page, each time with a fresh profile and its own home folder."""

    def __init__(self, chromium: str, folder: Path) -> None:
        self.chromium = chromium
        self.folder = folder
        self.runs = 0
        home = folder / "home"
        self.env = dict(os.environ, HOME=str(home))
        for name, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_CACHE_HOME", ".cache")):
            self.env[name] = str(home / sub)

    def run(self, page: Path, out: Path, *flags: str) -> Path:
        """What Chromium wrote to `out` (a flag names it) for `page`."""
        self.runs += 1
        profile = self.folder / f"profile-{self.runs}"
        done = subprocess.run(
            [self.chromium, *HEADLESS, f"--user-data-dir={profile}", *flags, page.as_uri()],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
            check=False,
        )
        assert out.exists() and out.stat().st_size > 0, (
            f"Chromium wrote no {out.name} (exit {done.returncode}): {done.stderr[-2000:]}"
        )
        return out

    def screenshot(self, html: str, name: str, width: int, height: int) -> Image:
        page = self.folder / f"{name}.html"
        page.write_text(html, encoding="utf-8")
        shot = self.folder / f"{name}.png"
        self.run(page, shot, f"--window-size={width},{height}", f"--screenshot={shot}")
        return read_png(shot.read_bytes())


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Browser:
    return Browser(require_tool("chromium"), tmp_path_factory.mktemp("browser"))


def facts() -> Facts:
    return build_facts(SESSIONS, now=NOW, since=SINCE, routine=ROUTINE, schedule=SCHEDULE)


class Chart:
    """One chart in the screenshot of all three: pixels in the chart's own units."""

    def __init__(self, image: Image, top: int) -> None:
        self.image = image
        self.top = top

    def grey(self, x: int, y: int) -> int:
        return self.image.grey(x, y + self.top)


@pytest.fixture(scope="module")
def drawn(browser: Browser) -> dict[str, Chart]:
    """The three charts stacked on one page, 480 CSS pixels wide: one pixel is one unit of
    each drawing. One browser start for all three."""
    found = facts()
    svgs = {
        "pain": charts.pain_chart(found),
        "days": charts.days_chart(found),
        "holds": charts.stretches_chart(found),
    }
    tops: dict[str, int] = {}
    height = 0
    for name, svg in svgs.items():
        tops[name] = height
        height += int(float(re.search(r'viewBox="0 0 \S+ (\S+)"', svg).group(1)))  # type: ignore[union-attr]
    page = (
        "<!doctype html><meta charset='utf-8'><style>body{margin:0;background:#fff}"
        f"svg{{display:block;width:{charts.WIDTH}px;height:auto}}</style>" + "".join(svgs.values())
    )
    image = browser.screenshot(page, "charts", charts.WIDTH, height)
    return {name: Chart(image, top) for name, top in tops.items()}


def _column_centre(found: Facts, index: int) -> float:
    return charts.LEFT + (index + 0.5) * charts.PLOT / len(found.buckets)


def _seen(image: Chart, x: float, y: float) -> str:
    """What a test saw around a point, for its failure message."""
    cx, cy = round(x), round(y)
    return "\n".join(
        " ".join(f"{image.grey(i, j):3d}" for i in range(cx - 4, cx + 5))
        for j in range(cy - 4, cy + 5)
    )


def test_the_pain_chart_draws_each_score_where_it_belongs(drawn: dict[str, Chart]) -> None:
    found = facts()
    image = drawn["pain"]
    column = charts.PLOT / len(found.buckets)
    bottom, height = 180.0, 150.0
    for point in found.pain:
        days = (point.at.date() - found.since).days + point.at.hour / 24 + point.at.minute / 1440
        x = charts.LEFT + days * column
        if point.after is not None:
            y = bottom - point.after / 10 * height
            # the filled square "after" is black at its centre
            assert image.grey(round(x), round(y)) < 80, (point, _seen(image, x, y))
        if point.before is not None and point.before != point.after:
            y = bottom - point.before / 10 * height
            # the open circle "before": white inside, a dark ring 4 px out
            assert image.grey(round(x), round(y)) > 200, (point, _seen(image, x, y))
            ring = min(image.grey(round(x) + dx, round(y)) for dx in (3, 4, 5))
            assert ring < 140, (point, _seen(image, x, y))


def test_the_days_chart_draws_the_bars_and_the_plans_dots(drawn: dict[str, Chart]) -> None:
    found = facts()
    image = drawn["days"]
    ceiling = 25  # the busiest day has 24 minutes: the axis goes to 25, by fives
    bottom, height = 150.0, 120.0
    for index, bucket in enumerate(found.buckets):
        x = _column_centre(found, index)
        if bucket.minutes >= 2:
            y = bottom - bucket.minutes / ceiling * height / 2  # halfway up its bar
            assert abs(image.grey(round(x), round(y)) - BAR) < 25, (bucket, _seen(image, x, y))
        elif bucket.minutes == 0:
            y = bottom - 8
            assert image.grey(round(x), round(y)) > 200, (bucket, _seen(image, x, y))
        row = bottom + 34
        for n in range(max(bucket.done, bucket.planned)):
            y = row + n * 8
            centre = image.grey(round(x), round(y))
            if n < bucket.done:
                assert centre < 80, (bucket, n, _seen(image, x, y))  # a filled dot
            else:
                assert centre > 170, (bucket, n, _seen(image, x, y))  # an open one


def test_the_holds_chart_draws_done_solid_and_not_done_hatched(drawn: dict[str, Chart]) -> None:
    found = facts()
    image = drawn["holds"]
    knee = found.stretches[0]
    scale = charts.holds_scale(found)
    for number, side in enumerate(knee.sides):
        y = round(36 + 6 + 18 * (number + 1) - 4.5)  # the middle of the side's bar
        start = round(charts.HOLDS_START)
        done_end = round(charts.HOLDS_START + side.done * scale)
        end = round(charts.HOLDS_START + side.planned * scale)
        solid = [image.grey(x, y) for x in range(start + 2, done_end - 2)]
        assert max(solid) < 60, (side, solid)
        hatched = [image.grey(x, y) for x in range(done_end + 2, end - 2)]
        # black lines on white: both are there, neither fills it
        assert min(hatched) < 170 and max(hatched) > 230, (side, hatched)
        after = [image.grey(x, y) for x in range(end + 2, end + 5)]
        assert min(after) > 200, (side, after)


_DARK = bytes(ord("x") if value < 50 else ord(".") for value in range(256))


def _rgb(image: Image, row: bytes) -> bytes:
    if image.channels == 3:
        return row
    pixels = bytearray(row)
    del pixels[3::4]
    return bytes(pixels)


def _dark_runs(image: Image, least: int) -> int:
    """Rows holding a run of at least `least` near-black pixels (a bar of the holds chart)."""
    run = b"x" * (3 * least)
    return sum(1 for row in image.rows if run in _rgb(image, row).translate(_DARK))


def _bar_pixels(image: Image) -> int:
    """Pixels of the minutes bars' grey (about: a row is searched as bytes)."""
    wanted = bytes((BAR, BAR, BAR))
    return sum(_rgb(image, row).count(wanted) for row in image.rows)


@pytest.mark.parametrize(("width", "height"), [(1000, 2100), (390, 2300)], ids=["desktop", "phone"])
def test_the_whole_page_shows_its_charts(browser: Browser, width: int, height: int) -> None:
    image = browser.screenshot(render_html(facts()), f"page-{width}", width, height)
    assert (image.width, image.height) == (width, height)
    # the minutes chart's grey bars, the holds chart's solid black ones
    assert _bar_pixels(image) > 1500, "no minutes bars in the screenshot"
    assert _dark_runs(image, 60) >= 10, "no holds bars in the screenshot"
    # nothing drawn past the right edge on a phone: the last columns are the page's margin
    right = [image.grey(x, y) for y in range(0, image.height, 4) for x in range(width - 4, width)]
    assert min(right) > 240


def test_the_page_prints_on_a4(browser: Browser) -> None:
    page = browser.folder / "print.html"
    page.write_text(render_html(facts()), encoding="utf-8")
    pdf = browser.folder / "report.pdf"
    browser.run(page, pdf, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert boxes, data[:400]
    for width, height in boxes:
        # A4 is 210 x 297 mm: 595.3 x 841.9 points
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2, boxes
    assert 2 <= len(boxes) <= 6, boxes
