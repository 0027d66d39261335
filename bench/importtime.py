"""Import time of `tui` beyond Textual itself, from `python -X importtime`.

The real start is measured: `unknot run <built-in>` in an 80x24 pseudo-terminal, up to its first
frame, so every module the app needs before then counts, lazy imports too. Textual's app
module is imported first, so what Textual needs anyway is already loaded; each module's own
time then counts for the nearest enclosing `tui` module that imported it (Textual modules
imported late, such as a lazily loaded widget, stay Textual's).
"""

from __future__ import annotations

import re
import sys

from bench import terminal
from bench.common import BUILTIN_ROUTINE, Row, Sandbox, Sizes, builtin_name, median

TEXTUAL_FAMILY = ("textual", "rich", "markdown_it", "mdurl", "pygments", "typing_extensions")
TARGET_MS = 40.0
# Textual first, then the command exactly as `unknot` runs it
START = "import textual.app, runpy; runpy.run_module('tui', run_name='__main__', alter_sys=True)"
LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|( *)(\S+)")


def parse(output: str) -> dict[str, float]:
    """Milliseconds of import time by owner ("tui", "textual" or "other")."""
    owners: dict[str, float] = {"tui": 0.0, "textual": 0.0, "other": 0.0}
    stack: list[tuple[int, str]] = []  # (depth, owner) of the modules still being imported
    # importtime prints a module after its children, so read bottom-up to see parents first
    for self_us, indent, name in reversed(LINE.findall(output)):
        depth = (len(indent) - 1) // 2
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


def measure_once(box: Sandbox, sizes: Sizes) -> dict[str, float]:
    """One start of the app, up to its first frame, with import times on its terminal."""
    argv = [sys.executable, "-X", "importtime", "-c", START, "run", BUILTIN_ROUTINE]
    with terminal.spawn(argv, box) as term:
        terminal.wait_for(term, builtin_name(), sizes.timeout)
        output = term.raw.decode("utf-8", "replace")
    return parse(output)


def run(box: Sandbox, sizes: Sizes) -> list[Row]:
    if sizes.warmup:
        measure_once(box, sizes)  # the first run compiles and caches the bytecode
    tui_ms: list[float] = []
    textual_ms: list[float] = []
    for _ in range(sizes.runs):
        owners = measure_once(box, sizes)
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
            target=f"< {TARGET_MS:g} ms",
            passed=value < TARGET_MS,
            samples=tui_ms,
        )
    ]
