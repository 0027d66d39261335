"""`unknot report`: the clinician's report (tui.report) of the history, written where asked.

HTML goes to a file: `--output FILE`, or unknot-report-DATE.html in the current folder (with
-2, -3... when that name is taken). Markdown and CSV go to standard output unless `--output`.
No file already there is ever replaced, unless `--force` says so for the file `--output` names.
Every write is atomic (tui.store.durable). Problems are one line each on standard error: a bad
`--since` is a usage error (status 2); an unknown routine or a file that cannot be written,
status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.textclean import clean_for_terminal
from tui.store.durable import SaveError, atomic_write_bytes, describe_os_error

if TYPE_CHECKING:
    import argparse

    from tui.core.model import Routine
    from tui.report.facts import Facts

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
MAX_DAYS = 100 * 366
SUFFIXES = {"html": ".html", "md": ".md", "csv": ".csv"}


class UsageError(ValueError):
    """A value on the command line that cannot be used, in words for the person."""


def parse_since(text: str, today: date) -> date:
    """The first day `--since` names: "30d" is the last 30 days, today included; a date is
    that day. UsageError says what was expected."""
    words = text.strip()
    expected = "a number of days such as 30d, or a date such as 2026-03-01"
    if words[:-1].isdecimal() and words[-1:].lower() == "d":
        days = int(words[:-1])
        if not 1 <= days <= MAX_DAYS:
            raise UsageError(f"--since {words}: expected from 1d to {MAX_DAYS}d")
        return today - timedelta(days=days - 1)
    try:
        if len(words) != 10:
            raise ValueError(words)
        day = date.fromisoformat(words)
    except ValueError:
        shown = clean_for_terminal(words[:40])
        raise UsageError(f'--since "{shown}": expected {expected}') from None
    if day > today:
        raise UsageError(f"--since {day.isoformat()}: that is after today ({today.isoformat()})")
    return day


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """stem.suffix in `folder`, or stem-2.suffix, stem-3.suffix... : the first name not taken."""
    path = folder / f"{stem}{suffix}"
    number = 2
    while path.exists() or path.is_symlink():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


def run_report(
    args: argparse.Namespace,
    *,
    now: datetime,
    routine_for: Callable[[str | None], Routine],
    err: Callable[[str], None],
) -> int:
    """`unknot report` with its parsed arguments, at `now`; the exit status. `routine_for` finds
    the routine named (None: the one in use) with the person's settings, raising RoutineError
    for an unknown one; `err` says a line on standard error (tui.cli gives all three)."""
    try:
        since = parse_since(args.since, now.date()) if args.since is not None else None
    except UsageError as error:
        err(f"unknot report: {error}")
        return EXIT_USAGE
    routine = routine_for(args.routine)  # RoutineError (unknown id): main prints it, status 1
    from tui.core.schedule import schedule_of
    from tui.report.facts import build_facts
    from tui.store.history.index import load_sessions

    sessions, problems, notices = load_sessions()
    for notice in notices:
        err(f"unknot report: {clean_for_terminal(notice)}")
    if problems:
        files = len({p.path for p in problems})
        err(
            f"unknot report: {files} history file{'' if files == 1 else 's'} with problems; the "
            "sessions that could be read are in the report (`unknot history` names the rest)"
        )
    facts = build_facts(
        sessions, now=now, since=since, routine=routine, schedule=schedule_of(routine)
    )
    text = _render(facts, args.format)
    output: Path | None = args.output
    if (output is None and args.format != "html") or output == Path("-"):
        sys.stdout.write(text)
        return EXIT_OK
    return _write(text, output, args, now.date(), err)


def _render(facts: Facts, kind: str) -> str:
    if kind == "md":
        from tui.report.as_markdown import render_markdown

        return render_markdown(facts)
    if kind == "csv":
        from tui.report.as_csv import render_csv

        return render_csv(facts)
    from tui.report.as_html import render_html

    return render_html(facts)


def _write(
    text: str,
    output: Path | None,
    args: argparse.Namespace,
    today: date,
    err: Callable[[str], None],
) -> int:
    if output is None:
        output = free_name(Path.cwd(), f"unknot-report-{today.isoformat()}", SUFFIXES[args.format])
    replace = bool(args.force)
    shown = clean_for_terminal(str(output))
    try:
        atomic_write_bytes(
            output, text.encode("utf-8"), what="the report", mode=0o644, exclusive=not replace
        )
    except FileExistsError:
        err(
            f"unknot report: {shown} already exists and was left as it is; name another file, "
            "or add --force to replace it"
        )
        return EXIT_PROBLEMS
    except SaveError as error:
        err(f"unknot report: could not write {shown}: {describe_os_error(error.cause)}")
        return EXIT_PROBLEMS
    note = " (open it in a web browser; it prints on A4)" if args.format == "html" else ""
    print(f"Report written to {shown}{note}")
    return EXIT_OK
