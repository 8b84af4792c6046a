"""The inbox service: stores deliveries before they are acknowledged, then runs each one once, in order.

An adapter calls `accept` before it acknowledges a delivery; the row is written together with others
arriving at the same moment (one transaction for all: a group commit) and, when this process has
room, claimed by it at once and handed to the adapter's handler. Deliveries of one conversation run
one after another, different conversations side by side, at most `concurrency` at a time. What this
process has no room for, and what a crashed process left behind, waits in the database until a
`poll` claims it; claims are leases that `renew` keeps alive while deliveries wait their turn.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.core import inbox
from bot.core.inbox import Backlog
from bot.core.inbox import InboxItem as InboxItem  # re-exported for adapters
from bot.core.inbox import NewDelivery as NewDelivery
from bot.core.uow import UnitOfWork

log = logging.getLogger("bot.inbox")

Handler = Callable[[InboxItem], Awaitable[str]]  # handles one delivery; says what it was, for the log
OrderKey = Callable[[InboxItem], str]  # deliveries with the same key are handled in arrival order
GROUP_COMMIT_LIMIT = 500


class NotStoredError(Exception):
    """A delivery could not be written down: it must not be acknowledged, so that it comes again."""


@dataclass(frozen=True)
class InboxSettings:
    lease: timedelta = timedelta(seconds=30)
    concurrency: int = 8
    max_held: int = 1000  # deliveries held in memory; the rest wait in the database
    retention: timedelta = timedelta(days=3)


@dataclass(frozen=True)
class _Route:
    handle: Handler
    order_key: OrderKey


class Inbox:
    """What platforms deliver, stored first and then handled once; shared by every adapter of a process."""

    def __init__(self, uow: UnitOfWork, settings: InboxSettings | None = None) -> None:
        self.uow = uow
        self.settings = settings or InboxSettings()
        self.owner = uuid.uuid4().hex  # this process's name on the rows it claims
        self._routes: dict[str, _Route] = {}
        self._running = False
        self._waiting: list[tuple[NewDelivery, asyncio.Future[bool]]] = []
        self._committing: asyncio.Task[None] | None = None
        self._held: dict[int, InboxItem] = {}
        self._queues: dict[tuple[str, str], deque[InboxItem]] = {}
        self._runners: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(self.settings.concurrency)
        self._drained = asyncio.Event()
        self._drained.set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._to_settle: list[int] = []
        self._settle_lock = threading.Lock()
        self._settling: asyncio.Task[None] | None = None

    def register(self, platform: str, handle: Handler, order_key: OrderKey) -> None:
        """The adapter that handles `platform`'s deliveries (call before `start`)."""
        self._routes[platform] = _Route(handle, order_key)

    # ------------------------------------------------------------------ storing

    async def accept(self, delivery: NewDelivery) -> bool:
        """Store the delivery before it is acknowledged; False if its key was stored before.

        Raises NotStoredError when it could not be stored: then it must not be acknowledged, so
        that the platform sends it again.
        """
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((delivery, future))
        if self._committing is None:
            self._committing = asyncio.create_task(self._commit_waiting())
        return await future

    async def _commit_waiting(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[:GROUP_COMMIT_LIMIT]
                del self._waiting[:GROUP_COMMIT_LIMIT]
                await self._commit(batch)
        finally:
            self._committing = None

    async def _commit(self, batch: list[tuple[NewDelivery, asyncio.Future[bool]]]) -> None:
        taking = self._running and len(self._held) + len(batch) <= self.settings.max_held
        try:
            items = await self.uow.run(self._store, [delivery for delivery, _ in batch], taking)
        except Exception as error:
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]  # not the SQL and its data
            for _, future in batch:
                if not future.done():
                    future.set_exception(NotStoredError(f"{type(error).__name__}: {reason}"))
            return
        for (_, future), item in zip(batch, items, strict=True):
            if item is not None and taking:
                self._enqueue(item)
            if not future.done():
                future.set_result(item is not None)

    def _store(self, deliveries: list[NewDelivery], taking: bool) -> list[InboxItem | None]:
        with self.uow.begin() as tx:
            return inbox.store(tx, deliveries, self.owner if taking else None, self.settings.lease)

    # ----------------------------------------------------------------- handling

    def _enqueue(self, item: InboxItem) -> None:
        route = self._routes.get(item.platform)
        if route is None:
            log.error("no adapter handles %s deliveries; delivery %s waits", item.platform, item.id)
            return
        key = (item.platform, route.order_key(item))
        self._held[item.id] = item
        self._drained.clear()
        queue = self._queues.get(key)
        if queue is not None:
            queue.append(item)
            return
        self._queues[key] = deque([item])
        runner = asyncio.create_task(self._run_in_order(key))
        self._runners.add(runner)
        runner.add_done_callback(self._runners.discard)

    async def _run_in_order(self, key: tuple[str, str]) -> None:
        queue = self._queues[key]
        try:
            while queue:
                item = queue[0]
                async with self._slots:
                    await self._handle(item)
                queue.popleft()
                self._held.pop(item.id, None)
        finally:
            del self._queues[key]
            if not self._held:
                self._drained.set()

    async def _handle(self, item: InboxItem) -> None:
        started = time.perf_counter()
        try:
            what = await self._routes[item.platform].handle(item)
        except Exception as error:  # the adapter could not make sense of it: it would fail again
            log.exception("%s delivery %s (%s) failed", item.platform, item.id, item.kind)
            await self.uow.run(self._give_up, item.id, repr(error))
            return
        ms = round((time.perf_counter() - started) * 1000)
        fields = {"platform": item.platform, "kind": item.kind, "command": what, "ms": ms}
        log.info("handled %s %s %s in %d ms", item.platform, item.kind, what, ms, extra=fields)

    def _give_up(self, delivery_id: int, error: str) -> None:
        try:
            with self.uow.begin() as tx:
                inbox.fail(tx, delivery_id, error)
        except Exception:
            log.exception("could not mark delivery %s failed", delivery_id)

    # ------------------------------------------------------------- settling

    def settle_later(self, delivery_id: int) -> None:
        """Mark a delivery handled soon, together with others (any thread may call this).

        For deliveries a command only read, or that asked nothing of the bot (chatter, a command for
        another bot): their handling wrote nothing to mark them in. The marks
        are written in one transaction a moment later; if the process dies first, the command runs
        again and is answered again, which changes nothing.
        """
        loop = self._loop
        if loop is None or loop.is_closed():  # not running in an event loop: mark it now
            self._mark_handled([delivery_id])
            return
        with self._settle_lock:
            self._to_settle.append(delivery_id)
        loop.call_soon_threadsafe(self._start_settling)

    def _start_settling(self) -> None:
        if self._settling is None:
            self._settling = asyncio.create_task(self._settle_waiting())

    async def _settle_waiting(self) -> None:
        try:
            while True:
                with self._settle_lock:
                    batch, self._to_settle = self._to_settle, []
                if not batch:
                    return
                try:
                    await self.uow.run(self._mark_handled, batch)
                except Exception as error:  # they stay pending and are handled (read) again later
                    log.warning("could not mark %d read deliveries handled: %s", len(batch), error)
        finally:
            self._settling = None

    def _mark_handled(self, delivery_ids: list[int]) -> None:
        with self.uow.begin() as tx:
            inbox.complete_all(tx, delivery_ids)

    # ------------------------------------------------------------ housekeeping

    async def start(self) -> None:
        """Take deliveries from now on, beginning with those left waiting (by a crash, or for room)."""
        self._loop = asyncio.get_running_loop()
        self._running = True
        await self.poll()

    async def stop(self, grace: float) -> bool:
        """Take no more; wait up to `grace` seconds for what is held. False if some were still running.

        What is left keeps its claim until the lease runs out; then another process (or this one,
        restarted) handles it.
        """
        self._running = False
        return await self.idle(grace)

    async def idle(self, timeout: float) -> bool:
        """Wait until every delivery this process holds has been handled and marked; False on timeout."""
        try:
            await asyncio.wait_for(self._drained.wait(), timeout)
            while self._settling is not None:
                await asyncio.wait_for(asyncio.shield(self._settling), timeout)
        except TimeoutError:
            return False
        return True

    async def poll(self) -> int:
        """Claim deliveries nobody holds, as many as there is room for; how many were claimed."""
        room = self.settings.max_held - len(self._held)
        if not self._running or room <= 0 or not self._routes:
            return 0
        items = await self.uow.run(self._claim, room)
        for item in items:
            self._enqueue(item)
        return len(items)

    def _claim(self, limit: int) -> list[InboxItem]:
        with self.uow.begin() as tx:
            return inbox.claim(tx, self.owner, limit, self.settings.lease, sorted(self._routes))

    async def renew(self) -> None:
        """Keep the claims on held deliveries alive while they wait their turn."""
        held = sorted(self._held)
        if held:
            await self.uow.run(self._renew, held)

    def _renew(self, held: list[int]) -> None:
        with self.uow.begin() as tx:
            inbox.renew(tx, self.owner, held, self.settings.lease)

    async def purge(self) -> int:
        """Delete deliveries settled longer ago than the retention time."""
        return await self.uow.run(self._purge)

    def _purge(self) -> int:
        with self.uow.begin() as tx:
            return inbox.purge(tx, tx.now - self.settings.retention)

    def backlog(self) -> Backlog:
        with self.uow.begin(write=False) as tx:
            return inbox.backlog(tx)

    def age(self, item: InboxItem) -> timedelta:
        """How long ago the delivery arrived, by the clock that stamped it."""
        return self.uow.clock.now() - item.received_at

    @property
    def held(self) -> int:
        return len(self._held)
