"""The clinician's report (issue 17): its figures against those worked out by hand for a small
history (tests/helpers_report.py), the CSV read back with the csv module, the Markdown's tables,
and the HTML parsed for its structure, its text alternatives and anything that could run or be
fetched. (tests/test_report_browser.py renders it in Chromium.)"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from helpers_report import (
    CEST,
    CET,
    FIGURES,
    HOLDS,
    NOW,
    ROUTINE,
    SCHEDULE,
    SESSIONS,
    SINCE,
    at,
    cat,
    knee,
    session,
)

from tui.report.as_csv import COLUMNS, render_csv
from tui.report.as_html import render_html
from tui.report.as_markdown import render_markdown
from tui.report.facts import Facts, build_facts


def facts(**changes: object) -> Facts:
    options: dict[str, object] = {
        "now": NOW,
        "since": SINCE,
        "routine": ROUTINE,
        "schedule": SCHEDULE,
    }
    options.update(changes)
    sessions = options.pop("sessions", SESSIONS)
    return build_facts(sessions, **options)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# The figures


@pytest.mark.parametrize("name", list(FIGURES))
def test_each_figure_is_the_one_worked_out_by_hand(name: str) -> None:
    assert getattr(facts(), name) == pytest.approx(FIGURES[name]), name


def test_holds_per_stretch_and_side_are_those_worked_out_by_hand() -> None:
    found = {
        s.stretch_id: (
            s.sessions,
            {side.side: (side.done, side.planned) for side in s.sides},
            s.skipped,
            s.not_reached,
        )
        for s in facts().stretches
    }
    assert found == HOLDS
    # the routine's stretches first, in its order; then the others as they were first met
    assert [s.stretch_id for s in facts().stretches] == ["knee-to-chest", "cat-cow", "side-bend"]
    knee_row = facts().stretches[0]
    assert [(side.side, side.not_done) for side in knee_row.sides] == [("right", 4), ("left", 10)]


def test_a_session_that_does_not_count_is_listed_and_in_no_figure() -> None:
    found = facts()
    stopped = [row for row in found.sessions if not row.counts]
    assert [row.started_at for row in stopped] == [at(3, 8, 5)]
    assert all(point.at != at(3, 8, 5) for point in found.pain)  # its pain 7 is in no mean
    tuesday = next(b for b in found.buckets if b.start == date(2026, 3, 3))
    assert (tuesday.minutes, tuesday.sessions, tuesday.done) == (0.0, 0, 0)


def test_each_day_against_the_plan() -> None:
    by_day = {b.start: b for b in facts().buckets}
    assert len(by_day) == 21
    wanted = {
        # day: (minutes, sessions, done for Back care, planned, met)
        date(2026, 3, 2): (22.0, 2, 2, 2, True),
        date(2026, 3, 4): (15.0, 1, 1, 2, False),  # 23:50 to 00:05: Wednesday's
        date(2026, 3, 5): (0.0, 0, 0, 2, False),
        date(2026, 3, 11): (10.0, 1, 1, 2, False),  # recorded at +02:00
        date(2026, 3, 12): (5.0, 1, 0, 2, False),  # another routine: minutes, not the plan
        date(2026, 3, 14): (6.0, 1, 1, 0, False),  # Saturday: none planned
        date(2026, 3, 16): (24.0, 2, 2, 2, True),
        date(2026, 3, 22): (0.0, 0, 0, 0, False),
    }
    for day, figures in wanted.items():
        bucket = by_day[day]
        found = (bucket.minutes, bucket.sessions, bucket.done, bucket.planned, bucket.met)
        assert found == figures, day


def test_the_plan_in_force_this_week() -> None:
    found = facts()
    assert found.first_session == date(2026, 3, 2)
    rows = {row.name: row.grown for row in found.in_force}
    assert (rows["Knee-to-chest"].plan.hold_seconds, rows["Knee-to-chest"].plan.reps) == (14, 5)
    assert rows["Knee-to-chest"].words() == (
        "hold 14 s, 5 reps, week 3 of the plan: +4 s, +2 reps (the most)"
    )
    assert rows["Cat-cow"].words() == ""
    assert found.other_routines == ("Morning *stretch* | <b>",)


def test_weeks_count_from_the_first_session_ever_not_the_reports_start() -> None:
    found = facts(since=date(2026, 3, 16))
    assert found.week == 3 and found.first_session == date(2026, 3, 2)
    assert found.recorded == 3  # the 16th (two) and the 20th
    assert found.plan_days == 5 and found.plan_days_met == 1


def test_the_plan_is_measured_from_the_first_session_of_its_routine() -> None:
    later = [s for s in SESSIONS if s.started_at >= at(9, 0)]
    found = facts(sessions=later, since=SINCE)
    assert found.plan_start == date(2026, 3, 9)
    assert found.plan_days == 10  # 9 to 13 and 16 to 20 March
    first_week = [b for b in found.buckets if b.start < date(2026, 3, 9)]
    assert {b.planned for b in first_week} == {0}


def test_a_long_report_shows_weeks_with_the_same_sums() -> None:
    since = date(2026, 1, 5)  # a Monday; 11 weeks to 22 March
    early = session(datetime(2026, 1, 6, 9, tzinfo=CET), 7, True, (knee(3, 3, 3), cat(8)), 8, 6)
    daily = facts(sessions=[early, *SESSIONS], since=since)
    assert daily.granularity == "week"
    assert [b.start for b in daily.buckets][:2] == [date(2026, 1, 5), date(2026, 1, 12)]
    assert all(b.start.weekday() == 0 for b in daily.buckets)
    assert sum(b.minutes for b in daily.buckets) == pytest.approx(daily.minutes)
    assert sum(b.sessions for b in daily.buckets) == daily.counted == 12
    week_one = next(b for b in daily.buckets if b.start == date(2026, 3, 2))
    assert (week_one.done, week_one.planned, week_one.days_met, week_one.plan_days) == (
        4,
        10,
        1,
        5,
    )
    # the plan began with the first session, on 6 January
    assert daily.plan_start == date(2026, 1, 6)
    assert daily.buckets[0].plan_days == 4  # Tuesday to Friday
    march_second = next(p for p in daily.pain if p.at.date() == date(2026, 3, 2))
    assert march_second.sessions == 3  # S1, S2, S4 (S3 does not count)
    assert march_second.before == pytest.approx(5.0)  # (6+5+4)/3
    assert march_second.after == pytest.approx(11 / 3)  # (4+3+4)/3


def test_no_routine_means_every_session_counts_for_a_once_a_day_plan() -> None:
    found = build_facts(SESSIONS, now=NOW, since=SINCE)
    assert found.title == "Every routine"
    assert found.plan.times_a_day == 1
    by_day = {b.start: b for b in found.buckets}
    assert by_day[date(2026, 3, 12)].done == 1  # the morning routine counts here
    assert by_day[date(2026, 3, 14)].met  # every day is planned, once
    assert found.plan_days_met == 9 and found.plan_days == 21


def test_an_empty_history_makes_a_report_too() -> None:
    found = build_facts([], now=NOW, routine=ROUTINE, schedule=SCHEDULE)
    assert (found.recorded, found.counted, found.plan_days, found.week) == (0, 0, 0, 1)
    for render in (render_html, render_markdown, render_csv):
        assert render(found)
    assert "No pain scores in this period" in render_html(found)


@pytest.mark.parametrize("weeks", [1, 3, 11, 13, 160, 600])
def test_the_dates_under_a_chart_never_overlap_nor_leave_it(weeks: int) -> None:
    from tui.report import charts

    first = datetime(2025, 11, 3, 8, tzinfo=CET)  # a Monday: 13 weeks reach into 2026
    sessions = [
        session(first + timedelta(days=7 * n), 10, True, (knee(3, 3, 3),), 5, 3)
        for n in range(weeks)
    ]
    found = facts(sessions=sessions, since=None, now=sessions[-1].started_at + timedelta(days=1))
    for svg in (charts.days_chart(found), charts.pain_chart(found)):
        labels = _axis_labels(svg)
        assert len(labels) >= min(2, len(found.buckets)), labels
        spans = sorted((x - len(w) * 12 * 0.56 / 2, x + len(w) * 12 * 0.56 / 2) for x, w in labels)
        assert spans[0][0] >= 0 and spans[-1][1] <= charts.WIDTH, spans
        for (_, end), (begin, _) in itertools.pairwise(spans):
            assert begin > end, labels
        if found.granularity == "week":
            assert str(found.since.year) in labels[0][1]  # the year is said at the start


def _axis_labels(svg: str) -> list[tuple[float, str]]:
    """The dates written under a chart's columns: (x, words)."""
    found = re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" font-size="12">'
        r"(\d{1,2} [A-Z][a-z]{2}(?: \d{4})?)</text>",
        svg,
    )
    return [(float(x), words) for x, _, words in found]


