"""The detail pane: everything the routine file says about one stretch, and its current plan."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.core.model import Side, Stretch, StretchPlan
from tui.core.side_text import on_side
from tui.ui.literal import clean
from tui.ui.widgets.figure import FigureView

SIDE_WORDS = {"none": "", "each": " each side", "alternate": " each side, alternating"}


def plan_line(stretch: Stretch, plan: StretchPlan) -> str:
    """The plan in words: "hold 10 s · 3 reps each side (recommended 3-5)"."""
    reps = "rep" if plan.reps == 1 else "reps"
    text = f"hold {plan.hold_seconds} s · {plan.reps} {reps}{SIDE_WORDS[stretch.sides]}"
    recommended = []
    if stretch.hold_seconds.is_range:
        recommended.append(f"hold {stretch.hold_seconds} s")
    if stretch.reps.is_range:
        recommended.append(f"{stretch.reps}" if len(recommended) == 0 else f"{stretch.reps} reps")
    if recommended:
        text += f" (recommended {', '.join(recommended)})"
    if stretch.advance == "manual":
        text += " · waits for you before each hold"
    return text


def detail_content(stretch: Stretch, plan: StretchPlan, note: str = "") -> Content:
    """The whole pane as one Content: our own headings around the file's text, shown literally.

    Built from styled pieces rather than markup: the first markup parse in a process costs
    about 5 ms, and this pane is drawn for the first frame (issue 7: start-up).
    """
    parts: list[Content] = [Content.styled(clean(stretch.name), "bold")]
    parts.append(labelled("Plan:", plan_line(stretch, plan)))
    if note:  # the routine's progression this week (tui.core.plan_view.plan_note)
        parts.append(labelled("This week:", note))
    if stretch.targets:
        parts.append(labelled("Targets:", ", ".join(stretch.targets)))
    if stretch.position:
        parts.append(labelled("Start:", stretch.position))
    for number, step in enumerate(stretch.steps, start=1):
        parts.append(labelled(f"{number}.", step, "bold"))
    for tip in stretch.tips:
        parts.append(labelled("Tip:", tip))
    if stretch.variation:
        parts.append(labelled("Easier/harder:", stretch.variation))
    return Content("\n").join(parts)


def labelled(label: str, text: str, style: str = "dim") -> Content:
    """Our `label` in `style`, a space, then `text` from the file, shown literally."""
    return Content.assemble((label, style), " ", clean(text))


class StretchDetail(VerticalScroll, can_focus=False):
    """Name, targets, starting position, numbered steps, tips, variation and plan of a stretch."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.figure = FigureView(id="figure")
        """The stretch's figure, above its words; the app moves it with the routine."""
        self._body = Static("", id="detail-body")
        self._shown: tuple[Stretch, StretchPlan, str] | None = None
        """The stretch as shown (its text filled in for a side), its plan and note."""
        self._stretch: Stretch | None = None

    def compose(self) -> ComposeResult:
        yield self.figure
        yield self._body

    def show(
        self, stretch: Stretch, plan: StretchPlan, note: str = "", side: Side | None = None
    ) -> None:
        """Show this stretch and plan (and the progression's `note`), its text as it reads on
        `side` (None: its first side); nothing is redrawn when that is what is shown already."""
        shown = on_side(stretch, side)
        if self._shown == (shown, plan, note):
            return
        if self._stretch != stretch:
            self.scroll_home(animate=False)
        self._stretch = stretch
        self._shown = (shown, plan, note)
        self._body.update(detail_content(shown, plan, note))

    @property
    def text(self) -> str:
        """The plain text shown, for tests and the plain mode."""
        return "" if self._shown is None else detail_content(*self._shown).plain


__all__ = ["StretchDetail", "clean", "detail_content", "plan_line"]
