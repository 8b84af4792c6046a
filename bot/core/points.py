"""The append-only points ledger: awards keyed against double payment, balances, ranks, leaderboards."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select

from bot.core.caps import hold_person
from bot.core.errors import DomainError
from bot.core.models import LedgerEntry, Person, PersonPointTotal, Unit, UnitPointTotal
from bot.core.people import shown_name_column, shown_name_to
from bot.core.statements import add_amounts, insert_new_rows
from bot.core.units import ancestor_ids, subtree_ids
from bot.core.uow import Tx

# Reasons that count as points earned (leaderboards); spending and refunds only move the balance.
EARNING_REASONS = frozenset(
    {
        "idea_submitted",
        "idea_accepted",
        "idea_implemented",
        "vote_cast",
        "kudos_received",
        "praise_received",
        "campaign_action",
        "poll_participation",
    }
)
SPENDING_REASONS = frozenset({"redemption", "redemption_refund"})
# Take an award back: paid twice to two people since merged, an idea withdrawn the day it paid, or an
# action undone.
CORRECTION_REASONS = frozenset({"merge_reversal", "idea_withdrawn", "campaign_undo"})
# Every reason a ledger row can carry (award refuses any other): each has its own label for /points.
LEDGER_REASONS = EARNING_REASONS | SPENDING_REASONS | CORRECTION_REASONS
PERIODS = ("week", "month", "year", "all")


@dataclass(frozen=True)
class Standing:
    name: str
    points: int


@dataclass(frozen=True)
class PointsSummary:
    person_id: int
    name: str
    balance: int
    earned: int
    rank: int | None
    recent: list[LedgerEntry]
    tied_with: int = 0  # how many others hold the same rank


def period_keys(moment: datetime, tx: Tx) -> dict[str, str]:
    """The period each leaderboard counts `moment` in, in the organisation's time zone."""
    local = moment.astimezone(tx.policy.timezone)
    iso_year, iso_week, _ = local.isocalendar()
    return {
        "all": "all",
        "year": f"{local.year}",
        "month": f"{local.year}-{local.month:02d}",
        "week": f"{iso_year}-W{iso_week:02d}",
    }


def award(tx: Tx, person: Person, reason: str, reference: str, amount: int) -> bool:
    """Add a ledger row unless this (person, reason, reference) was paid before; True if added."""
    return bool(award_many(tx, [person], reason, reference, amount))


def award_many(tx: Tx, people: Sequence[Person], reason: str, reference: str, amount: int) -> set[int]:
    """The same award for many people in a few statements; the ids of those paid now (not before)."""
    if reason not in LEDGER_REASONS:
        raise ValueError(f"unknown ledger reason {reason!r}")
    distinct = list({person.id: person for person in people}.values())
    if amount == 0 or not distinct:
        return set()
    rows = [
        {
            "person_id": person.id,
            "amount": amount,
            "reason": reason,
            "reference": reference,
            "unit_id": person.unit_id,
            "created_at": tx.now,
        }
        for person in distinct
    ]
    paid = set(insert_new_rows(tx.session, LedgerEntry.__table__, rows, "person_id"))
    if paid and reason in EARNING_REASONS | CORRECTION_REASONS:
        _add_to_totals(tx, [person for person in distinct if person.id in paid], amount)
    return paid


def take_back(tx: Tx, person: Person, reason: str, reference: str, amount: int, unit_id: int | None) -> bool:
    """Write `-amount` under a correction reason, once per (person, reason, reference), for `unit_id`
    (the unit the points were earned in, which the person may have left since), and take it off the
    leaderboards of the periods now falls in; True if written now."""
    if reason not in CORRECTION_REASONS:
        raise ValueError(f"unknown correction reason {reason!r}")
    row = {
        "person_id": person.id,
        "amount": -amount,
        "reason": reason,
        "reference": reference,
        "unit_id": unit_id,
        "created_at": tx.now,
    }
    if not insert_new_rows(tx.session, LedgerEntry.__table__, [row], "person_id"):
        return False
    _add_to_totals(tx, [person], -amount, {person.id: unit_id})
    return True


def _add_to_totals(
    tx: Tx, people: Sequence[Person], amount: int, units: Mapping[int, int | None] | None = None
) -> None:
    """Credit each person, and their units (`units` by person, else the current one) with all
    ancestors, in every period the award falls in."""
    unit_of = {p.id: (units or {}).get(p.id, p.unit_id) for p in people}
    periods = list(period_keys(tx.now, tx).values())
    person_rows = [
        {"person_id": p.id, "period": period, "points": amount} for p in people for period in periods
    ]
    add_amounts(tx.session, PersonPointTotal.__table__, person_rows, ("person_id", "period"), "points")
    chains = {unit: ancestor_ids(tx, unit) for unit in set(unit_of.values()) if unit is not None}
    per_unit: Counter[int] = Counter()
    for person in people:
        own = unit_of[person.id]
        for unit in chains.get(own, []) if own is not None else []:
            per_unit[unit] += amount
    unit_rows = [
        {"unit_id": unit, "period": period, "points": points}
        for unit, points in per_unit.items()
        for period in periods
    ]
    add_amounts(tx.session, UnitPointTotal.__table__, unit_rows, ("unit_id", "period"), "points")


