"""The `unknot` command line: check, list, run, --version, --help, and exit statuses."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from tui import __version__, cli
from tui.core.model import Routine, format_duration, routine_seconds
from tui.routine_files.catalog import Catalog, discover
from tui.store.paths import builtin_dir, user_routines_dir

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
BUILT_IN = builtin_dir() / "back-spasm-relief.toml"
MINIMAL = (DATA / "good" / "minimal.toml").read_text()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def user_file(name: str, text: str = MINIMAL) -> Path:
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


# ---------------------------------------------------------------------------------------------
# --version, --help, usage


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"unknot {__version__}")


def test_help_names_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for word in ("check", "list", "run", "--no-bell", "--notify", "--version"):
        assert word in out


@pytest.mark.parametrize("argv", [["bogus"], ["--bogus"], ["run", "a", "b"], ["list", "--x"]])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "usage: unknot" in err
    assert out == ""


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--version"], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"unknot {__version__}")


# ---------------------------------------------------------------------------------------------
# check


def test_check_with_no_files_checks_every_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check")
    assert (code, out) == (0, "1 routine OK\n")


def test_check_the_built_in_folder_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(REPO / "routines"))
    assert code == 0
    assert out.endswith("routines OK\n") or out == "1 routine OK\n"


def test_check_good_files(capsys: pytest.CaptureFixture[str]) -> None:
    count = len(list((DATA / "good").glob("*.toml")))
    code, out, _ = run(capsys, "check", str(DATA / "good"))
    assert (code, out) == (0, f"{count} routines OK\n")


def test_check_prints_each_problem_on_one_line_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = DATA / "bad" / "stretch-required-missing.toml"
    good = DATA / "good" / "minimal.toml"
    code, out, _ = run(capsys, "check", str(bad), str(good))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 6
    assert all(line.startswith(f"{bad}:9: stretches[1].") for line in lines[:5])
    assert lines[-1] == "5 problems in 1 file; 1 routine OK"


def test_check_finds_problems_in_the_user_folder(capsys: pytest.CaptureFixture[str]) -> None:
    path = user_file("mine.toml", MINIMAL.replace("reps = 2", "reps = true"))
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert f"{path}:10: stretches[1].reps: found true" in out
    assert out.endswith("1 problem in 1 file; 1 routine OK\n")


def test_check_a_missing_file_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", str(tmp_path / "nope.toml"))
    assert code == 1
    assert f"{tmp_path / 'nope.toml'}: no such file or folder" in out


def test_check_an_empty_folder_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert (code, out) == (1, "no routine files found\n")


def test_check_output_carries_no_control_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "evil.toml"
    path.write_text('schema = 1\nname = 5\n"\\u001b]0;owned\\u0007" = 1\n')
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out


# ---------------------------------------------------------------------------------------------
# list


def built_in() -> Routine:
    routine = discover().get("back-spasm-relief")
    assert routine is not None
    return routine


def test_list_shows_id_source_count_and_duration(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list")
    assert code == 0
    assert err == ""
    row = next(line for line in out.splitlines() if line.startswith("back-spasm-relief"))
    duration = format_duration(routine_seconds(built_in()))
    assert row.split() == [
        "back-spasm-relief",
        "built-in",
        "4",
        *duration.split(),
        "Back",
        "spasm",
        "relief",
    ]
    assert f"Your own routines go in {user_routines_dir()}".replace(str(Path.home()), "~") in out


def test_list_notes_an_override(capsys: pytest.CaptureFixture[str]) -> None:
    user_file("back-spasm-relief.toml")
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("back-spasm-relief"))
    assert lines[index].split()[1] == "user"
    assert lines[index + 1].strip() == f"(overrides {BUILT_IN})"


def test_list_reports_bad_files_on_stderr_and_still_lists(
    capsys: pytest.CaptureFixture[str],
) -> None:
    user_file("mine.toml")
    bad = user_file("broken.toml", "schema = 1\n")
    code, out, err = run(capsys, "list")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()[1:] if line and line[0] != " "]
    assert ids[:2] == ["back-spasm-relief", "mine"]
    assert f"{bad}: name: missing" in err


def test_list_takes_extra_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", str(DATA / "good" / "every-field.toml"))
    assert code == 0
    assert any(line.split()[:2] == ["every-field", "file"] for line in out.splitlines())


# ---------------------------------------------------------------------------------------------
# run (the app and plain mode are stood in for: these tests are about choosing what to run)

Launch = tuple[Routine | None, Catalog, argparse.Namespace]


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[Launch]:
    """Record what `run` would start, in the app or in plain mode, instead of starting it."""
    calls: list[Launch] = []

    def launch(routine: Routine | None, catalog: Catalog, args: argparse.Namespace) -> int:
        calls.append((routine, catalog, args))
        return 0

    monkeypatch.setattr(cli, "_launch_app", launch)
    try:
        import tui.plain
    except ImportError:
        pass
    else:
        monkeypatch.setattr(tui.plain, "run_plain", launch, raising=False)
    return calls


def test_plan_text_shows_every_stretch_and_the_duration() -> None:
    routine = built_in()
    text = cli.plan_text(routine)
    assert text.startswith("Back spasm relief  (back-spasm-relief, built-in)")
    assert f"About {format_duration(routine_seconds(routine))} in all" in text
    for number, stretch in enumerate(routine.stretches, start=1):
        assert f"{number}. {stretch.name}" in text
    assert "hold 10 s, 3 reps (3-5 suggested) on each side: all on the right first" in text
    assert "hold 3 s (3-5 s suggested), 5 reps (5-10 suggested) on each side, alternating" in text
    assert "hold 30 s, 3 reps\n" in text


def test_plan_text_of_a_manual_stretch() -> None:
    routine = discover([DATA / "good" / "every-field.toml"]).get("every-field")
    assert routine is not None
    assert "each hold starts when you say you are in position" in cli.plan_text(routine)


@pytest.mark.parametrize("argv", [[], ["run"]])
def test_no_routine_named_starts_the_default(launched: list[Launch], argv: list[str]) -> None:
    assert cli.main(argv) == 0
    ((routine, catalog, _),) = launched
    assert routine is None or routine.id == "back-spasm-relief"
    assert "back-spasm-relief" in catalog.routines
    default = cli.default_routine(catalog)
    assert default is not None and default.id == "back-spasm-relief"


def test_run_an_id(launched: list[Launch]) -> None:
    assert cli.main(["run", "back-spasm-relief"]) == 0
    routine = launched[0][0]
    assert routine is not None and routine.source == "built-in"


def test_run_a_path(launched: list[Launch]) -> None:
    path = DATA / "good" / "every-field.toml"
    assert cli.main(["run", str(path)]) == 0
    routine = launched[0][0]
    assert routine is not None
    assert (routine.id, routine.source, routine.path) == ("every-field", "file", path)


def test_run_an_unknown_id_suggests_and_exits_1(
    capsys: pytest.CaptureFixture[str], launched: list[Launch]
) -> None:
    code, out, err = run(capsys, "run", "back-spasm")
    assert code == 1
    assert out == ""
    assert err.startswith("unknot: no routine with the id")
    assert "did you mean back-spasm-relief?" in err
    assert launched == []


def test_run_a_bad_file_prints_its_problems(
    capsys: pytest.CaptureFixture[str], launched: list[Launch]
) -> None:
    bad = DATA / "bad" / "reps-bool.toml"
    code, out, err = run(capsys, "run", str(bad))
    assert (code, out) == (1, "")
    assert f"{bad}:10: stretches[1].reps: found true" in err
    assert launched == []


@pytest.mark.parametrize(
    ("argv", "no_bell", "notify"),
    [
        ([], False, False),
        (["--no-bell"], True, False),
        (["--notify", "run"], False, True),
        (["run", "--no-bell", "--notify"], True, True),
        (["--no-bell", "run", "back-spasm-relief", "--notify"], True, True),
    ],
)
def test_cue_options_reach_the_app(
    launched: list[Launch], argv: list[str], no_bell: bool, notify: bool
) -> None:
    assert cli.main(argv) == 0
    args = launched[0][2]
    assert (args.no_bell, args.notify) == (no_bell, notify)


def test_launching_with_no_routines_at_all_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli._launch_app(None, Catalog(), argparse.Namespace()) == 1
    assert "no routines found" in capsys.readouterr().err


def test_an_os_error_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(extra: object = ()) -> Catalog:
        raise PermissionError(13, "Permission denied", "/somewhere")

    monkeypatch.setattr(cli, "discover_listings", fail)
    code, _, err = run(capsys, "list")
    assert code == 1
    assert err.strip() == "unknot: [Errno 13] Permission denied: '/somewhere'"


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`unknot list | head -0`: no traceback, no complaint about the closed pipe."""
    script = (
        "import os, sys\n"
        "read, write = os.pipe()\n"
        "os.close(read)\n"
        "os.dup2(write, 1)\n"
        "from tui.cli import main\n"
        "sys.exit(main(['list']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 1
    assert done.stderr == ""


@pytest.mark.parametrize("stderr", ["the terminal", "a log file"])
def test_a_terminal_gone_at_the_end_keeps_the_status_and_says_nothing(
    tmp_path: Path, stderr: str
) -> None:
    """A dropped SSH connection while `unknot run --plain` ends (it returns 129 after SIGHUP):
    the text still buffered cannot reach anyone, and must not turn the status into Python's
    120, a traceback or a complaint in the log."""
    script = (
        "import os, sys\n"
        "master, slave = os.openpty()\n"
        "os.dup2(slave, 1)\n"
        f"if {stderr == 'the terminal'}:\n"
        "    os.dup2(slave, 2)\n"
        "from tui import cli\n"
        "def ends_after_a_hangup(argv):\n"
        "    sys.stdout.write('Stopped after 0 of 2 stretches')  # no newline: still buffered\n"
        "    os.close(master)  # the other end goes: every write from now on fails (EIO)\n"
        "    return 129\n"
        "cli._main = ends_after_a_hangup\n"
        "sys.exit(cli.main(['run']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert (done.returncode, done.stderr) == (129, "")
