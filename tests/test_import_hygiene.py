"""The model, loader, engine and other domain modules never import Textual (start-up stays light,
and the plain mode and the tests run without it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tui"
ALWAYS = ["tui.model", "tui.loader", "tui.textclean", "tui.paths", "tui.schema_def", "tui.cli"]
IF_PRESENT = ["tui.engine", "tui.history", "tui.storage", "tui.config"]

CHECK = """
import importlib, json, sys
found = {}
for name in sys.argv[1:]:
    importlib.import_module(name)
    found[name] = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps(found))
"""


def domain_modules() -> list[str]:
    present = [name for name in IF_PRESENT if (PACKAGE / f"{name.split('.')[1]}.py").exists()]
    return ALWAYS + present


def test_domain_modules_do_not_import_textual() -> None:
    modules = domain_modules()
    done = subprocess.run(
        [sys.executable, "-c", CHECK, *modules],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(done.stdout)
    assert list(found) == modules
    assert {name: textual for name, textual in found.items() if textual} == {}
