"""A stretch shown as a moving stick figure: a jointed body, its postures, keyframes and blending.

The body is a stick figure in three dimensions, so that one model serves every view: `side` (seen
from the working side, the usual picture), `head` (the person's own view: along the body from
beyond the head and above it, lying on a mat, the head at the bottom of the picture, so that the
person's right is the screen's right and a turn about the spine shows) and `feet` (the same from
beyond the feet: the person's right is on the screen's left). Each joint's angle is relative to its
parent, so limbs keep their length whatever the angles.

Angles are in degrees, the way a physiotherapist measures them from the posture's straight line:
0 is straight, a positive bend is the natural one (a knee bends back, a hip brings the thigh
forward, `back` curls the trunk forward and a negative `back` arches it). Joints come in pairs,
`near_` (the working side, the one the side view shows toward the viewer) and `far_`.

A figure is drawn for the right side; the left side is its mirror image (tui.core.figure_draw
flips the drawn dots, so the two are exact mirrors at every size).

Nothing here reads files or knows about Textual.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

Side = Literal["right", "left"]
View = Literal["side", "head", "feet"]
Layer = Literal["near", "far", "head", "floor"]

VIEWS: tuple[View, ...] = ("side", "head", "feet")

# ---------------------------------------------------------------------------------------------
# Joints

JOINT_RANGES: dict[str, tuple[int, int]] = {
    "lean": (-90, 120),
    "back": (-90, 90),
    "twist": (-90, 90),
    "neck": (-60, 80),
}
"""Every joint's allowed angles in degrees; the per-side joints are added below."""

_SIDE_JOINTS: dict[str, tuple[int, int]] = {
    "shoulder": (-90, 180),
    "shoulder_out": (-40, 180),
    "elbow": (0, 160),
    "hip": (-45, 160),
    "hip_out": (-40, 90),
    "hip_turn": (-60, 90),
    "knee": (0, 160),
    "ankle": (-45, 90),
}
for _kind, _bounds in _SIDE_JOINTS.items():
    JOINT_RANGES[f"near_{_kind}"] = _bounds
    JOINT_RANGES[f"far_{_kind}"] = _bounds

JOINTS: tuple[str, ...] = tuple(JOINT_RANGES)
"""Every joint a pose gives an angle to, in a fixed order."""

PAIRS: dict[str, tuple[str, str]] = {
    pair: (f"near_{kind}", f"far_{kind}")
    for pair, kind in (
        ("shoulders", "shoulder"),
        ("shoulders_out", "shoulder_out"),
        ("elbows", "elbow"),
        ("hips", "hip"),
        ("hips_out", "hip_out"),
        ("hips_turn", "hip_turn"),
        ("knees", "knee"),
        ("ankles", "ankle"),
    )
}
"""Names that set both sides at once: `knees = 90` is `near_knee = 90` and `far_knee = 90`."""

JOINT_HELP: dict[str, str] = {
    "lean": "the trunk tips forward at the hips (negative: back); the legs stay where they are",
    "back": "the spine curls forward (negative: arches back), the pelvis staying put",
    "twist": "the hips and legs turn toward the near side under a still chest",
    "neck": "the chin drops toward the chest (negative: the head tips back)",
    "shoulder": "the arm swings forward and up from hanging down (180: overhead)",
    "shoulder_out": "the arm rises out to the side (90: straight out)",
    "elbow": "the forearm bends toward the upper arm (0: straight)",
    "hip": "the thigh swings forward from the posture's straight line (90: a right angle)",
    "hip_out": "the thigh swings out to the side (negative: across toward the other leg)",
    "hip_turn": "the thigh turns outward about its own length: a bent knee's foot swings inward",
    "knee": "the shin bends back toward the thigh (0: straight)",
    "ankle": "the toes point (negative: they pull up toward the shin)",
}
"""What each angle does, in a line, for the routine format's documentation and messages."""

_INDEX = {name: index for index, name in enumerate(JOINTS)}