# ---------------------------------------------------------------------------------------------
# CSV


def test_the_csv_reads_back_one_row_per_session() -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(facts()), newline="")))
    assert len(rows) == FIGURES["recorded"]
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0] == {
        "date": "2026-03-02",
        "started": "2026-03-02T08:00:00+01:00",
        "routine_id": "back-care",
        "routine": "Back care",
        "minutes": "10.0",
        "finished": "yes",
        "counts": "yes",
        "holds_done": "14",
        "holds_skipped": "0",
        "pain_before": "6",
        "pain_after": "4",
    }
    by_start = {row["started"]: row for row in rows}
    stopped = by_start["2026-03-03T08:05:00+01:00"]
    assert (stopped["counts"], stopped["minutes"], stopped["pain_after"]) == ("no", "0.5", "")
    late = by_start["2026-03-04T23:50:00+01:00"]
    assert late["date"] == "2026-03-04"
    travelling = by_start["2026-03-11T20:00:00+02:00"]
    assert (travelling["date"], travelling["holds_done"], travelling["holds_skipped"]) == (
        "2026-03-11",
        "15",
        "1",
    )
    assert by_start["2026-03-12T07:00:00+01:00"]["routine"] == "Morning *stretch* | <b>"
    assert sum(float(r["minutes"]) for r in rows if r["counts"] == "yes") == pytest.approx(105.0)


