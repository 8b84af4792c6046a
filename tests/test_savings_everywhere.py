"""An idea saving energy and CO2e at once: every place that shows or sums savings shows each kind apart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from bot.board.renderer import BoardRenderer
from bot.core import ideas as core_ideas
from bot.core.clock import ManualClock
from bot.review_export import export_review
from tests.chat import Chat
from tests.test_board import make_link
from tests.test_goals import add_goal, team
from tests.test_savings import shown

KWH, CO2 = "1,500 kWh a year", "400 kg CO2e a year"


def two_kinds(chat: Chat) -> None:
    """North's implemented idea #1 expects energy and CO2e and has both verified; #2 only energy, verified."""
    team(chat)
    chat.ok("alice", "/idea Switch off the monitors at night #energy")
    chat.ok("alice", "/saving 1 2 000 kWh/year and 500 kg CO2e/year")
    chat.ok("rita", "/status 1 implemented")
    chat.ok("rita", "/saving 1 verified 1 500 kWh/year")
    chat.ok("rita", "/saving 1 verified 0.4 t CO2e/year")
    chat.ok("bob", "/idea Motion sensors in the corridor #energy")
    chat.ok("rita", "/status 2 implemented")
    chat.ok("rita", "/saving 2 verified 100 kWh/year")


def test_the_idea_card_and_ideas_show_each_kind(chat: Chat) -> None:
    two_kinds(chat)
    card = shown(chat.ok("bob", "/ideas 1"))
    for line in (
        ":moneybag: Expected saving: 2,000 kWh a year",
        ":moneybag: Expected saving: 500 kg CO2e a year",
        f":moneybag: Verified saving: {KWH}",
        f":moneybag: Verified saving: {CO2}",
    ):
        assert line in card
    with chat.app.uow.begin(write=False) as tx:
        assert core_ideas.savings_totals(tx, "verified") == {"kWh/year": 1600, "kg CO2e/year": 400}
        assert core_ideas.savings_totals(tx, "expected", [1]) == {"kWh/year": 2000, "kg CO2e/year": 500}


def test_the_board_shows_each_kind_on_the_idea_and_in_the_totals(chat: Chat) -> None:
    two_kinds(chat)
    _, token = make_link(chat, "rita", "/boardlink North")
    found = BoardRenderer(chat.app.uow).find(token, "/events")
    assert found is not None and found.page is not None
    for shown_on_card in (f"Verified: {KWH}", f"Verified: {CO2}", "Expected: 500 kg CO2e a year"):
        assert shown_on_card in found.page
    assert "Verified savings of implemented ideas: 1,600 kWh a year, 400 kg CO2e a year" in found.page


def test_the_review_pack_lists_and_sums_each_kind(chat: Chat, tmp_path: Path) -> None:
    two_kinds(chat)
    export_review(chat.app.uow, 2026, tmp_path, lambda step: None)
    rows = list(load_workbook(tmp_path / "review-2026.xlsx")["ideas"].iter_rows(values_only=True))
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    first = records[0]
    assert (first["expected_kWh_per_year"], first["expected_kg_CO2e_per_year"]) == (2000, 500)
    assert (first["verified_kWh_per_year"], first["verified_kg_CO2e_per_year"]) == (1500, 400)
    assert (records[1]["verified_kWh_per_year"], records[1]["verified_kg_CO2e_per_year"]) == (100, None)
    said = chat.ok("mia", "/review").text
    assert "Expected savings: 2,000 kWh a year and 500 kg CO2e a year." in said
    assert "Verified savings, energy: 1,600 kWh a year and 400 kg CO2e a year." in said


def test_the_progress_post_sums_each_kind(chat: Chat) -> None:
    two_kinds(chat)
    said = chat.ok("alice", "/digest").text
    assert "💰 Verified savings of the ideas implemented: 1,600 kWh a year and 400 kg CO2e a year" in said


def test_a_goal_counts_each_saving_in_its_unit_once(chat: Chat) -> None:
    """A kWh goal counts an idea's verified kWh and kWh a year both, its CO2e not; an expected one is claimed
    only while none of its own unit is verified."""
    two_kinds(chat)
    add_goal(chat, "North", "Less electricity")  # 100 → 50 kWh
    chat.ok("alice", "/idea Timers on the kettles #goal1")
    chat.ok("alice", "/saving 3 12 kWh and 20 kWh/year")
    chat.ok("rita", "/saving 3 verified 10 kWh/year")
    chat.ok("rita", "/saving 3 verified 300 kg CO2e/year")
    said = chat.ok("bob", "/goal 1").text
    assert "90 kWh verified (the baseline with verified savings; nothing measured yet)" in said
    assert "78 kWh claimed with what ideas and campaigns report" in said  # the one-off 12 kWh, not 20 a year
    chat.ok("rita", "/saving 3 verified 5 kWh")
    said = chat.ok("bob", "/goal 1").text
    assert "85 kWh verified (the baseline with verified savings; nothing measured yet)" in said
    assert "claimed" not in said


def test_savings_per_month_are_summed_per_unit_for_a_chart(chat: Chat, clock: ManualClock) -> None:
    two_kinds(chat)  # in November
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))  # already December in Oslo
    chat.ok("rita", "/saving 2 verified 50 kg CO2e/year")
    chat.ok("rita", "/saving 2 verified 7 kWh")
    year = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    with chat.app.uow.begin(write=False) as tx:
        assert core_ideas.savings_by_month(tx, "verified", *year) == {
            "2026-11": {"kWh/year": 1600, "kg CO2e/year": 400},
            "2026-12": {"kg CO2e/year": 50, "kWh": 7},
        }
        assert core_ideas.savings_by_month(tx, "verified", *year, idea_ids=[1]) == {
            "2026-11": {"kWh/year": 1500, "kg CO2e/year": 400}
        }
        assert core_ideas.savings_by_month(tx, "expected", *year) == {
            "2026-11": {"kWh/year": 2000, "kg CO2e/year": 500}
        }
