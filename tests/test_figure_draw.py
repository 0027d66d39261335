"""Drawing a figure: it fills any box from 20x6 to 200x60 keeping its proportions and never leaves
it, the left side is the exact mirror of the right, near limbs read apart from far ones with or
without colour, and the same figure always gives the same text."""

from __future__ import annotations

import functools
import itertools
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.figure import (
    JOINT_RANGES,
    POSTURES,
    VIEWS,
    Extent,
    Figure,
    Keyframe,
    Pose,
    View,
    drawing,
)
from tui.core.figure_draw import (
    MARGIN,
    SMALLEST,
    canvas_for,
    figure_text,
    fitting_rows,
    line_thickness,
    place,
    render,
    render_pose,
)
from tui.core.figure_toml import read_figure
from tui.core.raster import FAR, FLOOR, HEAD, MODES, NEAR, TAG_NAMES, Canvas, Frame, Mode

BUILT_IN = Path(__file__).parent / "data" / "figures" / "built-in.toml"
SIZES = [(30, 10), (60, 20), (120, 40)]

_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


def built_in() -> dict[str, Figure]:
    document = tomllib.loads(BUILT_IN.read_text())
    figures: dict[str, Figure] = {}
    for index, stretch in enumerate(document["stretches"]):
        figure, problems = read_figure(stretch["figure"], ("stretches", index, "figure"))
        assert figure is not None, problems
        figures[stretch["id"]] = figure
    return figures


FIGURES = built_in()


def dots_of(frame: Frame, mode: Mode) -> list[list[bool]]:
    """The dots a frame shows, read back from its characters (the test's own decoding)."""
    rows: list[list[bool]] = []
    for line in frame.lines:
        if mode == "braille":
            band = [[False] * (2 * len(line)) for _ in range(4)]
            for column, char in enumerate(line):
                bits = ord(char) - 0x2800 if char != " " else 0
                for row in range(4):
                    for half in range(2):
                        band[row][2 * column + half] = bool(bits & _BRAILLE_BITS[row][half])
        else:
            band = [
                [char in "▀█" for char in line],
                [char in "▄█" for char in line],
            ]
        rows.extend(band)
    return rows


def flipped(rows: list[list[bool]]) -> list[list[bool]]:
    return [row[::-1] for row in rows]


@st.composite
def figures(draw: st.DrawFn) -> Figure:
    """A figure of random poses in a random posture and view, one to three keyframes."""
    posture = draw(st.sampled_from(sorted(POSTURES)))
    view: View = draw(st.sampled_from(VIEWS))
    count = draw(st.integers(1, 3))
    keys = []
    for index in range(count):
        angles = tuple(
            draw(st.floats(low, high, allow_nan=False)) for low, high in JOINT_RANGES.values()
        )
        keys.append(Keyframe(index / max(count - 1, 1), Pose(angles)))
    return Figure(posture, tuple(keys), view)


# ---------------------------------------------------------------------------------------------
# The box


@settings(max_examples=150, deadline=None)
@given(
    figure=figures(),
    cols=st.integers(SMALLEST[0], 200),
    rows=st.integers(SMALLEST[1], 60),
    progress=st.floats(0, 1),
    mode=st.sampled_from(MODES),
)
def test_a_figure_never_leaves_its_box(
    figure: Figure, cols: int, rows: int, progress: float, mode: Mode
) -> None:
    found = drawing(figure.pose_at(progress), figure.posture, figure.view, figure.mat)
    canvas = canvas_for(found, figure.extent_from(progress), cols, rows, mode)
    assert canvas.clipped == 0
    # and it never touches the box's sides or top: something else may be drawn beside it
    width, dots = canvas.width, canvas.dots
    edges = [dots[y * width] | dots[y * width + width - 1] for y in range(canvas.height - 1)]
    assert not any(edges) and not any(dots[:width])
    frame = render(figure, cols, rows, progress=progress, mode=mode)
    assert len(frame.lines) == rows == len(frame.tags)
    assert {len(line) for line in frame.lines} == {cols}
    assert {len(tags) for tags in frame.tags} == {cols}


@pytest.mark.parametrize("cols", [SMALLEST[0] - 1, 0])
def test_a_box_below_the_smallest_is_refused(cols: int) -> None:
    with pytest.raises(ValueError):
        render(FIGURES["hamstring"], cols, 20)
    with pytest.raises(ValueError):
        render(FIGURES["hamstring"], 60, SMALLEST[1] - 1)


