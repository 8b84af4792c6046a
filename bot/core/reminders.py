"""Reminders: who may remind whom, set on the schedule, fired to a person, a unit or a conversation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from bot.core import schedule
from bot.core.authority import covered_units, covers
from bot.core.caps import room_left
from bot.core.errors import DomainError
from bot.core.limits import MAX_NOTE_LENGTH
from bot.core.models import Person, ScheduledItem, Unit, UnitChannel
from bot.core.outbox import notify_each, post_in
from bot.core.people import is_reviewer, shown_name
from bot.core.schedule import DueItem
from bot.core.text import printable
from bot.core.units import subtree_ids
from bot.core.uow import Tx

KIND = "reminder"
NOTICE = "reminder"
MAX_ACTIVE_PER_PERSON = 50


@dataclass(frozen=True)
class Target:
    """Whom a reminder reaches: a person, a unit, or one conversation (`here`, a #channel)."""

    kind: str  # person | unit | conversation
    id: int | None = None  # the person's or unit's id
    platform: str = ""
    conversation: str = ""
    shared: bool = False  # a conversation others read (a channel or group, not a DM)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "platform": self.platform,
            "conversation": self.conversation,
            "shared": self.shared,
        }


def create(
    tx: Tx,
    person: Person,
    target: Target,
    rule: dict[str, Any],
    first_due: datetime,
    text: str,
    when_text: str,
) -> ScheduledItem:
    """Set a reminder; refused when it is for others one may not remind, empty, too long, or in the past."""
    message = printable(text).strip()
    if not message:
        raise DomainError("What should I remind about? Add the text after the time.")
    if len(message) > MAX_NOTE_LENGTH:
        raise DomainError("A reminder can be at most {limit} characters.", limit=MAX_NOTE_LENGTH)
    if first_due <= tx.now:
        raise DomainError("That time has passed. Pick a time ahead, e.g. “tomorrow 09:00”.")
    if not room_left(tx, person, MAX_ACTIVE_PER_PERSON, lambda: schedule.active_count(tx, [KIND], person.id)):
        raise DomainError(
            "You have {count} reminders set, the most one person may. Cancel one with /reminders.",
            count=MAX_ACTIVE_PER_PERSON,
        )
    unit_id = _check_target(tx, person, target)
    payload = {
        "text": message,
        "by": person.display_name,
        "by_id": person.id,
        "when": when_text,
        "target": target.to_dict(),
    }
    return schedule.add(tx, KIND, rule, first_due, payload=payload, owner_id=person.id, unit_id=unit_id)


def _check_target(tx: Tx, person: Person, target: Target) -> int | None:
    """The unit a reminder belongs to (for its managers' /reminders); refuses targets beyond one's reach."""
    if target.kind == "person" and target.id == person.id:
        return None
    if target.kind == "conversation" and not target.shared:
        return None
    if not is_reviewer(person):
        raise DomainError(
            "You can set reminders for yourself. Reminding others is for managers and representatives."
        )
    if target.kind == "person":
        other = tx.session.get_one(Person, target.id)
        if not covers(covered_units(tx, person), other.unit_id):
            raise DomainError("{name} is outside the units you look after.", name=other.display_name)
        return other.unit_id
    if target.kind == "unit":
        unit = tx.session.get_one(Unit, target.id)
        if not covers(covered_units(tx, person), unit.id):
            raise DomainError("{unit} is outside the units you look after.", unit=unit.name)
        return unit.id
    return person.unit_id


def listing(tx: Tx, person: Person) -> list[ScheduledItem]:
    """One's own reminders and, for a manager or representative, those of the units they look after."""
    covered = covered_units(tx, person) if is_reviewer(person) else set()
    if covered is None:
        covered = set(tx.session.scalars(select(Unit.id)))
    return schedule.listing(tx, [KIND], owner_id=person.id, unit_ids=covered)


def cancel(tx: Tx, person: Person, item_id: int) -> ScheduledItem:
    """Cancel a reminder one set, or one in a unit one looks after."""
    item = _reminder(tx, item_id)
    if not _may_change(tx, person, item):
        raise DomainError("Reminder #{id} is not yours to cancel.", id=item_id)
    if not schedule.cancel(tx, item_id):
        raise DomainError("Reminder #{id} is not active any more.", id=item_id)
    return item


