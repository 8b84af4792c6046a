"""The outbox: notices written with the change they report, claimed and marked by platform senders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Update,
    and_,
    bindparam,
    case,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)

from bot.core.languages import UnitLanguages, conversation_language, person_language
from bot.core.models import Account, OutboxMessage, Person, table_of
from bot.core.units import channels_for, organisation_unit
from bot.core.uow import Tx

MAX_ATTEMPTS = 8
REPLY_TARGET = "reply"  # the target kind of an answer to the conversation a message came from
UNSETTLED = ("pending", "sending")  # a claim may hold these; the rest are settled for good
# pg_advisory_xact_lock(CLAIM_LOCK, hashtext(platform)) serialises claims per platform.
CLAIM_LOCK = 0x0B0C
_NO_SYNC = {"synchronize_session": False}  # these sessions hold no outbox objects to keep in step


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
    return notify_each(tx, [(person, kind, payload) for person in people])


def notify_each(tx: Tx, notices: Sequence[tuple[Person, str, dict[str, Any]]]) -> int:
    """A notice of its own for each person, on the platform they used last; how many were queued
    (a person with no account is skipped). Accounts are read once for the whole batch."""
    accounts = _accounts_by_person(tx, list({person.id for person, _, _ in notices}))
    units: UnitLanguages = {}
    rows = [
        _row(
            tx,
            platform=latest.platform,
            target=latest.external_id,
            target_kind="person",
            person_id=person.id,
            locale=person_language(tx, person, _platform_locale(owned), units),
            kind=kind,
            payload=payload,
        )
        for person, kind, payload in notices
        for owned in [accounts.get(person.id, [])]
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
    """The locale of the most recently used account that reports one (as `languages.person_language`)."""
    return next((account.locale for account in accounts if account.locale), None)


def post_for_unit(tx: Tx, unit_id: int | None, kind: str, payload: dict[str, Any]) -> int:
    """Queue a channel post in the unit's channels, else the announcement channels; how many.

    No unit is the whole organisation: the channels of the unit that is the organisation, if it has any."""
    if unit_id is None and (top := organisation_unit(tx)) is not None:
        unit_id = top.id
    channels = channels_for(tx, unit_id) or [_split_channel(channel) for channel in tx.policy.announce_channels]
    return post_in(tx, channels, kind, payload)


def post_in(tx: Tx, conversations: Sequence[tuple[str, str]], kind: str, payload: dict[str, Any]) -> int:
    """Queue the same post in each (platform, conversation), each in the conversation's language; how many."""
    rows = [
        _row(
            tx,
            platform=platform,
            target=conversation,
            target_kind="channel",
            person_id=None,
            locale=conversation_language(tx, platform, conversation),
            kind=kind,
            payload=payload,
        )
        for platform, conversation in conversations
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
        target_kind=REPLY_TARGET,
        person_id=None,
        locale=locale,
        kind=kind,
        payload=payload,
    )
    tx.session.execute(insert(OutboxMessage), [row])  # sent by the adapter that asked: no drain to wake


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


def claim(
    tx: Tx, platform: str, limit: int, lease: timedelta, holder: str, replies_to: str | None = None
) -> list[OutboxItem]:
    """Lease up to `limit` due notices to `holder`, so that no other sender (or replica) takes them meanwhile.

    A recipient is served by one claim at a time: while any of their notices is held, their later
    ones wait, so each recipient's notices go out one after another and in order, whichever sender
    takes them. A notice left `sending` by a sender that stopped is taken again once its lease has
    run out (it may have gone out: that is the one case of sending twice). Claims are made one at
    a time per platform (SQLite serialises writers; PostgreSQL takes an advisory lock), so the
    recipients held by one claim are seen by the next. Answers to people go before notices; with
    `replies_to`, only the answers queued for that conversation are claimed.
    """
    if tx.dialect == "postgresql":
        tx.session.execute(_ADVISORY_LOCK, {"platform": platform})
    due = _due_statement(tx.dialect, replies_to is not None)
    params = {"platform": platform, "now": tx.now, "limit": limit, "conversation": replies_to}
    ids = list(tx.session.scalars(due, params))
    if not ids:
        return []
    tx.session.execute(_CLAIM, {"ids": ids, "holder": holder, "until": tx.now + lease})
    rows = tx.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    return [_item(row) for row in rows]


_OUTBOX = table_of(OutboxMessage)
_ADVISORY_LOCK = select(func.pg_advisory_xact_lock(CLAIM_LOCK, func.hashtext(bindparam("platform"))))
_CLAIM = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        status="pending",
        claimed_by=bindparam("holder"),
        claimed_until=bindparam("until"),
        attempts=_OUTBOX.c.attempts + 1,
    )
)


