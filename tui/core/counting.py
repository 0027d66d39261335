"""The one rule every figure of the history follows, where the cheapest reader can use it.

A session counts once one hold was held to its end (tui.history.counts says why). `unknot due`
runs at every shell prompt and reads only a few index rows: it applies this rule to their
numbers without loading the history module.
"""

from __future__ import annotations


def holds_count(holds_done: int) -> bool:
    """Whether a session that held `holds_done` holds to their end counts."""
    return holds_done > 0
