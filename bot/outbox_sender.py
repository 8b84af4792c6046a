"""Drains one platform's outbox: claim due notices, render them for their reader, deliver, mark."""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from bot.core import outbox, poll_native
from bot.core.outbox import OutboxItem as OutboxItem  # re-exported for adapters
from bot.core.poll_native import NativePoll as NativePoll
from bot.core.poll_native import NativeStop as NativeStop
from bot.core.poll_native import SentCopy as SentCopy
from bot.core.uow import Tx, UnitOfWork
from bot.i18n import translator
from bot.messages import Reply
from bot.registry import Registry

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
Claim = tuple[int, int]  # (outbox id, attempts): every claim counts an attempt, so this names one claim


@dataclass(frozen=True)
class Delivered:
    """The platform took the message; `poll` is where it went when it was sent as the platform's own poll."""

    poll: SentCopy | None = None


def native_poll_of(item: OutboxItem) -> NativePoll | None:
    """The poll to send as the platform's own poll instead of this notice (the core decided it may be)."""
    return poll_native.native_poll(item.kind, item.payload)


def native_stop_of(item: OutboxItem) -> NativeStop | None:
    """The platform's own poll this notice stops, if it is a stop notice."""
    return poll_native.native_stop(item.kind, item.payload)


@dataclass(frozen=True)
class RetryLater:
    """A passing failure (429, 5xx, network): try again after `seconds`."""

    seconds: float
    error: str


@dataclass(frozen=True)
class Undeliverable:
    """The platform will never take it for this recipient (blocked the bot, never started it)."""

    reason: str


@dataclass(frozen=True)
class ClaimLost:
    """When its turn came the sender no longer held the notice (taken over, or its lease ran out): not sent."""


DeliveryResult = Delivered | RetryLater | Undeliverable | ClaimLost
# Marks the notice as going out; an asynchronous delivery awaits it in its turn, right before the
# platform call, and sends only if it returns True (else it returns ClaimLost).
StartSending = Callable[[], Awaitable[bool]]
SyncDeliver = Callable[[OutboxItem, Reply], DeliveryResult]
AsyncDeliver = Callable[[OutboxItem, Reply, StartSending], Awaitable[DeliveryResult]]


