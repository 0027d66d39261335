"""Durable files: every write is whole or absent, every read is bounded, nothing overwritten.

A crash, `kill -9` or a power cut at any moment must leave the old file or the new one, never a
torn mix, so writes go to a temporary file in the same folder, are flushed to the disk, and then
renamed over the target (a rename within one folder is atomic on POSIX). Reads refuse anything
that is not a plain file of a sane size, so a FIFO or a link to /dev/zero cannot hang unknot.
When a write fails (read-only or full disk), `PendingWrites` keeps the data to try again.

No Textual here: the app, the plain mode and the command line all save through this module.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission was denied",
    errno.EPERM: "permission was denied",
    errno.ENOTDIR: "part of the folder path is a file, not a folder",
    errno.EEXIST: "a file is in the way of the folder",
    errno.EISDIR: "a folder has that name",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EIO: "the disk reported an input/output error",
}


def describe_os_error(error: OSError) -> str:
    """What went wrong, in words, with the system's own wording in brackets."""
    detail = error.strerror or str(error) or type(error).__name__
    return f"{os_error_reason(error)} ({detail})"


def os_error_reason(error: OSError) -> str:
    """What went wrong, in a few words: "the disk is full"."""
    return _REASONS.get(error.errno or 0, "the system refused")


class SaveError(Exception):
    """A file could not be saved; the message says what, where and why, for the person to read."""

    def __init__(self, what: str, path: Path, cause: OSError) -> None:
        self.what = what
        self.path = path
        self.cause = cause
        super().__init__(f"Could not save {what} to {path}: {describe_os_error(cause)}")

    @property
    def message(self) -> str:
        return str(self)


class ReadError(Exception):
    """A file exists but cannot be read as a plain, bounded file; the message is for the person."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; some systems cannot open a folder, which is harmless."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


STALE_TEMP_SECONDS = 600


def _remove_stale_temps(folder: Path, name: str) -> None:
    """Remove temporary files that a killed writer left behind (old enough not to be in use)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    prefix = f".{name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        os.unlink(entry.path)


def atomic_write_bytes(
    path: Path,
    data: bytes,
    *,
    what: str = "the file",
    mode: int = 0o600,
    exclusive: bool = False,
) -> None:
    """Replace `path` with `data` all at once: a crash leaves the old file or the new one.

    The folder is created when missing. Raises SaveError (never a bare OSError) on failure,
    after removing the temporary file. `exclusive`: never over a file already there (then
    FileExistsError, and nothing is written), however late it appeared.
    """
    path = Path(path)
    if path.is_symlink():
        # a settings file linked from elsewhere (a dotfiles folder): keep the link, write its file
        path = Path(os.path.realpath(path))
    folder = path.parent
    temp_name: str | None = None
    try:
        # a file where a folder should be: said as such below, not as the file being there
        with contextlib.suppress(FileExistsError):
            folder.mkdir(parents=True, exist_ok=True)
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
        import tempfile  # only to write: every start reads, few write (`unknot due` never)

        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        if exclusive:
            _link_new(temp_name, path)
        else:
            os.replace(temp_name, path)
        temp_name = None
        _fsync_folder(folder)
        _remove_stale_temps(folder, path.name)
    except FileExistsError as error:
        if not exclusive:
            raise SaveError(what, path, error) from error
        raise
    except OSError as error:
        raise SaveError(what, path, error) from error
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)


def _link_new(temp_name: str, path: Path) -> None:
    """Give the written temporary file its name, only if no file has it (a hard link fails
    then); where links are refused (some shared or FAT disks), a check and a rename."""
    try:
        os.link(temp_name, path)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(temp_name, path)
        return
    os.unlink(temp_name)