@dataclass(frozen=True, slots=True)
class Pose:
    """An angle for every joint, in JOINTS order (degrees)."""

    angles: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.angles) != len(JOINTS):
            raise ValueError(f"a pose has {len(JOINTS)} angles, not {len(self.angles)}")

    def __getitem__(self, joint: str) -> float:
        return self.angles[_INDEX[joint]]

    def as_dict(self) -> dict[str, float]:
        return dict(zip(JOINTS, self.angles, strict=True))

    def changed(self, changes: Mapping[str, float]) -> Pose:
        """This pose with `changes` made: joint or pair names; a joint named alone wins over its
        pair (`knees = 90, near_knee = 0` bends only the far knee), whatever the order."""
        angles = list(self.angles)
        unknown = [name for name in changes if name not in _INDEX and name not in PAIRS]
        if unknown:
            raise KeyError(f"no joint {unknown[0]!r}")
        for name, value in changes.items():
            for joint in PAIRS.get(name, ()):
                angles[_INDEX[joint]] = float(value)
        for name, value in changes.items():
            if name in _INDEX:
                angles[_INDEX[name]] = float(value)
        return Pose(tuple(angles))


NEUTRAL = Pose((0.0,) * len(JOINTS))
"""Every joint straight: standing upright, arms hanging, feet at a right angle to the shins."""


def blend(first: Pose, second: Pose, amount: float) -> Pose:
    """The pose `amount` of the way from `first` (0) to `second` (1), angle by angle."""
    return Pose(
        tuple(a + (b - a) * amount for a, b in zip(first.angles, second.angles, strict=True))
    )


def ease(amount: float) -> float:
    """Slow out of a keyframe, slow into the next (smoothstep), so the figure never jerks."""
    amount = min(1.0, max(0.0, amount))
    return amount * amount * (3.0 - 2.0 * amount)


# ---------------------------------------------------------------------------------------------
# Postures: where the body lies and what its joints start at

Vec = tuple[float, float, float]
"""A point or direction in the world, metres: x forward (screen right in the side view),
y up, z toward the viewer of the side view."""


@dataclass(frozen=True, slots=True)
class Posture:
    """A base position of the whole body: the trunk's directions in the world, and every joint's
    angle until a figure says otherwise."""

    name: str
    forward: Vec
    """Where the belly faces."""
    up: Vec
    """Where the spine points, from the pelvis to the head."""
    pose: Pose
    feet_end: float
    """+1 when the `feet` view looks from +x toward -x (and the `head` view from -x toward +x),
    -1 the other way."""
    help: str


POSTURES: dict[str, Posture] = {
    posture.name: posture
    for posture in (
        Posture(
            "lying-on-back",
            forward=(0.0, 1.0, 0.0),
            up=(-1.0, 0.0, 0.0),
            pose=NEUTRAL.changed({"ankles": 20, "shoulders": 10}),
            feet_end=1.0,
            help="on the back, head on the left, legs straight, arms along the sides",
        ),
        Posture(
            "lying-face-down",
            forward=(0.0, -1.0, 0.0),
            up=(1.0, 0.0, 0.0),
            pose=NEUTRAL.changed({"ankles": 80, "shoulders": -10}),
            feet_end=-1.0,
            help="face down, head on the right, legs straight, arms along the sides",
        ),
        Posture(
            "sitting",
            forward=(1.0, 0.0, 0.0),
            up=(0.0, 1.0, 0.0),
            pose=NEUTRAL.changed({"hips": 90, "shoulders": 35, "elbows": 20, "ankles": 10}),
            feet_end=1.0,
            help="sitting upright on the floor, legs straight out in front, hands by the thighs",
        ),
        Posture(
            "standing",
            forward=(1.0, 0.0, 0.0),
            up=(0.0, 1.0, 0.0),
            pose=NEUTRAL,
            feet_end=1.0,
            help="standing upright, facing right, arms hanging",
        ),
        Posture(
            "all-fours",
            forward=(0.0, -1.0, 0.0),
            up=(1.0, 0.0, 0.0),
            pose=NEUTRAL.changed({"hips": 90, "knees": 90, "shoulders": 90, "ankles": 80}),
            feet_end=-1.0,
            help="on hands and knees, back flat, facing right",
        ),
    )
}
"""Every base posture by name."""


