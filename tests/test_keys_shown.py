"""Every key a screen shows does what it says there (issue 14, items 7 and 8).

One rule for every screen and dialog: a key named by its footer (as Textual computes the
bindings of the screen on top), by its own notes, or, for the main screen, by the help screen's
table, does what it says when pressed there; and a key that would do nothing there is not shown.

PLACES is the table of screens: how to open each one, where its notes are, and what each key
must do. For every place the test collects the keys it shows, fails on any key the table has no
effect for, then presses each key on a fresh app and checks the effect. A dialog added later
joins the rule with one more row.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from app_memory_fakes import notices, places_kept, run_to_end, tick
from known_env import known_environment
from test_app_fakes import FakeClock, screen_text, tiny_routine, wall
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from tui.core.engine import Engine, Snapshot
from tui.core.model import Routine, Span, Stretch
from tui.core.steps import Phase
from tui.store.config import Config
from tui.store.paths import user_routines_dir
from tui.store.resume import Places, save_resume
from tui.store.sessions import SessionStore
from tui.terminal.cues import TerminalCues
from tui.ui.app import UnknotApp
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.history import HistoryScreen
from tui.ui.screens.main import MainScreen
from tui.ui.screens.pain import PainScreen
from tui.ui.screens.problems import ProblemsScreen
from tui.ui.screens.quit_confirm import QuitConfirm
from tui.ui.screens.recent_notices import RecentNotices
from tui.ui.screens.replace_routine import ReplaceRoutineScreen
from tui.ui.screens.resume_prompt import ResumePrompt
from tui.ui.screens.routine_picker import RoutinePicker
from tui.ui.screens.save_routine import SaveRoutineScreen
from tui.ui.screens.settings import SettingsScreen
from tui.ui.screens.summary import SummaryScreen
from tui.ui.screens.unsaved import UnsavedScreen
from tui.ui.widgets.keys_footer import KeysFooter

# -- reading the keys a screen names ------------------------------------------------------------

NAMED = {
    "Escape": "escape",
    "Esc": "escape",
    "Enter": "enter",
    "Space": "space",
    "Tab": "tab",
    "PgDn": "pagedown",
    "PgUp": "pageup",
    "←": "left",
    "→": "right",
    "↑": "up",
    "↓": "down",
}
CHARACTERS = {
    "?": "question_mark",
    "!": "exclamation_mark",
    ",": "comma",
    "+": "plus",
    "-": "minus",
    "[": "left_square_bracket",
    "]": "right_square_bracket",
}
_NAMED = re.compile(r"\b(?:Escape|Esc|Enter|Space|Tab|PgDn|PgUp)\b|[←→↑↓]|\bCtrl\+[A-Za-z]\b")
_SINGLE = re.compile(r"(?<![\w/.])[a-z0-9?!,+\-\[\]](?![\w])")
_RANGE = re.compile(r"\b(\d)\b[^\d\n]{0,12}?\.\.\.\s*(\d)\b")


def key_name(token: str) -> str:
    """Textual's name for a key as the screen spells it: "Esc" -> "escape", "?" ->
    "question_mark", "Ctrl+C" -> "ctrl+c"."""
    if token.lower().startswith("ctrl+"):
        return token.lower()
    return NAMED.get(token) or CHARACTERS.get(token) or token


def named_keys(text: str) -> set[str]:
    """The keys a note names, the way unknot's notes name them: "Escape: back · q: quit",
    "y / Enter: quit", "t = 10", "0 none ... 9", "press Space", "problem(s): !"."""
    keys = {key_name(m.group()) for m in _NAMED.finditer(text)}
    for m in _RANGE.finditer(text):
        keys |= {str(n) for n in range(int(m[1]), int(m[2]) + 1)}
    for m in _SINGLE.finditer(text):
        after, before = text[m.end() :], text[: m.start()]
        if re.match(r"\s*(?::|=|/\s)", after) or re.search(r"(?:press|:)\s$", before):
            keys.add(key_name(m.group()))
    return keys


def help_table_keys(app: UnknotApp) -> set[str]:
    """Every key the help screen's table names: its key column, and keys named in its words
    ("also Ctrl+Q, Ctrl+C")."""
    keys: set[str] = set()
    for column, words in app.key_help():
        keys |= {key_name(token) for token in column.split()}
        keys |= named_keys(words)
    return keys


def test_named_keys_reads_the_notes_as_a_person_does() -> None:
    assert named_keys("Escape: back · Space: again · q: quit") == {"escape", "space", "q"}
    assert named_keys("y / Enter: quit    n / Escape: keep going") == {"y", "enter", "n", "escape"}
    assert named_keys("0 none ... 9, t = 10 worst") == {*"0123456789", "t"}
    assert named_keys("Enter/→ change · ← back · Esc") == {"enter", "right", "left", "escape"}
    assert named_keys("Ready? press Space") == {"space"}
    assert named_keys("2 problem(s): !") == {"exclamation_mark"}
    assert named_keys("Escape / ? / q: close this help") == {"escape", "question_mark", "q"}
    # numbers and letters in ordinary words are not keys
    assert named_keys("11 s left · stretch 1/2\nrep 1 of 3\nbell off · a note") == set()


# -- what a key did ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """What the app looked like just before a key was pressed."""

    stack: tuple[type[Screen[Any]], ...]
    snapshot: Snapshot
    routine_id: str
    muted: bool
    list_shown: bool
    selected: int | None
    config: Config
    notices: int
    words_at: float
    """How far the stretch's words are scrolled."""

    @classmethod
    def of(cls, app: UnknotApp) -> Seen:
        return cls(
            stack=tuple(type(s) for s in app.screen_stack),
            snapshot=app.engine.snapshot,
            routine_id=app.routine.id,
            muted=app.cues.muted,
            list_shown=app.has_class("-show-list"),
            selected=app.selected,
            config=app.memory.config,
            words_at=app.detail.scroll_y,
            notices=len(app._notifications),
        )


