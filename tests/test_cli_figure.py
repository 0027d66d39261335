"""`unknot figure`: a stretch's figure as plain text, the left side the exact mirror of the
right, and every mistake a one-line error with its own exit status; never Textual."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from patience import HANG

from tui import cli
from tui.core.figure_draw import SMALLEST
from tui.store.paths import user_routines_dir


def mirrored_braille(char: str) -> str:
    """`char`, a braille cell, flipped left to right (the test's own reading of the dots)."""
    if char == " ":
        return char
    bits = ord(char) - 0x2800
    pairs = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
    flipped = 0
    for left, right in pairs:
        flipped |= (right if bits & left else 0) | (left if bits & right else 0)
    return chr(0x2800 + flipped)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["figure", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def box(text: str, cols: int) -> list[str]:
    return [line.ljust(cols) for line in text.rstrip("\n").split("\n")]


def test_the_held_pose_of_the_first_side_at_60x20_by_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "knee-to-chest")
    assert (code, err) == (0, "")
    lines = out.rstrip("\n").split("\n")
    assert len(lines) == 20 and max(len(line) for line in lines) <= 60, out
    assert set("".join(lines)) - {" "} <= {chr(c) for c in range(0x2801, 0x2900)}
    same = run(capsys, "knee-to-chest", "--side", "right", "--size", "60x20", "--at", "held")
    assert same[1] == out
    assert run(capsys, "knee-to-chest", "--at", "start")[1] != out


@pytest.mark.parametrize("stretch", ["knee-to-chest", "trunk-rotations", "hamstring"])
def test_the_left_side_is_the_exact_mirror_of_the_right(
    capsys: pytest.CaptureFixture[str], stretch: str
) -> None:
    for size, cols in (("60x20", 60), ("33x9", 33)):
        _, right, _ = run(capsys, stretch, "--size", size)
        _, left, _ = run(capsys, stretch, "--side", "left", "--size", size)
        flipped = [
            "".join(mirrored_braille(c) for c in reversed(line)) for line in box(right, cols)
        ]
        assert box(left, cols) == flipped, left
        assert left != right


def test_half_blocks_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "hamstring", "--chars", "blocks", "--size", "40x12")
    assert code == 0 and set(out) - {" ", "\n"} <= set("▀▄█"), out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["nope"], 'no stretch "nope" in the routine back-spasm-relief; its stretches:'),
        (["hamstrung"], "did you mean hamstring?"),
        (["hamstring", "--routine", "nope"], 'no routine with the id "nope"'),
        (["hamstring", "--size", "19x6"], "--size is COLSxROWS, from 20x6 to 200x60"),
        (["hamstring", "--size", "201x20"], 'found "201x20"'),
        (["hamstring", "--size", "60x61"], 'found "60x61"'),
        (["hamstring", "--size", "sixty"], 'found "sixty"'),
        (["hamstring", "--size", "60x20x3"], 'found "60x20x3"'),
    ],
)
def test_an_unknown_stretch_routine_or_size_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "", (code, out, err)
    assert err.count("\n") == 1 and err.startswith("unknot figure: ") and says in err, err


@pytest.mark.parametrize("argv", [["hamstring", "--side", "up"], ["hamstring", "--at", "x"], []])
def test_a_bad_choice_is_a_usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and "usage: unknot figure" in err, err


def test_the_smallest_and_largest_sizes_print(capsys: pytest.CaptureFixture[str]) -> None:
    for size in (f"{SMALLEST[0]}x{SMALLEST[1]}", "200x60"):
        code, out, _ = run(capsys, "trunk-rotations", "--size", size)
        assert code == 0 and out.strip(), size


def test_a_stretch_without_a_figure_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plain.toml").write_text(
        'schema = 1\nname = "Plain"\n[[stretches]]\nid = "one"\nname = "One"\n'
        'steps = ["Do it."]\nhold_seconds = 10\nreps = 2\n'
    )
    code, out, err = run(capsys, "one", "--routine", "plain")
    assert code == 1 and out == ""
    assert err == "unknot figure: the stretch one of the routine plain has no figure " + (
        "(a [stretches.figure] table draws one: see the README)\n"
    )


def test_a_routine_file_with_problems_prints_them(capsys: pytest.CaptureFixture[str]) -> None:
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    broken = folder / "broken.toml"
    broken.write_text('schema = 1\nname = "B"\n[[stretches]]\nid = "one"\n')
    code, out, err = run(capsys, "one", "--routine", str(broken))
    assert code == 1 and out == "", out
    assert "broken.toml" in err and "stretches[1].name: missing" in err, err


def test_it_never_imports_textual() -> None:
    script = (
        "import json, sys\n"
        "from tui import cli\n"
        "code = cli.main(['figure', 'hamstring'])\n"
        "print(json.dumps([code, sorted(m for m in sys.modules if m.startswith('textual'))]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=HANG, check=False
    )
    code, textual = json.loads(done.stdout.strip().split("\n")[-1])
    assert (code, textual) == (0, []), done.stderr
