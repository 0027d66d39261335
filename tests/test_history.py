"""History: recording sessions per month, checking what is read back, moving bad files aside,
keeping unsaved sessions on a bad disk, the index, the stats and `unknot history`."""

from __future__ import annotations

import errno
import json
import os
import time
import tomllib
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.summary import StretchSummary, Summary
from tui.store.history import index as history_index
from tui.store.history import month as history_month
from tui.store.history import stats as history_stats
from tui.store.history.index import load_entries
from tui.store.history.month import month_toml, read_month
from tui.store.history.recorder import HistoryRecorder, append_sessions
from tui.store.history.records import Entry, Session, StretchRecord, session_from_summary
from tui.store.history.report import amount, history_command, render_text
from tui.store.history.stats import compute_stats
from tui.store.paths import data_dir

TZ = timezone(timedelta(hours=1))


def _stretch(stretch_id: str = "knee-to-chest") -> StretchRecord:
    return StretchRecord(
        stretch_id, "Knee-to-chest stretch", 3, {"right": 3, "left": 2}, 1, 10, 50.0
    )


def _session(
    start: datetime = datetime(2026, 11, 25, 8, 30, tzinfo=TZ),
    minutes: float = 10,
    pain: tuple[int | None, int | None] = (6, 4),
    finished: bool = True,
    name: str = "Back spasm relief",
) -> Session:
    return Session(
        routine_id="back-spasm-relief",
        routine_name=name,
        started_at=start,
        ended_at=start + timedelta(minutes=minutes + 1),
        finished=finished,
        total_seconds=minutes * 60,
        paused_seconds=60.0,
        stretches=(_stretch(), _stretch("trunk-rotations")),
        pain_before=pain[0],
        pain_after=pain[1],
    )


def _folder() -> Path:
    return data_dir() / "history"


# -- building a record from the engine's summary ---------------------------------------------


def test_session_from_engine_summary() -> None:
    summary = Summary(
        routine_id="back-spasm-relief",
        routine_name="Back spasm relief",
        finished=False,
        stretches=(
            StretchSummary("knee-to-chest", "Knee-to-chest stretch", 3, {"right": 3}, 2, 10, 30.04),
        ),
        total_seconds=95.449,
        paused_seconds=12.0,
        started_at=datetime(2026, 11, 25, 8, 30, 0, 123456, tzinfo=TZ),
        ended_at=datetime(2026, 11, 25, 8, 32, 10, tzinfo=TZ),
    )
    session = session_from_summary(summary, 7, None)
    assert session is not None
    assert session.started_at == datetime(2026, 11, 25, 8, 30, tzinfo=TZ)
    assert session.started_at.utcoffset() == timedelta(hours=1)
    assert not session.finished
    assert session.total_seconds == 95.4
    assert session.stretches[0].reps_done == {"right": 3}
    assert session.stretches[0].reps_skipped == 2
    assert (session.pain_before, session.pain_after) == (7, None)


def test_summary_that_never_started_is_not_a_session() -> None:
    summary = Summary("r", "R", False, (), 0.0, 0.0, None, None)
    assert session_from_summary(summary) is None


def test_pain_score_out_of_range_is_refused() -> None:
    summary = Summary("r", "R", True, (), 1.0, 0.0, datetime(2026, 1, 1, tzinfo=TZ), None)
    with pytest.raises(ValueError, match="0 to 10"):
        session_from_summary(summary, 11)


def test_missing_end_is_now() -> None:
    start = datetime(2026, 1, 1, 8, tzinfo=TZ)
    summary = Summary("r", "R", False, (), 1.0, 0.0, start, None)
    session = session_from_summary(summary, now=lambda: start + timedelta(minutes=3))
    assert session is not None
    assert session.ended_at == start + timedelta(minutes=3)


# -- writing ---------------------------------------------------------------------------------


