"""Slack text and ids into neutral terms: mention tokens, conversations, commands typed in messages."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

import emoji

from bot.messages import Conversation, mention

ConversationKind = Literal["direct", "channel", "group"]

PLATFORM = "slack"
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_MARKUP = re.compile(r"<([^<>]+)>|&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_PERSON_SUBTYPES = (None, "file_share", "thread_broadcast")
_FIRST_WORD = re.compile(r"(\S+)\s*(.*)", re.DOTALL)
_KIND_BY_TYPE: dict[str, ConversationKind] = {
    "im": "direct",
    "mpim": "group",
    "group": "group",
    "channel": "channel",
}
_KIND_BY_ID_PREFIX: dict[str, ConversationKind] = {"D": "direct", "G": "group"}


@dataclass(frozen=True)
class TypedCommand:
    """A command written in a message (`@engagebot idea …`, or `idea …` in a DM); `text` is Slack text."""

    name: str
    text: str


def mentioned_user_ids(text: str) -> list[str]:
    """The Slack user ids `<@U…>` in Slack text, in order of first appearance."""
    return list(dict.fromkeys(_USER_MENTION.findall(text)))


def neutral_text(text: str, bot_user_id: str = "", bot_name: str = "") -> str:
    """Slack text as people read it: user mentions become mention tokens, links and channels plain text.

    Only Slack's own markup `<@U…>` makes a mention; `<@slack:U…>` typed (Slack sends `&lt;@…&gt;`) is text."""

    def replace(match: re.Match[str]) -> str:
        entity = match.group(2)
        return _ENTITIES[entity] if entity else _readable(match.group(1), bot_user_id, bot_name)

    return _MARKUP.sub(replace, text)


def _readable(token: str, bot_user_id: str, bot_name: str) -> str:
    target, _, label = token.partition("|")
    label = _unescape(label)
    if target.startswith("@"):
        user_id = target[1:]
        return f"@{bot_name or user_id}" if user_id == bot_user_id else mention(PLATFORM, user_id)
    if target.startswith("#"):
        return f"#{label or target[1:]}"
    if target.startswith("!"):  # <!here>, <!subteam^S1|@team>, <!date^…|fallback>
        return label or f"@{target[1:]}"
    url = _unescape(target)
    return url if not label or label == url else f"{label} ({url})"


def _unescape(text: str) -> str:
    return re.sub(r"&(amp|lt|gt);", lambda match: _ENTITIES[match.group(1)], text)


def command_in_message(
    text: str, *, direct: bool, bot_user_id: str, command_names: Collection[str]
) -> TypedCommand | None:
    """The command a message gives, if any: addressed to the bot by a leading mention, or typed in a DM."""
    rest = _after_bot_mention(text.strip(), bot_user_id)
    addressed = rest is not None
    if rest is None:
        if not direct:
            return None
        rest = text.strip()
    words = _FIRST_WORD.fullmatch(rest)
    if words is None:
        return TypedCommand("help", "") if addressed else None
    word, arguments = words.group(1), words.group(2)
    if word.startswith("/") and len(word) > 1:
        return TypedCommand(word[1:].lower(), arguments)
    if addressed or word.lower() in command_names:
        return TypedCommand(word.lower(), arguments)
    return None


def _after_bot_mention(text: str, bot_user_id: str) -> str | None:
    match = _USER_MENTION.match(text)
    if match is None or not bot_user_id or match.group(1) != bot_user_id:
        return None
    return text[match.end() :].lstrip(" :,").strip()


def conversation(channel_id: str, channel_type: str | None = None, name: str = "") -> Conversation:
    """A Slack channel as a neutral conversation; the kind comes from the event, else from the id."""
    kind = _KIND_BY_TYPE.get(channel_type or "") or _KIND_BY_ID_PREFIX.get(channel_id[:1], "channel")
    title = f"#{name}" if name and kind == "channel" else name
    return Conversation(PLATFORM, channel_id, kind, title)


def is_direct(channel_id: str, channel_type: str | None = None) -> bool:
    return channel_type == "im" or channel_id.startswith("D")


def message_key(channel_id: str, ts: str) -> str:
    """One key per message, so a mention that arrives as `message` and as `app_mention` counts once."""
    return f"msg:{channel_id}:{ts}"


def reaction_key(channel_id: str, ts: str, user_id: str, reaction: str) -> str:
    """One key per person, message and emoji: removing and adding the reaction again gives nothing more."""
    return f"reaction:{channel_id}:{ts}:{user_id}:{reaction}"


def is_person_message(user: str | None, bot_id: str | None, subtype: str | None) -> bool:
    """A message someone wrote: not a bot's, not an edit, deletion or join notice."""
    return bool(user) and not bot_id and subtype in _PERSON_SUBTYPES


def reaction_name(shortcode_or_emoji: str) -> str:
    """Slack's name for a reaction (`seedling`), from a shortcode (`:seedling:`) or the emoji itself."""
    return str(emoji.demojize(shortcode_or_emoji, language="alias")).strip().strip(":")