Check = Callable[[Seen, UnknotApp], bool]


@dataclass(frozen=True)
class Effect:
    """What a key must do: `what` in words (for the failure message) and a check of it."""

    what: str
    check: Check
    size: tuple[int, int] | None = None
    """Where the key is tested, when not at the place's size (l works in narrow windows)."""


def closes(then: Check | None = None, what: str = "") -> Effect:
    def check(before: Seen, app: UnknotApp) -> bool:
        gone = len(app.screen_stack) < len(before.stack) or type(app.screen) is not before.stack[-1]
        return gone and (then is None or then(before, app))

    return Effect(f"closes the screen{what}", check)


def opens(kind: type[Screen[Any]]) -> Effect:
    return Effect(f"opens {kind.__name__}", lambda _before, app: isinstance(app.screen, kind))


EXITS = Effect("quits the app", lambda _before, app: app.return_code == 0)
ASKS_TO_QUIT = opens(QuitConfirm)


def quits_keeping_the_place() -> Effect:
    return Effect(
        "quits the app, keeping the place to resume",
        lambda _before, app: app.return_code == 0 and bool(places_kept()),
    )


def engine(what: str, moved: Callable[[Snapshot, Snapshot], bool]) -> Effect:
    return Effect(what, lambda before, app: moved(before.snapshot, app.engine.snapshot))


def _where(s: Snapshot) -> tuple[object, ...]:
    return (s.phase, s.stretch_index, s.side, s.rep, s.seconds_left)


STARTS = engine("starts the routine", lambda old, new: old.phase == Phase.IDLE != new.phase)
PAUSES = engine("pauses or resumes", lambda old, new: old.paused != new.paused)
MOVES = engine("moves in the routine", lambda old, new: _where(old) != _where(new))
MUTES = Effect("mutes or unmutes", lambda before, app: before.muted != app.cues.muted)


def plan_changes(what: str, field_name: str, sign: int) -> Effect:
    def check(before: Seen, app: UnknotApp) -> bool:
        index = app.selected or 0
        old = getattr(before.snapshot.plan[index], field_name)
        new = getattr(app.engine.snapshot.plan[index], field_name)
        return (new - old) * sign > 0

    return Effect(what, check)


def selects(step: int) -> Effect:
    return Effect(
        f"moves the selection by {step}",
        lambda before, app: app.selected == (before.selected or 0) + step,
    )


CHANGES_SETTING = Effect("changes a setting", lambda old, app: app.memory.config != old.config)


# -- the places --------------------------------------------------------------------------------


