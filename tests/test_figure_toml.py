"""A figure written by hand in TOML: defaults fill what is left out, and every mistake is a problem
naming its field and line, never an exception.

Each file in tests/data/figures/bad/ breaks one rule (or several) and says in `# expect:` lines
at its top what the problems must say, line included; tests/data/figures/built-in.toml holds
the figures of the built-in routine and must read without a problem.
"""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.figure import JOINT_RANGES, MAX_KEYFRAMES, PAIRS, POSTURES, Figure
from tui.core.figure_toml import (
    FigureProblem,
    field_name,
    figure_schema,
    line_in_figure,
    read_figure,
)
from tui.core.problems import Where

DATA = Path(__file__).parent / "data" / "figures"
BAD = sorted((DATA / "bad").glob("*.toml"))


def read_document(text: str) -> list[tuple[Figure | None, tuple[FigureProblem, ...]]]:
    """Every stretch's figure of a routine-like text, read with lines found the way the loader
    will find them: the stretch's block, then the field inside its figure."""
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines) if line.strip() == "[[stretches]]"]
    blocks = list(zip(starts, [*starts[1:], len(lines)], strict=True))
    results = []
    for index, stretch in enumerate(tomllib.loads(text)["stretches"]):
        if "figure" not in stretch:
            continue
        start, end = blocks[index]

        def line_of(where: Where, start: int = start, end: int = end) -> int | None:
            return line_in_figure(lines, start, end, where[3:])

        results.append(read_figure(stretch["figure"], ("stretches", index, "figure"), line_of))
    return results


def figure_of(table: dict[str, Any]) -> Figure:
    figure, problems = read_figure(table)
    assert figure is not None, problems
    assert problems == ()
    return figure


def problems_of(table: object) -> list[str]:
    figure, problems = read_figure(table)
    assert figure is None
    return [str(problem) for problem in problems]


# ---------------------------------------------------------------------------------------------
# Fixture files


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_figure_reports_what_it_expects(path: Path) -> None:
    text = path.read_text()
    expects = [
        line.removeprefix("# expect: ")
        for line in text.splitlines()
        if line.startswith("# expect: ")
    ]
    assert expects, f"{path.name} must say what it expects"
    found = [str(problem) for _, problems in read_document(text) for problem in problems]
    assert all(figure is None for figure, problems in read_document(text) if problems)
    for fragment in expects:
        assert any(problem.startswith(fragment) for problem in found), (fragment, found)
    assert len(found) == len(expects), found


def test_the_built_in_figures_read_without_a_problem() -> None:
    text = (DATA / "built-in.toml").read_text()
    results = read_document(text)
    assert len(results) == 4
    for figure, problems in results:
        assert problems == ()
        assert figure is not None and len(figure.keyframes) > 1


# ---------------------------------------------------------------------------------------------
# The form and its defaults


def test_a_posture_alone_is_a_still_figure_seen_from_the_side() -> None:
    figure = figure_of({"posture": "sitting"})
    assert figure.view == "side"
    assert figure.keyframes == Figure.still("sitting").keyframes


def test_start_changes_only_the_joints_it_names() -> None:
    figure = figure_of({"posture": "lying-on-back", "start": {"knees": 90, "back": -10}})
    posture = POSTURES["lying-on-back"].pose
    for joint, angle in figure.start.as_dict().items():
        expected = {"near_knee": 90, "far_knee": 90, "back": -10}.get(joint, posture[joint])
        assert angle == expected, joint


def test_each_keyframe_changes_only_what_it_names_from_the_one_before() -> None:
    figure = figure_of(
        {
            "posture": "lying-on-back",
            "start": {"knees": 90},
            "keyframes": [{"near_hip": 60}, {"near_knee": 120, "far_hip": 30}],
        }
    )
    first, second, third = (key.pose for key in figure.keyframes)
    assert (second["near_hip"], second["near_knee"], second["far_knee"]) == (60, 90, 90)
    assert (third["near_hip"], third["near_knee"], third["far_hip"]) == (60, 120, 30)
    assert first["near_hip"] == POSTURES["lying-on-back"].pose["near_hip"]


