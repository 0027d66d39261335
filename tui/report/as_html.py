"""The report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched.

It reads on a phone (one column, charts that scale, wide tables that scroll sideways) and prints
on A4 (@media print: smaller type, no scroll boxes, charts kept whole on a page). Every text
that came from the person's files (routine and stretch names) is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from tui.report import charts
from tui.report.facts import Facts
from tui.report.words import (
    SIDE_NAMES,
    change,
    day_note,
    in_force_cells,
    long_day,
    minutes,
    moment,
    period,
    plan_lines,
    score,
    short_day,
    status,
    summary,
)

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #111;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem 0.75rem 2rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.5rem; padding-bottom: 0.2rem;
  border-bottom: 2px solid #111; }
p { margin: 0.4rem 0; }
.sub { color: #333; margin: 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.75rem 0; }
dt { font-weight: 600; }
dd { margin: 0; }
figure { margin: 0.75rem 0 0; }
figure svg { display: block; width: 100%; max-width: 36rem; height: auto; }
figcaption { font-size: 0.9rem; color: #333; margin-top: 0.3rem; }
details { margin: 0.4rem 0 0; font-size: 0.9rem; }
summary { cursor: pointer; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.5rem 0; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #bbb;
  vertical-align: top; }
th { border-bottom: 2px solid #111; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.not-counted td { color: #555; font-style: italic; }
.when { white-space: nowrap; }
.note { font-size: 0.9rem; color: #333; }
footer { margin-top: 2rem; font-size: 0.85rem; color: #333; border-top: 1px solid #bbb; }
@media (max-width: 30rem) {
  body { font-size: 15px; }
  main { padding: 0.75rem 0.5rem 1.5rem; }
  dl { grid-template-columns: 1fr; gap: 0 0; }
  dd { margin-bottom: 0.4rem; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; margin-top: 1.2rem; }
  figure { break-inside: avoid; }
  figure svg { max-width: 17cm; }
  details { display: none; }
  .scroll { overflow: visible; }
  tr { break-inside: avoid; }
}
"""


def render_html(facts: Facts) -> str:
    """The whole page."""
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Stretching report: {escape(facts.title)}, {escape(short_day(facts.since))} "
        f"to {escape(long_day(facts.until))}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        "<h1>Stretching report</h1>",
        f'<p class="sub"><strong>{escape(facts.title)}</strong></p>',
        f'<p class="sub">{escape(period(facts))}</p>',
        f'<p class="sub">Made {escape(moment(facts.made_at))} by unknot.</p>',
        "</header>",
        _summary(facts),
        _pain(facts),
        _days(facts),
        _holds(facts),
        _plan(facts),
        _sessions(facts),
        "<footer>",
        f"<p>{escape(facts.counting_rule)} Sessions that do not count are still listed, "
        "marked “(not counted)”.</p>",
        "<p>Pain is the person's own score, from 0 (none) to 10 (worst), asked before and "
        "after a session. Times are local, as recorded; a session belongs to the day it "
        "started.</p>",
        "</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _summary(facts: Facts) -> str:
    rows = "".join(
        f"<dt>{escape(what)}</dt><dd>{escape(value)}</dd>" for what, value in summary(facts)
    )
    return f'<section id="summary"><h2>Summary</h2><dl>{rows}</dl></section>'