def stretch(ident: str, name: str) -> Stretch:
    return Stretch(
        id=ident,
        name=name,
        steps=(f"Do {name}.",),
        # words longer than the detail pane, for PgDn and PgUp
        tips=tuple(f"Tip {n}: breathe out slowly and let the back go soft." for n in range(14)),
        hold_seconds=Span(10, 20),
        reps=Span(2, 3),
        switch_seconds=1,
        rest_between_reps=1,
    )


def three() -> Routine:
    """Three stretches, so the selection can move both ways from the middle one."""
    return Routine(
        id="three",
        name="Three",
        stretches=(stretch("a", "Alpha"), stretch("b", "Beta"), stretch("c", "Gamma")),
        prepare_seconds=1,
        rest_seconds=1,
    )


async def no_wait(_seconds: float) -> None:
    return None


def new_app(clock: FakeClock, config: Config) -> UnknotApp:
    routine = three()
    return UnknotApp(
        routine,
        routines=(routine, tiny_routine()),
        problems=("tiny.toml, line 3: hold_seconds: not a number",),
        clock=clock,
        sleep=clock.sleep,
        wall=wall,
        cues=TerminalCues(lambda _text: None, env={}, sleep=no_wait),
        store=SessionStore(),
        config=config,
    )


Opener = Callable[[Pilot[int], FakeClock], Awaitable[None]]


async def stay(_pilot: Pilot[int], _clock: FakeClock) -> None:
    return None


async def running(pilot: Pilot[int], clock: FakeClock) -> None:
    """The routine running from the middle stretch, a second into its first hold."""
    await pilot.press("down", "space")
    await tick(pilot, clock, 2)
    app = pilot.app
    assert isinstance(app, UnknotApp) and app.engine.snapshot.phase == Phase.HOLD
    if app.detail.max_scroll_y > 2:  # the words part way, so PgDn and PgUp can both move them
        app.detail.scroll_to(y=2, animate=False)
        await pilot.pause()


@dataclass(frozen=True)
class Press:
    """An opener that presses `keys` (once the routine runs, when `running_first`): the keys
    a person types to get there, which test_keys_together.py also types in one burst."""

    keys: tuple[str, ...]
    running_first: bool = False

    async def __call__(self, pilot: Pilot[int], clock: FakeClock) -> None:
        if self.running_first:
            await running(pilot, clock)
        await pilot.press(*self.keys)
        await pilot.pause()


def press(*keys: str, running_first: bool = False) -> Press:
    return Press(keys, running_first)


async def summary(pilot: Pilot[int], clock: FakeClock) -> None:
    await pilot.press("space")
    await run_to_end(pilot, clock)
    await pilot.pause()


def saved_place() -> None:
    """A place to resume in `three`, as a quit mid-routine leaves it."""
    clock = FakeClock()
    engine_ = Engine(three(), clock=clock, sleep=clock.sleep, wall=wall)
    engine_.start(1)
    clock.advance(3)
    save_resume(three(), engine_.position())


THEIR_THREE = """\
# their own routine, which happens to be named three.toml
schema = 1
name = "My own three"

[[stretches]]
id = "reach"
name = "Reach"
steps = ["Reach up."]
hold_seconds = 3
reps = 1
"""


def their_three() -> None:
    """A routine file of the person's where `s` would save `three`: saving asks first."""
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "three.toml").write_text(THEIR_THREE, encoding="utf-8")


def routine_files() -> dict[str, str]:
    folder = user_routines_dir()
    return {p.name: p.read_text("utf-8") for p in folder.iterdir()} if folder.is_dir() else {}


def no_room_for_places() -> None:
    """The folder of places to resume cannot be made (a file has its name): a place kept at
    quit waits for the disk, and quitting asks what to do with it."""
    folder = Places.default().folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder\n", encoding="utf-8")


