"""Cleaning untrusted text: control codes and bidi go, markup stays literal, length is capped."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core import textclean
from tui.core.textclean import clean_block, clean_for_terminal, clean_line, escape_invisible

ESC = "\x1b"
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (f"{ESC}]0;owned\x07Title", "]0;ownedTitle"),
        (f"{ESC}[2Jclear", "[2Jclear"),
        ("nul\x00byte", "nulbyte"),
        ("del\x7fete", "delete"),
        ("c1 \x9b31m csi", "c1 31m csi"),
        ("next\x85line", "nextline"),
    ],
)
def test_clean_line_drops_control_codes(raw: str, clean: str) -> None:
    assert clean_line(raw, 100) == clean


@pytest.mark.parametrize("mark", BIDI)
def test_clean_line_drops_bidi_controls(mark: str) -> None:
    assert clean_line(f"left{mark}right", 100) == "leftright"


def test_clean_line_turns_tabs_and_newlines_into_spaces() -> None:
    assert clean_line("a\tb\nc\r\nd", 100) == "a b c  d"


def test_clean_line_strips_surrounding_space() -> None:
    assert clean_line("  padded \t", 100) == "padded"


def test_markup_stays_literal() -> None:
    assert clean_line("[bold]Reach [left] arm[/]", 100) == "[bold]Reach [left] arm[/]"


def test_clean_line_caps_length_with_an_ellipsis() -> None:
    assert clean_line("abcdefghij", 5) == "abcd…"
    assert clean_line("abcde", 5) == "abcde"
    assert clean_line("abc", 0) == ""


def test_clean_block_keeps_line_breaks_and_drops_the_rest() -> None:
    raw = f"first\r\nsecond{ESC}[31m\rthird\u2028fourth\tend\u202e"
    assert clean_block(raw, 200) == "first\nsecond[31m\nthird\nfourth  end"


def test_clean_block_trims_blank_edges_but_keeps_paragraphs() -> None:
    assert clean_block("\n\nOne.\n\nTwo.  \n\n", 100) == "One.\n\nTwo."


def test_clean_block_caps_length() -> None:
    assert len(clean_block("x" * 50, 10)) == 10


def test_clean_for_terminal_leaves_one_plain_line() -> None:
    raw = f"Hold{ESC}\\ 10 s\n\x07next\x9c\u202eline\t!"
    assert clean_for_terminal(raw) == "Hold\\ 10 s nextline !"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    unsafe = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} | set(BIDI)
    assert not unsafe & set(clean_line(text, 50))
    assert not unsafe & set(clean_for_terminal(text))
    assert not (unsafe - {"\n"}) & set(clean_block(text, 50))
    assert len(clean_line(text, 50)) <= 50


def invisible(ch: str) -> bool:
    """A control code (Unicode category Cc) or a bidi embedding, override or isolate."""
    bidi = "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"
    return bidi or unicodedata.category(ch) == "Cc"


@given(st.text())
@settings(max_examples=300)
def test_escape_invisible_spells_out_exactly_the_invisible_codes(text: str) -> None:
    expected = "".join(f"\\u{ord(ch):04x}" if invisible(ch) else ch for ch in text)
    assert escape_invisible(text) == expected


def test_escape_invisible_spells_out_escape_codes() -> None:
    assert escape_invisible("a\x1b[31mb\u202e") == "a\\u001b[31mb\\u202e"
    assert escape_invisible("plain [b]text[/b]") == "plain [b]text[/b]"


PACKAGE = Path(__file__).resolve().parent.parent / "tui"
BIDI_NAMED = re.compile(r"(?i)(?:\\u|0x|U\+)(?:202[a-e]|206[6-9])")
"""A bidi control written into code: as an escape, a number or a range's end."""


def test_the_table_of_unsafe_text_is_written_in_one_place() -> None:
    """One rule for what is unsafe to show: the loader, the views, the window title and the
    JSON Schema all take it from tui.core.textclean, so they cannot drift apart."""
    naming = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if BIDI_NAMED.search(path.read_text(encoding="utf-8"))
    )
    assert naming == [str(Path(textclean.__file__).relative_to(PACKAGE))]
