"""The due-item loop: claim what is due, fire it within its grace or record it missed, move it on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core import schedule
from bot.core.db import retryable, unavailable
from bot.core.schedule import DueItem, Settled
from bot.core.uow import Tx, UnitOfWork
from campaigns.recurrence import Rule, latest_between, next_after

log = logging.getLogger(__name__)
BATCH = 500
DEFAULT_GRACE = timedelta(hours=1)

# Fires a batch of one kind's items, each with the time it fires for, in the claiming transaction.
Firing = Callable[[Tx, Sequence[tuple[DueItem, datetime]]], None]


@dataclass(frozen=True)
class Kind:
    """How one kind of item fires; `late_is_fine` for what must happen however late (a poll's close)."""

    fire: Firing
    late_is_fine: bool = False


@dataclass
class TickReport:
    fired: int = 0
    missed: int = 0
    failed: int = 0
    batches: int = 0
    fired_kinds: set[str] = field(default_factory=set)


@dataclass
class Ticker:
    """Runs the loop for a set of kinds. An item fires up to `grace` late, or as `graces` says for its
    kind (None: however late); a kind whose lateness is fine always fires."""

    uow: UnitOfWork
    kinds: Mapping[str, Kind]
    grace: timedelta = DEFAULT_GRACE
    graces: Mapping[str, timedelta | None] = field(default_factory=dict)
    batch: int = BATCH

    def grace_for(self, kind: str) -> timedelta | None:
        if kind in self.graces:
            return self.graces[kind]
        known = self.kinds.get(kind)
        return None if known is not None and known.late_is_fine else self.grace

    def tick(self) -> TickReport:
        """Fire everything due now, a batch per transaction, until nothing is left (in a database thread).

        When the database is busy or away, what was due stays due for the next tick.
        """
        report = TickReport()
        try:
            while True:
                claimed = self._batch(report)
                if claimed < self.batch:
                    return report
        except Exception as error:
            if not _passing(error):
                raise
            log.warning(
                "the schedule could not be checked now (%s); the next tick tries again", _first_line(error)
            )
            return report

    def _batch(self, report: TickReport) -> int:
        try:
            with self.uow.begin() as tx:
                due = schedule.claim_due(tx, self.batch)
                plans = [self.plan(item, tx.now) for item in due]
                self._fire(tx, plans)
                schedule.settle(tx, plans)
        except Exception as error:
            if _passing(error):
                raise
            # One item's firing broke: the batch is undone; fire each alone so the rest still go.
            log.exception("a scheduled batch failed; firing its items one at a time")
            return self._one_by_one(report)
        self._count(report, plans)
        return len(due)

    def _one_by_one(self, report: TickReport) -> int:
        with self.uow.begin() as tx:
            due = schedule.claim_due(tx, self.batch)
            plans: list[Settled] = []
            for item in due:
                plan = self.plan(item, tx.now)
                try:
                    with tx.session.begin_nested():
                        self._fire(tx, [plan])
                except Exception as error:
                    if _passing(error):
                        raise  # the database's trouble, not the item's: all of it waits for the next tick
                    log.exception("scheduled item %s (%s) failed and is stopped", item.id, item.kind)
                    plan = Settled(item, next_at=None, fired_at=None, failed=True)
                plans.append(plan)
            schedule.settle(tx, plans)
        self._count(report, plans)
        return len(due)

    def plan(self, item: DueItem, now: datetime) -> Settled:
        """Whether `item` fires now, which of its times passed unfired, and when it is due next.

        Of the times that passed while no replica ran, only the latest may fire, and only within
        the kind's grace; the others are counted as missed. Nothing fires twice.
        """
        rule = Rule.from_dict(item.rule)
        grace = self.grace_for(item.kind)
        latest, count = latest_between(rule, item.due_at, now) if rule.recurring else (item.due_at, 1)
        latest = latest or item.due_at
        on_time = grace is None or now - latest <= grace
        missed = count - 1 if on_time else count
        return Settled(
            item,
            next_at=next_after(rule, now) if rule.recurring else None,
            fired_at=latest if on_time else None,
            missed=missed,
            missed_at=None if not missed else (latest if not on_time else item.due_at),
        )

    def _fire(self, tx: Tx, plans: Sequence[Settled]) -> None:
        by_kind: dict[str, list[tuple[DueItem, datetime]]] = {}
        for plan in plans:
            if plan.fired_at is not None:
                by_kind.setdefault(plan.item.kind, []).append((plan.item, plan.fired_at))
        for kind, items in by_kind.items():
            known = self.kinds.get(kind)
            if known is None:
                raise LookupError(f"no firing for scheduled kind {kind!r}")
            known.fire(tx, items)

    @staticmethod
    def _count(report: TickReport, plans: Sequence[Settled]) -> None:
        report.batches += 1
        for plan in plans:
            report.missed += plan.missed
            if plan.failed:
                report.failed += 1
            elif plan.fired_at is not None:
                report.fired += 1
                report.fired_kinds.add(plan.item.kind)


def _passing(error: BaseException) -> bool:
    """A database that is busy, away or rolled a conflict back: nothing wrong with the items themselves."""
    return unavailable(error) or retryable(error)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
