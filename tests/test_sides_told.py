"""Everywhere a stretch is told without the app's screen (plain mode, speech, the window title,
the summary, `unknot` printing a plan), its text is the side being done: the built-in routine
run whole in plain mode, and small routines for what it does not show."""

from __future__ import annotations

import asyncio
import io
import re
from dataclasses import replace

from patience import HANG
from test_app_fakes import builtin
from test_plain import SteppedTime, lines, no_sleep, wall

from tui import cli
from tui.core.engine import Snapshot
from tui.core.model import Routine, Span, Stretch
from tui.core.side_text import on_side
from tui.core.summary import Summary
from tui.plain import PlainSession
from tui.terminal.cues import title_for
from tui.terminal.speech import phrase_for
from tui.ui.screens.summary import reps_words
from tui.ui.widgets.stretch_detail import detail_content

SIDE_WORD = re.compile(r"\b(right|left)\b", re.IGNORECASE)


def swapped(text: str) -> str:
    """`text` with right and left exchanged, capitals kept."""
    swap = {"right": "left", "left": "right", "Right": "Left", "Left": "Right"}
    return SIDE_WORD.sub(lambda m: swap.get(m.group(0), m.group(0)), text)


def test_every_built_in_stretch_reads_as_the_mirror_of_its_other_side() -> None:
    routine = builtin()
    for stretch, plan in zip(routine.stretches, routine.default_plan(), strict=True):
        if stretch.sides == "none":
            continue
        right = detail_content(on_side(stretch, "right"), plan).plain
        left = detail_content(on_side(stretch, "left"), plan).plain
        assert "{" not in right + left, right
        assert left != right, f"{stretch.name} reads the same on both sides:\n{left}"
        assert swapped(right) == left, f"{stretch.name}:\n{right}\n---\n{left}"
        assert {w.lower() for w in SIDE_WORD.findall(left)} == {"left"}, left


async def plain_run(routine: Routine) -> tuple[list[str], list[Snapshot], Summary | None]:
    """Every line plain mode writes for `routine` run to its end, every moment seen, and the
    summary."""
    time = SteppedTime()
    out = io.StringIO()
    seen: list[Snapshot] = []
    session = PlainSession(
        routine,
        out=out,
        keyboard=False,
        autostart=True,
        clock=time.clock,
        sleep=time.sleep,
        bell_sleep=no_sleep,
        wall=wall,
        listeners=[lambda snapshot, _events: seen.append(snapshot)],
    )
    task = asyncio.ensure_future(session.run())
    await time.advance(3000)
    summary = await asyncio.wait_for(task, HANG)
    return lines(out), seen, summary


def between(said: list[str], first: str, last: str) -> list[str]:
    start = said.index(first)
    return said[start : said.index(last, start) + 1]


async def test_plain_mode_tells_the_text_again_for_the_other_side() -> None:
    said, _, _ = await plain_run(builtin())
    spoken = [line for line in said if not line.isdigit() and "seconds left" not in line]
    assert between(spoken, "Hold, right, rep 3 of 3, 10 s", "Hold, left, rep 1 of 3, 10 s") == [
        "Hold, right, rep 3 of 3, 10 s",
        "Switch to the left side, 3 s",
        "Step 1: Lift your left knee up toward your chest.",
        "Step 2: Hold the back of your left thigh with both hands.",
        "Step 4: Let go slowly and put your left foot back on the floor.",
        "Hold, left, rep 1 of 3, 10 s",
    ]
    assert between(spoken, "Hold, right, rep 3 of 3, 15 s", "Hold, left, rep 1 of 3, 15 s") == [
        "Hold, right, rep 3 of 3, 15 s",
        "Switch to the left side, 3 s",
        "Position: Sit on the floor with your left leg out straight in front of you.",
        "Step 1: Bend your other knee and rest the sole of that foot against the inside of "
        "your left thigh.",
        "Step 2: Reach both arms forward along your left leg, as far as you can go.",
        "Hold, left, rep 1 of 3, 15 s",
    ]
    # trunk rotations change sides every rep: the step that names the side the first time the
    # left side comes, then the side's name only
    rotations = between(spoken, "Stretch 2 of 4: Trunk rotations", "Hold, left, rep 2 of 5, 3 s")
    assert rotations[-8:] == [
        "Hold, right, rep 1 of 5, 3 s",
        "Switch to the left side, 3 s",
        "Step 2: Let both knees sink slowly to the left, only as far as feels comfortable, "
        "and stay there.",
        "Hold, left, rep 1 of 5, 3 s",
        "Switch to the right side, 3 s",
        "Hold, right, rep 2 of 5, 3 s",
        "Switch to the left side, 3 s",
        "Hold, left, rep 2 of 5, 3 s",
    ]
    # on the left side of knee-to-chest and the hamstring stretch, nothing says right
    for first, last in (
        ("Switch to the left side, 3 s", "Rest 15 s. Next: Trunk rotations"),
        ("Hold, left, rep 1 of 3, 15 s", "Done: 4 stretches, 6 minutes 38 seconds"),
    ):
        left_side = between(spoken, first, last)
        assert not [line for line in left_side if "right" in line.lower()], left_side


