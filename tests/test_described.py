"""How a wrong value found in a file is named in a problem's message: one function for routine
files and figures (tui.core.problems.described), safe to print whatever the file held."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.problems import described
from tui.core.textclean import BIDI_RANGES


@pytest.mark.parametrize(
    ("value", "whole", "words"),
    [
        (True, False, "true (true/false, not a number)"),
        (7, True, "7"),
        (-(10**15), True, "a very large number"),
        (10.0, True, "10.0 (not a whole number)"),
        (10.5, False, "10.5"),
        (1234567.5, False, "1234567.5"),  # as written: "{:g}" said 1.23457e+06
        (float("inf"), True, "inf (not a whole number)"),
        (float("-inf"), False, "-inf"),
        (float("nan"), True, "nan (not a number)"),
        ("both", False, '"both"'),
        (" each", False, '" each"'),  # the space that makes it wrong is shown
        ("sitting\u200b", False, '"sitting\\u200b"'),  # an invisible character, written out
        ("a\tb\x1b[2J", False, '"a\\u0009b\\u001b[2J"'),
        ("x" * 100, False, '"' + "x" * 39 + '…"'),
        ([1], False, "a list of 1 item"),
        ([1, 2], False, "a list of 2 items"),
        ({"a": 1}, False, "a table"),
        (date(2026, 1, 1), False, "a date or time"),
        (time(9, 0), False, "a date or time"),
        (None, False, "a value of another kind"),
    ],
)
def test_each_kind_of_value_is_named_in_words(value: object, whole: bool, words: str) -> None:
    assert described(value, whole=whole) == words


def unsafe(text: str) -> set[str]:
    """Characters a terminal acts on or hides: control codes, bidi controls, other invisible
    format characters, and lone surrogates (which cannot even be written out)."""
    bidi = {chr(code) for first, last in BIDI_RANGES for code in range(first, last + 1)}
    return {
        char
        for char in text
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") or char in bidi
    }


TRICKY = "\x00\t\n\x1b\x7f\x9b\u00ad\u200b\u200e\u2028\u202e\u2066\ufeff\ud800"
"""Control codes, a C1 CSI, invisible and bidi marks, a line separator, a lone surrogate."""
ANY_TEXT = st.text(
    st.characters(codec=None, exclude_categories=()) | st.sampled_from(TRICKY), max_size=300
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    ANY_TEXT,
    st.binary(max_size=20),
    st.datetimes(timezones=st.none() | st.just(UTC)),
    st.dates(),
    st.times(),
    st.complex_numbers(),
    st.builds(object),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT | VALUES, st.booleans())
def test_any_value_is_named_in_one_short_printable_line(value: object, whole: bool) -> None:
    words = described(value, whole=whole)
    assert isinstance(words, str) and 0 < len(words) <= 60, words
    assert unsafe(words) == set(), (value, words)


ROUTINE = """\
schema = 1
name = "R"

[[stretches]]
id = "one"
name = "One"
steps = ["Do it."]
hold_seconds = 10
reps = 2
"""


def loader_says(old: str, new: str) -> str:
    from pathlib import Path

    from tui.routine_files.loader import RoutineError, parse_routine

    text = ROUTINE.replace(old, new)
    with pytest.raises(RoutineError) as caught:
        parse_routine(text.encode(), path=Path("r.toml"), source="file")
    [problem] = caught.value.problems
    return str(problem)


def test_a_fraction_is_called_not_whole_only_where_a_whole_number_is_wanted() -> None:
    assert "found 10.5 (not a whole number); expected" in loader_says("= 10\n", "= 10.5\n")
    # a text wanted: it said "found 1.5 (not a whole number)", as if 2 would do
    said = loader_says('name = "One"', "name = 1.5")
    assert "found 1.5; expected a text" in said, said


def test_an_invisible_character_in_a_found_text_is_written_out() -> None:
    """`sides = "each\\u200b"` used to read `found "each"; allowed: ... "each"`: no way to see
    what was wrong."""
    said = loader_says("reps = 2", 'reps = 2\nsides = "each\\u200b"')
    assert 'found "each\\u200b"; allowed:' in said, said
