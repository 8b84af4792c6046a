"""Progress posts: the digest's schedule row, the posts it makes per unit channel and organisation-wide,
what each scope's last post said, and the immediate celebration post."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from bot.core import schedule
from bot.core.caps import Whole, hold_whole
from bot.core.digest import Digest, build, month_before, month_of
from bot.core.errors import DomainError
from bot.core.models import Person, ScheduledItem, Unit, UnitChannel, table_of
from bot.core.outbox import post_for_unit, post_in
from bot.core.people import REVIEWER_ROLES, require_role
from bot.core.schedule import DueItem
from bot.core.units import channels_for, get_unit
from bot.core.uow import Tx

KIND = "digest"
NOTICE = "digest"
ORGANISATION = "organisation"  # the key of the organisation-wide post's memory; units use their id
_SCHEDULE = table_of(ScheduledItem)


def schedule_row(tx: Tx, *, for_change: bool = False) -> ScheduledItem | None:
    """The digest's active schedule row, if progress posts are on.

    `for_change`: changes take turns, so that two admins at once leave one row. SQLite has one writer
    at a time; on PostgreSQL an advisory lock held to the commit makes the second see the first's
    row, and the row itself is locked against a tick writing what its posts said meanwhile.
    """
    statement = (
        select(ScheduledItem)
        .where(ScheduledItem.kind == KIND, ScheduledItem.state == schedule.ACTIVE)
        .order_by(ScheduledItem.id)
        .limit(1)
    )
    if for_change:
        hold_whole(tx, Whole.DIGEST_SCHEDULE)
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return tx.session.scalars(statement).first()


def set_schedule(tx: Tx, admin: Person, rule: dict[str, Any], first_due: datetime) -> ScheduledItem:
    """Start progress posts on `rule`, or move them to it; what the last posts said is kept."""
    require_role(admin, {"admin"})
    current = schedule_row(tx, for_change=True)
    memory: dict[str, Any] = {}
    if current is not None:
        memory = dict(current.payload)
        schedule.cancel(tx, current.id)
    return schedule.add(tx, KIND, rule, first_due, payload=memory, owner_id=admin.id)


def switch_off(tx: Tx, admin: Person) -> None:
    require_role(admin, {"admin"})
    current = schedule_row(tx, for_change=True)
    if current is None:
        raise DomainError("Progress posts are off. An admin switches them on with /digest on.")
    schedule.cancel(tx, current.id)


def last_posted(tx: Tx, unit_id: int | None) -> dict[str, int] | None:
    """The headline figures of the last scheduled post for the unit (or the organisation)."""
    row = schedule_row(tx)
    if row is None:
        return None
    remembered = row.payload.get("last", {}).get(_scope(unit_id))
    return dict(remembered) if remembered else None


def current(tx: Tx, unit: Unit | None) -> Digest:
    """This month so far, compared with the last post for the same scope."""
    return build(tx, month_of(tx, tx.now), unit, last_posted(tx, unit.id if unit else None))


def scope_of(tx: Tx, person: Person) -> Unit | None:
    """Whose progress a person's post is about: the unit a representative represents (the first, if
    several), else the unit one belongs to; None: the organisation's."""
    represented = tx.session.scalars(
        select(Unit).where(Unit.representative_id == person.id).order_by(Unit.id).limit(1)
    ).first()
    return represented or get_unit(tx, person.unit_id)


def current_for(tx: Tx, person: Person) -> Digest:
    """This month so far for the person's scope, as anyone may be shown it, whether or not a channel is set."""
    return current(tx, scope_of(tx, person))


def post_now(tx: Tx, reviewer: Person) -> Digest:
    """Post this month's digest for the reviewer's scope in its channels (the organisation's when unitless)."""
    require_role(reviewer, REVIEWER_ROLES)
    unit = scope_of(tx, reviewer)
    digest = current(tx, unit)
    if not post_for_unit(tx, unit.id if unit else None, NOTICE, digest.to_dict()):
        raise DomainError("No channel is set for progress posts. An admin ties one with /unit channel.")
    return digest


def post_scheduled(tx: Tx, item: DueItem, fired_for: datetime) -> int:
    """The month before `fired_for` in every unit's own channels and once organisation-wide; how many posts.

    Each scope's headline is remembered in the schedule row, so the next post says what changed.
    """
    month = month_before(month_of(tx, fired_for))
    remembered: dict[str, Any] = dict(item.payload.get("last", {}))
    queued = 0
    for unit in [None, *_units_with_channels(tx)]:
        key = _scope(unit.id if unit else None)
        digest = build(tx, month, unit, remembered.get(key))
        payload = digest.to_dict()
        if unit is None:
            queued += post_for_unit(tx, None, NOTICE, payload)
        else:
            queued += post_in(tx, channels_for(tx, unit.id), NOTICE, payload)
        remembered[key] = digest.headline()
    tx.session.execute(
        update(_SCHEDULE)
        .where(_SCHEDULE.c.id == item.id)
        .values(payload={**item.payload, "last": remembered, "last_month": month})
    )
    return queued


def _units_with_channels(tx: Tx) -> list[Unit]:
    tied = select(UnitChannel.unit_id)
    return list(tx.session.scalars(select(Unit).where(Unit.id.in_(tied)).order_by(Unit.id)))


def _scope(unit_id: int | None) -> str:
    return ORGANISATION if unit_id is None else str(unit_id)
