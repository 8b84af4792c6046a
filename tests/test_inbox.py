"""The inbox: stored before acknowledged, repeats dropped, each delivery handled once, in order per key,
and what a crashed process held picked up by the next one once its lease has run out."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.core import inbox
from bot.core.clock import ManualClock
from bot.core.inbox import InboxItem, NewDelivery
from bot.core.models import Idea, InboxDelivery, Person
from bot.core.uow import Tx
from bot.inbox_worker import Inbox, InboxSettings
from bot.messages import Actor, Command, Conversation
from tests.platform.loop_thread import LoopThread

PLATFORM = "console"
ROOM = Conversation(PLATFORM, "room", "channel")
LEASE = timedelta(seconds=30)


def idea_text(key: str) -> str:
    """A text no other key's resembles (so that none is held back as similar to another)."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{key} {digest[:12]} {digest[12:24]}"


def delivery(key: str, text: str = "", user: str = "astrid", room: str = "room") -> NewDelivery:
    return NewDelivery(PLATFORM, key, "command", {"text": text or idea_text(key), "user": user, "room": room})


def statuses(app: App) -> dict[str, str]:
    with app.uow.begin(write=False) as tx:
        rows = tx.session.execute(select(InboxDelivery.delivery_key, InboxDelivery.status))
        return {str(key): str(status) for key, status in rows}


def idea_texts(app: App) -> list[str]:
    with app.uow.begin(write=False) as tx:
        return sorted(tx.session.scalars(select(Idea.text)))


