"""Drains one platform's outbox: claim due notices, render them for their reader, deliver, mark."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.core import outbox
from bot.core.outbox import OutboxItem as OutboxItem  # re-exported for adapters
from bot.core.uow import UnitOfWork
from bot.i18n import translator
from bot.messages import Reply
from bot.registry import Registry

LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Delivered:
    """The platform took the message."""


@dataclass(frozen=True)
class RetryLater:
    """A passing failure (429, 5xx, network): try again after `seconds`."""

    seconds: float
    error: str


@dataclass(frozen=True)
class Undeliverable:
    """The platform will never take it for this recipient (blocked the bot, never started it)."""

    reason: str


DeliveryResult = Delivered | RetryLater | Undeliverable
SyncDeliver = Callable[[OutboxItem, Reply], DeliveryResult]
AsyncDeliver = Callable[[OutboxItem, Reply], Awaitable[DeliveryResult]]


class OutboxSender:
    def __init__(self, uow: UnitOfWork, registry: Registry, platform: str, batch: int = 50) -> None:
        self.uow = uow
        self.registry = registry
        self.platform = platform
        self.batch = batch

    def render(self, item: OutboxItem) -> Reply:
        return self.registry.render_notice(translator(item.locale), item.kind, item.payload)

    def claim(self) -> list[OutboxItem]:
        with self.uow.begin() as tx:
            return outbox.claim(tx, self.platform, self.batch, LEASE)

    def record(self, item: OutboxItem, result: DeliveryResult) -> None:
        with self.uow.begin() as tx:
            if isinstance(result, Delivered):
                outbox.mark_sent(tx, item.id)
            elif isinstance(result, RetryLater):
                outbox.mark_retry(tx, item.id, result.error, timedelta(seconds=result.seconds))
            else:
                outbox.mark_undeliverable(tx, item.id, result.reason)

    def unreachable(self, target: str) -> bool:
        """Whether the platform refused the latest direct notice to `target` (a person's id there)."""
        with self.uow.begin(write=False) as tx:
            return outbox.last_direct_notice_undeliverable(tx, self.platform, target)

    def drain(self, deliver: SyncDeliver) -> int:
        """Deliver everything due now, in order; how many were claimed."""
        claimed = 0
        while items := self.claim():
            claimed += len(items)
            for item in items:
                self.record(item, deliver(item, self.render(item)))
        return claimed

    async def drain_async(self, deliver: AsyncDeliver) -> int:
        """The same as `drain` for asyncio adapters, with recipients served concurrently.

        Each recipient's notices go out one after another, in order; different recipients' at once,
        so a rate-limited platform is paced by its limiter rather than by one request's latency.
        The next batch is claimed while this one is sent. Database work runs in a worker thread.
        """
        claimed = 0
        next_batch = asyncio.ensure_future(asyncio.to_thread(self.claim))
        while items := await next_batch:
            claimed += len(items)
            next_batch = asyncio.ensure_future(asyncio.to_thread(self.claim))
            try:
                await asyncio.gather(*(self._deliver_in_order(run, deliver) for run in _by_recipient(items)))
            except BaseException:
                next_batch.cancel()  # its claims lapse with the lease
                raise
        return claimed

    async def _deliver_in_order(self, items: list[OutboxItem], deliver: AsyncDeliver) -> None:
        for item in items:
            result = await deliver(item, self.render(item))
            await asyncio.to_thread(self.record, item, result)


def _by_recipient(items: list[OutboxItem]) -> list[list[OutboxItem]]:
    """The items grouped by recipient, each group in claim order."""
    runs: dict[tuple[str, str], list[OutboxItem]] = {}
    for item in items:
        runs.setdefault((item.target_kind, item.target), []).append(item)
    return list(runs.values())
