"""tui.terminal: the exact bytes of bells, titles and notifications, and when each is sent."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from patience import HANG

from tui.terminal import cues as terminal
from tui.terminal.cues import (
    BELL_GAP,
    POP_TITLE,
    PUSH_TITLE,
    TerminalCues,
    cue_for_change,
    driver_writer,
    notification_for,
    osc9,
    osc777,
    osc_title,
    pick_protocol,
    title_for,
    tmux_passthrough,
)
from tui.terminal.exits import (
    RESET_TERMINAL,
    install_exit_signals,
    release_lost_terminal,
    reset_terminal,
    terminal_lost,
)

ESC = "\x1b"
ST = "\x1b\\"
HOSTILE = "Knee\x1b]2;pwned\x07\x1b[2J\x9b31m\x9c\x90x\nnext\tline\r\x00\x7f\u202eevil\u2066;x"


@dataclass(frozen=True)
class Snap:
    """The attributes of tui.core.engine.Snapshot that tui.terminal reads."""

    phase: str = "hold"
    stretch_index: int = 0
    stretch_count: int = 2
    stretch_name: str = "Knee-to-chest"
    side: str | None = "right"
    rep: int = 2
    reps: int = 3
    seconds_left: int = 7
    phase_seconds: int = 10
    waiting: bool = False
    paused: bool = False
    warning: bool = False
    elapsed: float = 95.0
    rest_kind: str | None = None
    next_label: str = "Rest 3 s"


class Recorder:
    """A `write` and a `sleep` that record what happened, in order."""

    def __init__(self) -> None:
        self.log: list[tuple[str, Any]] = []

    def write(self, text: str) -> None:
        self.log.append(("write", text))

    async def sleep(self, seconds: float) -> None:
        self.log.append(("sleep", seconds))

    @property
    def written(self) -> str:
        return "".join(text for kind, text in self.log if kind == "write")


def cues(rec: Recorder, **kwargs: Any) -> TerminalCues:
    kwargs.setdefault("env", {"TERM": "xterm-256color"})
    return TerminalCues(rec.write, sleep=rec.sleep, **kwargs)


# -- bells -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("hold", [("write", "\x07")]),
        ("release", [("write", "\x07")]),
        ("warning", [("write", "\x07")]),
        ("switch", [("write", "\x07"), ("sleep", BELL_GAP), ("write", "\x07")]),
        (
            "stretch-done",
            [
                ("write", "\x07"),
                ("sleep", BELL_GAP),
                ("write", "\x07"),
                ("sleep", BELL_GAP),
                ("write", "\x07"),
            ],
        ),
    ],
)
async def test_each_pattern_rings_its_bells_spaced_apart(
    pattern: terminal.BellPattern, expected: list[tuple[str, Any]]
) -> None:
    rec = Recorder()
    await cues(rec).ring(pattern)
    assert rec.log == expected


def test_bells_are_spaced_beyond_the_usual_bell_suppression() -> None:
    # xterm drops a bell within 200 ms of the previous one
    assert BELL_GAP > 0.2


async def test_muted_cues_ring_nothing_and_unmuting_brings_them_back() -> None:
    rec = Recorder()
    cue = cues(rec)
    assert cue.toggle_mute() is True
    await cue.ring("stretch-done")
    cue.bell("hold")
    assert rec.written == ""
    assert cue.toggle_mute() is False
    await cue.ring("hold")
    assert rec.written == "\x07"


async def test_no_bell_setting_silences_every_pattern() -> None:
    rec = Recorder()
    cue = cues(rec, bell_enabled=False)
    for pattern in terminal.BELL_COUNTS:
        await cue.ring(pattern)
    assert rec.written == ""


async def test_muting_in_the_middle_of_a_pattern_stops_it() -> None:
    rec = Recorder()
    cue = cues(rec)

    async def mute_while_sleeping(seconds: float) -> None:
        cue.muted = True

    cue._sleep = mute_while_sleeping
    await cue.ring("stretch-done")
    assert rec.written == "\x07"


async def test_bell_rings_in_the_background_and_a_new_pattern_replaces_the_old() -> None:
    rec = Recorder()
    gate = asyncio.Event()

    async def slow_sleep(seconds: float) -> None:
        await gate.wait()

    cue = TerminalCues(rec.write, env={}, sleep=slow_sleep)
    cue.bell("stretch-done")
    await asyncio.sleep(0)
    assert rec.written == "\x07"  # first bell at once, the others wait for the gap
    cue.bell("hold")  # cancels the rest of "stretch-done"
    await asyncio.sleep(0)
    gate.set()
    for _ in range(5):
        await asyncio.sleep(0)
    assert rec.written == "\x07\x07"


def test_bell_outside_an_event_loop_writes_a_single_bell() -> None:
    rec = Recorder()
    cues(rec).bell("switch")
    assert rec.written == "\x07"


# -- title -------------------------------------------------------------------------------------


def test_title_saves_the_users_title_once_and_skips_repeats() -> None:
    rec = Recorder()
    cue = cues(rec)
    cue.set_title("Hold 7")
    cue.set_title("Hold 7")
    cue.set_title("Hold 6")
    assert rec.written == f"{PUSH_TITLE}{ESC}]2;Hold 7{ST}{ESC}]2;Hold 6{ST}"
    assert PUSH_TITLE == "\x1b[22;0t"


def test_restore_title_pops_the_saved_title_once() -> None:
    rec = Recorder()
    cue = cues(rec)
    cue.set_title("Hold 7")
    rec.log.clear()
    cue.close()
    cue.restore_title()
    assert rec.written == f"{ESC}]2;{ST}{POP_TITLE}"
    assert POP_TITLE == "\x1b[23;0t"


def test_restore_title_writes_nothing_when_no_title_was_set() -> None:
    rec = Recorder()
    cues(rec).restore_title()
    assert rec.written == ""


def test_hostile_title_is_sent_without_control_characters() -> None:
    assert osc_title(HOSTILE) == f"{ESC}]2;Knee]2;pwned[2J31mx next line evil;x{ST}"


# -- notifications -----------------------------------------------------------------------------


def test_notifications_are_off_by_default() -> None:
    rec = Recorder()
    cues(rec).notify("Switch sides", "Knee-to-chest")
    assert rec.written == ""


def test_osc9_and_osc777_bytes() -> None:
    assert osc9("Switch sides", "Knee-to-chest") == f"{ESC}]9;Switch sides: Knee-to-chest{ST}"
    assert (
        osc777("Switch sides", "Knee-to-chest")
        == f"{ESC}]777;notify;Switch sides;Knee-to-chest{ST}"
    )


def test_semicolons_cannot_add_fields_or_commands() -> None:
    assert osc777("a;b", "c;d") == f"{ESC}]777;notify;a,b;c,d{ST}"
    # "4;" after OSC 9 would be a progress-bar command in several terminals
    assert osc9("4;1", "x") == f"{ESC}]9;4,1: x{ST}"


def test_hostile_notification_fields_are_cleaned() -> None:
    assert osc777(HOSTILE, "\x1b\\\x07") == (
        f"{ESC}]777;notify;Knee]2,pwned[2J31mx next line evil,x;\\{ST}"
    )


@pytest.mark.parametrize(
    ("protocol", "expected"),
    [
        ("osc9", f"{ESC}]9;Next: Hamstring: rest{ST}"),
        ("osc777", f"{ESC}]777;notify;Next: Hamstring;rest{ST}"),
        ("both", f"{ESC}]9;Next: Hamstring: rest{ST}{ESC}]777;notify;Next: Hamstring;rest{ST}"),
    ],
)
def test_notify_writes_the_chosen_protocol(
    protocol: terminal.NotifyProtocol, expected: str
) -> None:
    rec = Recorder()
    cues(rec, notify_enabled=True, protocol=protocol).notify("Next: Hamstring", "rest")
    assert rec.written == expected


def test_inside_tmux_notifications_pass_through_with_doubled_escapes() -> None:
    rec = Recorder()
    cue = cues(rec, notify_enabled=True, env={"TMUX": "/tmp/tmux-1/default,1,0", "TERM": "tmux"})
    cue.notify("Switch sides", "x")
    assert rec.written == f"{ESC}Ptmux;{ESC}{ESC}]9;Switch sides: x{ESC}{ESC}\\{ST}"
    assert tmux_passthrough(f"{ESC}]9;a{ST}") == f"{ESC}Ptmux;{ESC}{ESC}]9;a{ESC}{ESC}\\{ESC}\\"


def test_inside_tmux_title_and_bell_are_not_wrapped() -> None:
    # tmux reads both itself (pane title, bell-action) and forwards them to the outer terminal
    rec = Recorder()
    cue = cues(rec, env={"TMUX": "x"})
    cue.set_title("Hold 3")
    cue.bell("hold")
    assert "Ptmux" not in rec.written


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TERM": "xterm-256color"}, "osc9"),
        ({"TERM": "rxvt-unicode-256color"}, "osc777"),
        ({"TERM": "foot"}, "osc777"),
        ({"TERM": "xterm-256color", "VTE_VERSION": "7200"}, "osc777"),
        ({}, "osc9"),
    ],
)
def test_protocol_follows_the_terminal(env: dict[str, str], expected: str) -> None:
    assert pick_protocol(env) == expected


@settings(max_examples=150, deadline=None)
@given(st.text(), st.text())
def test_no_payload_can_escape_its_sequence(title: str, body: str) -> None:
    for sequence, head, fields in (
        (osc_title(title), f"{ESC}]2;", 1),
        (osc9(title, body), f"{ESC}]9;", 1),
        (osc777(title, body), f"{ESC}]777;notify;", 2),
    ):
        assert sequence.startswith(head)
        assert sequence.endswith(ST)
        payload = sequence[len(head) : -len(ST)]
        assert all(unicodedata.category(ch) not in ("Cc", "Cf") for ch in payload)
        if fields == 2:
            assert payload.count(";") == 1


# -- what the title says -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("snap", "expected"),
    [
        (Snap(), "Hold 7 - Knee-to-chest R 2/3"),
        (Snap(side="left", paused=True), "Paused - Hold 7 - Knee-to-chest L 2/3"),
        (Snap(side=None, rep=1, reps=1), "Hold 7 - Knee-to-chest 1/1"),
        (Snap(phase="prepare", seconds_left=4), "Get ready 4 - Knee-to-chest R 2/3"),
        (
            Snap(phase="prepare", waiting=True, seconds_left=0, phase_seconds=0),
            "Ready? - Knee-to-chest R 2/3",
        ),
        (Snap(phase="switch", seconds_left=3), "Switch sides 3 - Knee-to-chest R 2/3"),
        (
            Snap(phase="rest", rest_kind="stretch", seconds_left=12, next_label="Next: Hamstring"),
            "Rest 12 - Next: Hamstring",
        ),
        (Snap(phase="idle"), "unknot"),
        (Snap(phase="done"), "Done - unknot"),
        (Snap(stretch_name="x" * 60), "Hold 7 - " + "x" * 39 + "… R 2/3"),
        (Snap(stretch_name="\x1b]2;evil\x07"), "Hold 7 - ]2;evil R 2/3"),
    ],
)
def test_title_for(snap: Snap, expected: str) -> None:
    assert title_for(snap) == expected


# -- which cue a change gets -------------------------------------------------------------------

PREPARE = Snap(phase="prepare", rep=1, seconds_left=5, phase_seconds=5)
HOLD = Snap(phase="hold", rep=1, seconds_left=10)
HOLD_WARN = replace(HOLD, seconds_left=3, warning=True)
REST_REP = Snap(phase="rest", rest_kind="rep", rep=1, seconds_left=3, phase_seconds=3)
SWITCH = Snap(phase="switch", side="right", rep=3, seconds_left=3, phase_seconds=3, warning=True)
REST_STRETCH = Snap(phase="rest", rest_kind="stretch", side=None, seconds_left=15, phase_seconds=15)
NEXT_PREPARE = replace(PREPARE, stretch_index=1, stretch_name="Hamstring stretch")
DONE = Snap(phase="done", stretch_index=1, seconds_left=0, phase_seconds=0, elapsed=125.0)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (PREPARE, HOLD, "hold"),
        (replace(PREPARE, waiting=True), HOLD, "hold"),
        (HOLD, REST_REP, "release"),
        (HOLD, replace(PREPARE, waiting=True, rep=2), "release"),
        (replace(HOLD, rep=3), SWITCH, "switch"),
        (HOLD, REST_STRETCH, "stretch-done"),
        (HOLD, DONE, "stretch-done"),
        (HOLD, NEXT_PREPARE, "stretch-done"),  # no rest between stretches
        (REST_STRETCH, NEXT_PREPARE, None),
        (replace(HOLD, seconds_left=4), HOLD_WARN, "warning"),
        (
            replace(PREPARE, seconds_left=4),
            replace(PREPARE, seconds_left=3, warning=True),
            "warning",
        ),
        (HOLD_WARN, replace(HOLD_WARN, seconds_left=2), None),  # once per phase
        (replace(REST_REP, seconds_left=4), replace(REST_REP, seconds_left=3, warning=True), None),
        (HOLD, replace(HOLD, seconds_left=9), None),  # an ordinary tick
        (HOLD, replace(HOLD, paused=True), None),
        (replace(PREPARE, paused=True), replace(HOLD, paused=True), None),
        (Snap(phase="idle"), PREPARE, None),
        (HOLD, Snap(phase="stopped"), None),
        (DONE, DONE, None),
    ],
)
def test_cue_for_change(old: Snap, new: Snap, expected: str | None) -> None:
    assert cue_for_change(old, new) == expected


def test_a_short_switch_gets_its_start_cue_not_a_warning_on_top() -> None:
    # a 3 s switch starts inside its own last 3 seconds
    assert cue_for_change(replace(HOLD, rep=3), SWITCH) == "switch"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (replace(HOLD, rep=3), SWITCH, ("Switch to the right side", "Knee-to-chest")),
        (
            HOLD,
            replace(REST_STRETCH, next_label="Next: Hamstring stretch"),
            ("Next: Hamstring stretch", "Knee-to-chest done"),
        ),
        (HOLD, NEXT_PREPARE, ("Next: Hamstring stretch", "Knee-to-chest done")),
        (HOLD, DONE, ("Routine done", "2 stretches in 2 min 05 s")),
        (PREPARE, HOLD, None),
        (HOLD, REST_REP, None),
        (HOLD, replace(HOLD, seconds_left=3, warning=True), None),
        (DONE, DONE, None),
    ],
)
def test_notification_for(old: Snap, new: Snap, expected: tuple[str, str] | None) -> None:
    assert notification_for(old, new) == expected


# -- the app's side: writing through the driver, signals ---------------------------------------


class FakeDriver:
    def __init__(self, error: Exception | None = None) -> None:
        self.out: list[str] = []
        self.error = error

    def write(self, text: str) -> None:
        if self.error is not None:
            raise self.error
        self.out.append(text)


class FakeApp:
    def __init__(self, driver: FakeDriver | None, headless: bool = False) -> None:
        self._driver = driver
        self.is_headless = headless


def test_driver_writer_goes_through_the_driver() -> None:
    driver = FakeDriver()
    driver_writer(FakeApp(driver))("\x07")
    assert driver.out == ["\x07"]


@pytest.mark.parametrize(
    "app",
    [
        FakeApp(None),
        FakeApp(FakeDriver(), headless=True),
        FakeApp(FakeDriver(OSError(5, "Input/output error"))),
    ],
    ids=["no-driver", "headless", "terminal-gone"],
)
def test_driver_writer_writes_nothing_and_raises_nothing_without_a_terminal(app: FakeApp) -> None:
    driver_writer(app)("\x07")
    assert app._driver is None or app._driver.out == []


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no POSIX signals on this platform")
async def test_exit_signals_reach_the_callback_with_their_number() -> None:
    loop = asyncio.get_running_loop()
    got: list[int] = []
    arrived = asyncio.Event()

    def on_signal(signum: int) -> None:
        got.append(signum)
        arrived.set()

    remove = install_exit_signals(loop, on_signal, grace=None)
    try:
        for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            arrived.clear()
            os.kill(os.getpid(), sig)
            await asyncio.wait_for(arrived.wait(), HANG)
    finally:
        remove()
    assert got == [1, 15, 2]
    # removed: the loop no longer holds handlers for them
    assert not loop.remove_signal_handler(signal.SIGHUP)
    assert not loop.remove_signal_handler(signal.SIGTERM)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no POSIX signals on this platform")
async def test_removing_the_handlers_ends_the_safety_net_thread_when_no_signal_came() -> None:
    # every app run installs them: an idle safety net must not outlive the app
    def nets() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == "unknot-exit-deadline"]

    before = set(nets())
    remove = install_exit_signals(asyncio.get_running_loop(), lambda signum: None, grace=30)
    mine = [t for t in nets() if t not in before]
    assert len(mine) == 1
    remove()
    mine[0].join(HANG)
    assert not mine[0].is_alive()


class FakeWriter:
    """Stands in for Textual's WriterThread: built from a file, started, written to."""

    def __init__(self, file: Any) -> None:
        self.file = file
        self.started = False

    def start(self) -> None:
        self.started = True


