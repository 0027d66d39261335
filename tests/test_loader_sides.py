"""The loader's checks of text that follows the side (the rule is tui.core.side_text): each
problem named by file, line and field, like every other routine problem. The fixtures in
tests/data/bad/placeholder-*.toml cover one problem each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tui.core.problems import Problem
from tui.routine_files.json_schema import routine_schema
from tui.routine_files.loader import RoutineError, load_routine, parse_routine

DATA = Path(__file__).parent / "data"
VALIDATOR = Draft202012Validator(routine_schema())


def problems_in(text: str) -> list[str]:
    with pytest.raises(RoutineError) as caught:
        parse_routine(text.encode(), path=Path("r.toml"), source="file")
    return [str(p) for p in caught.value.problems]


def routine_with(stretch: str) -> str:
    return f'schema = 1\nname = "R"\n\n[[stretches]]\nid = "s"\nname = "S"\n{stretch}'


def test_placeholders_are_kept_as_written_in_the_routine() -> None:
    routine = load_routine(DATA / "good" / "placeholders.toml")
    sided, plain = routine.stretches
    assert sided.steps[0] == "Lift your {side} knee."
    assert sided.tips == ("A brace itself: {{ and }}.",)
    assert sided.name == "Sided {one}"  # a name's braces are its own characters
    assert plain.steps == ("Braces {{ doubled }} are fine here.",)


def test_the_same_mistake_twice_is_placed_at_each_line() -> None:
    text = routine_with(
        'steps = [\n    "{sdie} one",\n    "fine",\n    "{sdie} two {sdie}",\n]\n'
        'hold_seconds = 10\nreps = 3\nsides = "each"\n'
    )
    assert problems_in(text) == [
        f"r.toml:{line}: stretches[1].steps[{item}]: unknown placeholder {{sdie}}; known: "
        "{side}, {Side}, {other}, {Other} (a brace itself is {{ or }}); did you mean {side}?"
        for line, item in ((8, 1), (10, 3), (10, 3))
    ]


def test_steps_on_one_line_are_placed_at_that_line() -> None:
    text = routine_with('steps = ["ok {side}", "bad {"]\nhold_seconds = 10\nreps = 3\n')
    first, second = problems_in(text)
    assert first.startswith("r.toml:7: stretches[1].steps[1]: {side} names a side"), first
    assert second.startswith("r.toml:7: stretches[1].steps[2]: a { that is never"), second


def test_a_bad_sides_value_is_the_only_complaint_about_the_sides() -> None:
    text = routine_with('steps = ["{side} knee"]\nhold_seconds = 10\nreps = 3\nsides = "both"\n')
    found = problems_in(text)
    assert len(found) == 1, found
    assert "stretches[1].sides" in found[0]


def test_every_text_field_is_checked() -> None:
    text = routine_with(
        'targets = ["{a}"]\nposition = "{b}"\nsteps = ["{c}"]\ntips = ["{d}"]\n'
        'variation = "{e}"\nhold_seconds = 10\nreps = 3\nsides = "each"\n'
    )
    fields = [p.split(": ")[1] for p in problems_in(text)]
    assert fields == [
        "stretches[1].targets[1]",
        "stretches[1].position",
        "stretches[1].steps[1]",
        "stretches[1].tips[1]",
        "stretches[1].variation",
    ]


def test_a_placeholder_problem_is_a_problem_like_any_other() -> None:
    with pytest.raises(RoutineError) as caught:
        load_routine(DATA / "bad" / "placeholder-unknown.toml")
    [problem] = caught.value.problems
    assert isinstance(problem, Problem)
    assert (problem.line, problem.field) == (12, "stretches[1].steps[3]")


BRACE_TEXTS = st.lists(
    st.sampled_from(["a", " ", "{", "}", "{{", "}}", "{side}", "{Other}", "{x}", "{ side }"]),
    min_size=1,
    max_size=5,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    field=st.sampled_from(["name", "targets", "position", "steps", "tips", "variation"]),
    text=BRACE_TEXTS,
    sides=st.sampled_from([None, "none", "each", "alternate"]),
)
def test_the_json_schema_and_the_loader_agree_on_braces(
    field: str, text: str, sides: str | None
) -> None:
    stretch: dict[str, Any] = {"id": "a", "name": "A", "steps": ["Do it."], "hold_seconds": 5}
    stretch |= {"reps": 2, field: [text] if field in ("targets", "steps", "tips") else text}
    if sides is not None:
        stretch["sides"] = sides
    document = {"schema": 1, "name": "R", "stretches": [stretch]}
    try:
        parse_routine(tomli_w.dumps(document).encode(), path=Path("r.toml"), source="file")
        loads = True
    except RoutineError:
        loads = False
    assert VALIDATOR.is_valid(document) == loads, document
