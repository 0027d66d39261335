"""The routine cache: unchanged files come back equal without parsing, and the cache is never
trusted over the file (a change, a corrupt or hostile cache file: the file is read again)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui import loader
from tui.loader import Catalog, RoutineError, discover, load_routine
from tui.paths import builtin_dir, user_routines_dir
from tui.routine_cache import CACHE_FILE, CACHE_VERSION, RoutineCache, cache_dir

DATA = Path(__file__).parent / "data"

GOOD = """\
schema = 1
name = "Cached"
description = "Two stretches."
prepare_seconds = 3

[[stretches]]
id = "one"
name = "One"
steps = ["Lie down.", "Breathe."]
hold_seconds = [10, 20]
reps = 2
sides = "each"
first_side = "left"
targets = ["hips"]
tips = ["Slowly."]
position = "On your back"
variation = "Smaller."

[[stretches]]
id = "two"
name = "Two"
steps = ["Sit."]
hold_seconds = 5
reps = [1, 3]
advance = "manual"
"""

BAD = GOOD.replace('reps = 2\nsides = "each"', 'reps = 0\nsides = "sometimes"')


def write(path: Path, text: str, age: float = 60.0) -> Path:
    """Write `text` and date it `age` seconds back (a fresh file is never cached)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime - age
    os.utime(path, (stamp, stamp))
    return path


