"""Progress charts as PNG bytes sized for a chat's thumbnail: matplotlib's Agg canvas on a Figure of its own
(no pyplot, no display), imported only when a chart is drawn."""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from babel.dates import format_skeleton
from babel.numbers import format_decimal

from bot.core.goal_progress import BEHIND, ON_TRACK, REACHED

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

WIDTH_PX = 1200  # Slack and Telegram show some 360–600 px of it: every letter is drawn twice as large
ONE_ROW_PX = 675  # 16:9, shown whole in a chat
ROW_PX = 430
TITLES_PX = 110
# Where things go, in pixels: matplotlib's own layout engines would double the time a chart takes.
HEADING_PX, FOOTER_PX = 58, 36
ABOVE_AXES_PX, BELOW_AXES_PX = 70, 72  # a panel's two-line title; its dates and the target's words
RIGHT_OF_AXES_PX = 46  # the deadline's date
LEFT_OF_GOAL_PX, LEFT_OF_BARS_PX, LEFT_OF_WORDS_PX = 130, 84, 150  # numbers and unit; numbers; words
DPI = 100
FONT_PT = 16  # never below 14 pt at 1200 px
TITLE_PT = 19
HEADING_PT = 24
MOST_COLUMNS = 3
SMALLEST_PT = 14  # month labels of a narrow panel
STATE_ROOM, MARGIN = 0.45, 0.12  # of a goal's figures' spread, above or below them
TITLE_CHARACTERS = {1: 60, 2: 34, 3: 20}  # a panel's title shortened to what fits its width

# Okabe and Ito's colours, told apart with any colour vision; a state has its own marker and line besides.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
PLAN_COLOUR = "#6E6E6E"
INK = "#222222"


@dataclass(frozen=True)
class StateStyle:
    colour: str
    marker: str
    line: str
    glyph: str  # beside the state's words, the marker's shape again


STATE_STYLES = {
    REACHED: StateStyle("#009E73", "*", "-", "★"),
    ON_TRACK: StateStyle("#0072B2", "o", "-", "●"),
    BEHIND: StateStyle("#D55E00", "v", "--", "▼"),
}


@dataclass(frozen=True)
class GoalPanel:
    """One goal: its figures over time against the straight line from its baseline on `start` to its target
    on `deadline`, in the state goal_progress judged (reached, on track, behind)."""

    title: str
    unit: str  # the figures' unit, as the axis says it
    state: str
    state_label: str
    target_label: str  # "Target: 150 000 kWh"
    start: date
    deadline: date
    baseline: float
    target: float
    points: Sequence[tuple[date, float]]


@dataclass(frozen=True)
class BarPanel:
    """Bars at `labels` (months, or received/accepted/implemented), one colour per series; a legend names the
    series when there are several."""

    title: str
    labels: Sequence[str]
    series: Sequence[tuple[str, Sequence[float]]]  # (name with its unit, one value per label)
    whole: bool = True  # counts: no half ticks
    across: bool = False  # bars lying down, their labels beside them (words that would overlap below)


@dataclass(frozen=True)
class ProgressChart:
    """What one progress chart shows, its words already in the reader's language; panels left empty
    (None, no goals) are not drawn."""

    title: str
    locale: str  # numbers and months are written the reader's way
    goals: Sequence[GoalPanel] = ()
    savings: BarPanel | None = None
    ideas: BarPanel | None = None
    points: BarPanel | None = None
    footer: str = ""  # what the dotted line is; "+2 more goals: /goals"

    @property
    def panels(self) -> list[GoalPanel | BarPanel]:
        return [*self.goals, *(each for each in (self.savings, self.ideas, self.points) if each is not None)]


def layout(panel_count: int) -> tuple[int, int]:
    """(rows, columns): one row up to two panels, two columns up to four, then three."""
    columns = 1 if panel_count <= 1 else 2 if panel_count <= 4 else MOST_COLUMNS
    return math.ceil(max(panel_count, 1) / columns), columns


def size_px(chart: ProgressChart) -> tuple[int, int]:
    rows, _ = layout(len(chart.panels))
    return WIDTH_PX, ONE_ROW_PX if rows == 1 else TITLES_PX + ROW_PX * rows


def progress_png(chart: ProgressChart) -> bytes:
    """The chart at `size_px`; the same data gives the same bytes (no timestamp in the file)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = size_px(chart)
    with rc_context(
        {"font.size": FONT_PT, "axes.titlesize": TITLE_PT, "text.color": INK, "axes.labelcolor": INK}
    ):
        figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
        FigureCanvasAgg(figure)
        figure.suptitle(chart.title, y=1 - 10 / height, va="top", fontsize=HEADING_PT, fontweight="bold")
        for axes, panel, columns in _grid(figure, chart.panels):
            if isinstance(panel, GoalPanel):
                _goal(axes, panel, chart.locale, columns)
            else:
                _bars(axes, panel, chart.locale, columns)
        if chart.footer:
            figure.text(0.5, 8 / height, chart.footer, ha="center", va="bottom", fontsize=FONT_PT)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _grid(figure: Figure, panels: Sequence[Any]) -> list[tuple[Axes, Any, int]]:
    """Each panel's axes, row by row; a last row with fewer panels shares the whole width between them."""
    rows, columns = layout(len(panels))
    width, height = figure.bbox.width, figure.bbox.height
    row_px = (height - HEADING_PX - FOOTER_PX) / rows
    placed = []
    for row in range(rows):
        in_row = panels[row * columns : (row + 1) * columns]
        cell_px = width / len(in_row)
        bottom = height - HEADING_PX - (row + 1) * row_px + BELOW_AXES_PX
        for index, panel in enumerate(in_row):
            left_px = _left_px(panel)
            left = index * cell_px + left_px
            box = (
                left / width,
                bottom / height,
                (cell_px - left_px - RIGHT_OF_AXES_PX) / width,
                (row_px - ABOVE_AXES_PX - BELOW_AXES_PX) / height,
            )
            placed.append((figure.add_axes(box), panel, columns))
    return placed


