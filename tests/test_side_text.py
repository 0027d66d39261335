"""Text that follows the side (tui.core.side_text): what each placeholder gives, how a brace is
written, what is refused, and a stretch as it reads on each side."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core import side_text
from tui.core.model import Side, Span, Stretch
from tui.core.side_text import escape, fill, on_side, placeholders, problems

SIDES: tuple[Side, Side] = ("right", "left")


@pytest.mark.parametrize(
    ("text", "right", "left"),
    [
        ("Lift your {side} knee.", "Lift your right knee.", "Lift your left knee."),
        ("{Side} knee up.", "Right knee up.", "Left knee up."),
        ("Keep the {other} one down.", "Keep the left one down.", "Keep the right one down."),
        ("{Other} foot flat.", "Left foot flat.", "Right foot flat."),
        ("Braces {{like this}}.", "Braces {like this}.", "Braces {like this}."),
        ("{{side}} is written so", "{side} is written so", "{side} is written so"),
        ("{{{side}}}", "{right}", "{left}"),
        ("No braces at all.", "No braces at all.", "No braces at all."),
    ],
)
def test_fill_gives_each_side_its_words(text: str, right: str, left: str) -> None:
    assert (fill(text, "right"), fill(text, "left")) == (right, left)
    assert problems(text) == []


@pytest.mark.parametrize(
    ("text", "found", "column", "says"),
    [
        ("Lift your {sdie} knee.", "{sdie}", 10, "did you mean {side}?"),
        ("{SIDE} first", "{SIDE}", 0, "{side}, or {Side} to start a sentence"),
        ("to the {right}", "{right}", 7, "{side} (the side being done) or {other}"),
        ("{ side }", "{ side }", 0, "no spaces inside the braces"),
        ("an empty {} pair", "{}", 9, "unknown placeholder {}"),
        ("open { and never closed", "{", 5, "a { that is never closed; write {{"),
        ("closed } alone", "}", 7, "a } with no { before it; write }}"),
        ("{side}} one too many", "}", 6, "a } with no {"),
        ("{{side} one too few", "}", 6, "a } with no {"),
        ("{side", "{", 0, "never closed"),
    ],
)
def test_a_misused_brace_is_found_where_it_is(
    text: str, found: str, column: int, says: str
) -> None:
    [problem] = problems(text)
    assert (problem.found, problem.column) == (found, column), problem
    assert says in problem.message, problem.message


def test_every_problem_of_a_text_is_found_in_order() -> None:
    found = problems("{a} then { then {side} then }")
    assert [(p.found, p.column) for p in found] == [("{a}", 0), ("{", 9), ("}", 28)]


def test_a_long_unknown_name_is_cut_short_in_the_message() -> None:
    [problem] = problems("{" + "x" * 300 + "}")
    assert len(problem.message) < 200, problem.message


def test_placeholders_lists_only_the_known_ones_as_written() -> None:
    assert placeholders("{Side} and {other}, {{side}}, {nope}") == ["{Side}", "{other}"]


# The texts a person could write: plain characters, the four placeholders and doubled braces.
_pieces = st.one_of(
    st.text(st.characters(blacklist_characters="{}", codec="utf-8"), max_size=8),
    st.sampled_from(["{side}", "{Side}", "{other}", "{Other}", "{{", "}}"]),
)
good_texts = st.lists(_pieces, max_size=12).map("".join)


@given(good_texts, st.sampled_from(SIDES))
def test_filling_a_good_text_leaves_no_placeholder_and_no_doubled_brace(
    text: str, side: Side
) -> None:
    assert problems(text) == []
    filled = fill(text, side)
    # what is left of the braces is exactly the doubled ones, made single
    assert filled.count("{") == text.count("{{")
    assert filled.count("}") == text.count("}}")
    for name in side_text.PLACEHOLDERS:
        assert f"{{{name}}}" not in filled or f"{{{{{name}}}}}" in text


@given(good_texts)
def test_the_sides_differ_only_where_a_placeholder_stood(text: str) -> None:
    right, left = fill(text, "right"), fill(text, "left")
    assert (right == left) == (placeholders(text) == [])


@given(st.lists(_pieces, max_size=12), st.sampled_from(SIDES))
def test_filling_reads_each_piece_for_the_side_capitals_where_asked(
    pieces: list[str], side: Side
) -> None:
    other = "left" if side == "right" else "right"
    meaning = {
        "{side}": side,
        "{Side}": side.capitalize(),
        "{other}": other,
        "{Other}": other.capitalize(),
        "{{": "{",
        "}}": "}",
    }
    assert fill("".join(pieces), side) == "".join(meaning.get(p, p) for p in pieces)


@given(st.text(max_size=40), st.sampled_from(SIDES))
def test_any_text_escaped_reads_as_itself(text: str, side: Side) -> None:
    assert problems(escape(text)) == []
    assert fill(escape(text), side) == text


@given(st.text(alphabet="{}sideOthr ", max_size=20), st.sampled_from(SIDES))
def test_fill_never_fails_and_a_text_without_problems_leaves_no_brace_alone(
    text: str, side: Side
) -> None:
    filled = fill(text, side)  # never raises, whatever it is given
    if not problems(text):
        assert filled.count("{") == text.count("{{")


def _stretch(**texts: object) -> Stretch:
    base: dict[str, object] = {
        "id": "s",
        "name": "Stretch",
        "steps": ("Do it.",),
        "hold_seconds": Span.exactly(10),
        "reps": Span.exactly(3),
        "sides": "each",
    }
    return Stretch(**{**base, **texts})  # type: ignore[arg-type]


def test_on_side_fills_every_text_that_follows_the_side_and_not_the_name() -> None:
    stretch = _stretch(
        name="Knee {{hug}}",
        targets=("{side} hip",),
        position="On your back, {side} knee up.",
        steps=("Lift your {side} knee.", "{Other} foot flat."),
        tips=("Keep the {other} leg long.",),
        variation="Swap to the {other} side.",
    )
    left = on_side(stretch, "left")
    assert left.name == "Knee {{hug}}"
    assert left.targets == ("left hip",)
    assert left.position == "On your back, left knee up."
    assert left.steps == ("Lift your left knee.", "Right foot flat.")
    assert left.tips == ("Keep the right leg long.",)
    assert left.variation == "Swap to the right side."
    assert side_text.uses_side(stretch)


def test_on_side_with_no_side_reads_for_the_first_side() -> None:
    stretch = _stretch(steps=("Lift your {side} knee.",), first_side="left")
    assert on_side(stretch).steps == ("Lift your left knee.",)
    assert on_side(stretch, "right").steps == ("Lift your right knee.",)


def test_a_stretch_without_braces_is_shown_as_it_is() -> None:
    stretch = _stretch()
    assert on_side(stretch, "left") is stretch
    assert not side_text.uses_side(stretch)


def test_a_name_holds_a_placeholder_wherever_it_is_written() -> None:
    # a name is shown as written: its braces are braces, so a doubled one hides nothing
    assert side_text.written_in("Knee {{side}} {Other}") == ["{side}", "{Other}"]
    assert side_text.written_in("Knee {x} hug") == []