def test_a_joint_named_alone_wins_over_its_plural_in_one_table() -> None:
    figure = figure_of({"posture": "standing", "start": {"near_knee": 10, "knees": 90}})
    assert (figure.start["near_knee"], figure.start["far_knee"]) == (10, 90)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ([None], [1.0]),
        ([None, None], [0.5, 1.0]),
        ([None, None, None, None], [0.25, 0.5, 0.75, 1.0]),
        ([None, 0.8, None], [0.4, 0.8, 1.0]),
        ([0.1, None, None, 1], [0.1, 0.4, 0.7, 1.0]),
    ],
)
def test_keyframes_without_at_are_spaced_evenly(
    given: list[float | None], expected: list[float]
) -> None:
    keyframes = [
        {"knees": 10 * n} | ({} if at is None else {"at": at}) for n, at in enumerate(given)
    ]
    figure = figure_of({"posture": "standing", "keyframes": keyframes})
    assert [key.at for key in figure.keyframes] == pytest.approx([0.0, *expected])


def test_as_many_keyframes_as_allowed_read() -> None:
    figure = figure_of(
        {"posture": "standing", "keyframes": [{"knees": n} for n in range(MAX_KEYFRAMES)]}
    )
    assert len(figure.keyframes) == MAX_KEYFRAMES + 1


def test_every_pair_and_joint_is_a_name_the_form_takes() -> None:
    table = {name: 0 for name in PAIRS} | {"lean": 5, "near_hip_turn": 10}
    figure = figure_of({"posture": "standing", "start": table})
    assert figure.start["near_hip_turn"] == 10 and figure.start["lean"] == 5


def test_angles_may_be_whole_or_not() -> None:
    figure = figure_of({"posture": "standing", "start": {"near_knee": 12.5, "far_knee": 30}})
    assert (figure.start["near_knee"], figure.start["far_knee"]) == (12.5, 30)


def test_every_problem_of_a_table_is_reported_at_once() -> None:
    found = problems_of(
        {
            "posture": "sitting",
            "start": {"knes": 1, "hips": 500},
            "keyframes": [{"elbow": 1}, {"at": 0.2}],
            "extra": 1,
        }
    )
    assert len(found) == 5, found


def test_problems_without_a_line_finder_name_the_field_only() -> None:
    assert problems_of({"posture": "sitting", "start": {"knes": 1}}) == [
        "figure.start.knes: unknown joint; did you mean knees?"
    ]


def test_field_names_count_from_one_as_people_do() -> None:
    assert field_name(("stretches", 1, "figure", "keyframes", 0, "at")) == (
        "stretches[2].figure.keyframes[1].at"
    )
    assert field_name(("figure", "start", "a\x1bb")) == "figure.start.a\\u001bb"


def test_found_text_is_shown_short_and_without_control_codes() -> None:
    (problem,) = problems_of({"posture": "\x1b[2J" + "x" * 100})
    assert "\x1b" not in problem
    assert "\\u001b[2J" in problem and "x" * 41 not in problem


# ---------------------------------------------------------------------------------------------
# Never an exception

