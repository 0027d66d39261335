"""Settings: defaults, clear problems for a broken file (never a traceback), atomic saving."""

from __future__ import annotations

import errno
import os
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.store.config import (
    KEYS,
    THEMES,
    Config,
    config_path,
    config_toml,
    load_config,
    save_config,
)
from tui.store.durable import SaveError
from tui.store.paths import config_dir


def _write(text: str | bytes) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text)
    else:
        path.write_bytes(text)
    return path


def test_path_is_in_the_config_folder() -> None:
    assert config_path() == config_dir() / "config.toml"
    assert str(config_path()).endswith("/.config/unknot/config.toml")


def test_no_file_gives_defaults_without_problems() -> None:
    loaded = load_config()
    assert loaded.config == Config()
    assert loaded.problems == []


def test_every_setting_is_read() -> None:
    _write(
        "bell = false\nnotify = true\nspeak = true\nask_pain = false\nprepare_seconds = 0\n"
        'rest_seconds = 600\ntheme = "nord"\nstart_routine = "my-routine"\n'
        'figure_characters = "blocks"\n'
    )
    loaded = load_config()
    assert loaded.problems == []
    assert loaded.config == Config(
        bell=False,
        notify=True,
        speak=True,
        ask_pain=False,
        prepare_seconds=0,
        rest_seconds=600,
        theme="nord",
        start_routine="my-routine",
        figure_characters="blocks",
    )


def test_save_then_load_is_equal() -> None:
    config = Config(
        bell=False, prepare_seconds=10, theme="dracula", start_routine="back-spasm-relief"
    )
    assert save_config(config) == config_path()
    assert load_config().config == config
    assert config_path().stat().st_mode & 0o777 == 0o600


def test_unset_timings_are_left_out_of_the_file() -> None:
    document = tomllib.loads(config_toml(Config()))
    assert "prepare_seconds" not in document
    assert "start_routine" not in document
    assert document["theme"] == "textual-dark"


@pytest.mark.parametrize(
    ("text", "field", "line", "words"),
    [
        ("bell = 1\n", "bell", 1, "found 1; expected true or false"),
        ("\n\nprepare_seconds = 61\n", "prepare_seconds", 3, "from 0 to 60"),
        ("rest_seconds = -1\n", "rest_seconds", 1, "from 0 to 600"),
        ("rest_seconds = 1.5\n", "rest_seconds", 1, "not a whole number"),
        ("prepare_seconds = true\n", "prepare_seconds", 1, "found true"),
        ('theme = "drakula"\n', "theme", 1, "did you mean dracula?"),
        ('start_routine = "../etc/passwd"\n', "start_routine", 1, "routine id"),
        ("bel = false\n", "bel", 1, "unknown setting; did you mean bell?"),
        ("colour = 3\n", "colour", 1, "the settings are: bell, notify"),
        ('figure_characters = "dots"\n', "figure_characters", 1, '"braille" or "blocks"'),
    ],
)
def test_bad_values_are_problems_and_fall_back(
    text: str, field: str, line: int, words: str
) -> None:
    path = _write('theme = "nord"\n' + text if "theme" not in text else text)
    loaded = load_config()
    (problem,) = loaded.problems
    assert problem.path == str(path)
    assert problem.field == field
    assert problem.line == line + (0 if "theme" in text else 1)
    assert words in problem.message
    if field in ("bell", "prepare_seconds", "rest_seconds", "start_routine", "figure_characters"):
        assert getattr(loaded.config, field) == getattr(Config(), field)
    if "theme" not in text:
        assert loaded.config.theme == "nord"  # the good key is kept


def test_every_problem_at_once() -> None:
    _write("bell = 2\nnotify = 3\ntheme = 4\n")
    assert [p.field for p in load_config().problems] == ["bell", "notify", "theme"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("bell = \n", "not valid TOML"),
        (b"bell = true\n\xff", "not UTF-8"),
        ("a = " + "[" * 5000 + "]" * 5000, "not valid TOML"),
    ],
)
def test_unreadable_file_gives_defaults_and_one_problem(content: str | bytes, words: str) -> None:
    _write(content)
    loaded = load_config()
    assert loaded.config == Config()
    (problem,) = loaded.problems
    assert words in problem.message
    assert "default" in problem.message


def test_syntax_error_has_its_line() -> None:
    _write("bell = true\n\ntheme = nord\n")
    (problem,) = load_config().problems
    assert problem.line == 3


def test_bom_is_accepted() -> None:
    _write(b'\xef\xbb\xbftheme = "nord"\n')
    assert load_config().config.theme == "nord"


def test_fifo_or_folder_is_a_problem_not_a_hang() -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(config_path())
    (problem,) = load_config().problems
    assert "not a plain file" in problem.message
    os.unlink(config_path())
    config_path().mkdir()
    assert "folder" in load_config().problems[0].message


def test_hostile_key_is_cleaned_in_the_problem() -> None:
    _write('"\\u001b[2Jevil" = 1\n')
    (problem,) = load_config().problems
    assert "\x1b" not in str(problem)


def test_save_on_full_disk_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(SaveError) as caught:
        save_config(Config(bell=False))
    assert str(caught.value) == (
        f"Could not save the settings to {config_path()}: "
        "the disk is full (No space left on device)"
    )


def test_theme_list_is_textuals() -> None:
    from textual.theme import BUILTIN_THEMES

    assert set(THEMES) == set(BUILTIN_THEMES)


def test_config_module_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tui.store.config, tui.store.history.records, tui.store.resume, "
        "tui.store.durable, tui.routine_files.writer; "
        "print([m for m in sys.modules if m.startswith('textual')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@settings(max_examples=80, deadline=None)
@given(
    st.binary(max_size=300)
    | st.dictionaries(
        st.sampled_from([*KEYS, "x"]),
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    ).map(lambda d: tomli_w.dumps({k: v for k, v in d.items() if v is not None}).encode())
)
def test_any_file_gives_a_config_and_never_raises(content: bytes) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    loaded = load_config()
    assert isinstance(loaded.config, Config)
    assert loaded.config.theme in THEMES
    assert all(p.message for p in loaded.problems)


def test_the_plan_settings_are_read_and_checked_like_the_others() -> None:
    _write('plan_times_a_day = 3\nplan_days = ["Wednesday", "mon", "FRI"]\n')
    loaded = load_config()
    assert loaded.problems == []
    assert loaded.config.plan_times_a_day == 3
    assert loaded.config.plan_days == ("mon", "wed", "fri")  # in week order
    path = _write('theme = "nord"\nplan_times_a_day = 9\nplan_days = ["mon", "mnday"]\n')
    loaded = load_config()
    assert loaded.config.plan_times_a_day is None and loaded.config.plan_days is None
    assert [(p.line, p.field) for p in loaded.problems] == [
        (2, "plan_times_a_day"),
        (3, "plan_days"),
    ]
    assert all(p.path == str(path) for p in loaded.problems)
    assert "expected a whole number from 1 to 6" in loaded.problems[0].message
    assert "(did you mean mon?)" in loaded.problems[1].message


def test_the_plan_settings_are_saved_as_a_routine_writes_its_plan() -> None:
    config = Config(plan_times_a_day=2, plan_days=("tue", "thu"))
    document = tomllib.loads(config_toml(config))
    assert document["plan_times_a_day"] == 2
    assert document["plan_days"] == ["tue", "thu"]
    _write(config_toml(config))
    assert load_config().config == config