class FakeTextualDriver:
    def __init__(self, fd: int) -> None:
        self._file = os.fdopen(os.dup(fd), "w")
        self._writer_thread = FakeWriter(self._file)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals on this platform")
def test_a_hung_up_terminal_is_released_so_shutdown_cannot_block() -> None:
    master, slave = os.openpty()
    driver = FakeTextualDriver(slave)
    app = FakeApp(None)
    app._driver = driver  # type: ignore[assignment]
    try:
        assert not terminal_lost(slave)
        assert release_lost_terminal(app) is False
        assert driver._writer_thread.file is driver._file  # left alone while the terminal lives
        os.close(master)  # the terminal goes away
        assert terminal_lost(slave)
        assert release_lost_terminal(app) is True
        replacement = driver._writer_thread
        assert replacement.started
        assert replacement.file.name == os.devnull
        replacement.file.close()
    finally:
        driver._file.close()
        os.close(slave)


# -- with the real engine ----------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def run_engine(routine_file: str) -> list[tuple[Any, Any]]:
    """Every (old, new) snapshot pair the app's listener would see, ticking 4 times a second."""
    from pathlib import Path

    from tui.core.engine import Engine
    from tui.routine_files.loader import load_routine

    routine = load_routine(Path(__file__).parent / "data" / "pty" / routine_file)
    clock = FakeClock()
    engine = Engine(routine, clock=clock)
    changes: list[tuple[Any, Any]] = []
    last = [engine.snapshot]

    def listener(snapshot: Any, events: Any) -> None:
        changes.append((last[0], snapshot))
        last[0] = snapshot

    engine.subscribe(listener)
    engine.start()
    for _ in range(10_000):
        if str(engine.snapshot.phase) == "done":
            break
        clock.now += 0.25
        engine.tick()
    return changes