@cache
def _due_statement(dialect: str, one_conversation: bool) -> Select[tuple[int]]:
    """The notices a claim takes, built once per kind (on the table: a sender claims after every
    answer, and building the statement cost more than running it)."""
    held = _OUTBOX.alias("held")
    recipients_held = select(held.c.target).where(
        held.c.platform == bindparam("platform"),
        held.c.status.in_(UNSETTLED),
        held.c.claimed_until >= bindparam("now"),
    )
    due = (
        select(_OUTBOX.c.id)
        .where(
            _OUTBOX.c.platform == bindparam("platform"),
            _OUTBOX.c.status.in_(UNSETTLED),
            _OUTBOX.c.available_at <= bindparam("now"),
            _OUTBOX.c.target.not_in(recipients_held),
            # Implied by the line above, but PostgreSQL checks it again on a row that changed while
            # this ran (FOR UPDATE), which the list of recipients held is not: a lease just renewed,
            # or a notice just marked sending, must not be taken.
            or_(_OUTBOX.c.claimed_until.is_(None), _OUTBOX.c.claimed_until < bindparam("now")),
        )
        .order_by(case((_OUTBOX.c.target_kind == REPLY_TARGET, 0), else_=1), _OUTBOX.c.id)
        .limit(bindparam("limit"))
    )
    if one_conversation:
        due = due.where(_OUTBOX.c.target_kind == REPLY_TARGET, _OUTBOX.c.target == bindparam("conversation"))
    if dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return due


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


def _held_by(item: OutboxItem, holder: str) -> ColumnElement[bool]:
    """The row is still under the claim that produced `item`: no one (not even `holder`) claimed it since.

    Every claim counts an attempt, so (holder, attempts) names one claim.
    """
    return and_(
        OutboxMessage.id == item.id,
        OutboxMessage.claimed_by == holder,
        OutboxMessage.attempts == item.attempts,
        OutboxMessage.status.in_(UNSETTLED),
    )


def _changed(tx: Tx, statement: Update) -> bool:
    """Run a conditional UPDATE of one notice; whether its condition held."""
    return tx.session.scalar(statement.returning(OutboxMessage.id), execution_options=_NO_SYNC) is not None


def start_sending(tx: Tx, item: OutboxItem, holder: str, lease: timedelta) -> bool:
    """Mark the notice as going out now, with a fresh lease; False (do not send) unless the claim still holds.

    A claim whose lease has run out does not hold, even if no one has taken it yet: another sender
    may be claiming the recipient's later notices at this moment, and would overtake this one.
    """
    statement = (
        update(OutboxMessage)
        .where(_held_by(item, holder), OutboxMessage.status == "pending", OutboxMessage.claimed_until >= tx.now)
        .values(status="sending", claimed_until=tx.now + lease)
    )
    return _changed(tx, statement)


def mark_sent(tx: Tx, item: OutboxItem, holder: str) -> bool:
    statement = (
        update(OutboxMessage)
        .where(_held_by(item, holder))
        .values(status="sent", sent_at=tx.now, claimed_until=None, last_error=None)
    )
    return _changed(tx, statement)


def mark_retry(tx: Tx, item: OutboxItem, holder: str, error: str, delay: timedelta) -> bool:
    """Try again after `delay`; after MAX_ATTEMPTS attempts give up and mark it failed."""
    statement = (
        update(OutboxMessage)
        .where(_held_by(item, holder))
        .values(
            status=case((OutboxMessage.attempts >= MAX_ATTEMPTS, "failed"), else_="pending"),
            available_at=tx.now + delay,
            claimed_until=None,
            last_error=error[:2000],
        )
    )
    return _changed(tx, statement)


def mark_undeliverable(tx: Tx, item: OutboxItem, holder: str, reason: str) -> bool:
    """The platform refuses this recipient for good (never started the bot, blocked it)."""
    statement = (
        update(OutboxMessage)
        .where(_held_by(item, holder))
        .values(status="undeliverable", last_error=reason[:2000], claimed_until=None)
    )
    return _changed(tx, statement)


def renew(tx: Tx, ids: Sequence[int], holder: str, lease: timedelta) -> int:
    """Extend `holder`'s claims on these notices (those not yet settled); how many it still holds."""
    if not ids:
        return 0
    renewed = tx.session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.claimed_by == holder,
            OutboxMessage.status.in_(UNSETTLED),
            OutboxMessage.claimed_until.is_not(None),
        )
        .values(claimed_until=tx.now + lease)
        .returning(OutboxMessage.id),
        execution_options=_NO_SYNC,
    )
    return len(renewed.all())


def release(tx: Tx, claims: Sequence[tuple[int, int]], holder: str) -> None:
    """Give up `holder`'s claims, (outbox id, attempts), on notices it will not send after all.

    Others may take them at once. Only notices not yet going out: one marked `sending` may have
    reached the platform, and waits for its lease to run out.
    """
    if claims:
        tx.session.execute(
            update(OutboxMessage)
            .where(
                tuple_(OutboxMessage.id, OutboxMessage.attempts).in_(claims),
                OutboxMessage.claimed_by == holder,
                OutboxMessage.status == "pending",
                OutboxMessage.claimed_until.is_not(None),
            )
            .values(claimed_by=None, claimed_until=None),
            execution_options=_NO_SYNC,
        )


def answers_waiting(tx: Tx, platform: str) -> int:
    """How many queued answers on `platform` are not yet sent (nor given up)."""
    count = tx.session.scalar(
        select(func.count()).where(
            OutboxMessage.platform == platform,
            OutboxMessage.target_kind == REPLY_TARGET,
            OutboxMessage.status.in_(UNSETTLED),
        )
    )
    return int(count or 0)


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
