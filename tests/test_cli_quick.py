"""`unknot` and `unknot run [ROUTINE]` skip argparse (start-up time) but mean exactly what the
parser would make of them; anything else still goes through the parser."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui import cli


@pytest.mark.parametrize(
    "argv",
    [[], ["run"], ["run", "back-spasm-relief"], ["run", "my routine.toml"], ["run", "a/b.toml"]],
)
def test_quick_arguments_equal_the_parsers(argv: list[str]) -> None:
    quick = cli.quick_args(argv)
    assert quick is not None
    assert vars(quick) == vars(cli.build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["--plain"],
        ["run", "--no-bell"],
        ["run", "x", "--speak"],
        ["run", "-h"],
        ["run", "a", "b"],
        ["list"],
        ["check", "x"],
        ["--version"],
        ["runner"],
    ],
)
def test_anything_else_goes_to_the_parser(argv: list[str]) -> None:
    assert cli.quick_args(argv) is None


def test_starting_a_routine_does_not_load_argparse_speech_or_serve() -> None:
    """Up to the app's launch: what `unknot run ID` imports (the app is faked away)."""
    code = (
        "import sys\n"
        "from tui import cli\n"
        "cli._launch_app = lambda routine, catalog, args: 0\n"
        "assert cli.main(['run', 'back-spasm-relief']) == 0\n"
        "print(sorted(m for m in ('argparse', 'gettext', 'tui.terminal.speech', 'tui.serve',"
        " 'termios') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