toml_values = st.recursive(
    st.none().map(lambda _: datetime.date(2024, 1, 1))
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["sitting", "feet", "knees", "near_hip", "at"]),
    lambda children: (
        st.lists(children, max_size=10)
        | st.dictionaries(
            st.sampled_from(
                ["posture", "view", "start", "keyframes", "at", "knees", "near_hip", "x"]
            )
            | st.text(max_size=6),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(table=toml_values)
def test_any_value_gives_a_figure_or_problems_never_an_exception(table: object) -> None:
    figure, problems = read_figure(table)
    assert (figure is None) == bool(problems)


@settings(max_examples=300, deadline=None)
@given(
    posture=st.sampled_from(sorted(POSTURES)),
    keyframes=st.lists(
        st.dictionaries(
            st.sampled_from(["at", "knees", "near_hip", "twist"]),
            st.floats(-1, 2) | st.integers(-200, 200),
            max_size=3,
        ),
        max_size=MAX_KEYFRAMES + 1,
    ),
)
def test_keyframe_times_either_read_in_order_or_are_reported(
    posture: str, keyframes: list[dict[str, float]]
) -> None:
    figure, problems = read_figure({"posture": posture, "keyframes": keyframes})
    if figure is not None:
        times = [key.at for key in figure.keyframes]
        assert times[0] == 0 and times == sorted(set(times))
        assert len(times) == 1 or times[-1] == 1
    else:
        assert problems


# ---------------------------------------------------------------------------------------------
# Lines


FORMS = """\
[[stretches]]
id = "one"
[stretches.figure]
posture = "sitting"
start = { knees = 10 }
keyframes = [ { knees = 20 }, "x, y" ,
    # a comment with a { brace
    { knees = 30 },
]

[[stretches]]
id = "two"
[stretches.figure]
posture = "sitting"
[stretches.figure.start]
knees = 10
[[stretches.figure.keyframes]]
knees = 20
[[stretches.figure.keyframes]]
at = 1
knees = 30
"""


@pytest.mark.parametrize(
    ("block", "inner", "line"),
    [
        ((0, 10), (), 3),
        ((0, 10), ("posture",), 4),
        ((0, 10), ("start", "knees"), 5),
        ((0, 10), ("keyframes",), 6),
        ((0, 10), ("keyframes", 0, "knees"), 6),
        ((0, 10), ("keyframes", 1), 6),
        ((0, 10), ("keyframes", 2, "knees"), 8),
        ((0, 10), ("keyframes", 7), 6),
        ((0, 10), ("view",), 3),
        ((10, 21), ("start", "knees"), 16),
        ((10, 21), ("start",), 15),
        ((10, 21), ("keyframes", 1, "at"), 20),
        ((10, 21), ("keyframes", 1, "knees"), 21),
        ((10, 21), ("keyframes", 0), 17),
        ((10, 21), ("keyframes", 5), 19),
    ],
)
def test_the_line_of_each_field_of_a_figure(
    block: tuple[int, int], inner: Where, line: int
) -> None:
    assert line_in_figure(FORMS.splitlines(), *block, inner) == line


def test_a_stretch_without_a_figure_gives_no_line() -> None:
    assert line_in_figure(["[[stretches]]", 'id = "x"'], 0, 2, ("posture",)) is None


# ---------------------------------------------------------------------------------------------
# JSON Schema

ONLY_THE_READER_KNOWS = {
    "keyframes-out-of-order",  # times in order
    "keyframe-last-not-held",  # the last at 1
    "keyframe-at-1-too-soon",  # only the last at 1
    "angle-nan",  # JSON has no nan
}


def schema_errors(text: str) -> list[str]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(figure_schema())
    errors = []
    for stretch in tomllib.loads(text)["stretches"]:
        if "figure" in stretch:
            errors += [error.message for error in validator.iter_errors(stretch["figure"])]
    return errors


def test_the_schema_is_a_valid_json_schema() -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(figure_schema())


def test_the_schema_takes_the_built_in_figures() -> None:
    assert schema_errors((DATA / "built-in.toml").read_text()) == []


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_the_schema_refuses_what_it_can_say_is_wrong(path: Path) -> None:
    errors = schema_errors(path.read_text())
    if path.stem in ONLY_THE_READER_KNOWS:
        assert errors == []
    else:
        assert errors, path.name


def test_the_schema_describes_every_joint_and_pair() -> None:
    start = figure_schema()["properties"]["start"]["properties"]
    assert set(start) == set(JOINT_RANGES) | set(PAIRS)
    assert all(entry["description"].startswith("Degrees; ") for entry in start.values())