def test_record_goes_to_the_month_of_its_start() -> None:
    session = _session(datetime(2026, 10, 31, 23, 50, tzinfo=TZ))
    HistoryRecorder().record(session)
    path = _folder() / "2026-10.toml"
    text = path.read_text()
    assert "started = 2026-10-31 23:50:00+01:00" in text
    document = tomllib.loads(text)
    assert document["schema"] == 1
    assert document["session"][0]["started"].utcoffset() == timedelta(hours=1)
    assert document["session"][0]["stretch"][0]["reps_done"] == {"right": 3, "left": 2}


def test_record_reads_back_equal() -> None:
    session = _session()
    HistoryRecorder().record(session)
    assert read_month(_folder() / "2026-11.toml").sessions == [session]


def test_absent_pain_is_left_out_and_reads_back_absent() -> None:
    session = _session(pain=(None, None))
    HistoryRecorder().record(session)
    assert "pain_" not in (_folder() / "2026-11.toml").read_text()
    assert read_month(_folder() / "2026-11.toml").sessions[0].pain_before is None


def test_appending_keeps_earlier_sessions_and_months() -> None:
    recorder = HistoryRecorder()
    first = _session(datetime(2026, 11, 2, 8, tzinfo=TZ))
    second = _session(datetime(2026, 11, 3, 8, tzinfo=TZ))
    other = _session(datetime(2026, 12, 1, 8, tzinfo=TZ))
    for session in (second, first, other):
        assert recorder.record(session).saved
    assert read_month(_folder() / "2026-11.toml").sessions == [first, second]
    assert read_month(_folder() / "2026-12.toml").sessions == [other]


def test_the_same_session_is_not_counted_twice() -> None:
    session = _session()
    append_sessions([session])
    append_sessions([session])
    assert len(read_month(_folder() / "2026-11.toml").sessions) == 1


def test_a_resumed_session_replaces_its_stopped_record() -> None:
    stopped = _session(minutes=4, finished=False, pain=(6, None))
    finished = replace(stopped, finished=True, total_seconds=900.0, pain_after=3)
    append_sessions([stopped])
    append_sessions([finished])
    assert read_month(_folder() / "2026-11.toml").sessions == [finished]


def test_file_written_by_hand_with_a_bom_and_naive_time_reads() -> None:
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    text = month_toml([_session()]).replace("+01:00", "", 2)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    month = read_month(path)
    assert month.problems == []
    assert month.sessions[0].started_at.tzinfo is not None


# -- bad files -------------------------------------------------------------------------------


def test_corrupt_month_is_moved_aside_on_load_and_a_new_one_starts() -> None:
    folder = _folder()
    folder.mkdir(parents=True)
    broken = folder / "2026-11.toml"
    broken.write_text("[[session]\nthis is not toml")
    load = load_entries()
    assert load.entries == []
    assert len(load.notices) == 1
    assert "could not be used" in load.notices[0]
    kept = [p for p in folder.iterdir() if p.name.startswith("2026-11.toml.broken-")]
    assert len(kept) == 1
    assert kept[0].read_text() == "[[session]\nthis is not toml"
    assert HistoryRecorder().record(_session()).saved
    assert read_month(broken).sessions == [_session()]
    assert kept[0].read_text() == "[[session]\nthis is not toml"


def test_corrupt_month_is_moved_aside_when_recording() -> None:
    folder = _folder()
    folder.mkdir(parents=True)
    (folder / "2026-11.toml").write_bytes(b"\xff\xfe not utf-8")
    outcome = HistoryRecorder().record(_session())
    assert outcome.saved
    assert "not UTF-8" in outcome.notices[0]
    kept = [p for p in folder.iterdir() if ".broken-" in p.name]
    assert kept[0].read_bytes() == b"\xff\xfe not utf-8"


