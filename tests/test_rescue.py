"""Copies of what the disk refused go to the first folder that takes them, in a stated order,
and the final words name each file, why, and where its copy is; with no folder, the data
itself is printed (issue 14, item 2). Folders refuse for real: a file in their path (which root
cannot get past either), a read-only mount, a full tiny disk."""

from __future__ import annotations

import errno
import os
import tempfile
import tomllib
from pathlib import Path

import pytest
from mounts import fill, read_only, tiny_disk

from tui.store.durable import Held, SaveError
from tui.store.paths import cache_dir
from tui.store.rescue import (
    Folder,
    fallback_folders,
    final_words,
    keep_copies,
    printed,
    unsaved_words,
)

RESUME = b'schema = 1\nroutine_id = "tiny"\n'


def held(path: Path, data: bytes = RESUME, what: str = "where the session stopped") -> Held:
    error = SaveError(what, path, OSError(errno.EROFS, os.strerror(errno.EROFS)))
    return Held(path, data, what, error)


def blocked(tmp_path: Path) -> Path:
    """A folder that cannot be made: a file stands where its parent should be."""
    (tmp_path / "a-file").write_text("in the way")
    return tmp_path / "a-file" / "folder"


def test_the_folders_are_the_cache_then_the_temporary_folder_then_the_current_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roots = [folder.root for folder in fallback_folders()]
    assert roots == [cache_dir() / "unsaved", Path(tempfile.gettempdir()), tmp_path]
    assert [folder.lost_at_restart for folder in fallback_folders()] == [False, True, False]


def test_a_refusing_folder_passes_the_copy_to_the_next(tmp_path: Path) -> None:
    target = tmp_path / "state" / "resume.toml"
    second = tmp_path / "second"
    [kept] = keep_copies(
        [held(target)], folders=[Folder(blocked(tmp_path), ""), Folder(second, "")]
    )
    assert kept.copy is not None and kept.copy.parent.parent == second
    assert kept.copy.read_bytes() == RESUME and kept.copy.name == "resume.toml"
    words = "\n".join(final_words([kept]))
    assert str(target) in words and str(kept.copy) in words and "read-only" in words


def test_a_read_only_folder_passes_the_copy_on(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    with read_only(first):
        [kept] = keep_copies(
            [held(tmp_path / "x.toml")], folders=[Folder(first, ""), Folder(second, "")]
        )
    assert kept.copy is not None and second in kept.copy.parents
    assert list(first.iterdir()) == []


def test_a_full_disk_passes_the_copy_to_the_temporary_folder_and_says_it_is_not_for_ever(
    tmp_path: Path,
) -> None:
    full, spare = tmp_path / "full", tmp_path / "spare"
    big = held(tmp_path / "history" / "2025-06.toml", b"# history\n" + b"x" * 8192, "1 session")
    with tiny_disk(full):
        fill(full)
        [kept] = keep_copies([big], folders=[Folder(full, ""), Folder(spare, "", True)])
        assert [p.name for p in full.iterdir()] == [".filler"]  # no empty folder left behind
    assert kept.copy is not None and kept.copy.read_bytes() == big.data
    assert kept.lost_at_restart
    assert "lost when the computer restarts" in "\n".join(final_words([kept]))


def test_with_no_folder_the_data_is_printed_as_toml(tmp_path: Path) -> None:
    one = held(tmp_path / "state" / "resume.toml")
    two = held(tmp_path / "config.toml", b'bell = false\ntheme = "nord"\n', "the settings")
    kept = keep_copies([one, two], folders=[Folder(blocked(tmp_path), "")])
    assert [k.copy for k in kept] == [None, None]
    words = "\n".join(final_words(kept))
    assert words.count("printed below") == 2, words
    text = printed(kept)
    assert tomllib.loads(text) == {"schema": 1, "routine_id": "tiny", "bell": False} | {
        "theme": "nord"
    }
    assert f"# unknot: the settings, for {tmp_path / 'config.toml'}" in text


def test_two_files_of_one_name_both_keep_their_copy(tmp_path: Path) -> None:
    kept = keep_copies(
        [held(tmp_path / "a" / "x.toml", b"a = 1\n"), held(tmp_path / "b" / "x.toml", b"b = 2\n")],
        folders=[Folder(tmp_path / "copies", "")],
    )
    copies = [k.copy for k in kept]
    assert None not in copies and len(set(copies)) == 2
    assert sorted(c.read_bytes() for c in copies if c is not None) == [b"a = 1\n", b"b = 2\n"]


def test_the_question_groups_what_waits_by_why() -> None:
    full = SaveError("h", Path("h"), OSError(errno.ENOSPC, "No space left on device"))
    items = [
        held(Path("r"), what="where the session stopped"),
        Held(Path("h"), b"", "1 session for the history", full),
        held(Path("l"), what="the last routine used"),
    ]
    assert unsaved_words(items) == (
        "where the session stopped and the last routine used: the disk is read-only. "
        "1 session for the history: the disk is full."
    )
