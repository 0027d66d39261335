"""The `unknot` command: check, list and run routines.

Start-up is kept light (the person is waiting, often over SSH): Textual is only imported by
`_launch_app`, when the app actually starts. Nothing here lets a traceback reach the person:
problems with routine files are printed one per line, usage errors exit 2, failed checks 1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from tui import __version__
from tui.core.model import (
    ROUTINE_ID_PATTERN,
    Routine,
    Source,
    Stretch,
    format_duration,
    routine_seconds,
    stretch_seconds,
)
from tui.core.problems import Problem
from tui.core.textclean import clean_for_terminal
from tui.routine_files.catalog import Catalog, discover, discover_listings, looks_like_path, resolve
from tui.routine_files.loader import ROUTINE_SUFFIX, RoutineError
from tui.store.paths import builtin_dir, tilde, user_routines_dir

if TYPE_CHECKING:
    import argparse
    from datetime import datetime

    from tui.store.config import Config
    from tui.store.history.report import RoutinePlan

DEFAULT_ROUTINE_ID = "back-spasm-relief"

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; `unknot` alone means `unknot run`."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="unknot",
        description="A keyboard-only coach for stretching a sore or spasming lower back.",
        epilog="With no command, unknot runs the back-spasm routine (like `unknot run`).",
    )
    parser.add_argument("--version", action="version", version=f"unknot {__version__}")
    _add_cue_options(parser, default=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check routine files and report every problem",
        description="Check routine files. With no FILE, check every routine unknot would find.",
    )
    check.add_argument("files", nargs="*", type=Path, metavar="FILE", help="a file or folder")

    listing = commands.add_parser(
        "list",
        help="list every routine with its source and duration",
        description="List the built-in routines, yours, and any named here.",
    )
    listing.add_argument(
        "files", nargs="*", type=Path, metavar="FILE", help="more routine files or folders"
    )

    run = commands.add_parser(
        "run",
        help="start a routine (the default command)",
        description="Start a routine, named by its id (see `unknot list`) or by a file path.",
    )
    run.add_argument("routine", nargs="?", metavar="ROUTINE", help="an id or a path")
    _add_cue_options(run, default=argparse.SUPPRESS)
    history = commands.add_parser(
        "history",
        help="show the sessions done: days in a row, minutes, how the back felt",
        description="Show the recorded sessions: days in a row, this week, total minutes, a "
        "chart of the last weeks and the pain scores before and after.",
    )
    history.add_argument("--json", action="store_true", help="print it all as JSON, for scripts")
    _add_days_commands(commands)
    _add_reach_commands(commands)
    return parser


def _add_days_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """due and report (issue 17): a nudge for the shell prompt, and a report for a clinician."""
    due = commands.add_parser(
        "due",
        help="say whether a session is due now (for a shell prompt)",
        description="Print one line and exit 0 while a session of the routine you use is due "
        "now; print nothing and exit 1 when today's plan is met or nothing is due. A problem "
        "is one line on standard error and exit 2.",
    )
    due.add_argument("--quiet", action="store_true", help="print nothing; the exit status says")
    report = commands.add_parser(
        "report",
        help="write a report of the sessions for a clinician (HTML, Markdown or CSV)",
        description="Write a report of the sessions done: pain before and after, minutes and "
        "sessions per day against the plan, holds per stretch and side, the plan and the "
        "list of sessions. HTML goes to a file (named unknot-report-DATE.html in the current "
        "folder unless --output says); Markdown and CSV to standard output.",
    )
    report.add_argument(
        "--since",
        metavar="30d|YYYY-MM-DD",
        help="the first day: a number of days back (30d: the last 30 days, today included) "
        "or a date (default: the first session)",
    )
    report.add_argument(
        "--routine",
        metavar="ID",
        help="the routine whose plan the report measures (default: the one you use)",
    )
    report.add_argument("--format", choices=("html", "md", "csv"), default="html")
    report.add_argument(
        "--output", metavar="FILE", type=Path, help="write to FILE (never over a file there)"
    )
    report.add_argument(
        "--force", action="store_true", help="with --output: replace a file already there"
    )


def _add_reach_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """serve, schema and new (issue 8): the app in a browser, and help for writing routines."""
    from tui.serve import DEFAULT_HOST, DEFAULT_PORT

    serve = commands.add_parser(
        "serve",
        help="serve the app to a web browser (textual-serve)",
        description="Serve the app to a web browser. Only this machine can connect unless "
        "--host says otherwise; anyone who can reach that address can then use it.",
    )
    serve.add_argument("routine", nargs="?", metavar="ROUTINE", help="an id or a path")
    serve.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})"
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    commands.add_parser(
        "schema",
        help="print the JSON Schema of routine files (for editors)",
        description="Print the JSON Schema (draft 2020-12) of routine format 1.",
    )
    new = commands.add_parser(
        "new",
        help="write a commented template routine to your routines folder",
        description="Write NAME.toml, a commented template, to your routines folder "
        "(never over an existing file) and print its path.",
    )
    new.add_argument("name", metavar="NAME", help="the new routine's id: a-z, 0-9 and '-'")
    figure = commands.add_parser(
        "figure",
        help="print a stretch's figure as text",
        description="Print the figure of a stretch as plain text: the held pose of its first "
        "side, 60x20 characters, unless told otherwise.",
    )
    figure.add_argument("stretch", metavar="STRETCH", help="a stretch's id (or name)")
    figure.add_argument("--routine", metavar="ID", help="an id or a path (default: as `run`)")
    figure.add_argument("--side", choices=("right", "left"), help="default: the first side")
    figure.add_argument("--size", metavar="COLSxROWS", help="from 20x6 to 200x60 (default 60x20)")
    figure.add_argument(
        "--at", choices=("start", "held"), default="held", help="the moment (default held)"
    )
    figure.add_argument(
        "--chars",
        choices=("braille", "blocks"),
        default="braille",
        help="braille dots (default) or half blocks",
    )


def _add_cue_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--no-bell and --notify, accepted before or after `run` (SUPPRESS keeps the first value)."""
    parser.add_argument(
        "--no-bell",
        action="store_true",
        default=default,
        help="never ring the terminal bell",
    )
    parser.add_argument(
        "--notify",
        action="store_true",
        default=default,
        help="also send desktop notifications (OSC 9/777) at the end of holds",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        default=default,
        help="one line of text per event, no full screen: for screen readers, braille and logs "
        "(chosen by itself when TERM is dumb or unset, or output is not a terminal)",
    )
    from tui.terminal.speech import SPEAK_HELP

    parser.add_argument("--speak", action="store_true", default=default, help=SPEAK_HELP)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status; never raises (SystemExit aside)."""
    try:
        code = _main(argv)
    except RoutineError as error:
        _print_problems(error.problems, sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:
        # the reader went away (`unknot list | head`): stop quietly, and keep Python's
        # final flush from complaining about the closed pipe
        _silence_stdout()
        return EXIT_PROBLEMS
    except OSError as error:
        _err(f"unknot: {clean_for_terminal(str(error))}")
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    return _flushed(code)


def _flushed(code: int) -> int:
    """`code`, once what is still buffered for standard output (and error) has gone out.

    When it cannot (the reader of a pipe left, or the terminal hung up: a dropped SSH
    connection), it is dropped, so that Python's own flush at exit does not fail again and turn
    the status into 120: a command that ended well fails (EXIT_PROBLEMS), one that ended by a
    signal keeps 128 + its number. Nobody is left to tell.
    """
    if sys.stderr is not None:  # None: started with that stream closed
        try:
            sys.stderr.flush()
        except OSError:
            _silence(sys.stderr)
    if sys.stdout is None:
        return code
    try:
        sys.stdout.flush()
    except OSError:
        _silence_stdout()
        return code or EXIT_PROBLEMS
    return code


def quick_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """`unknot` and `unknot run [ROUTINE]` without the parser, else None.

    These are nearly every start, and argparse with its translations costs milliseconds of
    every one; anything else (an option, another command) goes through the parser as before.
    """
    if not argv:
        return _namespace(command=None)
    if argv[0] == "run" and len(argv) <= 2 and not any(arg.startswith("-") for arg in argv[1:]):
        return _namespace(command="run", routine=argv[1] if len(argv) == 2 else None)
    if argv[0] == "due" and list(argv[1:]) in ([], ["--quiet"]):  # at every shell prompt
        return _namespace(command="due", quiet=len(argv) == 2)
    return None


def _namespace(**values: object) -> argparse.Namespace:
    """What the parser gives for these arguments: every option off (a test holds them equal)."""
    from types import SimpleNamespace

    options = {"no_bell": False, "notify": False, "plain": False, "speak": False}
    return cast("argparse.Namespace", SimpleNamespace(**options, **values))


def _main(argv: Sequence[str] | None) -> int:
    args = quick_args(sys.argv[1:] if argv is None else argv)
    if args is None:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as stop:  # --help, --version and usage errors
            return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    handlers: dict[str | None, Callable[[argparse.Namespace], int]] = {
        "check": _check,
        "list": _list,
        "run": _run,
        None: _run,
        "history": _history,
        "due": _due,
        "report": _report,
        "serve": _serve,
        "schema": _schema,
        "new": _new,
        "figure": _figure,
    }
    return handlers[args.command](args)


# ---------------------------------------------------------------------------------------------
# check


def _check(args: argparse.Namespace) -> int:
    if args.files:
        catalog = Catalog()
        for path in args.files:
            catalog.add_path(path, "file")
    else:
        catalog = discover()
    _print_problems(catalog.problems, sys.stdout)
    _print_schedule_notes(catalog)
    good = catalog.loaded
    if catalog.problems:
        files = len({p.path for p in catalog.problems})
        print(
            f"{_count(len(catalog.problems), 'problem')} in {_count(files, 'file')}; "
            f"{_count(good, 'routine')} OK"
        )
        return EXIT_PROBLEMS
    if good == 0:
        print("no routine files found")
        return EXIT_PROBLEMS
    print(f"{_count(good, 'routine')} OK")
    return EXIT_OK


def _print_schedule_notes(catalog: Catalog) -> None:
    """Where a routine's progression takes a stretch past its recommended range: allowed (a
    maximum written on purpose), and said, as the plan line says it when it happens."""
    with_schedule = [r for r in catalog.ordered() if r.schedule is not None]
    if not with_schedule:
        return
    from tui.core.problems import field_name, shown_path
    from tui.core.progress import past_range_notes
    from tui.core.schedule import schedule_of

    for routine in with_schedule:
        where = shown_path(routine.path) if routine.path is not None else routine.id
        for note in past_range_notes(schedule_of(routine), routine.stretches):
            problem = Problem(where, None, field_name(note.where), f"note: {note.message}")
            print(clean_for_terminal(str(problem)))


# ---------------------------------------------------------------------------------------------
# list


def _list(args: argparse.Namespace) -> int:
    catalog = discover_listings(args.files)  # no stretches needed: the cache's index suffices
    routines = catalog.ordered()
    if routines:
        rows = [
            (r.id, r.source, str(r.stretches), format_duration(r.seconds), r.name) for r in routines
        ]
        header = ("ID", "SOURCE", "STRETCHES", "DURATION", "NAME")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
        for row, routine in zip([header, *rows], [None, *routines], strict=True):
            print(
                f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  "
                f"{row[3]:>{widths[3]}}  {row[4]}".rstrip()
            )
            if routine is not None and routine.overrides:
                print(f"  (overrides {clean_for_terminal(routine.overrides)})")
    else:
        print(f"no routines found (built-in folder: {_shown(builtin_dir())})")
    print(f"\nYour own routines go in {_shown(user_routines_dir())}")
    if catalog.problems:
        _err("")
        _print_problems(catalog.problems, sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# run


def _run(args: argparse.Namespace) -> int:
    ref: str | None = getattr(args, "routine", None)
    early = None if _plain_wanted(args) else _early_catalog(ref)
    catalog = early if early is not None else discover()
    routine = resolve(catalog, ref) if ref else None
    return _launch_app(routine, catalog, args)


def _plain_wanted(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "plain", False)) or _plain_reason() is not None


def _plain_reason() -> str | None:
    return plain_reason(os.environ, sys.stdout, sys.stdin, sys.stderr)


def plain_reason(
    env: Mapping[str, str],
    stdout: TextIO | None,
    stdin: TextIO | None,
    stderr: TextIO | None,
) -> str | None:
    """Why the full-screen app cannot run here (so plain mode starts by itself), or None.

    The full-screen app reads its keys from standard input and draws on standard error: both
    must be terminals. Plain mode writes to standard output, which a person who pipes it
    (`unknot run | tee log`) wants as plain lines; a closed one is no such wish (and plain
    mode could not write there: see `closed_streams`).
    """
    if env.get("TEXTUAL_DRIVER"):
        return None  # driven by textual-serve or another Textual driver: not a terminal matter
    term = env.get("TERM", "")
    if term in ("", "dumb"):
        what = "TERM is not set" if not term else "TERM is dumb"
        return f"{what}, so the routine runs in plain line mode (--plain)."
    if stdout is not None and not _is_terminal(stdout):
        return "output is not a terminal, so the routine runs in plain line mode (--plain)."
    if not _is_terminal(stdin):
        what = "closed" if stdin is None else "not a terminal"
        return f"input is {what} (no keys to read), so the routine runs in plain line mode."
    if not _is_terminal(stderr):
        what = "closed" if stderr is None else "not a terminal"
        return (
            f"standard error, where the screen is drawn, is {what}, "
            "so the routine runs in plain line mode."
        )
    return None


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _closed_stream() -> str | None:
    """The closed standard stream the full-screen app cannot do without, named for a person.

    Only under a TEXTUAL_DRIVER (plain mode is chosen for the others): Textual's drivers read
    keys from standard input, and draw on standard error, or standard output for textual-serve's
    web driver. Without them Textual printed a traceback, or hung with nothing drawn.
    """
    web = "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")
    screen = ("standard output", sys.stdout) if web else ("standard error", sys.stderr)
    for name, stream in (("standard input", sys.stdin), screen):
        if stream is None:
            return name
    return None


def _early_catalog(ref: str | None) -> Catalog | None:
    """Just the routine to start, read before the first frame; None when only every file can
    tell (an unknown id, a broken file): then discover() reads them all, as it always did.

    The app reads the whole catalog after its first frame (with a thousand routine files that
    took seconds). The files are read in discover()'s order, so a person's file overrides the
    built-in one of its id, and a broken one leaves the built-in one in place, as there.
    """
    from tui.store.config import load_config
    from tui.store.sessions import read_last_routine

    if ref is not None and looks_like_path(ref):
        return Catalog(partial=True)  # a file: resolve() reads it, nothing else is needed first
    config = load_config().config
    last = read_last_routine()
    wanted = [ref] if ref else start_order(config, last)
    catalog = Catalog(partial=True)  # no cache: reading it costs more than these few files
    folders: tuple[tuple[Path, Source], ...] = (
        (builtin_dir(), "built-in"),
        (user_routines_dir(), "user"),
    )
    for routine_id in wanted:
        if not ROUTINE_ID_PATTERN.match(routine_id):
            continue
        for folder, source in folders:
            path = folder / (routine_id + ROUTINE_SUFFIX)
            if path.is_file():
                catalog.add_file(path, source)
    found = catalog.get(ref) if ref else start_routine(catalog, config, last)
    return catalog if found is not None else None


def _serve(args: argparse.Namespace) -> int:
    from tui.serve import serve

    if args.routine:
        resolve(discover(), args.routine)  # a bad name fails here, not in every browser tab
    run_args = [args.routine] if args.routine else []
    for flag in ("no_bell", "notify"):
        if getattr(args, flag, False):
            run_args.insert(0, "--" + flag.replace("_", "-"))
    return serve(run_args, host=args.host, port=args.port)


def _schema(args: argparse.Namespace) -> int:
    from tui.routine_files.json_schema import schema_text

    sys.stdout.write(schema_text())
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from tui.routine_files.json_schema import shipped_schema_path
    from tui.routine_files.template import TemplateError, write_template

    schema = shipped_schema_path(builtin_dir())
    try:
        path = write_template(
            args.name, user_routines_dir(), schema.as_uri() if schema.is_file() else None
        )
    except TemplateError as error:
        _err(f"unknot new: {clean_for_terminal(str(error))}")
        return EXIT_PROBLEMS
    print(path)
    return EXIT_OK


def _figure(args: argparse.Namespace) -> int:
    from tui.figure_command import (
        FigureMissing,
        FigureRequest,
        FigureUsageError,
        chosen_routine,
        figure_of,
        parse_size,
    )

    request = FigureRequest(args.stretch, args.routine, args.side, args.size, args.at, args.chars)
    try:
        if request.size is not None:
            parse_size(request.size)  # a bad size says so before any file is read
        catalog = discover()
        routine = chosen_routine(catalog, request.routine, default_routine(catalog))
        text = figure_of(routine, request)
    except FigureUsageError as error:
        _err(f"unknot figure: {clean_for_terminal(str(error))}")
        return EXIT_USAGE
    except FigureMissing as error:
        _err(f"unknot figure: {clean_for_terminal(str(error))}")
        return EXIT_PROBLEMS
    print(text)
    return EXIT_OK


def _launch_app(routine: Routine | None, catalog: Catalog, args: argparse.Namespace) -> int:
    """Start the app on `routine` (None: the person did not name one); its exit status.

    A partial catalog holds only the routine to start: the app reads the others after its
    first frame."""
    from tui.store.config import load_config

    settings = load_config()
    chosen = routine or start_routine(catalog, settings.config)
    if chosen is None:
        _err("unknot: no routines found; `unknot check` says why")
        _print_problems(catalog.problems, sys.stderr)
        return EXIT_PROBLEMS
    reason = None if getattr(args, "plain", False) else _plain_reason()
    if reason is not None or getattr(args, "plain", False):
        if sys.stdout is None:
            _err("unknot: standard output is closed, and plain line mode writes there.")
            return EXIT_PROBLEMS
        if reason is not None:
            _err(f"unknot: {reason}")  # on standard output when standard error is closed
        from tui.plain import run_plain

        return run_plain(chosen, catalog, args)
    closed = _closed_stream()
    if closed is not None:
        _err(f"unknot: {closed} is closed, and the app cannot run without it.")
        return EXIT_PROBLEMS
    from tui.store.sessions import SessionStore
    from tui.ui.app import UnknotApp  # Textual only loads when the app really starts

    speaker = speech = None
    if _wants_speech(args):  # tui.terminal.speech is only loaded for speech (start-up time)
        from tui.terminal.speech import make_speaker, speech_listener

        speaker = make_speaker(_err)
        speech = speech_listener(speaker) if speaker is not None else None
    config = settings.config
    named_file = chosen.path if chosen.source == "file" else None

    def reload() -> Catalog:
        fresh = discover()
        if named_file is not None:
            fresh.add_path(named_file, "file")
        return fresh

    app = UnknotApp(
        chosen,
        routines=reload().ordered()
        if named_file is not None and not catalog.partial
        else catalog.ordered(),
        problems=[str(problem) for problem in catalog.problems],
        bell=config.bell and not getattr(args, "no_bell", False),
        notify=config.notify or bool(getattr(args, "notify", False)),
        speech=speech,
        store=SessionStore(),
        config=config,
        config_problems=[str(problem) for problem in settings.problems],
        reload=reload,
        catalog_later=catalog.partial,
    )
    if speaker is not None:
        # stderr is the app's screen once it runs: a failing speaker is told in a notice
        speaker.on_error = lambda message: app.notify(message, markup=False, severity="warning")
    try:
        app.run()
    finally:
        if speaker is not None:
            speaker.close(grace=0 if (app.return_code or 0) >= 128 else 3.0)
        _last_words(app.memory.last_words, app.memory.last_data)
    return app.return_code or (EXIT_PROBLEMS if app.memory.unsaved_at_end else EXIT_OK)


def _last_words(words: Sequence[str], data: str) -> None:
    """What the app could not save, said once the screen is restored: the words on standard
    error, data no folder took on standard output. A terminal that is gone (a dropped
    connection) is fine: the copies are on disk."""
    try:
        for line in words:
            print(line, file=sys.stderr)
        if data:
            sys.stdout.write(data)
            sys.stdout.flush()
    except (OSError, ValueError):
        pass


def _wants_speech(args: argparse.Namespace) -> bool:
    """--speak, or speak = true in the settings."""
    if getattr(args, "speak", False):
        return True
    from tui.store.config import load_config

    return load_config().config.speak


def start_order(config: Config, last: str | None) -> list[str]:
    """The ids to try, in order, when no routine is named: the one used last, the setting's,
    then the back-spasm one."""
    return list(dict.fromkeys(filter(None, (last, config.start_routine, DEFAULT_ROUTINE_ID))))


def start_routine(catalog: Catalog, config: Config, last: str | None = None) -> Routine | None:
    """The routine to open when none is named: the first of `start_order` that `catalog` has
    (`last` read from where it is remembered when not given), else the first there is."""
    from tui.store.sessions import read_last_routine

    return _first_found(catalog, start_order(config, last or read_last_routine()))


def default_routine(catalog: Catalog) -> Routine | None:
    """The routine to start when none is named and nothing is remembered or set: the
    back-spasm one, else the first there is."""
    return _first_found(catalog, [DEFAULT_ROUTINE_ID])


def _first_found(catalog: Catalog, ids: Sequence[str]) -> Routine | None:
    for routine_id in ids:
        found = catalog.get(routine_id)
        if found is not None:
            return found
    ordered = catalog.ordered()
    return ordered[0] if ordered else None


def plan_text(routine: Routine) -> str:
    """The routine's plan at its starting values, as plain text."""
    from tui.core.side_text import on_side

    lines = [
        f"{routine.name}  ({routine.id}, {routine.source})",
        "",
    ]
    if routine.description:
        lines += [routine.description, ""]
    total = format_duration(routine_seconds(routine))
    lines.append(
        f"About {total} in all: {routine.prepare_seconds} s to get ready before each stretch, "
        f"{routine.rest_seconds} s rest between stretches."
    )
    for number, (stretch, plan) in enumerate(
        zip(routine.stretches, routine.default_plan(), strict=True), start=1
    ):
        seconds = stretch_seconds(stretch, plan, routine.prepare_seconds)
        stretch = on_side(stretch)  # its text as it reads on its first side
        lines += [
            "",
            f"{number}. {stretch.name}  (about {format_duration(seconds)})",
            f"   {_dose(stretch)}",
        ]
        if stretch.position:
            lines.append(f"   Start: {stretch.position}")
        lines += [f"   - {step}" for step in stretch.steps]
        lines += [f"   Tip: {tip}" for tip in stretch.tips]
        if stretch.variation:
            lines.append(f"   Variation: {stretch.variation}")
    return "\n".join(lines)


