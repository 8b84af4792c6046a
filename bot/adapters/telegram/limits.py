"""Flood limits on the bot's Telegram requests: 30 a second, 20 a minute per group; 429s waited out."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

ApiResult = bool | dict[str, Any] | list[dict[str, Any]]
GroupKey = int | str
EVERY_CHAT = "every chat"
PAUSE_MARGIN_SECONDS = 0.1
_MAX_GROUP_LIMITERS = 512


@dataclass(frozen=True)
class RequestOptions:
    """What one Bot API call may tell the FloodLimiter (PTB passes it on as `rate_limit_args`)."""

    max_retries: int | None = None
    # Awaited once, when the request's first turn has come; False withdraws it unsent.
    before_sending: Callable[[], Awaitable[bool]] | None = None


class RequestWithdrawnError(Exception):
    """The request's `before_sending` said no when its turn came: nothing was sent."""


class FloodLimiter(BaseRateLimiter[RequestOptions]):
    """Paces sends evenly and waits out each 429 before anyone's next turn.

    PTB's AIORateLimiter hands out turns during a 429's pause and then lets every waiting send go at
    once; against a limit counted per second that burst earns more 429s, and the pauses repeat.
    Here a send whose turn comes during a pause waits it out and queues again, so sends resume one
    by one. A 429 in a group pauses only that group (its limit is per minute); any other pauses all.
    """

    def __init__(self, per_second: float = 30, group_per_minute: float = 20, max_retries: int = 3) -> None:
        # One turn every 1/30 s: a bucket 30 deep would let a burst of 30 follow a full second's 30.
        self._overall = AsyncLimiter(1, 1 / per_second)
        self._spacing = 1 / per_second
        self._last_send = float("-inf")
        self._group_per_minute = group_per_minute
        self._groups: dict[GroupKey, AsyncLimiter] = {}
        self._paused_until: dict[GroupKey, float] = {}
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, ApiResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RequestOptions | None,
    ) -> ApiResult:
        """Run one Bot API request in its turn; after a 429, pause and try again up to max_retries times."""
        chat_id = data.get("chat_id")
        group = _group_of(chat_id)
        paced = chat_id is not None
        options = rate_limit_args or RequestOptions()
        retries = options.max_retries or self.max_retries
        for attempt in range(retries + 1):
            await self._take_turn(group, paced=paced)
            if attempt == 0 and options.before_sending is not None and not await options.before_sending():
                raise RequestWithdrawnError(endpoint)
            if paced:
                await self._keep_sends_apart()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as flood:
                if attempt == retries:
                    raise
                self._pause(group or EVERY_CHAT, retry_after_seconds(flood))
        raise AssertionError("unreachable")

    async def _take_turn(self, group: GroupKey | None, *, paced: bool) -> None:
        while True:
            await self._wait_out_pauses(group)
            if not paced:
                return
            if group is not None:
                await self._group_limiter(group).acquire()
            await self._overall.acquire()
            if self._pause_left(group) <= 0:
                return

    async def _keep_sends_apart(self) -> None:
        """Sends leave 1/30 s apart, not only their turns: what `before_sending` does in a turn (mark a
        notice in the database) takes longer for some sends than others, which would bunch them up."""
        loop = asyncio.get_running_loop()
        while (wait := self._last_send + self._spacing - loop.time()) > 0:
            await asyncio.sleep(wait)
        self._last_send = loop.time()

    async def _wait_out_pauses(self, group: GroupKey | None) -> None:
        while (left := self._pause_left(group)) > 0:
            await asyncio.sleep(left)

    def _pause_left(self, group: GroupKey | None) -> float:
        until = max(self._paused_until.get(EVERY_CHAT, 0.0), self._paused_until.get(group or EVERY_CHAT, 0.0))
        return until - asyncio.get_running_loop().time()

    def _pause(self, key: GroupKey, seconds: float) -> None:
        until = asyncio.get_running_loop().time() + seconds + PAUSE_MARGIN_SECONDS
        self._paused_until[key] = max(self._paused_until.get(key, 0.0), until)

    def _group_limiter(self, group: GroupKey) -> AsyncLimiter:
        if group not in self._groups and len(self._groups) >= _MAX_GROUP_LIMITERS:
            idle = [key for key, limiter in self._groups.items() if limiter.has_capacity(limiter.max_rate)]
            for key in idle:
                del self._groups[key]
        return self._groups.setdefault(group, AsyncLimiter(self._group_per_minute, 60))


def retry_after_seconds(flood: RetryAfter) -> float:
    with warnings.catch_warnings():
        # Reading it as an int is deprecated in favour of a timedelta; accept either.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait: timedelta | int = flood.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def _group_of(chat_id: object) -> GroupKey | None:
    """Groups and channels have negative ids (or are named `@channel`); people positive ones."""
    if isinstance(chat_id, str) and not chat_id.lstrip("-").isdigit():
        return chat_id
    try:
        number = int(chat_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return number if number < 0 else None
