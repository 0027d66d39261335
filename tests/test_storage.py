"""Atomic writes, bounded reads, moving corrupt files aside, and keeping failed writes for later."""

from __future__ import annotations

import errno
import os
import threading
from datetime import datetime
from pathlib import Path

import pytest
from patience import HANG

from tui.store.durable import (
    PendingWrites,
    ReadError,
    SaveError,
    atomic_write_bytes,
    atomic_write_text,
    move_aside,
    read_limited,
)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_creates_the_folder_and_the_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.toml"
    atomic_write_text(target, "x = 1\n")
    assert target.read_text() == "x = 1\n"
    assert _leftovers(target.parent) == []


def test_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "file.toml"
    atomic_write_bytes(target, b"long old contents " * 100)
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"


def test_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "config.toml"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_temp_files_left_by_a_killed_writer_are_removed_later(tmp_path: Path) -> None:
    old = tmp_path / ".f.toml.abc123.tmp"
    old.write_text("half")
    os.utime(old, (0, 0))
    recent = tmp_path / ".f.toml.def456.tmp"  # may be another writer's, still at work
    recent.write_text("half")
    other = tmp_path / ".g.toml.abc123.tmp"
    other.write_text("x")
    os.utime(other, (0, 0))
    atomic_write_text(tmp_path / "f.toml", "whole")
    assert not old.exists()
    assert recent.exists()
    assert other.exists()


def test_written_file_is_private(tmp_path: Path) -> None:
    target = tmp_path / "file.toml"
    atomic_write_bytes(target, b"pain = 7")
    assert target.stat().st_mode & 0o777 == 0o600


def test_write_fsyncs_file_and_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    atomic_write_bytes(tmp_path / "f", b"data")
    assert len(synced) == 2  # the temporary file before the rename, the folder after it


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "the disk is full (No space left on device)"),
        (errno.EROFS, "the disk is read-only (Read-only file system)"),
    ],
)
def test_failed_rename_keeps_old_file_and_removes_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    target = tmp_path / "2026-11.toml"
    target.write_bytes(b"old")

    def refuse(src: str, dst: str) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SaveError) as caught:
        atomic_write_bytes(target, b"new", what="history")
    assert str(caught.value) == f"Could not save history to {target}: {words}"
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_failed_write_midway_removes_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.toml"

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(SaveError, match="the disk is full"):
        atomic_write_bytes(target, b"x" * 10_000)
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_read_only_folder_cannot_even_make_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("tempfile.mkstemp", read_only)
    with pytest.raises(SaveError, match="read-only"):
        atomic_write_bytes(tmp_path / "f", b"x", what="settings")


def test_folder_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "history"
    blocker.write_text("not a folder")
    with pytest.raises(SaveError) as caught:
        atomic_write_bytes(blocker / "2026-11.toml", b"x", what="history")
    assert "Could not save history to" in str(caught.value)
    assert "file" in str(caught.value).split(": ", 1)[1]
    assert blocker.read_text() == "not a folder"


def test_error_of_a_file_deeper_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("x")
    with pytest.raises(SaveError, match="part of the folder path is a file"):
        atomic_write_bytes(blocker / "unknot" / "history" / "f.toml", b"x")


def test_read_limited_reads_a_plain_file(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"abc")
    assert read_limited(target, 3) == b"abc"


def test_read_limited_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_limited(tmp_path / "nope", 10)


def test_read_limited_refuses_oversize(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"abcd")
    with pytest.raises(ReadError, match="too large"):
        read_limited(target, 3)


def test_read_limited_refuses_folder(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="folder"):
        read_limited(tmp_path, 10)


def test_read_limited_refuses_fifo_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    outcome: list[BaseException | bytes] = []

    def attempt() -> None:
        try:
            outcome.append(read_limited(fifo, 10))
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(HANG)
    assert not worker.is_alive(), "reading a FIFO hung"
    assert isinstance(outcome[0], ReadError)
    assert "not a plain file" in str(outcome[0])


def test_read_limited_refuses_link_to_dev_zero(tmp_path: Path) -> None:
    link = tmp_path / "x.toml"
    link.symlink_to("/dev/zero")
    with pytest.raises(ReadError, match="not a plain file"):
        read_limited(link, 10)


def test_read_limited_unreadable_is_read_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"abc")

    def denied(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(ReadError, match="permission was denied"):
        read_limited(target, 10)


def _clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30, 5)


def test_move_aside_renames_with_timestamp(tmp_path: Path) -> None:
    target = tmp_path / "2026-11.toml"
    target.write_text("garbage")
    moved = move_aside(target, now=_clock)
    assert moved.name == "2026-11.toml.broken-20261125-093005"
    assert moved.read_text() == "garbage"
    assert not target.exists()


def test_move_aside_never_overwrites_an_earlier_copy(tmp_path: Path) -> None:
    target = tmp_path / "2026-11.toml"
    target.write_text("first")
    first = move_aside(target, now=_clock)
    target.write_text("second")
    second = move_aside(target, now=_clock)
    assert first != second
    assert first.read_text() == "first"
    assert second.read_text() == "second"


def test_move_aside_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.toml"
    target.write_text("old copy")
    (tmp_path / "f.toml.broken-20261125-093005").write_text("earlier")

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)
    moved = move_aside(target, now=_clock)
    assert moved.name == "f.toml.broken-20261125-093005-1"
    assert moved.read_text() == "old copy"
    assert (tmp_path / "f.toml.broken-20261125-093005").read_text() == "earlier"


def test_pending_keeps_data_when_disk_is_full_and_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "resume.toml"
    real_replace = os.replace

    def full(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    pending = PendingWrites()
    monkeypatch.setattr(os, "replace", full)
    error = pending.write(target, b"first", what="the resume point")
    assert error is not None
    assert "the disk is full" in error.message
    error = pending.write(target, b"second", what="the resume point")
    assert len(pending) == 1
    assert pending.retry()  # still full
    assert not target.exists()

    monkeypatch.setattr(os, "replace", real_replace)
    assert pending.retry() == []
    assert target.read_bytes() == b"second"  # the newest data won
    assert not pending


def test_pending_after_folder_blocked_by_file(tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("x")
    pending = PendingWrites()
    assert pending.write(blocker / "resume.toml", b"data") is not None
    assert list(pending.waiting) == [blocker / "resume.toml"]
    blocker.unlink()
    assert pending.retry() == []
    assert (blocker / "resume.toml").read_bytes() == b"data"


def test_pending_discard_forgets(tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("x")
    pending = PendingWrites()
    pending.write(blocker / "resume.toml", b"data")
    pending.discard(blocker / "resume.toml")
    assert len(pending) == 0


def test_an_exclusive_write_never_replaces_a_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    tmp_path = tmp_path / "reports"
    tmp_path.mkdir()
    path = tmp_path / "report.html"
    atomic_write_bytes(path, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        atomic_write_bytes(path, b"second", exclusive=True)
    assert path.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    (tmp_path / "a-file").write_bytes(b"")
    with pytest.raises(SaveError, match="a-file"):
        atomic_write_bytes(tmp_path / "a-file" / "x", b"data", exclusive=True)