NO_PAIN = Config(ask_pain=False)
MAIN_KEYS: Mapping[str, Effect] = {
    "space": PAUSES,
    "enter": engine("goes to the selected stretch", lambda old, new: new.phase == Phase.PREPARE),
    "down": selects(1),
    "j": selects(1),
    "up": selects(-1),
    "k": selects(-1),
    "n": MOVES,
    "p": MOVES,
    "r": engine("restarts the stretch", lambda old, new: new.phase == Phase.PREPARE),
    "plus": plan_changes("holds longer", "hold_seconds", 1),
    "minus": plan_changes("holds shorter", "hold_seconds", -1),
    "right_square_bracket": plan_changes("one more rep", "reps", 1),
    "left_square_bracket": plan_changes("one rep fewer", "reps", -1),
    "m": MUTES,
    # the running place opens with the words scrolled part way (their tips run past the pane)
    "pagedown": Effect(
        "scrolls the stretch's words on, not the list",
        lambda before, app: (
            app.selected == before.selected and app.detail.scroll_y > before.words_at
        ),
    ),
    "pageup": Effect(
        "scrolls the stretch's words back, not the list",
        lambda before, app: (
            app.selected == before.selected and app.detail.scroll_y < before.words_at
        ),
    ),
    "l": Effect(
        "shows or hides the list",
        lambda before, app: before.list_shown != app.has_class("-show-list"),
        size=(50, 24),
    ),
    "o": opens(RoutinePicker),
    "exclamation_mark": opens(ProblemsScreen),
    "i": opens(RecentNotices),
    "h": opens(HistoryScreen),
    "s": opens(SaveRoutineScreen),
    "comma": opens(SettingsScreen),
    "question_mark": opens(HelpScreen),
    "ctrl+p": opens(CommandPalette),
    "ctrl+z": Effect(
        # with a shell to come back to it really suspends (tests/test_job_control.py, in a
        # pty); here, where `no_shell_above` leaves none, it must say so rather than do nothing
        "says there is no shell to go back to",
        lambda _before, app: "No shell here to come back to" in notices(app),
    ),
    "q": ASKS_TO_QUIT,
    "ctrl+q": ASKS_TO_QUIT,
    "ctrl+c": ASKS_TO_QUIT,
}


@dataclass(frozen=True)
class Place:
    """A screen or dialog: how to get there, and what each key it shows must do."""

    name: str
    screen: type[Screen[Any]]
    open: Opener
    effects: Mapping[str, Effect]
    config: Config = NO_PAIN
    size: tuple[int, int] = (80, 24)
    user_text: tuple[str, ...] = ()
    """Selectors of widgets that show routine or history text, not notes about keys."""
    help_table: bool = False
    """The keys of the help screen's table are the keys of this place."""
    before: Callable[[], None] | None = None
    """Run before the app starts (files it reads at start)."""


