"""Every test runs in tests/known_env.py's environment, whatever its caller's: TERM unset or
dumb, LANG=C, COLUMNS=20, NO_COLOR, TEXTUAL_*, CI, PYTHONUNBUFFERED change nothing in a test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from known_env import KEPT_NAMES, KEPT_PREFIXES, known_environment
from patience import HANG

HOSTILE = {
    "TERM": "dumb",
    "LANG": "C",
    "LC_ALL": "C",
    "COLUMNS": "20",
    "LINES": "5",
    "NO_COLOR": "1",
    "FORCE_COLOR": "1",
    "COLORTERM": "truecolor",
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "1",
    "TMUX": "/tmp/tmux-0/default,1,0",
    "VTE_VERSION": "7000",
    "PYTHONUNBUFFERED": "1",
    "CI": "true",
    "PATH": f"/nowhere{os.pathsep}{os.environ['PATH']}",
}
"""What shells, cron jobs and CI runners set, each of which changed what a test saw."""

SEEN = "import json, os, sys; print(json.dumps(dict(os.environ)))"


def _extra(env: dict[str, str], home: Path) -> dict[str, str]:
    """What `env` holds beyond the known environment and the names kept from the caller."""
    known = known_environment(home)
    return {
        name: value
        for name, value in env.items()
        if known.get(name) != value
        and name not in KEPT_NAMES
        and not name.startswith(KEPT_PREFIXES)
    }


def test_a_test_and_what_it_starts_see_the_known_environment(isolated_home: Path) -> None:
    assert _extra(dict(os.environ), isolated_home) == {}
    child = subprocess.run(
        [sys.executable, "-c", SEEN], capture_output=True, text=True, timeout=HANG, check=True
    )
    assert _extra(json.loads(child.stdout), isolated_home) == {}
    assert os.environ["TERM"] == "xterm-256color" and os.environ["LANG"] == "C.UTF-8"
    assert "COLUMNS" not in os.environ and "NO_COLOR" not in os.environ


def test_a_hostile_caller_changes_nothing(tmp_path: Path) -> None:
    """The test above, run by a pytest started with everything that once changed a test."""
    caller = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    caller.update(HOSTILE)
    here = f"{Path(__file__).name}::test_a_test_and_what_it_starts_see_the_known_environment"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", here],
        cwd=Path(__file__).parent,
        env=caller,
        capture_output=True,
        text=True,
        timeout=HANG,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
