"""A goal's figures add up: reached reads reached everywhere and is celebrated once; verified is only what
was verified (each idea's saving once, within the goal's unit); each figure names its true source; the
organisation's goal is found by its name or the word; a roll-up of part of a unit never replaces its figure."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import build_app
from bot.board.renderer import BoardRenderer
from bot.core import digest
from bot.core.clock import ManualClock
from bot.core.models import Goal, OutboxMessage
from bot.core.units import find_unit
from bot.core.uow import UnitOfWork
from bot.i18n import translator
from bot.review_export import export_review
from handlers.digest_views import digest_notice
from tests.chat import Chat
from tests.conftest import make_settings
from tests.test_board import make_link
from tests.test_goals import ELECTRICITY, add_goal, set_goal, team


def celebrations(chat: Chat) -> list[str]:
    """The goals celebrated so far, by title, in the order they were."""
    with chat.app.uow.begin(write=False) as tx:
        rows = tx.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "celebration").order_by(OutboxMessage.id)
        )
        return [str(row.payload["goal"]) for row in rows]


def goal_sheet(chat: Chat, tmp_path: Path) -> tuple[list[dict[str, object]], str]:
    """The review pack's goals sheet as records, and its summary."""
    export_review(chat.app.uow, 2026, tmp_path, lambda step: None)
    rows = list(load_workbook(tmp_path / "review-2026.xlsx")["goals"].iter_rows(values_only=True))
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return records, (tmp_path / "review-2026-summary.md").read_text(encoding="utf-8")


def test_a_goal_reached_reads_reached_everywhere_and_is_celebrated_once(chat: Chat, tmp_path: Path) -> None:
    team(chat)
    chat.ok("admin", "/unit channel Oslo")  # North's and South's posts come here
    add_goal(chat, "North", "Less electricity")  # 100 → 50 kWh
    said = chat.ok("rita", "/progress 1 50 kWh")
    assert said.notices == ["→ #general: 🎉 Goal reached: Less electricity!"]
    for line in ("/goal 1", "/goals North"):
        shown = chat.ok("alice", line).text
        assert "▓▓▓▓▓▓▓▓▓▓ 100 % verified · 🎉 reached" in shown
        assert "on track" not in shown
    _, token = make_link(chat, "rita", "/boardlink North")
    found = BoardRenderer(chat.app.uow).find(token, "/events")
    assert found is not None and found.page is not None
    assert '<div class="goal reached">' in found.page and '<span class="judgement">reached</span>' in found.page
    assert "on-track" not in found.page
    records, summary = goal_sheet(chat, tmp_path)
    assert [(each["goal"], each["state"]) for each in records] == [(1, "reached")]
    assert "on_track" not in records[0]
    assert "1 goal: 1 reached, 0 on track, 0 behind." in summary
    assert "of the way to 50 kWh by December 31, 2027; reached." in summary
    chat.session.charts_dir = tmp_path
    assert "🎯 Less electricity: ▓▓▓▓▓▓▓▓▓▓ 100 % verified · 🎉 reached" in chat.ok("alice", "/progress").text
    chat.ok("rita", "/progress 1 40 kWh")
    assert celebrations(chat) == ["Less electricity"]


def test_the_state_labels_of_the_summary_are_translated(chat: Chat, tmp_path: Path) -> None:
    team(chat)
    add_goal(chat, "North", "Mindre strøm")
    chat.ok("rita", "/progress 1 50 kWh")
    add_goal(chat, "South", "Mindre avfall")
    norwegian = UnitOfWork(
        chat.app.engine, replace(chat.app.uow.policy, default_locale="nb"), chat.app.uow.clock
    )
    try:
        export_review(norwegian, 2026, tmp_path, lambda step: None)
    finally:
        norwegian.close()
    summary = (tmp_path / "review-2026-summary.md").read_text(encoding="utf-8")
    assert "2 mål: 1 nådd, 1 i rute, 0 på etterskudd." in summary
    assert "; nådd." in summary and "; i rute." in summary


def test_a_goal_reached_through_its_units_goals_is_celebrated_once(
    database_url: str, clock: ManualClock
) -> None:
    app = build_app(make_settings(database_url, announce_channels=["console:announcements"]), clock)
    try:
        units_reach_the_organisations_goal(Chat(app))
    finally:
        app.close()


