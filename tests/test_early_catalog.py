"""`unknot run` reads only the routine to start before the app's first frame (a thousand routine
files took seconds); the app reads every file after its first frame. What starts, and what the
app ends up listing, must be what reading everything first would give."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import pytest
from settle import until
from textual.pilot import Pilot

from tui import cli
from tui.routine_files.catalog import Catalog, discover
from tui.store.paths import builtin_dir, user_routines_dir
from tui.ui.app import UnknotApp

ROUTINE = """\
schema = 1
name = "{name}"

[[stretches]]
id = "one"
name = "One"
steps = ["Do it."]
hold_seconds = 10
reps = 2
"""

Launch = tuple[object, Catalog, argparse.Namespace]


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[Launch]:
    calls: list[Launch] = []

    def launch(routine: object, catalog: Catalog, args: argparse.Namespace) -> int:
        calls.append((routine, catalog, args))
        return 0

    monkeypatch.setattr(cli, "_launch_app", launch)
    monkeypatch.setattr(cli, "_plain_wanted", lambda args: False)  # as in a terminal
    return calls


def user_file(name: str, text: str) -> Path:
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_id_reads_only_its_own_files(launched: list[Launch]) -> None:
    for number in range(5):
        user_file(f"other-{number}", ROUTINE.format(name=f"Other {number}"))
    assert cli.main(["run", "back-spasm-relief"]) == 0
    ((routine, catalog, _),) = launched
    assert catalog.partial and list(catalog.routines) == ["back-spasm-relief"]
    assert routine == discover().get("back-spasm-relief")


def test_a_persons_file_overrides_the_built_in_one_as_discover_does(
    launched: list[Launch],
) -> None:
    user_file("back-spasm-relief", ROUTINE.format(name="Mine"))
    cli.main(["run", "back-spasm-relief"])
    routine = launched[0][0]
    assert routine == discover().get("back-spasm-relief")
    assert getattr(routine, "name", None) == "Mine"


def test_a_broken_persons_file_leaves_the_built_in_one(launched: list[Launch]) -> None:
    user_file("back-spasm-relief", "schema = 1\nname = 3\n")
    cli.main(["run", "back-spasm-relief"])
    routine, catalog, _ = launched[0]
    assert getattr(routine, "source", None) == "built-in"
    assert catalog.partial


def test_the_routine_to_start_is_chosen_in_one_place() -> None:
    """Which routine opens when none is named (the one used last, the setting's, the
    back-spasm one) is written once, in the command line: the few files read before the first
    frame and the whole catalog read after it cannot disagree about it."""
    package = Path(cli.__file__).resolve().parent
    naming = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if any(
            isinstance(node, ast.Constant) and node.value == cli.DEFAULT_ROUTINE_ID
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    )
    assert naming == ["cli.py"]


def test_no_id_starts_what_reading_everything_would(launched: list[Launch]) -> None:
    user_file("aaa-first", ROUTINE.format(name="AAA"))
    cli.main([])
    _, catalog, _ = launched[0]
    assert catalog.partial
    assert cli.default_routine(catalog) == cli.default_routine(discover())


def test_an_unknown_id_still_gets_the_full_answer(
    launched: list[Launch], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["run", "back-spasm-relif"]) == cli.EXIT_PROBLEMS
    assert launched == []
    assert "did you mean back-spasm-relief" in capsys.readouterr().err


def test_plain_mode_still_gets_every_routine(
    launched: list[Launch], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_plain_wanted", lambda args: True)
    user_file("extra", ROUTINE.format(name="Extra"))
    cli.main(["run", "back-spasm-relief"])
    _, catalog, _ = launched[0]
    assert not catalog.partial and "extra" in catalog.routines


def test_a_path_is_read_alone(launched: list[Launch], tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(ROUTINE.format(name="Mine"), encoding="utf-8")
    cli.main(["run", str(path)])
    routine, catalog, _ = launched[0]
    assert catalog.partial and catalog.routines == {}
    assert getattr(routine, "path", None) == path
    assert cli.main(["run", str(tmp_path / "missing.toml")]) == cli.EXIT_PROBLEMS
    assert len(launched) == 1


async def test_the_app_lists_every_routine_after_its_first_frame() -> None:
    user_file("extra", ROUTINE.format(name="Extra"))
    first = Catalog(partial=True)
    first.add_file(builtin_dir() / "back-spasm-relief.toml", "built-in")
    start = first.routines["back-spasm-relief"]
    app = UnknotApp(start, routines=first.ordered(), reload=discover, catalog_later=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(pilot, Pilot)
        await until(pilot, lambda: len(app.routines) > 1, "the other routines never came")
        assert [r.id for r in app.routines] == [r.id for r in discover().ordered()]
        assert app.routine.id == "back-spasm-relief"


async def test_the_catalog_worker_is_handed_a_function_not_a_coroutine_made_in_advance() -> None:
    # a coroutine made for a worker that is cancelled before it starts (a signal or a browser
    # leaving in the app's first moments) is never awaited, and Python says so at exit
    import inspect
    from typing import Any

    first = Catalog(partial=True)
    first.add_file(builtin_dir() / "back-spasm-relief.toml", "built-in")
    start = first.routines["back-spasm-relief"]
    app = UnknotApp(start, routines=first.ordered(), reload=discover, catalog_later=True)
    handed: list[object] = []
    run_worker = app.run_worker

    def recording(work: Any, *args: Any, **kwargs: Any) -> Any:
        handed.append(work)
        return run_worker(work, *args, **kwargs)

    app.run_worker = recording  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(handed), "the catalog was read without a worker")
        await app.workers.wait_for_complete()
    assert not [work for work in handed if inspect.iscoroutine(work)]
