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

import tui
from tui.core.model import routine_seconds
from tui.routine_files import cache as routine_cache
from tui.routine_files import loader
from tui.routine_files.cache import (
    CACHE_FILE,
    CACHE_VERSION,
    CODE_FILES,
    RoutineCache,
    _digest,
    code_stamp,
    stamp_of,
)
from tui.routine_files.catalog import Catalog, discover, discover_listings
from tui.routine_files.listing import Listing
from tui.routine_files.loader import RoutineError, load_routine
from tui.store.paths import builtin_dir, cache_dir, user_routines_dir

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
    real = loader.parse_routine

    def spy(data: bytes, *, path: Path, source: Any) -> Any:
        parsed.append(path)
        return real(data, path=path, source=source)

    monkeypatch.setattr(loader, "parse_routine", spy)
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


def test_figures_come_back_from_the_cache_as_the_file_draws_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_in = builtin_dir() / "back-spasm-relief.toml"
    path = write(tmp_path / "figures.toml", built_in.read_text())
    first = RoutineCache()
    fresh = first.load(path, "user")
    first.save()
    parsed = counting_parser(monkeypatch)
    again = RoutineCache().load(path, "user")
    assert parsed == []
    figures = [stretch.figure for stretch in again.stretches]
    assert all(figure is not None for figure in figures)
    assert figures == [stretch.figure for stretch in fresh.stretches]
    assert [f.view for f in figures if f is not None] == ["side", "head", "side", "side"]


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


@pytest.mark.parametrize("change", ["content", "same size", "replaced", "old date put back"])
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
    elif change == "old date put back":  # as `touch -r`, `cp -p` or an unpacked archive do
        old = path.stat()
        path.write_text(GOOD.replace('"Cached"', '"Cashed"'), encoding="utf-8")
        os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
        assert (path.stat().st_size, path.stat().st_ino) == (old.st_size, old.st_ino)
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
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b"\n\n",
        b"{}\n{}\n{}",
        b'{"version": 2, "files": {}}',
        b"[" * 100_000 + b"\n{}\n{}",
    ],
)
def test_a_corrupt_cache_file_is_ignored_and_rebuilt(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    cache_file = cache_dir() / CACHE_FILE
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_bytes(content)
    cache = RoutineCache()
    assert cache.load(path, "user") == load_routine(path, "user")
    assert cache.hits == 0
    cache.save()
    again = RoutineCache()
    assert again.load(path, "user").name == "Cached" and again.hits == 1
    assert json.loads(cache_file.read_bytes().split(b"\n")[0])["version"] == CACHE_VERSION


def fill_cache(path: Path) -> Path:
    """Cache `path` (good or bad) and return the cache file."""
    first = RoutineCache()
    with contextlib.suppress(RoutineError):
        first.load(path, "user")
    first.save()
    return cache_dir() / CACHE_FILE


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"Cached"', b'"Evil\\u001b]0;title\\u0007"'),  # the name, in the index and details
        (b'"Lie down."', b'"\\u009b2J"'),  # a step: details only
        (b'"Slowly."', b'"Quickly."'),  # harmless, and still not believed
        (b'"each"', b'"sometimes"'),
        (b"],10,20,", b"],0,20,"),  # hold_seconds
    ],
)
def test_a_hand_edited_cache_is_not_believed(tmp_path: Path, old: bytes, new: bytes) -> None:
    """The header's digests no longer match: the file is read again, as if nothing was cached."""
    path = write(tmp_path / "cached.toml", GOOD)
    cache_file = fill_cache(path)
    data = cache_file.read_bytes()
    assert old in data
    cache_file.write_bytes(data.replace(old, new))
    cache = RoutineCache()
    assert cache.load(path, "user") == load_routine(path, "user")
    assert cache.hits == 0


def test_a_half_written_cache_still_lists_but_reads_routines_again(tmp_path: Path) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    cache_file = fill_cache(path)
    cache_file.write_bytes(cache_file.read_bytes()[:-20])  # the details line is cut short
    listing = RoutineCache()
    assert listing.listing(path, "user") == Listing.of(load_routine(path, "user"))
    assert listing.hits == 1  # from the index, which is whole
    cache = RoutineCache()
    assert cache.load(path, "user") == load_routine(path, "user")
    assert cache.hits == 0


