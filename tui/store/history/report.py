"""The history as text and JSON: `unknot history` and the app's history screen render from
here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from tui.core.model import NAME_LENGTH, format_duration
from tui.core.problems import Problem
from tui.core.textclean import clean_line
from tui.store.history.index import HistoryLoad, load_entries, load_sessions
from tui.store.history.month import session_table
from tui.store.history.records import SCHEMA, Entry, Session
from tui.store.history.stats import COUNTING_RULE, NOT_COUNTED, Stats, compute_stats, counts

BLOCKS = "▁▂▃▄▅▆▇█"
DAY_LETTERS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def bar(minutes: float, most: float) -> str:
    """One day as a block character, scaled to the busiest day shown; "·" for none."""
    if minutes <= 0 or most <= 0:
        return "·"
    level = max(1, math.ceil(minutes / most * len(BLOCKS)))
    return BLOCKS[min(level, len(BLOCKS)) - 1]


def amount(minutes: float) -> str:
    """A day's or week's time as the chart shows it: "25 min", and "<1 min" for a little time
    (a short session is not "0 min", which reads as nothing done)."""
    if 0 < minutes < 1:
        return "<1 min"
    return f"{round(minutes)} min"


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def render_text(load: HistoryLoad, stats: Stats, recent: int = 10) -> str:
    """What `unknot history` prints: totals, a per-day chart, the pain trend, recent sessions."""
    lines: list[str] = []
    if not load.entries:
        lines.append("No sessions recorded yet: finish or stop a routine and it will show here.")
    else:
        lines += [
            f"{_plural(stats.recorded, 'session')} recorded, {stats.sessions} counted "
            f"({stats.finished} finished).",
            f"Days in a row: {stats.streak}    This week: {_plural(stats.this_week, 'session')}"
            f"    Total: {stats.total_minutes} min",
            f"({COUNTING_RULE})",
            "",
        ]
        most = max((d.minutes for d in stats.days), default=0.0)
        lines.append(
            f"Minutes per day, last {len(stats.pain)} weeks"
            + (f" (█ = {amount(most)})" if most else "")
        )
        lines.append("          " + " ".join(DAY_LETTERS) + "   week")
        for week in stats.pain:
            cells = []
            week_total = 0.0
            for offset in range(7):
                day = week.week + timedelta(days=offset)
                found = next((d for d in stats.days if d.day == day), None)
                if found is None:
                    cells.append("  ")
                else:
                    cells.append(bar(found.minutes, most) + " ")
                    week_total += found.minutes
            lines.append(f"  {week.week:%d %b}  " + " ".join(cells) + f"  {amount(week_total)}")
        lines += ["", "Back pain (0-10), weekly average before -> after a session"]
        for week in stats.pain:
            if week.scored:
                lines.append(
                    f"  {week.week:%d %b}  {_score(week.before)} -> {_score(week.after)}"
                    f"   ({_plural(week.scored, 'session')} scored)"
                )
            else:
                lines.append(f"  {week.week:%d %b}  no scores")
        lines += ["", "Recent sessions"]
        for entry in reversed(load.entries[-recent:]):
            lines.append("  " + entry_line(entry) + ("" if counts(entry) else f"  {NOT_COUNTED}"))
    for notice in load.notices:
        lines += ["", clean_line(notice, 1000)]
    if load.problems:
        lines += ["", f"{_plural(len(load.problems), 'problem')} in the history files:"]
        lines += [clean_line(str(p), 1000) for p in load.problems]
    return "\n".join(lines)


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def entry_line(entry: Entry) -> str:
    """One session in a line: date and time, routine, duration, finished or not, pain scores."""
    status = "finished" if entry.finished else "stopped"
    pain = ""
    if entry.pain_before is not None or entry.pain_after is not None:
        pain = f"  pain {_score(entry.pain_before)} -> {_score(entry.pain_after)}"
    name = clean_line(entry.routine_name, NAME_LENGTH[1])
    return (
        f"{entry.started_at:%a %d %b %Y %H:%M}  {name}  "
        f"{format_duration(entry.total_seconds)}  {status}{pain}"
    )


def session_json(session: Session) -> dict[str, Any]:
    table = session_table(session)
    table["started"] = session.started_at.isoformat()
    table["ended"] = session.ended_at.isoformat()
    table["counts"] = counts(session.entry)
    table.setdefault("session_id", None)
    table.setdefault("pain_before", None)
    table.setdefault("pain_after", None)
    table.setdefault("stretch", [])
    return table


def to_json(
    stats: Stats,
    sessions: Sequence[Session],
    problems: Sequence[Problem],
    notices: Sequence[str],
) -> dict[str, Any]:
    """Everything for scripts: the stats, every session in full, problems and notices."""
    return {
        "schema": SCHEMA,
        "counting_rule": COUNTING_RULE,
        "recorded_count": stats.recorded,
        "sessions_count": stats.sessions,
        "finished_count": stats.finished,
        "streak_days": stats.streak,
        "sessions_this_week": stats.this_week,
        "total_minutes": stats.total_minutes,
        "days": [
            {"date": d.day.isoformat(), "minutes": d.minutes, "sessions": d.sessions}
            for d in stats.days
        ],
        "pain_weeks": [
            {
                "week": w.week.isoformat(),
                "before": w.before,
                "after": w.after,
                "scored": w.scored,
            }
            for w in stats.pain
        ],
        "sessions": [session_json(s) for s in sessions],
        "problems": [
            {"path": p.path, "line": p.line, "field": p.field, "message": p.message}
            for p in problems
        ],
        "notices": list(notices),
    }


def history_command(as_json: bool, *, today: date | None = None, weeks: int = 4) -> str:
    """The output of `unknot history` (text) or `unknot history --json`.

    Both count the same sessions: each month is read by `read_month`, directly for the JSON
    and through the index for the text (the index holds only what that reader took).
    """
    today = today or date.today()
    if as_json:
        sessions, problems, notices = load_sessions()
        stats = compute_stats([s.entry for s in sessions], today, weeks)
        return json.dumps(to_json(stats, sessions, problems, notices), indent=2, ensure_ascii=False)
    load = load_entries()
    return render_text(load, compute_stats(load.entries, today, weeks))
