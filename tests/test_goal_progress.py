"""On track or behind, judged against the straight line from the day a goal was set to its deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from bot.core.clock import ManualClock
from bot.core.goal_progress import bar, direction, on_track, percent, share_done, share_due
from tests.chat import Chat
from tests.test_goals import set_goal, team

SET_ON = date(2026, 11, 16)  # the tests' clock starts here
DEADLINE = date(2027, 11, 16)  # 365 days later
HALF_WAY = datetime(2027, 5, 17, 12, 0, tzinfo=UTC)  # day 182 of 365


def test_the_line_runs_from_the_day_it_was_set_to_the_deadline() -> None:
    assert share_due(SET_ON, DEADLINE, SET_ON) == 0
    assert share_due(SET_ON, DEADLINE, date(2027, 5, 17)) == Decimal(182) / Decimal(365)
    assert share_due(SET_ON, DEADLINE, DEADLINE) == 1
    assert share_due(SET_ON, DEADLINE, date(2028, 1, 1)) == 1


def test_direction_follows_the_target() -> None:
    assert direction(Decimal(200), Decimal(150)) == "reduce"
    assert direction(Decimal(40), Decimal(80)) == "increase"


def test_share_done_both_ways() -> None:
    assert share_done(Decimal(200), Decimal(100), Decimal(150)) == Decimal("0.5")
    assert share_done(Decimal(40), Decimal(80), Decimal(70)) == Decimal("0.75")
    assert share_done(Decimal(200), Decimal(100), Decimal(220)) < 0  # gone the wrong way
    assert percent(Decimal("-0.2")) == 0 and percent(Decimal("0.487")) == 48


def test_the_bar() -> None:
    assert bar(Decimal("0.48")) == "▓▓▓▓░░░░░░"
    assert bar(Decimal("1.3")) == "▓" * 10
    assert bar(Decimal("-1")) == "░" * 10


def test_on_track_exactly_on_the_line_and_behind_just_below_it() -> None:
    today = date(2027, 5, 17)
    line = Decimal(200) - Decimal(100) * Decimal(182) / Decimal(365)
    assert on_track(Decimal(200), Decimal(100), line, SET_ON, DEADLINE, today)
    assert not on_track(Decimal(200), Decimal(100), line + Decimal("0.01"), SET_ON, DEADLINE, today)


def test_a_reduce_goal_is_judged_on_the_clock(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    answers = ("North", "Less electricity", "kWh", "200 MWh 2025", "100 MWh", "2027-11-16", "me", "ecological")
    assert "✅ on track" in set_goal(chat, "rita", answers)  # nothing is due on its first day
    clock.set(HALF_WAY)  # half the time gone: half the way (50 MWh less) is due
    said = chat.ok("rita", "/progress 1 160 MWh")
    assert "▓▓▓▓░░░░░░ 40 % verified · ⚠️ behind" in said.text
    said = chat.ok("rita", "/progress 1 149 MWh")
    assert "▓▓▓▓▓░░░░░ 51 % verified · ✅ on track" in said.text
    clock.set(datetime(2027, 11, 17, 12, 0, tzinfo=UTC))  # past the deadline: all of it is due
    assert "⚠️ behind" in chat.ok("rita", "/goal 1").text
    said = chat.ok("rita", "/progress 1 100 MWh")
    assert "▓▓▓▓▓▓▓▓▓▓ 100 % verified · 🎉 reached" in said.text  # never merely on track


def test_an_increase_goal_is_judged_on_the_clock(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    answers = ("North", "Sort more", "% sorted", "40 % 2025", "80 %", "2027-11-16", "-", "ecological")
    set_goal(chat, "rita", answers)
    clock.set(HALF_WAY)
    assert "⚠️ behind" in chat.ok("rita", "/progress 1 55").text
    assert "✅ on track" in chat.ok("rita", "/progress 1 60 %").text


def test_a_measurement_of_an_earlier_day_does_not_replace_a_later_one(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    set_goal(chat, "rita")  # 200 → 150 MWh
    clock.set(HALF_WAY)
    chat.ok("rita", "/progress 1 160 MWh 2027-05-01")
    said = chat.ok("rita", "/progress 1 190 MWh 2027-02-01")
    assert "160,000 kWh verified (measured May 1, 2027)" in said.text
