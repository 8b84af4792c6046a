"""The fake Bot API's polls, through python-telegram-bot: sendPoll checked as Telegram checks it,
votes told as `poll_answer` (public polls) and `poll` (counts) updates, stopPoll."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest

from .telegram_api import FakeTelegramApi

TOKEN = "123456:TEST"
ALICE = {"id": 42, "is_bot": False, "first_name": "Alice"}
BOB = {"id": 43, "is_bot": False, "first_name": "Bob"}
T = TypeVar("T")


@pytest.fixture
def tg() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi(token=TOKEN) as fake:
        yield fake


def with_bot(tg: FakeTelegramApi, action: Callable[[Bot], Awaitable[T]]) -> T:
    async def scenario() -> T:
        async with Bot(TOKEN, base_url=tg.base_url) as bot:
            return await action(bot)

    return asyncio.run(asyncio.wait_for(scenario(), 10))


@pytest.mark.parametrize(
    ("question", "options", "flags", "refusal"),
    [
        ("", ["Yes", "No"], {}, "question length"),
        ("Q" * 301, ["Yes", "No"], {}, "question length"),
        ("Lunch?", ["Soup"], {}, "2-12 options"),
        ("Lunch?", [str(n) for n in range(13)], {}, "2-12 options"),
        ("Lunch?", ["Soup", "S" * 101], {}, "must not exceed 100"),
        ("Lunch?", ["Soup", ""], {}, "must not exceed 100"),
        ("Lunch?", ["Soup", "Salad"], {"api_kwargs": {"is_anonymous": "maybe"}}, "as a boolean"),
    ],
)
def test_send_poll_is_checked_as_telegram_checks_it(
    tg: FakeTelegramApi, question: str, options: list[str], flags: dict[str, Any], refusal: str
) -> None:
    with pytest.raises(BadRequest, match=refusal):
        with_bot(tg, lambda bot: bot.send_poll(-100, question, options, **flags))


def test_a_public_poll_cannot_go_to_a_channel(tg: FakeTelegramApi) -> None:
    tg.register_chat({"id": -1009, "type": "channel", "title": "News"})
    with pytest.raises(BadRequest, match=r"(?i)non-anonymous polls"):
        with_bot(tg, lambda bot: bot.send_poll(-1009, "Lunch?", ["Soup", "Salad"], is_anonymous=False))
    sent = with_bot(tg, lambda bot: bot.send_poll(-1009, "Lunch?", ["Soup", "Salad"], is_anonymous=True))
    assert sent.poll is not None and sent.poll.is_anonymous


def updates(tg: FakeTelegramApi, allowed: list[str] | None = None) -> list[Update]:
    async def fetch(bot: Bot) -> list[Update]:
        return list(await bot.get_updates(timeout=0, allowed_updates=allowed))

    return with_bot(tg, fetch)


def test_a_public_vote_names_the_voter_and_counts_follow(tg: FakeTelegramApi) -> None:
    sent = with_bot(
        tg,
        lambda bot: bot.send_poll(
            -100, "Bike?", ["Yes", "No", "Maybe"], is_anonymous=False, allows_multiple_answers=True
        ),
    )
    assert sent.poll is not None
    tg.vote(sent.poll.id, ALICE, [0, 2])
    tg.vote(sent.poll.id, BOB, [1])
    tg.vote(sent.poll.id, ALICE, [])  # taken back
    got = updates(tg)
    answers = [u.poll_answer for u in got if u.poll_answer is not None]
    assert [(a.user.id if a.user else None, list(a.option_ids)) for a in answers] == [
        (42, [0, 2]),
        (43, [1]),
        (42, []),
    ]
    last = [u.poll for u in got if u.poll is not None][-1]
    assert [o.voter_count for o in last.options] == [0, 1, 0] and last.total_voter_count == 1


def test_an_anonymous_vote_is_told_as_counts_only(tg: FakeTelegramApi) -> None:
    sent = with_bot(tg, lambda bot: bot.send_poll(-100, "Bike?", ["Yes", "No"], is_anonymous=True))
    assert sent.poll is not None
    tg.vote(sent.poll.id, ALICE, [0])
    tg.vote(sent.poll.id, BOB, [0])
    got = updates(tg)
    assert all(u.poll_answer is None for u in got)
    assert [[o.voter_count for o in u.poll.options] for u in got if u.poll] == [[1, 0], [2, 0]]
    assert "42" not in str([u.to_dict() for u in got])
    with pytest.raises(ValueError, match="one answer only"):
        tg.vote(sent.poll.id, ALICE, [0, 1])


def test_allowed_updates_filter_poll_updates(tg: FakeTelegramApi) -> None:
    sent = with_bot(tg, lambda bot: bot.send_poll(-100, "Bike?", ["Yes", "No"], is_anonymous=False))
    assert sent.poll is not None
    tg.vote(sent.poll.id, ALICE, [1])
    assert [u.poll_answer is not None for u in updates(tg, ["poll_answer"])] == [True]


def test_stop_poll_freezes_it_once(tg: FakeTelegramApi) -> None:
    sent = with_bot(tg, lambda bot: bot.send_poll(-100, "Bike?", ["Yes", "No"], is_anonymous=True))
    assert sent.poll is not None
    tg.vote(sent.poll.id, ALICE, [1])
    stopped = with_bot(tg, lambda bot: bot.stop_poll(-100, sent.message_id))
    assert stopped.is_closed and [o.voter_count for o in stopped.options] == [0, 1]
    with pytest.raises(ValueError, match="closed"):
        tg.vote(sent.poll.id, BOB, [0])
    with pytest.raises(BadRequest, match="already been closed"):
        with_bot(tg, lambda bot: bot.stop_poll(-100, sent.message_id))
