"""The report's three charts, as inline SVG that reads in black and white.

Pain: an open circle before a session, a filled square after it, joined by a line. Minutes: grey
bars; under them one dot per planned session, filled when done, open when not, a dash on a day
the plan leaves out. Holds: per stretch and side, a solid bar for the holds done and a hatched
one for those planned but not done, each labelled with its numbers. Shapes, patterns and
labels carry the meaning; no colour does.

All three share one width and one left edge, so a day sits at the same place in each. The width
(480) suits a phone held upright; a wider screen scales the drawing up.
"""

from __future__ import annotations

import math
from datetime import date

from tui.report.facts import Facts
from tui.report.svg import FAINT, GREY, INK, Drawing
from tui.report.words import SIDE_NAMES, minutes, plural, score, short_day

WIDTH = 480
LEFT = 44
RIGHT = 12
PLOT = WIDTH - LEFT - RIGHT
MOST_DOTS = 7


def _column(facts: Facts) -> float:
    return PLOT / max(1, len(facts.buckets))


def _centre(facts: Facts, index: float) -> float:
    return LEFT + (index + 0.5) * _column(facts)


def _legend(drawing: Drawing, y: float, items: list[tuple[str, str]]) -> None:
    """Shapes and their meaning in a row: ("circle", "before"), ("square", "after")..."""
    x = float(LEFT)
    for shape, words in items:
        if shape == "circle":
            drawing.circle(x + 4, y - 4, 4, filled=False)
        elif shape == "dot":
            drawing.circle(x + 4, y - 4, 3, filled=True)
        elif shape == "square":
            drawing.square(x + 4, y - 4, 7)
        elif shape == "solid":
            drawing.rect(x, y - 9, 9, 9)
        elif shape == "bar":
            drawing.rect(x, y - 9, 9, 9, fill=GREY, stroke=INK)
        elif shape == "hatch":
            drawing.rect(x, y - 9, 9, 9, fill=drawing.hatch, stroke=INK)
        elif shape == "dash":
            drawing.line(x + 1, y - 4, x + 8, y - 4, width=1.5)
        drawing.text(x + 13, y, words, size=12)
        x += 13 + _text_width(words) + 14


def _x_labels(drawing: Drawing, facts: Facts, y: float) -> None:
    """Dates under the columns, as many as fit without touching: Mondays in a report by day
    (every day in a short one), weeks in a long one, with the year on the first and wherever
    it changes."""
    daily = facts.granularity == "day"
    few = len(facts.buckets) <= 10
    right_edge = 0.0
    year: int | None = None
    for index, bucket in enumerate(facts.buckets):
        if daily and not few and bucket.start.weekday() != 0:
            continue
        words = short_day(bucket.start)
        if not daily and bucket.start.year != year:
            words += f" {bucket.start.year}"
        x = _centre(facts, index)
        half = _text_width(words) / 2
        if x - half < right_edge + 8 or x + half > WIDTH - 2 or x - half < 2:
            continue
        right_edge = x + half
        year = bucket.start.year
        drawing.line(x, y - 13, x, y - 9, width=1)
        drawing.text(x, y, words, anchor="middle", size=12)


def _text_width(words: str, size: float = 12) -> float:
    """About how wide a text is drawn (the charts' sans-serif averages 0.56 em a character)."""
    return len(words) * size * 0.56


def _week_lines(drawing: Drawing, facts: Facts, top: float, bottom: float) -> None:
    """A faint line before each Monday of a day-by-day chart, to read the weeks by."""
    if facts.granularity != "day":
        return
    for index, bucket in enumerate(facts.buckets):
        if index and bucket.start.weekday() == 0:
            x = LEFT + index * _column(facts)
            drawing.line(x, top, x, bottom, colour=FAINT, dash="2 2")