def _dose(stretch: Stretch) -> str:
    """Hold, reps and sides in words: "hold 10 s, 3 reps (3-5 suggested), each side: right..."."""
    hold, reps = stretch.hold_seconds, stretch.reps
    text = f"hold {hold.low} s" + (f" ({hold} s suggested)" if hold.is_range else "")
    text += f", {_count(reps.low, 'rep')}" + (f" ({reps} suggested)" if reps.is_range else "")
    if stretch.sides == "each":
        first, second = stretch.side_order
        text += f" on each side: all on the {first} first, then the {second}"
    elif stretch.sides == "alternate":
        first, second = stretch.side_order
        text += f" on each side, alternating: {first}, {second}, {first}, ..."
    if stretch.advance == "manual":
        text += "; each hold starts when you say you are in position"
    return text


# ---------------------------------------------------------------------------------------------
# history


def _history(args: argparse.Namespace) -> int:
    from tui.store.history.report import history_command

    print(history_command(args.json, plan=_plan_in_use()))
    return EXIT_OK


def _plan_in_use() -> RoutinePlan | None:
    """The plan of the routine in use, for the days it was met; None when no routine loads
    (the history is shown all the same)."""
    from tui.core.schedule import schedule_of
    from tui.store.history.report import RoutinePlan

    try:
        routine, _ = routine_in_use()
    except RoutineError:
        return None
    return RoutinePlan(routine.id, routine.name, schedule_of(routine).plan)


