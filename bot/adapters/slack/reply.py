"""Answering on Slack: through the request's response_url, in its channel (perhaps ephemerally) or in a DM."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.convert import is_direct
from bot.adapters.slack.files import direct_channel, upload_image
from bot.adapters.slack.render import message
from bot.messages import Reply

log = logging.getLogger(__name__)
RESPONSE_URL_TIMEOUT = aiohttp.ClientTimeout(total=10)


@dataclass(frozen=True)
class ReplyRoute:
    """Where the answer to one request goes.

    `replace_original` updates the message whose button was pressed; `private` keeps even a public
    reply to the user alone (the outcome of a reaction is nobody else's business).
    """

    user: str
    channel: str = ""
    response_url: str | None = None
    replace_original: bool = False
    thread_ts: str | None = None
    private: bool = False

    def shows_everyone(self, reply: Reply) -> bool:
        return reply.public and not reply.is_error and not self.private

    def without_response_url(self) -> ReplyRoute:
        """The same answer posted in the channel (or a DM): for a response_url that has expired."""
        return dataclasses.replace(self, response_url=None, replace_original=False)


class SlackReplier:
    """Sends Replies; a failure is logged, since the request itself was handled and cannot be undone."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def send(self, route: ReplyRoute, reply: Reply) -> None:
        try:
            if route.response_url:
                await self._respond(route.response_url, route, reply)
            else:
                await self._post(route, reply)
            if reply.image is not None:
                await self._share_image(route, reply)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("replying to %s failed: %s", route.user, error)

    async def _share_image(self, route: ReplyRoute, reply: Reply) -> None:
        """A chart goes where everyone saw the answer, else to the asker's DM (an ephemeral answer
        cannot carry a file)."""
        assert reply.image is not None
        shared = route.channel if route.shows_everyone(reply) and route.channel else None
        await upload_image(self._client, shared or await direct_channel(self._client, route.user), reply.image)

    async def _respond(self, url: str, route: ReplyRoute, reply: Reply) -> None:
        """A plain JSON POST with the client's session (slack_sdk's webhook client built a new client,
        and its user-agent string, for every answer)."""
        body: dict[str, Any] = {
            **message(reply),
            "response_type": "in_channel" if route.shows_everyone(reply) else "ephemeral",
            # an error leaves the card alone and shows beside it
            "replace_original": route.replace_original and not reply.is_error,
        }
        session = self._client.session
        assert session is not None, "the adapter opens the session when it starts"
        async with session.post(url, json=body, timeout=RESPONSE_URL_TIMEOUT) as response:
            if response.status != 200:
                log.warning("response_url answered %s: %s", response.status, (await response.text())[:200])

    async def _post(self, route: ReplyRoute, reply: Reply) -> None:
        channel = route.channel or route.user  # a user id posts into the bot's DM with them
        arguments: dict[str, Any] = {"channel": channel, **message(reply)}
        if route.thread_ts:
            arguments["thread_ts"] = route.thread_ts
        if route.shows_everyone(reply) or channel == route.user or is_direct(channel):
            await self._client.chat_postMessage(**arguments)
        else:
            await self._client.chat_postEphemeral(user=route.user, **arguments)
