"""Two admins changing the progress posts' schedule at one moment leave one schedule, on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.core import digest_posts, schedule
from bot.core.clock import ManualClock
from bot.core.models import ScheduledItem
from bot.messages import Actor, Command, Conversation, Inbound
from tests.concurrency import race
from tests.conftest import make_settings

ROOM = Conversation("console", "race", "channel")
ADMIN = Actor("console", "admin", "Admin")
MARIA = Actor("console", "maria", "Maria")
ROUNDS = 10


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[App]:
    application = build_app(make_settings(database_url, admins=["console:admin", "console:maria"]), clock)
    yield application
    application.close()


def active_schedules(app: App) -> int:
    with app.uow.begin(write=False) as tx:
        return int(
            tx.session.scalar(
                select(func.count()).where(
                    ScheduledItem.kind == digest_posts.KIND, ScheduledItem.state == schedule.ACTIVE
                )
            )
            or 0
        )


def command(actor: Actor, text: str) -> Command:
    return Command("digest", text, actor, ROOM)


def test_two_admins_switching_on_and_moving_at_once_leave_one_schedule(app: App) -> None:
    for name in (ADMIN, MARIA):
        app.dispatcher.handle(Command("me", "", name, ROOM))
    for _ in range(ROUNDS):
        inbound: list[Inbound] = [command(ADMIN, "on"), command(MARIA, "schedule every Monday 08:00")]
        replies = race(app, inbound)
        assert all(not reply.is_error for reply in replies), replies
        assert active_schedules(app) == 1
        replies = race(app, [command(ADMIN, "off"), command(MARIA, "off")])
        assert sorted(reply.is_error for reply in replies) == [False, True]
        assert active_schedules(app) == 0
