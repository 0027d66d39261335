"""Import time of `tui` beyond Textual itself, from `python -X importtime`.

Textual is imported first, so everything it needs is already loaded; what remains is what
unknot adds. Each module's own time counts for the nearest enclosing `tui` module that
imported it (Textual modules imported late, such as a lazily loaded widget, stay Textual's).
"""

from __future__ import annotations

import subprocess
import sys

from bench.common import Row, Sandbox, Sizes, median

TEXTUAL_FAMILY = ("textual", "rich", "markdown_it", "mdurl", "pygments", "typing_extensions")
TUI_MODULES = ("tui.cli", "tui.app")  # what `unknot` imports before its first frame


def parse(stderr: str) -> dict[str, float]:
    """Milliseconds of import time by owner ("tui", "textual" or "other")."""
    owners: dict[str, float] = {"tui": 0.0, "textual": 0.0, "other": 0.0}
    stack: list[tuple[int, str]] = []  # (depth, owner) of the modules still being imported
    # importtime prints a module after its children, so read bottom-up to see parents first
    for line in reversed(stderr.splitlines()):
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name_part = line[len("import time:") :].split("|")
        depth = (len(name_part) - len(name_part.lstrip())) // 2
        name = name_part.strip()
        while stack and stack[-1][0] >= depth:
            stack.pop()
        top = name.split(".")[0]
        if top == "tui":
            owner = "tui"
        elif top in TEXTUAL_FAMILY:
            owner = "textual"
        else:
            owner = stack[-1][1] if stack else "other"
        stack.append((depth, owner))
        owners[owner] += int(self_us) / 1000
    return owners


def measure_once(box: Sandbox, modules: tuple[str, ...]) -> dict[str, float]:
    """One fresh interpreter: import Textual's app module, then `modules`."""
    imports = "; ".join(f"import {m}" for m in ("textual.app", *modules))
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", imports],
        env=box.env,
        capture_output=True,
        text=True,
        check=True,
    )
    return parse(done.stderr)


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    tui_ms: list[float] = []
    textual_ms: list[float] = []
    if sizes.warmup:
        measure_once(box, TUI_MODULES)  # the first run compiles and caches the bytecode
    for _ in range(sizes.runs):
        owners = measure_once(box, TUI_MODULES)
        tui_ms.append(owners["tui"])
        textual_ms.append(owners["textual"])
    value = median(tui_ms)
    return [
        Row(
            "Import time of tui beyond Textual",
            value,
            "ms",
            baseline=median(textual_ms),
            baseline_name="importing Textual",
            target="< 40 ms",
            passed=value < 40,
            samples=tui_ms,
        )
    ]
