"""`unknot new NAME`: a commented template that loads cleanly and never overwrites a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.model import Routine
from tui.routine_files.fields import ROUTINE_FIELDS, STRETCH_FIELDS
from tui.routine_files.loader import load_routine
from tui.routine_files.template import TemplateError, suggest_id, template_text, write_template


def test_the_template_loads_as_a_valid_routine(tmp_path: Path) -> None:
    path = write_template("evening-stretch", tmp_path)
    assert path == tmp_path / "evening-stretch.toml"
    routine = load_routine(path, "user")
    # with a plan and a progression to start from (issue 17)
    assert routine.schedule is not None
    assert routine.schedule.plan.words() == "twice a day"
    assert routine.schedule.progression is not None
    assert routine.schedule.progression.words() == "reps +1 a week up to 5"
    assert isinstance(routine, Routine)
    assert routine.id == "evening-stretch"
    assert routine.name == "Evening stretch"
    # both kinds of stretch are shown: sides with a switch, and a manual "ready" one
    assert [s.sides for s in routine.stretches] == ["each", "none"]
    assert routine.stretches[1].advance == "manual"


def test_the_template_explains_every_field_in_comments() -> None:
    text = template_text("x")

    lines = text.splitlines()
    tables = {"stretches": "[[stretches]]", "plan": "[plan]", "progression": "[progression]"}
    for spec in ROUTINE_FIELDS:
        assert_explained(lines, spec.name, tables.get(spec.kind, spec.name))
    for spec in STRETCH_FIELDS:
        tables = {"progression": "[stretches.progression]", "figure": "[stretches.figure]"}
        assert_explained(lines, spec.name, tables.get(spec.kind, spec.name))


def assert_explained(lines: list[str], name: str, key: str) -> None:
    """`key` (or a table's header) is written with a comment on its line or just above."""
    at = [
        n
        for n, line in enumerate(lines)
        if key in (line.split("=")[0].strip(), line.split("#")[0].strip())
    ]
    assert at, f"the template never shows {name}"
    # a comment on the field's first line, or on the line just above it
    assert any("#" in lines[n] or "#" in lines[n - 1] + lines[n - 2] for n in at), (
        f"{name} has no comment"
    )


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text("my own careful work\n")
    with pytest.raises(TemplateError, match="already exists"):
        write_template("mine", tmp_path)
    assert mine.read_text() == "my own careful work\n"


def test_the_folder_is_made_when_missing(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    assert write_template("new-one", folder).is_file()


@pytest.mark.parametrize("name", ["", "My Routine", "../escape", "a/b", "x" * 41, "tab\there"])
def test_a_name_that_cannot_be_an_id_is_refused_with_a_suggestion(
    tmp_path: Path, name: str
) -> None:
    folder = tmp_path / "routines"
    with pytest.raises(TemplateError, match="cannot be a routine id"):
        write_template(name, folder)
    assert not folder.exists()


def test_suggested_ids_are_valid() -> None:
    assert suggest_id("My Routine!") == "my-routine"
    assert suggest_id("???") == "my-routine"
    assert len(suggest_id("x" * 80)) == 40


def test_the_schema_comment_comes_first(tmp_path: Path) -> None:
    path = write_template("with-schema", tmp_path, schema_ref="file:///somewhere/routine-1.json")
    first = path.read_text().splitlines()[0]
    assert first == "#:schema file:///somewhere/routine-1.json"
    load_routine(path, "user")


def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(TemplateError, match="Cannot write"):
        write_template("x", blocker / "sub")


def test_unknot_new_writes_prints_and_passes_check(
    capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    from tui import cli
    from tui.store.paths import user_routines_dir

    assert cli.main(["new", "evening"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == user_routines_dir() / "evening.toml"
    # the schema comment points at the shipped schema file, as a file: URI editors can open
    first = path.read_text().splitlines()[0]
    assert first.startswith("#:schema file://") and first.endswith("/schema/routine-1.json")
    assert cli.main(["check", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "1 routine OK"
    assert "evening" in {r.id for r in cli.discover()}


def test_unknot_new_never_overwrites(capsys: pytest.CaptureFixture[str]) -> None:
    from tui import cli

    assert cli.main(["new", "mine"]) == 0
    path = Path(capsys.readouterr().out.strip())
    path.write_text("# edited by hand\n")
    assert cli.main(["new", "mine"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("unknot new: ") and "already exists" in captured.err
    assert path.read_text() == "# edited by hand\n"


def test_unknot_new_refuses_a_bad_name(capsys: pytest.CaptureFixture[str]) -> None:
    from tui import cli

    assert cli.main(["new", "My Routine"]) == 1
    assert "for example 'my-routine'" in capsys.readouterr().err


def test_the_template_shows_text_that_follows_the_side(tmp_path: Path) -> None:
    from tui.core.side_text import on_side

    text = template_text("x")
    assert "{side}" in text and "{{ or }}" in text  # explained in its comments
    hug = load_routine(write_template("sides", tmp_path), "user").stretches[0]
    assert on_side(hug, "left").steps[0] == "Bring your left knee up towards your chest."
    assert on_side(hug, "right").tips == ("Keep your left foot flat on the floor.",)
