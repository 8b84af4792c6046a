"""The Application's handlers: convert an update, dispatch it, answer in the chat; poll answers and counts."""

from __future__ import annotations

import dataclasses
import logging
from contextvars import ContextVar
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    PollHandler,
    filters,
)

from bot.adapters.telegram.convert import (
    COMMAND_ALIASES,
    action_from,
    addressed_command,
    answer_from,
    chat_message_from,
    command_from,
    event_key,
    is_group,
    names_a_bot,
)
from bot.adapters.telegram.render import to_alert
from bot.adapters.telegram.send import edit_card, send_reply
from bot.dispatcher import Dispatcher
from bot.i18n import N_, translator
from bot.inbox_worker import InboxItem
from bot.messages import Inbound, Reply
from bot.outbox_sender import AsyncDeliver, OutboxSender

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
# The stored delivery whose update the Application's handlers are running (set by the adapter).
CURRENT_DELIVERY: ContextVar[InboxItem | None] = ContextVar("telegram_delivery", default=None)
START_HINT = N_(
    ":point_right: I cannot message you privately yet. Open {link} and press Start, "
    "so that I can tell you when something happens."
)


class TelegramInbound:
    """Handler callbacks for commands, plain messages and button presses."""

    def __init__(self, dispatcher: Dispatcher, notices: OutboxSender, deliver: AsyncDeliver) -> None:
        self.dispatcher = dispatcher
        self.notices = notices
        self.deliver = deliver
        self.dispatched: set[int] = set()  # deliveries the handlers dispatched (the dispatcher settles them)

    def register(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Every registry command (also as `/name@bot`), other commands, text and buttons."""
        new_messages = filters.UpdateType.MESSAGE
        for name in sorted(self.dispatcher.command_names()):
            application.add_handler(CommandHandler(name, self.on_command, filters=new_messages))
        for alias in COMMAND_ALIASES:
            application.add_handler(CommandHandler(alias, self.on_command, filters=new_messages))
        application.add_handler(MessageHandler(filters.COMMAND & new_messages, self.on_other_command))
        application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & new_messages, self.on_text))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(PollAnswerHandler(self.on_poll_answer))
        application.add_handler(PollHandler(self.on_poll))
        application.add_error_handler(self.on_error)

    async def on_command(self, update: Update, context: Context) -> None:
        message = update.message
        if message is None:
            return
        command = command_from(message, context.bot.username, _key(update, context))
        if command is not None:
            await self._answer(message, command, context)

    async def on_other_command(self, update: Update, context: Context) -> None:
        """A command we do not know: answered in private, or in a group when it names this bot."""
        message = update.message
        if message is None or (is_group(message.chat) and not names_a_bot(message)):
            return  # in a group, `/something` may be meant for another bot
        await self.on_command(update, context)

    async def on_text(self, update: Update, context: Context) -> None:
        """Private chats: any message (kudos by emoji). Groups: only messages that mention the bot."""
        message = update.message
        if message is None:
            return
        key = _key(update, context)
        if is_group(message.chat):
            inbound: Inbound | None = addressed_command(message, context.bot.username, key)
        else:
            inbound = chat_message_from(message, key)
        if inbound is not None:
            await self._answer(message, inbound, context)

    async def on_button(self, update: Update, context: Context) -> None:
        """Answer the press (an alert when refused) and show the outcome in place of the card."""
        query = update.callback_query
        if query is None:
            return
        action = action_from(query, _key(update, context))
        reply = await self._dispatch(action) if action is not None else None
        if reply is not None and reply.is_error:
            await _answer_query(query, to_alert(reply))
            return
        await _answer_query(query)
        if reply is not None:
            await edit_card(context.bot, query, reply)

    async def on_poll_answer(self, update: Update, context: Context) -> None:
        """A vote in a public poll the bot sent: the voter's whole choice, as a button press would be.

        Telegram shows the vote itself, so nothing is said (a refusal, e.g. after close, neither).
        """
        answer = update.poll_answer
        action = answer_from(answer, _key(update, context)) if answer is not None else None
        if action is not None:
            await self._dispatch(action)

    async def on_poll(self, update: Update, context: Context) -> None:
        """A poll the bot sent, as it stands now: for an anonymous one, its counts (never who voted)."""
        poll, delivery = update.poll, CURRENT_DELIVERY.get()
        if poll is None:
            return
        counts = [option.voter_count for option in poll.options]
        if delivery is not None:
            self.dispatched.add(delivery.id)
        await self.dispatcher.count_native_poll(
            poll.id, counts, poll.total_voter_count, update.update_id, None if delivery is None else delivery.id
        )

    async def on_error(self, update: object, context: Context) -> None:
        if isinstance(context.error, TelegramError):  # Telegram refused an answer: the update was handled
            log.warning("answering a Telegram update failed: %s", context.error)
            return
        log.error("handling a Telegram update failed", exc_info=context.error)

    async def _dispatch(self, inbound: Inbound, queue_reply: dict[str, Any] | None = None) -> Reply | None:
        delivery = CURRENT_DELIVERY.get()
        if delivery is not None:
            self.dispatched.add(delivery.id)
        return await self.dispatcher.dispatch(inbound, None if delivery is None else delivery.id, queue_reply)

    async def _answer(self, message: Message, inbound: Inbound, context: Context) -> None:
        """The answer goes into the outbox with the handling, and out in the chat's turn.

        Nothing is lost between the commit and the send, and a group's 20 messages a minute delay
        the answer without holding up anything else. Only when the database could not take the
        answer (it is away) is it sent from here.
        """
        group = is_group(message.chat)
        where: dict[str, Any] = {"quote": message.message_id} if group else {}
        if group:
            where["hint_for"] = inbound.actor.external_id  # told how to start the bot, if notices bounce
        reply = await self._dispatch(inbound, where)
        if reply is not None:
            await send_reply(context.bot, message.chat_id, reply, where.get("quote"))
            return
        await self.send_answers(str(message.chat_id))

    async def send_answers(self, chat: str) -> None:
        """Send the answers queued for `chat` now (the outbox's own turn would come later)."""
        await self.notices.drain_async(self.deliver, replies_to=chat)

    def with_start_hint(self, reply: Reply, person: str, locale: str, bot_username: str) -> Reply:
        """In a group, tell someone whose private notices bounce how to start the bot."""
        if not self.notices.unreachable(person):
            return reply
        hint = translator(locale).t(START_HINT, link=f"https://t.me/{bot_username}")
        return dataclasses.replace(reply, lines=(*reply.lines, hint))


def _key(update: Update, context: Context) -> str:
    return event_key(context.bot.id, update.update_id)


async def _answer_query(query: CallbackQuery, alert: str | None = None) -> None:
    try:
        await query.answer(alert, show_alert=alert is not None)
    except BadRequest as error:  # too old, or answered already (a redelivered update)
        log.info("callback query %s not answered: %s", query.id, error.message)
