"""The year wheel (årshjul): the environmental-management calendar on the schedule, and whom it reminds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import false, or_, select

from bot.core import schedule
from bot.core.caps import Whole, hold_whole
from bot.core.errors import DomainError
from bot.core.models import Person, ScheduledItem, Unit
from bot.core.outbox import notify_people, post_for_unit
from bot.core.people import require_role
from bot.core.uow import Tx

KIND = "wheel"
NOTICE = "wheel"
AUDIENCES = ("everyone", "representatives", "managers", "admins")


@dataclass(frozen=True)
class Entry:
    """One entry of the calendar: a stable key, when it fires (ahead of its event), and whom it reminds."""

    key: str
    rule: dict[str, Any]
    first_due: datetime
    audience: tuple[str, ...]


def entries(tx: Tx) -> list[ScheduledItem]:
    """The calendar's entries while it is on, soonest first."""
    return list(
        tx.session.scalars(
            select(ScheduledItem)
            .where(ScheduledItem.kind == KIND, ScheduledItem.state == schedule.ACTIVE)
            .order_by(ScheduledItem.due_at, ScheduledItem.id)
        )
    )


def switch_on(tx: Tx, admin: Person, calendar: Sequence[Entry]) -> list[ScheduledItem]:
    require_role(admin, {"admin"})
    hold_whole(tx, Whole.YEAR_WHEEL)
    if entries(tx):
        raise DomainError("The year wheel is on already. /wheel shows it.")
    return [
        schedule.add(
            tx,
            KIND,
            entry.rule,
            entry.first_due,
            payload={"entry": entry.key, "audience": list(entry.audience)},
            owner_id=admin.id,
        )
        for entry in calendar
    ]


def switch_off(tx: Tx, admin: Person) -> int:
    require_role(admin, {"admin"})
    found = entries(tx)
    if not found:
        raise DomainError("The year wheel is off. Switch it on with /wheel on.")
    return sum(schedule.cancel(tx, item.id) for item in found)


def change(tx: Tx, admin: Person, key: str, rule: dict[str, Any], first_due: datetime) -> ScheduledItem:
    """Move an entry to a new date or rhythm: the old row is cancelled and a new one takes its place."""
    require_role(admin, {"admin"})
    current = next((item for item in entries(tx) if item.payload["entry"] == key), None)
    if current is None or not schedule.cancel(tx, current.id):
        raise DomainError("The year wheel has no entry {entry}. /wheel lists them.", entry=key)
    return schedule.add(tx, KIND, rule, first_due, payload=dict(current.payload), owner_id=admin.id)


def remind(tx: Tx, audience: Sequence[str], notice: dict[str, Any]) -> int:
    """Queue an entry's reminder for its audience: everyone in the announcement channels, roles by DM."""
    queued = post_for_unit(tx, None, NOTICE, notice) if "everyone" in audience else 0
    return queued + notify_people(tx, _people_in(tx, audience), NOTICE, notice)


def _people_in(tx: Tx, audience: Sequence[str]) -> list[Person]:
    roles = {"representatives": "representative", "managers": "manager", "admins": "admin"}
    wanted = [roles[name] for name in audience if name in roles]
    if not wanted:
        return []
    representing = select(Unit.representative_id).where(Unit.representative_id.is_not(None))
    who = or_(Person.role.in_(wanted), Person.id.in_(representing) if "representative" in wanted else false())
    return list(tx.session.scalars(select(Person).where(who).order_by(Person.id)))
