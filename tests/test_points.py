"""Transcripts for /points and /leaderboard, and the ledger's invariants across periods and units."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.core.clock import ManualClock
from bot.core.models import LedgerEntry, PersonPointTotal
from tests.chat import Chat


def test_points_show_balance_rank_and_latest_entries(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/vote 1")
    said = chat.ok("astrid", "/points")
    assert "Points for Astrid" in said
    assert "Balance: 5 points" in said and "Rank: #1" in said
    assert "+5 idea submitted" in said
    lars = chat.ok("astrid", "/points @lars")
    assert "Points for Lars" in lars and "Rank: #2" in lars and "+1 vote cast" in lars


def test_points_for_someone_unknown_is_refused(chat: Chat) -> None:
    assert "I don't know anyone called @nobody" in chat.refused("astrid", "/points @nobody")


def test_a_newcomer_is_not_ranked_yet(chat: Chat) -> None:
    said = chat.ok("sofie", "/points")
    assert "Balance: 0 points" in said and "Rank: not on the board yet" in said


def test_leaderboard_periods_follow_the_clock(chat: Chat, clock: ManualClock) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    clock.advance(timedelta(days=7))
    chat.ok("lars", "/idea Bike to work week in May")
    week = chat.ok("ingrid", "/leaderboard week")
    assert "Leaderboard, this week" in week
    assert "Lars: 5 points" in week and "Astrid" not in week
    month = chat.ok("ingrid", "/leaderboard")
    assert "this month" in month and "Astrid: 5 points" in month and "Lars: 5 points" in month
    clock.advance(timedelta(days=20))  # into December
    assert "No points yet in this period" in chat.ok("ingrid", "/leaderboard månad")
    assert "Astrid: 5 points" in chat.ok("ingrid", "/leaderboard year")
    assert "Astrid: 5 points" in chat.ok("ingrid", "/leaderboard alle")


def test_leaderboard_for_units_adds_nested_units_up(chat: Chat) -> None:
    chat.ok("admin", "/unit add organisation Fjordby kommune")
    chat.ok("admin", "/unit add site Town hall under Fjordby kommune")
    chat.ok("admin", "/unit add site Depot under Fjordby kommune")
    chat.ok("admin", "/unit add team Depot workshop under Depot")
    for name in ("astrid", "lars", "ingrid"):
        chat.as_(name)
    chat.ok("admin", "/unit member Town hall @astrid")
    chat.ok("admin", "/unit member Depot workshop @lars @ingrid")
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/idea Bike to work week in May")
    chat.ok("ingrid", "/idea Sort food waste in the depot kitchen")
    board = chat.ok("astrid", "/leaderboard all")
    units = board.output[board.output.index("  • Units") + 1 :]
    assert units == ["  • 🥇 Depot: 10 points", "  • 🥈 Town hall: 5 points"]
    depot = chat.ok("astrid", "/leaderboard all Depot")
    assert "Astrid" not in depot and "Lars: 5 points" in depot
    assert "Depot workshop: 10 points" in depot
    assert "There is no unit called Narnia" in chat.refused("astrid", "/leaderboard week Narnia")


def test_period_totals_always_equal_the_ledger(chat: Chat, clock: ManualClock) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/vote 1")
    clock.advance(timedelta(days=40))
    chat.ok("lars", "/kudos @astrid for the timers")
    chat.as_("ingrid", "manager")
    chat.ok("ingrid", "/status 1 implemented")
    with chat.app.uow.begin(write=False) as tx:
        ledger = dict(
            tx.session.execute(
                select(LedgerEntry.person_id, func.sum(LedgerEntry.amount)).group_by(LedgerEntry.person_id)
            ).all()
        )
        totals = dict(
            tx.session.execute(
                select(PersonPointTotal.person_id, PersonPointTotal.points).where(
                    PersonPointTotal.period == "all"
                )
            ).all()
        )
        months = tx.session.execute(
            select(PersonPointTotal.period, func.sum(PersonPointTotal.points))
            .where(PersonPointTotal.period.like("2026-__"))
            .group_by(PersonPointTotal.period)
            .order_by(PersonPointTotal.period)
        ).all()
    assert ledger == totals
    assert months == [("2026-11", 6), ("2026-12", 72)]