def units_reach_the_organisations_goal(chat: Chat) -> None:
    team(chat)
    chat.ok("admin", "/unit channel Oslo")
    chat.ok("admin", "/role @carl representative")
    add_goal(chat, None, "Less waste everywhere", "kg residual waste")  # 100 → 50 kg
    add_goal(chat, "North", "Less waste in North", "kg residual waste")
    add_goal(chat, "South", "Less waste in South", "kg residual waste")
    chat.ok("rita", "/progress 2 30 kg")
    assert "Less waste everywhere" not in celebrations(chat)  # 30 + South's baseline 100 is 130
    said = chat.ok("carl", "/progress 3 15 kg")
    assert "→ #announcements: 🎉 Goal reached: Less waste everywhere!" in said.notices
    assert "45 kg verified (from its units' goals)" in chat.ok("mia", "/goal 1").text
    assert "🎉 reached" in chat.ok("mia", "/goal 1").text
    chat.ok("carl", "/progress 3 10 kg")
    assert celebrations(chat) == ["Less waste in North", "Less waste in South", "Less waste everywhere"]


def test_claimed_savings_never_move_the_verified_figure(chat: Chat) -> None:
    team(chat)
    add_goal(chat, None, "Less electricity everywhere")
    add_goal(chat, "North", "Less electricity")
    add_goal(chat, "South", "Less electricity")
    chat.ok("alice", "/idea Switch off the screens at night #goal1 #goal2")
    chat.ok("alice", "/saving 1 30 kWh")  # expected: a claim
    chat.ok("rita", "/progress 2 90 kWh 2026-11-01")
    said = chat.ok("alice", "/goal 2").text
    assert "90 kWh verified (measured Nov 1, 2026)" in said
    assert "60 kWh claimed with what ideas and campaigns report" in said
    said = chat.ok("mia", "/goal 1").text
    assert "190 kWh verified (from its units' goals)" in said
    assert "160 kWh claimed" in said


def test_an_ideas_saving_counts_once_and_only_within_the_goals_unit(chat: Chat) -> None:
    team(chat)
    chat.ok("admin", "/role @carl representative")
    add_goal(chat, None, "Less electricity everywhere")
    add_goal(chat, "North", "Less electricity")
    add_goal(chat, "South", "Less electricity")
    chat.ok("alice", "/idea Switch off the screens at night #goal1 #goal2")  # North's, tied to both
    chat.ok("carl", "/idea Bike racks by the door")  # South's
    chat.ok("rita", "/goal link 2 idea 2")  # tied to North's goal, but not North's idea
    chat.ok("rita", "/progress 2 80 kWh 2026-11-01")
    chat.ok("carl", "/progress 3 90 kWh 2026-11-01")
    chat.ok("mia", "/saving 1 10 kWh verified")
    chat.ok("mia", "/saving 2 5 kWh verified")
    north = chat.ok("alice", "/goal 2").text
    assert "70 kWh verified (measured Nov 1, 2026, with verified savings since)" in north  # not 65
    everywhere = chat.ok("mia", "/goal 1").text
    assert "160 kWh verified (from its units' goals)" in everywhere  # 70 + 90, the screens once


def test_a_figure_names_its_true_source(chat: Chat, tmp_path: Path) -> None:
    team(chat)
    add_goal(chat, "North", "Less electricity")
    add_goal(chat, "North", "Less heat")
    chat.ok("alice", "/idea Switch off the screens at night #goal1 #goal2")
    chat.ok("rita", "/progress 1 80 kWh 2026-11-01")
    chat.ok("mia", "/saving 1 10 kWh verified")
    assert (
        "70 kWh verified (measured Nov 1, 2026, with verified savings since)" in chat.ok("bob", "/goal 1").text
    )
    said = chat.ok("bob", "/goal 2").text
    assert "90 kWh verified (the baseline with verified savings; nothing measured yet)" in said
    chat.ok("rita", "/progress 1 75 kWh")  # a measurement today includes the saving of today
    assert "75 kWh verified (measured Nov 16, 2026) ·" in chat.ok("bob", "/goal 1").text
    records, _ = goal_sheet(chat, tmp_path)
    assert [each["verified_source"] for each in records] == ["measured", "baseline_with_savings"]


