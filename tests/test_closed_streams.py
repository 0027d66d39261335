"""`unknot run` with a standard stream closed or not a terminal (issue 14, item 11).

Found in a terminal: `unknot run <&-` printed a full traceback ('NoneType' object has no
attribute 'fileno', from Textual's driver). The full-screen app reads keys from standard input
and draws on standard error; plain mode writes to standard output. So:

- input closed, /dev/null or a file: no keys to read, plain mode (which starts by itself);
- standard error closed or not a terminal: no screen to draw on, plain mode on standard output;
- output closed: the full-screen app (it does not use it); with plain mode chosen, one line
  and exit 1;
- under a TEXTUAL_DRIVER, a closed stream the driver needs: one line and exit 1.

Never a traceback. Each case runs the installed app in a real pseudo-terminal with the stream
really closed or redirected by the child before it starts.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from ptyterm import PtyTerminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file descriptors")

UNKNOT = Path(sys.executable).parent / "unknot"
ROUTINE = Path(__file__).parent / "data" / "pty" / "two-stretch.toml"
RUN = [str(UNKNOT), "run", str(ROUTINE)]
SHORT = Path(__file__).parent / "data" / "pty" / "one-second.toml"
RUN_TO_THE_END = [str(UNKNOT), "run", str(SHORT)]
"""For the tests that let the routine run to its end by itself: it lasts about 2 seconds."""
WAIT = 15.0
ROUTINE_LENGTH = 60.0
"""Longest wait for the short routine to run to its end in plain mode (a hang guard)."""


def ended(term: PtyTerminal, timeout: float) -> tuple[int, str]:
    """The exit status and everything written, once the program has ended."""
    code = term.wait_exit(timeout)
    text = term.raw.decode("utf-8", "replace")
    assert "Traceback" not in text, text[-3000:]
    return code, text


@pytest.mark.parametrize(
    ("stdin", "what"),
    [(None, "input is closed"), ("/dev/null", "input is not a terminal")],
    ids=["closed", "/dev/null"],
)
def test_no_keyboard_runs_the_routine_in_plain_mode(stdin: str | None, what: str) -> None:
    with PtyTerminal(RUN_TO_THE_END, streams={0: stdin}) as term:
        code, text = ended(term, ROUTINE_LENGTH)
    assert code == 0, text[-3000:]
    assert f"unknot: {what} (no keys to read)" in text
    assert "Done: 1 stretch" in text  # it started by itself and ran to the end


def test_input_from_a_file_is_not_taken_for_keys() -> None:
    # before, the full-screen app read the file's bytes as keys (its spaces started the routine)
    with PtyTerminal(RUN_TO_THE_END, streams={0: str(ROUTINE)}) as term:
        code, text = ended(term, ROUTINE_LENGTH)
    assert code == 0
    assert "unknot: input is not a terminal" in text and "Done: 1 stretch" in text


@pytest.mark.parametrize("stderr", [None, "log"], ids=["closed", "to a file"])
def test_no_screen_on_standard_error_runs_plain_mode_on_the_terminal(
    stderr: str | None, tmp_path: Path
) -> None:
    # Textual draws on standard error: with it closed the app drew nothing and hung; sent to a
    # file, the screen went into the file while the terminal stayed blank
    log = tmp_path / "err.log"
    with PtyTerminal(RUN, streams={2: str(log) if stderr else None}) as term:
        term.wait_for("How does your back feel")  # plain mode, with the keyboard it has
        term.send("Enter")  # skip
        term.wait_for("Press Space to start")
        term.send("q")
        code, text = ended(term, WAIT)
    assert code == 0
    note = "standard error, where the screen is drawn, is"
    if stderr:
        assert f"unknot: {note} not a terminal" in log.read_text()
    else:
        assert f"unknot: {note} closed" in text  # on standard output, which is the terminal


def test_closed_output_leaves_the_full_screen_app_as_it_is() -> None:
    # the screen is standard error; standard output is only plain mode's
    with PtyTerminal(RUN, streams={1: None}) as term:
        term.wait_for("Pty two stretches")
        term.wait_for("q Quit")
        term.send("q")
        code, _text = ended(term, WAIT)
    assert code == 0


@pytest.mark.parametrize(
    ("streams", "env", "said"),
    [
        ({0: None, 1: None}, {}, "standard output is closed, and plain line mode writes there"),
        (
            {0: None},
            {"TEXTUAL_DRIVER": "textual.drivers.linux_driver:LinuxDriver"},
            "standard input is closed, and the app cannot run without it",
        ),
        (
            {2: None},
            {"TEXTUAL_DRIVER": "textual.drivers.linux_driver:LinuxDriver"},
            "standard error is closed, and the app cannot run without it",
        ),
    ],
    ids=["plain with output closed", "driver without input", "driver without its screen"],
)
def test_nothing_to_run_on_is_one_line_and_status_1(
    streams: dict[int, str | None], env: dict[str, str], said: str
) -> None:
    with PtyTerminal(RUN, streams=streams, env=env) as term:
        code, text = ended(term, WAIT)
    assert code == 1
    lines = [line for line in text.replace("\r", "").splitlines() if line.strip()]
    assert lines == [f"unknot: {said}."]