def test_a_cache_written_by_other_code_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    fill_cache(path)
    monkeypatch.setattr(routine_cache, "code_stamp", lambda: "another version of the loader")
    for read in (RoutineCache().load, RoutineCache().listing):
        cache = read.__self__
        read(path, "user")
        assert cache.hits == 0


def test_the_code_stamp_changes_with_the_code_that_checks_routines(tmp_path: Path) -> None:
    package = Path(tui.__file__).parent  # CODE_FILES name files from the package's root
    for name in CODE_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((package / name).read_bytes())
    assert stamp_of(tmp_path) == code_stamp()
    for name in CODE_FILES:
        changed = tmp_path / name
        original = changed.read_bytes()
        changed.write_bytes(original + b"\n# one rule more\n")
        assert stamp_of(tmp_path) != code_stamp(), name
        changed.write_bytes(original)


def read_cache(cache_file: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    _, index, details = cache_file.read_bytes().split(b"\n")
    return json.loads(index), json.loads(details)


def forge_cache(cache_file: Path, index: dict[str, Any], details: dict[str, Any]) -> None:
    """Write a cache whose digests match what it holds, as only this code (or a forger) does."""
    index_text = json.dumps(index).encode()
    details_text = json.dumps(details).encode()
    header = {
        "version": CACHE_VERSION,
        "code": code_stamp(),
        "index": _digest(index_text),
        "details": _digest(details_text),
    }
    cache_file.write_bytes(b"\n".join([json.dumps(header).encode(), index_text, details_text]))


HOSTILE_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    where=st.sampled_from(
        [("index", i) for i in range(5)]
        + [("summary", i) for i in range(3)]
        + [("details", i) for i in range(5)]
        + [("stretch", i) for i in range(16)]
    ),
    value=HOSTILE_VALUES,
    bad=st.booleans(),
)
def test_a_forged_cache_of_any_shape_never_crashes(
    tmp_path: Path, where: tuple[str, int], value: object, bad: bool
) -> None:
    """Even with digests that match, a cache of another shape never raises anything but the
    loader's RoutineError (its values are believed: only this code writes such a file)."""
    path = write(tmp_path / "cached.toml", BAD if bad else GOOD)
    cache_file = fill_cache(path)
    index, details = read_cache(cache_file)
    entry = index[str(path)]
    targets: dict[str, Any] = {"index": entry, "summary": entry[4]}
    if not bad:
        targets["details"] = details[str(path)]
        targets["stretch"] = details[str(path)][4][0]
    target = targets.get(where[0])
    if not isinstance(target, list) or where[1] >= len(target):
        return
    target[where[1]] = value
    forge_cache(cache_file, index, details)
    for read in (RoutineCache().load, RoutineCache().listing):
        with contextlib.suppress(RoutineError):
            read(path, "user")


@pytest.mark.parametrize(
    "damage",
    [
        lambda i, d: i.__setitem__(0, 1),  # the size of another file
        lambda i, d: i.__setitem__(-2, "another kind"),  # [*stat, kind, data]
        lambda i, d: i.pop(),
        lambda i, d: d.clear(),  # no details
        lambda i, d: d[4].clear(),  # no stretches
        lambda i, d: d[4][0].pop(),  # a stretch of 15 values
        lambda i, d: d[4].__setitem__(0, "a stretch"),
        lambda i, d: d.__setitem__(4, 7),
    ],
)
def test_a_cache_entry_of_another_shape_is_read_from_the_file(tmp_path: Path, damage: Any) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    cache_file = fill_cache(path)
    index, details = read_cache(cache_file)
    damage(index[str(path)], details[str(path)])
    forge_cache(cache_file, index, details)
    cache = RoutineCache()
    assert cache.load(path, "user") == load_routine(path, "user")
    assert cache.hits == 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda problems: problems.clear(),
        lambda problems: problems[0].pop(),
        lambda problems: problems.__setitem__(0, "a problem"),
    ],
)
def test_a_broken_file_entry_of_another_shape_is_read_from_the_file(
    tmp_path: Path, damage: Any
) -> None:
    path = write(tmp_path / "bad.toml", BAD)
    cache_file = fill_cache(path)
    index, details = read_cache(cache_file)
    damage(index[str(path)][-1])
    forge_cache(cache_file, index, details)
    cache = RoutineCache()
    with pytest.raises(RoutineError) as cached:
        cache.load(path, "user")
    with pytest.raises(RoutineError) as direct:
        load_routine(path, "user")
    assert cached.value.problems == direct.value.problems
    assert cache.hits == 0


