"""Telegram through python-telegram-bot: long polling, or a webhook on the shared web app; outbox delivery."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from starlette.routing import BaseRoute
from telegram import Update
from telegram.ext import Application, ApplicationBuilder

from bot.adapters.telegram.commands import publish_menus
from bot.adapters.telegram.convert import PLATFORM, event_key
from bot.adapters.telegram.inbound import CURRENT_DELIVERY, TelegramInbound
from bot.adapters.telegram.limits import FloodLimiter
from bot.adapters.telegram.outbox import deliver
from bot.adapters.telegram.polling import Poller, readable
from bot.adapters.telegram.startup import connected
from bot.adapters.telegram.webhook import webhook_route
from bot.config import Settings, StartupError
from bot.dispatcher import Dispatcher
from bot.inbox_worker import Inbox, InboxItem, NewDelivery
from bot.messages import QUEUED_REPLY, Reply
from bot.outbox_sender import DeliveryResult, OutboxItem, OutboxSender, StartSending

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.POLL, Update.POLL_ANSWER]
TelegramApplication = Application[Any, Any, Any, Any, Any, Any]


def build_application(settings: Settings) -> TelegramApplication:
    """A PTB Application on the configured Bot API: its handlers route updates the inbox hands over.

    No JobQueue (APScheduler ticks here) and no Updater (see polling.py): updates arrive through the
    inbox, which keeps each chat's in order.
    """
    api_url = settings.telegram_api_url
    return (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(api_url)
        .base_file_url(api_url.removesuffix("bot") + "file/bot")
        .rate_limiter(FloodLimiter(per_second=30, group_per_minute=20, max_retries=3))
        .updater(None)
        .job_queue(None)
        .build()
    )


class TelegramAdapter:
    """The PlatformAdapter for Telegram: one PTB Application, its handlers, and outbox delivery."""

    platform = PLATFORM

    def __init__(self, dispatcher: Dispatcher, settings: Settings, inbox: Inbox) -> None:
        if settings.telegram_webhook_url and not settings.telegram_webhook_secret:
            raise StartupError(
                "TELEGRAM_WEBHOOK_SECRET",
                "must be set when TELEGRAM_WEBHOOK_URL is: 1-256 characters of A-Z a-z 0-9 _ -, "
                "so that only Telegram can post updates to the webhook",
            )
        self.settings = settings
        self.dispatcher = dispatcher
        self.inbox = inbox
        self.application = build_application(settings)
        notices = OutboxSender(dispatcher.uow, dispatcher.registry, PLATFORM)
        self.inbound = TelegramInbound(dispatcher, notices, self.deliver)
        self.inbound.register(self.application)
        inbox.register(PLATFORM, self.handle, order_key)
        self._poller = Poller(self.application.bot, self._store_all, ALLOWED_UPDATES)

    @property
    def webhook_mode(self) -> bool:
        return bool(self.settings.telegram_webhook_url)

    def routes(self) -> list[BaseRoute]:
        if not self.webhook_mode:
            return []
        bot = self.application.bot
        return [
            webhook_route(
                self.settings.telegram_webhook_secret,
                self.settings.max_body_bytes,
                lambda update: readable(update, bot),
                self._store,
            )
        ]

    async def start(self) -> None:
        """Connect (getMe), publish the command menus, then poll or register the webhook."""
        application = self.application
        async with connected(application.bot, self.settings.telegram_api_url):
            await application.initialize()
        await publish_menus(application.bot, self.dispatcher)
        await application.start()
        if self.webhook_mode:
            await application.bot.set_webhook(
                self.settings.telegram_webhook_url,
                secret_token=self.settings.telegram_webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            await application.bot.delete_webhook()
            self._poller.start()
        log.info("Telegram: @%s %s", application.bot.username, "webhook" if self.webhook_mode else "polling")

    async def stop(self) -> None:
        """Stop polling and handling; a webhook stays registered for the other replicas and the next start."""
        application = self.application
        await self._poller.stop()
        if application.running:
            await application.stop()
        await application.shutdown()

    async def _store(self, update: dict[str, Any]) -> None:
        await self.inbox.accept(self._delivery(update))

    async def _store_all(self, updates: list[dict[str, Any]]) -> None:
        """Store a polled batch: the accepts are written together, and any failure raises."""
        await asyncio.gather(*(self.inbox.accept(self._delivery(update)) for update in updates))

    def _delivery(self, update: dict[str, Any]) -> NewDelivery:
        key = event_key(self.application.bot.id, int(update["update_id"]))
        return NewDelivery(PLATFORM, key, "update", update)

    async def handle(self, item: InboxItem) -> str:
        """Run a stored update through the Application's handlers (which read the delivery from context).

        An update no handler dispatched (chatter in a group, a command for another bot) is settled here;
        left pending, it would be claimed and run again each time its lease ran out.
        """
        update = Update.de_json(item.payload, self.application.bot)
        token = CURRENT_DELIVERY.set(item)
        try:
            await self.application.process_update(update)
        finally:
            CURRENT_DELIVERY.reset(token)
        if item.id in self.inbound.dispatched:
            self.inbound.dispatched.discard(item.id)
        else:
            self.inbox.settle_later(item.id)
        return describe(update)

    async def idle(self, timeout: float) -> bool:
        """Wait until every stored update has been handled and its answer sent; False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if not await self.inbox.idle(timeout):
            return False
        while await asyncio.to_thread(self.inbound.notices.answers_waiting):
            if loop.time() > deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    async def deliver(self, item: OutboxItem, reply: Reply, start_sending: StartSending) -> DeliveryResult:
        """Send one outbox message; an answer in a group says how to start the bot if notices bounce."""
        hint_for = item.payload.get("hint_for") if item.kind == QUEUED_REPLY else None
        if hint_for:
            bot_username = self.application.bot.username
            hinted = self.inbound.with_start_hint
            reply = await asyncio.to_thread(hinted, reply, str(hint_for), item.locale, bot_username)
        return await deliver(self.application.bot, item, reply, start_sending)


def order_key(item: InboxItem) -> str:
    """A chat's updates are handled in the order they were sent; different chats' side by side.

    A Telegram poll's answers and counts name no chat: they are kept in order per poll.
    """
    payload = item.payload
    native = (payload.get("poll_answer") or {}).get("poll_id") or (payload.get("poll") or {}).get("id")
    if native is not None:
        return f"poll:{native}"
    message = payload.get("message") or (payload.get("callback_query") or {}).get("message") or {}
    chat = (message.get("chat") or {}).get("id")
    return str(chat) if chat is not None else f"update:{payload.get('update_id')}"


def describe(update: Update) -> str:
    """What an update was, for the log line: its command, or the kind of update."""
    if update.callback_query is not None:
        return f"button {(update.callback_query.data or '').partition(':')[0]}"
    if update.poll_answer is not None:
        return "poll answer"
    if update.poll is not None:
        return "poll counts"
    text = update.message.text if update.message is not None else None
    if text and text.startswith("/"):
        return text.split(maxsplit=1)[0].partition("@")[0]
    return "message"
