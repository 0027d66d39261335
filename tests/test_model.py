"""The routine model's helpers: spans, plans, side order and the duration estimate."""

from __future__ import annotations

from dataclasses import fields

import pytest

from tui.core.model import (
    Routine,
    Span,
    Stretch,
    StretchPlan,
    format_duration,
    other_side,
    routine_seconds,
    stretch_seconds,
)
from tui.routine_files.fields import ROUTINE_FIELDS, STRETCH_FIELDS


def make_stretch(**changes: object) -> Stretch:
    values: dict[str, object] = {
        "id": "s",
        "name": "S",
        "steps": ("Do it.",),
        "hold_seconds": Span.exactly(10),
        "reps": Span.exactly(3),
    }
    values.update(changes)
    return Stretch(**values)  # type: ignore[arg-type]


def test_other_side() -> None:
    assert other_side("right") == "left"
    assert other_side("left") == "right"


def test_span_exactly_is_not_a_range() -> None:
    span = Span.exactly(7)
    assert (span.low, span.high, span.is_range, str(span)) == (7, 7, False, "7")


def test_span_range_prints_low_dash_high() -> None:
    span = Span(3, 5)
    assert span.is_range
    assert str(span) == "3-5"


def test_plan_starts_at_the_low_end_of_each_range() -> None:
    stretch = make_stretch(hold_seconds=Span(3, 5), reps=Span(5, 10))
    assert StretchPlan.default_for(stretch) == StretchPlan(hold_seconds=3, reps=5)


@pytest.mark.parametrize(
    ("sides", "first", "order"),
    [
        ("none", "right", ()),
        ("each", "right", ("right", "left")),
        ("each", "left", ("left", "right")),
        ("alternate", "left", ("left", "right")),
    ],
)
def test_side_order(sides: str, first: str, order: tuple[str, ...]) -> None:
    assert make_stretch(sides=sides, first_side=first).side_order == order


def test_seconds_of_a_one_sided_stretch() -> None:
    # prepare 5 + 3 holds of 10 + 2 rests of 3
    stretch = make_stretch(rest_between_reps=3)
    assert stretch_seconds(stretch, StretchPlan(10, 3), prepare_seconds=5) == 5 + 30 + 6


def test_seconds_of_each_side_counts_one_switch_and_rests_within_sides() -> None:
    # prepare 5 + 6 holds of 10 + 1 switch of 3 + 2 rests of 3 on each side
    stretch = make_stretch(sides="each", switch_seconds=3, rest_between_reps=3)
    assert stretch_seconds(stretch, StretchPlan(10, 3), prepare_seconds=5) == 5 + 60 + 3 + 12


def test_seconds_of_alternating_sides_counts_a_switch_between_every_hold() -> None:
    # prepare 5 + 10 holds of 3 + 9 switches of 3; rest_between_reps does not apply
    stretch = make_stretch(sides="alternate", switch_seconds=3, rest_between_reps=7)
    assert stretch_seconds(stretch, StretchPlan(3, 5), prepare_seconds=5) == 5 + 30 + 27


def test_manual_advance_counts_no_get_ready_time() -> None:
    stretch = make_stretch(advance="manual", rest_between_reps=0)
    assert stretch_seconds(stretch, StretchPlan(10, 1), prepare_seconds=30) == 10


def test_routine_seconds_adds_rests_between_stretches_only() -> None:
    one = make_stretch(rest_between_reps=0)
    routine = Routine(
        id="r", name="R", stretches=(one, one, one), prepare_seconds=0, rest_seconds=7
    )
    assert routine_seconds(routine) == 3 * 30 + 2 * 7


def test_routine_seconds_follows_a_given_plan() -> None:
    stretch = make_stretch(reps=Span(1, 5), rest_between_reps=0)
    routine = Routine(id="r", name="R", stretches=(stretch,), prepare_seconds=0, rest_seconds=0)
    assert routine_seconds(routine) == 10
    assert routine_seconds(routine, (StretchPlan(20, 4),)) == 80


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (-4, "0 s"),
        (44.6, "45 s"),
        (60, "1 min"),
        (200, "3 min 20 s"),
        (3600, "1 h 00 min"),
        (3900, "1 h 05 min"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_field_table_defaults_match_the_model() -> None:
    """The loader's table and the model's dataclass defaults must say the same thing."""
    stretch_defaults = {f.name: f.default for f in fields(Stretch)}
    routine_defaults = {f.name: f.default for f in fields(Routine)}
    for table, defaults in ((STRETCH_FIELDS, stretch_defaults), (ROUTINE_FIELDS, routine_defaults)):
        for spec in table:
            if spec.default is not None:
                assert defaults[spec.name] == spec.default, spec.name
