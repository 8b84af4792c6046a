"""Outbox delivery on Telegram: send one notice and say what became of it, never raising.

A poll card the core marked as fit goes out as Telegram's own poll (sendPoll), and its stop notice
as stopPoll; the rule for when is the core's (bot/core/poll_native.py), not the adapter's.
"""

from __future__ import annotations

from collections.abc import Awaitable

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.adapters.telegram.limits import RequestOptions, RequestWithdrawnError, retry_after_seconds
from bot.adapters.telegram.send import ChatId, chat_id_of, send_native_poll, send_notice, stop_native_poll
from bot.messages import QUEUED_REPLY, Reply
from bot.outbox_sender import (
    ClaimLost,
    Delivered,
    DeliveryResult,
    NativePoll,
    OutboxItem,
    RetryLater,
    StartSending,
    Undeliverable,
    native_poll_of,
    native_stop_of,
)

FIRST_RETRY_SECONDS = 5.0
LONGEST_RETRY_SECONDS = 600.0
# Bad requests that mean this chat will never take a message from the bot.
UNREACHABLE_CHAT = ("chat not found", "user is deactivated", "have no rights to send", "not enough rights")
# A public poll cannot go to a channel (votes there are the channel's): the card goes instead.
PUBLIC_POLL_IN_CHANNEL = "non-anonymous polls can't be sent to channel chats"
# Bad requests to stopPoll that mean there is nothing left to stop.
NOTHING_TO_STOP = (
    "poll has already been closed",
    "message with poll to stop not found",
    "message to edit not found",
)


async def deliver(
    bot: ExtBot[RequestOptions], item: OutboxItem, reply: Reply, start_sending: StartSending
) -> DeliveryResult:
    """Send the notice; 429s were already waited out and retried by the bot's FloodLimiter.

    The limiter awaits `start_sending` when the send's turn has come, so the notice is marked as
    going out right before the request, not while it queues for the 30 a second.
    """
    chat = chat_id_of(item.target)
    native, stop = native_poll_of(item), native_stop_of(item)
    if native is not None:
        return await _settled(item, _sent_poll(bot, chat, native, reply, _once(start_sending)))
    if stop is not None:
        return await _settled(item, _stopped(stop_native_poll(bot, chat, stop.message_id, start_sending)))
    quote = item.payload.get("quote") if item.kind == QUEUED_REPLY else None
    starting = _once(start_sending) if reply.image is not None else start_sending  # a message and a photo
    sending = send_notice(bot, chat, reply, starting, quote if isinstance(quote, int) else None)
    return await _settled(item, _delivered(sending))


async def _delivered(sending: Awaitable[object]) -> DeliveryResult:
    await sending
    return Delivered()


async def _sent_poll(
    bot: ExtBot[RequestOptions], chat: ChatId, poll: NativePoll, card: Reply, start_sending: StartSending
) -> DeliveryResult:
    """The poll as Telegram's own; where Telegram refuses it (a public poll in a channel), the card."""
    try:
        return Delivered(poll=await send_native_poll(bot, chat, poll, start_sending))
    except BadRequest as error:
        if PUBLIC_POLL_IN_CHANNEL not in error.message.lower():
            raise
    await send_notice(bot, chat, card, start_sending)
    return Delivered()


def _once(start_sending: StartSending) -> StartSending:
    """`start_sending` for a notice that may take a second request: marked going out once, at the first."""
    started: list[bool] = []

    async def start() -> bool:
        if not started:
            started.append(await start_sending())
        return started[0]

    return start


async def _stopped(stopping: Awaitable[object]) -> DeliveryResult:
    try:
        await stopping
    except BadRequest as error:
        if any(reason in error.message.lower() for reason in NOTHING_TO_STOP):
            return Delivered()  # closed in the chat already, or deleted there: frozen either way
        raise
    return Delivered()


async def _settled(item: OutboxItem, sending: Awaitable[DeliveryResult]) -> DeliveryResult:
    """What became of a send: Telegram's errors as outbox outcomes."""
    try:
        return await sending
    except RequestWithdrawnError:
        return ClaimLost()
    except Forbidden as refusal:  # never started the bot, blocked it, or removed it from the group
        return Undeliverable(refusal.message)
    except ChatMigrated as moved:  # a group became a supergroup with a new id
        return Undeliverable(f"{moved.message} (new chat id {moved.new_chat_id})")
    except RetryAfter as flood:
        return RetryLater(retry_after_seconds(flood), flood.message)
    except BadRequest as error:
        if any(reason in error.message.lower() for reason in UNREACHABLE_CHAT):
            return Undeliverable(error.message)
        return RetryLater(LONGEST_RETRY_SECONDS, error.message)
    except TelegramError as error:  # 5xx, connection trouble, timeouts (which may have got through)
        return RetryLater(_backoff(item.attempts), f"{type(error).__name__}: {error.message}")


def _backoff(attempts: int) -> float:
    return min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2.0 ** max(0, attempts - 1))
