"""Telegram refusing the token, or not answering, at start: a StartupError naming the setting to check."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot
from telegram.error import BadRequest, InvalidToken, NetworkError

from bot.config import StartupError


@asynccontextmanager
async def connected(bot: Bot, api_url: str) -> AsyncIterator[None]:
    """Around the first getMe: a refusal or no answer becomes a StartupError, once the HTTP clients
    PTB opened before asking are closed again."""
    try:
        yield
    except InvalidToken:
        await bot.shutdown()
        raise StartupError(
            "TELEGRAM_BOT_TOKEN",
            "Telegram refused the token (getMe): copy it again from @BotFather (/mybots, then API Token); "
            "a revoked token stops working",
        ) from None
    except NetworkError as error:
        if isinstance(error, BadRequest):  # an answer, not silence: nothing to explain here
            raise
        await bot.shutdown()
        raise StartupError(
            "TELEGRAM_API_URL",
            f"Telegram's Bot API at {api_url} does not answer ({error.message}): check the network, "
            "any proxy, and TELEGRAM_API_URL",
        ) from None