CLOSES = closes()
ANSWERED_AND_STARTS = closes(lambda _b, app: app.engine.running, " and starts the routine")
PLACES: tuple[Place, ...] = (
    Place(
        "main, idle",
        MainScreen,
        stay,
        {
            "space": STARTS,
            "question_mark": opens(HelpScreen),
            "m": MUTES,
            "q": EXITS,
            "ctrl+p": opens(CommandPalette),
            "exclamation_mark": opens(ProblemsScreen),
        },
    ),
    Place(
        "main, narrow",
        MainScreen,
        stay,
        {
            "space": STARTS,
            "question_mark": opens(HelpScreen),
            "m": MUTES,
            "q": EXITS,
            "l": MAIN_KEYS["l"],
            "exclamation_mark": opens(ProblemsScreen),
        },
        size=(50, 24),
    ),
    Place("main, running", MainScreen, running, MAIN_KEYS, help_table=True),
    Place(
        "help",
        HelpScreen,
        press("question_mark"),
        {"escape": CLOSES, "question_mark": CLOSES, "q": CLOSES},
        user_text=("#help-keys",),
    ),
    Place(
        "summary",
        SummaryScreen,
        summary,
        {
            "escape": CLOSES,
            "enter": CLOSES,
            "space": closes(lambda _b, app: app.engine.running, " and starts again"),
            "q": EXITS,
        },
        user_text=("#summary-body",),
    ),
    Place(
        "history",
        HistoryScreen,
        press("h"),
        {"escape": CLOSES, "q": CLOSES, "h": CLOSES},
        user_text=("#history-text", "#history-reading"),
    ),
    Place(
        "settings",
        SettingsScreen,
        press("comma"),
        {
            "escape": CLOSES,
            "q": CLOSES,
            **dict.fromkeys(("enter", "space", "right", "plus", "l"), CHANGES_SETTING),
            **dict.fromkeys(("left", "minus", "h"), CHANGES_SETTING),
        },
    ),
    Place(
        "problems",
        ProblemsScreen,
        press("exclamation_mark"),
        {"escape": CLOSES, "q": CLOSES, "exclamation_mark": CLOSES},
        user_text=("#problems-list",),
    ),
    Place(
        "recent notices",
        RecentNotices,
        press("i"),
        {"escape": CLOSES, "q": CLOSES, "i": CLOSES},
        user_text=("#notices-list",),
    ),
    Place(
        "routine picker",
        RoutinePicker,
        press("o", "down"),
        {
            "escape": CLOSES,
            "enter": closes(lambda _b, app: app.routine.id == "tiny", ", opening the one chosen"),
        },
    ),
    Place(
        "save",
        SaveRoutineScreen,
        press("plus", "s"),
        {
            "escape": CLOSES,
            "enter": closes(
                lambda _b, _app: (user_routines_dir() / "three.toml").exists(),
                ", saving the routine",
            ),
        },
    ),
    Place(
        "pain question",
        PainScreen,
        press("space"),
        {
            **dict.fromkeys((*"0123456789", "t", "enter", "escape"), ANSWERED_AND_STARTS),
        },
        config=Config(ask_pain=True),
    ),
    Place(
        "resume offer",
        ResumePrompt,
        press(),
        {
            "enter": closes(lambda _b, app: app.engine.snapshot.phase == Phase.HOLD, ", resuming"),
            "y": closes(lambda _b, app: app.engine.snapshot.phase == Phase.HOLD, ", resuming"),
            "escape": closes(lambda _b, app: not places_kept(), ", starting over"),
            "n": closes(lambda _b, app: not places_kept(), ", starting over"),
        },
        user_text=(".dialog-title",),
        before=saved_place,
    ),
    Place(
        "quit confirm",
        QuitConfirm,
        press("q", running_first=True),
        {
            "y": quits_keeping_the_place(),
            "enter": quits_keeping_the_place(),
            "q": quits_keeping_the_place(),
            "ctrl+q": quits_keeping_the_place(),
            "ctrl+c": quits_keeping_the_place(),
            "n": closes(lambda _b, app: app.engine.running, ", the routine still running"),
            "escape": closes(lambda _b, app: app.engine.running, ", the routine still running"),
        },
    ),
    Place("command palette", CommandPalette, press("ctrl+p"), {"escape": CLOSES}),
    Place(
        "replace routine",
        ReplaceRoutineScreen,
        press("plus", "s", "enter"),
        {
            "y": closes(
                lambda _b, _app: (
                    routine_files()["three.toml"] != THEIR_THREE
                    and any(name.startswith("three.toml.replaced-") for name in routine_files())
                ),
                ", replacing the file and keeping the old one beside it",
            ),
            **dict.fromkeys(
                ("n", "escape"),
                closes(
                    lambda _b, _app: routine_files() == {"three.toml": THEIR_THREE},
                    ", leaving the file alone",
                ),
            ),
        },
        user_text=("#replace-file", "#replace-holds"),
        before=their_three,
    ),
    Place(
        "unsaved at quit",
        UnsavedScreen,
        press("q", "y", running_first=True),
        {
            **dict.fromkeys(
                ("y", "enter", "q"),
                Effect(
                    "quits, a copy of what waits to be kept as the app ends",
                    lambda _b, app: (
                        app.return_code == 0
                        and app.memory.store is not None
                        and app.memory.store.waiting > 0
                    ),
                ),
            ),
            **dict.fromkeys(
                ("n", "escape"),
                closes(lambda _b, app: app.is_running, ", staying in the app"),
            ),
        },
        user_text=("#unsaved-what",),
        before=no_room_for_places,
    ),
)


def footer_keys(app: UnknotApp) -> list[str]:
    """The keys the footer on screen shows now: the top screen's own footer, or the main one
    (which lists the keys of the screen on top too), as drawn."""
    footers = app.screen.query(KeysFooter)
    footer = footers.first() if footers else app.footer
    keys, palette = footer.entries()
    drawn = str(footer.render())
    shown = [entry for entry in (*keys, palette) if entry is not None]
    for entry in shown:
        assert f"{entry.display} {entry.description}" in drawn, (entry, drawn)
    return [entry.key for entry in shown]


