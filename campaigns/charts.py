"""Progress charts as PNG bytes: matplotlib's Agg canvas on a Figure of its own (no pyplot, no display)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

WIDTH_PX = 1200
HEIGHT_PX = 675
DPI = 100
BAR_COLOURS = ("#7fb77e", "#3f8f5b", "#1f5f3b")
POINTS_COLOUR = "#4a7fb5"


@dataclass(frozen=True)
class ProgressChart:
    """What one progress chart shows, its words already in the reader's language."""

    title: str
    ideas_title: str
    ideas: Sequence[tuple[str, int]]  # (label, count): received, accepted, implemented
    points_title: str
    points: Sequence[tuple[str, int]]  # (month label, points earned), oldest first


def progress_png(chart: ProgressChart) -> bytes:
    """The chart, WIDTH_PX × HEIGHT_PX; the same data gives the same bytes (no timestamp in the file)."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.suptitle(chart.title, fontsize=16)
    ideas, points = figure.subplots(1, 2)
    _bars(ideas, chart.ideas_title, chart.ideas, list(BAR_COLOURS))
    _bars(points, chart.points_title, chart.points, [POINTS_COLOUR] * len(chart.points))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _bars(axes: Axes, title: str, values: Sequence[tuple[str, int]], colours: list[str]) -> None:
    labels = [label for label, _ in values]
    heights = [value for _, value in values]
    bars = axes.bar(range(len(values)), heights, color=colours[: len(values)])
    axes.set_xticks(range(len(values)), labels)
    axes.set_title(title)
    axes.bar_label(bars)
    axes.set_ylim(0, max([*heights, 1]) * 1.15)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 of an idea
    axes.spines[["top", "right"]].set_visible(False)