def pain_chart(facts: Facts) -> str:
    """Pain before and after each session that counts (each week's means in a long report)."""
    weekly = facts.granularity == "week"
    each = "each week's mean" if weekly else "each session"
    desc = (
        f"Pain from 0 (none) to 10 (worst) before and after {each}, "
        f"{short_day(facts.since)} to {short_day(facts.until)}: "
        + (
            f"{plural(facts.pain_scored, 'session')} scored, mean before "
            f"{score(facts.pain_before)}, mean after {score(facts.pain_after)}."
            if facts.pain_scored
            else "no scores were given."
        )
    )
    top, height = 30.0, 150.0
    bottom = top + height
    drawing = Drawing("pain", WIDTH, bottom + 44, "Back pain before and after", desc)
    _legend(drawing, 14, [("circle", "before"), ("square", "after"), ("dash", "change")])

    def y_of(value: float) -> float:
        return bottom - value / 10 * height

    for value in range(0, 11, 2):
        y = y_of(value)
        drawing.line(LEFT, y, WIDTH - RIGHT, y, colour=FAINT)
        drawing.text(LEFT - 6, y + 4, str(value), anchor="end", size=12)
    _week_lines(drawing, facts, top, bottom)
    drawing.line(LEFT, top, LEFT, bottom)
    drawing.line(LEFT, bottom, WIDTH - RIGHT, bottom)
    drawing.text(12, top + height / 2, "pain (0-10)", anchor="middle", size=12, rotate=True)
    _x_labels(drawing, facts, bottom + 18)
    drawing.text(LEFT + PLOT / 2, bottom + 38, "date (local)", anchor="middle", size=12)
    for point in facts.pain:
        x = _pain_x(facts, point.at.date(), point.at.hour * 3600 + point.at.minute * 60)
        if point.before is not None and point.after is not None:
            drawing.line(x, y_of(point.before), x, y_of(point.after), width=1.5, colour=GREY)
        if point.before is not None:
            drawing.circle(x, y_of(point.before), 4, filled=False)
        if point.after is not None:
            drawing.square(x, y_of(point.after), 6)
    if not facts.pain:
        drawing.text(
            LEFT + PLOT / 2, top + height / 2, "No pain scores in this period", anchor="middle"
        )
    return drawing.svg()


