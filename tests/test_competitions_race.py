"""The end firing and managers ending competitions by hand at the same moment: each competition's winners
are announced once, on SQLite and PostgreSQL alike, and nothing deadlocks."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.models import Competition, OutboxMessage, ScheduledItem
from bot.messages import Actor, Command, Conversation, Reply
from tests.chat import Chat
from tests.concurrency import HANG
from tests.test_competitions import ENDS_AT, TWO_WEEKS, earn, units

ROUNDS = 10
ROOM = Conversation("console", "race", "channel")
ADMIN = Actor("console", "admin", "Admin")


def end_all_at_once(app: App, ids: list[int]) -> list[Reply]:
    """The tick and one `/competition end` per competition, released together; the replies to the ends."""
    barrier = threading.Barrier(len(ids) + 1)
    replies: dict[int, Reply] = {}
    raised: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(HANG)
            if index == len(ids):
                app.ticker.tick()
                return
            reply = app.dispatcher.handle(Command("competition", f"end {ids[index]}", ADMIN, ROOM))
            assert reply is not None
            replies[index] = reply
        except BaseException as error:
            raised.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(index,), daemon=True) for index in range(len(ids) + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG)
    assert not raised, raised
    assert not any(thread.is_alive() for thread in threads), "a thread hangs"
    return [replies[index] for index in range(len(ids))]


def test_the_end_firing_and_manual_ends_at_once_announce_the_winners_once(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    units(chat, {"North": ["ann"], "South": ["eva"]})
    chat.ok("admin", "/unit channel North")
    for k in range(ROUNDS):
        # The same units and days each round: each confirms it is meant ("anyway").
        line = f"/competition new units Round {k} {TWO_WEEKS} units North South standings daily"
        chat.ok("admin", f"{line} anyway")
    earn(app, "ann", 3)
    with app.uow.begin(write=False) as tx:
        ids = list(tx.session.scalars(select(Competition.id).order_by(Competition.id)))
    clock.set(ENDS_AT)
    replies = end_all_at_once(app, ids)
    for reply in replies:
        assert not reply.is_error or "has ended already" in reply.text, reply.text
    with app.uow.begin(write=False) as tx:
        finals = Counter(
            row.payload["id"]
            for row in tx.session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == "competition_final")
            )
        )
        states = {row.state for row in tx.session.scalars(select(Competition))}
        active = tx.session.scalars(select(ScheduledItem).where(ScheduledItem.state == "active")).all()
    assert finals == dict.fromkeys(ids, 1)
    assert states == {"finished"}
    assert [row.kind for row in active if row.kind != "competition_standings"] == []
    # A standings row a tick held while its competition ended cancels itself when next due.
    clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # the next standings time, 09:00 in Oslo
    app.ticker.tick()
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(ScheduledItem).where(ScheduledItem.state == "active")).all() == []
        standings = tx.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "competition_standings")
        )
        assert standings.all() == []
