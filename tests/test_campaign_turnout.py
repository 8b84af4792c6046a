"""`/campaign <id>` for a reviewer: how many in their units have taken part, and who has not."""

from __future__ import annotations

from bot.core.clock import ManualClock
from tests.chat import Chat
from tests.test_campaigns import KICK_OFF, team, tick


def test_a_reviewer_sees_who_has_taken_part_a_member_does_not(chat: Chat, clock: ManualClock) -> None:
    team(chat)  # North: Alice, Bob, Mia (its manager); South: Carl
    chat.ok("mia", "/campaign new from bike-week 2026-11-23 North")
    assert "Taken part" not in chat.ok("mia", "/campaign 1")  # planned: nobody could yet
    tick(chat, clock, KICK_OFF)
    chat.ok("alice", "/did cycled to work")
    card = chat.ok("mia", "/campaign 1")
    assert "Taken part: 1 of 3 (33%)" in card and "Not yet: Bob and Mia" in card
    assert "Taken part" not in chat.ok("alice", "/campaign 1") and "Not yet" not in chat.ok(
        "bob", "/campaign 1"
    )
    chat.ok("admin", "/unit rep South @carl")
    assert "Taken part" not in chat.ok("carl", "/campaign 1")  # South's representative: not his units
    assert "Taken part: 1 of 3 (33%)" in chat.ok("admin", "/campaign 1")


def test_in_danish(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    chat.ok("mia", "/lang da")
    chat.ok("mia", "/campaign new from bike-week 2026-11-23 North")
    tick(chat, clock, KICK_OFF)
    chat.ok("bob", "/did walked to work")
    card = chat.ok("mia", "/campaign 1")
    assert "Deltaget: 1 af 3 (33\xa0%)" in card and "Ikke endnu: Alice og Mia" in card