# ---------------------------------------------------------------------------------------------
# Keyframes

MAX_KEYFRAMES = 8
"""Keyframes after the start: enough for any stretch, few enough to read."""


@dataclass(frozen=True, slots=True)
class Keyframe:
    """A pose at a moment of the movement: `at` runs from 0 (the start) to 1 (the held pose)."""

    at: float
    pose: Pose


@dataclass(frozen=True)
class Figure:
    """How a stretch looks: a posture, a view, and the movement from the start into the hold.

    `keyframes` begin at 0 (the start position) and end at 1 (the held pose); a figure with one
    keyframe stands still. The release is the movement played backward.
    """

    posture: str
    keyframes: tuple[Keyframe, ...]
    view: View = "side"

    def __post_init__(self) -> None:
        if self.posture not in POSTURES:
            raise ValueError(f"no posture {self.posture!r}")
        if self.view not in VIEWS:
            raise ValueError(f"no view {self.view!r}")
        times = [key.at for key in self.keyframes]
        if not times or times[0] != 0 or (len(times) > 1 and times[-1] != 1):
            raise ValueError("keyframes run from 0 (the start) to 1 (the held pose)")
        if any(b <= a for a, b in itertools.pairwise(times)):
            raise ValueError("keyframes must be in order")

    @classmethod
    def still(cls, posture: str, view: View = "side", **angles: float) -> Figure:
        """A figure that does not move: the posture with `angles` changed."""
        return cls(posture, (Keyframe(0.0, POSTURES[posture].pose.changed(angles)),), view)

    @property
    def start(self) -> Pose:
        return self.keyframes[0].pose

    @property
    def held(self) -> Pose:
        return self.keyframes[-1].pose

    def pose_at(self, progress: float) -> Pose:
        """The pose `progress` of the way from the start (0) into the held pose (1), eased in and
        out of every keyframe."""
        keys = self.keyframes
        if progress <= 0.0 or len(keys) == 1:
            return keys[0].pose
        if progress >= 1.0:
            return keys[-1].pose
        for before, after in itertools.pairwise(keys):
            if progress <= after.at:
                amount = (progress - before.at) / (after.at - before.at)
                return blend(before.pose, after.pose, ease(amount))
        return keys[-1].pose  # pragma: no cover - the last keyframe is at 1

    @property
    def extent(self) -> Extent:
        """The room the whole movement takes in its view: a box drawn from it holds every
        moment of the figure."""
        return self.extent_from(0.0)

    def extent_from(self, progress: float) -> Extent:
        """The room the rest of the movement takes, from `progress` into the held pose.

        A view fitted to it shows the start position in the room of the whole movement and the
        held pose as large as its box allows: the view only ever closes in as the body moves
        into the stretch (a sitting start, tall, would otherwise leave the folded held pose a
        thin strip along the floor), and it never moves while the rest of the movement takes
        the same room (a knee drawn up under a fixed head)."""
        steps = self._steps
        if progress <= 0.0:
            return self.rooms[0]
        if progress >= 1.0:
            return self.rooms[-1]
        found = Extent.around(
            [drawing(self.pose_at(progress), self.posture, self.view, self.mat)]
        ).grown(ROOM_MARGIN)
        after = math.floor(progress * steps) + 1  # the first sample past `progress`
        return found.joined(self.rooms[after])

    @cached_property
    def _steps(self) -> int:
        return 24 * (len(self.keyframes) - 1) or 1

    @cached_property
    def rooms(self) -> tuple[Extent, ...]:
        """The movement sampled from the start to the held pose: for each sample, the room it and
        every sample after it take (extent_from at that moment)."""
        rooms: list[Extent] = []
        for step in reversed(range(self._steps + 1)):
            found = drawing(self.pose_at(step / self._steps), self.posture, self.view, self.mat)
            room = Extent.around([found]).grown(ROOM_MARGIN)
            rooms.append(room.joined(rooms[-1]) if rooms else room)
        return tuple(reversed(rooms))

    @cached_property
    def mat(self) -> tuple[float, float]:
        """Where the mat of the `head` or `feet` view ends: around every keyframe, so it stays
        put."""
        bodies = [body(key.pose, self.posture) for key in self.keyframes]
        return mat_ends(bodies, _far_end(self.posture, self.view))