def computed_keys(app: UnknotApp) -> set[str]:
    """The keys Textual computes as shown for the screen on top."""
    return {key for key, active in app.screen.active_bindings.items() if active.binding.show}


def notes(app: UnknotApp, place: Place) -> str:
    """The words of the place that can name keys: its labels, not routine or history text."""
    if place.screen is MainScreen:
        return f"{app.timer.text}\n{app.heading.status}"
    skip = [w for selector in place.user_text for w in app.screen.query(selector)]
    return "\n".join(
        str(widget.render()) for widget in app.screen.query(Static) if widget not in skip
    )


def shown_keys(app: UnknotApp, place: Place) -> dict[str, str]:
    """Every key the place shows, with where it is shown."""
    where: dict[str, str] = {}
    for key in footer_keys(app):
        where.setdefault(key, "footer")
    for key in computed_keys(app):
        where.setdefault(key, "footer (Textual's bindings of the screen on top)")
    for key in named_keys(notes(app, place)):
        where.setdefault(key, "note")
    if place.help_table:
        for key in help_table_keys(app):
            where.setdefault(key, "help screen")
    return where


# -- the walk: every key of every place ---------------------------------------------------------
#
# Each key is pressed on an app that is at its place exactly as a fresh one is: the first key
# on a fresh app, each later key on the same app only once it has been brought back (closing
# what the key before opened, then opening the place again) to a State equal to the one it had
# when fresh. A key that leaves anything behind (a setting, a file, a notice, the routine moved,
# the app gone) gets the next key a fresh app. So no key can pass thanks to what another left.


@dataclass(frozen=True)
class State:
    """All of the app a key could leave changed behind it, for telling an app brought back to
    its place from a fresh one: what Seen holds, every cell of the screen with its style,
    the focus, every notice, every file in the home folder, the clock."""

    seen: Seen
    drawn: tuple[tuple[tuple[str, str], ...], ...]
    focused: str
    said: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...]
    now: float
    list_at: float

    @classmethod
    def of(cls, app: UnknotApp, clock: FakeClock) -> State:
        home = Path.home()
        strips = app.screen._compositor.render_strips()
        return cls(
            seen=Seen.of(app),
            drawn=tuple(
                tuple((segment.text, str(segment.style)) for segment in strip) for strip in strips
            ),
            focused=repr(app.focused),
            said=tuple(n.message for n in app._notifications),
            files=tuple(
                (str(path.relative_to(home)), path.read_bytes())
                for path in sorted(home.rglob("*"))
                if path.is_file()
            ),
            now=clock(),
            list_at=app.stretch_list.scroll_y,
        )


def opener_parts(place: Place) -> tuple[Opener, tuple[str, ...]]:
    """The place's way in as (what gets the main screen ready, the keys that open the place
    from there): the keys are what a reused app presses again to come back."""
    if isinstance(place.open, Press):
        return (running if place.open.running_first else stay), place.open.keys
    return place.open, ()


@dataclass
class Walk:
    """What walking a place's keys found: a line for each key that did not do what it says,
    and how many apps it took."""

    failures: list[str]
    apps: int = 0


async def walk(place: Place, homes: Path, monkeypatch: pytest.MonkeyPatch) -> Walk:
    """Press every key of `place` (see above); check the keys it shows on the first app."""
    found = Walk([])
    sizes: dict[tuple[int, int], list[str]] = {place.size: []}  # the keys shown: at its size
    for key in sorted(place.effects):
        sizes.setdefault(place.effects[key].size or place.size, []).append(key)
    for size, keys in sizes.items():
        left = list(keys)
        while found.apps == 0 or left:
            found.apps += 1
            fresh_home(monkeypatch, homes / f"app-{found.apps}")
            await keys_on_one_app(place, size, left, found)
    return found