def _pain_x(facts: Facts, day: date, seconds: int) -> float:
    """Where a moment falls: within its day's column (its week's centre in a long report)."""
    first = facts.buckets[0].start if facts.buckets else facts.since
    if facts.granularity == "week":
        return _centre(facts, (day - first).days // 7)
    return LEFT + ((day - first).days + seconds / 86400) * _column(facts)


def _nice_top(most: float) -> tuple[float, float]:
    """The top of the minutes axis and its step: a round number a little above `most`."""
    for step in (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600):
        if most / step <= 5:
            return max(step, math.ceil(most / step) * step), step
    step = 10 ** math.ceil(math.log10(most / 5))
    return math.ceil(most / step) * step, step


def days_chart(facts: Facts) -> str:
    """Minutes per day (or week) as bars, and the plan's sessions done and not done under them."""
    weekly = facts.granularity == "week"
    unit = "week" if weekly else "day"
    desc = (
        f"Minutes stretching per {unit}, {short_day(facts.since)} to {short_day(facts.until)}, "
        f"{minutes(facts.minutes)} in all; the plan ({facts.plan.words()}) was met on "
        f"{facts.plan_days_met} of {plural(facts.plan_days, 'planned day')}."
    )
    top, height = 30.0, 120.0
    bottom = top + height
    most = max((b.minutes for b in facts.buckets), default=0.0)
    ceiling, step = _nice_top(most)
    dots = (
        1
        if weekly
        else min(MOST_DOTS, max((max(b.done, b.planned) for b in facts.buckets), default=1))
    )
    row = bottom + 34
    drawing = Drawing(
        "days", WIDTH, row + max(1, dots) * 8 + 6, f"Minutes and sessions per {unit}", desc
    )
    if weekly:
        legend = [("bar", "minutes"), ("solid", "share of planned sessions done")]
    else:
        legend = [
            ("bar", "minutes"),
            ("dot", "done"),
            ("circle", "planned, not done"),
            ("dash", "none planned"),
        ]
    _legend(drawing, 14, legend)
    value = 0.0
    while value <= ceiling:
        y = bottom - value / ceiling * height
        drawing.line(LEFT, y, WIDTH - RIGHT, y, colour=FAINT)
        drawing.text(LEFT - 6, y + 4, f"{value:g}", anchor="end", size=12)
        value += step
    _week_lines(drawing, facts, top, bottom)
    drawing.text(12, top + height / 2, "minutes", anchor="middle", size=12, rotate=True)
    column = _column(facts)
    bar = min(22.0, column * 0.7)
    for index, bucket in enumerate(facts.buckets):
        x = _centre(facts, index)
        if bucket.minutes > 0:
            tall = max(1.0, bucket.minutes / ceiling * height)
            # an outline only where the bar is wide enough to show grey inside it
            outline = INK if bar >= 3 else "none"
            drawing.rect(x - bar / 2, bottom - tall, bar, tall, fill=GREY, stroke=outline)
        if weekly:
            _week_box(drawing, x, row, bar, bucket.done, bucket.planned)
        else:
            _day_dots(drawing, x, row, bucket.done, bucket.planned, column)
    drawing.line(LEFT, top, LEFT, bottom)
    drawing.line(LEFT, bottom, WIDTH - RIGHT, bottom)
    _x_labels(drawing, facts, bottom + 18)
    drawing.text(LEFT - 6, row + 4, "plan", anchor="end", size=12)
    return drawing.svg()


def _day_dots(drawing: Drawing, x: float, y: float, done: int, planned: int, column: float) -> None:
    """One dot per session planned or done: filled when done, open when planned and not done."""
    if done == 0 and planned == 0:
        drawing.line(x - 3, y, x + 3, y, width=1.5)
        return
    radius = min(3.0, column / 2 - 0.8)
    shown = min(MOST_DOTS, max(done, planned))
    for n in range(shown):
        drawing.circle(x, y + n * 8, radius, filled=n < done)
    if max(done, planned) > MOST_DOTS:
        drawing.text(x, y + shown * 8 + 4, "+", anchor="middle", size=10)


def _week_box(drawing: Drawing, x: float, y: float, width: float, done: int, planned: int) -> None:
    """A box filled from the bottom by the share of the week's planned sessions done."""
    if planned == 0:
        drawing.line(x - 3, y, x + 3, y, width=1.5)
        return
    share = min(1.0, done / planned)
    if width >= 3:
        drawing.rect(x - width / 2, y - 6, width, 12, fill="#fff", stroke=INK)
    else:  # too thin for an outline: the part not done in light grey
        drawing.rect(x - width / 2, y - 6, width, 12, fill=FAINT)
    if share:
        drawing.rect(x - width / 2, y + 6 - 12 * share, width, 12 * share)


HOLDS_START = 96.0
"""Where the holds chart's bars begin (the side's name is written before)."""


def holds_scale(facts: Facts) -> float:
    """Units of drawing a hold: the longest bar, with its label, fills the width."""
    most = max((side.planned for s in facts.stretches for side in s.sides), default=1)
    label = _text_width(f"{most} of {most} done")
    return (WIDTH - HOLDS_START - label - 10) / max(1, most)


def stretches_chart(facts: Facts) -> str:
    """Each stretch's holds per side: done (solid) and planned but not done (hatched)."""
    counted = facts.counted
    desc = (
        f"Holds done of those planned, per stretch and side, over "
        f"{plural(counted, 'session')} that count: "
        + "; ".join(
            f"{s.name}: "
            + ", ".join(
                f"{SIDE_NAMES.get(side.side, side.side)} {side.done} of {side.planned}"
                for side in s.sides
            )
            for s in facts.stretches
        )
        + "."
    )
    if not facts.stretches:
        desc = "No stretch was held in this period."
    start = HOLDS_START
    scale = holds_scale(facts)
    y = 36.0
    for stretch in facts.stretches:
        y += 6 + 18 * len(stretch.sides) + (16 if stretch.skipped or stretch.not_reached else 0)
        y += 18
    drawing = Drawing("holds", WIDTH, max(y, 60), "Holds per stretch and side", desc)
    _legend(drawing, 14, [("solid", "done"), ("hatch", "planned, not done")])
    y = 36.0
    for stretch in facts.stretches:
        drawing.text(6, y, _short(stretch.name, 70), bold=True)
        y += 6
        for side in stretch.sides:
            y += 18
            full = side.planned * scale
            done = side.done * scale
            drawing.text(start - 8, y, SIDE_NAMES.get(side.side, side.side), anchor="end")
            if done:
                drawing.rect(start, y - 11, done, 13)
            if full > done:
                drawing.rect(start + done, y - 11, full - done, 13, fill=drawing.hatch)
            drawing.rect(start, y - 11, max(full, 0.5), 13, fill="none", stroke=INK)
            drawing.text(start + full + 6, y, f"{side.done} of {side.planned} done", size=12)
        notes = []
        if stretch.skipped:
            notes.append(f"{stretch.skipped} skipped")
        if stretch.not_reached:
            notes.append(f"{stretch.not_reached} not reached before a stop")
        if notes:
            y += 16
            drawing.text(24, y, ", ".join(notes) + " (both sides)", size=12, italic=True)
        y += 18
    if not facts.stretches:
        drawing.text(LEFT, 44, "No stretch was held in this period.")
    return drawing.svg()


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
