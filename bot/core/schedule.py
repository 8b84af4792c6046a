"""What is due and when: schedule rows added, claimed by any replica's tick, settled once, listed, cancelled."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, or_, select, update

from bot.core.models import ScheduledItem, table_of
from bot.core.uow import Tx

ACTIVE = "active"
FINISHED_STATES = ("done", "cancelled", "failed")
_SCHEDULE = table_of(ScheduledItem)


@dataclass(frozen=True)
class DueItem:
    """A claimed row, detached from the session: what its kind's firing needs."""

    id: int
    kind: str
    ref_id: int | None
    rule: dict[str, Any]
    payload: dict[str, Any]
    due_at: datetime
    owner_id: int | None
    unit_id: int | None


@dataclass(frozen=True)
class Settled:
    """What became of a claimed row: fired or not, the times that passed unfired, and when it is next due."""

    item: DueItem
    next_at: datetime | None
    fired_at: datetime | None  # the time it fired for, or None
    missed: int = 0
    missed_at: datetime | None = None
    failed: bool = False


def add(
    tx: Tx,
    kind: str,
    rule: dict[str, Any],
    due_at: datetime,
    *,
    ref_id: int | None = None,
    payload: dict[str, Any] | None = None,
    owner_id: int | None = None,
    unit_id: int | None = None,
) -> ScheduledItem:
    item = ScheduledItem(
        kind=kind,
        ref_id=ref_id,
        rule=rule,
        payload=payload or {},
        state=ACTIVE,
        due_at=due_at,
        owner_id=owner_id,
        unit_id=unit_id,
        fired_count=0,
        missed_count=0,
        created_at=tx.now,
    )
    tx.session.add(item)
    tx.session.flush()
    return item


