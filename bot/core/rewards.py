"""Rewards: the catalogue, and redemptions whose points are held until approved or refunded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.core.authority import covered_units, covers
from bot.core.caps import Whole, hold_whole
from bot.core.errors import DomainError, Label
from bot.core.ideas import clean_note, clean_text
from bot.core.models import Person, Redemption, Reward, Unit
from bot.core.outbox import notify_person
from bot.core.people import MANAGER_ROLES, require_role, role_refusal, shown_name
from bot.core.points import award, check_balance, spend
from bot.core.units import ancestor_ids
from bot.core.uow import Tx

MAX_NAME_LENGTH = 200
MAX_COST = 1_000_000


@dataclass(frozen=True)
class PendingRedemption:
    redemption: Redemption
    person: str
    reward: str
    decidable: bool  # whether the reader may decide on it (else it is the reader's own request)


def add_reward(tx: Tx, admin: Person, cost: int, name: str) -> Reward:
    require_role(admin, {"admin"})
    name = clean_text(name, MAX_NAME_LENGTH, "Name the reward, e.g. /reward add 100 Cinema ticket.")
    if not 0 < cost <= MAX_COST:
        raise DomainError("A reward costs between 1 and {limit} points.", limit=MAX_COST)
    _refuse_a_second(tx, name)
    reward = Reward(name=name, cost=cost, active=True, created_by_id=admin.id, created_at=tx.now)
    tx.session.add(reward)
    tx.session.flush()
    return reward


def _refuse_a_second(tx: Tx, name: str) -> None:
    """One active reward per name, whatever its case or spacing.

    Checked in the transaction that adds the reward, with additions taking turns (no unique index,
    which would need a migration): SQLite has one writer at a time, and on PostgreSQL an advisory
    lock held to the commit makes the second admin's check see the first one's reward.
    """
    hold_whole(tx, Whole.REWARD_CATALOGUE)
    key = _name_key(name)
    for reward in tx.session.scalars(select(Reward).where(Reward.active.is_(True))):
        if _name_key(reward.name) == key:
            raise DomainError(
                "The catalogue already has {name} (reward #{id}).", name=reward.name, id=reward.id
            )


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def retire_reward(tx: Tx, admin: Person, reward_id: int) -> Reward:
    """Take a reward out of the catalogue; of two admins removing it at once, the second is told who did."""
    require_role(admin, {"admin"})
    reward = tx.session.get(Reward, reward_id, with_for_update=True, populate_existing=True)
    if reward is None or (not reward.active and reward.retired_by_id is None):
        raise DomainError("There is no reward #{id}. See /rewards.", id=reward_id)
    if not reward.active:
        raise DomainError(
            "Reward #{id} was already removed by {name}.", id=reward.id, name=_name(tx, reward.retired_by_id)
        )
    reward.active = False
    reward.retired_by_id = admin.id
    reward.retired_at = tx.now
    return reward


def catalogue(tx: Tx) -> list[Reward]:
    return list(
        tx.session.scalars(select(Reward).where(Reward.active.is_(True)).order_by(Reward.cost, Reward.id))
    )


def _active_reward(tx: Tx, reward_id: int) -> Reward:
    reward = tx.session.get(Reward, reward_id)
    if reward is None or not reward.active:
        raise DomainError("There is no reward #{id}. See /rewards.", id=reward_id)
    return reward


def redeem(tx: Tx, person: Person, reward_id: int) -> Redemption:
    """Hold the reward's cost from the balance and ask a manager to approve."""
    reward = _active_reward(tx, reward_id)
    check_balance(tx, person, reward.cost)  # before any insert: a refusal must not use up an id
    redemption = Redemption(
        reward_id=reward.id,
        person_id=person.id,
        cost=reward.cost,
        status="pending",
        created_at=tx.now,
    )
    tx.session.add(redemption)
    tx.session.flush()
    spend(tx, person, reward.cost, f"redemption:{redemption.id}")
    payload = {
        "redemption_id": redemption.id,
        "person": person.display_name,
        "reward": reward.name,
        "cost": reward.cost,
    }
    for approver in _approvers(tx, person):
        notify_person(tx, approver, "redemption_requested", payload)
    return redemption


def _approvers(tx: Tx, person: Person) -> list[Person]:
    """Managers in the person's own unit chain; failing that, the admins."""
    chain = ancestor_ids(tx, person.unit_id)
    managers = tx.session.scalars(
        select(Person).where(Person.role == "manager", Person.unit_id.in_(chain), Person.id != person.id)
    ).all()
    if managers:
        return list(managers)
    return list(
        tx.session.scalars(
            select(Person).where(Person.role == "admin", Person.id != person.id).order_by(Person.id)
        )
    )


