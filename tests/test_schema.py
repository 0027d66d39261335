"""The JSON Schema and the loader agree: on every good file, on every bad one, field by field."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tui.routine_files.fields import ROUTINE_FIELDS, STRETCH_FIELDS
from tui.routine_files.json_schema import (
    SCHEMA_REF,
    routine_schema,
    schema_text,
    shipped_schema_path,
)
from tui.routine_files.loader import RoutineError, load_routine, parse_routine
from tui.store.paths import builtin_dir

DATA = Path(__file__).parent / "data"
BUILT_IN = sorted(builtin_dir().glob("*.toml"))
GOOD = sorted((DATA / "good").glob("*.toml"))
BAD = sorted((DATA / "bad").glob("*.toml"))

SCHEMA_CANNOT_SAY = {
    "hold-whole-float": "JSON has one number type: 10.0 and 10 are the same value",
    "id-duplicate": "JSON Schema cannot require one property to be unique across array items",
    "reps-range-reversed": "JSON Schema cannot compare two values of one array",
    "figure-keyframes-out-of-order": "JSON Schema cannot compare one keyframe's `at` with the next",
}
"""Bad files that only the loader can reject, and why: the module docstring says so too."""

VALIDATOR = Draft202012Validator(routine_schema())


def _schema_accepts(text: bytes) -> bool:
    """Whether the file is valid by the schema alone (a file that is not TOML is not)."""
    try:
        document = tomllib.loads(text.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return VALIDATOR.is_valid(document)


def _loader_accepts(text: bytes) -> bool:
    try:
        parse_routine(text, path=Path("x.toml"), source="file")
    except RoutineError:
        return False
    return True


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = routine_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_schema_has_exactly_the_loaders_fields() -> None:
    schema = routine_schema()
    assert list(schema["properties"]) == [spec.name for spec in ROUTINE_FIELDS]
    stretch = schema["$defs"]["stretch"]
    assert list(stretch["properties"]) == [spec.name for spec in STRETCH_FIELDS]
    assert schema["required"] == [spec.name for spec in ROUTINE_FIELDS if spec.required]
    assert stretch["required"] == [spec.name for spec in STRETCH_FIELDS if spec.required]


def test_there_are_routines_to_check() -> None:
    assert BUILT_IN and GOOD and len(BAD) > 20


@pytest.mark.parametrize("path", BUILT_IN + GOOD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_good_routine_is_valid_by_the_schema(path: Path) -> None:
    load_routine(path)
    document = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    errors = [error.message for error in VALIDATOR.iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_the_loader_and_the_schema_both_reject_every_bad_file(path: Path) -> None:
    data = path.read_bytes()
    assert not _loader_accepts(data)
    if path.stem in SCHEMA_CANNOT_SAY:
        # keep the list of known gaps honest: remove an entry once the schema can say it
        assert _schema_accepts(data), f"{path.stem} is no longer a gap"
    else:
        assert not _schema_accepts(data)


def test_the_shipped_copy_is_what_the_code_generates() -> None:
    shipped = shipped_schema_path(builtin_dir())
    assert shipped.read_text(encoding="utf-8") == schema_text(), (
        "routines/schema/ is stale: regenerate it with `python -m tui.routine_files.json_schema`"
    )
    assert json.loads(shipped.read_text(encoding="utf-8")) == routine_schema()


@pytest.mark.parametrize("path", BUILT_IN, ids=lambda p: p.name)
def test_built_in_routines_name_the_schema_for_editors(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"#:schema {SCHEMA_REF}"
    assert (path.parent / SCHEMA_REF).resolve() == shipped_schema_path(builtin_dir()).resolve()


# -- field by field: random values in and out of bounds, the two must agree ----------------------

MINIMAL: dict[str, Any] = {
    "schema": 1,
    "name": "Test",
    "stretches": [{"id": "a", "name": "A", "steps": ["Do it."], "hold_seconds": 5, "reps": 2}],
}

VALUES = st.one_of(
    st.integers(min_value=-5, max_value=5000),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not float(f).is_integer()),
    st.text(alphabet=st.sampled_from("ab-Z \t\x1b\u202e1"), max_size=6),
    st.text(min_size=75, max_size=90, alphabet="xy"),
    st.lists(st.integers(min_value=-1, max_value=4000), max_size=3),
    st.lists(st.text(alphabet="ab \x01", max_size=3), max_size=22),
    st.sampled_from(["none", "each", "alternate", "right", "left", "auto", "manual", "up"]),
    st.dictionaries(st.sampled_from(["x"]), st.integers(), max_size=1),
)
KNOWN_GAPS = (
    # ranges given low > high
    lambda key, value: (
        isinstance(value, list)
        and len(value) == 2
        and all(type(v) is int for v in value)
        and value[0] > value[1]
    ),
)


def _toml_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)


FIELDS = [(False, spec) for spec in ROUTINE_FIELDS] + [(True, spec) for spec in STRETCH_FIELDS]


def _near(bounds: tuple[int, int] | None) -> st.SearchStrategy[Any]:
    """Numbers, lengths or counts at and just past both ends of `bounds`."""
    low, high = bounds or (0, 10)
    return st.sampled_from(sorted({max(0, low - 1), low, low + 1, high - 1, high, high + 1}))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), data=st.data())
def test_loader_and_schema_agree_on_any_one_field(
    field: tuple[bool, Any], data: st.DataObject
) -> None:
    in_stretch, spec = field
    size = _near(spec.bounds)
    count = _near(spec.count)
    near_value = st.one_of(
        size,
        size.map(lambda n: "x" * n),
        st.tuples(size, size).map(list),
        st.tuples(count, size).map(lambda cn: ["y" * cn[1]] * cn[0]),
        st.sampled_from(spec.choices) if spec.choices else st.nothing(),
    )
    value = data.draw(st.one_of(near_value, VALUES))
    document = json.loads(json.dumps(MINIMAL))
    target = document["stretches"][0] if in_stretch else document
    target[spec.name] = value
    if spec.kind == "stretches" or any(gap(spec.name, value) for gap in KNOWN_GAPS):
        return
    try:
        text = tomli_w.dumps(document).encode()
    except (TypeError, ValueError):
        return  # not something a TOML file can hold
    assert _loader_accepts(text) == VALIDATOR.is_valid(document), (spec.name, value)


def test_unknot_schema_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from tui import cli

    assert cli.main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == schema_text()
    Draft202012Validator.check_schema(json.loads(printed))
