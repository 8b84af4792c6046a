"""The year wheel: switched on by an admin, shown to all, entries moved, each reminding its role ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.clock import ManualClock
from tests.chat import Chat


def test_an_admin_switches_the_wheel_on_and_everyone_sees_the_year(chat: Chat) -> None:
    assert "off" in chat.ok("alice", "/wheel").text
    chat.refused("alice", "/wheel on")
    said = chat.ok("admin", "/wheel on")
    assert "9 entries" in said.text
    chat.refused("admin", "/wheel on")  # on already
    said = chat.ok("alice", "/wheel")
    lines = said.text.splitlines()
    # Soonest first, from Monday 16 November 2026: the meter readings on 1 December come first.
    assert "1. Monthly meter readings (electricity, heating, water): December 1, 2026" in lines[1]
    assert "Management review" in said.text and "reminds admins and managers 30 days ahead" in said.text
    order = [
        "meter",
        "work-environment",
        "Spring seminar",
        "Earth Hour",
        "environmental report",
        "Autumn",
        "car-free",
        "Internal",
        "Management review",
    ]
    assert [next(n for n, part in enumerate(order) if part in line) for line in lines[1:]] == list(range(9))
    earth_hour = next(line for line in lines if "Earth Hour" in line)
    assert "March 27, 2027" in earth_hour and "last Saturday of March at 20:30" in earth_hour
    assert "7 days ahead" in earth_hour


def test_the_wheel_reads_in_the_readers_language(chat: Chat) -> None:
    chat.ok("admin", "/wheel on")
    chat.ok("nora", "/lang nb")
    said = chat.ok("nora", "/wheel")
    assert said.text.startswith("📆 Årshjulet")
    assert "hvert år den 1. april kl. 09:00" in said.text and "Vårseminar for miljøombud" in said.text


def test_each_entry_reminds_its_role_ahead_of_its_event(chat: Chat, clock: ManualClock) -> None:
    chat.ok("admin", "/unit add team Canteen")
    chat.ok("rita", "/me")
    chat.ok("admin", "/unit rep Canteen @rita")
    chat.ok("mona", "/me")
    chat.ok("admin", "/role @mona manager")
    chat.ok("max", "/me")  # a member: the management review is not for him
    chat.ok("admin", "/wheel on")
    # 1 December 09:00 Oslo: the monthly meter readings, on the day, for representatives.
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    said = chat.ok("max", "/me")
    assert said.notices == [
        "→ rita: 📆 Coming up in the year wheel: Monthly meter readings (electricity, heating, water), "
        "Tuesday, December 1, 2026 at 09:00."
    ]
    # 1 February 2027 09:00 is the work-environment discussion: managers hear of it 14 days before.
    clock.set(datetime(2027, 1, 18, 8, 0, tzinfo=UTC))
    said = chat.ok("max", "/me")
    assert any(line.startswith("→ mona: 📆") and "work-environment" in line for line in said.notices)
    assert not any("rita" in line and "work-environment" in line for line in said.notices)


def test_an_admin_moves_an_entry_and_changes_how_far_ahead_it_reminds(chat: Chat, clock: ManualClock) -> None:
    chat.ok("mona", "/me")
    chat.ok("admin", "/role @mona manager")
    chat.ok("admin", "/wheel on")
    said = chat.ok("admin", "/wheel set internal_audit 2027-05-03 10:00")
    assert (
        "Internal environmental audit: May 3, 2027" in said.text and "every year on May 3 at 10:00" in said.text
    )
    said = chat.ok("admin", "/wheel ahead internal_audit 10")
    assert "10 days ahead" in said.text
    chat.refused("alice", "/wheel ahead internal_audit 5")
    chat.refused("admin", "/wheel ahead internal_audit 400")
    chat.refused("admin", "/wheel set no_such_entry 2027-05-03")
    clock.set(datetime(2027, 4, 23, 7, 59, tzinfo=UTC))  # 10 days before 3 May 10:00 (08:00 UTC)
    assert not any("audit" in line for line in chat.ok("admin", "/me").notices)
    clock.advance(timedelta(minutes=1))
    said = chat.ok("admin", "/me")
    assert any(line.startswith("→ mona:") and "Internal environmental audit" in line for line in said.notices)


def test_switching_the_wheel_off_stops_its_reminders(chat: Chat, clock: ManualClock) -> None:
    chat.ok("admin", "/wheel on")
    chat.ok("admin", "/wheel off")
    chat.refused("admin", "/wheel off")
    assert "off" in chat.ok("admin", "/wheel").text
    clock.advance(timedelta(days=400))
    assert chat.ok("admin", "/me").notices == []
