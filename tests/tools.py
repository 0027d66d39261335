"""Tests that need a program from outside the project (a browser, coreutils) get it here.

Outside CI a missing program skips the test, saying which package has it. Under CI (the CI
variable set, as by `.ci/run`) it fails instead: CI installs every program in tests/tools.txt,
so a missing one means the CI machine is broken, and a skip there would hide that the test never
ran. Only programs listed in tests/tools.txt may be asked for, so CI knows to install them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NoReturn

import pytest
from known_env import CALLER, known_path

LIST = Path(__file__).with_name("tools.txt")


def listed_tools(text: str | None = None) -> dict[str, str]:
    """{command: Debian package} from tests/tools.txt (or `text` in its format)."""
    text = LIST.read_text(encoding="utf-8") if text is None else text
    tools = {}
    for line in text.splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#"):
            tools[fields[0]] = fields[1]
    return tools


def in_ci() -> bool:
    """Whether the suite runs under CI: CI set (by its caller) to anything but empty, 0, false
    or no."""
    return CALLER.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """This test cannot run here: under CI a failure (CI must run every test), else a skip."""
    if in_ci():
        pytest.fail(f"{reason}; under CI every test must run (.ci/run installs what they need)")
    pytest.skip(reason)


def require_tool(command: str) -> str:
    """The full path of `command` (found on the tests' known PATH, not the caller's), or the
    test is `unavailable`: skipped, or failed under CI."""
    tools = listed_tools()
    if command not in tools:
        pytest.fail(
            f"{command} is not in tests/tools.txt: add it with the package that has it, "
            "so that CI installs it"
        )
    found = shutil.which(command, path=known_path())
    if found is None:
        unavailable(f"{command} is not installed (Debian package {tools[command]})")
    return found
