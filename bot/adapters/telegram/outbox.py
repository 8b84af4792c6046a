"""Outbox delivery on Telegram: send one notice and say what became of it, never raising."""

from __future__ import annotations

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.adapters.telegram.limits import RequestOptions, RequestWithdrawnError, retry_after_seconds
from bot.adapters.telegram.send import chat_id_of, send_notice
from bot.messages import QUEUED_REPLY, Reply
from bot.outbox_sender import (
    ClaimLost,
    Delivered,
    DeliveryResult,
    OutboxItem,
    RetryLater,
    StartSending,
    Undeliverable,
)

FIRST_RETRY_SECONDS = 5.0
LONGEST_RETRY_SECONDS = 600.0
# Bad requests that mean this chat will never take a message from the bot.
UNREACHABLE_CHAT = ("chat not found", "user is deactivated", "have no rights to send", "not enough rights")


async def deliver(
    bot: ExtBot[RequestOptions], item: OutboxItem, reply: Reply, start_sending: StartSending
) -> DeliveryResult:
    """Send the notice; 429s were already waited out and retried by the bot's FloodLimiter.

    The limiter awaits `start_sending` when the send's turn has come, so the notice is marked as
    going out right before the request, not while it queues for the 30 a second.
    """
    quote = item.payload.get("quote") if item.kind == QUEUED_REPLY else None
    try:
        await send_notice(
            bot, chat_id_of(item.target), reply, start_sending, quote if isinstance(quote, int) else None
        )
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
    return Delivered()


def _backoff(attempts: int) -> float:
    return min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2.0 ** max(0, attempts - 1))