@pytest.mark.parametrize(
    "word", ["Fjordby", "organisation", "organisationen", "organisasjon", "organisasjonen"]
)
def test_the_organisations_goal_by_its_name_or_the_word(chat: Chat, word: str) -> None:
    chat.ok("mia", "/me")
    chat.ok("admin", "/role @mia manager")
    chat.ok("admin", "/unit add organisation Fjordby")
    chat.ok("admin", "/unit add team North under Fjordby")
    made = set_goal(chat, "mia", (word, *ELECTRICITY[1:]))
    assert "#1 Less electricity (Fjordby, ecological): kWh" in made
    assert "a unit should have" not in made  # the organisation is not a unit
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.get_one(Goal, 1).unit_id is None
    for asked in ("/goals organisasjon", "/goals organisationen", "/goals Fjordby", "/goals"):
        said = chat.ok("mia", asked).text
        assert "Fjordby: 1 goal" in said and "Less electricity" in said, asked


def test_a_roll_up_of_part_of_the_organisation_is_shown_beside_its_own_figure(chat: Chat) -> None:
    team(chat)  # Oslo is the organisation's only site: North and South are all of it
    add_goal(chat, None, "Less residual waste", "kg residual waste")  # 100 → 50 kg
    add_goal(chat, "North", "Less residual waste", "kg residual waste")
    chat.ok("mia", "/progress 1 90 kg 2025-12-31")  # last year's measurement of the whole organisation
    chat.ok("rita", "/progress 2 20 kg")  # North alone, this year
    said = chat.ok("mia", "/goal 1").text
    assert "90 kg verified (measured Dec 31, 2025)" in said
    assert "20 kg from the goals of some of its units (they cover only part of the organisation)" in said
    assert "▓▓░░░░░░░░ 20 % verified · ✅ on track" in said
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.get_one(Goal, 1).reached_at is None and tx.session.get_one(Goal, 2).reached_at


def test_a_progress_post_queued_before_goals_had_a_state_still_reads(chat: Chat, tmp_path: Path) -> None:
    chat.session.charts_dir = tmp_path
    team(chat)
    add_goal(chat, "North", "Less electricity")
    add_goal(chat, "North", "Less heat")
    chat.ok("rita", "/progress 1 50 kWh")
    with chat.app.uow.begin(write=False) as tx:
        north = find_unit(tx, "North")
        data = digest.build(tx, digest.month_of(tx, tx.now), north).to_dict()
    assert [goal["state"] for goal in data["extra"]["goals"]] == ["reached", "on_track"]
    data["extra"]["goals"] = [  # as a post queued by the version before kept them
        {"title": "Less electricity", "percent": 100, "on_track": True},
        {"title": "Less heat", "percent": 0, "on_track": False},
    ]
    shown = digest_notice(translator("en"), data).lines
    assert ":dart: Less electricity: ▓▓▓▓▓▓▓▓▓▓ 100 % verified · :white_check_mark: on track" in shown
    assert ":dart: Less heat: ░░░░░░░░░░ 0 % verified · :warning: behind" in shown


def test_a_goal_reached_by_an_ideas_verified_saving_is_celebrated_once(chat: Chat) -> None:
    team(chat)
    chat.ok("admin", "/unit channel Oslo")  # North's and South's posts come here
    add_goal(chat, "North", "Less electricity")  # 100 kWh in 2025, 50 kWh by the end of 2027
    chat.ok("alice", "/idea Switch off the screens at night #goal1")
    chat.ok("rita", "/progress 1 70 kWh 2026-11-01")
    assert not any("Goal reached" in post for post in chat.ok("mia", "/saving 1 10 kWh verified").notices)
    said = chat.ok("mia", "/saving 1 25 kWh verified")  # 70 − 25 = 45: the target is passed
    assert said.notices == ["→ #general: 🎉 Goal reached: Less electricity!"]
    assert "Reached by the verified saving of idea #1, recorded by Mia." in said.text
    assert "🎉 reached" in chat.ok("alice", "/goal 1")
    assert not any("Goal reached" in post for post in chat.ok("mia", "/saving 1 30 kWh verified").notices)
    chat.ok("carl", "/idea Timers on the coffee machines")
    chat.ok("mia", "/saving 2 60 kWh verified")
    add_goal(chat, "South", "Less electricity")
    tied = chat.ok("carl", "/goal link 2 idea 2")  # a verified idea tied later reaches South's goal
    assert tied.notices == ["→ #general: 🎉 Goal reached: Less electricity!"]
