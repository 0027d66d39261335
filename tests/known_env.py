"""The one environment every test and every program a test starts runs in.

A shell, a cron job and a CI runner each hand the suite a different environment (TERM unset or
dumb, LANG=C, COLUMNS=20, NO_COLOR, PYTHONUNBUFFERED, a PATH of their own...), and each of those
changes what unknot, Textual or Python does. So no test reads the caller's: the autouse fixture
in conftest.py replaces it with this one, and tests/ptyterm.py gives the same to the programs it
starts. Only a few names that change nothing a test looks at are kept from the caller.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

CALLER = dict(os.environ)
"""The environment the suite was started with, read once when the tests are collected (the one
place a test may look at it: whether this is a CI run, see tests/tools.py)."""

TERM = "xterm-256color"
LANG = "C.UTF-8"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
XDG_FOLDERS = (
    ("XDG_CONFIG_HOME", ".config"),
    ("XDG_DATA_HOME", ".local/share"),
    ("XDG_STATE_HOME", ".local/state"),
    ("XDG_CACHE_HOME", ".cache"),
)
KEPT_NAMES = frozenset(
    {
        # where Python keeps bytecode: how fast programs start, not what they do
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONPYCACHEPREFIX",
        # where temporary files go, and who we are
        "TMPDIR",
        "USER",
        "LOGNAME",
    }
)
KEPT_PREFIXES = (
    "PYTEST_",  # pytest's own bookkeeping (PYTEST_CURRENT_TEST, xdist's worker)
    "TEXTUAL_SNAPSHOT_TEMPDIR",  # where pytest-textual-snapshot's workers meet its controller
)
PLUGIN_PREFIXES = KEPT_PREFIXES
"""Kept for the test process's plugins only: programs a test starts do not get them."""


def python_bin() -> str:
    """The folder of the Python running the tests: the project's `unknot` is installed there."""
    return str(Path(sys.executable).parent)


def known_path() -> str:
    """PATH for tests: this Python's folder, then the system's folders, never the caller's."""
    return f"{python_bin()}{os.pathsep}{SYSTEM_PATH}"


def known_environment(home: Path, caller: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a test whose home folder is `home`: XDG folders inside it (made here),
    a terminal type, a UTF-8 locale, the known PATH, and from `caller` only KEPT_NAMES and
    KEPT_PREFIXES. Nothing else: no COLUMNS, NO_COLOR, TEXTUAL_*, TMUX, CI, PYTHONUNBUFFERED."""
    caller = os.environ if caller is None else caller
    env = {
        name: value
        for name, value in caller.items()
        if name in KEPT_NAMES or name.startswith(KEPT_PREFIXES)
    }
    env.update(HOME=str(home), TERM=TERM, LANG=LANG, PATH=known_path())
    for name, sub in XDG_FOLDERS:
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    return env


def process_environment_names() -> set[str]:
    """The names in this process's own environment, the one a child started without `env=`
    inherits: it can hold more than os.environ, as when GNU readline (loaded by the debugger
    or the test tools) sets COLUMNS and LINES there. Empty where libc's table cannot be read."""
    try:
        import ctypes

        table = ctypes.POINTER(ctypes.c_char_p).in_dll(ctypes.CDLL(None), "environ")
    except (OSError, ValueError, AttributeError):
        return set()
    names = set()
    index = 0
    while (entry := table[index]) is not None:
        names.add(entry.split(b"=", 1)[0].decode("utf-8", "replace"))
        index += 1
    return names
