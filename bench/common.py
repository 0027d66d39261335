"""What every benchmark shares: sizes, a throw-away home folder, the commands, and a result row."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from tests.patience import HANG

REPO = Path(__file__).resolve().parent.parent
BUILTIN_ROUTINE = "back-spasm-relief"
COLUMNS, LINES = 80, 24
# bytecode of every program measured, kept between runs as an installed wheel's would be
PYCACHE = Path(tempfile.gettempdir()) / f"unknot-bench-pycache-{os.getuid()}"


@dataclass(frozen=True)
class Sizes:
    """How much each benchmark does; the default is `make bench`, `tiny()` is the smoke test."""

    runs: int = 5  # repeats of anything short; every figure is the median
    long_runs: int = 3  # repeats of anything that waits for seconds
    window: float = 4.0  # seconds of steady state that wire and CPU watch
    presses: int = 100  # key latency samples per app
    timer_seconds: int = 120  # length of the real-time routine
    files: int = 1000  # routine files for the scale benchmark
    stretches: int = 20  # stretches in each of those files
    sessions: int = 10_000  # history sessions for the scale benchmark
    timeout: float = 20.0  # the longest wait for any one screen
    answer_timeout: float = 1.0  # a key not answered by then is counted as unanswered
    settle: float = 0.5  # seconds for a first frame's follow-up redraws to finish
    warmup: bool = True  # one unmeasured start before timing starts (disk and bytecode caches)

    def quick(self) -> Sizes:
        """A shorter run for a first look: fewer repeats and a 20-second routine."""
        return replace(self, runs=3, long_runs=2, window=4.0, presses=40, timer_seconds=20)

    @classmethod
    def tiny(cls) -> Sizes:
        """Just enough to prove every benchmark still runs."""
        return cls(
            runs=1,
            long_runs=1,
            window=1.0,
            presses=10,  # with 3, one key lost on a loaded machine failed the 90 % rule
            timer_seconds=4,
            files=3,
            stretches=2,
            sessions=20,
            settle=0.5,  # as in a full run: the smoke test shares 2 cores with the suite
            warmup=False,
            # the smoke test proves each benchmark runs, on a machine as busy as the suite
            # makes it: only a hang may fail it, never a slow screen or a slow key
            timeout=HANG,
            answer_timeout=HANG,
        )


@dataclass
class Row:
    """One line of the results table: a median, its baseline, and the target it is held to."""

    benchmark: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    passed: bool | None = None
    note: str = ""
    samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        """value / baseline; none where that means nothing (a drift below zero, a zero baseline)."""
        if self.baseline is None or self.baseline <= 0 or self.value < 0:
            return None
        return self.value / self.baseline


def median(values: Sequence[float]) -> float:
    """The median, or NaN when a benchmark got no samples (it then shows as a MISS)."""
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile: with 100 samples p95 is the 95th smallest."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class Sandbox:
    """A home folder of its own: XDG_* and HOME point here, never at the real home."""

    home: Path
    env: dict[str, str]  # the whole environment, for programs run without a terminal

    @property
    def extra_env(self) -> dict[str, str]:
        """What a pseudo-terminal program needs besides the harness's own clean environment."""
        return {k: self.env[k] for k in ("PYTHONPATH", "PYTHONPYCACHEPREFIX")}

    @property
    def routines(self) -> Path:
        return Path(self.env["XDG_CONFIG_HOME"]) / "unknot" / "routines"

    @property
    def history(self) -> Path:
        return Path(self.env["XDG_DATA_HOME"]) / "unknot" / "history"


@contextmanager
def sandbox() -> Iterator[Sandbox]:
    """A temporary home with the four XDG folders, in force in this process until the end."""
    with tempfile.TemporaryDirectory(prefix="unknot-bench-") as tmp:
        home = Path(tmp)
        env = dict(os.environ)
        env.pop("NO_COLOR", None)
        env.update(HOME=str(home), TERM="xterm-256color")
        for name, sub in (
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_DATA_HOME", ".local/share"),
            ("XDG_STATE_HOME", ".local/state"),
            ("XDG_CACHE_HOME", ".cache"),
        ):
            (home / sub).mkdir(parents=True)
            env[name] = str(home / sub)
        # Space must start the routine at once: no pain question before it (issue 6)
        (home / ".config" / "unknot").mkdir(parents=True)
        (home / ".config" / "unknot" / "config.toml").write_text("ask_pain = false\n", "utf-8")
        # the baselines live in this repository, wherever the benchmark is started from
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        # as installed from a wheel, bytecode is cached: an editable install with
        # PYTHONDONTWRITEBYTECODE would compile every module of tui at every start
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
        saved = dict(os.environ)
        os.environ.clear()  # code measured in this process must not see the real home either
        os.environ.update(env)
        try:
            yield Sandbox(home, env)
        finally:
            os.environ.clear()
            os.environ.update(saved)


def unknot(*args: str) -> list[str]:
    """The installed `unknot` command beside this Python, as a person starts it."""
    script = Path(sys.executable).parent / "unknot"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "tui", *args]


def baseline(module: str) -> list[str]:
    """A baseline app, started the same way: a Python process running one module."""
    return [sys.executable, "-m", f"bench.baselines.{module}"]


def stretch(index: int, hold: int, reps: int = 1, sides: str = "none") -> dict[str, Any]:
    """One plausible stretch for a generated routine file."""
    return {
        "id": f"stretch-{index}",
        "name": f"Stretch number {index}",
        "targets": ["lower back", "hips"],
        "position": "On your back, knees bent",
        "steps": [
            "Breathe out and let the lower back settle toward the floor.",
            "Draw one knee toward the chest and hold it there with both hands.",
            "Let go slowly and return to the starting position.",
        ],
        "tips": ["Stop if the stretch causes sharp pain."],
        "hold_seconds": hold,
        "reps": reps,
        "sides": sides,
        "switch_seconds": 2,
        "rest_between_reps": 2,
    }


def write_routine(
    folder: Path,
    routine_id: str,
    name: str,
    stretches: Sequence[dict[str, Any]],
    *,
    prepare_seconds: int = 0,
    rest_seconds: int = 0,
) -> Path:
    """A schema-1 routine file in `folder`, returned by path."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "schema": 1,
        "name": name,
        "description": "Written by the benchmark.",
        "prepare_seconds": prepare_seconds,
        "rest_seconds": rest_seconds,
        "stretches": list(stretches),
    }
    path = folder / f"{routine_id}.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


def builtin_name() -> str:
    """The built-in routine's name, which marks the app's first full frame."""
    import tomllib

    with (REPO / "routines" / f"{BUILTIN_ROUTINE}.toml").open("rb") as file:
        return str(tomllib.load(file)["name"])
