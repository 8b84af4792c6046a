"""FloodLimiter: sends paced at 30 a second; a 429 waited out by all, the held-back sends resumed one by one."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.adapters.telegram.limits import FloodLimiter

TIMEOUT = 10.0
PRIVATE_CHATS = [5001, 5002, 5003, 5004]
GROUP = -1001234567890


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


Send = Callable[[], Coroutine[Any, Any, bool]]


def api(sent: dict[int, float], flooded_chat: int | None) -> Callable[[int], Send]:
    """Stand-ins for PTB's HTTP call: note when each chat's send went out; `flooded_chat`'s first gets a 429."""

    def for_chat(chat_id: int) -> Send:
        async def send() -> bool:
            if chat_id == flooded_chat and chat_id not in sent:
                sent[chat_id] = -1.0
                raise RetryAfter(timedelta(seconds=1))
            sent[chat_id] = asyncio.get_running_loop().time()
            return True

        return send

    return for_chat


def run(chats: list[int], flooded_chat: int | None) -> tuple[float, dict[int, float]]:
    async def scenario() -> tuple[float, dict[int, float]]:
        limiter = FloodLimiter(per_second=30, group_per_minute=20, max_retries=3)
        sent: dict[int, float] = {}
        send = api(sent, flooded_chat)
        started = asyncio.get_running_loop().time()
        await asyncio.gather(
            *(
                limiter.process_request(send(chat), (), {}, "sendMessage", {"chat_id": chat}, None)
                for chat in chats
            )
        )
        return started, sent

    return asyncio.run(asyncio.wait_for(scenario(), TIMEOUT))


def smallest_gap(times: list[float]) -> float:
    ordered = sorted(times)
    return min(later - earlier for earlier, later in itertools.pairwise(ordered))


def test_sends_are_spaced_a_thirtieth_of_a_second_apart() -> None:
    _, sent = run(PRIVATE_CHATS, None)
    assert smallest_gap(list(sent.values())) >= 0.9 / 30


def test_a_429_pauses_every_send_and_the_held_back_ones_resume_one_by_one() -> None:
    started, sent = run(PRIVATE_CHATS, PRIVATE_CHATS[0])
    assert len(sent) == len(PRIVATE_CHATS)
    assert all(time - started >= 1.0 for time in sent.values())  # every send waited out the pause
    assert smallest_gap(list(sent.values())) >= 0.9 / 30  # and they did not all go at once after it


def test_a_429_in_a_group_pauses_only_that_group() -> None:
    started, sent = run([GROUP, *PRIVATE_CHATS], GROUP)
    assert sent[GROUP] - started >= 1.0
    assert all(sent[chat] - started < 0.5 for chat in PRIVATE_CHATS)
