"""Many requests of one person at once against a cap, on SQLite and PostgreSQL: exactly the cap holds, and
the requests beyond it are refused in the person's language and change nothing.

Each test brings one person close to a cap by ordinary commands, then sends RACERS requests at once
(threads released together through the real dispatcher) and counts what the database kept.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.models import Account, OutboxMessage, ScheduledItem
from bot.core.reminders import MAX_ACTIVE_PER_PERSON
from bot.i18n import translator
from bot.messages import Actor, Command, Conversation, Inbound, Reply
from tests.concurrency import race
from tests.conftest import make_settings

RACERS = 16
ASTRID = Actor("console", "astrid", "Astrid", locale="sv")
DM = Conversation("console", "astrid", "dm")
SWEDISH = translator("sv")


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[App]:
    """The app with the similarity check only for identical texts: the tests send many short ideas."""
    application = build_app(make_settings(database_url, similarity_threshold=100), clock)
    yield application
    application.close()


def ok(app: App, actor: Actor, line: str) -> Reply:
    name, _, text = line.lstrip("/").partition(" ")
    reply = app.dispatcher.handle(Command(name, text, actor, DM))
    assert reply is not None and not reply.is_error, reply and reply.text
    return reply


def commands(actor: Actor, lines: list[str]) -> list[Inbound]:
    return [Command(*line.lstrip("/").split(" ", 1), actor, DM) for line in lines]


def split(replies: list[Reply], refusal: str) -> int:
    """How many were taken; fails unless every other reply is exactly `refusal`."""
    refused = [reply.text for reply in replies if reply.is_error]
    assert refused == [refusal] * len(refused)
    return len(replies) - len(refused)


def person_id(app: App, actor: Actor) -> int:
    with app.uow.begin(write=False) as tx:
        found = tx.session.scalar(
            select(Account.person_id).where(
                Account.platform == actor.platform, Account.external_id == actor.external_id
            )
        )
    assert found is not None
    return found


def outbox_rows(app: App) -> int:
    with app.uow.begin(write=False) as tx:
        return int(tx.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


def test_reminders_beyond_fifty_at_once_are_refused(app: App) -> None:
    """46 set, 16 more at once: four are set, twelve refused, and 50 are active."""
    already = MAX_ACTIVE_PER_PERSON - 4
    for k in range(already):
        ok(app, ASTRID, f"/remind me tomorrow 09:00 Earlier task {k}")

    replies = race(app, commands(ASTRID, [f"/remind me tomorrow 10:00 Race task {k}" for k in range(RACERS)]))

    refusal = SWEDISH.t(
        "You have {count} reminders set, the most one person may. Cancel one with /reminders.",
        count=MAX_ACTIVE_PER_PERSON,
    )
    assert split(replies, refusal) == 4
    with app.uow.begin(write=False) as tx:
        texts = tx.session.scalars(
            select(ScheduledItem.payload).where(
                ScheduledItem.owner_id == person_id(app, ASTRID), ScheduledItem.state == "active"
            )
        ).all()
    assert len(texts) == MAX_ACTIVE_PER_PERSON
    set_now = sorted(payload["text"] for payload in texts if payload["text"].startswith("Race"))
    taken = sorted(reply.text for reply in replies if not reply.is_error)
    assert [any(text in reply for reply in taken) for text in set_now] == [True] * 4