@pytest.mark.parametrize("name", ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)"])
def test_a_name_a_spreadsheet_would_run_is_written_as_text(name: str) -> None:
    one = replace(SESSIONS[0], routine_name=name)
    rows = list(csv.DictReader(io.StringIO(render_csv(facts(sessions=[one])), newline="")))
    assert rows[0]["routine"] == "'" + name


def test_a_name_with_commas_quotes_and_line_breaks_stays_in_its_cell() -> None:
    one = replace(SESSIONS[0], routine_name='Back, "gentle"\nversion')
    rows = list(csv.reader(io.StringIO(render_csv(facts(sessions=[one])), newline="")))
    assert len(rows) == 2 and len(rows[1]) == len(COLUMNS)
    assert rows[1][3] == 'Back, "gentle" version'


# ---------------------------------------------------------------------------------------------
# Markdown


def _md_tables(text: str) -> dict[str, list[list[str]]]:
    """Each section's first table, as rows of cells (escapes left in)."""
    tables: dict[str, list[list[str]]] = {}
    section = ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:]
        elif line.startswith("|") and not line.startswith("|-") and "---" not in line:
            cells = [c.strip() for c in _split_cells(line.strip()[1:-1])]
            tables.setdefault(section, []).append(cells)
    return tables


def _split_cells(inner: str) -> list[str]:
    cells, current, escaped = [], "", False
    for char in inner:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            current += char
            escaped = True
        elif char == "|":
            cells.append(current)
            current = ""
        else:
            current += char
    return [*cells, current]


def test_the_markdown_has_the_same_facts_in_tables() -> None:
    text = render_markdown(facts())
    tables = _md_tables(text)
    summary = dict((row[0], row[1]) for row in tables["Summary"][1:])
    assert summary["Sessions recorded"] == "12"
    assert summary["Sessions counted"] == "11 (9 finished)"
    assert summary["Minutes stretching"] == "105.0"
    assert summary["Days the plan was met"] == "2 of 15 planned days"
    assert summary["Pain before / after (mean, 0-10)"] == (
        "4.7 / 3 (change -1.5; 7 sessions scored)"
    )
    assert len(tables["Back pain before and after"]) == 1 + 7
    assert len(tables["Minutes and sessions per day"]) == 1 + 21
    holds = tables["Holds per stretch and side"]
    assert holds[1:3] == [
        ["Knee-to-chest", "Right", "35", "4", "39"],
        ["Knee-to-chest", "Left", "29", "10", "39"],
    ]
    sessions = tables["Sessions, newest first (12)"]
    assert len(sessions) == 1 + 12
    assert sessions[-1][0] == "Mon 2 Mar 2026 08:00"
    assert [
        sessions[-3][0],
        sessions[-3][3],
    ] == ["Tue 3 Mar 2026 08:05", "stopped (not counted)"]


def test_the_markdown_escapes_what_the_person_wrote() -> None:
    text = render_markdown(facts())
    assert "Morning \\*stretch\\* \\| \\<b\\>" in text
    assert "Morning *stretch*" not in text and "<b>" not in text
    # a row with the escaped name keeps its eight cells
    row = next(r for r in _md_tables(text)["Sessions, newest first (12)"] if "Morning" in r[1])
    assert len(row) == 8


