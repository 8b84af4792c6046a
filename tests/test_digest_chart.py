"""The progress post's chart shows what was achieved: each goal against its straight line, verified savings by
month, the month's ideas and points earned, in the post's language; a panel with nothing in it is left out."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from PIL import Image as PILImage

from bot.core import digest_posts
from bot.core.clock import ManualClock
from bot.core.digest import Digest
from bot.core.units import find_unit
from bot.i18n import translator
from campaigns.charts import WIDTH_PX, BarPanel, GoalPanel, ProgressChart, progress_png, size_px
from handlers.digest_views import progress_chart
from tests.chat import Chat
from tests.test_goals import set_goal, team

APRIL_15 = datetime(2027, 4, 15, 10, 0, tzinfo=UTC)
EXAMPLE = Path(__file__).parent.parent / "docs" / "progress-chart.png"


def goal(unit: str, title: str, metric: str, baseline: str, target: str) -> tuple[str, ...]:
    return (unit, title, metric, baseline, target, "2027-12-31", "me", "ecological")


def verified(chat: Chat, clock: ManualClock, at: datetime, idea: int, saving: str) -> None:
    clock.set(at)
    chat.ok("rita", f"/status {idea} implemented")
    chat.ok("rita", f"/saving {idea} {saving} verified")


def north_since_november(chat: Chat, clock: ManualClock) -> None:
    """North sets three goals on 16 November; by mid-April the electricity is on track, the waste behind and
    the sorting reached, and three ideas have verified savings in kWh a year and kg CO2e over three months.
    South has a goal of its own and no ideas."""
    team(chat)
    set_goal(chat, "rita", goal("North", "Less electricity", "kWh", "200 MWh 2025", "150 MWh"))
    set_goal(chat, "rita", goal("North", "Less residual waste", "kg residual waste", "1200 kg 2025", "600 kg"))
    set_goal(chat, "rita", goal("North", "Sort more", "% sorted", "40 % 2025", "80 %"))
    set_goal(chat, "mia", goal("South", "Fewer car trips", "km by car", "5000 km 2025", "3000 km"))
    for text in ("Switch off monitors at night", "Cycle to meetings", "LED in the stairwell"):
        chat.ok("alice", f"/idea {text}")
    verified(chat, clock, datetime(2027, 2, 10, 10, 0, tzinfo=UTC), 1, "1500 kWh per year")
    verified(chat, clock, datetime(2027, 3, 10, 10, 0, tzinfo=UTC), 2, "300 kg CO2e")
    verified(chat, clock, datetime(2027, 4, 12, 10, 0, tzinfo=UTC), 3, "800 kWh per year")
    clock.set(APRIL_15)
    chat.ok("rita", "/progress 1 190 MWh 2027-01-15")
    chat.ok("rita", "/progress 1 175 MWh")  # half the way at a third of the time: on track
    chat.ok("rita", "/progress 2 1150 kg")  # a twelfth of the way: behind
    chat.ok("rita", "/progress 3 85 %")  # past the target: reached
    chat.ok("mia", "/progress 4 4200 km")


def current(chat: Chat, unit: str) -> Digest:
    with chat.app.uow.begin() as tx:
        return digest_posts.current(tx, find_unit(tx, unit))


def chart_in(locale: str, digest: Digest) -> ProgressChart:
    return progress_chart(translator(locale), digest, "Progress")


def test_each_goal_is_drawn_against_its_straight_line_in_its_state(chat: Chat, clock: ManualClock) -> None:
    north_since_november(chat, clock)
    chart = chart_in("nb", current(chat, "North"))
    assert [(panel.title, panel.state, panel.state_label) for panel in chart.goals] == [
        ("Less electricity", "on_track", "i rute"),
        ("Less residual waste", "behind", "på etterskudd"),
        ("Sort more", "reached", "nådd"),
    ]
    electricity, waste, sorting = chart.goals
    assert (electricity.start, electricity.deadline) == (date(2026, 11, 16), date(2027, 12, 31))
    assert (electricity.baseline, electricity.target) == (200000, 150000)
    assert electricity.points == [(date(2027, 1, 15), 190000), (date(2027, 4, 15), 175000)]
    assert electricity.target_label == "Mål: 150\xa0000 kWh" and electricity.unit == "kWh"
    assert waste.points == [(date(2027, 4, 15), 1150)] and waste.target_label == "Mål: 600 kg"
    assert sorting.points == [(date(2027, 4, 15), 85)] and sorting.target_label == "Mål: 80 %"
    assert chart.footer == "Prikket: den rette linjen fra utgangsverdi til målverdi"
    assert [panel.state_label for panel in chart_in("sv", current(chat, "North")).goals] == [
        "i fas",
        "efter",
        "nått",
    ]


def test_verified_savings_are_shown_by_month_one_series_per_unit(chat: Chat, clock: ManualClock) -> None:
    north_since_november(chat, clock)
    savings = chart_in("nb", current(chat, "North")).savings
    assert savings is not None and savings.title == "Verifiserte besparelser per måned"
    assert savings.labels == ["nov", "des", "jan", "feb", "mar", "apr"]
    assert savings.series == [
        ("kWh i året", [0, 0, 0, 1500, 0, 800]),
        ("kg CO2e", [0, 0, 0, 0, 300, 0]),
    ]
    swedish = chart_in("sv", current(chat, "North")).savings
    assert swedish is not None and swedish.title == "Verifierade besparingar per månad"
    assert [name for name, _ in swedish.series] == ["kWh om året", "kg CO2e"]


def test_the_months_ideas_and_points_are_drawn_only_when_there_are_any(chat: Chat, clock: ManualClock) -> None:
    north_since_november(chat, clock)
    north = chart_in("nb", current(chat, "North"))
    assert north.ideas == BarPanel(
        "Idéer denne måneden",
        ["mottatt", "godkjent", "gjennomført"],
        [("Idéer denne måneden", [0, 1, 1])],
        across=True,
    )
    assert north.points is not None and north.points.title == "Opptjente poeng per måned"
    south = chart_in("nb", current(chat, "South"))  # no ideas, no savings, no points: only its goal
    assert [panel.title for panel in south.panels] == ["Fewer car trips"]
    assert south.ideas is None and south.savings is None and south.points is None


def test_a_unit_with_nothing_to_show_gets_its_post_without_a_chart(chat: Chat, tmp_path: Path) -> None:
    chat.session.charts_dir = tmp_path
    team(chat)
    said = chat.ok("carl", "/digest")
    assert said.text.startswith("📊 Progress in South, November 2026")
    assert "A quiet month." in said.text
    assert said.reply is not None and said.reply.image is None and "🖼" not in said.text


def test_more_goals_than_panels_are_counted_in_the_footer(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    for number in range(1, 7):
        set_goal(chat, "rita", goal("North", f"Goal {number}", "kWh", "200 MWh 2025", "150 MWh"))
        chat.ok("rita", f"/progress {number} 190 MWh")
    chart = chart_in("nb", current(chat, "North"))
    assert [panel.title for panel in chart.goals] == ["Goal 1", "Goal 2", "Goal 3", "Goal 4"]
    assert chart.footer.endswith(" · +2 mål til: /goals")


def test_the_post_carries_the_chart_at_its_size_the_same_bytes_each_time(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    north_since_november(chat, clock)
    chat.session.charts_dir = tmp_path
    said = chat.ok("alice", "/digest")
    assert said.reply is not None and said.reply.image is not None
    chart = progress_chart(translator("en"), current(chat, "North"), said.reply.image.title)
    assert len(chart.panels) == 6  # three goals, savings, ideas, points
    png = progress_png(chart)
    assert png == progress_png(chart) == said.reply.image.png
    with PILImage.open(io.BytesIO(png)) as picture:
        assert picture.format == "PNG"
        assert picture.size == size_px(chart) == (WIDTH_PX, 970)
    EXAMPLE.write_bytes(png)  # the README's example, remade with the tests


def test_one_panel_is_one_row_and_a_long_title_is_wrapped() -> None:
    panel = GoalPanel(
        "A very long goal title that goes on and on about the stairwell lights and more",
        "kWh",
        "behind",
        "behind",
        "Target: 50 kWh",
        date(2026, 11, 16),
        date(2027, 12, 31),
        100,
        50,
        [(date(2027, 1, 15), 99)],
    )
    chart = ProgressChart("Progress", "en", goals=[panel])
    with PILImage.open(io.BytesIO(progress_png(chart))) as picture:
        assert picture.size == size_px(chart) == (WIDTH_PX, 675)
    assert ProgressChart("Progress", "en").panels == []


def test_matplotlib_is_loaded_only_when_a_chart_is_drawn() -> None:
    loaded = "import sys, bot.app; print('matplotlib' in sys.modules)"
    assert subprocess.run(
        [sys.executable, "-c", loaded], capture_output=True, text=True, check=True
    ).stdout == ("False\n")


def test_a_goal_moved_only_by_savings_is_drawn_today_and_one_with_nothing_is_left_out(chat: Chat) -> None:
    team(chat)
    set_goal(chat, "rita", goal("North", "Less electricity", "kWh", "200 MWh 2025", "150 MWh"))
    set_goal(chat, "rita", goal("North", "Less residual waste", "kg residual waste", "1200 kg 2025", "600 kg"))
    chat.ok("alice", "/idea LED in the stairwell #goal1")
    chat.ok("rita", "/status 1 implemented")
    chat.ok("rita", "/saving 1 1500 kWh per year verified")
    [electricity] = chart_in("nb", current(chat, "North")).goals  # nothing measured or saved for the waste
    assert electricity.title == "Less electricity"
    assert electricity.points == [(date(2026, 11, 16), 198500)]