class OutboxSender:
    """One sender: its claims carry its own name, so only it can send or settle what it claimed.

    While it works it renews its claims every third of the lease, so notices waiting for their
    turn (rate limits, a recipient's earlier notices) are never taken by another sender; if it
    dies, the renewals stop and the lease hands its notices to the next one.
    """

    def __init__(
        self, uow: UnitOfWork, registry: Registry, platform: str, batch: int = 50, lease: timedelta = LEASE
    ) -> None:
        self.uow = uow
        self.registry = registry
        self.platform = platform
        self.batch = batch
        self.lease = lease
        self.name = secrets.token_hex(8)
        self._held: set[Claim] = set()  # claimed and not yet settled
        self._held_lock = threading.Lock()  # claims and marks run in worker threads
        self._next_renewal = 0.0

    @property
    def renewal_interval(self) -> float:
        return self.lease.total_seconds() / 3

    def render(self, item: OutboxItem) -> Reply:
        return self.registry.render_notice(translator(item.locale), item.kind, item.payload)

    def claim(self, replies_to: str | None = None) -> list[OutboxItem]:
        with self.uow.begin() as tx:
            items = outbox.claim(tx, self.platform, self.batch, self.lease, self.name, replies_to)
        with self._held_lock:
            if not self._held:
                self._next_renewal = time.monotonic() + self.renewal_interval
            self._held.update(_claims(items))
        return items

    def start_sending(self, item: OutboxItem) -> bool:
        """Mark `item` as going out now; False (send nothing) if this sender no longer holds it."""
        with self.uow.begin() as tx:
            held = outbox.start_sending(tx, item, self.name, self.lease)
        if not held:
            self._settled([item])
            log.info("outbox %s on %s is no longer held by this sender; not sent here", item.id, self.platform)
        return held

    def record(self, item: OutboxItem, result: DeliveryResult) -> None:
        """Mark what became of `item`, if this sender still holds it."""
        with self.uow.begin() as tx:
            recorded = _mark(tx, item, self.name, result)
        self._settled([item])
        if not recorded:
            log.warning("outbox %s on %s was taken over while being sent (%s)", item.id, self.platform, result)

    def renew_claims(self) -> None:
        """Extend the lease on every notice this sender holds and has not settled (one UPDATE)."""
        with self._held_lock:
            held = sorted({outbox_id for outbox_id, _ in self._held})
            self._next_renewal = time.monotonic() + self.renewal_interval
        if held:
            with self.uow.begin() as tx:
                outbox.renew(tx, held, self.name, self.lease)

    def release(self, items: Sequence[OutboxItem] | None = None) -> None:
        """Hand back claims this sender will not send after all (`None`: all it holds) to others at once."""
        with self._held_lock:
            claims = set(self._held) if items is None else self._held & _claims(items)
        if claims:
            with self.uow.begin() as tx:
                outbox.release(tx, sorted(claims), self.name)
            with self._held_lock:
                self._held -= claims

    def _settled(self, items: Sequence[OutboxItem]) -> None:
        with self._held_lock:
            self._held -= _claims(items)

    def answers_waiting(self) -> int:
        with self.uow.begin(write=False) as tx:
            return outbox.answers_waiting(tx, self.platform)

    def unreachable(self, target: str) -> bool:
        """Whether the platform refused the latest direct notice to `target` (a person's id there)."""
        with self.uow.begin(write=False) as tx:
            return outbox.last_direct_notice_undeliverable(tx, self.platform, target)

    def drain(self, deliver: SyncDeliver) -> int:
        """Deliver everything due now, each recipient's notices in order; how many were claimed.

        For deliveries that do not wait for a turn (the console, tests): each notice is marked as
        going out just before `deliver` is called.
        """
        claimed = 0
        while items := self.claim():
            claimed += len(items)
            for run in _by_recipient(items):
                for position, item in enumerate(run):
                    if time.monotonic() >= self._next_renewal:
                        self.renew_claims()
                    if not self.start_sending(item):
                        self.release(run[position + 1 :])
                        break
                    self.record(item, deliver(item, self.render(item)))
        return claimed

    async def drain_async(self, deliver: AsyncDeliver, replies_to: str | None = None) -> int:
        """The same as `drain` for asyncio adapters, with recipients served concurrently.

        Each recipient's notices go out one after another, in order; different recipients' at once,
        so a rate-limited platform is paced by its limiter rather than by one request's latency.
        The next batch is claimed while this one is sent, and every claim held is renewed in the
        background until the drain ends. Database work runs in a database thread. With `replies_to`
        (a conversation), only the answers queued for it are sent.
        """
        claimed: list[OutboxItem] = []
        renewals = asyncio.ensure_future(self._renew_while_draining())
        next_batch = asyncio.ensure_future(self.uow.run(self.claim, replies_to))
        try:
            items = await next_batch
            while items:
                claimed.extend(items)
                next_batch = asyncio.ensure_future(self.uow.run(self.claim, replies_to))
                await asyncio.gather(*(self._deliver_in_order(run, deliver) for run in _by_recipient(items)))
                # A recipient served just now was held while the next batch was claimed: ask again.
                items = await next_batch or await self.uow.run(self.claim, replies_to)
        finally:
            renewals.cancel()
            await self._release_on_the_way_out(next_batch, claimed)
        return len(claimed)

    async def _deliver_in_order(self, run: list[OutboxItem], deliver: AsyncDeliver) -> None:
        for position, item in enumerate(run):
            lost = False

            async def start_sending(item: OutboxItem = item) -> bool:
                nonlocal lost
                lost = not await self.uow.run(self.start_sending, item)
                return not lost

            result = await deliver(item, self.render(item), start_sending)
            if lost or isinstance(result, ClaimLost):
                # Sending the rest here could overtake it: whoever claims the recipient next sends them.
                await self.uow.run(self.release, run[position:])
                return
            await self.uow.run(self.record, item, result)

    async def _renew_while_draining(self) -> None:
        """Renew on a thread of its own, so that renewals never queue behind the drain's marks."""
        loop = asyncio.get_running_loop()
        renewer = ThreadPoolExecutor(1, thread_name_prefix=f"outbox-renewals-{self.platform}")
        try:
            while True:
                await asyncio.sleep(self.renewal_interval)
                try:
                    await loop.run_in_executor(renewer, self.renew_claims)
                except Exception:  # the next renewal may get through; the lease covers two more tries
                    log.exception("renewing outbox claims on %s failed", self.platform)
        finally:
            renewer.shutdown(wait=False)

    async def _release_on_the_way_out(
        self, claiming: asyncio.Future[list[OutboxItem]], claimed: list[OutboxItem]
    ) -> None:
        """Let a claim under way finish (its thread runs on regardless), then hand back what this drain
        claimed and did not send. Only its own: other drains of this sender (a conversation's answers
        sent at once) may be running, and handing back their claims would let a third take them."""
        await asyncio.wait([claiming])
        if not claiming.cancelled() and claiming.exception() is None:
            claimed = [*claimed, *claiming.result()]
        try:
            await self.uow.run(self.release, claimed)
        except Exception:  # the leases run out instead
            log.exception("releasing outbox claims on %s failed", self.platform)


def _mark(tx: Tx, item: OutboxItem, holder: str, result: DeliveryResult) -> bool:
    if isinstance(result, Delivered):
        if result.poll is not None:  # recorded with the send, so its answers find their poll
            poll_native.record_copy(tx, result.poll)
        return outbox.mark_sent(tx, item, holder)
    if isinstance(result, RetryLater):
        return outbox.mark_retry(tx, item, holder, result.error, timedelta(seconds=result.seconds))
    if isinstance(result, Undeliverable):
        return outbox.mark_undeliverable(tx, item, holder, result.reason)
    return True  # ClaimLost: nothing to mark


def _claims(items: Sequence[OutboxItem]) -> set[Claim]:
    return {(item.id, item.attempts) for item in items}


def _by_recipient(items: list[OutboxItem]) -> list[list[OutboxItem]]:
    """The items grouped by recipient, each group in claim order."""
    runs: dict[tuple[str, str], list[OutboxItem]] = {}
    for item in items:
        runs.setdefault((item.target_kind, item.target), []).append(item)
    return list(runs.values())
