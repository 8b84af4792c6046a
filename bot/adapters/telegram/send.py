"""Putting a rendered Reply into a chat: a new message, or an edit of a card; a poll as Telegram's own."""

from __future__ import annotations

import logging
from typing import TypedDict

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, InputFile, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot

from bot.adapters.telegram.limits import RequestOptions
from bot.adapters.telegram.render import telegram_text, to_html, to_keyboard
from bot.messages import Image, Reply, shown_literally
from bot.outbox_sender import NativePoll, SentCopy, StartSending

log = logging.getLogger(__name__)
ChatId = int | str
CAPTION_LIMIT = 1024


class MessageFields(TypedDict):
    """A Reply as sendMessage's text, parse mode and keyboard."""

    text: str
    parse_mode: str
    reply_markup: InlineKeyboardMarkup | None


def message_fields(reply: Reply) -> MessageFields:
    return {"text": to_html(reply), "parse_mode": ParseMode.HTML, "reply_markup": to_keyboard(reply)}


def chat_id_of(target: str) -> ChatId:
    """Outbox targets are stored as text; numeric ones are chat ids, others `@channelusername`."""
    return int(target) if target.lstrip("-").isdigit() else target


async def send_reply(bot: Bot, chat_id: ChatId, reply: Reply, quote: int | None = None) -> Message:
    """Send `reply` to the chat, quoting message `quote` if given; raises Telegram's errors."""
    return await bot.send_message(chat_id, **message_fields(reply), reply_parameters=_quoting(quote))


async def send_notice(
    bot: ExtBot[RequestOptions],
    chat_id: ChatId,
    reply: Reply,
    start_sending: StartSending,
    quote: int | None = None,
) -> Message:
    """Send an outbox notice; `start_sending` is awaited in its turn (RequestWithdrawnError if it says no).

    A reply's chart follows as a photo (its caption is the chart's title: a caption holds 1,024
    characters, too few for a digest's text).
    """
    options = RequestOptions(before_sending=start_sending)
    sent = await bot.send_message(
        chat_id, **message_fields(reply), reply_parameters=_quoting(quote), rate_limit_args=options
    )
    if reply.image is not None:
        await _send_photo(bot, chat_id, reply.image, options)
    return sent


async def _send_photo(
    bot: ExtBot[RequestOptions], chat_id: ChatId, image: Image, options: RequestOptions
) -> None:
    """The chart after its message; a failure is logged, not raised: a retry would send the text twice."""
    photo = InputFile(image.png, filename=image.filename)
    try:
        caption = telegram_text(image.title)[:CAPTION_LIMIT]
        await bot.send_photo(chat_id, photo, caption=caption, rate_limit_args=options)
    except TelegramError as error:
        log.warning("the chart %s did not reach %s: %s", image.filename, chat_id, error)


async def send_native_poll(
    bot: ExtBot[RequestOptions], chat_id: ChatId, poll: NativePoll, start_sending: StartSending
) -> SentCopy:
    """sendPoll with the poll's question, options and promises; where it went, for its answers to find it.

    Telegram keeps no entity but custom emoji in a poll's question and options, so an `@name` there is no
    mention, and nothing is added to them: they may be exactly as long as Telegram allows.
    """
    sent = await bot.send_poll(
        chat_id,
        shown_literally(poll.question),
        [shown_literally(option) for option in poll.options],
        is_anonymous=poll.anonymous,
        allows_multiple_answers=poll.multiple,
        rate_limit_args=RequestOptions(before_sending=start_sending),
    )
    assert sent.poll is not None, "sendPoll answers with the poll"
    return SentCopy(poll.poll_id, str(sent.chat.id), sent.message_id, sent.poll.id)


async def stop_native_poll(
    bot: ExtBot[RequestOptions], chat_id: ChatId, message_id: int, start_sending: StartSending
) -> None:
    """stopPoll: the poll stays in the chat, frozen, with its last counts."""
    await bot.stop_poll(chat_id, message_id, rate_limit_args=RequestOptions(before_sending=start_sending))


def _quoting(message_id: int | None) -> ReplyParameters | None:
    return None if message_id is None else ReplyParameters(message_id, allow_sending_without_reply=True)


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
