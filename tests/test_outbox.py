"""The outbox: notices are claimed under a lease, retried after passing failures, never sent twice."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.models import OutboxMessage
from bot.core.outbox import MAX_ATTEMPTS, OutboxItem
from bot.messages import Actor, Command, Conversation, Reply, mention
from bot.outbox_sender import Delivered, OutboxSender, RetryLater, StartSending, Undeliverable

ASTRID = Actor("slack", "U1", "Astrid")
MANAGER = Actor("slack", "U2", "Ingrid")
CHANNEL = Conversation("slack", "C1", "channel")


def kudos_notices(app: App, how_many: int) -> None:
    """Queue `how_many` kudos notices for Astrid on Slack (givers are fresh people, five each)."""
    app.dispatcher.handle(Command("me", "", ASTRID, CHANNEL))
    for number in range(how_many):
        giver = Actor("slack", f"G{number // 5}", f"Giver {number // 5}")
        reply = app.dispatcher.handle(
            Command("kudos", f"{mention('slack', 'U1')} thanks {number}", giver, CHANNEL, (ASTRID,))
        )
        assert reply is not None and not reply.is_error, reply


def statuses(app: App) -> Counter[str]:
    with app.uow.begin(write=False) as tx:
        return Counter(tx.session.scalars(select(OutboxMessage.status)))


def test_notices_are_rendered_in_the_recipients_language(app: App) -> None:
    swedish = Actor("slack", "U9", "Karin", locale="sv-SE")
    app.dispatcher.handle(Command("me", "", swedish, CHANNEL))
    app.dispatcher.handle(Command("kudos", f"{mention('slack', 'U9')} tack!", ASTRID, CHANNEL, (swedish,)))
    seen: list[tuple[str, Reply]] = []

    def deliver(item: OutboxItem, reply: Reply) -> Delivered:
        seen.append((item.locale, reply))
        return Delivered()

    assert app.sender("slack").drain(deliver) == 1
    [(locale, reply)] = seen
    assert locale == "sv"
    assert reply.text.startswith(":seedling:") and "Astrid" in reply.text


def test_passing_failures_are_retried_later_and_sent_once(app: App, clock: ManualClock) -> None:
    kudos_notices(app, 3)
    sender = app.sender("slack")
    delivered: list[int] = []

    def flaky(item: OutboxItem, reply: Reply) -> Delivered | RetryLater:
        if item.attempts == 1:
            return RetryLater(30, "HTTP 500")
        delivered.append(item.id)
        return Delivered()

    assert sender.drain(flaky) == 3
    assert delivered == [] and statuses(app) == Counter({"pending": 3})
    assert sender.drain(flaky) == 0  # not due yet
    clock.advance(timedelta(seconds=31))
    assert sender.drain(flaky) == 3
    assert delivered == [1, 2, 3] and statuses(app) == Counter({"sent": 3})
    clock.advance(timedelta(hours=1))
    assert sender.drain(flaky) == 0


def test_a_recipient_the_platform_refuses_is_marked_and_not_retried(app: App, clock: ManualClock) -> None:
    kudos_notices(app, 1)
    sender = app.sender("slack")
    assert sender.drain(lambda item, reply: Undeliverable("Forbidden: bot was blocked by the user")) == 1
    clock.advance(timedelta(days=1))
    assert sender.drain(lambda item, reply: Delivered()) == 0
    with app.uow.begin(write=False) as tx:
        row = tx.session.scalars(select(OutboxMessage)).one()
    assert (row.status, row.last_error) == ("undeliverable", "Forbidden: bot was blocked by the user")


def test_a_notice_that_keeps_failing_ends_as_failed(app: App, clock: ManualClock) -> None:
    kudos_notices(app, 1)
    sender = app.sender("slack")
    for _ in range(MAX_ATTEMPTS):
        sender.drain(lambda item, reply: RetryLater(1, "HTTP 503"))
        clock.advance(timedelta(seconds=2))
    assert statuses(app) == Counter({"failed": 1})


def test_a_crashed_sender_leaves_its_claims_to_others_after_the_lease(app: App, clock: ManualClock) -> None:
    kudos_notices(app, 2)
    crashed = app.sender("slack")
    assert len(crashed.claim()) == 2  # ... and the process dies before delivering
    survivor = app.sender("slack")
    assert survivor.drain(lambda item, reply: Delivered()) == 0
    clock.advance(timedelta(minutes=3))
    assert survivor.drain(lambda item, reply: Delivered()) == 2


def test_two_senders_draining_at_once_send_each_notice_once(app: App) -> None:
    kudos_notices(app, 40)
    sent: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(2)

    def deliver(item: OutboxItem, reply: Reply) -> Delivered:
        with lock:
            sent.append(item.id)
        return Delivered()

    def drain() -> None:
        barrier.wait()
        OutboxSender(app.uow, app.registry, "slack", batch=5).drain(deliver)

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(sent) == list(range(1, 41))
    assert statuses(app) == Counter({"sent": 40})


def test_the_async_drain_serves_recipients_at_once_and_each_one_in_order(app: App) -> None:
    recipients = [Actor("slack", f"U{number}", f"Person {number}") for number in range(3, 6)]
    for recipient in recipients:
        app.dispatcher.handle(Command("me", "", recipient, CHANNEL))
    for round_number in range(2):
        giver = Actor("slack", f"G{round_number}", f"Giver {round_number}")
        for recipient in recipients:
            text = f"{mention('slack', recipient.external_id)} thanks {round_number}"
            app.dispatcher.handle(Command("kudos", text, giver, CHANNEL, (recipient,)))
    delivered: list[tuple[str, int]] = []

    async def scenario() -> int:
        everyone_started = asyncio.Event()
        started: set[str] = set()

        async def deliver(item: OutboxItem, reply: Reply, start_sending: StartSending) -> Delivered:
            assert await start_sending()
            started.add(item.target)
            if len(started) == len(recipients):
                everyone_started.set()
            await asyncio.wait_for(everyone_started.wait(), 5)  # times out if served one by one
            delivered.append((item.target, item.id))
            return Delivered()

        return await app.sender("slack").drain_async(deliver)

    assert asyncio.run(scenario()) == 6
    for recipient in recipients:
        ids = [item_id for target, item_id in delivered if target == recipient.external_id]
        assert len(ids) == 2 and ids == sorted(ids)
    assert statuses(app) == Counter({"sent": 6})


def test_two_async_drains_at_once_send_each_notice_once(app: App) -> None:
    kudos_notices(app, 40)
    sent: list[int] = []

    async def deliver(item: OutboxItem, reply: Reply, start_sending: StartSending) -> Delivered:
        await asyncio.sleep(0)
        assert await start_sending()
        sent.append(item.id)
        return Delivered()

    async def scenario() -> None:
        senders = [OutboxSender(app.uow, app.registry, "slack", batch=5) for _ in range(2)]
        await asyncio.gather(*(sender.drain_async(deliver) for sender in senders))

    asyncio.run(scenario())
    assert sorted(sent) == list(range(1, 41))
    assert statuses(app) == Counter({"sent": 40})
