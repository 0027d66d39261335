"""The report as Markdown: the same facts as the HTML, in text tables, for a note or an email.

Text from the person's files is escaped, so a routine named `*Evening* | <b>` shows as written
and cannot end a table cell, start emphasis or become HTML in whatever renders the Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

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

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~&"})


def text(words: str) -> str:
    """`words` shown literally inside a line: each character that Markdown or HTML might act
    on there is escaped with a backslash (CommonMark allows it for any ASCII punctuation). The
    rest (#, +, !, parentheses) only acts at a line's start or after a bracket, both escaped."""
    return words.translate(_SPECIAL)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """A Markdown table; every cell is escaped here."""
    lines = ["| " + " | ".join(text(h) for h in head) + " |"]
    lines.append("|" + "|".join("---:" if n in numeric else "---" for n in range(len(head))) + "|")
    lines += ["| " + " | ".join(text(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(facts: Facts) -> str:
    """The whole report."""
    weekly = facts.granularity == "week"
    unit = "week" if weekly else "day"
    out = [
        f"# Stretching report: {text(facts.title)}",
        "",
        text(period(facts)) + "  ",
        f"Made {text(moment(facts.made_at))} by unknot.",
        "",
        "## Summary",
        "",
        _table(["", ""], summary(facts)),
        "",
        f"*{text(facts.counting_rule)}*",
        "",
        "## Plan and progression in force",
        "",
        *[text(line) + "  " for line in plan_lines(facts)],
    ]
    cells = in_force_cells(facts)
    if cells:
        out += ["", _table(["Stretch", "Starts at", f"Week {facts.week}", "Plan line"], cells)]
    out += ["", "## Back pain before and after", ""]
    if facts.pain:
        out.append(
            _table(
                ["Week of" if weekly else "Session", "Before", "After", "Change"],
                [
                    [
                        short_day(p.at.date()) + f" ({p.sessions})" if weekly else moment(p.at),
                        score(p.before),
                        score(p.after),
                        change(
                            p.after - p.before
                            if p.before is not None and p.after is not None
                            else None
                        ),
                    ]
                    for p in facts.pain
                ],
                (1, 2, 3),
            )
        )
    else:
        out.append("No pain scores in this period.")
    out += [
        "",
        f"## Minutes and sessions per {unit}",
        "",
        _table(
            ["Week of" if weekly else "Day", "Minutes", "Sessions", "Against the plan"],
            [
                [
                    short_day(b.start) if weekly else long_day(b.start),
                    minutes(b.minutes),
                    str(b.sessions),
                    day_note(b.done, b.planned, b.plan_days, b.days_met, b.days),
                ]
                for b in facts.buckets
            ],
            (1, 2),
        ),
        "",
        "## Holds per stretch and side",
        "",
    ]
    if facts.stretches:
        out.append(
            _table(
                ["Stretch", "Side", "Done", "Not done", "Planned"],
                [
                    [
                        s.name,
                        SIDE_NAMES.get(side.side, side.side),
                        str(side.done),
                        str(side.not_done),
                        str(side.planned),
                    ]
                    for s in facts.stretches
                    for side in s.sides
                ],
                (2, 3, 4),
            )
        )
        skipped = sum(s.skipped for s in facts.stretches)
        unreached = sum(s.not_reached for s in facts.stretches)
        out += [
            "",
            f"Of the holds not done, {skipped} were skipped and {unreached} not reached before "
            "a session was stopped (the history keeps skips per stretch, not per side).",
        ]
    else:
        out.append("No stretch was held in this period.")
    out += [
        "",
        f"## Sessions, newest first ({facts.recorded})",
        "",
        _table(
            [
                "Started",
                "Routine",
                "Minutes",
                "Status",
                "Holds done",
                "Skipped",
                "Pain before",
                "Pain after",
            ],
            [
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
                for row in reversed(facts.sessions)
            ],
            (2, 4, 5, 6, 7),
        ),
        "",
    ]
    return "\n".join(out)