async def test_speech_and_title_name_the_side_being_done() -> None:
    _, seen, _ = await plain_run(builtin())
    left = [s for s in seen if s.side == "left" and str(s.phase) in ("prepare", "hold")]
    assert left
    for snapshot in left:
        phrase, title = phrase_for(snapshot), title_for(snapshot)
        assert "right" not in (phrase + title).lower(), (phrase, title)
        assert f" L {snapshot.rep}/{snapshot.reps}" in title, title
        if str(snapshot.phase) == "hold":
            assert phrase.startswith("Hold, left, rep"), phrase


def sided(first_side: str = "left") -> Routine:
    stretch = Stretch(
        id="hug",
        name="Knee hug",
        position="On your back, {side} knee bent.",
        steps=("Lift your {side} knee.", "{Other} foot stays flat."),
        tips=("Braces {{ and }} stay.",),
        hold_seconds=Span.exactly(2),
        reps=Span.exactly(1),
        sides="each",
        first_side=first_side,  # type: ignore[arg-type]
    )
    return Routine(id="r", name="R", stretches=(stretch,), prepare_seconds=1, rest_seconds=0)


def test_a_printed_plan_reads_for_each_stretchs_first_side() -> None:
    text = cli.plan_text(sided("left"))
    assert "Start: On your back, left knee bent." in text
    assert "- Lift your left knee." in text
    assert "- Right foot stays flat." in text
    assert "Tip: Braces { and } stay." in text


async def test_a_stretch_begun_on_the_left_is_told_left_first() -> None:
    said, _, _ = await plain_run(sided("left"))
    assert said[said.index("Stretch 1 of 1: Knee hug") + 1 :][:4] == [
        "Position: On your back, left knee bent.",
        "Step 1: Lift your left knee.",
        "Step 2: Right foot stays flat.",
        "Tip: Braces { and } stay.",
    ]


async def test_the_summary_counts_the_sides_in_the_order_they_were_done() -> None:
    _, _, summary = await plain_run(sided("left"))
    assert summary is not None and summary.finished
    assert reps_words(summary.stretches[0]) == "1/1 left, 1/1 right"


def rotations(reps: int) -> Routine:
    """Trunk rotations alone, as the built-in routine has them: sides alternate every rep."""
    [stretch] = [s for s in builtin().stretches if s.id == "trunk-rotations"]
    stretch = replace(stretch, reps=Span.exactly(reps), hold_seconds=Span.exactly(1))
    return Routine(id="r", name="R", stretches=(stretch,), prepare_seconds=1, rest_seconds=0)


async def test_a_side_s_words_are_told_once_then_its_name_at_each_switch() -> None:
    """Found by hand: trunk rotations at 5 reps switch 9 times, and plain mode said its second
    step again at each: 10 times in all for a screen reader to read out."""
    said, _, _ = await plain_run(rotations(5))
    steps = [line for line in said if line.startswith("Step 2: ")]
    assert [SIDE_WORD.findall(line) for line in steps] == [["right"], ["left"]], said
    switches = [i for i, line in enumerate(said) if line.startswith("Switch to the ")]
    assert len(switches) == 9, said
    # the switch's own line names the side; the words come only the first time it does
    named = [SIDE_WORD.findall(said[i]) for i in switches]
    assert named == [["left"], ["right"]] * 4 + [["left"]], said
    after_switch = [said[i + 1] for i in switches]
    assert after_switch[0].startswith("Step 2: ") and "left" in after_switch[0], said
    assert not [line for line in said if line in ("Right side.", "Left side.")], said
