"""The quick ways through a month file (issue 7): the line reader in tui.store.history.quick_toml
and the one-pass record checks in tui.store.history.month. Each must give exactly what the slow,
thorough way gives (tomllib, and the field-by-field checks), or step aside for it."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from test_history import _session, _sessions

from tui.store.history import month as history_month
from tui.store.history import records as history
from tui.store.history.month import month_toml, read_month
from tui.store.history.quick_toml import quick_loads


def _strict(value: object) -> object:
    """A value with its types spelled out: 1, 1.0 and True are equal in Python, not in TOML."""
    if isinstance(value, dict):
        return [(key, _strict(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_strict(item) for item in value]
    if isinstance(value, datetime):
        return ("datetime", value.isoformat(), value.utcoffset())
    return (type(value).__name__, repr(value))


def _tomllib_or_none(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return None


# lines that are almost what unknot writes, each one a way for a quick reader to go wrong
_ODD_LINES = [
    "schema = 1",
    "[[session]]",
    "[[session.stretch]]",
    "[session.stretch.reps_done]",
    "[session.stretch]",
    "[session]",
    "[[session.stretch.reps_done]]",
    "stretch = 1",
    "reps_done = 2",
    "session = 3",
    "right = 3",
    "finished = true",
    "finished = True",
    "started = 2026-02-30 08:00:00+01:00",
    "started = 2026-11-25 08:00:00",
    "started = 2026-11-25T08:00:00Z",
    "started = 2026-11-25t08:00:00z",
    "started = 2026-11-25T08:00:00.1234567+01:00",
    "started = 2026-11-25T08:00:00.5-00:00",
    "started = 2026-11-25T24:00:00+01:00",
    "started = 2026-11-25T08:00:00+24:00",
    "n = 0123",
    "n = -0",
    "n = +1",
    "n = 1_000",
    "n = 0x10",
    "n = " + "9" * 5000,
    "f = 1e5",
    "f = 1.",
    "f = -0.0",
    "f = inf",
    's = "a\\"b"',
    's = "tab\there"',
    's = "a\x01b"',
    's = ""',
    "s = 'literal'",
    's = "x" # comment',
    "# a comment",
    "#\x01",
    " ",
    "\t",
    "a.b = 1",
    '"quoted" = 1',
    "k=1",
    "k  = 1",
    "k = 1 ",
    "k = [1, 2]",
    "k = { right = 3 }",
]


def test_each_odd_line_anywhere_is_read_as_tomllib_reads_it() -> None:
    lines = month_toml([_session()]).split("\n")
    for odd in _ODD_LINES:
        for where in range(len(lines) + 1):
            text = "\n".join([*lines[:where], odd, *lines[where:]])
            quick = quick_loads(text)
            if quick is not None:
                assert _strict(quick) == _strict(tomllib.loads(text)), (odd, where)


@st.composite
def _month_texts(draw: st.DrawFn) -> str:
    """A month file as unknot writes it, then maybe changed line by line."""
    lines = month_toml(draw(st.lists(_sessions(), max_size=3))).split("\n")
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.integers(0, len(lines)))
        change = draw(st.sampled_from(["insert", "insert", "delete", "double", "swap", "text"]))
        if change == "insert":
            lines.insert(where, draw(st.sampled_from(_ODD_LINES)))
        elif change == "text":
            lines.insert(where, draw(st.text(max_size=20)))
        elif lines and where < len(lines):
            if change == "delete":
                del lines[where]
            elif change == "double":
                lines.insert(where, lines[where])
            else:
                other = draw(st.integers(0, len(lines) - 1))
                lines[where], lines[other] = lines[other], lines[where]
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))


@settings(max_examples=300, deadline=None)
@given(_month_texts())
def test_the_quick_reader_agrees_with_tomllib_or_steps_aside(text: str) -> None:
    quick = quick_loads(text)
    if quick is not None:
        assert _strict(quick) == _strict(tomllib.loads(text))


@settings(max_examples=60, deadline=None)
@given(st.lists(_sessions(), min_size=1, max_size=3))
def test_the_quick_reader_takes_every_file_unknot_writes(sessions: list[history.Session]) -> None:
    text = month_toml(sessions)
    if "\\" not in text:  # a quote or a backslash in a name is written escaped: tomllib's
        assert quick_loads(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "schema = 1\nschema = 1\n",  # twice
        "session = 1\n[[session]]\n",
        "[[session]]\nstretch = 1\n[[session.stretch]]\n",
        "[[session]]\n[[session.stretch]]\nreps_done = 1\n[session.stretch.reps_done]\n",
        "[[session]]\n[[session.stretch]]\n[session.stretch.reps_done]\n"
        "[session.stretch.reps_done]\n",
        "[[session]]\nstarted = 2026-02-30 08:00:00+01:00\n",
    ],
)
def test_what_tomllib_refuses_the_quick_reader_leaves_to_it(text: str) -> None:
    assert quick_loads(text) is None
    assert _tomllib_or_none(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "[[session.stretch]]\n",  # a stretch before any session: a table, not a list
        "[[session]]\n[session.stretch.reps_done]\n",  # reps done before any stretch
    ],
)
def test_shapes_unknot_never_writes_are_left_to_tomllib(text: str) -> None:
    assert quick_loads(text) is None
    assert _tomllib_or_none(text) is not None


def test_a_file_unknot_wrote_is_read_without_tomllib(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "2026-11.toml"
    path.write_text(month_toml([_session()]))

    def slow(text: str) -> dict[str, Any]:
        raise AssertionError("tomllib was used")

    monkeypatch.setattr(tomllib, "loads", slow)
    assert read_month(path).sessions == [_session()]


def test_a_hand_edited_file_still_reads_and_a_broken_one_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "2026-11.toml"
    edited = month_toml([_session()]).replace("finished = true", "finished = true  # yes")
    path.write_text(edited.replace("\n", "\r\n"))
    assert read_month(path).sessions == [_session()]
    path.write_text(edited.replace("finished = true", "finished = tru"))
    month = read_month(path)
    assert month.sessions == [] and month.corrupt is not None
    line = edited.split("\n").index("finished = true  # yes") + 1
    assert f"at line {line}" in month.corrupt


# -- the one-pass record checks --------------------------------------------------------------

_EDGE_VALUES = [
    True, False, -1, 0, 1, 10, 11, 80, 100, 101, 3600, 3601, 10_000, 10_001, 604800, 604801,
    10**20, 0.5, -0.0, 604800.0, 604800.5, float("nan"), float("inf"),
    "", " ", " x", "x ", "a" * 80, "a" * 81, "\u202ex", "x\ty", "x\u00a0", "é", "ok-id",
    "a" * 64, "a" * 65, "a.b", "../x",
    datetime(2026, 11, 25, 8), datetime(2026, 11, 25, 7, tzinfo=timezone(timedelta(hours=1))),
    datetime(2026, 11, 25, 9, tzinfo=UTC),
    {}, {"right": 3}, {"up": 1}, {"left": -1}, {"none": 10_001}, {"right": True}, [], [1], [{}],
]  # fmt: skip
_VALUES = st.sampled_from(_EDGE_VALUES) | st.integers() | st.floats() | st.text(max_size=8)


@st.composite
def _documents(draw: st.DrawFn) -> dict[str, Any]:
    """A month as unknot writes it, with a few of its values replaced by any other value."""
    sessions = draw(st.lists(_sessions(), min_size=1, max_size=2))
    document: dict[str, Any] = tomllib.loads(month_toml(sessions))
    for _ in range(draw(st.integers(0, 3))):
        record = draw(st.sampled_from(document["session"]))
        stretches = record.get("stretch", [])
        tables = (
            [record, *(s for s in stretches if isinstance(s, dict))]
            if isinstance(stretches, list)
            else [record]
        )
        table = draw(st.sampled_from(tables))
        keys = [
            *(history_month._SESSION_KEYS if table is record else history_month._STRETCH_KEYS),
            "x",
        ]
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()) and key in table:
            del table[key]
        else:
            table[key] = draw(_VALUES)
    return document


def _check(document: dict[str, Any]) -> history_month.MonthRead:
    month = history_month.MonthRead(Path("2026-11.toml"))
    history_month._Checker(month, tomli_w.dumps(document)).check(document)
    return month


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_the_quick_checks_accept_only_what_the_full_checks_accept(
    document: dict[str, Any],
) -> None:
    _assert_same_judgement(document)


def _assert_same_judgement(document: dict[str, Any]) -> None:
    quick = _check(document)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(history_month, "_quick_session", lambda record: None)
        patch.setattr(history_month, "_quick_stretch", lambda item: None)
        full = _check(document)
    assert quick.sessions == full.sessions
    assert [_strict(s.stretches) for s in quick.sessions] == [
        _strict(s.stretches) for s in full.sessions
    ]
    assert quick.problems == full.problems


def test_each_edge_value_in_each_field_is_judged_as_the_full_checks_judge_it() -> None:
    for key in [*history_month._SESSION_KEYS, "x"]:
        for value in _EDGE_VALUES:
            document = tomllib.loads(month_toml([_session()]))
            document["session"][0][key] = value
            _assert_same_judgement(document)
    for key in [*history_month._STRETCH_KEYS, "x"]:
        for value in _EDGE_VALUES:
            document = tomllib.loads(month_toml([_session()]))
            document["session"][0]["stretch"][1][key] = value
            _assert_same_judgement(document)