def test_problems_in_the_cache_cannot_fail_a_good_file(tmp_path: Path) -> None:
    """A cache entry claiming problems for a file whose key changed is not believed."""
    path = write(tmp_path / "cached.toml", BAD)
    fill_cache(path)
    write(path, GOOD)
    assert RoutineCache().load(path, "user").name == "Cached"


def test_a_listing_is_the_routine_in_short(tmp_path: Path) -> None:
    path = write(tmp_path / "cached.toml", GOOD)
    routine = load_routine(path, "user")
    listing = Listing.of(routine)
    assert (listing.id, listing.name, listing.stretches) == ("cached", "Cached", 2)
    assert listing.seconds == routine_seconds(routine)
    fill_cache(path)
    cache = RoutineCache()
    assert cache.listing(path, "user") == listing and cache.hits == 1


def test_listings_find_what_discover_finds(tmp_path: Path) -> None:
    builtin = next(builtin_dir().glob("*.toml"))
    write(user_routines_dir() / builtin.name, GOOD)  # overrides the built-in one
    write(user_routines_dir() / "mine.toml", GOOD.replace('"Cached"', '"Mine"'))
    write(user_routines_dir() / "broken.toml", BAD)
    for source in sorted((DATA / "bad").glob("*.toml"))[:5]:
        write(tmp_path / source.name, source.read_text(encoding="utf-8", errors="replace"))
    for _ in range(2):  # from the files, then from the cache
        full = discover([tmp_path])
        short = discover_listings([tmp_path])
        assert short.ordered() == [Listing.of(r) for r in full.ordered()]
        assert [r.overrides for r in short.ordered()] == [r.overrides for r in full.ordered()]
        assert short.problems == full.problems and short.broken == full.broken
        assert short.loaded == full.loaded


def test_a_listing_that_reads_a_changed_file_keeps_every_routine_cached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(user_routines_dir() / "one.toml", GOOD)
    changed = write(user_routines_dir() / "two.toml", GOOD)
    discover()
    write(changed, GOOD.replace('"Cached"', '"Changed"'), age=30)
    discover_listings()  # reads two.toml and writes the cache again, keeping one.toml's details
    parsed = counting_parser(monkeypatch)
    catalog = discover()
    assert parsed == []
    assert catalog.routines["two"].name == "Changed"


def test_a_file_name_that_is_not_text_is_read_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A name in another encoding cannot go into the cache's JSON: it is simply not cached."""
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    odd = folder / os.fsdecode(b"caf\xe9.toml")
    try:
        write(odd, GOOD)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system wants names in UTF-8")
    write(folder / "plain.toml", GOOD)
    first = discover()
    assert any("caf" in p.path for p in first.problems)  # the id is not a name one can type
    parsed = counting_parser(monkeypatch)
    again = discover()
    assert parsed == [odd]
    assert again.problems == first.problems and "plain" in again.routines


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


def test_a_file_that_could_not_be_read_is_read_again_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "locked.toml", GOOD)
    real_open = os.open

    def refuse(name: Any, *args: Any, **kwargs: Any) -> int:
        if os.fspath(name) == os.fspath(path):
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    first = RoutineCache()
    with pytest.raises(RoutineError) as refused:
        first.load(path, "user")
    assert refused.value.transient
    assert "Permission denied" in str(refused.value)
    first.save()
    monkeypatch.setattr(os, "open", real_open)  # the person fixed the permissions
    assert RoutineCache().load(path, "user").name == "Cached"