# Built once (building a statement cost more than running it); the values come as parameters.
_BALANCE = select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
    LedgerEntry.person_id == bindparam("person")
)
_EARNED = select(PersonPointTotal.points).where(
    PersonPointTotal.person_id == bindparam("person"), PersonPointTotal.period == bindparam("period")
)
_AHEAD = select(func.count()).where(
    PersonPointTotal.period == bindparam("period"), PersonPointTotal.points > bindparam("points")
)
_LEVEL = select(func.count()).where(
    PersonPointTotal.period == bindparam("period"), PersonPointTotal.points == bindparam("points")
)
_LATEST = (
    select(LedgerEntry)
    .where(LedgerEntry.person_id == bindparam("person"))
    .order_by(LedgerEntry.id.desc())
    .limit(bindparam("count"))
)


def balance(tx: Tx, person_id: int) -> int:
    return int(tx.session.scalar(_BALANCE, {"person": person_id}) or 0)


def spend(tx: Tx, person: Person, amount: int, reference: str) -> None:
    """Take `amount` from the balance, refusing to go below zero even under concurrent requests."""
    check_balance(tx, person, amount)
    award(tx, person, "redemption", reference, -amount)


def check_balance(tx: Tx, person: Person, amount: int) -> None:
    """Lock the person's balance for this transaction and refuse if it is below `amount`."""
    hold_person(tx, person)
    available = balance(tx, person.id)
    if available < amount:
        raise DomainError(
            "That takes more points ({cost}) than you have ({balance}).", cost=amount, balance=available
        )


def earned(tx: Tx, person_id: int, period: str = "all") -> int:
    return int(tx.session.scalar(_EARNED, {"person": person_id, "period": period}) or 0)


def rank(tx: Tx, person_id: int, period: str = "all") -> int | None:
    """1 for the top earner; people with equal points share a rank; None before any points."""
    return _rank_of(tx, earned(tx, person_id, period), period)


def _rank_of(tx: Tx, points: int, period: str) -> int | None:
    """The rank that `points` earned in `period` holds."""
    if points <= 0:
        return None
    ahead = tx.session.scalar(_AHEAD, {"period": period, "points": points})
    return int(ahead or 0) + 1


def summary(tx: Tx, person: Person, reader: Person | None = None, recent: int = 5) -> PointsSummary:
    """The person's balance, rank and latest entries; named as `reader` sees them."""
    entries = tx.session.scalars(_LATEST, {"person": person.id, "count": recent}).all()
    earned_in_all = earned(tx, person.id)
    return PointsSummary(
        person_id=person.id,
        name=shown_name_to(person, reader),
        balance=balance(tx, person.id),
        earned=earned_in_all,
        rank=_rank_of(tx, earned_in_all, "all"),
        recent=list(entries),
        tied_with=_tied_with(tx, earned_in_all, "all"),
    )


def _tied_with(tx: Tx, points: int, period: str) -> int:
    """How many others earned exactly `points` in `period` (none before any points)."""
    if points <= 0:
        return 0
    return max(int(tx.session.scalar(_LEVEL, {"period": period, "points": points}) or 0) - 1, 0)


def period_key(tx: Tx, period: str) -> str:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    return period_keys(tx.now, tx)[period]


def top_people(tx: Tx, period: str, within: Unit | None = None, limit: int = 10) -> list[Standing]:
    key = period_key(tx, period)
    statement = (
        select(shown_name_column(), PersonPointTotal.points)
        .join(Person, Person.id == PersonPointTotal.person_id)
        .where(PersonPointTotal.period == key, PersonPointTotal.points > 0)
        .order_by(PersonPointTotal.points.desc(), Person.id)
        .limit(limit)
    )
    if within is not None:
        statement = statement.where(Person.unit_id.in_(subtree_ids(tx, within.id)))
    return [Standing(name, points) for name, points in tx.session.execute(statement)]


def top_units(tx: Tx, period: str, within: Unit | None = None, limit: int = 10) -> list[Standing]:
    """Units side by side: the children of `within`, or the top-level units' children if none."""
    key = period_key(tx, period)
    siblings = _compared_units(tx, within)
    statement = (
        select(Unit.name, UnitPointTotal.points)
        .join(Unit, Unit.id == UnitPointTotal.unit_id)
        .where(
            UnitPointTotal.period == key,
            UnitPointTotal.points > 0,
            Unit.id.in_(siblings),
        )
        .order_by(UnitPointTotal.points.desc(), Unit.id)
        .limit(limit)
    )
    return [Standing(name, points) for name, points in tx.session.execute(statement)]


def _compared_units(tx: Tx, within: Unit | None) -> list[int]:
    if within is not None:
        children = tx.session.scalars(select(Unit.id).where(Unit.parent_id == within.id)).all()
        return list(children) or [within.id]
    roots = tx.session.scalars(select(Unit.id).where(Unit.parent_id.is_(None))).all()
    if len(roots) == 1:
        children = tx.session.scalars(select(Unit.id).where(Unit.parent_id == roots[0])).all()
        return list(children) or list(roots)
    return list(roots)