def test_month_with_a_bad_record_is_kept_aside_and_the_good_ones_carried_over() -> None:
    good = _session(datetime(2026, 11, 1, 8, tzinfo=TZ))
    text = month_toml([good, _session(datetime(2026, 11, 2, 8, tzinfo=TZ))])
    text = text.replace("finished = true", 'finished = "yes"', 2).replace(
        'finished = "yes"', "finished = true", 1
    )
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    new = _session(datetime(2026, 11, 3, 8, tzinfo=TZ))
    outcome = HistoryRecorder().record(new)
    assert outcome.saved
    assert "kept as 2026-11.toml.broken-" in outcome.notices[0]
    assert "1 problem in its records (the first: " in outcome.notices[0]
    assert "session[2].finished" in outcome.notices[0]
    assert read_month(path).sessions == [good, new]
    kept = next(p for p in path.parent.iterdir() if ".broken-" in p.name)
    assert kept.read_text() == text


def test_problems_name_file_line_and_field() -> None:
    text = month_toml([_session(), _session(datetime(2026, 11, 26, 8, tzinfo=TZ))])
    lines = text.splitlines()
    # the second session's total_seconds becomes a string
    targets = [n for n, line in enumerate(lines) if line.startswith("total_seconds")]
    lines[targets[1]] = 'total_seconds = "long"'
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n")
    month = read_month(path)
    assert len(month.sessions) == 1
    (problem,) = month.problems
    assert problem.path == str(path)
    assert problem.line == targets[1] + 1
    assert problem.field == "session[2].total_seconds"
    assert '"long"' in problem.message


def test_problem_in_a_stretch_names_its_line() -> None:
    text = month_toml([_session()])
    lines = text.splitlines()
    target = [n for n, line in enumerate(lines) if line.startswith("hold_seconds")][1]
    lines[target] = "hold_seconds = 0"
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines))
    (problem,) = read_month(path).problems
    assert problem.field == "session[1].stretch[2].hold_seconds"
    assert problem.line == target + 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"finished": 1}, "session[1].finished", "true or false"),
        ({"started": "2026-11-25"}, "session[1].started", "date and time"),
        ({"pain_before": 11}, "session[1].pain_before", "0 to 10"),
        ({"pain_after": True}, "session[1].pain_after", "0 to 10"),
        ({"total_seconds": float("nan")}, "session[1].total_seconds", "seconds"),
        ({"paused_seconds": -1}, "session[1].paused_seconds", "seconds"),
        ({"routine_id": 5}, "session[1].routine_id", "text"),
        ({"finishd": True}, "session[1].finishd", "did you mean finished?"),
        ({"ended": datetime(2026, 11, 25, 7, tzinfo=TZ)}, "session[1].ended", "before the start"),
        ({"stretch": [{"id": "x"}]}, "session[1].stretch[1].reps_planned", "whole number"),
        (
            {
                "stretch": [
                    {
                        **history_month.session_table(_session())["stretch"][0],
                        "reps_done": {"up": 1},
                    }
                ]
            },
            "session[1].stretch[1].reps_done",
            "the sides here are: right, left, none",
        ),
    ],
)
def test_wrong_values_are_problems(change: dict[str, object], field: str, words: str) -> None:
    table = history_month.session_table(_session())
    table.update(change)
    import tomli_w

    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text(tomli_w.dumps({"schema": 1, "session": [table]}))
    month = read_month(path)
    assert month.sessions == []
    assert any(p.field == field and words in p.message for p in month.problems), month.problems


def test_newer_schema_is_reported_and_not_read() -> None:
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text(month_toml([_session()]).replace("schema = 1", "schema = 2"))
    month = read_month(path)
    assert month.sessions == []
    assert "newer unknot" in month.problems[0].message


def test_hostile_strings_are_cleaned() -> None:
    session = _session(name="Evil\x1b]0;pwned\x07 \u202eroutine\x9b2J")
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text(month_toml([session]))
    (read,) = read_month(path).sessions
    assert read.routine_name == "Evil]0;pwned routine2J"
    load = load_entries()
    out = render_text(load, compute_stats(load.entries, date(2026, 11, 25)))
    assert "\x1b" not in out
    assert "\u202e" not in out


def test_fifo_month_file_is_set_aside_without_hanging() -> None:
    folder = _folder()
    folder.mkdir(parents=True)
    os.mkfifo(folder / "2026-11.toml")
    load = load_entries()
    assert "not a plain file" in load.notices[0]
    assert not (folder / "2026-11.toml").exists()


