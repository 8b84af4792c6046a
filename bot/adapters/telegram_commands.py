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

from bot.i18n import translator
from bot.registry import Registry

log = logging.getLogger(__name__)

# None is the list for every language without its own: English.
MENU_LANGUAGES: tuple[str | None, ...] = (None, "sv", "nb", "da")
MENU_SCOPES: tuple[BotCommandScope, ...] = (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats())
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_DESCRIPTION_LIMIT = 256


def menu(registry: Registry, locale: str) -> list[BotCommand]:
    """The registry's commands with their summaries in `locale`, within Telegram's limits."""
    t = translator(locale)
    return [
        BotCommand(spec.name, t.t(spec.summary)[:_DESCRIPTION_LIMIT])
        for spec in registry.commands
        if _COMMAND_NAME.fullmatch(spec.name)
    ]


async def publish_menus(bot: Bot, registry: Registry) -> None:
    """setMyCommands for each language and scope; a menu that fails is logged, not fatal."""
    for language in MENU_LANGUAGES:
        commands = menu(registry, language or "en")
        for scope in MENU_SCOPES:
            try:
                await bot.set_my_commands(commands, scope=scope, language_code=language)
            except TelegramError:
                log.exception("could not set the %s command menu for %s", language or "default", scope.type)
