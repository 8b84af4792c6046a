"""Recognition: managers' praise shout-outs and colleagues' kudos within a daily allowance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from bot.core.authority import require_covered
from bot.core.caps import room_left
from bot.core.errors import DomainError
from bot.core.ideas import clean_text
from bot.core.models import Kudos, Person, Praise, Unit
from bot.core.outbox import notify_people, notify_person, post_for_unit
from bot.core.people import MANAGER_ROLES, require_role, shown_name
from bot.core.points import award, award_many
from bot.core.units import subtree_ids
from bot.core.uow import Tx

MAX_MESSAGE_LENGTH = 1000


@dataclass(frozen=True)
class PraiseResult:
    praise: Praise
    recipients: int
    channels: int
    points: int


@dataclass(frozen=True)
class KudosResult:
    given_to: list[Person]
    remaining: int
    allowance_ran_out: bool = False


def praise_person(tx: Tx, manager: Person, person: Person, message: str) -> PraiseResult:
    require_role(manager, MANAGER_ROLES)
    if person.id == manager.id:
        raise DomainError("Praise is for others; ask a colleague to praise you instead.")
    message = _praise_message(message)
    praise = _record(tx, manager, message, person_id=person.id)
    points = _pay(tx, [person], f"person:{person.id}", manager, message)
    channels = post_for_unit(
        tx, person.unit_id, "praise_shoutout", _shoutout(manager, shown_name(person), message)
    )
    return PraiseResult(praise, 1, channels, points)


def praise_unit(tx: Tx, manager: Person, unit: Unit, message: str) -> PraiseResult:
    """Praise a whole unit: every member of it and of the units below it gets the points."""
    require_role(manager, MANAGER_ROLES)
    require_covered(
        tx, manager, unit.id, lambda name: DomainError("{unit} is outside the units you look after.", unit=name)
    )
    message = _praise_message(message)
    praise = _record(tx, manager, message, unit_id=unit.id)
    members = tx.session.scalars(
        select(Person)
        .where(Person.unit_id.in_(subtree_ids(tx, unit.id)), Person.id != manager.id)
        .order_by(Person.id)
    ).all()
    points = _pay(tx, members, f"unit:{unit.id}", manager, message)
    channels = post_for_unit(tx, unit.id, "praise_shoutout", _shoutout(manager, unit.name, message))
    return PraiseResult(praise, len(members), channels, points)


def _praise_message(message: str) -> str:
    return clean_text(
        message,
        MAX_MESSAGE_LENGTH,
        "Say what the praise is for, e.g. /praise @Ingrid for the new recycling corner.",
    )


def _record(tx: Tx, manager: Person, message: str, **target: int) -> Praise:
    praise = Praise(giver_id=manager.id, message=message, created_at=tx.now, **target)
    tx.session.add(praise)
    tx.session.flush()
    return praise


def _pay(tx: Tx, people: Sequence[Person], target: str, manager: Person, message: str) -> int:
    """Points and a notice for each person praised: a few statements however large the unit.

    One manager's praise of one target pays once a day: the ledger's key names the day, so praise
    repeated (or sent twice at once) still posts but pays nobody again. Returns the points each got.
    """
    points = tx.policy.points.praise_received
    paid = award_many(tx, people, "praise_received", f"praise:{manager.id}:{target}:{_today(tx)}", points)
    for got, group in (
        (points, [p for p in people if p.id in paid]),
        (0, [p for p in people if p.id not in paid]),
    ):
        if group:
            notify_people(
                tx, group, "praise_received", {"from": shown_name(manager), "message": message, "points": got}
            )
    return points if paid else 0


def _shoutout(manager: Person, target: str, message: str) -> dict[str, str]:
    return {"from": shown_name(manager), "to": target, "message": message}


def kudos_given_today(tx: Tx, giver: Person) -> int:
    return int(
        tx.session.scalar(select(func.count()).where(Kudos.giver_id == giver.id, Kudos.day == _today(tx))) or 0
    )


def _today(tx: Tx):  # type: ignore[no-untyped-def]
    return tx.now.astimezone(tx.policy.timezone).date()


def give_kudos(tx: Tx, giver: Person, receivers: Sequence[Person], reason: str) -> KudosResult:
    """A thank-you by command, one kudos for each colleague named: all of them within today's
    allowance, or none. The reason is required; yourself is not allowed."""
    receivers = _distinct(receivers)
    if any(receiver.id == giver.id for receiver in receivers):
        raise DomainError("Kudos are for colleagues, not for yourself.")
    reason = clean_text(
        reason, MAX_MESSAGE_LENGTH, "Say what the kudos are for, e.g. /kudos @Lars for fixing the bike shed."
    )
    remaining = _remaining(tx, giver)
    if remaining <= 0:
        raise DomainError(
            "You have given all {allowance} kudos for today. New ones tomorrow!",
            allowance=tx.policy.kudos_daily_allowance,
        )
    if remaining < len(receivers):
        raise DomainError(
            "You have {remaining} kudos left today, not enough for the {count} colleagues you named. "
            "Nobody got kudos; name fewer.",
            remaining=remaining,
            count=len(receivers),
        )
    for receiver in receivers:
        _give(tx, giver, receiver, reason, "command")
    return KudosResult(list(receivers), remaining - len(receivers))


def give_emoji_kudos(tx: Tx, giver: Person, receivers: Sequence[Person], text: str) -> KudosResult:
    """Kudos from a chat message with the kudos emoji: one for each colleague it mentions."""
    remaining = _remaining(tx, giver)
    given: list[Person] = []
    wanted = [person for person in _distinct(receivers) if person.id != giver.id]
    for receiver in wanted:
        if remaining <= 0:
            break
        _give(tx, giver, receiver, text[:MAX_MESSAGE_LENGTH], "emoji")
        given.append(receiver)
        remaining -= 1
    return KudosResult(given, remaining, allowance_ran_out=len(given) < len(wanted))


def _distinct(people: Sequence[Person]) -> list[Person]:
    seen: dict[int, Person] = {}
    for person in people:
        seen.setdefault(person.id, person)
    return list(seen.values())


def _remaining(tx: Tx, giver: Person) -> int:
    return room_left(tx, giver, tx.policy.kudos_daily_allowance, lambda: kudos_given_today(tx, giver))


def _give(tx: Tx, giver: Person, receiver: Person, reason: str, via: str) -> None:
    kudos = Kudos(
        giver_id=giver.id,
        receiver_id=receiver.id,
        reason=reason,
        via=via,
        day=_today(tx),
        created_at=tx.now,
    )
    tx.session.add(kudos)
    tx.session.flush()
    points = tx.policy.points.kudos_received
    award(tx, receiver, "kudos_received", f"kudos:{kudos.id}", points)
    notify_person(
        tx,
        receiver,
        "kudos_received",
        {"from": shown_name(giver), "reason": reason, "points": points},
    )