def test_history_folder_that_is_a_file_is_a_notice_and_save_error() -> None:
    folder = _folder()
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("x")
    assert "is a file" in load_entries().notices[0]
    outcome = HistoryRecorder().record(_session())
    assert outcome.error is not None
    assert outcome.error.message.startswith("Could not save history to ")
    assert folder.read_text() == "x"


def test_two_processes_recording_at_once_lose_nothing() -> None:
    base = datetime(2026, 11, 1, 8, tzinfo=TZ)
    children = []
    for worker in range(2):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 1
            try:
                for n in range(15):
                    start = base + timedelta(hours=n, minutes=worker)
                    append_sessions([_session(start)])
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    assert len(read_month(_folder() / "2026-11.toml").sessions) == 30


# -- a bad disk: keep the session and try again ------------------------------------------------


@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only")]
)
def test_unsaved_sessions_wait_in_memory_and_are_saved_later(
    monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    recorder = HistoryRecorder()
    real_replace = os.replace

    def refuse(src: str, dst: str) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", refuse)
    first = _session(datetime(2026, 11, 2, 8, tzinfo=TZ))
    outcome = recorder.record(first)
    assert not outcome.saved
    assert outcome.error is not None
    assert words in outcome.error.message
    second = _session(datetime(2026, 11, 3, 8, tzinfo=TZ))
    assert recorder.record(second).waiting == 2
    assert recorder.unsaved == (first, second)

    monkeypatch.setattr(os, "replace", real_replace)
    outcome = recorder.retry()
    assert outcome.saved
    assert outcome.waiting == 0
    assert read_month(_folder() / "2026-11.toml").sessions == [first, second]


def test_unsaved_sessions_are_shown_with_the_history(monkeypatch: pytest.MonkeyPatch) -> None:
    stopped = _session(minutes=4, finished=False)
    append_sessions([stopped, _session(datetime(2026, 11, 1, 8, tzinfo=TZ))])

    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "replace", refuse)
    recorder = HistoryRecorder()
    finished = replace(stopped, finished=True)
    assert not recorder.record(finished).saved
    entries = load_entries(unsaved=recorder.unsaved).entries
    assert len(entries) == 2
    assert entries[-1] == finished.entry


def test_failed_write_after_moving_aside_puts_the_file_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text("not = [toml")

    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", refuse)
    assert not HistoryRecorder().record(_session()).saved
    assert path.read_text() == "not = [toml"


# -- the index ---------------------------------------------------------------------------------


def test_index_spares_parsing_unchanged_months(monkeypatch: pytest.MonkeyPatch) -> None:
    append_sessions([_session(datetime(2026, 10, 1, 8, tzinfo=TZ)), _session()])
    first = load_entries()

    def no_parsing(path: Path) -> None:
        raise AssertionError(f"parsed {path} again")

    monkeypatch.setattr(history_index, "read_month", no_parsing)
    assert load_entries().entries == first.entries


def test_index_follows_changed_files() -> None:
    append_sessions([_session()])
    load_entries()
    path = _folder() / "2026-11.toml"
    path.write_text(month_toml([_session(), _session(datetime(2026, 11, 26, 8, tzinfo=TZ))]))
    assert len(load_entries().entries) == 2


def test_broken_index_is_ignored() -> None:
    append_sessions([_session()])
    load_entries()
    index = history_index.index_path(_folder())
    index.write_text('{"version": 1, "files": {"2026-11.toml": {"key": 3, "entries": "x"}}}')
    assert load_entries().entries == [_session().entry]
    index.write_text("not json")
    assert load_entries().entries == [_session().entry]


def test_index_with_control_characters_is_not_trusted() -> None:
    append_sessions([_session()])
    load_entries()
    index = history_index.index_path(_folder())
    index.write_text(index.read_text().replace("Back spasm relief", "Back\\u001b[2J"))
    assert load_entries().entries[0].routine_name == "Back spasm relief"


