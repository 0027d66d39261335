"""Where unknot finds its routines and keeps its files.

Every function reads the environment when it is called (tests point XDG_* at a temporary
folder after import), and platformdirs is only imported when an XDG variable is not set, so
start-up stays light. XDG variables win on every system; elsewhere platformdirs gives the
system's usual place.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "unknot"


def builtin_dir() -> Path:
    """The built-in routines: bundled in the package from a wheel, else the source tree's folder."""
    package = Path(__file__).resolve().parent.parent  # tui/, where the wheel bundles them
    bundled = package / "routines"
    if bundled.is_dir():
        return bundled
    return package.parent / "routines"


def _xdg(variable: str) -> Path | None:
    """The folder an XDG variable names, when it is set to an absolute path (the spec says so)."""
    value = os.environ.get(variable, "")
    if value and os.path.isabs(value):
        return Path(value) / APP_NAME
    return None


def config_dir() -> Path:
    """Settings and the person's own routines."""
    found = _xdg("XDG_CONFIG_HOME")
    if found is not None:
        return found
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """Data worth keeping, such as the history of sessions (in data_dir() / "history")."""
    found = _xdg("XDG_DATA_HOME")
    if found is not None:
        return found
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def state_dir() -> Path:
    """State that may be lost without harm, such as where an unfinished session stopped."""
    found = _xdg("XDG_STATE_HOME")
    if found is not None:
        return found
    import platformdirs

    return platformdirs.user_state_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Files that may be removed without harm (the routine cache, the history's index); unknot
    also keeps here, at its end, a copy of whatever the disk refused elsewhere (store/rescue)."""
    found = _xdg("XDG_CACHE_HOME")
    if found is not None:
        return found
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def user_routines_dir() -> Path:
    """The person's own routines, which override built-in ones of the same id."""
    return config_dir() / "routines"


def tilde(path: Path | str) -> str:
    """A path as a person would type it: ~ for the home folder."""
    home = os.path.expanduser("~")
    text = str(path)
    if home not in ("", "/", "~") and (text == home or text.startswith(home + os.sep)):
        text = "~" + text[len(home) :]
    return text