def cancel(tx: Tx, item_id: int) -> bool:
    """Cancel an active row; False when it had fired for the last time or was cancelled already."""
    result = tx.session.execute(
        update(_SCHEDULE)
        .where(_SCHEDULE.c.id == item_id, _SCHEDULE.c.state == ACTIVE)
        .values(state="cancelled", due_at=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def reschedule(tx: Tx, item_id: int, rule: dict[str, Any], due_at: datetime, payload: dict[str, Any]) -> bool:
    """Put an active row on a new rule, next due at `due_at`, in one statement (so a cancel or another
    change at the same moment sees all of it or none); False when it is no longer active."""
    result = tx.session.execute(
        update(_SCHEDULE)
        .where(_SCHEDULE.c.id == item_id, _SCHEDULE.c.state == ACTIVE)
        .values(rule=rule, due_at=due_at, payload=payload)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def cancel_for(tx: Tx, kind: str, ref_id: int) -> int:
    """Cancel every active row of `kind` for `ref_id` (a poll closed early, a campaign called off)."""
    result = tx.session.execute(
        update(_SCHEDULE)
        .where(_SCHEDULE.c.kind == kind, _SCHEDULE.c.ref_id == ref_id, _SCHEDULE.c.state == ACTIVE)
        .values(state="cancelled", due_at=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def get(tx: Tx, item_id: int) -> ScheduledItem | None:
    return tx.session.get(ScheduledItem, item_id)


def _due(dialect: str) -> Select[Any]:
    statement = (
        select(_SCHEDULE)
        .where(_SCHEDULE.c.state == ACTIVE, _SCHEDULE.c.due_at <= bindparam("now"))
        .order_by(_SCHEDULE.c.due_at, _SCHEDULE.c.id)
        .limit(bindparam("limit"))
    )
    if dialect == "postgresql":
        # Rows another replica is firing are passed over, not waited for: it settles them.
        statement = statement.with_for_update(skip_locked=True)
    return statement


def claim_due(tx: Tx, limit: int) -> list[DueItem]:
    """Up to `limit` rows due by now, held until this transaction ends.

    On PostgreSQL each row is locked (`FOR UPDATE SKIP LOCKED`), so replicas ticking at once take
    different rows; SQLite runs one writing transaction at a time. Either way the firing and the
    settling happen in the same transaction as the claim: a crash undoes all three.
    """
    rows = tx.session.execute(_due(tx.dialect), {"now": tx.now, "limit": limit}).mappings()
    return [
        DueItem(
            id=row["id"],
            kind=row["kind"],
            ref_id=row["ref_id"],
            rule=row["rule"],
            payload=row["payload"],
            due_at=row["due_at"],
            owner_id=row["owner_id"],
            unit_id=row["unit_id"],
        )
        for row in rows
    ]


_SETTLE = (
    update(_SCHEDULE)
    # The row must still be due at the time it was claimed for: settled once, whatever else runs.
    .where(
        _SCHEDULE.c.id == bindparam("item_id"),
        _SCHEDULE.c.state == ACTIVE,
        _SCHEDULE.c.due_at == bindparam("was_due"),
    )
    .values(
        due_at=bindparam("next_at"),
        state=bindparam("state"),
        fired_count=_SCHEDULE.c.fired_count + bindparam("fired"),
        last_fired_at=func.coalesce(
            bindparam("fired_at", type_=_SCHEDULE.c.last_fired_at.type), _SCHEDULE.c.last_fired_at
        ),
        missed_count=_SCHEDULE.c.missed_count + bindparam("missed"),
        last_missed_at=func.coalesce(
            bindparam("missed_at", type_=_SCHEDULE.c.last_missed_at.type), _SCHEDULE.c.last_missed_at
        ),
    )
)


def settle(tx: Tx, settled: Sequence[Settled]) -> None:
    """Move each claimed row on to its next time, or finish it (done; failed when its firing broke)."""
    if not settled:
        return
    tx.session.execute(
        _SETTLE,
        [
            {
                "item_id": each.item.id,
                "was_due": each.item.due_at,
                "next_at": None if each.failed else each.next_at,
                "state": "failed" if each.failed else (ACTIVE if each.next_at is not None else "done"),
                "fired": 1 if each.fired_at is not None else 0,
                "fired_at": each.fired_at,
                "missed": each.missed,
                "missed_at": each.missed_at,
            }
            for each in settled
        ],
    )


def listing(
    tx: Tx,
    kinds: Collection[str],
    *,
    owner_id: int | None = None,
    unit_ids: Collection[int] | None = None,
    include_finished: bool = False,
    limit: int = 50,
) -> list[ScheduledItem]:
    """Rows of `kinds` that `owner_id` made or that belong to `unit_ids` (either), soonest first."""
    whose = []
    if owner_id is not None:
        whose.append(ScheduledItem.owner_id == owner_id)
    if unit_ids:
        whose.append(ScheduledItem.unit_id.in_(list(unit_ids)))
    if not whose:
        return []
    statement = select(ScheduledItem).where(ScheduledItem.kind.in_(list(kinds)), or_(*whose))
    if not include_finished:
        statement = statement.where(
            (ScheduledItem.state == ACTIVE) | (ScheduledItem.missed_count > 0) & (ScheduledItem.state == "done")
        )
    order = case((ScheduledItem.due_at.is_(None), 1), else_=0)
    statement = statement.order_by(order, ScheduledItem.due_at, ScheduledItem.id).limit(limit)
    return list(tx.session.scalars(statement))


def active_count(tx: Tx, kinds: Collection[str], owner_id: int) -> int:
    """How many active rows of `kinds` a person has made (to cap reminders per person)."""
    return int(
        tx.session.scalar(
            select(func.count())
            .select_from(ScheduledItem)
            .where(
                and_(
                    ScheduledItem.owner_id == owner_id,
                    ScheduledItem.kind.in_(list(kinds)),
                    ScheduledItem.state == ACTIVE,
                )
            )
        )
        or 0
    )
