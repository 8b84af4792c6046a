"""Telegram's answers and counts arriving as a poll closes, on SQLite and PostgreSQL: each is sealed
into the result or ignored, never stored after the count."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.core import poll_native
from bot.core.clock import ManualClock
from bot.core.models import PollNativeCopy, PollOption, PollVote
from bot.core.poll_native import SentCopy
from bot.messages import Action, Actor, Command, Conversation, Inbound, Reply
from tests.concurrency import HANG, race
from tests.conftest import make_settings

POLLS = 15
ROOM = Conversation("console", "race", "channel")
MARIA = Actor("console", "maria", "Maria")
ASTRID = Actor("telegram", "501", "Astrid")


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[App]:
    application = build_app(make_settings(database_url, admins=["console:maria"]), clock)
    yield application
    application.close()


def ask(app: App, flags: str) -> None:
    """POLLS polls, each with a Telegram copy whose poll id is `tg<poll>`."""
    for number in range(1, POLLS + 1):
        reply = app.dispatcher.handle(Command("poll", f'"Question {number}?" "Yes" "No" {flags}', MARIA, ROOM))
        assert reply is not None and not reply.is_error, reply
        with app.uow.begin() as tx:
            poll_native.record_copy(tx, SentCopy(number, "-100", number, f"tg{number}"))


def close(number: int) -> Command:
    return Command("poll", f"close {number}", MARIA, ROOM)


def sealed(app: App) -> dict[int, list[int]]:
    with app.uow.begin(write=False) as tx:
        rows = tx.session.execute(
            select(PollOption.poll_id, PollOption.votes).order_by(PollOption.poll_id, PollOption.position)
        ).all()
    counts: dict[int, list[int]] = {}
    for poll, votes in rows:
        counts.setdefault(poll, []).append(votes or 0)
    return counts


def test_an_answer_as_the_poll_closes_is_counted_or_refused(app: App) -> None:
    ask(app, "")
    inbound: list[Inbound] = []
    for number in range(1, POLLS + 1):
        inbound += [
            Action("poll.answer", f"tg{number}:2", ASTRID, Conversation("telegram", "501")),
            close(number),
        ]
    replies = race(app, inbound)
    with app.uow.begin(write=False) as tx:
        voted = set(tx.session.scalars(select(PollVote.poll_id)))
    for number, answered in zip(range(1, POLLS + 1), replies[::2], strict=True):
        assert answered.is_error == (number not in voted)
        assert sealed(app)[number] == ([0, 1] if number in voted else [0, 0])


def test_counts_as_the_poll_closes_are_sealed_or_ignored(app: App) -> None:
    ask(app, "anonymous")
    kept: dict[int, bool] = {}
    barrier = threading.Barrier(2 * POLLS)
    raised: list[BaseException] = []

    def count(number: int) -> None:
        barrier.wait(HANG)
        with app.uow.begin() as tx:
            kept[number] = poll_native.record_counts(tx, f"tg{number}", [3, 1], 4, 7)

    def closing(number: int) -> None:
        barrier.wait(HANG)
        reply = app.dispatcher.handle(close(number))
        assert isinstance(reply, Reply) and not reply.is_error

    def guarded(work: Callable[[int], None], number: int) -> None:
        try:
            work(number)
        except BaseException as error:
            raised.append(error)
            barrier.abort()

    threads = [
        threading.Thread(target=guarded, args=(work, number), daemon=True)
        for number in range(1, POLLS + 1)
        for work in (count, closing)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG)
    assert not raised and not any(thread.is_alive() for thread in threads)
    with app.uow.begin(write=False) as tx:
        stored = dict(tx.session.execute(select(PollNativeCopy.poll_id, PollNativeCopy.counts)).all())
    for number in range(1, POLLS + 1):
        assert sealed(app)[number] == ([3, 1] if kept[number] else [0, 0])
        assert stored[number] == ([3, 1] if kept[number] else None)