# ---------------------------------------------------------------------------------------------
# The body: forward kinematics


ROOM_MARGIN = 0.03
"""Metres of room kept around a drawn pose: the samples of a movement miss a little of the arcs
limbs sweep between them."""

LUMBAR, THORAX, NECK, HEAD_RADIUS = 0.22, 0.30, 0.06, 0.11
SHOULDER_DROP, SHOULDER_HALF, HIP_HALF = 0.05, 0.17, 0.09
UPPER_ARM, FOREARM, HAND = 0.30, 0.26, 0.08
THIGH, SHIN, FOOT = 0.44, 0.43, 0.17
TRUNK_RADIUS, LIMB_RADIUS, TIP_RADIUS = 0.08, 0.04, 0.02
"""Lengths in metres, of a person about 1.7 m tall; the radii keep the body off the floor."""

Frame3 = tuple[Vec, Vec, Vec]
"""A segment's own directions in the world: forward, up (along it, toward the head or away from
the hand or foot), and its right (forward x up)."""


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _along(point: Vec, direction: Vec, length: float) -> Vec:
    return (
        point[0] + direction[0] * length,
        point[1] + direction[1] * length,
        point[2] + direction[2] * length,
    )


def _mix(a: Vec, b: Vec, ca: float, cb: float) -> Vec:
    return (a[0] * ca + b[0] * cb, a[1] * ca + b[1] * cb, a[2] * ca + b[2] * cb)


def _turn(frame: Frame3, axis: str, degrees: float) -> Frame3:
    """`frame` turned about one of its own axes: about `right` forward goes toward up; about
    `forward` up goes toward right; about `up` right goes toward forward."""
    if not degrees:
        return frame
    f, u, r = frame
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    if axis == "right":
        return (_mix(f, u, c, s), _mix(u, f, c, -s), r)
    if axis == "forward":
        return (f, _mix(u, r, c, s), _mix(r, u, c, -s))
    return (_mix(f, r, c, -s), u, _mix(r, f, c, s))


@dataclass(frozen=True, slots=True)
class Body:
    """Where every joint of a pose is in the world, resting on the floor (y = 0)."""

    points: dict[str, Vec]
    face: Vec
    """The way the face looks."""


_TRUNK_POINTS = ("pelvis", "waist", "neck")
_TIPS = ("near_hand", "far_hand", "near_toe", "far_toe")


