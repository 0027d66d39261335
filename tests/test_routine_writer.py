"""Saving a routine: a valid schema-1 file that keeps every field and loads back equal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.model import (
    HOLD_BOUNDS,
    NAME_LENGTH,
    PREPARE_BOUNDS,
    REPS_BOUNDS,
    REST_BETWEEN_REPS_BOUNDS,
    REST_BOUNDS,
    SWITCH_BOUNDS,
    Routine,
    Span,
    Stretch,
    StretchPlan,
)
from tui.core.textclean import clean_block, clean_line
from tui.routine_files.catalog import discover
from tui.routine_files.loader import load_routine, parse_routine
from tui.routine_files.writer import (
    chosen_span,
    remove_user_override,
    routine_to_toml,
    save_user_routine,
)
from tui.store.durable import SaveError
from tui.store.paths import builtin_dir, user_routines_dir


def _builtin() -> Routine:
    return load_routine(builtin_dir() / "back-spasm-relief.toml", "built-in")


def _reload(text: str, routine_id: str, source: str = "built-in") -> Routine:
    return parse_routine(text.encode(), path=Path(f"{routine_id}.toml"), source=source)  # type: ignore[arg-type]


def test_builtin_routine_round_trips() -> None:
    routine = _builtin()
    assert _reload(routine_to_toml(routine), routine.id) == routine


def test_every_field_is_written() -> None:
    text = routine_to_toml(_builtin())
    for key in (
        "schema = 1",
        "prepare_seconds = 5",
        "rest_seconds = 15",
        "switch_seconds = 3",
        "rest_between_reps = 3",
        'advance = "auto"',
        'first_side = "right"',
        "reps = [3, 5]",
        "variation = ",
        "description = ",
    ):
        assert key in text


@pytest.mark.parametrize(
    ("span", "chosen", "written"),
    [
        (Span(3, 5), 3, Span(3, 5)),  # the low end: the range stays
        (Span(3, 5), 4, Span(4, 5)),  # inside: the new low end
        (Span(3, 5), 5, Span.exactly(5)),  # the high end: a whole number
        (Span(3, 5), 8, Span.exactly(8)),  # above: a whole number
        (Span(3, 5), 2, Span.exactly(2)),  # below: a whole number
        (Span.exactly(10), 12, Span.exactly(12)),
    ],
)
def test_chosen_value_becomes_the_start(span: Span, chosen: int, written: Span) -> None:
    assert chosen_span(span, chosen) == written


def test_adjusted_plan_is_the_saved_routines_default_plan() -> None:
    routine = _builtin()
    plan = (StretchPlan(12, 4), StretchPlan(5, 5), StretchPlan(30, 6), StretchPlan(15, 3))
    saved = _reload(routine_to_toml(routine, plan), routine.id)
    assert saved.default_plan() == plan
    assert saved.stretches[1].hold_seconds == Span.exactly(5)  # the top of [3, 5]
    assert saved.stretches[1].reps == Span(5, 10)  # the plan was already at the low end
    assert saved.stretches[0].reps == Span(4, 5)
    assert [s.steps for s in saved.stretches] == [s.steps for s in routine.stretches]


def test_plan_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="plan has 1 stretches"):
        routine_to_toml(_builtin(), [StretchPlan(1, 1)])


def test_save_under_the_same_id_overrides_the_builtin() -> None:
    routine = _builtin()
    plan = (StretchPlan(12, 4), *routine.default_plan()[1:])
    path = save_user_routine(routine, plan).path
    assert path == user_routines_dir() / "back-spasm-relief.toml"
    assert path.stat().st_mode & 0o777 == 0o600
    found = discover().get("back-spasm-relief")
    assert found is not None
    assert found.source == "user"
    assert found.overrides is not None
    assert found.default_plan() == plan


def test_save_again_replaces_the_file_it_came_from() -> None:
    routine = _builtin()
    save_user_routine(routine)
    mine = discover().get(routine.id)
    assert mine is not None and mine.source == "user"
    path, kept = save_user_routine(mine, (StretchPlan(20, 5), *mine.default_plan()[1:]))
    assert kept is None  # the file it came from, unchanged since: no copy to keep
    assert load_routine(path, "user").stretches[0].hold_seconds == Span.exactly(20)


def test_save_under_a_new_id_never_replaces_another_routine() -> None:
    routine = _builtin()
    save_user_routine(routine, new_id="morning")
    before = (user_routines_dir() / "morning.toml").read_text()
    with pytest.raises(FileExistsError, match=r"morning\.toml already exists"):
        save_user_routine(replace(routine, name="Other"), new_id="morning")
    assert (user_routines_dir() / "morning.toml").read_text() == before
    kept = save_user_routine(replace(routine, name="Other"), new_id="morning", overwrite=True).kept
    found = discover().get("morning")
    assert found is not None and found.name == "Other"
    assert kept is not None and kept.read_text() == before  # the replaced one, kept beside it


@pytest.mark.parametrize("bad", ["", "../escape", "a/b", ".hidden", "-x", "x.toml", "a\x1bb"])
def test_bad_new_id_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="a routine id may hold"):
        save_user_routine(_builtin(), new_id=bad)
    assert not user_routines_dir().exists() or list(user_routines_dir().iterdir()) == []


def test_remove_override_brings_back_the_builtin() -> None:
    save_user_routine(_builtin())
    removed = remove_user_override("back-spasm-relief")
    assert removed == user_routines_dir() / "back-spasm-relief.toml"
    found = discover().get("back-spasm-relief")
    assert found is not None and found.source == "built-in"
    assert remove_user_override("back-spasm-relief") is None


def test_routines_folder_that_is_a_file_is_a_save_error() -> None:
    user_routines_dir().parent.mkdir(parents=True, exist_ok=True)
    user_routines_dir().write_text("x")
    with pytest.raises(SaveError, match="Could not save the routine back-spasm-relief to"):
        save_user_routine(_builtin())


# -- random valid routines -------------------------------------------------------------------

_raw = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


def _line(limit: int) -> st.SearchStrategy[str]:
    return _raw.map(lambda t: clean_line(t, limit)).filter(bool)


def _optional_line(limit: int) -> st.SearchStrategy[str]:
    return st.just("") | _line(limit)


def _span(bounds: tuple[int, int]) -> st.SearchStrategy[Span]:
    number = st.integers(*bounds)
    return st.tuples(number, number).map(lambda p: Span(min(p), max(p)))


_stretch = st.builds(
    Stretch,
    id=st.just("x"),
    name=_line(NAME_LENGTH[1]),
    steps=st.lists(_line(500), min_size=1, max_size=3).map(tuple),
    hold_seconds=_span(HOLD_BOUNDS),
    reps=_span(REPS_BOUNDS),
    targets=st.lists(_line(NAME_LENGTH[1]), max_size=3).map(tuple),
    position=_optional_line(500),
    tips=st.lists(_line(500), max_size=2).map(tuple),
    variation=_optional_line(500),
    sides=st.sampled_from(["none", "each", "alternate"]),
    first_side=st.sampled_from(["right", "left"]),
    switch_seconds=st.integers(*SWITCH_BOUNDS),
    rest_between_reps=st.integers(*REST_BETWEEN_REPS_BOUNDS),
    advance=st.sampled_from(["auto", "manual"]),
)


@st.composite
def _routines(draw: st.DrawFn) -> Routine:
    stretches = draw(st.lists(_stretch, min_size=1, max_size=4))
    ids = draw(
        st.lists(
            st.from_regex(r"[a-z0-9-]{1,40}", fullmatch=True),
            min_size=len(stretches),
            max_size=len(stretches),
            unique=True,
        )
    )
    return Routine(
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9 _.-]{0,30}", fullmatch=True)).rstrip(". "),
        name=draw(_line(NAME_LENGTH[1])),
        stretches=tuple(replace(s, id=i) for s, i in zip(stretches, ids, strict=True)),
        description=draw(st.just("") | _raw.map(lambda t: clean_block(t, 4000))),
        prepare_seconds=draw(st.integers(*PREPARE_BOUNDS)),
        rest_seconds=draw(st.integers(*REST_BOUNDS)),
        source="user",
    )


@settings(max_examples=100, deadline=None)
@given(_routines())
def test_any_valid_routine_round_trips(routine: Routine) -> None:
    assert _reload(routine_to_toml(routine), routine.id, "user") == routine


@settings(max_examples=60, deadline=None)
@given(_routines(), st.data())
def test_any_plan_round_trips_as_the_default_plan(routine: Routine, data: st.DataObject) -> None:
    plan = tuple(
        StretchPlan(data.draw(st.integers(*HOLD_BOUNDS)), data.draw(st.integers(*REPS_BOUNDS)))
        for _ in routine.stretches
    )
    saved = _reload(routine_to_toml(routine, plan), routine.id, "user")
    assert saved.default_plan() == plan
    assert saved == replace(
        routine,
        stretches=tuple(
            replace(
                s,
                hold_seconds=chosen_span(s.hold_seconds, p.hold_seconds),
                reps=chosen_span(s.reps, p.reps),
            )
            for s, p in zip(routine.stretches, plan, strict=True)
        ),
    )


def test_a_saved_copy_keeps_its_plan_and_progressions() -> None:
    source = Path(__file__).parent / "data" / "schedule" / "good" / "twice-on-weekdays.toml"
    routine = load_routine(source, "user")
    again = _reload(routine_to_toml(routine), "twice-on-weekdays", "user")
    assert again.schedule == routine.schedule
    assert again == replace(routine, path=again.path)
