"""The layers of tui/ hold: the packages below the view never import Textual, each package
imports only the packages below it, no module imports itself back, every package's __init__ is
a docstring; and the app's start loads nothing that only a later moment needs."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from patience import HANG

PACKAGE = Path(__file__).resolve().parent.parent / "tui"
WITHOUT_TEXTUAL = ["core", "terminal", "store", "routine_files", "report"]
"""Packages where Textual is never imported, not even by a module they import: the plain mode
and `unknot history` run without it, and the app's start pays only for what it draws."""
ENTRY_POINTS_WITHOUT_TEXTUAL = ["tui.cli", "tui.plain"]

LAYERS = [
    {"ui", "report"},
    {"routine_files"},
    {"store"},
    {"terminal"},
    {"core"},
]
"""tui's packages from the top down: a package imports only packages below it (or modules of its
own). ui and report stand side by side and import neither each other. The entry points (cli.py,
__main__.py, plain.py, serve.py) may import anything; tui/__init__.py (the version) anyone."""

CHECK = """
import importlib, json, sys
found = {}
for name in sys.argv[1:]:
    importlib.import_module(name)
    found[name] = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps(found))
"""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def every_module() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def domain_modules() -> list[str]:
    inside = [
        module_name(path)
        for package in WITHOUT_TEXTUAL
        for path in sorted((PACKAGE / package).rglob("*.py"))
    ]
    return inside + ENTRY_POINTS_WITHOUT_TEXTUAL


def test_the_packages_below_the_view_do_not_import_textual() -> None:
    """Every module of the packages below ui/, a new file too, imported in one process: the
    first that loads Textual (itself or through anything it imports) is named."""
    modules = domain_modules()
    assert "tui.core.model" in modules and "tui.store.history.records" in modules
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
    first = next(((name, textual) for name, textual in found.items() if textual), None)
    assert first is None, f"{first[0]} loads {first[1][:3]}"


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every tui module (or package) `path` imports, anywhere in it: at the top, in a
    function, under TYPE_CHECKING; `from tui.a import b` names tui.a.b when that is a module."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / submodule.replace(".", "/")).with_suffix(".py")
                is_package = PACKAGE.parent / submodule.replace(".", "/") / "__init__.py"
                target = submodule if is_module.exists() or is_package.exists() else node.module
                found.append((node.lineno, target))
    return [(line, name) for line, name in found if name == "tui" or name.startswith("tui.")]


def layer_of(module: str) -> int | None:
    """The package's place in LAYERS (0 is the top); None for an entry point or tui itself."""
    parts = module.split(".")
    if len(parts) < 3 and not (PACKAGE / parts[-1]).is_dir():
        return None  # tui, tui.cli, tui.plain ...
    for depth, packages in enumerate(LAYERS):
        if parts[1] in packages:
            return depth
    raise AssertionError(f"{module}: tui/{parts[1]}/ is in no layer of LAYERS")


def test_each_package_imports_only_the_packages_below_it() -> None:
    wrong = []
    for path in every_module():
        here = module_name(path)
        mine = layer_of(here)
        if mine is None:
            continue
        for line, target in imports_of(path):
            theirs = layer_of(target)
            same_package = target.split(".")[:2] == here.split(".")[:2]
            if target == "tui" or same_package:
                continue
            if theirs is None or theirs <= mine:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert wrong == []


def test_no_module_imports_itself_back_through_others() -> None:
    """No import circle, counting imports inside functions and under TYPE_CHECKING: each is a
    dependency, whenever it runs (a package's __init__ is a docstring and leads nowhere)."""
    graph = {module_name(path): imports_of(path) for path in every_module()}
    edges = {
        name: sorted({t for _, t in targets if t in graph and t != name and t != "tui"})
        for name, targets in graph.items()
    }
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in edges[name]:
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name)
    assert [" -> ".join(circle) for circle in circles] == []


