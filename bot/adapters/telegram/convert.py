"""Telegram updates in, neutral types out: who wrote, where, and which command, button or message."""

from __future__ import annotations

import re
from typing import Literal

from telegram import CallbackQuery, Chat, Message, MessageEntity, PollAnswer, User
from telegram.constants import ChatType, MessageEntityType

from bot.messages import Action, Actor, ChatMessage, Command, Conversation, mention

PLATFORM = "telegram"
# Telegram's own conventions for commands the registry knows by another name.
COMMAND_ALIASES = {"start": "help"}


def event_key(bot_id: int, update_id: int) -> str:
    """Update ids are unique per bot, so the bot's id makes the key unique per deployment."""
    return f"{bot_id}:{update_id}"


def actor_of(user: User) -> Actor:
    """A Telegram user; a bot is nobody we can tell apart (see `sender_of`)."""
    return Actor(
        platform=PLATFORM,
        external_id=str(user.id),
        display_name=user.full_name,
        locale=user.language_code,
        handle=user.username,
        anonymous=user.is_bot,
    )


def sender_of(message: Message, user: User) -> Actor:
    """Who wrote a message. A group's anonymous admin (GroupAnonymousBot) and a channel's post
    (Channel_Bot) arrive with a shared bot as `from` and the group or channel as `sender_chat`:
    such a sender is anonymous, whoever is behind it."""
    chat = message.sender_chat
    if chat is not None:
        return Actor(PLATFORM, f"chat:{chat.id}", chat.title or "", anonymous=True)
    return actor_of(user)


def conversation_of(chat: Chat) -> Conversation:
    return Conversation(PLATFORM, str(chat.id), _kind(chat.type), chat.title or "")


def _kind(chat_type: str) -> Literal["direct", "channel", "group"]:
    if chat_type == ChatType.PRIVATE:
        return "direct"
    return "channel" if chat_type == ChatType.CHANNEL else "group"


def is_group(chat: Chat) -> bool:
    return chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def neutral_text(message: Message) -> tuple[str, tuple[Actor, ...]]:
    """The message text with mentions of users without a username (text-mention entities) as tokens.

    An `@username` mention stays as typed: the core finds the person by that handle.
    """
    text = message.text or ""
    entities = sorted(
        (e for e in message.entities if e.type == MessageEntityType.TEXT_MENTION and e.user),
        key=lambda entity: entity.offset,
    )
    if not entities:
        return text, ()
    # Entity offsets count UTF-16 code units.
    encoded = text.encode("utf-16-le")
    pieces: list[str] = []
    mentioned: list[Actor] = []
    cursor = 0
    for entity in entities:
        assert entity.user is not None
        pieces.append(encoded[cursor : entity.offset * 2].decode("utf-16-le"))
        pieces.append(mention(PLATFORM, str(entity.user.id)))
        mentioned.append(actor_of(entity.user))
        cursor = (entity.offset + entity.length) * 2
    pieces.append(encoded[cursor:].decode("utf-16-le"))
    return "".join(pieces), tuple(dict.fromkeys(mentioned))


def command_from(message: Message, bot_username: str, key: str) -> Command | None:
    """A `/command[@bot] text` message as a Command; None when it is addressed to another bot."""
    user, first = message.from_user, _leading_command(message)
    if user is None or first is None:
        return None
    word = message.parse_entity(first)[1:]
    name, _, addressee = word.partition("@")
    if addressee and addressee.lower() != bot_username.lower():
        return None
    text, mentioned = neutral_text(message)
    return _command(name, text[len(word) + 1 :], message, user, mentioned, key)


def names_a_bot(message: Message) -> bool:
    """Whether the message starts with a command written `/name@somebot`."""
    first = _leading_command(message)
    return first is not None and "@" in message.parse_entity(first)


def addressed_command(message: Message, bot_username: str, key: str) -> Command | None:
    """`@bot idea Fix the tap` in a group as the command it names; None unless it mentions the bot."""
    user = message.from_user
    if user is None:
        return None
    text, mentioned = neutral_text(message)
    mention = re.search(rf"(?<![\w@])@{re.escape(bot_username)}(?!\w)", text, re.IGNORECASE)
    if mention is None:
        return None
    words = text[mention.end() :].strip().lstrip("/").split(maxsplit=1)
    name = words[0].partition("@")[0] if words else "help"
    return _command(name, words[1] if len(words) > 1 else "", message, user, mentioned, key)


def chat_message_from(message: Message, key: str) -> ChatMessage | None:
    if message.from_user is None:
        return None
    text, mentioned = neutral_text(message)
    sender = sender_of(message, message.from_user)
    return ChatMessage(text, sender, conversation_of(message.chat), mentioned, key)


def action_from(query: CallbackQuery, key: str) -> Action | None:
    """A button press; None when Telegram no longer says where the button was, or carries no data."""
    if not query.data or query.message is None:
        return None
    name, arg = Action.parse_id(query.data)
    return Action(name, arg, actor_of(query.from_user), conversation_of(query.message.chat), key)


def _command(
    name: str, text: str, message: Message, user: User, mentioned: tuple[Actor, ...], key: str
) -> Command:
    name = name.lower()
    return Command(
        name=COMMAND_ALIASES.get(name, name),
        text="" if name in COMMAND_ALIASES else text.strip(),
        actor=sender_of(message, user),
        conversation=conversation_of(message.chat),
        mentioned=mentioned,
        event_key=key,
        link=message.link,
    )


def _leading_command(message: Message) -> MessageEntity | None:
    return next(
        (e for e in message.entities if e.type == MessageEntityType.BOT_COMMAND and e.offset == 0), None
    )


NATIVE_ANSWER = "poll.answer"  # the action a public poll's answer becomes: poll.answer:<poll id>:<positions>


def answer_from(answer: PollAnswer, key: str) -> Action | None:
    """A vote in a public poll the bot sent, as the voter's action; options counted from 1, none when
    taken back. None for a vote cast on behalf of a chat (nobody we can tell apart)."""
    if answer.user is None:
        return None
    positions = ",".join(str(index + 1) for index in answer.option_ids)
    voter = actor_of(answer.user)
    private_chat = Conversation(PLATFORM, str(answer.user.id), "direct")
    return Action(NATIVE_ANSWER, f"{answer.poll_id}:{positions}", voter, private_chat, key)
