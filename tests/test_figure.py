"""The figure's body: limbs keep their length, the body rests on the floor, every angle turns the
way its documentation says, and keyframes blend smoothly from the start into the held pose."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.figure import (
    FOREARM,
    HAND,
    HEAD_RADIUS,
    JOINT_RANGES,
    JOINTS,
    LIMB_RADIUS,
    LUMBAR,
    NECK,
    PAIRS,
    POSTURES,
    SHIN,
    THIGH,
    THORAX,
    TIP_RADIUS,
    TRUNK_RADIUS,
    UPPER_ARM,
    Figure,
    Keyframe,
    Pose,
    blend,
    body,
    ease,
)

SEGMENTS = [
    ("pelvis", "waist", LUMBAR),
    ("waist", "neck", THORAX),
    ("neck", "skull", NECK),
    ("skull", "head", HEAD_RADIUS),
    *[
        (f"{side}_{a}", f"{side}_{b}", length)
        for side in ("near", "far")
        for a, b, length in (
            ("shoulder", "elbow", UPPER_ARM),
            ("elbow", "wrist", FOREARM),
            ("wrist", "hand", HAND),
            ("hip", "knee", THIGH),
            ("knee", "ankle", SHIN),
        )
    ],
]


@st.composite
def poses(draw: st.DrawFn) -> Pose:
    return Pose(
        tuple(draw(st.floats(low, high, allow_nan=False)) for low, high in JOINT_RANGES.values())
    )


def point(pose: Pose, posture: str, name: str) -> tuple[float, float, float]:
    return body(pose, posture).points[name]


def standing(**angles: float) -> Pose:
    return POSTURES["standing"].pose.changed(angles)


# ---------------------------------------------------------------------------------------------
# Kinematics


@settings(max_examples=200)
@given(pose=poses(), posture=st.sampled_from(sorted(POSTURES)))
def test_every_limb_keeps_its_length_whatever_the_angles(pose: Pose, posture: str) -> None:
    points = body(pose, posture).points
    for a, b, length in SEGMENTS:
        assert math.dist(points[a], points[b]) == pytest.approx(length, abs=1e-9), (a, b)


@settings(max_examples=200)
@given(pose=poses(), posture=st.sampled_from(sorted(POSTURES)))
def test_the_body_rests_on_the_floor_never_in_it_nor_above_it(pose: Pose, posture: str) -> None:
    points = body(pose, posture).points

    def radius(name: str) -> float:
        if name == "head":
            return HEAD_RADIUS
        if name in ("pelvis", "waist", "neck"):
            return TRUNK_RADIUS
        if name.endswith(("_hand", "_toe")):
            return TIP_RADIUS
        return LIMB_RADIUS

    clearances = {name: y - radius(name) for name, (_, y, _) in points.items()}
    assert min(clearances.values()) == pytest.approx(0.0, abs=1e-9), clearances


def test_a_hip_at_90_holds_the_thigh_straight_forward() -> None:
    hip = point(standing(near_hip=90), "standing", "near_hip")
    knee = point(standing(near_hip=90), "standing", "near_knee")
    assert knee[0] - hip[0] == pytest.approx(THIGH)
    assert knee[1] == pytest.approx(hip[1])


def test_a_bent_knee_takes_the_foot_backward() -> None:
    straight = point(standing(), "standing", "near_ankle")
    bent = point(standing(near_knee=90), "standing", "near_ankle")
    assert bent[0] < straight[0] - SHIN / 2


def test_a_pointed_ankle_takes_the_toes_down() -> None:
    neutral = point(standing(near_hip=90), "standing", "near_toe")
    pointed = point(standing(near_hip=90, near_ankle=60), "standing", "near_toe")
    assert pointed[1] < neutral[1]


def test_a_shoulder_at_180_raises_the_arm_overhead() -> None:
    pose = standing(near_shoulder=180)
    assert point(pose, "standing", "near_hand")[1] > point(pose, "standing", "head")[1]


def test_an_elbow_bends_the_forearm_forward_and_up() -> None:
    pose = standing(near_elbow=90)
    elbow, wrist = point(pose, "standing", "near_elbow"), point(pose, "standing", "near_wrist")
    assert wrist[0] - elbow[0] == pytest.approx(FOREARM)


def test_out_angles_move_each_limb_away_from_the_middle_on_its_own_side() -> None:
    pose = standing(shoulders_out=90, hips_out=30)
    for joint in ("hand", "knee"):
        assert (
            point(pose, "standing", f"near_{joint}")[2]
            > point(standing(), "standing", f"near_{joint}")[2]
        )
        assert (
            point(pose, "standing", f"far_{joint}")[2]
            < point(standing(), "standing", f"far_{joint}")[2]
        )


def test_a_hip_turned_out_swings_the_foot_of_a_bent_knee_inward() -> None:
    bent = standing(hips=90, knees=90)
    turned = bent.changed({"hips_turn": 60})
    assert point(turned, "standing", "near_ankle")[2] < point(bent, "standing", "near_ankle")[2]
    assert point(turned, "standing", "far_ankle")[2] > point(bent, "standing", "far_ankle")[2]

    def knee_from_hip(pose: Pose) -> list[float]:
        knee, hip = point(pose, "standing", "near_knee"), point(pose, "standing", "near_hip")
        return [k - h for k, h in zip(knee, hip, strict=True)]

    assert knee_from_hip(turned) == pytest.approx(knee_from_hip(bent))


def test_back_curls_the_trunk_forward_and_arches_it_back() -> None:
    upright = point(standing(), "standing", "neck")
    assert point(standing(back=40), "standing", "neck")[0] > upright[0]
    assert point(standing(back=-40), "standing", "neck")[0] < upright[0]


def test_a_neck_bend_drops_the_head_forward() -> None:
    assert (
        point(standing(neck=40), "standing", "head")[0] > point(standing(), "standing", "head")[0]
    )


def test_lean_tips_the_trunk_and_leaves_the_legs_where_they_are() -> None:
    sitting = POSTURES["sitting"].pose
    leaning = sitting.changed({"lean": 40})
    for name in ("near_knee", "near_toe", "far_ankle"):
        before, after = point(sitting, "sitting", name), point(leaning, "sitting", name)
        assert after[0] == pytest.approx(before[0]), name
        assert after[2] == pytest.approx(before[2]), name
    assert point(leaning, "sitting", "neck")[0] > point(sitting, "sitting", "neck")[0]


def test_twist_turns_bent_knees_toward_the_near_side_under_a_still_chest() -> None:
    bent = POSTURES["lying-on-back"].pose.changed({"hips": 50, "knees": 100})
    twisted = bent.changed({"twist": 60})
    for side in ("near", "far"):
        assert point(twisted, "lying-on-back", f"{side}_knee")[2] > 0.2
    for name in ("near_shoulder", "far_shoulder", "neck"):
        before, after = point(bent, "lying-on-back", name), point(twisted, "lying-on-back", name)
        assert (after[0], after[2]) == pytest.approx((before[0], before[2])), name


@pytest.mark.parametrize(
    ("posture", "check"),
    [
        ("standing", lambda p: p["head"][1] > 1.5),
        ("sitting", lambda p: p["head"][1] > 0.7 and p["near_toe"][1] < 0.3),
        ("lying-on-back", lambda p: p["head"][1] < 0.2 and p["head"][0] < p["near_toe"][0]),
        ("lying-face-down", lambda p: p["head"][1] < 0.2 and p["head"][0] > p["near_toe"][0]),
        ("all-fours", lambda p: 0.5 < p["waist"][1] < 0.8 and p["near_hand"][1] < 0.1),
    ],
)
def test_each_posture_places_the_body_as_its_name_says(posture: str, check: object) -> None:
    points = body(POSTURES[posture].pose, posture).points
    assert callable(check)
    assert check(points), {name: tuple(round(c, 2) for c in xyz) for name, xyz in points.items()}


def test_lying_on_the_back_shows_the_near_side_toward_the_viewer() -> None:
    points = body(POSTURES["lying-on-back"].pose, "lying-on-back").points
    assert points["near_hip"][2] > 0 > points["far_hip"][2]


# ---------------------------------------------------------------------------------------------
# Poses and keyframes


def test_a_joint_named_alone_wins_over_its_pair_in_any_order() -> None:
    for changes in ({"knees": 90, "near_knee": 10}, {"near_knee": 10, "knees": 90}):
        pose = Pose((0.0,) * len(JOINTS)).changed(changes)
        assert (pose["near_knee"], pose["far_knee"]) == (10, 90)


def test_a_pose_refuses_a_joint_it_does_not_have() -> None:
    with pytest.raises(KeyError):
        POSTURES["standing"].pose.changed({"tail": 10})


def test_every_pair_names_both_sides_of_one_joint() -> None:
    for pair, (near, far) in PAIRS.items():
        assert near.startswith("near_") and far.startswith("far_")
        assert near.removeprefix("near_") == far.removeprefix("far_")
        assert pair.replace("s_", "_").rstrip("s") == near.removeprefix("near_")


def two_keys(at: float = 1.0) -> Figure:
    start = POSTURES["standing"].pose
    keys = [Keyframe(0.0, start)]
    if at < 1:
        keys.append(Keyframe(at, start.changed({"near_knee": 60})))
    keys.append(Keyframe(1.0, start.changed({"near_knee": 120})))
    return Figure("standing", tuple(keys))


def test_blending_at_0_and_1_gives_the_keyframes() -> None:
    figure = two_keys(0.4)
    assert figure.pose_at(0.0) == figure.start == figure.keyframes[0].pose
    assert figure.pose_at(1.0) == figure.held == figure.keyframes[-1].pose
    assert figure.pose_at(0.4) == figure.keyframes[1].pose


def test_progress_beyond_the_movement_stays_at_its_ends() -> None:
    figure = two_keys()
    assert figure.pose_at(-1.0) == figure.start
    assert figure.pose_at(2.0) == figure.held


def test_the_movement_eases_out_of_one_keyframe_and_into_the_next() -> None:
    figure = two_keys()
    knee = [figure.pose_at(step / 20)["near_knee"] for step in range(21)]
    steps = [b - a for a, b in itertools.pairwise(knee)]
    assert all(step > 0 for step in steps), knee
    assert steps[0] < steps[10] / 4 and steps[-1] < steps[10] / 4, steps
    assert figure.pose_at(0.5)["near_knee"] == pytest.approx(60)


def test_ease_runs_from_0_to_1_without_overshoot() -> None:
    values = [ease(step / 100) for step in range(101)]
    assert values[0] == 0 and values[-1] == 1
    assert values == sorted(values)


def test_blend_is_angle_by_angle() -> None:
    a = POSTURES["standing"].pose
    b = a.changed({"near_knee": 100, "back": -20})
    half = blend(a, b, 0.5)
    assert (half["near_knee"], half["back"], half["far_knee"]) == (50, -10, 0)


def test_a_still_figure_holds_its_posture() -> None:
    figure = Figure.still("sitting")
    assert figure.start == figure.held == POSTURES["sitting"].pose
    assert figure.pose_at(0.5) == figure.start


@pytest.mark.parametrize(
    "times", [(0.5,), (0.0, 0.5), (0.0, 0.6, 0.6, 1.0), (0.0, 0.7, 0.3, 1.0), (0.0,) * 0]
)
def test_a_figure_refuses_keyframes_that_do_not_run_from_0_to_1_in_order(
    times: tuple[float, ...],
) -> None:
    pose = POSTURES["standing"].pose
    with pytest.raises(ValueError):
        Figure("standing", tuple(Keyframe(at, pose) for at in times))


def test_the_extent_holds_the_whole_movement() -> None:
    figure = two_keys()
    extent = figure.extent
    for step in range(101):
        for name, (x, y, _) in body(figure.pose_at(step / 100), "standing").points.items():
            assert extent.left <= x <= extent.right, (step, name)
            assert extent.bottom <= y <= extent.top, (step, name)


def test_the_figure_modules_never_import_textual() -> None:
    """They belong with the model: the plain mode, `unknot figure` and the tests run them
    without the view."""
    script = (
        "import sys, tui.core.figure, tui.core.figure_toml, tui.core.figure_draw, "
        "tui.core.raster\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