class Handler:
    """The adapter's part: turns a stored delivery into an /idea command and dispatches it."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.seen: list[str] = []
        self.running = 0
        self.most_at_once = 0

    async def __call__(self, item: InboxItem) -> str:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.sleep(0.002)  # lets other deliveries run meanwhile, as a platform call would
            actor = Actor(PLATFORM, item.payload["user"], item.payload["user"].capitalize())
            room = Conversation(PLATFORM, item.payload["room"], "channel")
            command = Command("idea", item.payload["text"], actor, room)
            await self.app.dispatcher.dispatch(command, item.id)
            self.seen.append(item.payload["text"])
        finally:
            self.running -= 1
        return "/idea"


def at_once(app: App, calls: list[Callable[[Tx], bool]]) -> list[bool]:
    """Run each call in its own transaction, all released together; the results, or what one raised."""
    barrier = threading.Barrier(len(calls))
    results: list[bool] = []
    errors: list[BaseException] = []

    def run(call: Callable[[Tx], bool]) -> None:
        try:
            barrier.wait()
            with app.uow.begin() as tx:
                results.append(call(tx))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    if errors:
        raise errors[0]
    return results


def by_user(item: InboxItem) -> str:
    return f"{item.payload['room']}:{item.payload['user']}"


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    running = LoopThread("inbox-test")
    yield running
    running.close()


def started(app: App, loop: LoopThread, settings: InboxSettings | None = None) -> tuple[Inbox, Handler]:
    service = Inbox(app.uow, settings or InboxSettings(lease=LEASE))
    handler = Handler(app)
    service.register(PLATFORM, handler, by_user)
    loop.run(service.start())
    return service, handler


def accept_all(loop: LoopThread, service: Inbox, deliveries: list[NewDelivery]) -> list[bool]:
    async def accept() -> list[bool]:
        return list(await asyncio.gather(*(service.accept(one) for one in deliveries)))

    return loop.run(accept())


# ---------------------------------------------------------------------------------------- the core


def test_a_repeated_key_is_stored_once_even_within_one_batch(app: App) -> None:
    with app.uow.begin() as tx:
        first = inbox.store(tx, [delivery("a"), delivery("b"), delivery("a")], "me", LEASE)
    with app.uow.begin() as tx:
        again = inbox.store(tx, [delivery("b"), delivery("c")], None, LEASE)
    assert [item is not None for item in first] == [True, True, False]
    assert [item is not None for item in again] == [False, True]
    assert statuses(app) == {"a": "pending", "b": "pending", "c": "pending"}


def test_completing_is_conditional_so_one_of_two_handlers_wins(app: App) -> None:
    with app.uow.begin() as tx:
        [item] = inbox.store(tx, [delivery("a")], "me", LEASE)
    assert item is not None
    outcomes = at_once(app, [lambda tx: inbox.complete(tx, item.id)] * 2)
    assert sorted(outcomes) == [False, True]
    with app.uow.begin() as tx:
        assert inbox.fail(tx, item.id, "too late") is False  # settled already: nothing changes
    assert statuses(app) == {"a": "handled"}


def test_claims_take_only_what_nobody_holds(app: App, clock: ManualClock) -> None:
    with app.uow.begin() as tx:
        inbox.store(tx, [delivery("held")], "alive", LEASE)
        inbox.store(tx, [delivery("free")], None, LEASE)
    with app.uow.begin() as tx:
        assert [item.payload["text"] for item in inbox.claim(tx, "other", 10, LEASE, [PLATFORM])] == [
            idea_text("free")
        ]
    with app.uow.begin() as tx:
        assert inbox.claim(tx, "third", 10, LEASE, [PLATFORM]) == []  # both are held now
    clock.advance(LEASE + timedelta(seconds=1))
    with app.uow.begin() as tx:
        inbox.renew(tx, "alive", [1], LEASE)  # the live holder keeps its claim
        taken = inbox.claim(tx, "third", 10, LEASE, [PLATFORM])
    assert [item.payload["text"] for item in taken] == [idea_text("free")]
    assert taken[0].attempts == 2


def test_settled_deliveries_are_purged_after_the_retention_time(app: App, clock: ManualClock) -> None:
    with app.uow.begin() as tx:
        items = inbox.store(tx, [delivery("old"), delivery("open")], "me", LEASE)
        inbox.complete(tx, items[0].id)  # type: ignore[union-attr]
    clock.advance(timedelta(days=4))
    with app.uow.begin() as tx:
        inbox.store(tx, [delivery("new")], "me", LEASE)
        assert inbox.purge(tx, tx.now - timedelta(days=3)) == 1
        backlog = inbox.backlog(tx)
    assert statuses(app) == {"open": "pending", "new": "pending"}  # waiting ones are never purged
    assert backlog.pending == 2 and backlog.oldest == clock.now() - timedelta(days=4)


# -------------------------------------------------------------------------------------- the service


def test_each_delivery_is_handled_once_and_repeats_are_dropped(app: App, loop: LoopThread) -> None:
    service, handler = started(app, loop)
    first = accept_all(loop, service, [delivery(f"k{n}", user=f"u{n % 3}") for n in range(30)])
    again = accept_all(loop, service, [delivery(f"k{n}", user=f"u{n % 3}") for n in range(30)])
    assert loop.run(service.idle(10))
    assert all(first) and not any(again)
    assert sorted(handler.seen) == sorted(idea_text(f"k{n}") for n in range(30))
    assert len(idea_texts(app)) == 30 and set(statuses(app).values()) == {"handled"}


def test_one_persons_deliveries_run_in_order_and_at_most_the_limit_at_once(app: App, loop: LoopThread) -> None:
    service, handler = started(app, loop, InboxSettings(lease=LEASE, concurrency=3))
    deliveries = [delivery(f"k{n:02d}", user=f"u{n % 5}") for n in range(40)]
    accept_all(loop, service, deliveries)
    assert loop.run(service.idle(10))
    for user in range(5):
        mine = [text for text in handler.seen if int(text[1:3]) % 5 == user]
        assert mine == sorted(mine)
    assert 1 < handler.most_at_once <= 3


def test_what_a_crashed_process_held_is_handled_once_after_its_lease(
    settings: Settings, clock: ManualClock, loop: LoopThread
) -> None:
    crashed = build_app(settings, clock)
    dead = Inbox(crashed.uow, InboxSettings(lease=LEASE))
    dead.register(PLATFORM, Handler(crashed), by_user)  # it stored and claimed them, then died unhandled

    async def store_then_die() -> None:
        dead._running = True
        dead._routes.clear()  # nothing gets handled: the process is "killed" right after the ack
        await asyncio.gather(*(dead.accept(delivery(f"k{n}")) for n in range(5)))

    loop.run(store_then_die())
    crashed.close()

    restarted = build_app(settings, clock)
    try:
        service, handler = started(restarted, loop)
        assert handler.seen == [] and loop.run(service.poll()) == 0  # still held by the dead process
        clock.advance(LEASE + timedelta(seconds=1))
        assert loop.run(service.poll()) == 5
        assert loop.run(service.idle(10))
        assert sorted(handler.seen) == sorted(idea_text(f"k{n}") for n in range(5))
        assert len(idea_texts(restarted)) == 5
    finally:
        restarted.close()


def test_with_no_room_deliveries_wait_in_the_database_for_a_poll(app: App, loop: LoopThread) -> None:
    service, handler = started(app, loop, InboxSettings(lease=LEASE, max_held=4))
    accept_all(loop, service, [delivery(f"k{n}", user=f"u{n}") for n in range(10)])
    while loop.run(service.poll()):  # the scheduler's poll, called until nothing is left
        loop.run(service.idle(10))
    assert loop.run(service.idle(10))
    assert sorted(handler.seen) == sorted(idea_text(f"k{n}") for n in range(10))


def test_a_refused_delivery_is_settled_and_answered_once(app: App, loop: LoopThread) -> None:
    service, _ = started(app, loop)
    accept_all(loop, service, [delivery("empty", text=" ")])
    assert loop.run(service.idle(10))
    assert statuses(app) == {"empty": "handled"}
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(Person.display_name)).all() == []  # the refusal changed nothing


def test_a_handler_that_crashes_marks_its_delivery_failed(app: App, loop: LoopThread) -> None:
    service = Inbox(app.uow, InboxSettings(lease=LEASE))

    async def broken(item: InboxItem) -> str:
        raise KeyError("text")

    service.register(PLATFORM, broken, by_user)
    loop.run(service.start())
    accept_all(loop, service, [delivery("bad")])
    assert loop.run(service.idle(10))
    with app.uow.begin(write=False) as tx:
        row = tx.session.scalars(select(InboxDelivery)).one()
    assert row.status == "failed" and "KeyError" in (row.last_error or "")


def test_deliveries_that_only_read_are_marked_handled_together_after_their_answers(
    app: App, loop: LoopThread
) -> None:
    service = app.inbox
    answered: list[str] = []

    async def points(item: InboxItem) -> str:
        actor = Actor(PLATFORM, item.payload["user"], item.payload["user"].capitalize())
        reply = await app.dispatcher.dispatch(Command("points", "", actor, ROOM), item.id)
        answered.append(reply.text if reply else "")
        return "/points"

    service.register(PLATFORM, points, by_user)
    loop.run(service.start())
    app.dispatcher.handle(Command("me", "", Actor(PLATFORM, "astrid", "Astrid"), ROOM))  # known: reads only
    accept_all(loop, service, [delivery(f"p{n}", user="astrid") for n in range(20)])
    assert loop.run(service.idle(10))
    assert len(answered) == 20 and all(text.startswith(":star:") for text in answered)
    assert set(statuses(app).values()) == {"handled"}