def edit(
    tx: Tx, person: Person, item_id: int, rule: dict[str, Any], first_due: datetime, when_text: str
) -> ScheduledItem:
    """Move a reminder to a new time or rhythm: whoever may cancel it may; its old time no longer fires."""
    item = _reminder(tx, item_id)
    if not _may_change(tx, person, item):
        raise DomainError("Reminder #{id} is not yours to change.", id=item_id)
    if first_due <= tx.now:
        raise DomainError("That time has passed. Pick a time ahead, e.g. “tomorrow 09:00”.")
    if not schedule.reschedule(tx, item_id, rule, first_due, {**item.payload, "when": when_text}):
        raise DomainError("Reminder #{id} is not active any more.", id=item_id)
    tx.session.refresh(item)
    return item


def _reminder(tx: Tx, item_id: int) -> ScheduledItem:
    item = schedule.get(tx, item_id)
    if item is None or item.kind != KIND:
        raise DomainError("There is no reminder #{id}.", id=item_id)
    return item


def _may_change(tx: Tx, person: Person, item: ScheduledItem) -> bool:
    """One's own reminder, or one in a unit one looks after as a manager or representative."""
    return item.owner_id == person.id or (
        is_reviewer(person) and item.unit_id is not None and covers(covered_units(tx, person), item.unit_id)
    )


def reassign(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """Two people became one: a reminder set by or for the absorbed one names the survivor."""
    payload = ScheduledItem.payload
    named = tx.session.scalars(
        select(ScheduledItem).where(
            ScheduledItem.kind == KIND,
            or_(
                payload["by_id"].as_integer() == absorbed_id,
                payload[("target", "id")].as_integer() == absorbed_id,
            ),
        )
    ).all()
    for item in named:
        target = dict(item.payload["target"])
        if target["kind"] == "person" and target["id"] == absorbed_id:
            target["id"] = survivor_id
        by_id = survivor_id if item.payload.get("by_id") == absorbed_id else item.payload.get("by_id")
        item.payload = {**item.payload, "target": target, "by_id": by_id}
    tx.session.flush()


def fire(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
    """Queue each reminder for its target: a person by DM, a unit in its channels (else each member
    by DM), a conversation as a post. All of a batch's people and units are read at once."""
    people_ids = {
        item.payload["target"]["id"] for item, _ in items if item.payload["target"]["kind"] == "person"
    }
    people = (
        {p.id: p for p in tx.session.scalars(select(Person).where(Person.id.in_(people_ids)))}
        if people_ids
        else {}
    )
    direct: list[tuple[Person, str, dict[str, Any]]] = []
    for item, fired_for in items:
        target = item.payload["target"]
        notice = _notice(tx, item, fired_for)
        if target["kind"] == "person":
            found = people.get(target["id"])
            if found is not None:
                direct.append((found, NOTICE, notice))
        elif target["kind"] == "unit":
            channels = _own_channels(tx, target["id"])
            if channels:
                post_in(tx, channels, NOTICE, notice)
            else:
                direct.extend((member, NOTICE, notice) for member in _members(tx, target["id"]))
        else:
            post_in(tx, [(target["platform"], target["conversation"])], NOTICE, notice)
    if direct:
        notify_each(tx, direct)


def _notice(tx: Tx, item: DueItem, fired_for: datetime) -> dict[str, Any]:
    payload = item.payload
    target = payload["target"]
    own = (target["kind"] == "person" and target["id"] == payload.get("by_id")) or (
        target["kind"] == "conversation" and not target.get("shared")
    )
    return {
        "text": payload["text"],
        "by": None if own else setter_name(tx, payload),
        "id": item.id,
        "at": fired_for.isoformat(),
    }


def setter_name(tx: Tx, payload: dict[str, Any]) -> str:
    """Who set the reminder, as others see them now (a name, or hidden since it was set)."""
    setter = tx.session.get(Person, payload["by_id"]) if payload.get("by_id") else None
    return str(payload["by"]) if setter is None else shown_name(setter)


def _own_channels(tx: Tx, unit_id: int) -> list[tuple[str, str]]:
    rows = tx.session.execute(
        select(UnitChannel.platform, UnitChannel.conversation_id).where(UnitChannel.unit_id == unit_id)
    )
    return [(platform, conversation) for platform, conversation in rows]


def _members(tx: Tx, unit_id: int) -> list[Person]:
    return list(tx.session.scalars(select(Person).where(Person.unit_id.in_(subtree_ids(tx, unit_id)))))