def test_index_keeps_reporting_problems() -> None:
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text(month_toml([_session()]).replace("finished = true", "finished = 3"))
    assert load_entries().problems
    assert load_entries().problems  # second time from the index


def test_two_readings_at_once_agree_and_leave_an_index_that_is_trusted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    append_sessions([_session(datetime(2026, month, 3, 8, tzinfo=TZ)) for month in (9, 10, 11)])
    history_index.index_path(_folder()).unlink()
    results: list[history_index.HistoryLoad] = []
    readers = [threading.Thread(target=lambda: results.append(load_entries())) for _ in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert results[0].entries == results[1].entries and len(results[0].entries) == 3
    json.loads(history_index.index_path(_folder()).read_text())  # whole, whichever was written last

    def no_parsing(path: Path) -> None:
        raise AssertionError(f"parsed {path} again")

    monkeypatch.setattr(history_index, "read_month", no_parsing)
    assert load_entries().entries == results[0].entries


def test_a_broken_month_written_again_while_it_was_read_is_not_moved_aside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text("not = [toml")
    real = history_index.read_month

    def read_then_record(month_path: Path) -> history_month.MonthRead:
        month = real(month_path)  # broken, as read ...
        monkeypatch.setattr(history_index, "read_month", real)
        append_sessions([_session()])  # ... and a session recorded in its place meanwhile
        return month

    monkeypatch.setattr(history_index, "read_month", read_then_record)
    load_entries()
    assert read_month(path).sessions == [_session()]  # the new file stayed where it was
    assert load_entries().entries == [_session().entry]


# -- stats -------------------------------------------------------------------------------------


def _entry(
    day: date, minutes: float = 10, pain: tuple[int | None, int | None] = (None, None)
) -> Entry:
    start = datetime(day.year, day.month, day.day, 8, tzinfo=TZ)
    return _session(start, minutes, pain).entry


TODAY = date(2026, 11, 25)  # a Wednesday


def test_streak_counts_days_in_a_row_ending_today() -> None:
    days = [TODAY, TODAY - timedelta(1), TODAY - timedelta(2), TODAY - timedelta(4)]
    assert compute_stats([_entry(d) for d in days], TODAY).streak == 3


def test_streak_may_end_yesterday() -> None:
    days = [TODAY - timedelta(1), TODAY - timedelta(2)]
    assert compute_stats([_entry(d) for d in days], TODAY).streak == 2


def test_streak_is_broken_by_a_missed_day() -> None:
    days = [TODAY - timedelta(2), TODAY - timedelta(3)]
    assert compute_stats([_entry(d) for d in days], TODAY).streak == 0


def test_two_sessions_on_one_day_count_once_for_the_streak() -> None:
    assert compute_stats([_entry(TODAY), _entry(TODAY)], TODAY).streak == 1


def _stopped_early(day: date, hour: int = 8) -> Entry:
    """A session stopped five seconds in, before its first hold ended."""
    start = datetime(day.year, day.month, day.day, hour, tzinfo=TZ)
    nothing = replace(_stretch(), reps_done={"right": 0, "left": 0}, held_seconds=2.0)
    return replace(_session(start), finished=False, total_seconds=5.0, stretches=(nothing,)).entry


def test_a_day_with_only_a_session_stopped_early_does_not_count() -> None:
    days = [TODAY, TODAY - timedelta(2)]
    entries = [_entry(d) for d in days] + [_stopped_early(TODAY - timedelta(1))]
    assert compute_stats(entries, TODAY).streak == 1
    assert compute_stats(entries, TODAY).recorded == 3  # recorded and shown all the same


def test_today_with_only_a_session_stopped_early_keeps_yesterdays_chain() -> None:
    entries = [_entry(TODAY - timedelta(1)), _entry(TODAY - timedelta(2)), _stopped_early(TODAY)]
    assert compute_stats(entries, TODAY).streak == 2


def test_a_stopped_session_with_one_hold_done_counts() -> None:
    one = replace(_stretch(), reps_done={"right": 1, "left": 0})
    start = datetime(2026, 11, 25, 8, tzinfo=TZ)
    stopped = replace(_session(start), finished=False, total_seconds=20.0, stretches=(one,))
    assert stopped.entry.holds_done == 1
    assert compute_stats([stopped.entry], TODAY).streak == 1


def test_a_finished_session_skipped_through_does_not_count() -> None:
    skipped = replace(_stretch(), reps_done={"right": 0, "left": 0}, reps_skipped=6)
    session = replace(_session(datetime(2026, 11, 25, 8, tzinfo=TZ)), stretches=(skipped,))
    assert session.finished
    assert compute_stats([session.entry], TODAY).streak == 0


def test_a_session_started_before_midnight_counts_for_the_day_it_started() -> None:
    late = _session(datetime(2026, 11, 24, 23, 55, tzinfo=TZ), minutes=20)
    assert compute_stats([late.entry], TODAY).streak == 1  # yesterday's
    assert compute_stats([late.entry], TODAY + timedelta(1)).streak == 0


def test_a_day_with_a_session_stopped_early_and_a_real_one_counts() -> None:
    entries = [_stopped_early(TODAY, 7), _entry(TODAY), _stopped_early(TODAY, 20)]
    assert compute_stats(entries, TODAY).streak == 1


def test_the_streak_rule_is_said_with_the_streak() -> None:
    load = history_index.HistoryLoad(entries=[_entry(TODAY)])
    text = render_text(load, compute_stats(load.entries, TODAY))
    assert "Days in a row: 1" in text
    assert history_stats.COUNTING_RULE in text


def test_week_totals_and_days() -> None:
    entries = [
        _entry(date(2026, 11, 23), 10),  # Monday this week
        _entry(date(2026, 11, 25), 20),
        _entry(date(2026, 11, 25), 5),
        _entry(date(2026, 11, 22), 30),  # Sunday last week
        _entry(date(2025, 1, 1), 60),  # long ago: in the total only
    ]
    stats = compute_stats(entries, TODAY, weeks=2)
    assert stats.this_week == 3
    assert stats.sessions == 5
    assert stats.total_minutes == 125
    assert stats.days[0].day == date(2026, 11, 16)
    assert stats.days[-1].day == TODAY
    assert len(stats.days) == 10
    by_day = {d.day: d for d in stats.days}
    assert by_day[TODAY].minutes == 25
    assert by_day[TODAY].sessions == 2
    assert by_day[date(2026, 11, 22)].minutes == 30


def test_pain_trend_per_week() -> None:
    entries = [
        _entry(date(2026, 11, 16), pain=(8, 6)),
        _entry(date(2026, 11, 18), pain=(6, None)),
        _entry(date(2026, 11, 24), pain=(4, 2)),
    ]
    stats = compute_stats(entries, TODAY, weeks=3)
    weeks = {w.week: w for w in stats.pain}
    assert weeks[date(2026, 11, 9)].scored == 0
    assert weeks[date(2026, 11, 9)].before is None
    assert (weeks[date(2026, 11, 16)].before, weeks[date(2026, 11, 16)].after) == (7, 6)
    assert weeks[date(2026, 11, 16)].scored == 2
    assert (weeks[date(2026, 11, 23)].before, weeks[date(2026, 11, 23)].after) == (4, 2)


# -- output ------------------------------------------------------------------------------------


def test_text_shows_totals_chart_pain_and_recent() -> None:
    append_sessions(
        [
            _session(datetime(2026, 11, 24, 8, tzinfo=TZ), 10, (7, 5)),
            _session(datetime(2026, 11, 25, 8, tzinfo=TZ), 20, (6, 3), finished=False),
        ]
    )
    out = history_command(False, today=TODAY)
    assert "2 sessions recorded, 2 counted (1 finished)." in out
    assert "Total: 30 min" in out
    assert "(█ = 20 min)" in out
    assert "Days in a row: 2" in out
    assert "This week: 2 sessions" in out
    chart = next(line for line in out.splitlines() if line.startswith("  23 Nov"))
    assert "·  ▄  █" in chart
    assert "30 min" in chart
    assert "6.5 -> 4" in out
    recent = out.split("Recent sessions\n")[1].splitlines()
    assert recent[0].startswith("  Wed 25 Nov 2026 08:00  Back spasm relief  20 min  stopped")
    assert recent[0].endswith("pain 6 -> 3")


def test_text_of_an_empty_history() -> None:
    assert "No sessions recorded yet" in history_command(False, today=TODAY)


def test_json_has_stats_and_every_session() -> None:
    append_sessions([_session(pain=(5, None))])
    data = json.loads(history_command(True, today=TODAY))
    assert data["streak_days"] == 1
    assert data["sessions_this_week"] == 1
    assert data["total_minutes"] == 10
    assert len(data["days"]) == 4 * 7 - 4
    session = data["sessions"][0]
    assert session["started"] == "2026-11-25T08:30:00+01:00"
    assert session["pain_after"] is None
    assert session["stretch"][0]["reps_done"] == {"right": 3, "left": 2}


# -- any valid session survives the trip through a file ---------------------------------------

_texts = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Cf"), blacklist_characters="\u2028\u2029"
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
_stretches = st.builds(
    StretchRecord,
    stretch_id=st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
    name=_texts,
    reps_planned=st.integers(0, 100),
    reps_done=st.dictionaries(st.sampled_from(["right", "left", "none"]), st.integers(0, 100)),
    reps_skipped=st.integers(0, 100),
    hold_seconds=st.integers(1, 3600),
    held_seconds=st.floats(0, 10_000).map(lambda x: round(x, 1)),
)


@st.composite
def _sessions(draw: st.DrawFn) -> Session:
    offset = timezone(timedelta(minutes=draw(st.integers(-12 * 60, 14 * 60))))
    start = draw(
        st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)).map(
            lambda d: d.replace(microsecond=0, tzinfo=offset)
        )
    )
    return Session(
        routine_id=draw(st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)),
        routine_name=draw(_texts),
        started_at=start,
        ended_at=start + timedelta(seconds=draw(st.integers(0, 10_000))),
        finished=draw(st.booleans()),
        total_seconds=draw(st.floats(0, 100_000).map(lambda x: round(x, 1))),
        paused_seconds=draw(st.floats(0, 100_000).map(lambda x: round(x, 1))),
        stretches=tuple(draw(st.lists(_stretches, max_size=4))),
        pain_before=draw(st.none() | st.integers(0, 10)),
        pain_after=draw(st.none() | st.integers(0, 10)),
        session_id=draw(st.just("") | st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(_sessions(), min_size=1, max_size=3))
