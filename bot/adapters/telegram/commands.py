"""The command menus Telegram shows: every registry command, in each language, for private chats and groups."""

from __future__ import annotations

import logging
import re

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)
from telegram.error import TelegramError

from bot.dispatcher import Dispatcher

log = logging.getLogger(__name__)

# None is the list for every language without its own: English.
MENU_LANGUAGES: tuple[str | None, ...] = (None, "sv", "nb", "da")
MENU_SCOPES: tuple[BotCommandScope, ...] = (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats())
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_DESCRIPTION_LIMIT = 256


def menu(dispatcher: Dispatcher, locale: str) -> list[BotCommand]:
    """The commands with their summaries in `locale`, within Telegram's limits."""
    return [
        BotCommand(name, summary[:_DESCRIPTION_LIMIT])
        for name, summary in dispatcher.command_menu(locale)
        if _COMMAND_NAME.fullmatch(name)
    ]


async def publish_menus(bot: Bot, dispatcher: Dispatcher) -> None:
    """setMyCommands for each language and scope; a menu that fails is logged, not fatal."""
    for language in MENU_LANGUAGES:
        commands = menu(dispatcher, language or "en")
        for scope in MENU_SCOPES:
            try:
                await bot.set_my_commands(commands, scope=scope, language_code=language)
            except TelegramError:
                log.exception("could not set the %s command menu for %s", language or "default", scope.type)