# ---------------------------------------------------------------------------------------------
# HTML


class _Page(HTMLParser):
    """What the tests look at in a page: every tag with its attributes, and the text in each
    element that matters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag not in ("meta", "line", "rect", "circle", "br"):
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.text.setdefault(self.stack[-1], []).append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_the_page_has_its_sections_and_three_charts_with_text_alternatives() -> None:
    html = render_html(facts())
    page = parse(html)
    assert html.startswith("<!doctype html>")
    assert [a["id"] for a in page.all("section")] == [
        "summary",
        "pain",
        "days",
        "holds",
        "plan",
        "sessions",
    ]
    assert len(page.all("h1")) == 1
    svgs = page.all("svg")
    assert len(svgs) == 3
    ids = {a["id"] for _, a in page.tags if "id" in a}
    for svg in svgs:
        assert svg["role"] == "img"
        labels = svg["aria-labelledby"].split()
        assert len(labels) == 2 and set(labels) <= ids
    titles = page.text["title"]
    assert titles[1:] == [
        "Back pain before and after",
        "Minutes and sessions per day",
        "Holds per stretch and side",
    ]
    descs = " ".join(page.text["desc"])
    assert "7 sessions scored, mean before 4.7, mean after 3" in descs
    assert "met on 2 of 15 planned days" in descs
    assert "Knee-to-chest: Right 35 of 39, Left 29 of 39" in descs
    # each chart has a table of its figures beside it
    assert len(page.all("details")) == 3
    assert len(page.all("table")) == 3 + 1 + 1  # three charts' tables, the plan, the sessions


def test_the_page_lists_every_session_and_marks_those_that_do_not_count() -> None:
    page = parse(render_html(facts()))
    rows = [a for a in page.all("tr")]
    quiet = [a for a in rows if a.get("class") == "not-counted"]
    assert len(quiet) == 1
    assert "stopped (not counted)" in page.text["td"]


def test_the_page_runs_nothing_and_fetches_nothing() -> None:
    html = render_html(facts())
    page = parse(html)
    assert not page.all("script") and not page.all("link") and not page.all("img")
    assert not page.all("iframe") and not page.all("object") and not page.all("embed")
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "xlink:href", "action", "srcset"):
                assert value.startswith("#"), (tag, name, value)
            if "url(" in value:
                assert value.startswith("url(#"), (tag, name, value)
    lowered = html.lower()
    for marker in ("http:", "https:", "//", "@import", "javascript:"):
        assert marker not in lowered.replace("<!doctype html>", ""), marker


def test_text_from_the_persons_files_is_escaped_everywhere() -> None:
    hostile = '<script>alert("x")</script> & <img src=x onerror=y>'
    stretch = replace(ROUTINE.stretches[0], name=hostile)
    routine = replace(ROUTINE, name=hostile, stretches=(stretch, ROUTINE.stretches[1]))
    record = replace(SESSIONS[0].stretches[0], name=hostile)
    sessions = [replace(SESSIONS[0], routine_name=hostile, stretches=(record,))]
    html = render_html(facts(sessions=sessions, routine=routine))
    page = parse(html)
    assert not page.all("script") and not page.all("img")
    assert "<script>" not in html and "<img" not in html
    shown = "".join("".join(parts) for parts in page.text.values())
    assert hostile in shown  # as text: in the heading, the charts, the tables


def test_the_page_carries_print_and_narrow_screen_rules() -> None:
    html = render_html(facts())
    assert "@media print" in html and "size: A4" in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "@media (max-width: 30rem)" in html


# ---------------------------------------------------------------------------------------------
# Layers


def test_the_schedule_and_the_report_do_not_import_textual() -> None:
    modules = [
        "tui.core.schedule",
        "tui.core.progress",
        "tui.report.facts",
        "tui.report.as_html",
        "tui.report.as_markdown",
        "tui.report.as_csv",
    ]
    check = (
        "import importlib, json, sys\n"
        "for name in sys.argv[1:]: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check, *modules],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout) == []


def test_a_session_recorded_after_today_is_still_shown() -> None:
    # flown west: a session recorded on the 23rd at +02:00 while it is still the 22nd here
    ahead = session(datetime(2026, 3, 23, 0, 30, tzinfo=CEST), 5, True, (cat(8),))
    found = facts(sessions=[*SESSIONS, ahead])
    assert found.until == date(2026, 3, 23)
    assert found.sessions[-1].started_at == ahead.started_at
