"""A reminder edited and cancelled, or edited twice, by two managers at the same moment: each ends in one
consistent state, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.models import ScheduledItem
from bot.messages import Actor, Command, Conversation, Reply
from campaigns.recurrence import Rule, next_after
from tests.concurrency import race

PAIRS = 20
ROOM = Conversation("console", "race", "channel")
ADMIN = Actor("console", "admin", "Admin")
ASTRID = Actor("console", "astrid", "Astrid", handle="astrid")
BJORN = Actor("console", "bjorn", "Bjørn", handle="bjorn")


def ok(app: App, actor: Actor, line: str) -> Reply:
    name, _, text = line.lstrip("/").partition(" ")
    reply = app.dispatcher.handle(Command(name, text, actor, ROOM))
    assert reply is not None and not reply.is_error, reply and reply.text
    return reply


def unit_reminders(app: App) -> list[int]:
    """Two managers of one unit, and PAIRS reminders for the unit set by the first; their ids."""
    for actor in (ASTRID, BJORN):
        ok(app, actor, "/me")
    ok(app, ADMIN, "/unit add team Canteen")
    ok(app, ADMIN, "/unit member Canteen @astrid @bjorn")
    for actor in ("astrid", "bjorn"):
        ok(app, ADMIN, f"/role @{actor} manager")
    for k in range(PAIRS):
        ok(app, ASTRID, f"/remind Canteen tomorrow 09:00 Task {k}")
    with app.uow.begin(write=False) as tx:
        return list(tx.session.scalars(select(ScheduledItem.id).order_by(ScheduledItem.id)))


def rows(app: App, ids: list[int]) -> list[ScheduledItem]:
    with app.uow.begin(write=False) as tx:
        found = {item.id: item for item in tx.session.scalars(select(ScheduledItem))}
        tx.session.expunge_all()
    return [found[item_id] for item_id in ids]


def test_an_edit_and_a_cancel_of_one_reminder_at_once(app: App) -> None:
    """Cancelled either way: after the edit, or before it (the edit is then told it is not active)."""
    ids = unit_reminders(app)
    replies = race(
        app,
        [
            command
            for item_id in ids
            for command in (
                Command("reminders", f"edit {item_id} every friday 15:00", ASTRID, ROOM),
                Command("reminders", f"cancel {item_id}", BJORN, ROOM),
            )
        ],
    )
    for k, item_id in enumerate(ids):
        edited, cancelled = replies[2 * k], replies[2 * k + 1]
        assert not cancelled.is_error, cancelled.text
        assert not edited.is_error or edited.text == f"Reminder #{item_id} is not active any more."
    assert [(item.state, item.due_at) for item in rows(app, ids)] == [("cancelled", None)] * PAIRS


def test_two_edits_of_one_reminder_at_once_leave_one_of_them_whole(app: App, clock: ManualClock) -> None:
    """Both are taken, one after the other: the rule, the next time and the words are the last one's."""
    ids = unit_reminders(app)
    replies = race(
        app,
        [
            command
            for item_id in ids
            for command in (
                Command("reminders", f"edit {item_id} every friday 15:00", ASTRID, ROOM),
                Command("reminders", f"edit {item_id} every monday 10:00", BJORN, ROOM),
            )
        ],
    )
    assert [reply.text for reply in replies if reply.is_error] == []
    expected_cron = {"every friday 15:00": "0 15 * * fri", "every monday 10:00": "0 10 * * mon"}
    for item in rows(app, ids):
        rule = Rule.from_dict(item.rule)
        assert item.state == "active"
        assert rule.cron == expected_cron[item.payload["when"]]
        assert item.due_at is not None
        assert aware(item.due_at) == next_after(rule, clock.now())


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC times."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
