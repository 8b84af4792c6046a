"""Telegram through python-telegram-bot: long polling, or a webhook on the shared web app; outbox delivery."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from starlette.routing import BaseRoute
from telegram import Update
from telegram.ext import Application, ApplicationBuilder

from bot.adapters.telegram.commands import publish_menus
from bot.adapters.telegram.convert import PLATFORM
from bot.adapters.telegram.inbound import TelegramInbound
from bot.adapters.telegram.limits import FloodLimiter
from bot.adapters.telegram.outbox import deliver
from bot.adapters.telegram.updates import ChatOrderedUpdateProcessor
from bot.adapters.telegram.webhook import webhook_route
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.messages import Reply
from bot.outbox_sender import DeliveryResult, OutboxItem, OutboxSender, StartSending

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
CONCURRENT_UPDATES = 64
TelegramApplication = Application[Any, Any, Any, Any, Any, Any]


def build_application(settings: Settings) -> TelegramApplication:
    """A PTB Application on the configured Bot API, without PTB's JobQueue (APScheduler ticks here)."""
    api_url = settings.telegram_api_url
    return (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(api_url)
        .base_file_url(api_url.removesuffix("bot") + "file/bot")
        .rate_limiter(FloodLimiter(per_second=30, group_per_minute=20, max_retries=3))
        .concurrent_updates(ChatOrderedUpdateProcessor(CONCURRENT_UPDATES))
        .job_queue(None)
        .build()
    )


class TelegramAdapter:
    """The PlatformAdapter for Telegram: one PTB Application, its handlers, and outbox delivery."""

    platform = PLATFORM

    def __init__(self, dispatcher: Dispatcher, settings: Settings, kick: Callable[[], None]) -> None:
        if settings.telegram_webhook_url and not settings.telegram_webhook_secret:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_WEBHOOK_URL is")
        self.settings = settings
        self.dispatcher = dispatcher
        self.application = build_application(settings)
        notices = OutboxSender(dispatcher.uow, dispatcher.registry, PLATFORM)
        TelegramInbound(dispatcher, kick, notices).register(self.application)

    @property
    def webhook_mode(self) -> bool:
        return bool(self.settings.telegram_webhook_url)

    def routes(self) -> list[BaseRoute]:
        if not self.webhook_mode:
            return []
        return [webhook_route(self.settings.telegram_webhook_secret, self.receive)]

    async def start(self) -> None:
        """Connect (getMe), publish the command menus, then poll or register the webhook."""
        application = self.application
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
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        log.info("Telegram: @%s %s", application.bot.username, "webhook" if self.webhook_mode else "polling")

    async def stop(self) -> None:
        """Stop polling and handling; a webhook stays registered for the other replicas and the next start."""
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()

    async def receive(self, data: dict[str, Any]) -> bool:
        """Handle one update from the webhook, in its chat's turn; False until the bot is running."""
        application = self.application
        if not application.running:
            return False
        try:
            update = Update.de_json(data, application.bot)
        except (KeyError, TypeError, ValueError):
            log.warning("ignoring a webhook body that is not an update")
            return True  # sending it again would not make it one
        await application.update_processor.process_update(update, application.process_update(update))
        return True

    async def deliver(self, item: OutboxItem, reply: Reply, start_sending: StartSending) -> DeliveryResult:
        return await deliver(self.application.bot, item, reply, start_sending)
