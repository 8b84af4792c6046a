"""The inbox: inbound deliveries stored before they are acknowledged, claimed by workers, marked handled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, select, update

from bot.core.models import InboxDelivery, table_of
from bot.core.statements import insert_statement
from bot.core.text import printable
from bot.core.uow import Tx

_INBOX = table_of(InboxDelivery)
# Built once, on the table rather than the mapped class: this runs in every transaction that handles
# a delivery, and the ORM's handling of an UPDATE cost more than twice the plain statement's.
_COMPLETE = (
    update(_INBOX)
    .where(_INBOX.c.id == bindparam("delivery"), _INBOX.c.status == "pending")
    .values(status="handled", handled_at=bindparam("now"), claimed_until=None)
    .returning(_INBOX.c.id)
)
# The session holds no inbox objects to keep in step with these updates: skip the ORM's bookkeeping.
_NO_SYNC = {"synchronize_session": False}
MAX_KEY_LENGTH = 200
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class NewDelivery:
    """What a platform sent, as the adapter wants to read it again: `key` is unique per platform."""

    platform: str
    key: str
    kind: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class InboxItem:
    """A stored delivery, detached from the session, for a worker to handle."""

    id: int
    platform: str
    kind: str
    payload: dict[str, Any]
    received_at: datetime
    attempts: int


@dataclass(frozen=True)
class Backlog:
    pending: int
    oldest: datetime | None


def store(
    tx: Tx, deliveries: Sequence[NewDelivery], owner: str | None, lease: timedelta
) -> list[InboxItem | None]:
    """Store each delivery unless its key was seen before; the new ones come back, repeats as None.

    With an `owner` the new rows are claimed by it at once (the process that received them handles
    them without another round trip); without one they wait for any worker to claim them.
    """
    first: dict[tuple[str, str], NewDelivery] = {}
    for delivery in deliveries:
        first.setdefault((delivery.platform, _stored_key(delivery)), delivery)
    rows = [
        {
            "platform": platform,
            "delivery_key": key,
            "kind": delivery.kind,
            "payload": delivery.payload,
            "status": "pending",
            "attempts": 1 if owner else 0,
            "received_at": tx.now,
            "claimed_by": owner,
            "claimed_until": tx.now + lease if owner else None,
        }
        for (platform, key), delivery in first.items()
    ]
    if not rows:
        return []
    statement = (
        insert_statement(tx.session, _INBOX)
        .on_conflict_do_nothing()
        .returning(_INBOX.c.id, _INBOX.c.platform, _INBOX.c.delivery_key)
    )
    new = (
        {(platform, key): row_id for row_id, platform, key in tx.session.execute(statement, rows)}
        if rows
        else {}
    )
    items: list[InboxItem | None] = []
    handed_out: set[tuple[str, str]] = set()
    for delivery in deliveries:
        identity = (delivery.platform, _stored_key(delivery))
        row_id = new.get(identity)
        if row_id is None or identity in handed_out:
            items.append(None)
            continue
        handed_out.add(identity)
        stored = first[identity]
        items.append(InboxItem(row_id, stored.platform, stored.kind, stored.payload, tx.now, 1 if owner else 0))
    return items


def _stored_key(delivery: NewDelivery) -> str:
    """The key as both databases store it. The rows of a batch are written in one statement, so one
    key PostgreSQL refuses (a NUL in it) would fail every delivery that arrived with it."""
    return printable(delivery.key)[:MAX_KEY_LENGTH]


def claim(tx: Tx, owner: str, limit: int, lease: timedelta, platforms: Sequence[str]) -> list[InboxItem]:
    """Lease up to `limit` pending deliveries nobody holds (left by a crash, or stored unclaimed)."""
    due = (
        select(InboxDelivery.id)
        .where(
            InboxDelivery.status == "pending",
            InboxDelivery.platform.in_(platforms),
            or_(InboxDelivery.claimed_until.is_(None), InboxDelivery.claimed_until < tx.now),
        )
        .order_by(InboxDelivery.id)
        .limit(limit)
    )
    if tx.dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(tx.session.scalars(due))
    if not ids:
        return []
    tx.session.execute(
        update(InboxDelivery)
        .where(InboxDelivery.id.in_(ids))
        .values(claimed_by=owner, claimed_until=tx.now + lease, attempts=InboxDelivery.attempts + 1),
        execution_options=_NO_SYNC,
    )
    rows = tx.session.execute(
        select(
            InboxDelivery.id,
            InboxDelivery.platform,
            InboxDelivery.kind,
            InboxDelivery.payload,
            InboxDelivery.received_at,
            InboxDelivery.attempts,
        )
        .where(InboxDelivery.id.in_(ids))
        .order_by(InboxDelivery.id)
    )
    return [InboxItem(*row) for row in rows]


def renew(tx: Tx, owner: str, ids: Sequence[int], lease: timedelta) -> None:
    """Extend the claims `owner` still holds on deliveries it has not handled yet."""
    for start in range(0, len(ids), 500):
        tx.session.execute(
            update(InboxDelivery)
            .where(
                InboxDelivery.id.in_(ids[start : start + 500]),
                InboxDelivery.claimed_by == owner,
                InboxDelivery.status == "pending",
            )
            .values(claimed_until=tx.now + lease),
            execution_options=_NO_SYNC,
        )


def complete(tx: Tx, delivery_id: int) -> bool:
    """Mark the delivery handled, in the transaction that applies its effects; False if it already was.

    The update is conditional, so when two workers race for one delivery (a claim outlived by a slow
    handler) exactly one commits its effects and the other rolls back.
    """
    params = {"delivery": delivery_id, "now": tx.now}
    return tx.session.execute(_COMPLETE, params).first() is not None


def complete_all(tx: Tx, delivery_ids: Sequence[int]) -> None:
    """Mark deliveries handled that are still pending (those only read, whose handling wrote nothing)."""
    for start in range(0, len(delivery_ids), 500):
        tx.session.execute(
            update(InboxDelivery)
            .where(InboxDelivery.id.in_(delivery_ids[start : start + 500]), InboxDelivery.status == "pending")
            .values(status="handled", handled_at=tx.now, claimed_until=None),
            execution_options=_NO_SYNC,
        )


def fail(tx: Tx, delivery_id: int, error: str) -> bool:
    """Give up on a delivery whose handling crashed (it would crash again); False if it was done already."""
    result = tx.session.execute(
        update(InboxDelivery)
        .where(InboxDelivery.id == delivery_id, InboxDelivery.status == "pending")
        .values(status="failed", handled_at=tx.now, claimed_until=None, last_error=error[:MAX_ERROR_LENGTH])
        .returning(InboxDelivery.id),
        execution_options=_NO_SYNC,
    )
    return result.first() is not None


def purge(tx: Tx, received_before: datetime) -> int:
    """Delete settled deliveries received before the cut-off; how many went."""
    result = tx.session.execute(
        delete(InboxDelivery).where(
            InboxDelivery.status.in_(("handled", "failed")), InboxDelivery.received_at < received_before
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def backlog(tx: Tx) -> Backlog:
    """How many deliveries wait to be handled, and when the oldest of them arrived."""
    count, oldest = tx.session.execute(
        select(func.count(), func.min(InboxDelivery.received_at)).where(InboxDelivery.status == "pending")
    ).one()
    return Backlog(int(count), oldest)