def test_any_session_reads_back_equal(
    tmp_path_factory: pytest.TempPathFactory, sessions: list[Session]
) -> None:
    path = tmp_path_factory.mktemp("h") / "month.toml"
    path.write_text(month_toml(sessions))
    month = read_month(path)
    assert month.problems == []
    assert sorted(month.sessions, key=lambda s: s.started_at) == sorted(
        sessions, key=lambda s: s.started_at
    )


def test_cli_history_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    append_sessions([_session(datetime.now().astimezone().replace(microsecond=0))])
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "1 session recorded, 1 counted (1 finished)." in out
    assert "Days in a row: 1" in out
    assert main(["history", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sessions_count"] == 1
    assert data["streak_days"] == 1


@settings(max_examples=80, deadline=None)
@given(
    st.binary(max_size=300)
    | st.builds(
        lambda table: tomli_w.dumps({"schema": 1, "session": [table]}).encode(),
        st.dictionaries(
            st.sampled_from([*history_month._SESSION_KEYS, "x"]),
            st.booleans() | st.integers() | st.floats() | st.text(max_size=10) | st.datetimes(),
        ),
    )
)
def test_any_month_file_reads_without_raising(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    path = tmp_path_factory.mktemp("h") / "2026-11.toml"
    path.write_bytes(content)
    month = read_month(path)
    assert month.sessions or month.problems or month.corrupt or content.strip() == b""


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (0, "0 min"),
        (7 / 60, "<1 min"),
        (0.001, "<1 min"),
        (0.5, "<1 min"),
        (0.99, "<1 min"),
        (1.0, "1 min"),
        (25.4, "25 min"),
    ],
)
def test_chart_amounts_never_say_0_min_for_some_time(minutes: float, shown: str) -> None:
    assert amount(minutes) == shown


def test_a_short_session_is_not_charted_as_0_min() -> None:
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text(month_toml([_session(minutes=7 / 60, finished=False)]))
    load = load_entries()
    out = render_text(load, compute_stats(load.entries, date(2026, 11, 25)))
    assert "(█ = <1 min)" in out
    week = next(line for line in out.splitlines() if line.startswith("  23 Nov"))
    assert week.endswith("  <1 min")


@pytest.mark.parametrize(
    ("started", "ended"),
    [
        ("0001-01-01T05:00:00", "0001-01-01T06:00:00"),  # before year 1 in some time zones
        ("9999-12-31T23:00:00", "9999-12-31T23:59:59"),  # after 9999 in others
    ],
)
def test_times_outside_the_calendar_are_problems_not_crashes(
    started: str, ended: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        path = _folder() / "2026-11.toml"
        path.parent.mkdir(parents=True)
        path.write_text(
            'schema = 1\n\n[[session]]\nroutine_id = "a"\n'
            f"started = {started}\nended = {ended}\n"
            "finished = true\ntotal_seconds = 1.0\npaused_seconds = 0.0\n"
        )
        month = read_month(path)
        assert month.sessions == []
        assert any(p.field.endswith((".started", ".ended")) for p in month.problems)
        assert all("outside the years" in p.message for p in month.problems)
        for as_json in (False, True):
            history_command(as_json, today=date(2026, 11, 25))  # no traceback
        outcome = HistoryRecorder(_folder()).record(_session())
        assert outcome.error is None
        assert _session().entry in load_entries().entries  # the new session is kept
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize(
    "row",
    [
        [1, "x", None, {"a": 1}],
        ["p", "3", "f", "m"],
        ["p", True, "f", "m"],
        ["p", None, "f"],
        "a problem",
    ],
)
def test_an_index_with_problems_of_another_shape_is_not_believed(row: object) -> None:
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text(month_toml([_session()]).replace("finished = true", "finished = 3"))
    assert load_entries().problems
    index = history_index.index_path(_folder())
    document = json.loads(index.read_text())
    document["files"]["2026-11.toml"]["problems"] = [row]
    index.write_text(json.dumps(document))
    problems = load_entries().problems  # read again from the month, not from the index
    assert problems and all(isinstance(p.line, int | None) for p in problems)
    assert "finished" in str(problems[0])
    assert "finished" in history_command(False, today=date(2026, 11, 25))


def test_an_old_date_put_back_on_a_changed_month_does_not_fool_the_index() -> None:
    append_sessions([_session()])
    load_entries()
    path = _folder() / "2026-11.toml"
    old = path.stat()
    renamed = month_toml([_session(name="Back spasm relieF")])
    assert len(renamed) == old.st_size
    path.write_text(renamed)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))  # as `touch -r` or `cp -p` do
    assert load_entries().entries[0].routine_name == "Back spasm relieF"


def test_a_time_at_the_calendars_edge_with_an_offset_is_shown_not_crashed_on() -> None:
    path = _folder() / "2026-11.toml"
    path.parent.mkdir(parents=True)
    path.write_text(
        'schema = 1\n\n[[session]]\nroutine_id = "a"\n'
        "started = 9999-12-31T23:00:00-12:00\nended = 9999-12-31T23:59:59-12:00\n"
        "finished = true\ntotal_seconds = 1.0\npaused_seconds = 0.0\n"
    )
    for as_json in (False, True):
        assert "9999" in history_command(as_json, today=date(2026, 11, 25))
