"""The built-in routines ship inside the wheel and are found from there, from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check"),
            *("--no-deps", "--no-build-isolation", "-w", str(out), str(REPO)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("unknot-*.whl")
    return built


def test_the_wheel_holds_the_built_in_routines(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "tui/routines/back-spasm-relief.toml" in names
    assert "tui/routine_files/loader.py" in names


def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    """Modules in every layer's folder, and the stylesheet beside the app (CSS_PATH is read
    from the module's own folder): a file the wheel left out would fail only once installed."""
    names = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "tui"
    wanted = {
        path.relative_to(REPO).as_posix()
        for path in package.rglob("*")
        if path.suffix in (".py", ".tcss") and "__pycache__" not in path.parts
    }
    assert "tui/ui/app.tcss" in wanted
    assert sorted(wanted - names) == []


def test_routines_are_found_inside_the_unpacked_package(wheel: Path, tmp_path: Path) -> None:
    """`unknot list` run elsewhere, importing tui from the wheel's files, finds the built-ins."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, tui.cli, tui.store.paths;"
            "print(tui.store.paths.builtin_dir()); sys.exit(tui.cli.main(['list']))",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    assert Path(first) == site / "tui" / "routines"
    assert any(line.split()[:2] == ["back-spasm-relief", "built-in"] for line in rest)
