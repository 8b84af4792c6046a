"""Control characters from a platform never reach the database, on SQLite as on PostgreSQL (which refuses NUL).

The edges refuse ids with control characters and the dispatcher strips them from every text; these
are the two places that stand behind that for whatever an adapter builds from them: the inbox's
delivery keys and the dispatcher's dedupe keys.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from bot.core import inbox
from bot.core.models import Idea, InboxDelivery, ProcessedEvent
from bot.inbox_worker import NewDelivery
from bot.messages import Actor, Command, Conversation

DIRTY = "\x00\x1b\x7f\x85\ud800"


def test_a_key_with_control_characters_is_stored_without_them_and_fails_no_other_delivery(app: App) -> None:
    # A batch is one INSERT: one key PostgreSQL refused used to fail every delivery stored with it.
    batch = [
        NewDelivery("slack", f"msg:C1:{DIRTY}1800000000.000100", "message", {"text": f"hi{DIRTY}"}),
        NewDelivery("telegram", "123456:7", "update", {"update_id": 7}),
    ]
    with app.uow.begin() as tx:
        stored = inbox.store(tx, batch, None, timedelta(seconds=30))

    assert all(item is not None for item in stored)
    with app.uow.begin(write=False) as tx:
        keys = tx.session.scalars(select(InboxDelivery.delivery_key).order_by(InboxDelivery.id))
        assert list(keys) == ["msg:C1:1800000000.000100", "123456:7"]


def test_a_dedupe_key_with_control_characters_is_stored_without_them(app: App) -> None:
    command = Command(
        "idea",
        f"Sensor{DIRTY} taps",
        Actor("slack", "U1", "Astrid"),
        Conversation("slack", "C1"),
        event_key=f"Ev{DIRTY}1",
    )
    reply = app.dispatcher.handle(command)

    assert reply is not None and not reply.is_error
    assert app.dispatcher.handle(command) is None  # the same delivery again
    with app.uow.begin(write=False) as tx:
        assert list(tx.session.scalars(select(ProcessedEvent.event_key))) == ["Ev1"]
        assert list(tx.session.scalars(select(Idea.text))) == ["Sensor taps"]
