"""Random bytes and random TOML documents: the loader's own error is the only thing that escapes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.model import Routine
from tui.routine_files.fields import ROUTINE_FIELDS, STRETCH_FIELDS
from tui.routine_files.loader import RoutineError, parse_routine

PATH = Path("fuzz.toml")
UNSAFE = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} - {"\n"}

keys = st.sampled_from([f.name for f in (*ROUTINE_FIELDS, *STRETCH_FIELDS)]) | st.text(max_size=12)
scalars = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.sampled_from([0, 1, 3, 60, 100, 3600, 3601])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["none", "each", "alternate", "right", "left", "auto", "manual", "a-b"])
    | st.dates()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)
stretch_tables = st.dictionaries(keys, values, max_size=10)
documents = st.fixed_dictionaries(
    {},
    optional={
        "schema": st.sampled_from([1, 1, 1, 2, 0, True, "1"]),
        "name": st.text(max_size=90),
        "description": st.text(max_size=60),
        "prepare_seconds": values,
        "rest_seconds": values,
        "stretches": st.lists(stretch_tables, max_size=3) | values,
    },
).flatmap(lambda base: st.dictionaries(keys, values, max_size=3).map(lambda extra: extra | base))


whole = st.integers(min_value=-2, max_value=3602)
small = st.integers(min_value=1, max_value=10) | whole
texts = st.text(max_size=90)
words = st.text(st.characters(categories=["L", "N", "P", "Zs", "So"]), min_size=1, max_size=30)
some_text = words | words | texts
near_stretches = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[a-z0-9-]{1,40}", fullmatch=True) | texts,
        "name": some_text,
        "steps": st.lists(some_text, min_size=1, max_size=3) | st.lists(texts, max_size=3),
        "hold_seconds": small | st.lists(small, min_size=2, max_size=2).map(sorted),
        "reps": small | st.lists(whole, min_size=2, max_size=2),
    },
    optional={
        "sides": st.sampled_from(["none", "each", "alternate", "both"]),
        "first_side": st.sampled_from(["right", "left", "up"]),
        "advance": st.sampled_from(["auto", "manual"]),
        "switch_seconds": small,
        "rest_between_reps": small,
        "tips": st.lists(some_text, max_size=2),
        "targets": st.lists(some_text, max_size=2),
        "position": some_text,
        "variation": some_text,
    },
)
near_documents = st.fixed_dictionaries(
    {"schema": st.just(1), "name": some_text, "stretches": st.lists(near_stretches, max_size=3)},
    optional={
        "description": st.text(max_size=200),
        "prepare_seconds": small,
        "rest_seconds": small,
    },
)


def outcome(data: bytes) -> Routine | None:
    """Load the bytes; a RoutineError is fine if it holds clear, clean problems."""
    try:
        return parse_routine(data, path=PATH, source="file")
    except RoutineError as error:
        assert error.problems
        for problem in error.problems:
            text = str(problem)
            assert "unexpected" not in problem.message, text
            assert not UNSAFE & set(text), text
        return None


def check_routine(routine: Routine) -> None:
    """Whatever loads is safe to show: no control codes in any text."""
    texts = [routine.name, routine.description]
    for stretch in routine.stretches:
        texts += [stretch.id, stretch.name, stretch.position, stretch.variation]
        texts += [*stretch.steps, *stretch.tips, *stretch.targets]
        assert 1 <= stretch.hold_seconds.low <= stretch.hold_seconds.high <= 3600
        assert 1 <= stretch.reps.low <= stretch.reps.high <= 100
    for text in texts:
        assert not UNSAFE & set(text), repr(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    routine = outcome(data)
    if routine is not None:
        check_routine(routine)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_documents(document: dict[str, Any]) -> None:
    try:
        data = tomli_w.dumps(document).encode()
    except (TypeError, ValueError):  # nothing TOML can say (e.g. a list holding None)
        return
    routine = outcome(data)
    if routine is not None:
        check_routine(routine)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_random_text_after_a_good_start(tail: str) -> None:
    head = 'schema = 1\nname = "R"\n[[stretches]]\nid = "a"\nname = "A"\nsteps = ["x"]\n'
    routine = outcome((head + tail).encode("utf-8", "surrogatepass"))
    if routine is not None:
        check_routine(routine)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_documents)
def test_random_near_valid_documents(document: dict[str, Any]) -> None:
    """Documents with the right shape, so that many load and what loads is checked."""
    routine = outcome(tomli_w.dumps(document).encode())
    if routine is not None:
        check_routine(routine)
        assert len(routine.stretches) == len(document["stretches"])


def test_a_near_valid_document_can_load() -> None:
    """The generators above can reach a routine that loads (so the checks on it run)."""
    document = {
        "schema": 1,
        "name": "R",
        "stretches": [{"id": "a", "name": "A", "steps": ["x"], "hold_seconds": 1, "reps": 1}],
    }
    routine = outcome(tomli_w.dumps(document).encode())
    assert routine is not None
    check_routine(routine)
