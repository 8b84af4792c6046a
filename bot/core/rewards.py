"""Rewards: the catalogue, and redemptions whose points are held until approved or refunded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.core.errors import DomainError, Label
from bot.core.ideas import clean_text
from bot.core.models import Person, Redemption, Reward
from bot.core.outbox import notify_person
from bot.core.people import MANAGER_ROLES, require_role
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


def add_reward(tx: Tx, admin: Person, cost: int, name: str) -> Reward:
    require_role(admin, {"admin"})
    name = clean_text(name, MAX_NAME_LENGTH, "Name the reward, e.g. /reward add 100 Cinema ticket.")
    if not 0 < cost <= MAX_COST:
        raise DomainError("A reward costs between 1 and {limit} points.", limit=MAX_COST)
    reward = Reward(name=name, cost=cost, active=True, created_by_id=admin.id, created_at=tx.now)
    tx.session.add(reward)
    tx.session.flush()
    return reward


def retire_reward(tx: Tx, admin: Person, reward_id: int) -> Reward:
    require_role(admin, {"admin"})
    reward = _active_reward(tx, reward_id)
    reward.active = False
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


def decide(tx: Tx, manager: Person, redemption_id: int, approve: bool, note: str = "") -> Redemption:
    """Approve, or decline and refund; someone else must decide on a manager's own request."""
    require_role(manager, MANAGER_ROLES)
    redemption = tx.session.get(Redemption, redemption_id)
    if redemption is None:
        raise DomainError("There is no redemption #{id}.", id=redemption_id)
    if redemption.status != "pending":
        raise DomainError(
            "Redemption #{id} is already {status}.",
            id=redemption.id,
            status=Label("redemption", redemption.status),
        )
    if redemption.person_id == manager.id:
        raise DomainError("Someone else must decide on your own redemption.")
    redemption.status = "approved" if approve else "declined"
    redemption.decided_by_id = manager.id
    redemption.decided_at = tx.now
    redemption.note = note.strip() or None
    person = tx.session.get_one(Person, redemption.person_id)
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
            "by": manager.display_name,
            "cost": redemption.cost,
        },
    )
    return redemption


def pending(tx: Tx) -> list[PendingRedemption]:
    rows = tx.session.execute(
        select(Redemption, Person.display_name, Reward.name)
        .join(Person, Person.id == Redemption.person_id)
        .join(Reward, Reward.id == Redemption.reward_id)
        .where(Redemption.status == "pending")
        .order_by(Redemption.id)
    )
    return [PendingRedemption(r, person, reward) for r, person, reward in rows]
