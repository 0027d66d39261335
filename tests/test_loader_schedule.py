"""A routine's [plan] and [progression] through the real loader (issue 17): every problem of the
fixture files in tests/data/schedule/ comes with the file, the line of the key (or of its table)
and the field; good files load with their schedule, also back from the routine cache; the JSON
Schema agrees with the loader wherever a schema can say it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tui.core.schedule import Plan, Progression, Schedule, parse_schedule, schedule_of
from tui.routine_files.cache import RoutineCache
from tui.routine_files.json_schema import routine_schema
from tui.routine_files.loader import RoutineError, load_routine

DATA = Path(__file__).parent / "data" / "schedule"
BAD = sorted((DATA / "bad").glob("*.toml"))
GOOD = sorted((DATA / "good").glob("*.toml"))

SCHEMA_CANNOT_SAY = {
    "days-twice": "JSON Schema's uniqueItems compares text exactly: mon and Monday differ",
    "progression-cannot-grow": "whether a stretch can grow depends on its ranges",
    "progression-grows-nothing": "a step of 0 is a valid number; nothing growing is not a type",
    "progression-max-alone": "a maximum without its step is valid alone",
    "stretch-progression-max-below-start": "comparing two values of the file",
}
"""Bad files only the loader rejects, and why."""


def expected(path: Path) -> list[str]:
    return [
        line.removeprefix("# expect: ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    ]


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_each_problem_names_the_file_the_line_and_the_field(path: Path) -> None:
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    problems = caught.value.problems
    said = [str(p) for p in problems]
    for fragment in expected(path):
        field, _, message = fragment.partition(": ")
        assert any(p.field == field and message in p.message for p in problems), (fragment, said)
    lines = path.read_text(encoding="utf-8").splitlines()
    for problem in problems:
        assert problem.path == str(path), said
        assert problem.line is not None, said
        # the line named holds the key at fault, or the header of its table
        text = lines[problem.line - 1]
        key = problem.field.split(".")[-1].split("[")[0]
        assert key in text, (problem, text)
        assert str(problem).startswith(f"{path}:{problem.line}: {problem.field}: "), said


def test_a_problem_in_a_stretchs_own_table_is_on_its_key_line() -> None:
    path = DATA / "bad" / "stretch-progression-max-below-start.toml"
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    [problem] = caught.value.problems
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problem.line is not None
    assert lines[problem.line - 1] == "max_hold_seconds = 8"


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_a_good_file_loads_with_the_schedule_its_tables_say(path: Path) -> None:
    routine = load_routine(path)
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    schedule, problems = parse_schedule(document)
    assert problems == []
    assert schedule_of(routine) == schedule


def test_a_file_without_plan_or_progression_has_no_schedule() -> None:
    routine = load_routine(DATA / "good" / "no-plan.toml")
    assert routine.schedule is None
    assert schedule_of(routine) == Schedule(Plan(), None, ())


def test_the_routine_cache_gives_back_the_schedule(tmp_path: Path) -> None:
    source = DATA / "good" / "twice-on-weekdays.toml"
    path = tmp_path / "twice.toml"
    path.write_bytes(source.read_bytes())
    os.utime(path, (1_700_000_000, 1_700_000_000))  # not changed a moment ago: cacheable
    cache_file = tmp_path / "cache.json"
    first = RoutineCache(cache_file)
    loaded = first.load(path, "user")
    first.save()
    second = RoutineCache(cache_file)
    again = second.load(path, "user")
    assert second.hits == 1, "the second load must come from the cache"
    assert again.schedule == loaded.schedule
    assert again.schedule is not None
    assert again.schedule.plan == Plan(2, (0, 2, 4))
    assert again.schedule.progression == Progression(2, None, 1, 5)
    assert dict(again.schedule.stretch_progressions)["piriformis"] == Progression(
        None, 40, None, None
    )


VALIDATOR = Draft202012Validator(routine_schema())


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_the_schema_accepts_every_good_file(path: Path) -> None:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [e.message for e in VALIDATOR.iter_errors(document)] == []


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_the_schema_rejects_what_it_can_say(path: Path) -> None:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    if path.stem in SCHEMA_CANNOT_SAY:
        assert VALIDATOR.is_valid(document), f"{path.stem} is no longer a gap"
    else:
        assert not VALIDATOR.is_valid(document)


def test_unknot_check_notes_a_progression_past_the_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tui.cli import main

    path = DATA / "good" / "twice-on-weekdays.toml"
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{path}: stretches[3].progression.max_hold_seconds: note: Piriformis: grows to 40 s, "
        "past the recommended 20-30 s; the plan line says so when it does",
        f"{path}: progression.max_reps: note: Piriformis: grows to 5 reps, past the "
        "recommended 2 reps; the plan line says so when it does",
        "1 routine OK",
    ]
