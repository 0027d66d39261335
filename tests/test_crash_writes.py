"""Kill -9 a writer at random moments, many times: the file is always one whole version."""

from __future__ import annotations

import os
import random
import signal
import time
import tomllib
from pathlib import Path

from tui.storage import atomic_write_text

KILLS = 100


def _version(tag: str, lines: int) -> str:
    """A big TOML file whose every line names its version, so a torn mix cannot parse as either."""
    rows = [f'tag = "{tag}"', f"lines = {lines}"]
    rows += [f"line{i} = '{tag}-{i:04d}-{tag * 2000}'" for i in range(lines)]
    return "\n".join(rows) + "\n"


VERSIONS = {"a": _version("a", 40), "b": _version("b", 64)}


def _write_forever(target: Path, ready: int) -> None:
    """The child: write one version, say so, then alternate the two versions until killed."""
    atomic_write_text(target, VERSIONS["a"])
    os.write(ready, b"r")
    n = 0
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


def test_kill_at_random_moments_never_tears_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "data.toml"
    rng = random.Random(6)
    seen: list[str] = []
    for _ in range(KILLS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                os.close(read_end)
                _write_forever(target, write_end)
            finally:
                os._exit(1)
        os.close(write_end)
        assert os.read(read_end, 1) == b"r"
        os.close(read_end)
        time.sleep(rng.uniform(0.0, 0.01))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status)
        assert os.WTERMSIG(status) == signal.SIGKILL
        seen.append(_check_whole(target))
        # a killed writer may leave its temporary file behind, but never a second real file
        names = [p.name for p in target.parent.iterdir() if not p.name.startswith(".")]
        assert names == ["data.toml"]
    # the kills landed between different writes, so both versions were seen, and some landed
    # in the middle of a write (the killed writer's temporary file is still there)
    assert set(seen) == {"a", "b"}
    torn_writes = len([p for p in target.parent.iterdir() if p.name.endswith(".tmp")])
    assert torn_writes > 0
    print(
        f"{KILLS} kills: {seen.count('a')} left version a, {seen.count('b')} version b, "
        f"{torn_writes} during a write"
    )
