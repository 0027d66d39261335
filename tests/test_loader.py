"""The loader: every rule of the format, every kind of hostile file, and where routines come from.

Each file in tests/data/bad/ breaks one rule and says, in `# expect:` lines at its top, what the
error must say; each file in tests/data/good/ must load.
"""

from __future__ import annotations

import codecs
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from patience import HANG

from tui.core.model import Span
from tui.core.problems import Problem
from tui.routine_files import loader
from tui.routine_files.catalog import Catalog, discover, resolve
from tui.routine_files.loader import MAX_FILE_BYTES, RoutineError, load_routine, parse_routine
from tui.store.paths import builtin_dir, user_routines_dir

DATA = Path(__file__).parent / "data"
BAD = sorted((DATA / "bad").glob("*.toml"))
GOOD = sorted((DATA / "good").glob("*.toml"))

MINIMAL = """\
schema = 1
name = "Minimal"

[[stretches]]
id = "one"
name = "One"
steps = ["Do it."]
hold_seconds = 10
reps = 2
"""


def stretch_toml(stretch_id: str = "s", **extra: str) -> str:
    lines = [
        "[[stretches]]",
        f'id = "{stretch_id}"',
        'name = "S"',
        'steps = ["Do it."]',
        "hold_seconds = 10",
        "reps = 3",
    ]
    lines += [f"{key} = {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    return caught.value.problems


def parse_problems(text: str | bytes, name: str = "r.toml") -> tuple[Problem, ...]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(RoutineError) as caught:
        parse_routine(data, path=Path(name), source="file")
    return caught.value.problems


def finishes(action: Callable[[], object], seconds: float = HANG) -> object:
    """Run `action` in a thread and fail (instead of hanging the suite) if it does not return."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(action())
        except BaseException as exc:  # handed back to the test below
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the loader hung"
    return result[0]


# ---------------------------------------------------------------------------------------------
# Fixture files


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_fixture_reports_what_it_expects(path: Path) -> None:
    expects = [
        line.removeprefix("# expect: ")
        for line in path.read_text().splitlines()
        if line.startswith("# expect: ")
    ]
    assert expects, f"{path.name} must say what it expects"
    problems = problems_of(path)
    text = "\n".join(str(p) for p in problems)
    for fragment in expects:
        assert fragment in text
    assert all(str(p).startswith(str(path)) for p in problems)


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_good_fixture_loads(path: Path) -> None:
    routine = load_routine(path, "user")
    assert routine.id == path.stem
    assert routine.source == "user"
    assert routine.path == path


def test_every_field_is_read() -> None:
    routine = load_routine(DATA / "good" / "every-field.toml")
    assert routine.description == "First paragraph.\n\nSecond paragraph."
    assert (routine.prepare_seconds, routine.rest_seconds) == (0, 600)
    first, second = routine.stretches
    assert first.targets == ("hips", "lower back")
    assert first.position == "Standing"
    assert first.steps == ("Step one.", "Step two.")
    assert first.tips == ("A tip.",)
    assert first.variation == "Do it sitting."
    assert first.hold_seconds == Span(1, 3600)
    assert first.reps == Span(1, 100)
    assert (first.sides, first.first_side, first.advance) == ("alternate", "left", "manual")
    assert (first.switch_seconds, first.rest_between_reps) == (60, 0)
    assert second.hold_seconds == Span.exactly(5)
    assert (second.sides, second.first_side, second.advance) == ("each", "right", "auto")


def test_left_out_keys_take_their_defaults() -> None:
    routine = load_routine(DATA / "good" / "minimal.toml")
    assert (routine.description, routine.prepare_seconds, routine.rest_seconds) == ("", 5, 15)
    (stretch,) = routine.stretches
    assert stretch.targets == stretch.tips == ()
    assert stretch.position == stretch.variation == ""
    assert (stretch.sides, stretch.first_side, stretch.advance) == ("none", "right", "auto")
    assert (stretch.switch_seconds, stretch.rest_between_reps) == (3, 3)


def test_markup_is_kept_literal_and_escapes_are_removed() -> None:
    routine = load_routine(DATA / "good" / "markup.toml")
    assert routine.name == "[bold]Loud[/] ]0;owned name"
    (stretch,) = routine.stretches
    assert stretch.name == "Reach [left] arm twice"
    assert stretch.steps == ("[/release] [2J clear", "C1 31m code")


# ---------------------------------------------------------------------------------------------
# The built-in routine


def test_the_built_in_routine_follows_the_plan() -> None:
    routine = load_routine(builtin_dir() / "back-spasm-relief.toml", "built-in")
    assert routine.id == "back-spasm-relief"
    assert (routine.prepare_seconds, routine.rest_seconds) == (5, 15)
    assert "sharp pain" in routine.description
    assert "clinician" in routine.description
    knee, trunk, prone, hamstring = routine.stretches
    assert (knee.hold_seconds, knee.reps, knee.sides) == (Span.exactly(10), Span(3, 5), "each")
    assert knee.first_side == "right"
    assert (trunk.hold_seconds, trunk.reps, trunk.sides) == (Span(3, 5), Span(5, 10), "alternate")
    assert trunk.first_side == "right"
    assert (prone.hold_seconds, prone.reps, prone.sides) == (
        Span.exactly(30),
        Span.exactly(3),
        "none",
    )
    assert (hamstring.hold_seconds, hamstring.reps) == (Span.exactly(15), Span.exactly(3))
    assert hamstring.sides == "each"
    for stretch in routine.stretches:
        assert stretch.steps and stretch.targets and stretch.position


def test_every_built_in_routine_loads() -> None:
    files = sorted(builtin_dir().glob("*.toml"))
    assert files
    for path in files:
        assert load_routine(path, "built-in").id == path.stem


# ---------------------------------------------------------------------------------------------
# Problems: all at once, placed by line and field


def test_problem_prints_path_line_field_and_message() -> None:
    assert str(Problem("r.toml", 3, "name", "bad")) == "r.toml:3: name: bad"
    assert str(Problem("r.toml", None, "name", "bad")) == "r.toml: name: bad"
    assert str(Problem("r.toml", None, "", "bad")) == "r.toml: bad"
    assert str(Problem("", None, "", "bad")) == "bad"


def test_every_problem_in_a_file_is_reported_at_once_with_its_line() -> None:
    text = (
        "schema = 1\n"  # 1
        'name = ""\n'  # 2
        "rest_seconds = 1000\n"  # 3
        "\n"  # 4
        + stretch_toml("a")  # 5-10
        + "\n"  # 11
        "[[stretches]]\n"  # 12
        'id = "b"\n'  # 13
        'name = "B"\n'  # 14
        'steps = ["x"]\n'  # 15
        "hold_secnds = 10\n"  # 16
        '"reps" = true\n'  # 17
    )
    found = [(p.line, p.field) for p in parse_problems(text)]
    assert found == [
        (2, "name"),
        (3, "rest_seconds"),
        (12, "stretches[2].hold_seconds"),
        (16, "stretches[2].hold_secnds"),
        (17, "stretches[2].reps"),
    ]


def test_a_misspelled_key_suggests_the_right_one() -> None:
    (problem,) = parse_problems(MINIMAL.replace("reps = 2", "reps = 2\nswitch_second = 3"))
    assert problem.field == "stretches[1].switch_second"
    assert "did you mean switch_seconds?" in problem.message


def test_lines_are_found_in_inline_stretch_tables() -> None:
    text = (
        'schema = 1\nname = "R"\nstretches = [\n'
        '  { id = "a", name = "A", steps = ["x"], hold_seconds = 1.5, reps = 1 },\n]\n'
    )
    (problem,) = parse_problems(text)
    assert (problem.line, problem.field) == (3, "stretches[1].hold_seconds")


def test_a_toml_syntax_error_gives_the_parser_line() -> None:
    (problem,) = parse_problems(MINIMAL + "\nreps = = 3\n")
    assert problem.line == MINIMAL.count("\n") + 2
    assert problem.message.startswith("not valid TOML: ")
    assert "(at line" not in problem.message


def test_a_key_made_of_escapes_is_shown_clean() -> None:
    (problem,) = parse_problems(MINIMAL.replace("schema = 1", 'schema = 1\n"x\\u001b[2J" = 1'))
    assert "\x1b" not in str(problem)
    assert problem.field == "x[2J"


def test_a_file_for_a_newer_format_says_only_that() -> None:
    (problem,) = parse_problems('schema = 9\ncolour = "red"\n')
    assert problem.field == "schema"
    assert "this program reads (schema 1)" in problem.message


def test_a_missing_schema_is_reported_with_the_other_problems() -> None:
    problems = parse_problems('name = "R"\n')
    assert [p.field for p in problems] == ["schema", "stretches"]


def test_a_sub_table_in_a_stretch_is_placed_at_its_header() -> None:
    text = 'schema = 1\nname = "R"\n' + stretch_toml("a") + "[stretches.extra]\nx = 1\n"
    (problem,) = parse_problems(text)
    assert (problem.line, problem.field) == (9, "stretches[1].extra")


def test_thousands_of_problems_are_capped_with_a_count() -> None:
    text = 'schema = 1\nname = "R"\n' + "[[stretches]]\nbad = 1\n" * 10_000
    problems = parse_problems(text)
    assert len(problems) == loader.MAX_PROBLEMS + 1
    assert problems[-1].message.startswith("and ")
    assert problems[-1].message.endswith(" more problems; fix these first")


@pytest.mark.parametrize(("count", "loads"), [(50, True), (51, False)])
def test_stretch_count_limit(count: int, loads: bool) -> None:
    text = 'schema = 1\nname = "R"\n' + "".join(stretch_toml(f"s{i}") for i in range(count))
    if loads:
        assert len(parse_routine(text.encode(), path=Path("r.toml"), source="file").stretches) == 50
    else:
        (problem,) = parse_problems(text)
        assert problem.field == "stretches"
        assert "found 51 stretches; expected 1 to 50" in problem.message


@pytest.mark.parametrize(("length", "loads"), [(4000, True), (4001, False)])
def test_description_length_limit(length: int, loads: bool) -> None:
    text = MINIMAL.replace("schema = 1", f'schema = 1\ndescription = "{"d" * length}"')
    if loads:
        routine = parse_routine(text.encode(), path=Path("r.toml"), source="file")
        assert len(routine.description) == length
    else:
        (problem,) = parse_problems(text)
        assert problem.field == "description"


def test_control_codes_in_the_description_are_removed_and_lines_kept() -> None:
    text = MINIMAL.replace(
        "schema = 1", 'schema = 1\ndescription = "One\\u001b[31m\\nTwo\\u202e\\tend"'
    )
    routine = parse_routine(text.encode(), path=Path("r.toml"), source="file")
    assert routine.description == "One[31m\nTwo    end"


def test_length_limits_count_the_cleaned_text() -> None:
    name = "n" * 80 + "\\u001b" * 5
    text = MINIMAL.replace('name = "Minimal"', f'name = "{name}"')
    assert parse_routine(text.encode(), path=Path("r.toml"), source="file").name == "n" * 80


@pytest.mark.parametrize("name", ["My routine.toml", "étirements.toml", "a_b.c.toml"])
def test_file_names_that_make_good_ids(name: str) -> None:
    routine = parse_routine(MINIMAL.encode(), path=Path(name), source="file")
    assert routine.id == name.removesuffix(".toml")


@pytest.mark.parametrize("name", ["-x.toml", "a\x1bb.toml", "a\u202eb.toml", f"{'x' * 81}.toml"])
def test_file_names_that_make_bad_ids(name: str) -> None:
    (problem,) = parse_problems(MINIMAL, name=name)
    assert "a routine's id is its file name" in problem.message
    assert "\x1b" not in str(problem) and "\u202e" not in str(problem)


# ---------------------------------------------------------------------------------------------
# Hostile files


def test_a_utf8_bom_is_accepted() -> None:
    routine = parse_routine(codecs.BOM_UTF8 + MINIMAL.encode(), path=Path("r.toml"), source="file")
    assert routine.name == "Minimal"


def test_non_utf8_bytes_are_one_clear_error_with_a_line() -> None:
    data = MINIMAL.replace('name = "Minimal"', 'name = "Min\xffimal"').encode("latin-1")
    (problem,) = parse_problems(data)
    assert problem.line == 2
    assert "not UTF-8 text: byte 0xff" in problem.message


def test_deeply_nested_arrays_are_one_clear_error() -> None:
    (problem,) = parse_problems("x = " + "[" * 5000 + "]" * 5000)
    assert "nested too deeply" in problem.message


def test_deeply_nested_inline_tables_are_one_clear_error() -> None:
    (problem,) = parse_problems("x = " + "{ a = " * 3000)
    assert "nested too deeply" in problem.message


def test_an_integer_too_long_to_convert_is_one_clear_error() -> None:
    (problem,) = parse_problems(MINIMAL.replace("reps = 2", "reps = " + "9" * 5000))
    assert problem.message.startswith("not valid TOML here")


def test_a_file_of_exactly_the_limit_loads(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    padding = MAX_FILE_BYTES - len(MINIMAL) - 3
    path.write_text(MINIMAL + "#" + "x" * padding + "\n")
    assert path.stat().st_size == MAX_FILE_BYTES - 1
    assert load_routine(path).name == "Minimal"
    path.write_text(MINIMAL + "#" + "x" * (padding + 1) + "\n")
    assert load_routine(path).name == "Minimal"


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text(MINIMAL + "#" + "x" * MAX_FILE_BYTES + "\n")
    (problem,) = problems_of(path)
    assert "too big: a routine file may be at most 256 KiB" in problem.message


def test_bytes_over_the_limit_are_refused_by_parse_routine() -> None:
    (problem,) = parse_problems(MINIMAL + "#" + "x" * MAX_FILE_BYTES)
    assert "too big" in problem.message


def test_a_link_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    link = tmp_path / "x.toml"
    link.symlink_to("/dev/zero")
    outcome = finishes(lambda: load_routine(link))
    assert isinstance(outcome, RoutineError)
    assert "not a plain file" in outcome.problems[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    outcome = finishes(lambda: load_routine(fifo))
    assert isinstance(outcome, RoutineError)
    assert "not a plain file" in outcome.problems[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_swapped_in_after_the_check_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open must not block and the open file is checked again, whatever stat said before."""
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    plain = tmp_path / "plain"
    plain.write_text(MINIMAL)
    real_stat = os.stat

    def stat_says_plain(path: object, *args: object, **kwargs: object) -> os.stat_result:
        return real_stat(plain if path == fifo else path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat_says_plain)
    outcome = finishes(lambda: load_routine(fifo))
    assert isinstance(outcome, RoutineError)
    assert "not a plain file" in outcome.problems[0].message


def test_a_folder_named_like_a_routine_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "x.toml"
    folder.mkdir()
    (problem,) = problems_of(folder)
    assert "is a folder" in problem.message


def test_a_missing_file_and_a_broken_link_are_refused(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "absent.toml")
    assert "no such file" in problem.message
    link = tmp_path / "broken.toml"
    link.symlink_to(tmp_path / "nowhere")
    (problem,) = problems_of(link)
    assert "no such file" in problem.message


def test_a_link_loop_is_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    (problem,) = problems_of(loop)
    assert problem.message.startswith("cannot read it: ")


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locked.toml"
    path.write_text(MINIMAL)
    path.chmod(0)
    if os.geteuid() != 0:
        (problem,) = problems_of(path)
        message = problem.message
    else:  # root reads every file: read it as nobody, as CI runs the tests as root
        message = as_nobody(lambda: "\n".join(p.message for p in problems_of(path)))
    assert "cannot read it" in message, message


def as_nobody(work: Callable[[], str]) -> str:
    """What `work` returns when run in a child process that is user nobody (65534), not root.

    The modules it needs are loaded first: as nobody, Python's own folder may be out of reach."""
    (warm,) = problems_of(Path(os.devnull))
    assert warm.message
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child)
        os.close(read_end)
        try:
            os.setgid(65534)
            os.setuid(65534)
            said = work()
        except BaseException as error:  # carried to the parent, not lost
            said = f"the child failed: {error!r}"
        os.write(write_end, said.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        said = pipe.read().decode()
    os.waitpid(child, 0)
    return said


def test_an_unexpected_failure_still_leaves_as_routine_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> object:
        raise KeyError("bug")

    monkeypatch.setattr(loader._Parser, "check_table", broken)
    (problem,) = parse_problems(MINIMAL)
    assert "unexpected KeyError" in problem.message


# ---------------------------------------------------------------------------------------------
# Where routines come from


def write(folder: Path, name: str, text: str = MINIMAL) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_discover_finds_the_built_in_routines() -> None:
    catalog = discover()
    assert catalog.problems == []
    routine = catalog.get("back-spasm-relief")
    assert routine is not None
    assert routine.source == "built-in"
    assert routine.overrides is None


def test_a_user_routine_overrides_a_built_in_one_and_says_so() -> None:
    user = user_routines_dir()
    write(user, "back-spasm-relief.toml")
    catalog = discover()
    routine = catalog.get("back-spasm-relief")
    assert routine is not None
    assert (routine.source, routine.name) == ("user", "Minimal")
    assert routine.overrides == str(builtin_dir() / "back-spasm-relief.toml")
    assert catalog.loaded == 2


def test_bad_user_files_are_reported_and_the_rest_still_load(tmp_path: Path) -> None:
    user = user_routines_dir()
    write(user, "good.toml")
    write(user, "bad.toml", "schema = 1\n")
    (user / "folder.toml").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(user / "fifo.toml")
    if Path("/dev/zero").exists():
        (user / "zero.toml").symlink_to("/dev/zero")
    catalog = finishes(discover)
    assert isinstance(catalog, Catalog)
    assert sorted(catalog.routines) == ["back-spasm-relief", "good"]
    troubled = {Path(p.path).name for p in catalog.problems}
    expected = {"bad.toml", "folder.toml"}
    expected |= {"fifo.toml"} if hasattr(os, "mkfifo") else set()
    expected |= {"zero.toml"} if Path("/dev/zero").exists() else set()
    assert troubled == expected
    assert set(catalog.broken) == {name.removesuffix(".toml") for name in expected}


def test_a_broken_user_file_leaves_the_built_in_one_in_place() -> None:
    write(user_routines_dir(), "back-spasm-relief.toml", "schema = 1\n")
    catalog = discover()
    routine = catalog.get("back-spasm-relief")
    assert routine is not None and routine.source == "built-in"
    assert catalog.problems


def test_hidden_and_other_files_in_the_user_folder_are_skipped() -> None:
    user = user_routines_dir()
    write(user, ".hidden.toml", "not toml at all")
    write(user, "notes.txt", "not toml at all")
    write(user, "editor-backup.toml~", "not toml at all")
    catalog = discover()
    assert catalog.problems == []
    assert catalog.ids() == ["back-spasm-relief"]


def test_no_user_folder_is_fine_but_a_file_in_its_place_is_reported() -> None:
    user = user_routines_dir()
    assert not user.exists()
    assert discover().problems == []
    user.parent.mkdir(parents=True)
    user.write_text("oops")
    (problem,) = discover().problems
    assert "should be a folder" in problem.message


def test_extra_files_and_folders_come_last_and_override(tmp_path: Path) -> None:
    write(user_routines_dir(), "mine.toml")
    extra_file = write(tmp_path / "a", "mine.toml", MINIMAL.replace("Minimal", "From a file"))
    folder = tmp_path / "b"
    write(folder, "other.toml")
    catalog = discover([extra_file, folder, tmp_path / "missing"])
    mine = catalog.get("mine")
    assert mine is not None
    assert (mine.source, mine.name) == ("file", "From a file")
    assert mine.overrides == str(user_routines_dir() / "mine.toml")
    other = catalog.get("other")
    assert other is not None and other.source == "file"
    (problem,) = catalog.problems
    assert problem.message == "no such file or folder"


def test_the_user_folder_follows_xdg_config_home_when_called(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    write(tmp_path / "elsewhere" / "unknot" / "routines", "moved.toml")
    assert discover().get("moved") is not None


# ---------------------------------------------------------------------------------------------
# Naming a routine: an id or a path


def test_resolve_by_id() -> None:
    catalog = discover()
    assert resolve(catalog, "back-spasm-relief").id == "back-spasm-relief"


def test_resolve_by_path(tmp_path: Path) -> None:
    path = write(tmp_path, "walk.toml")
    routine = resolve(discover(), str(path))
    assert (routine.id, routine.source, routine.path) == ("walk", "file", path)


def test_resolve_a_bad_path_gives_its_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.toml", "schema = 1\n")
    with pytest.raises(RoutineError) as caught:
        resolve(discover(), str(path))
    assert {p.field for p in caught.value.problems} == {"name", "stretches"}


def test_resolve_a_misspelled_id_suggests_the_close_one() -> None:
    with pytest.raises(RoutineError) as caught:
        resolve(discover(), "back-spasm-releif")
    (problem,) = caught.value.problems
    assert "did you mean back-spasm-relief?" in problem.message


def test_resolve_an_unknown_id_lists_the_known_ones() -> None:
    with pytest.raises(RoutineError) as caught:
        resolve(discover(), "zzz")
    (problem,) = caught.value.problems
    assert 'no routine with the id "zzz"' in problem.message
    assert "known ids: back-spasm-relief" in problem.message


def test_resolve_a_broken_user_routine_gives_its_problems() -> None:
    write(user_routines_dir(), "mine.toml", "schema = 1\n")
    with pytest.raises(RoutineError) as caught:
        resolve(discover(), "mine")
    assert {p.field for p in caught.value.problems} == {"name", "stretches"}
