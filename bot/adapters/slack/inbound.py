"""Acknowledged Slack requests as neutral commands and messages: dispatch, wake the outbox, answer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.convert import (
    PLATFORM,
    command_in_message,
    conversation,
    is_direct,
    message_key,
    neutral_text,
    reaction_key,
    reaction_name,
)
from bot.adapters.slack.home import HomeTab
from bot.adapters.slack.people import SlackDirectory
from bot.adapters.slack.reply import ReplyRoute, SlackReplier
from bot.dispatcher import Dispatcher
from bot.i18n import Translator
from bot.messages import Actor, ChatMessage, Command, Inbound, Reply

log = logging.getLogger(__name__)


@dataclass
class BotIdentity:
    """Who the bot is in this workspace, from auth.test at start."""

    user_id: str = ""
    name: str = "engagebot"


class SlackInbound:
    """Runs what Slack sent, after the ack: slash commands, messages, reactions and the message shortcut."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        client: AsyncWebClient,
        directory: SlackDirectory,
        replier: SlackReplier,
        home: HomeTab,
        kick: Callable[[], None],
        kudos_emoji: str,
    ) -> None:
        self.dispatcher = dispatcher
        self.client = client
        self.directory = directory
        self.replier = replier
        self.home = home
        self.kick = kick
        self.identity = BotIdentity()
        self.command_names = dispatcher.command_names()
        self.kudos_emoji = kudos_emoji
        self.kudos_reaction = reaction_name(kudos_emoji)

    async def run(self, inbound: Inbound, route: ReplyRoute) -> Reply | None:
        """Dispatch, wake the outbox for any notices, answer, and refresh the actor's Home tab."""
        reply = await self.dispatcher.dispatch(inbound)
        if reply is None:
            return None  # a repeated delivery, or chatter no listener wanted: nothing changed
        self.kick()
        await self.replier.send(route, reply)
        self.home.refresh(inbound.actor.external_id)
        return reply

    async def translator(self, user_id: str) -> Translator:
        actor = await self.directory.actor(user_id)
        return await asyncio.to_thread(self.dispatcher.translator_for, actor)

    async def people(self, user_id: str, slack_text: str) -> tuple[Actor, tuple[Actor, ...]]:
        """The author and the people their Slack text mentions."""
        actor, mentioned = await asyncio.gather(
            self.directory.actor(user_id), self.directory.mentioned(slack_text, self.identity.user_id)
        )
        return actor, mentioned

    def neutral(self, slack_text: str) -> str:
        return neutral_text(slack_text, self.identity.user_id, self.identity.name)

    async def slash_command(self, payload: dict[str, Any]) -> None:
        user, channel, text = payload["user_id"], payload.get("channel_id", ""), payload.get("text", "")
        actor, mentioned = await self.people(user, text)
        command = Command(
            payload["command"].lstrip("/").lower(),
            self.neutral(text),
            actor,
            conversation(channel, name=payload.get("channel_name", "")),
            mentioned,
            event_key=payload.get("trigger_id"),
        )
        await self.run(command, ReplyRoute(user, channel, payload.get("response_url")))

    async def message(self, event: dict[str, Any]) -> None:
        """A message (or the `app_mention` of it): a command when it addresses the bot, else chatter."""
        user, channel, text = event["user"], event["channel"], event.get("text", "")
        typed = command_in_message(
            text,
            direct=is_direct(channel, event.get("channel_type")),
            bot_user_id=self.identity.user_id,
            command_names=self.command_names,
        )
        actor, mentioned = await self.people(user, typed.text if typed else text)
        where = conversation(channel, event.get("channel_type"))
        key = message_key(channel, event["ts"])
        inbound: Inbound = (
            Command(typed.name, self.neutral(typed.text), actor, where, mentioned, event_key=key)
            if typed
            else ChatMessage(self.neutral(text), actor, where, mentioned, event_key=key)
        )
        await self.run(inbound, ReplyRoute(user, channel, thread_ts=event.get("thread_ts")))

    def gives_kudos(self, event: dict[str, Any]) -> bool:
        """The kudos emoji on a colleague's message (not your own, not the bot's)."""
        item, author = event.get("item") or {}, event.get("item_user")
        return (
            event.get("reaction") == self.kudos_reaction
            and item.get("type") == "message"
            and bool(author)
            and author not in (event.get("user"), self.identity.user_id)
        )

    async def reaction(self, event: dict[str, Any]) -> None:
        """The kudos emoji as a reaction is a message with the emoji and a mention of the author."""
        user, author, item = event["user"], event["item_user"], event["item"]
        actor, mentioned = await self.people(user, f"<@{author}>")
        message = ChatMessage(
            f"{self.kudos_emoji} <@{PLATFORM}:{author}>",
            actor,
            conversation(item["channel"]),
            mentioned,
            event_key=reaction_key(item["channel"], item["ts"], user, event["reaction"]),
        )
        await self.run(message, ReplyRoute(user, item["channel"], private=True))

    async def save_as_idea(self, shortcut: dict[str, Any]) -> None:
        """The message shortcut: the message's text becomes the user's idea, linked to the message."""
        user, channel = shortcut["user"]["id"], shortcut["channel"]["id"]
        original = shortcut.get("message") or {}
        text = original.get("text", "")
        actor, mentioned = await self.people(user, text)
        command = Command(
            "idea",
            self.neutral(text),
            actor,
            conversation(channel, name=shortcut["channel"].get("name", "")),
            mentioned,
            event_key=shortcut.get("trigger_id"),
            link=await self._permalink(channel, original.get("ts", "")),
        )
        await self.run(command, ReplyRoute(user, channel, shortcut.get("response_url")))

    async def _permalink(self, channel: str, ts: str) -> str | None:
        try:
            response = await self.client.chat_getPermalink(channel=channel, message_ts=ts)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("no permalink for %s/%s: %s", channel, ts, error)
            return None
        return str(response["permalink"])