@functools.cache
def cell_dots(char: str, mode: Mode) -> tuple[tuple[int, int], ...]:
    """(down, across) of each dot one character shows, decoded as dots_of decodes it."""
    if mode == "braille":
        bits = ord(char) - 0x2800 if char != " " else 0
        return tuple(
            (row, half) for row in range(4) for half in range(2) if bits & _BRAILLE_BITS[row][half]
        )
    return tuple((row, 0) for row, marks in enumerate(("▀█", "▄█")) if char in marks)


def drawn_box(frame: Frame, mode: Mode, keep: str = "#.o") -> tuple[int, int, int, int]:
    """left, top, right, bottom of the dots of cells tagged with `keep` (not the floor).

    Cell by cell, skipping the cells of other layers: the dots of a 200x60 frame one by one
    took six times as long as drawing it."""
    across = 2 if mode == "braille" else 1
    down = 4 if mode == "braille" else 2
    xs, ys = [], []
    for row, (line, tags) in enumerate(zip(frame.lines, frame.tags, strict=True)):
        for column, (char, tag) in enumerate(zip(line, tags, strict=True)):
            if tag in keep:
                for y, x in cell_dots(char, mode):
                    xs.append(column * across + x)
                    ys.append(row * down + y)
    return min(xs), min(ys), max(xs), max(ys)


def test_drawn_box_reads_the_dots_as_dots_of_does() -> None:
    for mode in MODES:
        across, down = (2, 4) if mode == "braille" else (1, 2)
        frame = render(FIGURES["trunk-rotations"], 60, 20, progress=0.5, mode=mode)
        for keep in ("#.o", "#.o_", "_", "#"):
            dots = [
                (x, y)
                for y, row in enumerate(dots_of(frame, mode))
                for x, on in enumerate(row)
                if on and frame.tags[y // down][x // across] in keep
            ]
            xs, ys = [x for x, _ in dots], [y for _, y in dots]
            assert drawn_box(frame, mode, keep) == (min(xs), min(ys), max(xs), max(ys)), keep


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(FIGURES))
@pytest.mark.parametrize("size", [(20, 6), (60, 20), (60, 60), (200, 20), (200, 60)])
def test_a_figure_fills_its_box_across_or_down(
    name: str, size: tuple[int, int], mode: Mode
) -> None:
    figure = FIGURES[name]
    frame = render(figure, *size, progress=1.0, mode=mode)
    across = 2 if mode == "braille" else 1
    down = 4 if mode == "braille" else 2
    canvas = Canvas.for_cells(*size, mode)
    everything = "#.o_" if figure.view != "side" else "#.o"
    left, top, right, bottom = drawn_box(
        render(figure, *size, progress=0.0, mode=mode), mode, everything
    )
    for step in range(1, 49):  # the box is fitted to the whole movement
        box = drawn_box(render(figure, *size, progress=step / 48, mode=mode), mode, everything)
        left, top = min(left, box[0]), min(top, box[1])
        right, bottom = max(right, box[2]), max(bottom, box[3])
    assert_fills(canvas, (left, top, right), frame)
    assert size[0] * across == canvas.width and size[1] * down == canvas.height


