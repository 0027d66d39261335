"""Spoken cues: found on PATH, fed through stdin, never a hang or a crash when the speaker fails."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest
from patience import HANG, wait_until
from tools import require_tool

from tui.terminal import speech as speak
from tui.terminal.speech import NO_SPEAKER_MESSAGE, Speaker, find_speaker, make_speaker, phrase_for


def _script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only our fake speakers (and the shell tools the scripts use)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    # the few tools the fake speakers use, and nothing else: a real espeak-ng or say on this
    # machine must not be found
    tools = tmp_path / "tools"
    tools.mkdir()
    for name, found in (("cat", require_tool("cat")), ("sleep", require_tool("sleep"))):
        (tools / name).symlink_to(found)
    monkeypatch.setenv("PATH", f"{folder}:{tools}")
    return folder


def _read(path: Path) -> str:
    return path.read_text() if path.exists() else f"({path.name} not there)"


def test_no_speaker_installed_says_so_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    messages: list[str] = []
    assert make_speaker(messages.append) is None
    assert messages == [NO_SPEAKER_MESSAGE]


def test_espeak_ng_is_preferred_to_say(bin_dir: Path) -> None:
    _script(bin_dir, "say", "cat >/dev/null\n")
    espeak = _script(bin_dir, "espeak-ng", "cat >/dev/null\n")
    assert find_speaker() == (str(espeak),)


def test_say_is_used_when_espeak_ng_is_missing(bin_dir: Path) -> None:
    say = _script(bin_dir, "say", "cat >/dev/null\n")
    assert find_speaker() == (str(say),)


def test_text_goes_through_stdin_cleaned(bin_dir: Path, tmp_path: Path) -> None:
    heard = tmp_path / "heard.txt"
    _script(bin_dir, "espeak-ng", f'echo "args:$#" >> {heard}\ncat >> {heard}\n')
    speaker = make_speaker(pytest.fail)
    assert speaker is not None
    speaker.say("-v evil\x1b]2;title\x07 Hold, right")
    wait_until(lambda: "Hold" in _read(heard), "the speaker heard nothing", lambda: _read(heard))
    text = heard.read_text()
    # no arguments: the text can never be read as an option; no control character reaches it
    assert text.splitlines()[0] == "args:0"
    assert "\x1b" not in text and "\x07" not in text
    assert "-v evil ]2;title Hold, right" in text


def test_a_hanging_speaker_is_killed_and_reported(bin_dir: Path) -> None:
    pids = bin_dir / "pids"
    _script(bin_dir, "espeak-ng", f"echo $$ >> {pids}\nexec sleep 60\n")
    errors: list[str] = []
    command = find_speaker()
    assert command is not None
    speaker = Speaker(command, timeout=0.3, on_error=errors.append)
    speaker.say("Hold")  # returns at once although the speaker never ends
    wait_until(
        lambda: _read(pids).strip().isdigit(), "the speaker did not start", lambda: _read(pids)
    )
    pid = int(pids.read_text().split()[0])
    wait_until(lambda: not _alive(pid), "the hanging speaker was not killed")
    wait_until(lambda: speaker._error is not None, "no error was noted")
    speaker.say("Rest")
    speaker.close()
    assert len(errors) == 1 and "longer than" in errors[0]


def test_a_newer_cue_cuts_the_older_one_short(bin_dir: Path) -> None:
    pids = bin_dir / "pids"
    _script(bin_dir, "espeak-ng", f"echo $$ >> {pids}\nexec sleep 60\n")
    command = find_speaker()
    assert command is not None
    speaker = Speaker(command, on_error=pytest.fail)
    speaker.say("Hold")
    wait_until(
        lambda: len(_read(pids).split()) == 1, "the first did not start", lambda: _read(pids)
    )
    first = int(pids.read_text().split()[0])
    speaker.say("Switch sides")
    wait_until(lambda: not _alive(first), "the older cue was not cut short")
    wait_until(
        lambda: len(_read(pids).split()) == 2, "the newer did not start", lambda: _read(pids)
    )
    second = int(pids.read_text().split()[1])
    assert _alive(second)
    speaker.close(grace=0.2)  # the last phrase gets a short grace, then it is stopped
    wait_until(lambda: not _alive(second), "the last phrase was not stopped")


def test_closing_lets_the_last_phrase_finish(bin_dir: Path, tmp_path: Path) -> None:
    heard = tmp_path / "heard.txt"
    _script(bin_dir, "espeak-ng", f"sleep 0.3\ncat >> {heard}\n")
    command = find_speaker()
    assert command is not None
    speaker = Speaker(command, on_error=pytest.fail)
    speaker.say("Done. Well done.")
    speaker.close(grace=HANG)  # the app gives it 3 s; here only a hang may cut it short
    assert heard.read_text() == "Done. Well done.\n"


def test_a_failing_speaker_is_reported_once_and_never_raises(bin_dir: Path) -> None:
    _script(bin_dir, "espeak-ng", "cat >/dev/null\nexit 3\n")
    errors: list[str] = []
    command = find_speaker()
    assert command is not None
    speaker = Speaker(command, on_error=errors.append)
    speaker.say("Hold")
    wait_until(lambda: speaker._error is not None, "no error was noted")
    for _ in range(3):
        speaker.say("Rest")
    speaker.close()
    assert errors == ["espeak-ng failed (exit status 3); cues carry on silently."]


def test_a_speaker_that_cannot_start_turns_itself_off(tmp_path: Path) -> None:
    not_executable = tmp_path / "espeak-ng"
    not_executable.write_text("not a program")
    errors: list[str] = []
    speaker = Speaker([str(not_executable)], on_error=errors.append)
    speaker.say("Hold")
    speaker.say("Rest")
    assert speaker.broken
    assert len(errors) == 1 and errors[0].startswith("Spoken cues are off")


def test_a_speaker_that_ignores_its_input_does_not_block(bin_dir: Path) -> None:
    _script(bin_dir, "espeak-ng", "exit 0\n")
    command = find_speaker()
    assert command is not None
    speaker = Speaker(command, on_error=pytest.fail)
    for _ in range(5):
        speaker.say("Hold, right, rep 1 of 3")  # a closed pipe never raises
    speaker.close()


def _snap(**values: object) -> SimpleNamespace:
    base: dict[str, object] = {
        "phase": "hold",
        "stretch_name": "Knee hug",
        "side": "right",
        "rep": 2,
        "reps": 3,
        "waiting": False,
    }
    base.update(values)
    return SimpleNamespace(**base)


@pytest.mark.parametrize(
    ("values", "phrase"),
    [
        ({"phase": "prepare"}, "Get ready: Knee hug, right"),
        ({"phase": "prepare", "waiting": True, "side": None}, "Get in position: Knee hug."),
        ({}, "Hold, right, rep 2 of 3"),
        ({"side": None}, "Hold, rep 2 of 3"),
        ({"phase": "switch"}, "Switch to the right side"),  # the side turned to
        ({"phase": "switch", "side": "left"}, "Switch to the left side"),
        ({"phase": "switch", "side": None}, "Switch sides"),
        ({"phase": "rest"}, "Rest"),
        ({"phase": "done"}, "Done. Well done."),
        ({"phase": "idle"}, ""),
    ],
)
def test_phrases(values: dict[str, object], phrase: str) -> None:
    assert phrase_for(_snap(**values)).startswith(phrase)  # type: ignore[arg-type]


def test_the_listener_speaks_only_when_a_phase_begins() -> None:
    said: list[str] = []
    fake = SimpleNamespace(say=said.append)
    listen = speak.speech_listener(fake)  # type: ignore[arg-type]
    tick = SimpleNamespace(kind="tick")
    began = SimpleNamespace(kind="phase-began")
    listen(_snap(), [])  # a whole-second tick: nothing
    listen(_snap(), [tick])
    listen(_snap(phase="switch"), [began])
    assert said == ["Switch to the right side"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); its state in /proc says it is gone
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def test_the_app_speaks_each_phase_when_asked() -> None:
    from tui.core.model import Routine, Span, Stretch
    from tui.ui.app import UnknotApp

    said: list[str] = []
    listen = speak.speech_listener(SimpleNamespace(say=said.append))  # type: ignore[arg-type]
    routine = Routine(
        id="one",
        name="One",
        stretches=(
            Stretch(
                id="a", name="Knee hug", steps=("Hug.",), hold_seconds=Span(5, 5), reps=Span(1, 1)
            ),
        ),
    )
    app = UnknotApp(routine, bell=False, speech=listen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert said == ["Get ready: Knee hug"]
        notes = " ".join(app.help_notes())
        assert "off by default" in notes and "SSH" in notes


def test_speak_is_off_by_default_and_its_help_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    from tui import cli

    args = cli.build_parser().parse_args(["run"])
    assert args.speak is False
    assert cli.main(["run", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--speak" in help_text and "over SSH the sound plays on the server" in help_text


class _FakeApp:
    made: ClassVar[list[dict[str, object]]] = []

    def __init__(self, routine: object, **kwargs: object) -> None:
        self.made.append(kwargs)
        self.return_code = 0
        # what the command line reads after the app ends: nothing was left unsaved
        self.memory = SimpleNamespace(last_words=(), last_data="", unsaved_at_end=False)

    def run(self) -> None:
        return None

    def notify(self, message: str, **_: object) -> None:
        return None


@pytest.mark.parametrize("installed", [True, False])
def test_unknot_speak_hands_the_app_a_speaker_or_says_there_is_none(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    bin_dir: Path,
    installed: bool,
) -> None:
    import tui.ui.app
    from tui import cli

    if installed:
        _script(bin_dir, "espeak-ng", "cat >/dev/null\n")
    _FakeApp.made = []
    monkeypatch.setattr(tui.ui.app, "UnknotApp", _FakeApp)
    monkeypatch.setattr(cli, "plain_reason", lambda *streams: None)
    assert cli.main(["run", "--speak"]) == 0
    (kwargs,) = _FakeApp.made
    assert (kwargs["speech"] is not None) == installed
    err = capsys.readouterr().err
    assert (NO_SPEAKER_MESSAGE in err) != installed
