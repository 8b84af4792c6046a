"""/remind and /reminders in the console: four languages, who may remind whom, firing, misses, cancelling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.clock import ManualClock
from tests.chat import Chat

# The fixtures' clock starts on Monday 16 November 2026 at 09:00 in Oslo (08:00 UTC).


def test_a_reminder_for_tomorrow_reads_back_and_fires_at_its_time(chat: Chat, clock: ManualClock) -> None:
    said = chat.ok("alice", "/remind me tomorrow 09:00 Read the electricity meter")
    assert "Reminder #1 for you" in said.text and "Read the electricity meter" in said.text
    assert "Next: " in said.text and "17" in said.text
    clock.set(datetime(2026, 11, 17, 7, 59, tzinfo=UTC))
    assert chat.ok("alice", "/me").notices == []
    clock.set(datetime(2026, 11, 17, 8, 0, tzinfo=UTC))
    said = chat.ok("alice", "/me")
    assert said.notices == ["→ alice: ⏰ Reminder: Read the electricity meter"]
    clock.advance(timedelta(days=2))
    assert chat.ok("alice", "/me").notices == []


def test_reminders_are_set_in_four_languages_and_read_back_in_each(chat: Chat) -> None:
    chat.ok("sven", "/lang sv")
    said = chat.ok("sven", "/remind mig varje vardag 08:30 Stäng av skärmarna")
    assert "Påminnelse #1 till dig" in said.text and "vardag" in said.text and "08:30" in said.text
    chat.ok("nora", "/lang nb")
    said = chat.ok("nora", "/remind meg hver mandag 09:00 Les av strømmåleren")
    assert "Påminnelse #2 til deg" in said.text and "mandag" in said.text
    chat.ok("dag", "/lang da")
    said = chat.ok("dag", "/remind mig i morgen 09:00 Tjek affaldssorteringen")
    assert "Påmindelse #3 til dig" in said.text and "Tjek affaldssorteringen" in said.text
    said = chat.ok("nora", "/reminders")
    assert "#2" in said.text and "Les av strømmåleren" in said.text and "#1" not in said.text


def test_a_weekly_reminder_fires_every_monday(chat: Chat, clock: ManualClock) -> None:
    chat.ok("nora", "/remind me every monday 09:00 Meter reading")
    fired = []
    for _ in range(3 * 7 * 4):
        clock.advance(timedelta(hours=6))
        fired += chat.ok("nora", "/me").notices
    assert fired == ["→ nora: ⏰ Reminder: Meter reading"] * 3


def test_times_in_the_past_and_nonsense_are_refused(chat: Chat) -> None:
    chat.ok("alice", "/me")
    assert "passed" in chat.refused("alice", "/remind me yesterday 09:00 Too late").text
    assert "2020" in chat.refused("alice", "/remind me 2020-01-01 09:00 Too late").text
    chat.refused("alice", "/remind me banana o'clock Peel")
    chat.refused("alice", "/remind me tomorrow 09:00")  # nothing to remind about
    chat.refused("alice", "/remind")


def test_members_remind_themselves_and_managers_their_units(chat: Chat, clock: ManualClock) -> None:
    chat.ok("admin", "/unit add team Canteen")
    chat.ok("lars", "/me")
    chat.ok("sofie", "/me")
    chat.ok("admin", "/unit member Canteen @lars @sofie")
    said = chat.refused("lars", "/remind @sofie tomorrow 09:00 Empty the compost")
    assert "for yourself" in said.text
    chat.refused("lars", "/remind Canteen tomorrow 09:00 Empty the compost")
    chat.ok("ingrid", "/me")
    chat.ok("admin", "/role @ingrid manager")
    chat.ok("admin", "/unit member Canteen @ingrid")
    chat.ok("ingrid", "/remind Canteen tomorrow 14:00 Empty the compost")
    clock.set(datetime(2026, 11, 17, 13, 0, tzinfo=UTC))
    said = chat.ok("lars", "/me")  # no channel for Canteen: each member by DM
    assert sorted(said.notices) == [
        f"→ {name}: ⏰ Reminder from Ingrid: Empty the compost" for name in ("ingrid", "lars", "sofie")
    ]
    chat.ok("admin", "/unit channel Canteen")  # console's #general is now Canteen's channel
    chat.ok("ingrid", "/remind Canteen tomorrow 10:00 Stock the cups")
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    assert chat.ok("lars", "/me").notices == ["→ #general: ⏰ Reminder from Ingrid: Stock the cups"]
    said = chat.ok("ingrid", "/reminders")
    assert "Stock the cups" not in said.text  # fired and done
    chat.ok("ingrid", "/remind Canteen every friday 15:00 Weekly tidy-up")
    assert "Weekly tidy-up" in chat.ok("ingrid", "/reminders").text
    assert "Weekly tidy-up" not in chat.ok("lars", "/reminders").text  # a member sees their own only


def test_reminders_are_cancelled_by_command_or_button_by_their_owner_only(
    chat: Chat, clock: ManualClock
) -> None:
    chat.ok("alice", "/remind me tomorrow 09:00 First")
    said = chat.ok("alice", "/remind me every day 16:00 Second")
    assert "Cancel reminder #2" in said.text
    chat.refused("bob", "/reminders cancel 1")
    chat.ok("alice", "/reminders cancel 1")
    chat.refused("alice", "/reminders cancel 1")  # not active any more
    chat.ok("alice", "/reminders")
    said = chat.press("alice", 1)
    assert "Reminder #2 cancelled" in said.text
    assert "No reminders set" in chat.ok("alice", "/reminders").text
    clock.advance(timedelta(days=3))
    assert chat.ok("alice", "/me").notices == []


def test_a_reminder_missed_while_the_bot_was_down_is_shown_in_reminders(chat: Chat, clock: ManualClock) -> None:
    chat.ok("alice", "/remind me every day 16:00 Switch off the lights")
    clock.set(datetime(2026, 11, 16, 17, 30, tzinfo=UTC))  # 18:30 Oslo: 2.5 hours late, beyond the hour
    said = chat.ok("alice", "/reminders")
    assert said.notices == []
    assert "missed 1 time while the bot was down" in said.text
    clock.set(datetime(2026, 11, 17, 15, 0, tzinfo=UTC))
    assert chat.ok("alice", "/me").notices == ["→ alice: ⏰ Reminder: Switch off the lights"]


def test_here_reminds_the_conversation(chat: Chat, clock: ManualClock) -> None:
    chat.ok("alice", "/remind here in 2 hours Stand-up about the waste audit")
    clock.advance(timedelta(hours=2))
    assert chat.ok("alice", "/me").notices == ["→ #general: ⏰ Reminder: Stand-up about the waste audit"]
