"""Campaigns end to end in the console: from a template, kicked off, logged within caps, reminded, ended."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.core.clock import ManualClock
from bot.core.models import Campaign, CampaignLog, LedgerEntry
from campaigns.templates import TEMPLATES
from tests.chat import Chat, Said

# The campaign week: Monday 23 to Friday 27 November 2026, Oslo time (UTC+1).
KICK_OFF = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 08:00 in Oslo
FIRST_REMINDER = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Oslo
TUESDAY_NOON = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
THE_END = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)  # Saturday 00:00 in Oslo
WEEK = "Nov 23\u2009–\u200927, 2026"  # as Babel writes the interval in English


def team(chat: Chat) -> None:
    """North (Alice, Bob and a channel, #general) and South (Carl); Mia manages North."""
    for name in ("alice", "bob", "carl", "mia"):
        chat.ok(name, "/me")
    chat.ok("admin", "/unit add team North")
    chat.ok("admin", "/unit add team South")
    chat.ok("admin", "/unit member North @alice @bob @mia")
    chat.ok("admin", "/unit member South @carl")
    chat.ok("admin", "/unit channel North")
    chat.ok("admin", "/role @mia manager")


def press_posted(chat: Chat, name: str, action_id: str, *, refused: bool = True) -> Said:
    """Press a button of a channel post (the console numbers only its last reply's buttons)."""
    chat.as_(name)
    chat.session.buttons = [action_id]
    return chat.refused(name, "1") if refused else chat.ok(name, "1")


def tick(chat: Chat, clock: ManualClock, at: datetime) -> str:
    """Move the clock, run the schedule's tick, and return what was posted."""
    clock.set(at)
    chat.out.seek(0)
    chat.out.truncate()
    chat.app.ticker.tick()
    chat.session.deliver_notices()
    return chat.out.getvalue()


def test_a_bike_week_runs_end_to_end(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    said = chat.ok("mia", "/campaign new from bike-week 2026-11-23 North")
    assert f"Campaign #1 Bike and walk to work week is planned for {WEEK}" in said.text
    assert "1. cycled to work: 10 points, once a day (2.1 kg CO2e)" in said.text
    chat.refused("alice", "/did cycled to work")  # not started yet

    posted = tick(chat, clock, KICK_OFF)
    assert "→ #general: 🚀 Bike and walk to work week starts now! (campaign #1)" in posted
    assert "[1] cycled to work  [2] walked to work  [3] took public transport" in posted

    assert "+10 points" in chat.ok("alice", "/did cycled to work")
    said = chat.refused("alice", "/did cycled to work")
    assert "You have reached today's limit for cycled to work (1 a day). More tomorrow!" in said.text
    assert "+5 points" in chat.ok("alice", "/did 3")
    assert "No campaign you take part in is running now" in chat.refused("carl", "/did cycled to work").text
    assert "for other units than yours" in press_posted(chat, "carl", "campaign.did:1:1").text
    assert "+10 points" in press_posted(chat, "bob", "campaign.did:1:2", refused=False).text
    assert "not a campaign action" in chat.refused("bob", "/did flew to work").text

    posted = tick(chat, clock, FIRST_REMINDER)
    assert "🔔 Bike and walk to work week is on until Nov 27, 2026" in posted
    assert "3 actions logged so far, by 2 people." in posted

    clock.set(TUESDAY_NOON)  # a new day: the caps start again
    chat.ok("alice", "/did cycled to work")
    chat.ok("bob", "/did walked to work")
    chat.ok("bob", "/did public transport")
    card = chat.ok("bob", "/campaign 1")
    assert "2. walked to work: 10 points, once a day (1.8 kg CO2e) — today 1 of 1" in card.text

    posted = tick(chat, clock, THE_END)
    assert "🏆 Bike and walk to work week is over. Thank you all! The results:" in posted
    assert "cycled to work: 2 times, 20 points" in posted
    assert "walked to work: 2 times, 20 points" in posted
    assert "took public transport: 2 times, 10 points" in posted
    assert "Impact together: 10.2 kg CO2e" in posted
    assert "Participation: 67% (2 of 3 people)" in posted
    assert "1. Alice and Bob (25 points)" in posted

    assert "No campaign you take part in is running now" in chat.refused("alice", "/did cycled to work").text
    assert f"#1 Bike and walk to work week — Finished: {WEEK}" in chat.ok("alice", "/campaigns").text
    with chat.app.uow.begin(write=False) as tx:
        paid = tx.session.scalars(select(LedgerEntry).where(LedgerEntry.reason == "campaign_action")).all()
        assert sum(entry.amount for entry in paid) == 50
        assert all(entry.reference.startswith("campaign:1:") for entry in paid)
        assert len(tx.session.scalars(select(CampaignLog)).all()) == 6
        assert tx.session.get_one(Campaign, 1).state == "finished"


def test_who_may_start_a_campaign_and_what_is_refused(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    assert "This needs the role" in chat.refused("alice", "/campaign new from bike-week 2026-11-23 North").text
    assert (
        "There is no campaign template" in chat.refused("mia", "/campaign new from bike-month 2026-11-23").text
    )
    assert "has passed" in chat.refused("mia", "/campaign new from bike-week 2026-11-01 North").text
    assert "is not a date" in chat.refused("mia", "/campaign new from bike-week someday North").text
    assert (
        "Nov 23" in chat.ok("mia", "/campaign new from bike-week 23.11.2026 North").text
    )  # as /remind reads it
    chat.ok("mia", "/campaign cancel 1")
    assert "outside the units you look after" in chat.refused(
        "mia", "/campaign new from bike-week 2026-11-23 South"
    )
    assert "for admins" in chat.refused("mia", "/campaign new from bike-week 2026-11-23").text
    assert "There is no campaign #9" in chat.refused("mia", "/campaign 9").text


def test_a_cancelled_campaign_posts_nothing_and_takes_no_actions(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    chat.ok("admin", "/campaign new from earth-hour 2026-11-23")
    assert "is not yours to cancel" in chat.refused("alice", "/campaign cancel 1").text
    assert "is called off" in chat.ok("admin", "/campaign cancel 1").text
    assert "over already" in chat.refused("admin", "/campaign cancel 1").text
    assert tick(chat, clock, THE_END) == ""
    assert "No campaign you take part in is running now" in chat.refused("alice", "/did 1").text


def test_the_dialogue_makes_a_campaign_step_by_step_and_survives_a_restart(
    chat: Chat, clock: ManualClock
) -> None:
    team(chat)
    assert "(1/8) What is the campaign called?" in chat.ok("mia", "/campaign new").text
    chat.ok("mia", "Cup week")
    chat.ok("mia", "Bring your own cup all week.")
    chat.ok("mia", "waste")
    assert "has passed" in chat.refused("mia", "2026-11-02").text
    chat.ok("mia", "2026-11-23")
    assert "must end after it starts" in chat.refused("mia", "2026-11-20").text
    chat.ok("mia", "2026-11-27")
    chat.ok("mia", "North")
    assert "I can't read the impact lots of cups" in chat.refused("mia", "a cup: 2, 3, lots of cups").text
    chat.ok("mia", "brought a reusable cup: 2, 3, 0,015 kg; refilled a bottle: 1, 2")
    said = chat.ok("mia", "0 9 * * mon-fri")
    assert "Campaign #1 Cup week is planned" in said.text
    assert "2. refilled a bottle: 1 point, 2 times a day" in said.text
    tick(chat, clock, KICK_OFF)
    chat.ok("alice", "/lang sv")
    chat.ok("alice", "/did brought a reusable cup")
    chat.ok("alice", "/did brought a reusable cup")
    chat.ok("alice", "/did brought a reusable cup")
    said = chat.refused("alice", "/did brought a reusable cup")
    assert "Du har nått dagens gräns för brought a reusable cup (3 om dagen)" in said.text


def test_a_template_is_named_in_any_of_our_languages(chat: Chat) -> None:
    team(chat)
    said = chat.ok("mia", "/campaign ny från Matsvinnsveckan 2026-11-23 North")
    assert "Food-waste week is planned" in said.text  # written in the organisation's language


def test_stop_leaves_the_dialogue_without_a_campaign(chat: Chat) -> None:
    team(chat)
    chat.ok("mia", "/campaign new")
    chat.ok("mia", "Cup week")
    assert "Stopped" in chat.ok("mia", "avbryt").text
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(Campaign)).all() == []


@pytest.mark.parametrize("template", list(TEMPLATES.values()), ids=list(TEMPLATES))
def test_every_template_reads_in_all_four_languages(template: object) -> None:
    from campaigns.templates import Template

    assert isinstance(template, Template)
    for locale in ("en", "sv", "nb", "da"):
        assert template.names[locale] and template.descriptions[locale]
        assert all(action.names[locale] for action in template.actions)
    assert len({action.names["en"] for action in template.actions}) == len(template.actions)
