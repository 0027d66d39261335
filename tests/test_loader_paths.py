"""Where routines and files live: XDG variables read at call time, platformdirs otherwise."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tui.store import paths

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "tui"


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
        (paths.cache_dir, "XDG_CACHE_HOME", "unknot"),
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


def finds_folders(path: Path) -> bool:
    """Whether a module reads an XDG variable or asks platformdirs for a folder."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        value = node.value if isinstance(node, ast.Constant) else None
        if isinstance(value, str) and value.startswith("XDG_") and value.isidentifier():
            return True
        if isinstance(node, ast.Import | ast.ImportFrom):
            named = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            named += [alias.name for alias in node.names]
            if any(name.split(".")[0] == "platformdirs" for name in named):
                return True
    return False


def test_every_folder_is_found_in_one_place() -> None:
    """Where the settings, history, state and cache live is decided by tui.store.paths alone: two
    copies of that rule (the cache folder had two) could part and lose a person's files."""
    finding = sorted(
        str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py") if finds_folders(path)
    )
    assert finding == [str(Path(paths.__file__).relative_to(PACKAGE))]
