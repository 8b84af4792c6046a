"""Outbox claims: a notice goes out once while its claim is held, each recipient's in order, leases renewed."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.adapters.slack.outbox import ChannelPacer
from bot.app import App
from bot.core import outbox
from bot.core.clock import ManualClock, SystemClock
from bot.core.models import OutboxMessage
from bot.core.people import resolve_actor
from bot.core.uow import UnitOfWork
from bot.messages import Actor, Reply
from bot.outbox_sender import (
    LEASE,
    AsyncDeliver,
    ClaimLost,
    Delivered,
    DeliveryResult,
    OutboxItem,
    OutboxSender,
    StartSending,
)

DEADLINE_SECONDS = 20.0


def queue_kudos(app: App, plan: list[str]) -> None:
    """One kudos notice on Slack per entry of `plan` (a recipient's user id), in that order.

    Each recipient's notices read "note 0", "note 1", ... in the order they were queued.
    """
    with app.uow.begin() as tx:
        people = {user: resolve_actor(tx, Actor("slack", user, f"Person {user}")) for user in set(plan)}
        queued: Counter[str] = Counter()
        for user in plan:
            payload = {"from": "Astrid", "reason": f"note {queued[user]}", "points": 1}
            assert outbox.notify_person(tx, people[user], "kudos_received", payload)
            queued[user] += 1


def statuses(app: App) -> Counter[str]:
    with app.uow.begin(write=False) as tx:
        return Counter(tx.session.scalars(select(OutboxMessage.status)))


def lease_ends(app: App) -> list[datetime]:
    """When the claim on each held notice runs out."""
    with app.uow.begin(write=False) as tx:
        held = select(OutboxMessage.claimed_until).where(OutboxMessage.claimed_until.is_not(None))
        return [moment for moment in tx.session.scalars(held) if moment is not None]


async def eventually(check: Callable[[], bool]) -> None:
    """Poll `check` (a database read, run in a thread) until it holds; fail only if the deadline passes."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not await asyncio.to_thread(check):
        assert time.monotonic() < deadline, "gave up waiting"
        await asyncio.sleep(0.01)


def reason(item: OutboxItem) -> str:
    return str(item.payload["reason"])


class RecordingPlatform:
    """Every send, by whom, and any two sends to one chat that were on their way at the same time."""

    def __init__(self) -> None:
        self.sends: list[tuple[str, OutboxItem]] = []
        self.overlapping: list[str] = []
        self._on_the_way: set[str] = set()
        self._lock = threading.Lock()

    @contextmanager
    def sending(self, sender: str, item: OutboxItem) -> Iterator[None]:
        with self._lock:
            if item.target in self._on_the_way:
                self.overlapping.append(item.target)
            self._on_the_way.add(item.target)
            self.sends.append((sender, item))
        try:
            yield
        finally:
            with self._lock:
                self._on_the_way.discard(item.target)


def paced_delivery(platform: RecordingPlatform, sender: OutboxSender, pacer: ChannelPacer) -> AsyncDeliver:
    """Delivers as the Slack adapter does: in the channel's turn, marked as going out, then sent."""

    async def deliver(item: OutboxItem, reply: Reply, start_sending: StartSending) -> Delivered | ClaimLost:
        async with pacer.turn(item.target):
            if not await start_sending():
                return ClaimLost()
            with platform.sending(sender.name, item):
                await asyncio.sleep(0.001)  # the request on its way
        return Delivered()

    return deliver


def test_two_paced_senders_send_every_notice_once_and_each_recipients_in_order(app: App) -> None:
    """Two replicas drain 1,200 notices, paced 50 a second per chat, for several times the 1.5 s lease.

    Each claims 50 notices, and the next 50 while it sends them; claims are renewed while they wait.
    """
    recipients = [f"U{number:04}" for number in range(300)]
    plan = [user for user in recipients for _ in range(4)]
    random.Random(7).shuffle(plan)
    queue_kudos(app, plan)
    real_time = UnitOfWork(app.engine, app.uow.policy, SystemClock())
    senders = [OutboxSender(real_time, app.registry, "slack", lease=timedelta(seconds=1.5)) for _ in range(2)]
    platform = RecordingPlatform()
    start_together = threading.Barrier(len(senders))

    def drain(sender: OutboxSender) -> int:
        start_together.wait()
        pacer = ChannelPacer(interval=0.02)
        return asyncio.run(sender.drain_async(paced_delivery(platform, sender, pacer)))

    with ThreadPoolExecutor(len(senders)) as pool:
        claimed = [future.result(timeout=120) for future in [pool.submit(drain, sender) for sender in senders]]

    assert sum(claimed) >= len(plan)
    sent_ids = Counter(item.id for _, item in platform.sends)
    assert len(sent_ids) == len(plan) and set(sent_ids.values()) == {1}
    by_recipient: defaultdict[str, list[str]] = defaultdict(list)
    for _, item in platform.sends:
        by_recipient[item.target].append(reason(item))
    assert all(notes == ["note 0", "note 1", "note 2", "note 3"] for notes in by_recipient.values())
    assert len(by_recipient) == len(recipients)
    assert platform.overlapping == []
    assert {sender for sender, _ in platform.sends} == {sender.name for sender in senders}  # both took part
    assert statuses(app) == Counter({"sent": len(plan)})


def test_claims_are_renewed_while_their_notices_wait_so_no_one_else_takes_them(
    app: App, clock: ManualClock
) -> None:
    queue_kudos(app, ["U1", "U1"])
    lease = timedelta(seconds=0.3)  # renewed every 0.1 s of real time; it runs out on the ManualClock
    holder = OutboxSender(app.uow, app.registry, "slack", lease=lease)
    rival = OutboxSender(app.uow, app.registry, "slack", lease=lease)
    taken_by_rival: list[OutboxItem] = []
    sent: list[str] = []

    async def deliver(item: OutboxItem, reply: Reply, start_sending: StartSending) -> Delivered:
        if not sent:  # the first notice's turn is slow in coming
            first_lease_ends = max(lease_ends(app))
            clock.advance(timedelta(seconds=0.2))
            await eventually(lambda: min(lease_ends(app)) > first_lease_ends)  # renewed
            clock.advance(timedelta(seconds=0.2))  # past the first lease, within the renewed one
            taken_by_rival.extend(await asyncio.to_thread(rival.claim))
        assert await start_sending()
        sent.append(reason(item))
        return Delivered()

    assert asyncio.run(holder.drain_async(deliver)) == 2
    assert taken_by_rival == []
    assert sent == ["note 0", "note 1"]
    assert statuses(app) == Counter({"sent": 2})


def test_a_batch_that_outlived_its_lease_waiting_behind_the_one_being_sent_goes_out_once(
    app: App, clock: ManualClock
) -> None:
    """The review's duplicates: the next batch, claimed while one is sent, waited longer than its lease
    behind paced sends, and the claim made when it started took the same notices again."""
    queue_kudos(app, ["U1", "U2", "U3", "U3"])
    sender = OutboxSender(app.uow, app.registry, "slack", batch=2)
    sent: list[tuple[str, str]] = []
    slow_turns = [True]

    async def deliver(item: OutboxItem, reply: Reply, start_sending: StartSending) -> DeliveryResult:
        if slow_turns:
            slow_turns.clear()
            clock.advance(LEASE + timedelta(seconds=1))  # before the first renewal is due
        if not await start_sending():
            return ClaimLost()
        sent.append((item.target, reason(item)))
        return Delivered()

    asyncio.run(sender.drain_async(deliver))
    assert sorted(sent) == [("U1", "note 0"), ("U2", "note 0"), ("U3", "note 0"), ("U3", "note 1")]
    assert [note for target, note in sent if target == "U3"] == ["note 0", "note 1"]
    assert statuses(app) == Counter({"sent": 4})


def test_a_sender_whose_claim_ran_out_and_was_taken_over_sends_nothing(app: App, clock: ManualClock) -> None:
    queue_kudos(app, ["U1", "U1", "U9"])
    slow = OutboxSender(app.uow, app.registry, "slack", batch=2)  # U1's two; U9's is claimed meanwhile
    other = OutboxSender(app.uow, app.registry, "slack")
    taken: list[OutboxItem] = []
    turns: list[tuple[str, str]] = []
    sent_by_slow: list[OutboxItem] = []

    def claimed_by_slow(target: str) -> bool:
        with app.uow.begin(write=False) as tx:
            row = tx.session.scalars(select(OutboxMessage).where(OutboxMessage.target == target)).one()
            return row.claimed_by == slow.name

    async def slow_delivery(item: OutboxItem, reply: Reply, start_sending: StartSending) -> DeliveryResult:
        turns.append((item.target, reason(item)))
        if not taken:
            await eventually(lambda: claimed_by_slow("U9"))  # its next batch is claimed too
            clock.advance(LEASE + timedelta(seconds=1))  # its renewals did not get through, say
            taken.extend(await asyncio.to_thread(other.claim))  # ... and another sender took everything
        if not await start_sending():
            return ClaimLost()
        sent_by_slow.append(item)
        return Delivered()

    asyncio.run(slow.drain_async(slow_delivery))
    assert sent_by_slow == []
    assert turns == [("U1", "note 0"), ("U9", "note 0")]  # having lost U1's first, it left U1 alone
    assert [(item.target, reason(item)) for item in taken] == [
        ("U1", "note 0"),
        ("U1", "note 1"),
        ("U9", "note 0"),
    ]
    for item in taken:  # the one that took them sends them
        assert other.start_sending(item)
        other.record(item, Delivered())
    assert statuses(app) == Counter({"sent": 3})


def test_a_notice_left_sending_by_a_crashed_sender_goes_out_again_only_after_its_lease(
    app: App, clock: ManualClock
) -> None:
    queue_kudos(app, ["U1", "U1", "U2"])
    crashed = OutboxSender(app.uow, app.registry, "slack")
    first, _, _ = crashed.claim()  # U1's two notices and U2's
    assert crashed.start_sending(first)  # ... and the process dies while its request is on its way
    survivor = OutboxSender(app.uow, app.registry, "slack")
    sent: list[tuple[str, str]] = []

    def deliver(item: OutboxItem, reply: Reply) -> Delivered:
        sent.append((item.target, reason(item)))
        return Delivered()

    assert survivor.drain(deliver) == 0
    clock.advance(LEASE - timedelta(seconds=1))
    assert survivor.drain(deliver) == 0
    assert statuses(app) == Counter({"sending": 1, "pending": 2})
    clock.advance(timedelta(seconds=2))
    assert survivor.drain(deliver) == 3
    assert sent == [("U1", "note 0"), ("U1", "note 1"), ("U2", "note 0")]
    with app.uow.begin(write=False) as tx:
        assert tx.session.get_one(OutboxMessage, first.id).attempts == 2  # sent twice, at worst


def test_a_recipient_is_served_by_one_claim_at_a_time(app: App) -> None:
    queue_kudos(app, ["U1", "U2", "U1", "U2"])
    first = OutboxSender(app.uow, app.registry, "slack", batch=1)
    second = OutboxSender(app.uow, app.registry, "slack")
    [held] = first.claim()
    assert (held.target, reason(held)) == ("U1", "note 0")
    assert [(item.target, reason(item)) for item in second.claim()] == [("U2", "note 0"), ("U2", "note 1")]
    assert first.start_sending(held)
    first.record(held, Delivered())
    assert [(item.target, reason(item)) for item in second.claim()] == [("U1", "note 1")]


def test_a_drain_that_fails_hands_back_what_it_had_not_started(app: App) -> None:
    queue_kudos(app, ["U1", "U1", "U1"])
    failing = OutboxSender(app.uow, app.registry, "slack")
    rival = OutboxSender(app.uow, app.registry, "slack")

    async def broken(item: OutboxItem, reply: Reply, start_sending: StartSending) -> Delivered:
        raise RuntimeError("the adapter fell over")

    with pytest.raises(RuntimeError):
        asyncio.run(failing.drain_async(broken))
    assert [reason(item) for item in rival.claim()] == ["note 0", "note 1", "note 2"]  # no lease to wait out


def test_a_stale_turn_sends_nothing_once_its_own_sender_has_claimed_the_notice_again(
    app: App, clock: ManualClock
) -> None:
    queue_kudos(app, ["U1"])
    sender = OutboxSender(app.uow, app.registry, "slack")
    [stale] = sender.claim()
    clock.advance(LEASE + timedelta(seconds=1))
    [fresh] = sender.claim()
    assert (fresh.id, fresh.attempts) == (stale.id, stale.attempts + 1)
    assert not sender.start_sending(stale)  # every claim counts an attempt: the old one is void
    assert sender.start_sending(fresh)


def test_a_sender_whose_lease_ran_out_does_not_start_sending_even_if_no_one_took_the_notice(
    app: App, clock: ManualClock
) -> None:
    queue_kudos(app, ["U1", "U1"])
    late = OutboxSender(app.uow, app.registry, "slack")
    first, _ = late.claim()
    clock.advance(LEASE + timedelta(seconds=1))
    assert not late.start_sending(first)  # another sender could be claiming U1's next notice meanwhile
    assert statuses(app) == Counter({"pending": 2})
    next_sender = OutboxSender(app.uow, app.registry, "slack")
    assert [reason(item) for item in next_sender.claim()] == ["note 0", "note 1"]


def test_a_drain_that_ends_hands_back_only_its_own_claims_not_those_of_another_drain_of_its_sender(
    app: App,
) -> None:
    """The Telegram adapter sends a conversation's answers at once, beside the outbox's own drain, on
    one sender. The short drain ending must not hand back what the long one holds and is pacing out
    (it did: the long drain's turns then found their claims gone, one ClaimLost per turn, and an
    answer waited ten seconds behind them)."""
    recipients = [f"U{number:03}" for number in range(60)]
    queue_kudos(app, recipients)
    sender = OutboxSender(app.uow, app.registry, "slack")
    sent: list[int] = []
    lost: list[int] = []
    pace = asyncio.Lock()

    async def paced(item: OutboxItem, reply: Reply, start_sending: StartSending) -> Delivered | ClaimLost:
        async with pace:  # one at a time, as a platform's rate limit sends them
            await asyncio.sleep(0.005)
            if not await start_sending():
                lost.append(item.id)
                return ClaimLost()
            sent.append(item.id)
        return Delivered()

    async def both() -> None:
        long_drain = asyncio.ensure_future(sender.drain_async(paced))
        while len(sent) < 5:
            await asyncio.sleep(0.001)
        assert await sender.drain_async(paced) == 0  # everything is held by the long drain
        await long_drain

    asyncio.run(both())
    assert lost == []
    assert sorted(sent) == sorted(set(sent)) and len(sent) == len(recipients)
    assert statuses(app) == Counter({"sent": len(recipients)})