def assert_fills(canvas: Canvas, box: tuple[int, int, int], frame: Frame) -> None:
    """The dots from `left` to `right` and from `top` to the floor line fill the canvas across
    or down, but for a few dots lost to rounding and to the little room kept around a pose."""
    left, top, right = box
    room_across, room_down = canvas.width - 2 * MARGIN, canvas.height - MARGIN
    lost_across = (room_across - (right - left + 1)) / room_across
    lost_down = (room_down - (canvas.height - top)) / room_down
    assert min(lost_across, lost_down) <= 0.05 + 2 / min(room_across, room_down), (
        lost_across,
        lost_down,
        frame.text,
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_figure_keeps_its_proportions_at_every_size(name: str, mode: Mode) -> None:
    shapes = []
    for cols, rows in [(60, 60), (120, 120), (200, 200)]:
        left, top, right, bottom = drawn_box(render(FIGURES[name], cols, rows, mode=mode), mode)
        shapes.append((right - left + 1) / (bottom - top + 1))
    assert max(shapes) / min(shapes) < 1.1, shapes


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_braille_dots_and_half_blocks_are_both_square(name: str) -> None:
    """A cell is about twice as tall as it is wide: 2x4 braille dots and 1x2 half blocks both
    make square dots, so the same box gives the same shape in either mode."""
    braille = drawn_box(render(FIGURES[name], 100, 100, mode="braille"), "braille")
    blocks = drawn_box(render(FIGURES[name], 100, 100, mode="blocks"), "blocks")

    def shape(box: tuple[int, int, int, int]) -> float:
        return (box[2] - box[0] + 1) / (box[3] - box[1] + 1)

    assert shape(braille) == pytest.approx(shape(blocks), rel=0.1)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_fitting_rows_is_the_fewest_rows_that_show_the_figure_at_full_width(name: str) -> None:
    figure = FIGURES[name]
    for cols in (30, 60, 120):
        rows = fitting_rows(figure, cols)
        for progress in (0.0, 0.5, 1.0):
            full = drawn_box(render(figure, cols, rows + 30, progress=progress), "braille")
            fitted = drawn_box(render(figure, cols, rows, progress=progress), "braille")
            assert fitted[2] - fitted[0] == full[2] - full[0], (cols, progress)
        if rows > SMALLEST[1]:  # one row fewer draws some moment of the movement smaller
            width = cols * 2
            floor_line = figure.view == "side"
            assert any(
                place(room, width, (rows - 1) * 4, floor_line=floor_line).scale
                < place(room, width, rows * 4, floor_line=floor_line).scale
                for room in figure.rooms
            ), cols


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(FIGURES))
@pytest.mark.parametrize("size", [(20, 6), (44, 10), (60, 20), (200, 60)])
def test_the_held_pose_fills_its_box_across_or_down(
    name: str, size: tuple[int, int], mode: Mode
) -> None:
    """The hold is what the person watches longest: the held pose fills its box, however much
    more room the start position took (the hamstring stretch starts sitting upright and folds
    into a pose less than half as tall)."""
    figure = FIGURES[name]
    frame = render(figure, *size, progress=1.0, mode=mode)
    everything = "#.o_" if figure.view != "side" else "#.o"
    left, top, right, _ = drawn_box(frame, mode, everything)
    assert_fills(Canvas.for_cells(*size, mode), (left, top, right), frame)


@settings(max_examples=60, deadline=None)
@given(figure=figures(), cols=st.integers(SMALLEST[0], 200), rows=st.integers(SMALLEST[1], 60))
def test_the_view_only_closes_in_and_never_jumps(figure: Figure, cols: int, rows: int) -> None:
    """As the body moves into the stretch the view grows (or keeps) its scale, and from one
    moment to the next it changes by a little: a playing figure zooms, it never jumps."""
    width, height = cols * 2, rows * 4
    floor_line = figure.view == "side"
    steps = 96
    scales = [
        place(figure.extent_from(step / steps), width, height, floor_line=floor_line).scale
        for step in range(steps + 1)
    ]
    for before, after in itertools.pairwise(scales):
        # between two samples of the movement a limb's arc can bulge a hair (0.7 % at most in
        # 300 random figures), so a moment may be drawn that little smaller than the one before
        assert after >= before * 0.98, scales
        assert after <= before * 1.08, scales


def test_the_figure_stays_put_while_it_moves() -> None:
    """Scale and place come from the whole movement, so a playing figure never jumps: the head
    of a figure that only bends a knee stays on the same dots all through."""
    start = POSTURES["lying-on-back"].pose
    figure = Figure(
        "lying-on-back",
        (Keyframe(0, start), Keyframe(1, start.changed({"near_hip": 120, "near_knee": 120}))),
    )
    heads = set()
    for step in range(11):
        frame = render(figure, 60, 20, progress=step / 10)
        heads.add(tuple((y, line.index("o")) for y, line in enumerate(frame.tags) if "o" in line))
    assert len(heads) == 1


# ---------------------------------------------------------------------------------------------
# Mirror


@settings(max_examples=60, deadline=None)
@given(
    figure=figures(),
    cols=st.integers(SMALLEST[0], 200),
    rows=st.integers(SMALLEST[1], 60),
    progress=st.floats(0, 1),
    mode=st.sampled_from(MODES),
)
def test_the_left_side_is_the_exact_mirror_of_the_right(
    figure: Figure, cols: int, rows: int, progress: float, mode: Mode
) -> None:
    right = render(figure, cols, rows, progress=progress, side="right", mode=mode)
    left = render(figure, cols, rows, progress=progress, side="left", mode=mode)
    assert dots_of(left, mode) == flipped(dots_of(right, mode))
    assert [tags[::-1] for tags in right.tags] == list(left.tags)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_the_mirror_of_the_mirror_is_the_original(name: str) -> None:
    found = drawing(FIGURES[name].held, FIGURES[name].posture, FIGURES[name].view)
    canvas = canvas_for(found, FIGURES[name].extent, 61, 21, "braille")
    assert canvas.mirrored().dots != canvas.dots
    assert canvas.mirrored().mirrored().dots == canvas.dots


