"""Where routines and files live: XDG variables read at call time, platformdirs otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import paths

REPO = Path(__file__).resolve().parent.parent


def test_builtin_dir_is_the_source_trees_folder_in_an_editable_install() -> None:
    assert paths.builtin_dir() == REPO / "routines"
    assert (paths.builtin_dir() / "back-spasm-relief.toml").is_file()


@pytest.mark.parametrize(
    ("function", "variable", "below"),
    [
        (paths.config_dir, "XDG_CONFIG_HOME", "unknot"),
        (paths.user_routines_dir, "XDG_CONFIG_HOME", "unknot/routines"),
        (paths.data_dir, "XDG_DATA_HOME", "unknot"),
        (paths.state_dir, "XDG_STATE_HOME", "unknot"),
    ],
)
def test_xdg_variables_are_read_when_called(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    function: object,
    variable: str,
    below: str,
) -> None:
    assert callable(function)
    for name in ("one", "two"):
        monkeypatch.setenv(variable, str(tmp_path / name))
        assert function() == tmp_path / name / below


@pytest.mark.parametrize(
    ("function", "variable", "default"),
    [
        (paths.config_dir, "XDG_CONFIG_HOME", ".config/unknot"),
        (paths.data_dir, "XDG_DATA_HOME", ".local/share/unknot"),
        (paths.state_dir, "XDG_STATE_HOME", ".local/state/unknot"),
    ],
)
def test_unset_or_relative_xdg_falls_back_to_platformdirs(
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    function: object,
    variable: str,
    default: str,
) -> None:
    import platformdirs

    if platformdirs.PlatformDirs is not platformdirs.unix.Unix:
        pytest.skip("the home-relative defaults checked here are the Unix ones")
    assert callable(function)
    for value in (None, "relative/path"):
        if value is None:
            monkeypatch.delenv(variable)
        else:
            monkeypatch.setenv(variable, value)
        assert function() == isolated_home / default