def fresh_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Every folder the app uses, empty, under `home`: each app starts from the same files."""
    monkeypatch.setenv("HOME", str(home))
    for name, value in known_environment(home).items():
        if name.startswith("XDG_"):
            monkeypatch.setenv(name, value)


async def keys_on_one_app(
    place: Place, size: tuple[int, int], left: list[str], found: Walk
) -> None:
    """Press the keys of `left` on one fresh app while it can be brought back to its place,
    taking each key pressed off `left`."""
    if place.before is not None:
        place.before()
    clock = FakeClock()
    app = new_app(clock, place.config)
    ready, keys = opener_parts(place)
    async with app.run_test(size=size) as pilot:
        await ready(pilot, clock)
        await pilot.pause()
        depth, base = len(app.screen_stack), State.of(app, clock)
        if keys:
            await pilot.press(*keys)
            await pilot.pause()
        if not isinstance(app.screen, place.screen):
            found.failures.append(f"{place.name}: could not open it; on top: {app.screen}")
            left.clear()
            return
        fresh = State.of(app, clock)
        if found.apps == 1:
            found.failures += check_shown_keys(app, place)
        while left:
            key = left.pop(0)
            failure = await press_and_check(pilot, place, key)
            if failure is not None:
                found.failures.append(failure)
            if not await brought_back(pilot, clock, depth, base, keys, fresh):
                return


async def press_and_check(pilot: Pilot[int], place: Place, key: str) -> str | None:
    """Press `key` at `place`; what went wrong, or None."""
    app = pilot.app
    assert isinstance(app, UnknotApp)
    effect = place.effects[key]
    before = Seen.of(app)
    shown_before = screen_text(app)
    await pilot.press(key)
    if app.return_code is None:
        await pilot.pause()
    after = Seen.of(app) if app.return_code is None else None
    if effect.check(before, app) and after != before:
        return None
    shown_after = screen_text(app) if app.return_code is None else "(the app exited)"
    return (
        f"{place.name}: {key} should {effect.what}, but did not.\n"
        f"before:\n{shown_before}\nafter:\n{shown_after}"
    )


async def brought_back(
    pilot: Pilot[int],
    clock: FakeClock,
    depth: int,
    base: State,
    keys: tuple[str, ...],
    fresh: State,
) -> bool:
    """Close what the last key opened (Escape, as a person would), then open the place again:
    whether the app is now as it was when fresh (else the next key needs a fresh app). The
    main screen is compared too before the place is opened again, which spares opening it
    when the key changed something there."""
    app = pilot.app
    assert isinstance(app, UnknotApp)
    for _ in range(3):
        if app.return_code is not None or len(app.screen_stack) <= depth:
            break
        await pilot.press("escape")
        await pilot.pause()
    if app.return_code is not None or State.of(app, clock) != base:
        return False
    if keys:
        await pilot.press(*keys)
        await pilot.pause()
    return app.return_code is None and State.of(app, clock) == fresh


@pytest.mark.parametrize("place", PLACES, ids=[place.name for place in PLACES])
async def test_every_key_shown_does_what_it_says(
    place: Place, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For each place: every key it shows has an effect in its row of PLACES, and each key of
    the row does that, pressed at the place as a fresh app has it."""
    found = await walk(place, tmp_path, monkeypatch)
    assert not found.failures, "\n\n".join(found.failures)


def keys_failed(found: Walk) -> list[str]:
    """The keys a walk found not doing what they say (not what it found about the keys shown)."""
    return [line.split(" should ")[0] for line in found.failures if " should " in line]


