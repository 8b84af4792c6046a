"""/reminders edit <id> <when>: a reminder moved to a new time or rhythm by whoever may cancel it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.clock import ManualClock
from tests.chat import Chat

# The fixtures' clock starts on Monday 16 November 2026 at 09:00 in Oslo (08:00 UTC).


def test_an_edited_reminder_fires_at_its_new_time_and_not_its_old(chat: Chat, clock: ManualClock) -> None:
    chat.ok("alice", "/remind me tomorrow 09:00 Read the electricity meter")
    said = chat.ok("alice", "/reminders edit 1 every friday 14:00")
    assert "Reminder #1 is now every Friday at 14:00: Read the electricity meter" in said.text
    assert "Next: Friday, November 20, 2026 at 14:00" in said.text
    assert "every Friday at 14:00" in chat.ok("alice", "/reminders").text
    clock.set(datetime(2026, 11, 17, 8, 30, tzinfo=UTC))  # the old time has passed
    assert chat.ok("alice", "/me").notices == []
    clock.set(datetime(2026, 11, 20, 13, 0, tzinfo=UTC))
    assert chat.ok("alice", "/me").notices == ["→ alice: ⏰ Reminder: Read the electricity meter"]
    clock.advance(timedelta(days=7))
    assert chat.ok("alice", "/me").notices == ["→ alice: ⏰ Reminder: Read the electricity meter"]


def test_a_recurring_reminder_becomes_a_one_off_in_norwegian(chat: Chat, clock: ManualClock) -> None:
    chat.ok("nora", "/lang nb")
    chat.ok("nora", "/remind meg hver mandag 09:00 Les av strømmåleren")
    said = chat.ok("nora", "/reminders endre 1 i morgen kl 10")
    assert "Påminnelse #1 er nå én gang, tirsdag 17. november 2026 kl. 10:00: Les av strømmåleren" in said.text
    clock.set(datetime(2026, 11, 17, 9, 0, tzinfo=UTC))
    assert chat.ok("nora", "/me").notices == ["→ nora: ⏰ Påminnelse: Les av strømmåleren"]
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # the Monday it would have fired on
    assert chat.ok("nora", "/me").notices == []
    assert "Ingen påminnelser" in chat.ok("nora", "/reminders").text


def test_only_whoever_may_cancel_a_reminder_may_edit_it(chat: Chat) -> None:
    chat.ok("admin", "/unit add team Canteen")
    chat.ok("admin", "/unit add team Workshop")
    for name in ("lars", "sofie", "ingrid", "olav"):
        chat.ok(name, "/me")
    chat.ok("admin", "/unit member Canteen @lars @sofie @ingrid")
    chat.ok("admin", "/unit member Workshop @olav")
    chat.ok("admin", "/role @ingrid manager")
    chat.ok("admin", "/role @olav manager")
    chat.ok("lars", "/remind me tomorrow 09:00 Water the plants")
    chat.ok("ingrid", "/remind Canteen tomorrow 14:00 Empty the compost")
    assert "not yours to change" in chat.refused("sofie", "/reminders edit 1 tomorrow 10:00").text
    assert "not yours to change" in chat.refused("lars", "/reminders edit 2 tomorrow 15:00").text
    assert (
        "not yours to change" in chat.refused("olav", "/reminders edit 2 tomorrow 15:00").text
    )  # not his unit
    said = chat.ok("ingrid", "/reminders edit 2 every friday 15:00")
    assert "Reminder #2 is now every Friday at 15:00: Empty the compost" in said.text
    assert "There is no reminder #9" in chat.refused("lars", "/reminders edit 9 tomorrow 10:00").text
    assert "passed" in chat.refused("lars", "/reminders edit 1 yesterday 10:00").text
    chat.refused("lars", "/reminders edit 1 banana o'clock")
    assert "Usage" in chat.refused("lars", "/reminders edit 1").text
    chat.ok("lars", "/reminders cancel 1")
    assert "not active any more" in chat.refused("lars", "/reminders edit 1 tomorrow 10:00").text


def test_a_swede_moves_a_reminder_and_a_dane_is_refused(chat: Chat) -> None:
    chat.ok("sven", "/lang sv")
    chat.ok("dag", "/lang da")
    chat.ok("sven", "/remind mig i morgon 09:00 Stäng av skärmarna")
    said = chat.ok("sven", "/reminders ändra 1 varje vardag 16:30")
    assert "Påminnelse #1 är nu vardagar kl. 16:30: Stäng av skärmarna" in said.text
    said = chat.refused("dag", "/reminders ændr 1 i morgen 10:00")
    assert "Påmindelse #1 er ikke din at ændre." in said.text