def _table(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
    quiet: Sequence[bool] = (),
    when: int | None = None,
) -> str:
    """A table of plain texts (escaped here): columns in `numeric` align right, the column
    `when` (a date and time) does not wrap, rows marked in `quiet` are those that do not count."""

    def cell(tag: str, index: int, text: str) -> str:
        kind = ' class="n"' if index in numeric else ' class="when"' if index == when else ""
        return f"<{tag}{kind}>{escape(text)}</{tag}>"

    header = "".join(cell("th", n, text) for n, text in enumerate(head))
    body = "".join(
        ('<tr class="not-counted">' if n < len(quiet) and quiet[n] else "<tr>")
        + "".join(cell("td", index, text) for index, text in enumerate(row))
        + "</tr>"
        for n, row in enumerate(rows)
    )
    return (
        f'<div class="scroll"><table><thead><tr>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _figure(svg: str, caption: str, table: str) -> str:
    return (
        f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"
        f"<details><summary>The figures as a table</summary>{table}</details>"
    )


def _pain(facts: Facts) -> str:
    weekly = facts.granularity == "week"
    head = ["Week of" if weekly else "Session", "Before", "After", "Change"]
    rows = [
        [
            short_day(p.at.date()) + f" ({p.sessions})" if weekly else moment(p.at),
            score(p.before),
            score(p.after),
            change(p.after - p.before if p.before is not None and p.after is not None else None),
        ]
        for p in facts.pain
    ]
    caption = "Open circle: before; filled square: after; the line between them is the change. " + (
        "Each week's means." if weekly else "One per session that counts and was scored."
    )
    return (
        '<section id="pain"><h2>Back pain before and after</h2>'
        + _figure(charts.pain_chart(facts), caption, _table(head, rows, (1, 2, 3)))
        + "</section>"
    )


def _days(facts: Facts) -> str:
    weekly = facts.granularity == "week"
    head = ["Week of" if weekly else "Day", "Minutes", "Sessions", "Against the plan"]
    rows = [
        [
            short_day(b.start) if weekly else long_day(b.start),
            minutes(b.minutes),
            str(b.sessions),
            day_note(b.done, b.planned, b.plan_days, b.days_met, b.days),
        ]
        for b in facts.buckets
    ]
    unit = "week" if weekly else "day"
    caption = f"Bars: minutes per {unit}. " + (
        "Boxes: the share of the week's planned sessions done."
        if weekly
        else "Dots: the plan's sessions, filled when done, open when planned and not "
        "done; a dash where none was planned."
    )
    return (
        f'<section id="days"><h2>Minutes and sessions per {unit}</h2>'
        + _figure(charts.days_chart(facts), caption, _table(head, rows, (1, 2)))
        + "</section>"
    )


def _holds(facts: Facts) -> str:
    rows = []
    for stretch in facts.stretches:
        for side in stretch.sides:
            rows.append(
                [
                    stretch.name,
                    SIDE_NAMES.get(side.side, side.side),
                    str(side.done),
                    str(side.not_done),
                    str(side.planned),
                ]
            )
    head = ["Stretch", "Side", "Done", "Not done", "Planned"]
    skipped = sum(s.skipped for s in facts.stretches)
    unreached = sum(s.not_reached for s in facts.stretches)
    caption = (
        "Solid: holds held to their end; hatched: planned but not done. Of those not done, "
        f"{skipped} were skipped and {unreached} not reached before a session was stopped "
        "(the history keeps skips per stretch, not per side)."
    )
    return (
        '<section id="holds"><h2>Holds per stretch and side</h2>'
        + _figure(charts.stretches_chart(facts), caption, _table(head, rows, (2, 3, 4)))
        + "</section>"
    )


def _plan(facts: Facts) -> str:
    lines = "".join(f"<p>{escape(line)}</p>" for line in plan_lines(facts))
    table = ""
    cells = in_force_cells(facts)
    if cells:
        table = _table(["Stretch", "Starts at", f"Week {facts.week}", "Plan line"], cells)
    return f'<section id="plan"><h2>Plan and progression in force</h2>{lines}{table}</section>'


def _sessions(facts: Facts) -> str:
    head = [
        "Started",
        "Routine",
        "Minutes",
        "Status",
        "Holds done",
        "Skipped",
        "Pain before",
        "Pain after",
    ]
    newest_first = list(reversed(facts.sessions))
    rows = [
        [
            moment(row.started_at),
            row.routine_name,
            minutes(row.minutes),
            status(row),
            str(row.holds_done),
            str(row.holds_skipped),
            score(row.pain_before),
            score(row.pain_after),
        ]
        for row in newest_first
    ]
    table = _table(head, rows, (2, 4, 5, 6, 7), [not row.counts for row in newest_first], when=0)
    return f'<section id="sessions"><h2>Sessions, newest first ({len(rows)})</h2>{table}</section>'