def test_every_package_face_is_a_docstring_only() -> None:
    """No re-exports: importing tui.store must not load every module of the store (the first
    frame's test below counts what is loaded)."""
    faces = sorted(PACKAGE.rglob("__init__.py"))
    assert len(faces) >= 9
    not_bare = []
    for face in faces:
        body = ast.parse(face.read_text(encoding="utf-8")).body
        docstring_only = len(body) == 1 and isinstance(body[0], ast.Expr)
        names_only = all(isinstance(node, (ast.Expr, ast.Assign)) for node in body)
        if face == PACKAGE / "__init__.py" and names_only:  # the version and the docstring
            continue
        if not (docstring_only and isinstance(body[0].value, ast.Constant)):
            not_bare.append(str(face.relative_to(PACKAGE.parent)))
    assert not_bare == []


def test_textual_is_imported_only_by_the_view_and_serve() -> None:
    outside = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
        for path in every_module()
        if PACKAGE / "ui" not in path.parents and path.name != "serve.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual")
        or (
            isinstance(node, ast.Import)
            and any(alias.name.split(".")[0] == "textual" for alias in node.names)
        )
    ]
    assert outside == []


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
    "tui.routine_files.cache",  # every routine file is read after the first frame
    "tui.store.resume",  # the resume offer is read after the first frame
    "tui.core.position",
    "tui.core.summary",  # a session's end
    "tui.store.history.records",
    "tui.store.history.quick_toml",
    "tui.store.history.month",
    "tui.store.history.index",
    "tui.store.history.recorder",
    "tui.store.history.stats",
    "tui.store.history.report",
    "tui.ui.commands",  # the palette
    "tui.ui.notice_band",  # a notice told over the heading, in a small window
    "tui.ui.widgets.notice_line",
    "tui.routine_files.writer",
    "tui.plain",
    "tui.terminal.speech",
    "tui.serve",
    "tui.routine_files.json_schema",
    "tui.routine_files.template",
    "tomli_w",
    "tomlkit",  # saving settings and routines
    "tui.store.rescue",  # quitting with something the disk refused
    "tui.ui.screens.unsaved",
    "tui.ui.screens.replace_routine",
    "argparse",
    "tui.core.figure_draw",  # a figure is drawn just after the first frame (issue 16)
    "tui.core.raster",
    "tui.core.figure_motion",
    "tui.core.progress",  # the plan across days: after the first frame, with the history
    "tui.core.plan_view",
    "tui.store.history.glance",  # `unknot due`
    "tui.report.command",  # `unknot report`
    "tui.report",
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
    assert {"tui.ui.app", "tui.ui.screens.main", "tomllib"} <= loaded  # it did start
    assert loaded & LATER == set()
    dialogs = {m for m in loaded if m.startswith("tui.ui.screens.")}
    assert dialogs == {"tui.ui.screens.main", "tui.ui.screens.sizing"}


DUE = """
import json, sys
from tui.cli import main
code = main(["due", "--quiet"])
print(json.dumps([code, sorted(sys.modules)]))
"""
DUE_NEVER = {
    "textual",
    "argparse",
    "gettext",  # argparse's translations
    "tui.store.history.month",  # the month reader and its TOML: the index's rows suffice
    "tui.store.history.index",
    "tui.store.history.stats",
    "tui.core.plan_view",
    "tui.report",
    "tomlkit",
}
"""What `unknot due`, run at every shell prompt, must not load (issue 17)."""


def test_unknot_due_loads_only_what_it_needs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DUE], capture_output=True, text=True, timeout=HANG, check=False
    )
    assert done.returncode == 0, done.stderr
    code, loaded = json.loads(done.stdout)
    assert code == 0, done.stderr  # a session is due: no history yet
    assert "tui.store.history.glance" in loaded  # it did read the history's index
    assert {m.split(".")[0] for m in loaded} & DUE_NEVER == set()
    assert set(loaded) & DUE_NEVER == set()
