"""Who a Slack user is (name, handle, locale) from users.info, remembered for a while."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.convert import PLATFORM, mentioned_user_ids
from bot.messages import Actor

log = logging.getLogger(__name__)
PROFILE_TTL = 600.0  # seconds: renamed people and changed locales show up within ten minutes


@dataclass(frozen=True)
class _Remembered:
    actor: Actor
    until: float


class SlackDirectory:
    """Slack users as Actors; a lookup that fails gives a bare Actor rather than failing the request."""

    def __init__(
        self, client: AsyncWebClient, ttl: float = PROFILE_TTL, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._client = client
        self._ttl = ttl
        self._now = now
        self._known: dict[str, _Remembered] = {}

    async def actor(self, user_id: str) -> Actor:
        remembered = self._known.get(user_id)
        if remembered is not None and remembered.until > self._now():
            return remembered.actor
        try:
            response = await self._client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("users.info for %s failed: %s", user_id, error)
            return remembered.actor if remembered is not None else Actor(PLATFORM, user_id)
        actor = actor_from_profile(response["user"])
        self._known[user_id] = _Remembered(actor, self._now() + self._ttl)
        return actor

    async def mentioned(self, slack_text: str, bot_user_id: str) -> tuple[Actor, ...]:
        """The people `<@U…>` mentions in Slack text name (the bot itself is nobody to mention)."""
        user_ids = [user_id for user_id in mentioned_user_ids(slack_text) if user_id != bot_user_id]
        return tuple(await asyncio.gather(*(self.actor(user_id) for user_id in user_ids)))


def actor_from_profile(user: dict[str, Any]) -> Actor:
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or user["id"]
    )
    return Actor(PLATFORM, user["id"], name, user.get("locale"), user.get("name"))
