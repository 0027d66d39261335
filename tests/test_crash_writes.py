"""Kill -9 a writer at random moments, many times, and in the middle of a write for certain:
the file is always one whole version."""

from __future__ import annotations

import os
import random
import signal
import time
import tomllib
from pathlib import Path

import pytest

from tui.store.durable import atomic_write_text

KILLS = 100


def _version(tag: str, lines: int) -> str:
    """A big TOML file whose every line names its version, so a torn mix cannot parse as either."""
    rows = [f'tag = "{tag}"', f"lines = {lines}"]
    rows += [f"line{i} = '{tag}-{i:04d}-{tag * 2000}'" for i in range(lines)]
    return "\n".join(rows) + "\n"


VERSIONS = {"a": _version("a", 40), "b": _version("b", 64)}


def _write_forever(target: Path, ready: int, stop_in_write: int | None = None) -> None:
    """The child: write one version, say so, then alternate the two versions until killed.

    With `stop_in_write` = k, the k-th write of the loop stops for good half done (its new
    version written and synced to a temporary file, not yet renamed over the old one), saying
    so first: a kill then lands in the middle of a write for certain.
    """
    atomic_write_text(target, VERSIONS["a"])
    os.write(ready, b"r")
    real_replace = os.replace
    n = 0

    def replace(source: str, destination: Path) -> None:
        if n == stop_in_write:
            os.write(ready, b"m")
            while True:
                signal.pause()
        real_replace(source, destination)

    os.replace = replace  # type: ignore[assignment]  # only in this child
    while True:
        n += 1
        atomic_write_text(target, VERSIONS["b" if n % 2 else "a"])


def _check_whole(target: Path) -> str:
    text = target.read_text()
    data = tomllib.loads(text)
    tag = str(data["tag"])
    assert text == VERSIONS[tag]
    assert len(data) == data["lines"] + 2
    return tag


def _kill_writer(target: Path, stop_in_write: int | None, pause: float) -> None:
    """Start a writer; once it has written its first version, wait `pause` seconds (or until it
    stops in the middle of its `stop_in_write`-th write), and kill -9 it."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            os.close(read_end)
            _write_forever(target, write_end, stop_in_write)
        finally:
            os._exit(1)
    os.close(write_end)
    assert os.read(read_end, 1) == b"r"
    if stop_in_write is None:
        time.sleep(pause)  # a random moment: the point of this test, not a wait for anything
    else:
        assert os.read(read_end, 1) == b"m"  # half way through that write, and stays there
    os.close(read_end)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status)
    assert os.WTERMSIG(status) == signal.SIGKILL


def _real_files(folder: Path) -> list[str]:
    """A killed writer may leave its temporary file behind, but never a second real file."""
    return [p.name for p in folder.iterdir() if not p.name.startswith(".")]


def test_kill_at_random_moments_never_tears_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "data.toml"
    rng = random.Random(6)
    seen: list[str] = []
    for _ in range(KILLS):
        _kill_writer(target, None, rng.uniform(0.0, 0.01))
        seen.append(_check_whole(target))
        assert _real_files(target.parent) == ["data.toml"]
    print(f"{KILLS} kills: {seen.count('a')} left version a, {seen.count('b')} version b")


@pytest.mark.parametrize("write", [1, 2, 3])
def test_a_kill_in_the_middle_of_a_write_leaves_the_version_before(
    tmp_path: Path, write: int
) -> None:
    """Where the random kills may land, made certain: the new version is whole on disk, in a
    temporary file, and the file itself is still the last version written in full."""
    target = tmp_path / "out" / "data.toml"
    _kill_writer(target, write, 0.0)
    before = "a" if write % 2 else "b"  # the loop writes b, a, b, ... after a first a
    assert _check_whole(target) == before
    assert _real_files(target.parent) == ["data.toml"]
    (temp,) = [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    assert temp.read_text() == VERSIONS["b" if write % 2 else "a"]
