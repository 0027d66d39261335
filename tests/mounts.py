"""Real read-only folders and real full disks for the tests, as a person's disk would be.

`chmod` makes a folder read-only for an ordinary user but not for root, and CI runs as root:
there a folder is made read-only with a read-only bind mount of itself, and a full disk is a
tiny tmpfs. Where neither can be done (root without the right to mount, an ordinary user
asking for a tmpfs), the test is skipped with the reason; under CI=true it fails instead, so a
CI run never passes by skipping what it was meant to try.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest


def cannot(reason: str) -> NoReturn:
    """Skip the test for `reason`, or fail it under CI=true."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (under CI=true this test must run, not skip)")
    pytest.skip(reason)


def _mount(*args: str) -> None:
    try:
        done = subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        cannot("no `mount` command here")
    if done.returncode != 0:
        cannot(f"cannot mount here (mount {' '.join(args)}: {done.stderr.strip()})")


def _umount(folder: Path) -> None:
    # lazy: a file the app still holds open must not leave the mount behind
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` refuses every write (and rename) inside it until the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        mode = stat.S_IMODE(folder.stat().st_mode)
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)
        return
    _mount("--bind", str(folder), str(folder))
    try:
        _mount("-o", "remount,bind,ro", str(folder))
        yield
    finally:
        _umount(folder)


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str = "64k") -> Iterator[None]:
    """`folder` is a fresh file system of `size` bytes for the block (fill it to make it full)."""
    if os.geteuid() != 0:
        cannot("a tiny tmpfs needs root (CI runs as root)")
    folder.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder))
    try:
        yield
    finally:
        _umount(folder)


def fill(folder: Path) -> None:
    """Fill the file system `folder` is on, to the last byte."""
    path = folder / ".filler"
    chunk = b"\0" * 4096
    with contextlib.suppress(OSError), path.open("ab") as handle:
        while True:
            handle.write(chunk)
            handle.flush()
    with contextlib.suppress(OSError), path.open("ab") as handle:
        while True:  # the last partial block
            handle.write(b"\0")
            handle.flush()