def test_a_canvas_mirror_flips_each_row() -> None:
    canvas = Canvas(5, 2)
    canvas.dot(0, 0, NEAR)
    canvas.dot(1, 1, FAR)
    mirrored = canvas.mirrored()
    assert mirrored.dots == bytes([0, 0, 0, 0, NEAR, 0, 0, 0, FAR, 0])


# ---------------------------------------------------------------------------------------------
# Near and far, colour and none


def stroke_runs(canvas: Canvas, layer: int, columns: range) -> set[int]:
    """The heights of the vertical runs of `layer` dots in `columns`."""
    runs: set[int] = set()
    for x in columns:
        run = 0
        for y in range(canvas.height):
            if canvas.dots[y * canvas.width + x] == layer:
                run += 1
            elif run:
                runs.add(run)
                run = 0
        if run:
            runs.add(run)
    return runs


def arm_test_canvas(cols: int, rows: int, near_forward: bool) -> Canvas:
    """Standing, one arm straight forward (horizontal), the other hanging."""
    forward, down = (90, -20) if near_forward else (-20, 90)
    pose = POSTURES["standing"].pose.changed({"near_shoulder": forward, "far_shoulder": down})
    found = drawing(pose, "standing")
    return canvas_for(found, Extent.around([found]).grown(0.03), cols, rows, "braille")


