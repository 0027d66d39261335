"""The report's words and numbers, the same in the HTML and the Markdown."""

from __future__ import annotations

from datetime import date, datetime

from tui.report.facts import Facts, SessionRow
from tui.store.history.stats import NOT_COUNTED

SIDE_NAMES = {"right": "Right", "left": "Left", "none": "Both"}
"""A stretch without sides is held in the middle: its one row is "Both"."""


def short_day(day: date) -> str:
    """ "2 Mar"."""
    return f"{day.day} {day:%b}"


def long_day(day: date) -> str:
    """ "Mon 2 Mar 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def moment(at: datetime) -> str:
    """A session's start, in the local time it was recorded in: "Mon 2 Mar 2026 08:05"."""
    return f"{long_day(at.date())} {at:%H:%M}"


def period(facts: Facts) -> str:
    """ "2 Mar 2026 to 22 Mar 2026 (21 days)"."""
    days = (facts.until - facts.since).days + 1
    return f"{long_day(facts.since)} to {long_day(facts.until)} ({plural(days, 'day')})"


def plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def minutes(value: float) -> str:
    """Minutes to a tenth: "12.5"."""
    return f"{value:.1f}"


def score(value: float | None) -> str:
    """A pain score or a mean of them: "4", "4.5"; "-" for none."""
    if value is None:
        return "-"
    return f"{value:.1f}".removesuffix(".0")


def change(value: float | None) -> str:
    """A change in pain: "-1.5", "+0.5", "0"."""
    if value is None:
        return "-"
    text = score(abs(value))
    return "0" if text == "0" else ("-" if value < 0 else "+") + text


def status(row: SessionRow) -> str:
    """ "finished", "stopped", "stopped (not counted)"."""
    word = "finished" if row.finished else "stopped"
    return word if row.counts else f"{word} {NOT_COUNTED}"


def summary(facts: Facts) -> list[tuple[str, str]]:
    """The headline figures, as (what, value) pairs."""
    items = [
        ("Sessions recorded", str(facts.recorded)),
        ("Sessions counted", f"{facts.counted} ({facts.finished} finished)"),
        ("Minutes stretching", minutes(facts.minutes)),
        ("Days with a session", str(facts.active_days)),
    ]
    if facts.plan_days:
        items.append(
            ("Days the plan was met", f"{facts.plan_days_met} of {facts.plan_days} planned days")
        )
    else:
        items.append(("Days the plan was met", "no planned day yet"))
    if facts.pain_scored:
        items.append(
            (
                "Pain before / after (mean, 0-10)",
                f"{score(facts.pain_before)} / {score(facts.pain_after)} "
                f"(change {change(facts.pain_change)}; {plural(facts.pain_scored, 'session')} "
                "scored)",
            )
        )
    else:
        items.append(("Pain before / after", "no scores given"))
    return items


def plan_lines(facts: Facts) -> list[str]:
    """The plan and progression in force, in sentences."""
    lines = [f"Plan: {facts.plan.words()} (as the routine says now)."]
    if facts.first_session is not None:
        lines.append(
            f"Week {facts.week} of the plan, counted from the first session on "
            f"{long_day(facts.first_session)}."
        )
    else:
        lines.append("No session of this routine yet: the first one starts week 1.")
    if facts.progression is not None:
        lines.append(f"Progression: {facts.progression.words()}.")
    else:
        lines.append("Progression: none (holds and reps stay as the routine writes them).")
    if facts.other_routines:
        lines.append(
            "Other routines in this report (their sessions count in the minutes, not the plan): "
            + ", ".join(facts.other_routines)
            + "."
        )
    return lines


def in_force_cells(facts: Facts) -> list[tuple[str, str, str, str]]:
    """(stretch, starts at, this week, note) for each stretch of the routine."""
    rows = []
    for row in facts.in_force:
        grown = row.grown
        start = f"{grown.hold.base} s, {plural(grown.reps.base, 'rep')}"
        now = f"{grown.hold.value} s, {plural(grown.reps.value, 'rep')}"
        note = grown.words() or "does not grow"
        rows.append((row.name, start, now, note))
    return rows


def day_note(bucket_done: int, planned: int, plan_days: int, days_met: int, days: int) -> str:
    """A day's (or week's) sessions against the plan: "1 of 2", "2 of 2, met", "none planned"."""
    if days > 1:
        if not plan_days:
            return f"{bucket_done} done, none planned"
        return f"{bucket_done} of {planned}; met on {days_met} of {plural(plan_days, 'day')}"
    if not planned:
        return f"{bucket_done} done, none planned" if bucket_done else "none planned"
    return f"{bucket_done} of {planned}" + (", met" if bucket_done >= planned else "")