async def test_a_key_never_passes_on_what_the_key_before_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk's reuse of an app is safe: here `question_mark` passes only on a muted app,
    which a fresh one is not, and `m` (pressed just before it) mutes. The walk must start a
    fresh app for `question_mark`, and so fail it; keys that leave nothing behind share one."""
    finds_muted = Effect(
        "opens the help on a muted app",
        lambda _before, app: app.cues.muted and isinstance(app.screen, HelpScreen),
    )
    leaky = Place("main, idle", MainScreen, stay, {"m": MUTES, "question_mark": finds_muted})
    found = await walk(leaky, tmp_path / "leaky", monkeypatch)
    assert (found.apps, keys_failed(found)) == (2, ["main, idle: question_mark"])
    clean = Place(
        "main, idle",
        MainScreen,
        stay,
        {"question_mark": opens(HelpScreen), "exclamation_mark": opens(ProblemsScreen)},
    )
    found = await walk(clean, tmp_path / "clean", monkeypatch)
    # no false failure; whether the two keys shared one app is a matter of speed only (under a
    # load of 8 the proof that the app was back failed once, and a fresh app was started)
    assert keys_failed(found) == [] and found.apps <= 2


def check_shown_keys(app: UnknotApp, place: Place) -> list[str]:
    """What is wrong with the keys `place` shows on `app`, just opened: keys with no effect in
    its row, or a footer listing keys of the screen underneath."""
    shown = shown_keys(app, place)
    seen_text = screen_text(app)
    unknown = {key: where for key, where in shown.items() if key not in place.effects}
    wrong = []
    if unknown:
        wrong.append(f"{place.name} shows keys with no effect to check: {unknown}\n{seen_text}")
    if place.screen is not MainScreen and not set(footer_keys(app)) <= computed_keys(app):
        # the footer lists the keys of the screen on top, not those of the main screen
        wrong.append(
            f"{place.name}: footer {footer_keys(app)} but {computed_keys(app)}\n{seen_text}"
        )
    return wrong


UNDER_THE_QUIT_QUESTION = {
    "main": (),
    "help": ("question_mark",),
    "history": ("h",),
    "settings": ("comma",),
    "problems": ("exclamation_mark",),
    "routine picker": ("o",),
    "save": ("s",),
    "command palette": ("ctrl+p",),
}


@pytest.mark.parametrize(
    ("underneath", "keys"),
    [
        *[(name, ("ctrl+c", "ctrl+c")) for name in UNDER_THE_QUIT_QUESTION],
        ("main", ("ctrl+q", "ctrl+q")),
        ("save", ("ctrl+q", "ctrl+q")),
        ("help", ("ctrl+c", "ctrl+q")),
    ],
)
async def test_ctrl_c_again_at_the_quit_question_quits_keeping_the_place(
    underneath: str, keys: tuple[str, str]
) -> None:
    """Issue 14, item 8: the second Ctrl+C (or Ctrl+Q) is the surest yes there is."""
    clock = FakeClock()
    app = new_app(clock, NO_PAIN)
    async with app.run_test(size=(80, 24)) as pilot:
        await running(pilot, clock)
        await pilot.press(*UNDER_THE_QUIT_QUESTION[underneath])
        await pilot.pause()
        opened = type(app.screen).__name__
        await pilot.press(keys[0])
        await pilot.pause()
        assert isinstance(app.screen, QuitConfirm), f"over {opened}:\n{screen_text(app)}"
        await pilot.press(keys[1])
        if app.return_code is None:
            await pilot.pause()
        seen = screen_text(app) if app.return_code is None else ""
    assert app.return_code == 0, f"{keys[1]} at the quit question over {opened}:\n{seen}"
    assert app.engine.snapshot.phase == Phase.STOPPED
    assert bool(places_kept())  # the place is kept, as y keeps it


async def test_the_palette_names_the_keys_that_do_the_same() -> None:
    """The palette's "Key: n" beside an action: on the main screen, that key runs it."""
    from tui.ui.commands import UnknotCommands

    app = new_app(FakeClock(), NO_PAIN)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        provider = UnknotCommands(app.screen)
        wrong, named = [], 0
        for words, command, where in provider._commands():
            if not where.startswith("Key: "):
                continue
            named += 1
            key = key_name(where.removeprefix("Key: "))
            action = getattr(command, "__name__", "").removeprefix("action_")
            bound = {b.action for b in app._bindings.key_to_bindings.get(key, [])}
            if action not in bound:
                wrong.append(f"{words!r} says {where!r}, but {key} runs {bound or 'nothing'}")
        assert named >= 10 and not wrong, "\n".join(wrong)


@pytest.mark.parametrize("opens", ["comma", "question_mark", "exclamation_mark", "o", "ctrl+p"])
async def test_quitting_in_the_burst_that_opened_a_dialog_raises_nothing(opens: str) -> None:
    """A dialog adds its footer once mounted; a quit in the same read of keys (a mashed key)
    may have begun to take the app down by then."""
    app = new_app(FakeClock(), NO_PAIN)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("q", opens):  # both queued before either is handled: quits, then opens
            app.post_message(events.Key(key, None))
        await pilot.pause()
    assert app.return_code == 0


@pytest.fixture(autouse=True)
def no_shell_above(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a shell could continue a stopped test run depends on how pytest was started;
    here there is never one, so Ctrl+Z has one outcome to check."""
    monkeypatch.setattr("tui.terminal.job_control.shell_can_continue", lambda: False)