def forearm_columns(canvas: Canvas) -> range:
    """Columns well in front of the body, where only the forward arm is drawn."""
    return range(canvas.width * 3 // 4, canvas.width - 4)


@pytest.mark.parametrize("near_forward", [True, False])
def test_near_limbs_are_two_dots_thick_where_there_is_room_and_far_ones_one(
    near_forward: bool,
) -> None:
    canvas = arm_test_canvas(60, 60, near_forward)
    assert line_thickness(canvas.height / 1.9) == 2  # the room this test means
    layer = NEAR if near_forward else FAR
    assert stroke_runs(canvas, layer, forearm_columns(canvas)) == ({2} if near_forward else {1})


def test_where_lines_are_one_dot_thin_far_limbs_are_dotted() -> None:
    canvas = arm_test_canvas(20, 12, near_forward=False)
    columns = forearm_columns(canvas)
    far = [
        x
        for x in columns
        if any(canvas.dots[y * canvas.width + x] == FAR for y in range(canvas.height))
    ]
    near_canvas = arm_test_canvas(20, 12, near_forward=True)
    near = [
        x
        for x in columns
        if any(
            near_canvas.dots[y * near_canvas.width + x] == NEAR for y in range(near_canvas.height)
        )
    ]
    assert near == list(range(near[0], near[-1] + 1))  # solid
    assert len(far) < len(near) * 0.7 and far  # gaps


def test_views_along_the_body_need_more_room_for_two_dot_lines() -> None:
    """Seen along the body, the legs lie side by side: lines stay one dot thin up to a larger
    scale than in the side view, so knees pressed together stay two lines."""
    scales = (29, 30, 44, 45, 139, 140)
    assert [line_thickness(scale, along=True) for scale in scales] == [1, 1, 1, 2, 2, 3]
    assert [line_thickness(scale) for scale in scales] == [1, 2, 2, 2, 2, 3]


def test_line_thickness_grows_with_room() -> None:
    assert [line_thickness(scale) for scale in (10, 29, 30, 100, 139, 140, 400)] == [
        1,
        1,
        2,
        2,
        2,
        3,
        3,
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_each_cell_is_tagged_with_what_it_shows(name: str, mode: Mode) -> None:
    figure = FIGURES[name]
    frame = render(figure, 60, 20, mode=mode)
    allowed = " ▀▄█" if mode == "blocks" else " " + "".join(chr(0x2801 + i) for i in range(255))
    for line, tags in zip(frame.lines, frame.tags, strict=True):
        assert set(line) <= set(allowed)
        for char, tag in zip(line, tags, strict=True):
            assert (char == " ") == (tag == " "), (line, tags)
    seen = set("".join(frame.tags)) - {" "}
    assert {"#", "o", "_"} <= seen <= {"#", "o", "_", "."}, frame.tags


def test_a_cell_shows_its_most_important_layer() -> None:
    canvas = Canvas(2, 4)
    for layer, y in ((FLOOR, 3), (FAR, 2), (HEAD, 1)):
        canvas.dot(0, y, layer)
    assert canvas.cells("braille").tags == ("o",)
    canvas.dot(1, 0, NEAR)
    assert canvas.cells("braille").tags == ("#",)


def test_runs_split_a_row_by_layer() -> None:
    frame = Frame(("ab cd",), ("##_..",))
    assert frame.runs(0) == [("ab", "near"), (" ", "floor"), ("cd", "far")]
    assert set(TAG_NAMES.values()) == {"near", "far", "head", "floor"}


def test_a_lying_body_keeps_an_empty_row_of_dots_above_the_floor_line() -> None:
    """Only the trunk and head are low here (legs and arms point up): the row above the floor
    line holds nothing of the trunk at any size."""
    pose = POSTURES["lying-on-back"].pose.changed({"hips": 90, "shoulders": 90})
    for cols, rows in [(20, 6), (30, 10), (60, 20), (120, 40), (200, 60)]:
        for mode in MODES:
            found = drawing(pose, "lying-on-back")
            canvas = canvas_for(found, Extent.around([found]).grown(0.03), cols, rows, mode)
            above = canvas.dots[
                (canvas.height - 2) * canvas.width : (canvas.height - 1) * canvas.width
            ]
            assert set(above) <= {0, HEAD}, (cols, rows, mode)


def test_a_view_along_the_body_lays_it_on_a_mat_and_draws_no_floor_line() -> None:
    frame = render(FIGURES["trunk-rotations"], 60, 20)
    assert "." not in "".join(frame.tags)  # both sides in plain view
    bottom = frame.tags[-1]
    assert bottom.strip(" ") and set(bottom.strip(" ")) == {"_"}
    assert bottom[0] == " "  # a mat, not a line across the whole box


# ---------------------------------------------------------------------------------------------
# Text


def test_the_same_figure_always_gives_the_same_text() -> None:
    first = {name: render(figure, 60, 20, progress=0.3).lines for name, figure in FIGURES.items()}
    again = {name: render(figure, 60, 20, progress=0.3).lines for name, figure in FIGURES.items()}
    assert first == again
    script = (
        "import sys, tests.test_figure_draw as t\n"
        "sys.stdout.write(repr({n: t.render(f, 60, 20, progress=0.3).lines "
        "for n, f in t.FIGURES.items()}))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parent.parent,
        timeout=120,
        check=True,
    )
    assert other.stdout == repr(first)


def test_figure_text_is_the_held_pose_or_the_start_for_a_side() -> None:
    figure = FIGURES["knee-to-chest"]
    held = figure_text(figure)
    assert held == render(figure, 60, 20, progress=1.0).text
    start = figure_text(figure, at="start", side="left", size=(40, 12), mode="blocks")
    assert start == render(figure, 40, 12, progress=0.0, side="left", mode="blocks").text
    assert held.splitlines() and all(line == line.rstrip() for line in held.splitlines())


def test_a_pose_alone_fills_its_box() -> None:
    frame = render_pose(POSTURES["standing"].pose, "standing", 20, 20)
    _, top, _, bottom = drawn_box(frame, "braille")
    assert bottom - top + 1 > (20 * 4 - 1 - MARGIN) * 0.9


def drawn_columns(frame: Frame, tag: str) -> list[int]:
    return [x for row in frame.tags for x, found in enumerate(row) if found == tag]


@pytest.mark.parametrize("view", ["head", "feet"])
def test_knees_dropping_to_the_right_drop_to_the_screens_right_in_the_persons_own_view(
    view: View,
) -> None:
    # the person lies on their back and lets bent knees sink to their right (twist > 0):
    # seen from beyond their head, as they see themselves, that is the screen's right;
    # seen from beyond the feet it is the screen's left
    figure = Figure.still("lying-on-back", view, hips=50, knees=100, twist=60)
    upright = Figure.still("lying-on-back", view, hips=50, knees=100)
    middle = sum(drawn_columns(render(upright, 60, 20), "#")) / len(
        drawn_columns(render(upright, 60, 20), "#")
    )
    dropped = drawn_columns(render(figure, 60, 20), "#")
    mean = sum(dropped) / len(dropped)
    assert (mean > middle) == (view == "head"), (mean, middle, render(figure, 60, 20).text)
    # the left side is the mirror: the knees sink to the other side of the screen
    left = drawn_columns(render(figure, 60, 20, side="left"), "#")
    assert (sum(left) / len(left) < middle) == (view == "head")


def test_in_the_head_view_the_head_is_at_the_bottom_of_the_picture() -> None:
    figure = Figure.still("lying-on-back", "head", hips=50, knees=100)
    rows = [y for y, row in enumerate(render(figure, 60, 20).tags) if "o" in row]
    assert min(rows) > 10, render(figure, 60, 20).text
