"""The App Home tab: my points and rank, my ideas, the top of the board and a "New idea" button."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.convert import PLATFORM
from bot.adapters.slack.people import SlackDirectory
from bot.adapters.slack.render import blocks, plain
from bot.adapters.slack.work import AfterAck
from bot.dispatcher import Dispatcher
from bot.i18n import Translator
from bot.messages import Command, Conversation, Reply

log = logging.getLogger(__name__)
NEW_IDEA_ACTION = "home.new_idea"
# The Home tab is made of what these commands answer the user: no query of its own.
HOME_COMMANDS = (("points", ""), ("ideas", "mine"), ("ideas", ""))


def home_view(t: Translator, replies: Sequence[Reply]) -> dict[str, Any]:
    header: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": plain(t.t(":seedling: Sustainability at work"), 150)},
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": plain(t.t(":bulb: New idea"), 75), "emoji": True},
                    "action_id": NEW_IDEA_ACTION,
                    "style": "primary",
                }
            ],
        },
    ]
    sections = [[{"type": "divider"}, *blocks(reply, with_buttons=False)] for reply in replies]
    return {"type": "home", "blocks": header + [block for section in sections for block in section]}


class HomeTab:
    """Publishes the Home tab when it is opened, and again when something changes for its viewer.

    Only people who opened it since this process started get republished; for the others it is
    published fresh when they next open it. Changes that arrive while publishing go round once more.
    """

    def __init__(
        self, dispatcher: Dispatcher, client: AsyncWebClient, directory: SlackDirectory, work: AfterAck
    ) -> None:
        self._dispatcher = dispatcher
        self._client = client
        self._directory = directory
        self._work = work
        self._viewers: set[str] = set()
        self._publishing: set[str] = set()
        self._changed: set[str] = set()

    def opened(self, user_id: str) -> None:
        self._viewers.add(user_id)
        self._schedule(user_id)

    def refresh(self, user_id: str) -> None:
        if user_id in self._viewers:
            self._schedule(user_id)

    def _schedule(self, user_id: str) -> None:
        if user_id in self._publishing:
            self._changed.add(user_id)
            return
        self._publishing.add(user_id)
        self._work.spawn(self._publish_until_current(user_id))

    async def _publish_until_current(self, user_id: str) -> None:
        try:
            while True:
                self._changed.discard(user_id)
                await self._publish(user_id)
                if user_id not in self._changed:
                    return
        finally:
            self._publishing.discard(user_id)

    async def _publish(self, user_id: str) -> None:
        actor = await self._directory.actor(user_id)
        conversation = Conversation(PLATFORM, user_id, "direct")
        replies = []
        for name, text in HOME_COMMANDS:
            reply = await self._dispatcher.dispatch(Command(name, text, actor, conversation))
            if reply is not None:
                replies.append(reply)
        t = await asyncio.to_thread(self._dispatcher.translator_for, actor)
        try:
            await self._client.views_publish(user_id=user_id, view=home_view(t, replies))
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("publishing the Home tab of %s failed: %s", user_id, error)
