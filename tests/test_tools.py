"""The rule for tests that need a program from outside the project: asked for through
require_tool, listed in tests/tools.txt, skipped when missing only outside CI, and installed by
.ci/install-tools (once: a second run installs nothing)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
import tools
from patience import HANG
from tools import listed_tools, require_tool

TESTS = Path(__file__).parent
REPO = TESTS.parent
INSTALL = REPO / ".ci" / "install-tools"


@pytest.fixture
def missing_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A listed tool that no machine has."""
    listing = tmp_path / "tools.txt"
    listing.write_text("# a list like ours\nunknot-no-such-tool  some-package  a test\n")
    monkeypatch.setattr(tools, "LIST", listing)
    return "unknot-no-such-tool"


def test_a_missing_tool_skips_the_test_outside_ci(
    missing_tool: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tools, "CALLER", {})
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_tool(missing_tool)
    assert str(skipped.value) == f"{missing_tool} is not installed (Debian package some-package)"


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_under_ci_a_missing_tool_fails_the_test(
    missing_tool: str, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setattr(tools, "CALLER", {"CI": value})
    with pytest.raises(pytest.fail.Exception) as failed:
        require_tool(missing_tool)
    assert f"{missing_tool} is not installed (Debian package some-package)" in str(failed.value)
    assert "under CI every test must run" in str(failed.value)


@pytest.mark.parametrize("value", ["", "0", "false"])
def test_ci_set_to_false_is_not_ci(
    missing_tool: str, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setattr(tools, "CALLER", {"CI": value})
    with pytest.raises(pytest.skip.Exception):
        require_tool(missing_tool)


def test_a_tool_not_in_the_list_fails_even_when_installed(missing_tool: str) -> None:
    with pytest.raises(pytest.fail.Exception) as failed:
        require_tool("sh")  # on every machine, but CI would not know to install it
    assert "sh is not in tests/tools.txt" in str(failed.value)


def test_tools_are_found_on_the_known_path_not_the_callers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing_tool: str
) -> None:
    fake = tmp_path / "bin" / missing_tool
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    monkeypatch.setattr(tools, "CALLER", {})
    with pytest.raises(pytest.skip.Exception):
        require_tool(missing_tool)


def test_a_listed_tool_that_is_installed_is_given_by_its_full_path() -> None:
    cat = require_tool("cat")
    assert os.path.isabs(cat) and os.access(cat, os.X_OK)


def _sources() -> dict[str, str]:
    """Every test module but the rule's own (which asks for made-up tools on purpose)."""
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(TESTS.rglob("*.py"))
        if path.name not in ("tools.py", "test_tools.py")
    }


def test_no_test_looks_for_a_program_by_itself() -> None:
    # shutil.which and a skip of one's own would skip under CI too, where nothing may skip
    looking = {
        name: found
        for name, text in _sources().items()
        if (found := re.findall(r"shutil\.which\(|\bwhich\(", text))
    }
    assert looking == {}


def test_every_listed_tool_is_required_by_some_test() -> None:
    """No package is installed in CI for nothing."""
    required = set()
    for text in _sources().values():
        required |= set(re.findall(r"require_tool\(\s*[\"']([^\"']+)[\"']", text))
    assert set(listed_tools()) - required == set()


# -- .ci/install-tools ---------------------------------------------------------------------


def _fake_apt(folder: Path) -> Path:
    """An apt-get that logs its arguments and "installs" a package by making a command of the
    same name in `folder`."""
    log = folder / "apt.log"
    apt = folder / "apt-get"
    apt.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {log}\n'
        'if [ "$1" = install ]; then\n'
        "  for package; do\n"
        '    case "$package" in -*|install) ;; *)\n'
        f'      printf "#!/bin/sh\\n" > "{folder}/$package"; chmod +x "{folder}/$package";;\n'
        "    esac\n"
        "  done\n"
        "fi\n"
    )
    apt.chmod(apt.stat().st_mode | stat.S_IEXEC)
    return log


def _install(listing: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "APT_GET": str(folder / "apt-get"),
        "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        [str(INSTALL), str(listing)], env=env, capture_output=True, text=True, timeout=HANG
    )


def test_the_ci_installs_each_missing_package_once_and_then_nothing(tmp_path: Path) -> None:
    listing = tmp_path / "tools.txt"
    listing.write_text(
        "# command  package  why\n"
        "unknot-tool-a  unknot-tool-a  one test\n"
        "unknot-tool-b  unknot-tool-a  the same package\n"
        "cat  coreutils  there already\n"
    )
    log = _fake_apt(tmp_path)
    first = _install(listing, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "ci: installing unknot-tool-a\n"
    assert log.read_text().splitlines() == [
        "update -qq",
        "install -y -qq --no-install-recommends unknot-tool-a",
    ]
    (tmp_path / "unknot-tool-b").write_text("#!/bin/sh\n")  # the package's second command
    (tmp_path / "unknot-tool-b").chmod(0o755)
    again = _install(listing, tmp_path)
    assert (again.returncode, again.stdout) == (
        0,
        "ci: every program the tests need is installed\n",
    )
    assert len(log.read_text().splitlines()) == 2  # apt-get was not called again


def test_the_ci_list_is_the_tests_list() -> None:
    commands = [
        line
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert commands[-2:] == [".ci/install-tools tests/tools.txt", "make test"]
