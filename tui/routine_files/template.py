"""`unknot new NAME`: a commented routine file to start from, written to the person's folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

ID_PATTERN = re.compile(r"[a-z0-9-]{1,40}")


class TemplateError(Exception):
    """Why a template could not be written, in words for the person."""


def suggest_id(name: str) -> str:
    """The nearest valid routine id: lower case, runs of other characters turned into dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:40].strip("-") or "my-routine"


def title_for(routine_id: str) -> str:
    """A readable routine name from its id: "evening-stretch" -> "Evening stretch"."""
    return routine_id.replace("-", " ").strip().capitalize() or "My routine"


def template_text(routine_id: str, schema_ref: str | None = None) -> str:
    """The template's text for routine `routine_id`: valid schema 1, every field explained."""
    head = f"#:schema {schema_ref}\n" if schema_ref else ""
    return head + _TEMPLATE.format(id=routine_id, name=title_for(routine_id))


def write_template(name: str, folder: Path, schema_ref: str | None = None) -> Path:
    """Write NAME.toml into `folder` and return its path; never replaces an existing file."""
    if not ID_PATTERN.fullmatch(name):
        raise TemplateError(
            f"{name!r} cannot be a routine id: use 1-40 lower-case letters, digits and dashes "
            f"(for example {suggest_id(name)!r})."
        )
    path = folder / f"{name}.toml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # O_EXCL: if the file appears between a check and the write, we still never overwrite it
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise TemplateError(f"{path} already exists; it was left as it is.") from None
    except OSError as error:
        raise TemplateError(f"Cannot write {path}: {error.strerror}.") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(template_text(name, schema_ref))
    return path


_TEMPLATE = """\
# An unknot routine. The file name (without .toml) is its id: `unknot run {id}` starts it.
# Check it after editing with `unknot check`, which names each problem with its line.
# Lines starting with # are comments; fields marked "optional" may be deleted.

schema = 1                   # the version of the routine format; leave it at 1
name = "{name}"              # shown in the app: 1-80 characters
# description (optional): what the routine is for, shown on its overview
description = \"\"\"
Say here what this routine is for and when to use it.
Stop any stretch that causes sharp pain.
\"\"\"
prepare_seconds = 5          # optional: get-ready countdown before each stretch, 0-60 (default 5)
rest_seconds = 15            # optional: rest between two stretches, 0-600 (default 15)

# [plan] (optional): how often the routine is meant to be done; without it, once a day.
# The app shows "today 1 of 2" and `unknot due` says when a session is due.
[plan]
times_a_day = 2              # sessions a day on the days planned, 1-6
# days = ["mon", "wed", "fri"]   # optional: which days of the week (default: every day)

# [progression] (optional): how holds and reps grow, week by week, counted from the first
# session of this routine, as your clinician prescribes. Delete it to keep them as they are.
[progression]
reps_per_week = 1            # one rep more each week...
max_reps = 5                 # ...up to 5 (left out: the top of each stretch's reps range)
# hold_seconds_per_week = 2  # each hold 2 s longer every week...
# max_hold_seconds = 30      # ...up to 30 s (left out: the top of each hold range)

# Each [[stretches]] table is one stretch; they run from top to bottom (1 to 50 of them).
#
# The texts of a stretch with sides (targets, position, steps, tips, variation) can name the
# side being done: {{side}} reads "right" on the right side and "left" on the left, {{other}}
# the other one; {{Side}} and {{Other}} ("Right", "Left") start a sentence. Before the stretch
# starts they read for its first side. Write {{{{ or }}}} for a brace itself. A stretch's name
# reads the same on both sides, and a stretch with sides = "none" has no side to name.

[[stretches]]
id = "knee-hug"              # unique in this file: 1-40 lower-case letters, digits and dashes
name = "Knee hug"            # 1-80 characters
targets = ["lower back", "hips"]                  # optional: what it stretches
position = "Lying on your back, knees bent"       # optional: where to start from
steps = [                    # 1-20 lines, each up to 500 characters, shown as numbered steps
    "Bring your {{side}} knee up towards your chest.",
    "Hold it with both hands behind the thigh and draw it in until you feel a gentle pull.",
    "Breathe out slowly and let the lower back sink into the floor.",
]
tips = ["Keep your {{other}} foot flat on the floor."]  # optional, same limits as steps
variation = "Hug both knees at once."             # optional
hold_seconds = 10            # seconds per hold: a whole number 1-3600, or a range [10, 20]
reps = [3, 5]                # holds on each side: 1-100, or a range; the plan starts low
sides = "each"               # "none"; "each" = every rep on one side, then the other side;
                             # "alternate" = one side, the other side, and so on
first_side = "right"         # optional: "right" or "left" (default "right")
switch_seconds = 3           # optional: time to change sides, 0-60 (default 3)
rest_between_reps = 3        # optional: rest between reps, 0-600 (default 3)

# figure (optional, after the stretch's other keys): a moving picture of the stretch, drawn for
# the first side; the other side is its mirror. `unknot figure knee-hug --routine {id}` prints it.
[stretches.figure]
posture = "lying-on-back"    # lying-on-back, lying-face-down, sitting, standing or all-fours
view = "side"                # optional: "side" (default), seen from the working side; "head",
                             # along the body from beyond your head (your right is on the right);
                             # "feet", the same from beyond your feet
start = {{ hips = 50, knees = 100, ankles = 35 }}   # where it starts: only angles that differ
keyframes = [                # the movement into the hold, listing only what changes each time;
    {{ near_hip = 85, near_knee = 105, shoulders = 25, elbows = 20 }},
    {{ near_hip = 115, near_knee = 120, shoulders = 34, elbows = 40 }},   # the last is the hold
]
# Angles are degrees from the posture's own position: lean, back, twist, neck, and near_ (the
# working side) or far_ with shoulder, shoulder_out, elbow, hip, hip_out, hip_turn, knee, ankle;
# the plural (knees, hips, ...) sets both sides. A keyframe may say when it comes: at = 0.5.

[[stretches]]
id = "pelvic-tilt"
name = "Pelvic tilt"
position = "Lying on your back, knees bent, feet flat"
steps = [
    "Tighten your stomach muscles so the small of your back presses into the floor.",
    "Keep breathing; let go slowly at the end of the hold.",
]
hold_seconds = 5
reps = 5
sides = "none"
advance = "manual"           # optional: "auto" counts down before each hold (default);
                             # "manual" waits until you press Space to say you are in position

[stretches.progression]      # optional: this stretch's own, over the routine's [progression]
reps_per_week = 0            # its reps stay as they are (what it leaves out comes from above)
"""