def _left_px(panel: GoalPanel | BarPanel) -> int:
    if isinstance(panel, GoalPanel):
        return LEFT_OF_GOAL_PX
    return LEFT_OF_WORDS_PX if panel.across else LEFT_OF_BARS_PX


def _wrapped(text: str, columns: int) -> str:
    """A panel's title in at most two lines of what fits its width, shortened after that."""
    limit = TITLE_CHARACTERS[columns]
    lines = textwrap.wrap(text, limit) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), limit, placeholder=" …")]
    return "\n".join(lines)


def _number_axis(axis: Axis, axes: Axes, locale: str, whole: bool) -> None:
    """Few ticks, numbers written the reader's way."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=3, integer=whole, min_n_ticks=2))
    axis.set_major_formatter(FuncFormatter(lambda value, _: format_decimal(value, locale=locale)))
    axes.spines[["top", "right"]].set_visible(False)


def _goal(axes: Axes, panel: GoalPanel, locale: str, columns: int) -> None:
    style = STATE_STYLES[panel.state]
    reduce = panel.target < panel.baseline
    axes.plot(
        [panel.start.toordinal(), panel.deadline.toordinal()],
        [panel.baseline, panel.target],
        color=PLAN_COLOUR,
        linestyle=":",
        linewidth=2.5,
    )
    axes.axhline(panel.target, color=PLAN_COLOUR, linewidth=1.2)
    axes.plot([panel.deadline.toordinal()], [panel.target], marker="D", markersize=11, color=PLAN_COLOUR)
    axes.plot(
        [day.toordinal() for day, _ in panel.points],
        [value for _, value in panel.points],
        color=style.colour,
        linestyle=style.line,
        linewidth=3,
        marker=style.marker,
        markersize=18 if style.marker == "*" else 12,
    )
    # The state's words where the straight line leaves room: top right for a reduction, bottom right for
    # an increase.
    axes.text(
        0.98,
        0.96 if reduce else 0.04,
        f"{style.glyph} {panel.state_label}",
        transform=axes.transAxes,
        ha="right",
        va="top" if reduce else "bottom",
        color=style.colour,
        fontsize=TITLE_PT,
        fontweight="bold",
    )
    values = [panel.baseline, panel.target, *(value for _, value in panel.points)]
    low, high = min(values), max(values)
    spread = (high - low) or 1
    # The state's side gets a band no figure reaches.
    below, above = (STATE_ROOM, MARGIN) if not reduce else (MARGIN, STATE_ROOM)
    axes.set_ylim(low - spread * below, high + spread * above)
    first = min([panel.start, *(day for day, _ in panel.points)])
    axes.set_xticks(
        [first.toordinal(), panel.deadline.toordinal()],
        [format_skeleton("yMMM", day, locale=locale) for day in (first, panel.deadline)],
    )
    axes.set_title(_wrapped(panel.title, columns), loc="left")
    axes.set_xlabel(panel.target_label, color=PLAN_COLOUR)  # below the dates, clear of every figure
    axes.set_ylabel(panel.unit)
    _number_axis(axes.yaxis, axes, locale, whole=False)


def _bars(axes: Axes, panel: BarPanel, locale: str, columns: int) -> None:
    count = len(panel.series)
    width = 0.8 / count
    draw = axes.barh if panel.across else axes.bar
    for index, (name, values) in enumerate(panel.series):
        offsets = [position + (index - (count - 1) / 2) * width for position in range(len(panel.labels))]
        bars = draw(offsets, values, width, label=name, color=OKABE_ITO[index % len(OKABE_ITO)])
        shown = [format_decimal(value, locale=locale) if value else "" for value in values]
        axes.bar_label(bars, shown, padding=3)
    highest = max([value for _, values in panel.series for value in values] or [1]) or 1
    if panel.across:
        axes.set_yticks(range(len(panel.labels)), panel.labels)
        axes.invert_yaxis()  # the first label on top
        axes.set_xlim(0, highest * 1.2)
        _number_axis(axes.xaxis, axes, locale, panel.whole)
    else:
        axes.set_xticks(range(len(panel.labels)), panel.labels)
        axes.tick_params(axis="x", labelsize=SMALLEST_PT if columns == MOST_COLUMNS else FONT_PT)
        axes.set_ylim(0, highest * (1.5 if count > 1 else 1.2))  # room for the numbers and the legend
        _number_axis(axes.yaxis, axes, locale, panel.whole)
    axes.set_title(_wrapped(panel.title, columns), loc="left")
    if count > 1:
        axes.legend(frameon=False, loc="upper left", fontsize=FONT_PT - 1)
