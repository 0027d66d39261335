"""`unknot due` (issue 17): on fixed clocks across midnight, weekdays and time zones, its exit
status and its one line; only the sessions of the routine the person uses that count; a problem
is one line on standard error and status 2; and with a fresh index no month file is opened.

The routine in use is chosen by the start rule (here the setting start_routine): "Back care",
twice a day from Monday to Friday. Clocks are at +01:00 unless a test says otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers_report import knee, session
from patience import HANG

from tui import cli
from tui.store.config import config_path
from tui.store.history import glance as history_glance
from tui.store.history import index as history_index
from tui.store.history import month as history_month
from tui.store.history import recorder
from tui.store.paths import user_routines_dir

CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))
EST = timezone(timedelta(hours=-5))
ROOT = Path(__file__).resolve().parent.parent

ROUTINE = """\
schema = 1
name = "Back care"

[plan]
times_a_day = 2
days = ["mon", "tue", "wed", "thu", "fri"]

[[stretches]]
id = "knee-to-chest"
name = "Knee-to-chest"
steps = ["Pull one knee in."]
hold_seconds = [10, 20]
reps = [3, 5]
sides = "each"
"""


def at(day: int, hour: int, minute: int = 0, tz: timezone = CET) -> datetime:
    """A moment in March 2026: the 2nd is a Monday."""
    return datetime(2026, 3, day, hour, minute, tzinfo=tz)


@pytest.fixture(autouse=True)
def back_care() -> None:
    """The person's routine, chosen by the setting, as `unknot` alone would open it."""
    user_routines_dir().mkdir(parents=True, exist_ok=True)
    (user_routines_dir() / "back-care.toml").write_text(ROUTINE, encoding="utf-8")
    config_path().write_text('start_routine = "back-care"\n', encoding="utf-8")


def record(*starts: datetime, holds: int = 3, routine: str = "back-care") -> None:
    """Sessions begun at `starts` (holding `holds` holds on each side), and a fresh index."""
    sessions = [
        session(start, 8, True, (knee(3, holds, holds),), routine=(routine, routine))
        for start in starts
    ]
    recorder.append_sessions(sessions)
    history_index.load_entries()  # every month in the index


def run_due(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    now: datetime,
    *args: str,
) -> tuple[int, str, str]:
    monkeypatch.setattr(cli, "now_here", lambda: now)
    code = cli.main(["due", *args])
    out, err = capsys.readouterr()
    return code, out, err


CASES = [
    # (sessions begun at, now, status, line)
    ((), at(2, 7), 0, "Stretch due: 0 of 2 today, no session yet"),
    ((at(2, 8),), at(2, 10), 1, ""),  # too soon after the first
    ((at(2, 8),), at(2, 16, 5), 0, "Stretch due: 1 of 2 today, last session today 08:00"),
    ((at(2, 8), at(2, 23, 50)), at(2, 23, 59), 1, ""),  # today's plan met
    # across midnight: the late one is Monday's, and the gap holds into Tuesday
    ((at(2, 8), at(2, 23, 50)), at(3, 0, 10), 1, ""),
    (
        (at(2, 8), at(2, 23, 50)),
        at(3, 7, 50),
        0,
        "Stretch due: 0 of 2 today, last session yesterday 23:50",
    ),
    ((at(6, 18),), at(7, 10), 1, ""),  # Saturday: the plan leaves it out
    ((at(6, 18),), at(9, 7), 0, "Stretch due: 0 of 2 today, last session Fri 18:00"),
    # a month back: found through the months before, and named by its date
    (
        (at(2, 8) - timedelta(days=40),),
        at(2, 9),
        0,
        "Stretch due: 0 of 2 today, last session 21 Jan 08:00",
    ),
    # recorded at +02:00 at 00:30 on Tuesday: Tuesday's, wherever the person is now
    (
        (at(3, 0, 30, CEST),),
        at(3, 9, 0, EST),
        0,
        "Stretch due: 1 of 2 today, last session today 00:30",
    ),
    # flown west: Monday 18:00 at -05:00 is half an hour after it, in real time: too soon
    ((at(3, 0, 30, CEST),), at(2, 18, 0, EST), 1, ""),
]


@pytest.mark.parametrize(("starts", "now", "status", "line"), CASES)
def test_due_on_a_fixed_clock(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    starts: tuple[datetime, ...],
    now: datetime,
    status: int,
    line: str,
) -> None:
    if starts:
        record(*starts)
    code, out, err = run_due(monkeypatch, capsys, now)
    assert (code, out, err) == (status, line + "\n" if line else "", "")