def decision_refusal(
    tx: Tx, person: Person, redemption: Redemption, requester_unit: int | None, covered: set[int] | None
) -> DomainError | None:
    """Who may decide on a redemption: admins and managers, never on their own request, and managers
    only on requests from the units they cover (`covered`, see `covered_units`). None: `person` may."""
    refusal = role_refusal(person, MANAGER_ROLES)
    if refusal is None and redemption.person_id == person.id:
        refusal = DomainError("Someone else must decide on your own redemption.")
    if refusal is None and not covers(covered, requester_unit):
        refusal = DomainError(
            "Request #{id} comes from {unit}, outside the units you look after.",
            id=redemption.id,
            unit=tx.session.get_one(Unit, requester_unit).name,
        )
    return refusal


def decide(tx: Tx, decider: Person, redemption_id: int, approve: bool, note: str = "") -> Redemption:
    """Approve, or decline and refund. The row is locked first, so of two decisions made at once
    exactly one is taken and the other is told who decided."""
    note = clean_note(note)
    redemption = tx.session.get(Redemption, redemption_id, with_for_update=True, populate_existing=True)
    if redemption is None:
        raise DomainError("There is no redemption #{id}.", id=redemption_id)
    person = tx.session.get_one(Person, redemption.person_id)
    refusal = decision_refusal(tx, decider, redemption, person.unit_id, covered_units(tx, decider))
    if refusal is not None:
        raise refusal
    _refuse_if_decided(tx, redemption)
    redemption.status = "approved" if approve else "declined"
    redemption.decided_by_id = decider.id
    redemption.decided_at = tx.now
    redemption.note = note or None
    if not approve:
        award(tx, person, "redemption_refund", f"redemption:{redemption.id}", redemption.cost)
    reward = tx.session.get_one(Reward, redemption.reward_id)
    notify_person(
        tx,
        person,
        "redemption_decided",
        {
            "redemption_id": redemption.id,
            "reward": reward.name,
            "approved": approve,
            "note": redemption.note or "",
            "by": shown_name(decider),
            "cost": redemption.cost,
        },
    )
    return redemption


def waiting_for(tx: Tx, reader: Person) -> list[PendingRedemption]:
    """The pending requests `reader` may see: those they may decide on, and their own."""
    rows = tx.session.execute(
        select(Redemption, Person.display_name, Person.unit_id, Reward.name)
        .join(Person, Person.id == Redemption.person_id)
        .join(Reward, Reward.id == Redemption.reward_id)
        .where(Redemption.status == "pending")
        .order_by(Redemption.id)
    )
    covered = covered_units(tx, reader) if role_refusal(reader, MANAGER_ROLES) is None else set()
    found = [
        PendingRedemption(
            redemption, person, reward, decision_refusal(tx, reader, redemption, unit, covered) is None
        )
        for redemption, person, unit, reward in rows
    ]
    return [row for row in found if row.decidable or row.redemption.person_id == reader.id]


def own_requests(tx: Tx, person: Person) -> list[PendingRedemption]:
    """The person's own requests still waiting for a decision, oldest first."""
    rows = tx.session.execute(
        select(Redemption, Reward.name)
        .join(Reward, Reward.id == Redemption.reward_id)
        .where(Redemption.person_id == person.id, Redemption.status == "pending")
        .order_by(Redemption.id)
    )
    return [PendingRedemption(redemption, person.display_name, reward, False) for redemption, reward in rows]


def cancel(tx: Tx, person: Person, redemption_id: int) -> Redemption:
    """Take back one's own pending request and get its points back, once. The row is locked first, so
    of a cancel and a manager's decision made at once exactly one is taken and the other is told."""
    redemption = tx.session.get(Redemption, redemption_id, with_for_update=True, populate_existing=True)
    if redemption is None or redemption.person_id != person.id:
        raise DomainError("You have no request #{id}. See /mine.", id=redemption_id)
    if redemption.status == "cancelled":
        raise DomainError("You already cancelled request #{id}.", id=redemption.id)
    _refuse_if_decided(tx, redemption)
    redemption.status = "cancelled"
    redemption.decided_by_id = person.id
    redemption.decided_at = tx.now
    award(tx, person, "redemption_refund", f"redemption:{redemption.id}", redemption.cost)
    return redemption


def _name(tx: Tx, person_id: int | None) -> str:
    person = tx.session.get(Person, person_id) if person_id is not None else None
    return shown_name(person) if person is not None else "?"


def _refuse_if_decided(tx: Tx, redemption: Redemption) -> None:
    """The loser of a race (a decision, or a cancel) is told who decided first and how."""
    if redemption.status != "pending":
        raise DomainError(
            "Redemption #{id} was already {status} by {name}.",
            id=redemption.id,
            status=Label("redemption", redemption.status),
            name=_name(tx, redemption.decided_by_id),
        )
