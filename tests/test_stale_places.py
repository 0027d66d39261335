"""Places of routines gone for good are dropped after a week; no place of a routine that is only
out of reach for now ever is (tui/store/stale_places.py).

Found by hand: a routine file deleted left its place to resume behind for ever, read at every
start and never offered again.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_app_fakes import FakeClock, wall

from tui.core.engine import Engine
from tui.core.model import Routine
from tui.routine_files.catalog import discover
from tui.routine_files.loader import load_routine
from tui.store.paths import user_routines_dir
from tui.store.resume import Places, save_resume
from tui.store.stale_places import GONE_AFTER, drop_gone_places, gone_notes_path

EVENING = """\
schema = 1
name = "Evening"

[[stretches]]
id = "reach"
name = "Reach"
steps = ["Reach up."]
hold_seconds = 3
reps = 1
"""
OTHER = EVENING.replace('name = "Evening"', 'name = "Other"').replace('"reach"', '"bend"')
START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def routine_file(name: str, text: str = EVENING, folder: Path | None = None) -> Path:
    folder = folder or user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def place_of(routine: Routine) -> Path:
    """A session of `routine` left part way; its place file."""
    clock = FakeClock()
    engine = Engine(routine, clock=clock, sleep=clock.sleep, wall=wall)
    engine.start(0)
    clock.advance(1)
    position = engine.position()
    save_resume(routine, position)
    return Places.default().path_of(position.session_id)


def look(days: float) -> list[str]:
    """A start `days` after START: the routines as they are, the places tidied."""
    return drop_gone_places(Places.default(), discover().known(), now=START + timedelta(days))


@pytest.fixture
def evening_left_part_way() -> Path:
    """The person's evening routine, left part way, then its file deleted; another routine of
    theirs stays in the folder."""
    routine_file("other.toml", OTHER)
    path = routine_file("evening.toml")
    place = place_of(load_routine(path, "user"))
    path.unlink()
    return place


def test_a_place_whose_routine_was_deleted_goes_after_a_week(evening_left_part_way: Path) -> None:
    place = evening_left_part_way
    assert look(0) == [] and place.exists()
    assert place.name in gone_notes_path().read_text(encoding="utf-8")
    assert look(6.9) == [] and place.exists(), "gone for less than a week: kept"
    assert look(7) == [place.name]
    assert not place.exists()
    assert not gone_notes_path().exists(), "no note left of a place that is no more"


def test_a_routine_found_again_clears_the_wait(evening_left_part_way: Path) -> None:
    place = evening_left_part_way
    look(0)
    routine_file("evening.toml")  # put back
    assert look(3) == []
    assert not gone_notes_path().exists()
    (user_routines_dir() / "evening.toml").unlink()
    assert look(8) == [] and place.exists(), "the week starts again from the day it went again"
    assert look(15) == [place.name]


def test_a_broken_file_of_the_routine_keeps_its_place(evening_left_part_way: Path) -> None:
    place = evening_left_part_way
    look(0)
    routine_file("evening.toml", "this is = not [ toml")
    assert look(30) == [] and place.exists()
    assert not gone_notes_path().exists(), "its routine is there, only broken"


@pytest.mark.parametrize("how", ["folder gone", "folder empty", "folder unreadable"])
def test_a_folder_out_of_reach_says_nothing_of_its_routines(
    evening_left_part_way: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk not mounted: the folder is missing, or an empty mount point, or cannot be read.
    The place stays, and the wait noted before neither grows nor starts over."""
    place = evening_left_part_way
    look(0)
    noted = gone_notes_path().read_text(encoding="utf-8")
    folder = user_routines_dir()
    (folder / "other.toml").unlink()
    if how == "folder gone":
        folder.rmdir()
    elif how == "folder unreadable":
        routine_file("other.toml", OTHER)
        folder.chmod(0o000)
        if os.access(folder, os.R_OK):  # root reads anything (CI runs as root): refuse it here
            real_scandir = os.scandir

            def refusing(path: Any = ".") -> Any:
                if os.fspath(path) == os.fspath(folder):
                    raise PermissionError(13, "Permission denied", os.fspath(path))
                return real_scandir(path)

            monkeypatch.setattr(os, "scandir", refusing)
    try:
        assert look(30) == [] and place.exists()
        assert gone_notes_path().read_text(encoding="utf-8") == noted
    finally:
        if folder.exists():
            folder.chmod(0o700)