def test_cues_of_a_whole_routine_on_the_real_engine() -> None:
    changes = run_engine("two-stretch.toml")
    cues_heard = [c for old, new in changes if (c := cue_for_change(old, new)) is not None]
    # right hold, switch, left hold, stretch done, then two holds with a rest between, done.
    # Every phase here is 3 s or shorter, so no separate warning.
    assert cues_heard == [
        "hold",
        "switch",
        "hold",
        "stretch-done",
        "hold",
        "release",
        "hold",
        "stretch-done",
    ]
    notices = [n for old, new in changes if (n := notification_for(old, new)) is not None]
    assert notices == [
        ("Switch to the left side", "Pty knee hug"),  # right first, then the left
        ("Next: Pty hamstring reach", "Pty knee hug done"),
        ("Routine done", "2 stretches in 11 s"),
    ]
    titles = {title_for(new) for _, new in changes}
    assert "Hold 2 - Pty knee hug R 1/1" in titles
    assert "Switch sides 1 - Pty knee hug L 1/1" in titles
    assert "Hold 1 - Pty hamstring reach 2/2" in titles


def test_long_holds_get_one_warning_three_seconds_before_the_end() -> None:
    changes = run_engine("long-hold.toml")
    warned = [new for old, new in changes if cue_for_change(old, new) == "warning"]
    holds = sum(1 for old, new in changes if cue_for_change(old, new) == "hold")
    assert holds == 6  # 3 reps on each side
    # every 120 s hold warns once, at 3 s left; short rests and switches do not
    assert [(str(s.phase), s.seconds_left) for s in warned] == [("hold", 3)] * 6


