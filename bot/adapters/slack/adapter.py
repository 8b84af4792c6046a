"""The Slack adapter: a bolt AsyncApp over HTTP at /slack/events, or over Socket Mode with an app token."""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from starlette.routing import BaseRoute, Route

from bot.adapters.slack.convert import PLATFORM
from bot.adapters.slack.edge import SlackEdge
from bot.adapters.slack.home import HomeTab
from bot.adapters.slack.inbound import BotIdentity, SlackInbound
from bot.adapters.slack.interactions import SlackInteractions
from bot.adapters.slack.listeners import register_listeners
from bot.adapters.slack.outbox import ChannelPacer, SlackOutbox
from bot.adapters.slack.people import SlackDirectory
from bot.adapters.slack.reply import SlackReplier
from bot.adapters.slack.startup import missing_signing_secret, token_checked
from bot.adapters.slack.work import AfterAck
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.inbox_worker import Inbox, InboxItem
from bot.messages import Reply
from bot.outbox_sender import Delivered, DeliveryResult, OutboxItem, StartSending

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
API_TIMEOUT = 10
STOP_GRACE = 10.0  # seconds to let acknowledged work finish when stopping


class SlackAdapter:
    """Slack for engagebot: converts requests, dispatches after the ack, renders replies, delivers notices."""

    platform = PLATFORM

    def __init__(self, dispatcher: Dispatcher, settings: Settings, inbox: Inbox) -> None:
        if not settings.slack_app_token and not settings.slack_signing_secret:
            raise missing_signing_secret()
        self._settings = settings
        self.client = AsyncWebClient(
            token=settings.slack_bot_token,
            base_url=settings.slack_api_url,
            timeout=API_TIMEOUT,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(),
                AsyncRateLimitErrorRetryHandler(max_retry_count=1),
                AsyncServerErrorRetryHandler(max_retry_count=2),
            ],
        )
        self.work = AfterAck()
        self.inbox = inbox
        directory = SlackDirectory(self.client)
        self.home = HomeTab(dispatcher, self.client, directory, self.work)
        replier = SlackReplier(self.client)
        self.inbound = SlackInbound(
            dispatcher, inbox, self.client, directory, replier, self.home, settings.kudos_emoji
        )
        self.interactions = SlackInteractions(self.inbound)
        self._outbox = SlackOutbox(self.client, ChannelPacer())
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret,
            process_before_response=True,  # the ack is the response: sent once the listener has stored it
            request_verification_enabled=False,  # the edge verified the raw bytes before anything was parsed
            name="engagebot",
        )
        register_listeners(self.bolt, self.inbound, self.interactions, self.work, inbox)
        inbox.register(PLATFORM, self.handle, order_key)
        self._socket: AsyncSocketModeHandler | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def socket_mode(self) -> bool:
        return bool(self._settings.slack_app_token)

    def routes(self) -> list[BaseRoute]:
        if self.socket_mode:
            return []  # Socket Mode: Slack sends over the socket the app opened, nothing comes over HTTP
        edge = SlackEdge(self.bolt, self._settings.slack_signing_secret, self._settings.max_body_bytes)
        return [Route(EVENTS_PATH, edge.handle, methods=["POST"])]

    async def handle(self, item: InboxItem) -> str:
        """Handle one stored delivery; says what it was."""
        if item.kind == "command":
            return await self.inbound.slash_command(item)
        if item.kind == "message":
            return await self.inbound.message(item)
        if item.kind == "reaction":
            return await self.inbound.reaction(item)
        if item.kind == "shortcut":
            return await self.inbound.save_as_idea(item)
        if item.kind == "button":
            return await self.interactions.button(item)
        if item.kind == "view":
            return await self.interactions.submitted(item)
        raise ValueError(f"no Slack delivery of kind {item.kind!r}")

    async def start(self) -> None:
        # One HTTP session for every Web API and response_url call: connections are reused.
        self._session = aiohttp.ClientSession()
        self.client.session = self._session
        async with token_checked("SLACK_BOT_TOKEN", self._settings.slack_api_url):
            me = await self.client.auth_test()
        self.inbound.identity = BotIdentity(str(me["user_id"]), str(me.get("user") or "engagebot"))
        if self.socket_mode:
            app_token = self._settings.slack_app_token
            # Asked here rather than by connect_async, which retries a refused token forever.
            async with token_checked("SLACK_APP_TOKEN", self._settings.slack_api_url):
                opened = await self.client.apps_connections_open(app_token=app_token)
            self._socket = AsyncSocketModeHandler(self.bolt, app_token, web_client=self.client)
            self._socket.client.wss_uri = str(opened["url"])
            await self._socket.connect_async()  # type: ignore[no-untyped-call]  # untyped in bolt
        log.info("Slack is on (%s)", "Socket Mode" if self.socket_mode else f"HTTP at {EVENTS_PATH}")

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if not await self.work.idle(STOP_GRACE):
            log.warning("stopping with Slack work still running (modals, Home tabs)")
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def idle(self, timeout: float) -> bool:
        """Wait until every acknowledged request has been handled and answered (and modals opened)."""
        return await self.inbox.idle(timeout) and await self.work.idle(timeout)

    async def deliver(self, item: OutboxItem, reply: Reply, start_sending: StartSending) -> DeliveryResult:
        result = await self._outbox.deliver(item, reply, start_sending)
        if isinstance(result, Delivered) and item.target_kind == "person":
            self.home.refresh(item.target)
        return result


def order_key(item: InboxItem) -> str:
    """One person's deliveries in one conversation are handled in order; everyone else's alongside."""
    payload = item.payload
    user = payload.get("user_id") or payload.get("user") or ""
    if isinstance(user, dict):
        user = user.get("id", "")
    channel = payload.get("channel_id") or payload.get("channel") or ""
    if isinstance(channel, dict):
        channel = channel.get("id", "")
    if item.kind == "reaction":
        channel = (payload.get("item") or {}).get("channel", "")
    return f"{channel}:{user}"
