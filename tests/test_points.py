"""Transcripts for /points and /leaderboard, and the ledger's invariants across periods and units."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.core import points
from bot.core.clock import ManualClock
from bot.core.models import LedgerEntry, PersonPointTotal
from bot.core.people import SUPPORTED_LOCALES
from bot.i18n import translator
from tests.chat import Chat

CORE = Path(points.__file__).parent


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


def test_points_for_taking_part_in_a_poll_read_as_poll_participation(chat: Chat) -> None:
    chat.as_("maria", "manager")
    chat.ok("maria", '/poll "Heat pump or pellets?" "Heat pump" "Pellets" points 2')
    chat.press("alice", 1)
    assert "+2 took part in a poll" in chat.ok("alice", "/points")
    chat.ok("alice", "/lang nb")
    said = chat.ok("alice", "/points")
    assert "+2 deltok i en avstemning" in said and "kampanje" not in said.text


def module_constants(tree: ast.Module) -> dict[str, object]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def ledger_reasons_written(tree: ast.Module, constants: dict[str, object]) -> set[str]:
    """The reasons a module's code gives `award`, `award_many`, `take_back` and `LedgerEntry(reason=...)`:
    literals, or module-level names of the core bound to one."""
    written: set[str] = set()
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        name = getattr(call.func, "id", getattr(call.func, "attr", ""))
        given = [k.value for k in call.keywords if k.arg == "reason"]
        if name in ("award", "award_many", "take_back") and len(call.args) > 2:
            given.append(call.args[2])
        elif name != "LedgerEntry":
            continue
        for value in given:
            if isinstance(value, ast.Constant):
                written.add(value.value)
            elif isinstance(value, ast.Name) and value.id in constants:
                written.add(constants[value.id])
    return written


def test_every_reason_the_core_writes_is_a_ledger_reason() -> None:
    trees = [ast.parse(path.read_text()) for path in CORE.glob("*.py")]
    constants = {name: value for tree in trees for name, value in module_constants(tree).items()}
    written = set().union(*(ledger_reasons_written(tree, constants) for tree in trees))
    assert written == points.LEDGER_REASONS  # each written somewhere, and none written that is not listed


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_ledger_reason_has_its_own_label_in_every_language(locale: str) -> None:
    labels = {reason: translator(locale).label("reason", reason) for reason in sorted(points.LEDGER_REASONS)}
    english = {reason: translator("en").label("reason", reason) for reason in labels}
    assert [reason for reason, label in labels.items() if label == reason] == []  # a reason without a label
    assert len(set(labels.values())) == len(labels), labels  # no two reasons read alike
    if locale != "en":
        assert [reason for reason in labels if labels[reason] == english[reason]] == [], labels
