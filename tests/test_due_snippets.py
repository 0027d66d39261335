"""The README's snippets for `unknot due` (issue 17), each run in the program it is for: bash,
zsh and fish in a real terminal, showing the line above their prompt; tmux's status line; a
login shell's profile. With no session yet and the built-in routine (once a day, every day), a
session is due whatever the date.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from patience import HANG
from ptyterm import PtyTerminal
from tools import require_tool

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINE = "Stretch due: 0 of 1 today, no session yet"


def snippet(first_line: str) -> str:
    """The README's fenced block that begins with `first_line`'s comment."""
    for block in re.findall(r"^```\w*\n(.*?)^```", README, flags=re.M | re.S):
        if block.startswith(first_line):
            return str(block)
    raise AssertionError(f"the README has no snippet starting {first_line!r}")


@pytest.fixture
def unknot_on_path(tmp_path: Path) -> dict[str, str]:
    """An `unknot` command on PATH that runs this checkout, as an installed one would."""
    folder = tmp_path / "bin"
    folder.mkdir()
    command = folder / "unknot"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tui "$@"\n', encoding="utf-8")
    command.chmod(0o755)
    return {
        "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
    }


def in_terminal(argv: list[str], env: dict[str, str | None]) -> None:
    """Start the shell in a terminal; its prompt must come with the line above it."""
    home = Path(os.environ["HOME"])
    with PtyTerminal(argv, cols=100, rows=10, env=env, home=home) as term:
        term.wait_for(LINE, timeout=HANG)


def test_the_bash_snippet(unknot_on_path: dict[str, str], tmp_path: Path) -> None:
    bash = require_tool("bash")
    rc = tmp_path / "bashrc"
    rc.write_text(snippet("# ~/.bashrc"), encoding="utf-8")
    in_terminal([bash, "--noprofile", "--rcfile", str(rc), "-i"], unknot_on_path)


def test_the_zsh_snippet(unknot_on_path: dict[str, str], tmp_path: Path) -> None:
    zsh = require_tool("zsh")
    folder = tmp_path / "zdotdir"
    folder.mkdir()
    (folder / ".zshrc").write_text(snippet("# ~/.zshrc"), encoding="utf-8")
    in_terminal([zsh, "-i"], {**unknot_on_path, "ZDOTDIR": str(folder)})


def test_the_fish_snippet(unknot_on_path: dict[str, str], tmp_path: Path) -> None:
    fish = require_tool("fish")
    config = tmp_path / "config.fish"
    config.write_text(snippet("# ~/.config/fish/config.fish"), encoding="utf-8")
    argv = [fish, "--no-config", "-i", "-C", f"source {config}"]
    in_terminal(argv, unknot_on_path)


def test_the_tmux_snippet(unknot_on_path: dict[str, str], tmp_path: Path) -> None:
    tmux = require_tool("tmux")
    conf = tmp_path / "tmux.conf"
    conf.write_text(snippet("# ~/.tmux.conf"), encoding="utf-8")
    env = {**unknot_on_path, "TMUX_TMPDIR": str(tmp_path), "TMUX": None}
    base = [tmux, "-L", "unknot-test", "-f", str(conf)]
    try:
        # tmux in a terminal of its own: the status line is its bottom row
        with PtyTerminal(
            [*base, "new-session"], cols=100, rows=10, env=env, home=Path(os.environ["HOME"])
        ) as term:
            term.wait_for(LINE, timeout=HANG)
            assert LINE in term.screen_text().splitlines()[-1]
    finally:
        subprocess.run(
            [*base, "kill-server"],
            env={**os.environ, "TMUX_TMPDIR": str(tmp_path)},
            capture_output=True,
            timeout=HANG,
            check=False,
        )


def test_the_login_snippet(unknot_on_path: dict[str, str], tmp_path: Path) -> None:
    sh = require_tool("sh")
    profile = tmp_path / "profile"
    profile.write_text(snippet("# ~/.profile"), encoding="utf-8")
    done = subprocess.run(
        [sh, "-c", f". {profile}"],
        env={**os.environ, **unknot_on_path},
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, LINE + "\n", "")
