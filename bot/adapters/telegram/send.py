"""Putting a rendered Reply into a chat: a new message, or an edit of a card."""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.adapters.telegram.render import to_html, to_keyboard
from bot.messages import Reply

log = logging.getLogger(__name__)
ChatId = int | str


def chat_id_of(target: str) -> ChatId:
    """Outbox targets are stored as text; numeric ones are chat ids, others `@channelusername`."""
    return int(target) if target.lstrip("-").isdigit() else target


async def send_reply(bot: Bot, chat_id: ChatId, reply: Reply, quote: int | None = None) -> Message:
    """Send `reply` to the chat, quoting message `quote` if given; raises Telegram's errors."""
    reply_to = ReplyParameters(quote, allow_sending_without_reply=True) if quote is not None else None
    return await bot.send_message(
        chat_id,
        to_html(reply),
        parse_mode=ParseMode.HTML,
        reply_markup=to_keyboard(reply),
        reply_parameters=reply_to,
    )


async def edit_card(bot: Bot, query: CallbackQuery, reply: Reply) -> None:
    """Show `reply` in place of the message whose button was pressed (a new message if it is gone)."""
    card = query.message
    if card is None:
        return
    if not card.is_accessible:
        await send_reply(bot, card.chat.id, reply)
        return
    try:
        await bot.edit_message_text(
            to_html(reply),
            chat_id=card.chat.id,
            message_id=card.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=to_keyboard(reply),
        )
    except BadRequest as error:
        problem = error.message.lower()  # python-telegram-bot capitalises Telegram's messages
        if "message is not modified" in problem:
            log.debug("card %s already shows this reply", card.message_id)
        elif "message to edit not found" in problem or "message can't be edited" in problem:
            await send_reply(bot, card.chat.id, reply)
        else:
            raise