# ---------------------------------------------------------------------------------------------
# due and report (issue 17)


def routine_in_use() -> tuple[Routine, Config]:
    """The routine `unknot` alone would open (the start rule), with the person's settings
    applied; RoutineError when there is none. Only that routine's file is read, as at start."""
    from tui.store.config import load_config, with_settings

    catalog = _early_catalog(None) or discover()
    config = load_config().config
    routine = start_routine(catalog, config)
    if routine is None:
        raise RoutineError([Problem("", None, "", "no routines found; `unknot check` says why")])
    return with_settings(routine, config), config


def now_here() -> datetime:
    """Now, in the time zone the person is in (tests replace it)."""
    from datetime import datetime

    return datetime.now().astimezone()


def _due(args: argparse.Namespace) -> int:
    """0 and a line while a session is due; 1 and nothing when not; 2 and a line on standard
    error for any problem, whatever it is: a shell prompt must never show a traceback."""
    try:
        from tui.core.progress import due
        from tui.core.schedule import schedule_of
        from tui.store.history.glance import recent_starts

        routine, _ = routine_in_use()
        now = now_here()
        found = due(schedule_of(routine).plan, recent_starts(routine.id, now), now)
    except RoutineError as error:
        first = error.problems[0] if error.problems else "its routine could not be read"
        _err(f"unknot due: {clean_for_terminal(str(first))}")
        return EXIT_USAGE
    except Exception as error:  # at a prompt: one line, whatever went wrong
        _err(f"unknot due: {clean_for_terminal(str(error)) or type(error).__name__}")
        return EXIT_USAGE
    if not found.due:
        return EXIT_PROBLEMS
    if not args.quiet:
        print(found.line())
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from tui.report.command import run_report

    return run_report(args, now=now_here(), routine_for=_report_routine, err=_err)


def _report_routine(ref: str | None) -> Routine:
    """The routine a report measures against: the one named, else the one in use."""
    if ref is None:
        return routine_in_use()[0]
    from tui.store.config import load_config, with_settings

    catalog = _early_catalog(ref) or discover()
    return with_settings(resolve(catalog, ref), load_config().config)


# ---------------------------------------------------------------------------------------------
# output helpers


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    for problem in problems:
        prefix = "" if problem.path else "unknot: "
        print(prefix + clean_for_terminal(str(problem)), file=stream)


def _err(text: str) -> None:
    """Print `text` to standard error; if that is gone too (the terminal hung up), say nothing
    and drop what it holds, as for standard output."""
    try:
        print(text, file=sys.stderr, flush=True)
    except OSError:
        _silence(sys.stderr)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _shown(path: Path) -> str:
    """A folder as a person would type it: ~ for the home folder."""
    return clean_for_terminal(tilde(path))


def _silence_stdout() -> None:
    _silence(sys.stdout)


def _silence(stream: TextIO) -> None:
    """Send whatever `stream` still holds, and will be given, to the null device."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


__all__ = [
    "build_parser",
    "default_routine",
    "main",
    "plain_reason",
    "plan_text",
    "start_order",
    "start_routine",
]
