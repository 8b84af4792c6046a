"""Stored Slack deliveries as neutral commands and messages: dispatch, wake the outbox, answer."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.convert import (
    PLATFORM,
    command_in_message,
    conversation,
    is_direct,
    is_person_message,
    message_key,
    neutral_text,
    reaction_key,
    reaction_name,
)
from bot.adapters.slack.home import HomeTab
from bot.adapters.slack.payloads import MessageAction, MessageEvent, ReactionEvent, SlashCommand
from bot.adapters.slack.people import SlackDirectory
from bot.adapters.slack.reply import ReplyRoute, SlackReplier
from bot.dispatcher import Dispatcher
from bot.i18n import Translator
from bot.inbox_worker import Inbox, InboxItem
from bot.messages import Actor, ChatMessage, Command, Inbound, Reply, mention

log = logging.getLogger(__name__)
# Slack takes answers at a response_url for 30 minutes; later ones go to the channel or a DM instead.
RESPONSE_URL_LIFETIME = timedelta(minutes=29)


@dataclass
class BotIdentity:
    """Who the bot is in this workspace, from auth.test at start."""

    user_id: str = ""
    name: str = "engagebot"


class SlackInbound:
    """Handles what the listeners stored: slash commands, messages, reactions and the message shortcut."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        inbox: Inbox,
        client: AsyncWebClient,
        directory: SlackDirectory,
        replier: SlackReplier,
        home: HomeTab,
        kudos_emoji: str,
    ) -> None:
        self.dispatcher = dispatcher
        self.inbox = inbox
        self.client = client
        self.directory = directory
        self.replier = replier
        self.home = home
        self.identity = BotIdentity()
        self.command_names = dispatcher.command_names()
        self.kudos_emoji = kudos_emoji
        self.kudos_reaction = reaction_name(kudos_emoji)

    async def run(self, inbound: Inbound, route: ReplyRoute, item: InboxItem | None = None) -> Reply | None:
        """Dispatch, answer, and refresh the actor's Home tab (the dispatcher wakes the outbox if needed)."""
        reply = await self.dispatcher.dispatch(inbound, None if item is None else item.id)
        if reply is None:
            return None  # a repeated delivery, or chatter no listener wanted: nothing changed
        if item is not None and self.inbox.age(item) > RESPONSE_URL_LIFETIME:
            route = route.without_response_url()
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

    async def slash_command(self, item: InboxItem) -> str:
        command = SlashCommand.model_validate(item.payload)
        actor, mentioned = await self.people(command.user_id, command.text)
        name = command.command.lstrip("/").lower()
        inbound = Command(
            name,
            self.neutral(command.text),
            actor,
            conversation(command.channel_id, name=command.channel_name),
            mentioned,
            event_key=command.trigger_id,
        )
        route = ReplyRoute(command.user_id, command.channel_id, command.response_url or None)
        await self.run(inbound, route, item)
        return f"/{name}"

    def wants(self, event: MessageEvent) -> bool:
        """Whether a message could mean anything to the bot: a command to it, or kudos by emoji.

        Decided from the event alone, before anything is stored: most channel chatter is nobody's business.
        """
        if not is_person_message(event.user, event.bot_id, event.subtype):
            return False
        typed = self._typed_command(event)
        if typed:
            return True
        where = conversation(event.channel, event.channel_type)
        chatter = ChatMessage(self.neutral(event.text), Actor(PLATFORM, event.user or ""), where)
        return self.dispatcher.wants(chatter)

    def _typed_command(self, event: MessageEvent) -> Command | None:
        typed = command_in_message(
            event.text,
            direct=is_direct(event.channel, event.channel_type),
            bot_user_id=self.identity.user_id,
            command_names=self.command_names,
        )
        if typed is None:
            return None
        return Command(typed.name, typed.text, Actor(PLATFORM, event.user or ""), conversation(event.channel))

    async def message(self, item: InboxItem) -> str:
        """A message (or the `app_mention` of it): a command when it addresses the bot, else chatter."""
        event = MessageEvent.model_validate(item.payload)
        user = event.user or ""
        typed = self._typed_command(event)
        actor, mentioned = await self.people(user, typed.text if typed else event.text)
        where = conversation(event.channel, event.channel_type)
        key = message_key(event.channel, event.ts)
        inbound: Inbound = (
            Command(typed.name, self.neutral(typed.text), actor, where, mentioned, event_key=key)
            if typed
            else ChatMessage(self.neutral(event.text), actor, where, mentioned, event_key=key)
        )
        await self.run(inbound, ReplyRoute(user, event.channel, thread_ts=event.thread_ts), item)
        return f"/{typed.name}" if typed else "message"

    def gives_kudos(self, event: ReactionEvent) -> bool:
        """The kudos emoji on a colleague's message (not your own, not the bot's)."""
        return (
            event.reaction == self.kudos_reaction
            and event.item.type == "message"
            and bool(event.item.channel)
            and bool(event.item_user)
            and event.item_user not in (event.user, self.identity.user_id)
        )

    async def reaction(self, item: InboxItem) -> str:
        """The kudos emoji as a reaction is a message with the emoji and a mention of the author."""
        event = ReactionEvent.model_validate(item.payload)
        author, where = event.item_user or "", event.item
        actor, mentioned = await self.people(event.user, f"<@{author}>")
        message = ChatMessage(
            f"{self.kudos_emoji} {mention(PLATFORM, author)}",
            actor,
            conversation(where.channel),
            mentioned,
            event_key=reaction_key(where.channel, where.ts, event.user, event.reaction),
        )
        await self.run(message, ReplyRoute(event.user, where.channel, private=True), item)
        return "reaction"

    async def save_as_idea(self, item: InboxItem) -> str:
        """The message shortcut: the message's text becomes the user's idea, linked to the message."""
        shortcut = MessageAction.model_validate(item.payload)
        user, channel, original = shortcut.user.id, shortcut.channel, shortcut.message
        actor, mentioned = await self.people(user, original.text)
        command = Command(
            "idea",
            self.neutral(original.text),
            actor,
            conversation(channel.id, name=channel.name),
            mentioned,
            event_key=shortcut.trigger_id,
            link=await self._permalink(channel.id, original.ts),
        )
        await self.run(command, ReplyRoute(user, channel.id, shortcut.response_url or None), item)
        return "save as idea"

    async def _permalink(self, channel: str, ts: str) -> str | None:
        try:
            response = await self.client.chat_getPermalink(channel=channel, message_ts=ts)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("no permalink for %s/%s: %s", channel, ts, error)
            return None
        return str(response["permalink"])
