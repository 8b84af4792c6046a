"""The outbox: notices written with the change they report, claimed and marked by platform senders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, or_, select, update

from bot.core.models import Account, OutboxMessage, Person
from bot.core.units import channels_for
from bot.core.uow import Tx

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class OutboxItem:
    """A claimed notice, detached from the session, for a sender to render and deliver."""

    id: int
    platform: str
    target: str
    target_kind: str
    person_id: int | None
    locale: str
    kind: str
    payload: dict[str, Any]
    attempts: int


def notify_person(tx: Tx, person: Person, kind: str, payload: dict[str, Any]) -> bool:
    """Queue a notice for `person` on the platform they used last; False if they have no account."""
    return notify_people(tx, [person], kind, payload) == 1


def notify_people(tx: Tx, people: Sequence[Person], kind: str, payload: dict[str, Any]) -> int:
    """The same notice for each person, each on the platform they used last; how many were queued."""
    by_id = {person.id: person for person in people}
    accounts = _accounts_by_person(tx, list(by_id))
    rows = [
        _row(
            tx,
            platform=latest.platform,
            target=latest.external_id,
            target_kind="person",
            person_id=person_id,
            locale=by_id[person_id].locale or _platform_locale(owned) or tx.policy.default_locale,
            kind=kind,
            payload=payload,
        )
        for person_id, owned in accounts.items()
        for latest in owned[:1]
    ]
    if rows:
        _insert(tx, rows)
    return len(rows)


def _accounts_by_person(tx: Tx, person_ids: list[int]) -> dict[int, list[Account]]:
    """Each person's accounts, most recently used first (read in chunks: SQLite limits parameters)."""
    found: dict[int, list[Account]] = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start : start + 500]
        for account in tx.session.scalars(
            select(Account)
            .where(Account.person_id.in_(chunk))
            .order_by(Account.person_id, Account.last_seen_at.desc(), Account.id.desc())
        ):
            found.setdefault(account.person_id, []).append(account)
    return found


def _platform_locale(accounts: list[Account]) -> str | None:
    """The locale of the most recently used account that reports one (as `people.locale_of`)."""
    return next((account.locale for account in accounts if account.locale), None)


def post_for_unit(tx: Tx, unit_id: int | None, kind: str, payload: dict[str, Any]) -> int:
    """Queue a channel post in the unit's channels, else the announcement channels; how many."""
    channels = channels_for(tx, unit_id) or [_split_channel(channel) for channel in tx.policy.announce_channels]
    rows = [
        _row(
            tx,
            platform=platform,
            target=channel,
            target_kind="channel",
            person_id=None,
            locale=tx.policy.default_locale,
            kind=kind,
            payload=payload,
        )
        for platform, channel in channels
    ]
    if rows:
        _insert(tx, rows)
    return len(rows)


def queue_reply(
    tx: Tx, platform: str, conversation: str, locale: str, kind: str, payload: dict[str, Any]
) -> None:
    """Queue the answer to an inbound message for the conversation it came from."""
    row = _row(
        tx,
        platform=platform,
        target=conversation,
        target_kind="reply",
        person_id=None,
        locale=locale,
        kind=kind,
        payload=payload,
    )
    _insert(tx, [row])


def _insert(tx: Tx, rows: list[dict[str, Any]]) -> None:
    tx.session.execute(insert(OutboxMessage), rows)
    tx.queued += len(rows)


def _split_channel(configured: str) -> tuple[str, str]:
    platform, _, channel = configured.partition(":")
    return platform, channel


def _row(
    tx: Tx,
    *,
    platform: str,
    target: str,
    target_kind: str,
    person_id: int | None,
    locale: str,
    kind: str,
    payload: dict[str, Any],
) -> dict[str, Any]:
    return {
        "platform": platform,
        "target": target,
        "target_kind": target_kind,
        "person_id": person_id,
        "locale": locale,
        "kind": kind,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "available_at": tx.now,
        "created_at": tx.now,
    }


def claim(tx: Tx, platform: str, limit: int, lease: timedelta) -> list[OutboxItem]:
    """Lease up to `limit` due notices so that no other sender (or replica) takes them meanwhile."""
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.platform == platform,
            OutboxMessage.status == "pending",
            OutboxMessage.available_at <= tx.now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < tx.now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if tx.dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(tx.session.scalars(due))
    if not ids:
        return []
    tx.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(claimed_until=tx.now + lease, attempts=OutboxMessage.attempts + 1)
    )
    rows = tx.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    return [_item(row) for row in rows]


def _item(row: OutboxMessage) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        platform=row.platform,
        target=row.target,
        target_kind=row.target_kind,
        person_id=row.person_id,
        locale=row.locale,
        kind=row.kind,
        payload=dict(row.payload),
        attempts=row.attempts,
    )


def mark_sent(tx: Tx, outbox_id: int) -> None:
    tx.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id)
        .values(status="sent", sent_at=tx.now, claimed_until=None, last_error=None)
    )


def mark_retry(tx: Tx, outbox_id: int, error: str, delay: timedelta) -> None:
    """Try again after `delay`; after MAX_ATTEMPTS attempts give up and mark it failed."""
    row = tx.session.get_one(OutboxMessage, outbox_id)
    row.last_error = error[:2000]
    row.claimed_until = None
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
    else:
        row.available_at = tx.now + delay


def mark_undeliverable(tx: Tx, outbox_id: int, reason: str) -> None:
    """The platform refuses this recipient for good (never started the bot, blocked it)."""
    tx.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id)
        .values(status="undeliverable", last_error=reason[:2000], claimed_until=None)
    )


def last_direct_notice_undeliverable(tx: Tx, platform: str, target: str) -> bool:
    """Whether the latest settled notice to this person on `platform` could not be delivered.

    True while the platform refuses them (they never started the bot, or blocked it); a later
    notice that gets through makes it False again.
    """
    status = tx.session.scalar(
        select(OutboxMessage.status)
        .where(
            OutboxMessage.platform == platform,
            OutboxMessage.target == target,
            OutboxMessage.target_kind == "person",
            OutboxMessage.status.in_(("sent", "undeliverable")),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return status == "undeliverable"