def counting_parser(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every file the loader really parses."""
    parsed: list[Path] = []
    real = loader.load_routine

    def spy(path: Path, source: Any = "file") -> Any:
        parsed.append(path)
        return real(path, source)

    monkeypatch.setattr(loader, "load_routine", spy)
    return parsed


def test_the_cache_lives_in_the_xdg_cache_folder() -> None:
    assert cache_dir() == Path(os.environ["XDG_CACHE_HOME"]) / "unknot"


def test_an_unchanged_file_comes_back_equal_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    first = RoutineCache()
    fresh = first.load(path, "user")
    first.save()
    parsed = counting_parser(monkeypatch)
    second = RoutineCache()
    again = second.load(path, "user")
    assert parsed == [] and second.hits == 1
    assert again == fresh == load_routine(path, "user")
    assert again.path == path and again.source == "user"


def test_the_source_comes_from_the_caller_not_the_cache(tmp_path: Path) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    first = RoutineCache()
    first.load(path, "user")
    first.save()
    assert RoutineCache().load(path, "file").source == "file"


def test_discover_reads_unchanged_files_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    write(user_routines_dir() / "mine.toml", GOOD)
    write(user_routines_dir() / "broken.toml", BAD)
    before = discover()
    assert (cache_dir() / CACHE_FILE).is_file()
    parsed = counting_parser(monkeypatch)
    after = discover()
    assert parsed == []
    assert after.routines == before.routines
    assert after.problems == before.problems and after.broken == before.broken
    assert after.ids() == sorted(["mine", *(p.stem for p in builtin_dir().glob("*.toml"))])


def test_bad_files_report_the_same_problems_from_the_cache(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.toml", BAD)
    with pytest.raises(RoutineError) as direct:
        load_routine(path, "user")
    first = RoutineCache()
    with pytest.raises(RoutineError) as fresh:
        first.load(path, "user")
    first.save()
    second = RoutineCache()
    with pytest.raises(RoutineError) as cached:
        second.load(path, "user")
    assert second.hits == 1
    assert cached.value.problems == fresh.value.problems == direct.value.problems
    assert len(direct.value.problems) >= 2


@pytest.mark.parametrize("change", ["content", "same size", "replaced"])
def test_a_changed_file_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    first = RoutineCache()
    first.load(path, "user")
    first.save()
    if change == "content":
        write(path, GOOD.replace('"Cached"', '"Changed name"'))
    elif change == "same size":
        write(path, GOOD.replace('"Cached"', '"Cashed"'), age=30)
    else:  # a new file (new inode) with the same size and date
        old = path.stat()
        path.unlink()
        write(tmp_path / "other.toml", "x")  # keeps the old inode from being reused at once
        path.write_text(GOOD.replace('"Cached"', '"Cashed"'), encoding="utf-8")
        os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    parsed = counting_parser(monkeypatch)
    routine = RoutineCache().load(path, "user")
    assert parsed == [path]
    assert routine.name in ("Changed name", "Cashed")


def test_a_file_changed_moments_ago_is_not_cached(tmp_path: Path) -> None:
    path = write(tmp_path / "fresh.toml", GOOD, age=0)
    first = RoutineCache()
    first.load(path, "user")
    first.save()
    second = RoutineCache()
    second.load(path, "user")
    assert second.hits == 0


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"\xff\xfe", b"[]", b'{"version": 99, "files": {}}', b"[" * 100_000],
)
def test_a_corrupt_cache_file_is_ignored_and_rebuilt(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    cache_file = cache_dir() / CACHE_FILE
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_bytes(content)
    cache = RoutineCache()
    assert cache.load(path, "user") == load_routine(path, "user")
    cache.save()
    assert RoutineCache().load(path, "user").name == "Cached"
    assert json.loads(cache_file.read_text(encoding="utf-8"))["version"] == CACHE_VERSION


def _cached_entry(path: Path) -> tuple[Path, dict[str, Any]]:
    first = RoutineCache()
    with contextlib.suppress(RoutineError):
        first.load(path, "user")
    first.save()
    cache_file = cache_dir() / CACHE_FILE
    return cache_file, json.loads(cache_file.read_text(encoding="utf-8"))


HOSTILE_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
ROUTINE_FIELDS = ["id", "name", "description", "prepare_seconds", "rest_seconds", "stretches"]
STRETCH_FIELDS = list(range(16))  # a stretch is kept as a list of its 16 values


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    where=st.sampled_from(
        [("routine", f) for f in ROUTINE_FIELDS] + [("stretch", i) for i in STRETCH_FIELDS]
    ),
    value=HOSTILE_VALUES,
)
def test_hostile_cache_contents_never_crash_and_never_win(
    tmp_path: Path, where: tuple[str, Any], value: object
) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    cache_file, data = _cached_entry(path)
    entry = data["files"][str(path)]
    target = entry["routine"] if where[0] == "routine" else entry["routine"]["stretches"][0]
    original = target[where[1]]
    target[where[1]] = value
    cache_file.write_text(json.dumps(data), encoding="utf-8")
    routine = RoutineCache().load(path, "user")
    if type(value) is not type(original):
        # anything the cache says that the file does not is never believed
        assert routine == load_routine(path, "user")


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e.update(key="x"),
        lambda e: e.update(routine=[]),
        lambda e: e.pop("routine"),
        lambda e: e.update(problems=[["a", "1", "b", "c"]]),
        lambda e: e.update(problems=[]),
        lambda e: e["routine"].update(name="Evil\x1b]0;title\x07"),
        lambda e: e["routine"].update(id="another"),
        lambda e: e["routine"]["stretches"][0].__setitem__(7, 0),  # hold_seconds low
        lambda e: e["routine"]["stretches"][0].__setitem__(9, 3),  # reps low above high
        lambda e: e["routine"]["stretches"][0].__setitem__(13, "sometimes"),  # sides
        lambda e: e["routine"]["stretches"][0].__setitem__(4, ["ok", "\x9b2J"]),  # steps
        lambda e: e["routine"]["stretches"][0].__setitem__(11, True),  # switch_seconds
        lambda e: e["routine"]["stretches"][0].pop(),
        lambda e: e["routine"].update(stretches=[]),
    ],
)
def test_damaged_entries_are_read_from_the_file(tmp_path: Path, damage: Any) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    cache_file, data = _cached_entry(path)
    damage(data["files"][str(path)])
    cache_file.write_text(json.dumps(data), encoding="utf-8")
    cache = RoutineCache()
    assert cache.load(path, "user") == load_routine(path, "user")
    assert cache.hits == 0


def test_problems_in_the_cache_cannot_fail_a_good_file(tmp_path: Path) -> None:
    """A cache entry claiming problems for a file whose key changed is not believed."""
    path = write(tmp_path / "cached.toml", BAD)
    _cached_entry(path)
    write(path, GOOD)
    assert RoutineCache().load(path, "user").name == "Cached"


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path: Path) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    blocker = tmp_path / "blocked"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    cache = RoutineCache(blocker / CACHE_FILE)
    assert cache.load(path, "user").name == "Cached"
    cache.save()  # no exception


def test_a_catalog_without_a_cache_parses_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    discover([path])
    parsed = counting_parser(monkeypatch)
    Catalog().add_file(path, "file")
    discover([path], cache=False)
    assert parsed.count(path) == 2


def test_the_bad_fixtures_report_the_same_from_the_cache(tmp_path: Path) -> None:
    for source in sorted((DATA / "bad").glob("*.toml")):
        path = tmp_path / source.name
        path.write_bytes(source.read_bytes())
        os.utime(path, (1_000_000_000, 1_000_000_000))
    fresh = discover([tmp_path], cache=False)
    discover([tmp_path])
    cached = discover([tmp_path])
    assert cached.problems == fresh.problems
    assert cached.routines == fresh.routines
