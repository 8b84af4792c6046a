"""The Slack adapter: a bolt AsyncApp over HTTP at /slack/events, or over Socket Mode with an app token."""

from __future__ import annotations

import logging
from collections.abc import Callable

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.adapters.slack.convert import PLATFORM
from bot.adapters.slack.home import HomeTab
from bot.adapters.slack.inbound import BotIdentity, SlackInbound
from bot.adapters.slack.interactions import SlackInteractions
from bot.adapters.slack.listeners import register_listeners
from bot.adapters.slack.outbox import ChannelPacer, SlackOutbox
from bot.adapters.slack.people import SlackDirectory
from bot.adapters.slack.reply import SlackReplier
from bot.adapters.slack.work import AfterAck
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.messages import Reply
from bot.outbox_sender import Delivered, DeliveryResult, OutboxItem, StartSending

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
API_TIMEOUT = 10
STOP_GRACE = 10.0  # seconds to let acknowledged work finish when stopping


class SlackAdapter:
    """Slack for engagebot: converts requests, dispatches after the ack, renders replies, delivers notices."""

    platform = PLATFORM

    def __init__(self, dispatcher: Dispatcher, settings: Settings, kick: Callable[[], None]) -> None:
        if not settings.slack_app_token and not settings.slack_signing_secret:
            raise ValueError("SLACK_SIGNING_SECRET is needed to check requests (or set SLACK_APP_TOKEN)")
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
        directory = SlackDirectory(self.client)
        self.home = HomeTab(dispatcher, self.client, directory, self.work)
        self.inbound = SlackInbound(
            dispatcher, self.client, directory, SlackReplier(self.client), self.home, kick, settings.kudos_emoji
        )
        self._outbox = SlackOutbox(self.client, ChannelPacer())
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret,
            process_before_response=True,  # listeners only ack; the work is spawned (see slack_listeners)
            name="engagebot",
        )
        register_listeners(self.bolt, self.inbound, SlackInteractions(self.inbound), self.work)
        self._http = AsyncSlackRequestHandler(self.bolt)
        self._socket: AsyncSocketModeHandler | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def socket_mode(self) -> bool:
        return bool(self._settings.slack_app_token)

    def routes(self) -> list[BaseRoute]:
        return [] if self.socket_mode else [Route(EVENTS_PATH, self._on_request, methods=["POST"])]

    async def _on_request(self, request: Request) -> Response:
        return await self._http.handle(request)

    async def start(self) -> None:
        # One HTTP session for every Web API and response_url call: connections are reused.
        self._session = aiohttp.ClientSession()
        self.client.session = self._session
        me = await self.client.auth_test()
        self.inbound.identity = BotIdentity(str(me["user_id"]), str(me.get("user") or "engagebot"))
        if self.socket_mode:
            self._socket = AsyncSocketModeHandler(
                self.bolt, self._settings.slack_app_token, web_client=self.client
            )
            await self._socket.connect_async()  # type: ignore[no-untyped-call]  # untyped in bolt
        log.info("Slack is on (%s)", "Socket Mode" if self.socket_mode else f"HTTP at {EVENTS_PATH}")

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if not await self.work.idle(STOP_GRACE):
            log.warning("stopping with Slack work still running")
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def idle(self, timeout: float) -> bool:
        """Wait until every acknowledged request has been handled and answered."""
        return await self.work.idle(timeout)

    async def deliver(self, item: OutboxItem, reply: Reply, start_sending: StartSending) -> DeliveryResult:
        result = await self._outbox.deliver(item, reply, start_sending)
        if isinstance(result, Delivered) and item.target_kind == "person":
            self.home.refresh(item.target)
        return result
