"""Outbox notices to Slack: DMs and channel posts, spaced about a second apart per channel."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.files import upload_image
from bot.adapters.slack.render import message
from bot.messages import Reply
from bot.outbox_sender import (
    ClaimLost,
    Delivered,
    DeliveryResult,
    OutboxItem,
    RetryLater,
    StartSending,
    Undeliverable,
)

log = logging.getLogger(__name__)
CHANNEL_INTERVAL = 1.0  # Slack allows about one message per second per channel
SERVER_ERROR_DELAY = 30.0
OTHER_ERROR_DELAY = 60.0
# Errors that will not go away for this recipient: retrying cannot help.
UNDELIVERABLE_ERRORS = frozenset(
    {
        "account_inactive",
        "channel_not_found",
        "user_not_found",
        "user_disabled",
        "is_archived",
        "not_in_channel",
        "cannot_dm_bot",
        "messages_tab_disabled",
        "restricted_action",
        "team_access_not_granted",
    }
)


class ChannelPacer:
    """Spaces sends to one channel `interval` seconds apart; waiters take their turns in arrival order."""

    def __init__(self, interval: float = CHANNEL_INTERVAL, now: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval
        self._now = now
        self._next_turn: dict[str, float] = {}
        self._queues: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def turn(self, channel: str) -> AsyncIterator[None]:
        async with self._queues.setdefault(channel, asyncio.Lock()):
            wait = self._next_turn.get(channel, 0.0) - self._now()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._next_turn[channel] = self._now() + self._interval


class SlackOutbox:
    """Delivers one notice; slack-sdk's retry handlers have already retried a 429 or 5xx once."""

    def __init__(self, client: AsyncWebClient, pacer: ChannelPacer) -> None:
        self._client = client
        self._pacer = pacer

    async def deliver(self, item: OutboxItem, reply: Reply, start_sending: StartSending) -> DeliveryResult:
        channel = item.target  # a user id posts into the bot's DM with them
        async with self._pacer.turn(channel):
            if not await start_sending():
                return ClaimLost()
            try:
                posted = await self._client.chat_postMessage(channel=channel, **message(reply))
            except SlackApiError as error:
                return outcome_of(error)
            except (aiohttp.ClientError, TimeoutError) as error:
                return RetryLater(SERVER_ERROR_DELAY, repr(error))
            if reply.image is not None:
                # In the message's own channel: a DM's id, where the notice was addressed to a user id.
                await self._share(str(posted["channel"]), reply)
        return Delivered()

    async def _share(self, channel: str, reply: Reply) -> None:
        """The chart after its message; a failure is logged, not retried: that would post the text twice."""
        assert reply.image is not None
        try:
            await upload_image(self._client, channel, reply.image)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("the chart %s did not reach %s: %s", reply.image.filename, channel, error)


def outcome_of(error: SlackApiError) -> RetryLater | Undeliverable:
    response = error.response
    code = str(response.get("error") or "")
    if response.status_code == 429:
        return RetryLater(_retry_after(response.headers), "ratelimited")
    if response.status_code >= 500:
        return RetryLater(SERVER_ERROR_DELAY, f"HTTP {response.status_code}")
    if code in UNDELIVERABLE_ERRORS:
        return Undeliverable(code)
    return RetryLater(OTHER_ERROR_DELAY, code or f"HTTP {response.status_code}")


def _retry_after(headers: Mapping[str, Any]) -> float:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return max(1.0, float(str(value[0] if isinstance(value, list) else value)))
            except ValueError:
                break
    return SERVER_ERROR_DELAY