def test_quiet_says_it_with_the_status_alone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_due(monkeypatch, capsys, at(2, 7), "--quiet") == (0, "", "")
    record(at(2, 8), at(2, 18))
    assert run_due(monkeypatch, capsys, at(2, 20), "--quiet") == (1, "", "")


def test_only_this_routines_sessions_that_count_are_counted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    record(at(2, 8), holds=0)  # stopped before one hold ended: does not count
    record(at(2, 9), routine="other-routine")
    code, out, _ = run_due(monkeypatch, capsys, at(2, 20))
    assert (code, out) == (0, "Stretch due: 0 of 2 today, no session yet\n")


def test_the_settings_plan_replaces_the_routines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config_path().write_text(
        'start_routine = "back-care"\nplan_times_a_day = 1\nplan_days = ["sat"]\n',
        encoding="utf-8",
    )
    assert run_due(monkeypatch, capsys, at(2, 9))[0] == 1  # Monday: not a day of the settings
    assert run_due(monkeypatch, capsys, at(7, 9)) == (
        0,
        "Stretch due: 0 of 1 today, no session yet\n",
        "",
    )


def test_the_routine_is_the_one_used_last(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.store.sessions import last_routine_path

    last_routine_path().parent.mkdir(parents=True, exist_ok=True)
    last_routine_path().write_text("back-spasm-relief\n", encoding="utf-8")
    record(at(2, 8))  # of back-care: not the routine in use now
    code, out, _ = run_due(monkeypatch, capsys, at(2, 20))
    assert (code, out) == (0, "Stretch due: 0 of 1 today, no session yet\n")


def test_a_problem_is_one_line_on_standard_error_and_status_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "no-routines"
    empty.mkdir()
    (user_routines_dir() / "back-care.toml").unlink()
    monkeypatch.setattr(cli, "builtin_dir", lambda: empty)
    monkeypatch.setattr("tui.routine_files.catalog.builtin_dir", lambda: empty)
    code, out, err = run_due(monkeypatch, capsys, at(2, 7))
    assert (code, out) == (2, "")
    assert err == "unknot due: no routines found; `unknot check` says why\n"

    def broken(*_args: object) -> list[datetime]:
        raise PermissionError(13, "Permission denied", "/somewhere/history")

    monkeypatch.setattr(history_glance, "recent_starts", broken)
    (user_routines_dir() / "back-care.toml").write_text(ROUTINE, encoding="utf-8")
    code, out, err = run_due(monkeypatch, capsys, at(2, 7))
    assert (code, out) == (2, "")
    assert err == "unknot due: [Errno 13] Permission denied: '/somewhere/history'\n"


def test_the_glance_finds_the_index_where_the_history_keeps_it(tmp_path: Path) -> None:
    folder = history_month.history_dir()
    assert history_glance.history_folder() == folder
    assert history_glance.index_path(folder) == history_index.index_path(folder)
    assert history_glance.INDEX_VERSION == history_index.INDEX_VERSION
    record(at(2, 8))
    month = folder / "2026-03.toml"
    assert history_glance.stat_key(month) == history_index._stat_key(month)


# -- in a process of its own, as at a shell prompt ---------------------------------------------

WATCHED = """
import sys

opened = []

def watch(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        name = str(args[0])
        if name.endswith(".toml") and "/history/" in name:
            opened.append(name)
            raise PermissionError(13, "a month file was opened", name)

sys.addaudithook(watch)
from tui import cli
code = cli.main(["due"])
print("opened:", opened, file=sys.stderr)
print("textual:", "textual" in sys.modules, file=sys.stderr)
sys.exit(code)
"""


def due_process() -> subprocess.CompletedProcess[str]:
    """`unknot due` in a process of its own whose every attempt to open a month file fails."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), TZ="UTC")
    return subprocess.run(
        [sys.executable, "-c", WATCHED],
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )


def test_with_a_fresh_index_no_month_file_is_opened_and_textual_is_not_loaded() -> None:
    config_path().write_text(
        'start_routine = "back-care"\n'
        'plan_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n',
        encoding="utf-8",
    )
    now = datetime.now(UTC)  # the process runs with TZ=UTC
    record(now - timedelta(days=1), now - timedelta(days=40), now - timedelta(days=70))
    done = due_process()
    assert done.stderr.splitlines() == ["opened: []", "textual: False"], done.stderr
    assert done.returncode == 0, done
    assert done.stdout.startswith("Stretch due: 0 of 2 today, last session yesterday"), done
    # a month changed since the index was written is read from its file: the watch sees it
    month = history_month.history_dir() / history_month.month_name(now - timedelta(days=1))
    os.utime(month, ns=(1_000_000_000, 1_000_000_000))
    again = due_process()
    assert f"opened: ['{month}']" in again.stderr.splitlines(), again.stderr