def test_terminal_module_does_not_load_textual() -> None:
    # plain mode and scripts use the cues without paying for (or depending on) Textual
    import subprocess
    import sys

    code = "import sys, tui.terminal.cues; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals on this platform")
def test_reset_terminal_writes_the_restore_sequences_and_the_saved_modes() -> None:
    import termios

    master, slave = os.openpty()
    driver = FakeTextualDriver(slave)
    before = termios.tcgetattr(slave)
    driver.attrs_before = before  # type: ignore[attr-defined]
    raw = list(before)
    raw[3] = raw[3] & ~termios.ECHO  # what an app in raw mode leaves behind
    termios.tcsetattr(slave, termios.TCSANOW, raw)
    app = FakeApp(None)
    app._driver = driver  # type: ignore[assignment]
    try:
        reset_terminal(app, title_saved=True)
        written = os.read(master, 4096).decode()
        assert written == RESET_TERMINAL + POP_TITLE
        assert "\x1b[?1049l" in written and "\x1b[?25h" in written and "\x1b[?1000l" in written
        assert termios.tcgetattr(slave)[3] & termios.ECHO  # echo is back
    finally:
        driver._file.close()
        os.close(slave)
        os.close(master)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no POSIX signals on this platform")
def test_a_stuck_shutdown_still_ends_with_128_plus_the_signal() -> None:
    import subprocess
    import sys

    script = (
        "import asyncio, os, signal\n"
        "from tui.terminal.exits import install_exit_signals\n"
        "async def main():\n"
        "    install_exit_signals(asyncio.get_running_loop(), lambda signum: None, grace=0.3)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    await asyncio.sleep(30)  # the app never gets round to exiting\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run([sys.executable, "-c", script], timeout=HANG, check=False)
    assert result.returncode == 128 + signal.SIGTERM


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no POSIX signals on this platform")
def test_sigterm_ends_the_process_even_when_the_event_loop_never_runs_the_handler() -> None:
    import subprocess
    import sys

    # something on the loop spins without ever yielding (Textual 8.2.8 did, laying a screen
    # out at two sizes in turn): the loop never runs on_signal, the safety net still ends it
    script = (
        "import asyncio, os, signal\n"
        "from tui.terminal.exits import install_exit_signals\n"
        "async def main():\n"
        "    install_exit_signals(asyncio.get_running_loop(), lambda signum: None, grace=0.3)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    while True:\n"
        "        pass\n"
        "asyncio.run(main())\n"
    )
    try:
        result = subprocess.run([sys.executable, "-c", script], timeout=HANG, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("SIGTERM did not end a process whose event loop was busy")
    assert result.returncode == 128 + signal.SIGTERM