def body(pose: Pose, posture_name: str) -> Body:
    """The joints of `pose` in `posture`: each segment hangs from its parent at its joint's angle,
    then the whole body is set down so that it rests on the floor."""
    posture = POSTURES[posture_name]
    a = pose.angles
    at = _INDEX
    base: Frame3 = (posture.forward, posture.up, _cross(posture.forward, posture.up))
    points: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0)}

    trunk = _turn(base, "right", -a[at["lean"]])
    lumbar = _turn(trunk, "right", -a[at["back"]] / 2)
    points["waist"] = _along(points["pelvis"], lumbar[1], LUMBAR)
    thorax = _turn(lumbar, "right", -a[at["back"]] / 2)
    points["neck"] = _along(points["waist"], thorax[1], THORAX)
    head = _turn(thorax, "right", -a[at["neck"]])
    points["skull"] = _along(points["neck"], head[1], NECK)
    points["head"] = _along(points["skull"], head[1], HEAD_RADIUS)

    legs = _turn(base, "up", -a[at["twist"]])
    for side, sign in (("near", 1.0), ("far", -1.0)):
        shoulder = _along(points["neck"], thorax[1], -SHOULDER_DROP)
        shoulder = _along(shoulder, thorax[2], sign * SHOULDER_HALF)
        arm = _turn(thorax, "right", a[at[f"{side}_shoulder"]])
        arm = _turn(arm, "forward", -sign * a[at[f"{side}_shoulder_out"]])
        elbow = _along(shoulder, arm[1], -UPPER_ARM)
        forearm = _turn(arm, "right", a[at[f"{side}_elbow"]])
        wrist = _along(elbow, forearm[1], -FOREARM)
        points[f"{side}_shoulder"] = shoulder
        points[f"{side}_elbow"] = elbow
        points[f"{side}_wrist"] = wrist
        points[f"{side}_hand"] = _along(wrist, forearm[1], -HAND)

        hip = _along(points["pelvis"], legs[2], sign * HIP_HALF)
        thigh = _turn(legs, "right", a[at[f"{side}_hip"]])
        thigh = _turn(thigh, "forward", -sign * a[at[f"{side}_hip_out"]])
        thigh = _turn(thigh, "up", -sign * a[at[f"{side}_hip_turn"]])
        knee = _along(hip, thigh[1], -THIGH)
        shin = _turn(thigh, "right", -a[at[f"{side}_knee"]])
        ankle = _along(knee, shin[1], -SHIN)
        foot = _turn(shin, "right", -a[at[f"{side}_ankle"]])
        points[f"{side}_hip"] = hip
        points[f"{side}_knee"] = knee
        points[f"{side}_ankle"] = ankle
        points[f"{side}_toe"] = _along(ankle, foot[0], FOOT)

    lowest = min(
        point[1]
        - (
            HEAD_RADIUS
            if name == "head"
            else TRUNK_RADIUS
            if name in _TRUNK_POINTS
            else TIP_RADIUS
            if name in _TIPS
            else LIMB_RADIUS
        )
        for name, point in points.items()
    )
    rested = {name: (x, y - lowest, z) for name, (x, y, z) in points.items()}
    return Body(rested, head[0])


# ---------------------------------------------------------------------------------------------
# Views: the body as flat strokes

Point = tuple[float, float]
"""A point of a view, metres: x to the right, y up."""

FEET_VIEW_ELEVATION = 30.0
"""How far above the floor the `head` and `feet` views look down from, in degrees: high enough
that the body lies on its mat (the far end at the top, the near end at the bottom), low enough
that bent knees rise and the picture stays wide enough to fill a pane beside the words (at 40
degrees the trunk rotations at 80x24 came out a third narrower and hard to read)."""


@dataclass(frozen=True, slots=True)
class Stroke:
    start: Point
    end: Point
    layer: Layer


@dataclass(frozen=True, slots=True)
class Drawing:
    """A pose as seen in a view: strokes in the order they are drawn (farthest first), the head,
    and the floor: none for the floor line of the side view, or the outline of a mat."""

    strokes: tuple[Stroke, ...]
    head: Point
    face: Point
    """The face's direction in the view, shortened by how much it points at the viewer."""
    floor: tuple[Point, ...]


_TRUNK = (("pelvis", "waist"), ("waist", "neck"), ("neck", "skull"))
_GIRDLES = (("far_shoulder", "near_shoulder"), ("far_hip", "near_hip"))
_LIMB = (
    ("shoulder", "elbow"),
    ("elbow", "wrist"),
    ("wrist", "hand"),
    ("hip", "knee"),
    ("knee", "ankle"),
    ("ankle", "toe"),
)


