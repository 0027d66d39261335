"""Shared fixtures: every test runs with its own XDG folders, never the real home, and in one
known environment, whatever the caller's shell, cron job or CI runner set."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
import settle
from hypothesis import HealthCheck, settings
from known_env import known_environment, process_environment_names
from textual._styles_cache import StylesCache

# Property tests: the same examples on every run and every machine (a CI log that fails shows
# the failing example, and the next run sees the same one), no per-example time limit (a busy
# machine is not a bug), and a blob to reproduce any failure. Hypothesis would choose other
# settings by itself when it sees CI set; these apply everywhere. `--hypothesis-profile=explore`
# looks for new examples instead.
_SUITE = settings(
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("suite", _SUITE)
settings.register_profile("explore", _SUITE, derandomize=False, max_examples=1000)
settings.load_profile("suite")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME and every XDG folder at a temporary folder, so no test reads or writes ours,
    and replace the rest of the environment with tests/known_env.py's (programs the test
    starts inherit it)."""
    home = tmp_path / "home"
    wanted = known_environment(home)
    for name in list(os.environ):
        if name not in wanted:
            monkeypatch.delenv(name)
    for name in process_environment_names() - set(os.environ):
        os.unsetenv(name)  # set behind os.environ's back (readline's COLUMNS and LINES)
    for name, value in wanted.items():
        monkeypatch.setenv(name, value)
    return home


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--textual-idle",
        action="store_true",
        help="in the app tests, wait also as Textual's Pilot does by itself, until the process "
        "looks idle (sleeps of 20 ms until one used under 1 ms of CPU), besides waiting for the "
        "app's work to be done (see tests/settle.py)",
    )


@pytest.fixture(autouse=True)
def pilot_waits_for_the_work(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pilot waits until the app has no work queued, not until the process looks idle, which
    a loaded machine makes it look at once (tests/settle.py)."""
    settle.install(monkeypatch, textual_idle=request.config.getoption("--textual-idle"))


# The garbage collector's share of the suite's CPU (it was a sixth: 48 s of a run's 290 s,
# 11 s of tests/test_keys_shown.py's 44 s), cut without changing what any test sees.


def pytest_collection_finish(session: pytest.Session) -> None:
    """The modules, test functions and parameters made while collecting live until the end:
    freeze them out of the collector's walks (each full collection walked them all). And
    collect the young less often: an app test makes and drops hundreds of thousands of
    objects (widgets, styles, strips), and at Python's 700 allocations a collection it ran
    90 full collections in test_keys_shown + test_app (7 s of 46 s CPU), 6 at 10,000 (3.4 s)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Let go of the widgets of the test's apps. Textual 8.2.8 caches
    `StylesCache.get_inner_outer` with an lru_cache on the method, so the cache keys hold the
    last 1024 widgets' render caches and their strips: bounded in one app, but in a process
    that starts hundreds of apps about 480,000 objects that every full collection walked."""
    StylesCache.get_inner_outer.cache_clear()
