"""The model, loader, engine and other domain modules never import Textual (start-up stays light,
and the plain mode and the tests run without it); the app's start loads nothing that only a later
moment needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from patience import HANG

PACKAGE = Path(__file__).resolve().parent.parent / "tui"
ALWAYS = ["tui.model", "tui.loader", "tui.textclean", "tui.paths", "tui.schema_def", "tui.cli"]
IF_PRESENT = ["tui.engine", "tui.history", "tui.storage", "tui.config", "tui.rescue"]

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
        timeout=HANG,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert list(found) == modules
    assert {name: textual for name, textual in found.items() if textual} == {}


FIRST_FRAME = """
import os, sys
from textual.app import App

listing = sys.argv[1]
shown = App._display


def display(self, screen, renderable):
    shown(self, screen, renderable)
    if renderable is not None:  # the first frame: what is loaded by now, and stop
        with open(listing, "w", encoding="utf-8") as out:
            out.write("\\n".join(sorted(sys.modules)))
        os._exit(0)


App._display = display
from tui import cli

sys.argv = ["unknot", "run", "back-spasm-relief"]
cli.main()
"""

LATER = {
    "tui.listing",  # `unknot list`
    "tui.routine_cache",  # every routine file is read after the first frame
    "tui.watch",
    "tui.resume",  # the resume offer is read after the first frame
    "tui.position",
    "tui.summary",  # a session's end
    "tui.history",
    "tui.history_toml",
    "tui.commands",  # the palette
    "tui.routine_writer",
    "tui.plain",
    "tui.speak",
    "tui.serve",
    "tui.schema",
    "tui.template",
    "tomli_w",
    "tomlkit",  # saving settings and routines
    "tui.rescue",  # quitting with something the disk refused
    "tui.screens.unsaved",
    "tui.screens.replace_routine",
    "argparse",
    "tui.core.figure_draw",  # a figure is drawn just after the first frame (issue 16)
    "tui.core.raster",
    "tui.core.figure_motion",
}
"""Modules the app's start must not load: nothing on screen in the first frame needs them."""


def test_the_first_frame_loads_nothing_that_comes_later(tmp_path: Path) -> None:
    """`unknot run` in a real terminal, up to its first frame: every module loaded before it
    costs every start (issue 7), so what only a later moment needs must wait for that moment."""
    ptyterm = pytest.importorskip("ptyterm", reason="no pseudo-terminals on this platform")
    modules = tmp_path / "modules"
    argv = [sys.executable, "-c", FIRST_FRAME, str(modules)]
    with ptyterm.PtyTerminal(argv, cols=80, rows=24) as term:
        status = term.wait_exit()
        assert (status, modules.exists()) == (0, True), term.describe()
    loaded = set(modules.read_text(encoding="utf-8").split())
    assert {"tui.app", "tui.screens.main", "tomllib"} <= loaded  # it did start
    assert loaded & LATER == set()
    dialogs = {m for m in loaded if m.startswith("tui.screens.")}
    assert dialogs == {"tui.screens.main", "tui.screens.sizing"}