def drawing(
    pose: Pose, posture_name: str, view: View = "side", mat: tuple[float, float] | None = None
) -> Drawing:
    """`pose` seen in `view`, as strokes in metres. The `head` and `feet` views draw a mat under
    the body from `mat` (the x of its two ends; by default, around this pose's body)."""
    found = body(pose, posture_name)
    if view == "side":

        def flat(point: Vec) -> Point:
            return (point[0], point[1])

        face = flat(found.face)
        floor: tuple[Point, ...] = ()
        far_layer: Layer = "far"
    else:
        # seen from beyond the feet, or (the head view) turned half round to look from beyond
        # the head: the near end of the body is drawn lowest, and right and left swap
        end = _far_end(posture_name, view)
        c, s = (
            math.cos(math.radians(FEET_VIEW_ELEVATION)),
            math.sin(math.radians(FEET_VIEW_ELEVATION)),
        )

        def flat(point: Vec) -> Point:
            return (-end * point[2], point[1] * c - end * point[0] * s)

        face = flat(found.face)
        head_end, feet_end = mat or mat_ends([found], end)
        floor = tuple(
            flat((x, 0.0, z))
            for x, z in (
                (head_end, -MAT_HALF_WIDTH),
                (head_end, MAT_HALF_WIDTH),
                (feet_end, MAT_HALF_WIDTH),
                (feet_end, -MAT_HALF_WIDTH),
            )
        )
        far_layer = "near"  # seen along the body, both sides are in plain view
    points = {name: flat(point) for name, point in found.points.items()}
    strokes: list[Stroke] = []
    for side, layer in (("far", far_layer), ("near", "near")):
        strokes.extend(
            Stroke(points[f"{side}_{a}"], points[f"{side}_{b}"], layer) for a, b in _LIMB
        )
        if side == "far":
            strokes.extend(Stroke(points[a], points[b], "near") for a, b in _TRUNK)
            strokes.extend(Stroke(points[a], points[b], "near") for a, b in _GIRDLES)
    return Drawing(tuple(strokes), points["head"], face, floor)


MAT_HALF_WIDTH, MAT_MARGIN = 0.45, 0.12
"""Half the width of the mat the `feet` view draws under the body, and how far it reaches
beyond the body's ends, metres."""


def _far_end(posture_name: str, view: View) -> float:
    """+1 when a view along the body looks from +x toward -x, -1 the other way."""
    return POSTURES[posture_name].feet_end * (1.0 if view == "feet" else -1.0)


def mat_ends(bodies: Iterable[Body], end: float = 1.0) -> tuple[float, float]:
    """Where a mat under `bodies` ends (x, metres), seen along the body from beyond the `end`
    side (see _far_end): a little beyond the near end, and far enough beyond the far end that
    what stands up there (a head, bent knees) lies on the mat, not across its edge."""
    xs = [point[0] for found in bodies for point in found.points.values()]
    reach = 3 * HEAD_RADIUS + MAT_MARGIN
    if end > 0:
        return min(xs) - reach, max(xs) + MAT_MARGIN
    return min(xs) - MAT_MARGIN, max(xs) + reach


@dataclass(frozen=True, slots=True)
class Extent:
    """The box a drawing takes, metres, head included."""

    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def around(cls, drawings: Iterable[Drawing]) -> Extent:
        xs: list[float] = []
        ys: list[float] = []
        for found in drawings:
            for stroke in found.strokes:
                xs += (stroke.start[0], stroke.end[0])
                ys += (stroke.start[1], stroke.end[1])
            hx, hy = found.head
            xs += (hx - HEAD_RADIUS, hx + HEAD_RADIUS)
            ys += (hy - HEAD_RADIUS, hy + HEAD_RADIUS)
            xs += (x for x, _ in found.floor)
            ys += (y for _, y in found.floor)
            if not found.floor:
                ys.append(0.0)
        return cls(min(xs), min(ys), max(xs), max(ys))

    def joined(self, other: Extent) -> Extent:
        """The smallest box holding this one and `other`."""
        return Extent(
            min(self.left, other.left),
            min(self.bottom, other.bottom),
            max(self.right, other.right),
            max(self.top, other.top),
        )

    def grown(self, margin: float) -> Extent:
        """This box with `margin` more on every side but the floor's."""
        return Extent(self.left - margin, self.bottom, self.right + margin, self.top + margin)

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2

    @property
    def height(self) -> float:
        return self.top - self.bottom