def atomic_write_text(path: Path, text: str, *, what: str = "the file", mode: int = 0o600) -> None:
    """`atomic_write_bytes` for text, always UTF-8 with "\\n" line ends."""
    atomic_write_bytes(path, text.encode("utf-8"), what=what, mode=mode)


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a plain file of at most `limit` bytes.

    Raises FileNotFoundError when there is no file, and ReadError for anything else: a folder,
    a FIFO or device (opened without blocking, so a FIFO cannot hang us), a file too large,
    or a read the system refused.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise
    except IsADirectoryError as error:
        raise ReadError(path, "this is a folder, not a file") from error
    except OSError as error:
        raise ReadError(path, f"cannot open it: {describe_os_error(error)}") from error
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(path, "this is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(path, "this is not a plain file (a pipe, device or socket)")
        if info.st_size > limit:
            raise ReadError(path, f"the file is too large ({info.st_size} bytes; at most {limit})")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise ReadError(path, f"the file is too large (more than {limit} bytes)")
        return b"".join(chunks)
    except OSError as error:
        raise ReadError(path, f"cannot read it: {describe_os_error(error)}") from error
    finally:
        os.close(fd)


def move_aside(
    path: Path, *, now: Callable[[], datetime] = datetime.now, label: str = "broken"
) -> Path:
    """Rename a corrupt file to `<name>.broken-<timestamp>` and return the new path.

    `label` names why it was moved ("replaced": a good file the person chose to replace).
    Never replaces an existing file: a link is made under the new name first (which fails if
    the name is taken, so a counter is added), then the old name is removed. Raises OSError
    when the file cannot be moved.
    """
    path = Path(path)
    stamp = now().strftime("%Y%m%d-%H%M%S")
    base = f"{path.name}.{label}-{stamp}"
    for attempt in range(1000):
        target = path.with_name(base if attempt == 0 else f"{base}-{attempt}")
        try:
            os.link(path, target, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            # no hard links here (some file systems, folders): rename, checking first
            if os.path.lexists(target):
                continue
            os.rename(path, target)
            return target
        os.unlink(path)
        _fsync_folder(path.parent)
        return target
    raise FileExistsError(errno.EEXIST, "too many broken copies", str(path))


@dataclass(frozen=True, slots=True)
class _Pending:
    """A write to try again."""

    data: bytes
    what: str
    error: SaveError
    using: Callable[..., None] | None


@dataclass(frozen=True, slots=True)
class Held:
    """Data waiting in memory for the disk: what it is, where it belongs, why it is not there."""

    path: Path
    data: bytes
    what: str
    error: SaveError


class PendingWrites:
    """Whole-file writes that failed, kept in memory (newest data per path) to try again later.

    The app keeps running on a read-only or full disk: it tells the person what could not be
    saved, and `retry()` (on a timer, or before exit) writes whatever is still waiting.
    """

    def __init__(self, write: Callable[..., None] | None = None) -> None:
        self._write = write or atomic_write_bytes
        self._pending: dict[Path, _Pending] = {}

    def write(
        self,
        path: Path,
        data: bytes,
        *,
        what: str = "the file",
        using: Callable[..., None] | None = None,
    ) -> SaveError | None:
        """Save now, or keep the data for later: the error when it had to be kept, else None.

        `using` writes this one file instead of the usual whole-file write (called as
        `using(path, data, what=what)`, now and at every retry): settings are merged into the
        file the person wrote, not written over it.
        """
        path = Path(path)
        try:
            (using or self._write)(path, data, what=what)
        except SaveError as error:
            self._pending[path] = _Pending(data, what, error, using)
            return error
        self._pending.pop(path, None)
        return None

    def retry(self) -> list[SaveError]:
        """Try every waiting write again; the errors of those still waiting."""
        errors: list[SaveError] = []
        for path, pending in list(self._pending.items()):
            error = self.write(path, pending.data, what=pending.what, using=pending.using)
            if error is not None:
                errors.append(error)
        return errors

    def discard(self, path: Path) -> None:
        """Forget a waiting write whose data is no longer wanted (a finished session's resume)."""
        self._pending.pop(Path(path), None)

    @property
    def waiting(self) -> dict[Path, SaveError]:
        """The paths still waiting to be saved, with the last error of each."""
        return {path: pending.error for path, pending in self._pending.items()}

    def held(self) -> list[Held]:
        """Everything still waiting, with its data: what a copy kept elsewhere is made of."""
        return [Held(path, p.data, p.what, p.error) for path, p in self._pending.items()]

    def __len__(self) -> int:
        return len(self._pending)

    def __bool__(self) -> bool:
        return bool(self._pending)