def test_a_renamed_routine_keeps_its_place(evening_left_part_way: Path) -> None:
    """The same stretches in the same order under another name: maybe renamed back one day."""
    place = evening_left_part_way
    routine_file("evening-renamed.toml")
    assert look(0) == [] and look(30) == [] and place.exists()


def test_a_routine_opened_from_elsewhere_keeps_its_place_while_its_file_is_there(
    tmp_path: Path,
) -> None:
    """`unknot run ~/Downloads/stretch.toml`: not in any folder the catalog reads; the place
    names the file, which is still there."""
    elsewhere = tmp_path / "downloads"
    path = routine_file("evening.toml", folder=elsewhere)
    routine_file("other.toml", OTHER, folder=elsewhere)
    place = place_of(load_routine(path, "file"))
    assert look(0) == [] and look(30) == [] and place.exists()
    path.unlink()
    assert look(31) == [] and look(38) == [place.name]


def test_a_place_saved_before_places_named_their_file_goes_the_same_way(
    evening_left_part_way: Path,
) -> None:
    """Older places name no file: the person's routines folder stands for it."""
    place = evening_left_part_way
    text = place.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("routine_path")]
    assert len(lines) == len(text.splitlines()) - 1, text
    place.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert look(0) == [] and look(7) == [place.name]


def test_a_clock_set_back_starts_the_wait_over(evening_left_part_way: Path) -> None:
    place = evening_left_part_way
    look(10)
    assert look(3) == [] and place.exists()  # a start "before" the note: noted anew
    assert look(9) == [] and look(10) == [place.name]


def test_notes_that_cannot_be_read_are_moved_aside_and_the_wait_starts_over(
    evening_left_part_way: Path,
) -> None:
    place = evening_left_part_way
    look(0)
    notes = gone_notes_path()
    notes.write_text("gone = [ broken", encoding="utf-8")
    assert look(8) == [] and place.exists()
    assert list(notes.parent.glob(notes.name + ".broken-*"))
    assert look(15) == [place.name]


def test_a_place_that_cannot_be_read_is_left_for_the_offer_to_tell(
    evening_left_part_way: Path,
) -> None:
    """Tidying never moves a broken place aside: the resume offer does, and says so."""
    broken = Places.default().folder / "0123456789abcdef0123456789abcdef.toml"
    broken.write_text("not = [ a place", encoding="utf-8")
    look(0)
    look(8)
    assert broken.exists()


async def test_the_app_drops_a_place_gone_for_a_week_once_it_is_up(
    evening_left_part_way: Path,
) -> None:
    """The rule runs at each start, after the first frame (an app test: the wiring is what is
    tested here; the rule is tested above)."""
    import settle
    from app_memory_fakes import memory_app

    from tui.store.config import Config

    place = evening_left_part_way
    drop_gone_places(Places.default(), discover().known(), now=wall() - GONE_AFTER)
    catalog = discover()
    other = catalog.get("other")
    assert other is not None and place.exists()
    app = memory_app(
        FakeClock(),
        other,
        config=Config(ask_pain=False),
        routines=catalog.ordered(),
        reload=discover,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle.until(pilot, lambda: not place.exists(), f"{place.name} removed")


@pytest.mark.parametrize("value", ["routine_path = 7", f'routine_path = "{"x" * 5000}"'])
def test_a_place_whose_file_name_is_wrong_is_moved_aside_naming_the_field(
    evening_left_part_way: Path, value: str
) -> None:
    place = evening_left_part_way
    text = place.read_text(encoding="utf-8")
    lines = [value if line.startswith("routine_path") else line for line in text.splitlines()]
    place.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load = Places.default().load()
    assert load.saved == [] and not place.exists()
    assert len(load.notices) == 1 and "routine_path" in load.notices[0], load.notices
