"""The report as CSV: one row per session, counted or not, for a spreadsheet.

A spreadsheet runs a cell that starts with =, +, - or @ as a formula; a routine named
"=HYPERLINK(...)" must not become one on a clinician's computer, so such a text is written
with a leading apostrophe (the usual guard; numbers are written as numbers).
"""

from __future__ import annotations

import csv
import io

from tui.report.facts import Facts

COLUMNS = (
    "date",
    "started",
    "routine_id",
    "routine",
    "minutes",
    "finished",
    "counts",
    "holds_done",
    "holds_skipped",
    "pain_before",
    "pain_after",
)


def cell_text(words: str) -> str:
    """A text cell no spreadsheet will run as a formula."""
    return "'" + words if words[:1] in ("=", "+", "-", "@", "\t", "\r") else words


def render_csv(facts: Facts) -> str:
    """Every session in the report, oldest first: its day, start (ISO 8601 with its offset),
    routine, minutes to a tenth, whether it finished and counts, holds done and skipped, and the
    pain scores (empty where none was given)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in facts.sessions:
        writer.writerow(
            (
                row.day.isoformat(),
                row.started_at.isoformat(),
                cell_text(row.routine_id),
                cell_text(row.routine_name),
                f"{row.minutes:.1f}",
                "yes" if row.finished else "no",
                "yes" if row.counts else "no",
                row.holds_done,
                row.holds_skipped,
                "" if row.pain_before is None else row.pain_before,
                "" if row.pain_after is None else row.pain_after,
            )
        )
    return out.getvalue()
