"""Platform-neutral message types that flow between adapters, the dispatcher and handlers."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Platform = str  # "slack", "telegram", "console"
QUEUED_REPLY = "reply"  # the outbox kind of an answer queued with the change it reports, sent as it is

# A mention the platform itself marked (a Slack `<@U…>`, a Telegram text-mention entity), as its adapter
# writes it into neutral text. The delimiters are control characters, which are taken out of every text
# and name a person or platform supplies (`bot.core.text.printable`), so no typed text can carry one:
# `<@slack:U1>` typed anywhere, or set as a name, is just text. Not whitespace, so a token is one word.
MENTION_OPEN, MENTION_CLOSE = "\x0e", "\x0f"
MENTION = re.compile(f"{MENTION_OPEN}@([a-z]+):([^{MENTION_OPEN}{MENTION_CLOSE}\\s]+){MENTION_CLOSE}")


@dataclass(frozen=True)
class Mention:
    """Somebody a platform marked as mentioned in a text: which platform, and its id for them."""

    platform: Platform
    external_id: str

    @property
    def token(self) -> str:
        """How the mention stands in neutral text."""
        return f"{MENTION_OPEN}@{self.platform}:{self.external_id}{MENTION_CLOSE}"

    @property
    def literal(self) -> str:
        """How a renderer that cannot make it a live mention shows it: as text, no mention anywhere."""
        return f"<@{self.platform}:{self.external_id}>"


def mention(platform: Platform, external_id: str) -> str:
    """The token for a mention the platform marked, to be written into neutral text."""
    return Mention(platform, external_id).token


def split_mentions(text: str) -> list[str | Mention]:
    """`text` as its literal pieces and the mentions between them, in order."""
    pieces: list[str | Mention] = []
    at = 0
    for found in MENTION.finditer(text):
        pieces += [text[at : found.start()], Mention(found.group(1), found.group(2))]
        at = found.end()
    pieces.append(text[at:])
    return [piece for piece in pieces if piece != ""]


# What a renderer puts after an `@` that must not become a live `@name` mention (Telegram makes one of any
# `@` followed by username characters): invisible, and taken out again when such a text is typed or pasted
# back to the bot (`unbroken_names`), so a copied `@⁠ola_admin` still names its person.
NAME_BREAK = "\u2060"  # WORD JOINER


def unbroken_names(text: str) -> str:
    """`text` with the breaks a renderer put after `@` taken out: `@⁠ola` as typed, `@ola`."""
    return text.replace("@" + NAME_BREAK, "@")


def shown_literally(text: str) -> str:
    """`text` with every mention written as text, for renderers that make no live mentions."""
    return MENTION.sub(lambda found: Mention(found.group(1), found.group(2)).literal, text)


@dataclass(frozen=True)
class Actor:
    """Somebody on a platform: who sent a command, or who was mentioned in one."""

    platform: Platform
    external_id: str
    display_name: str = ""
    locale: str | None = None
    handle: str | None = None
    # A language asked for this session only (the console's `--lang`): answers use it, nothing stores it.
    session_locale: str | None = None
    # Written on behalf of a group or channel, or by a bot: nobody we can tell apart, so nobody at all.
    anonymous: bool = False

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.external_id}"


@dataclass(frozen=True)
class Conversation:
    """Where a message was written: a DM, a channel or a group."""

    platform: Platform
    external_id: str
    kind: Literal["direct", "channel", "group"] = "direct"
    title: str = ""

    @property
    def read_by_one(self) -> bool:
        """A DM, or the console, whose one room only its operator reads: what is shown there can be
        for that reader alone (a hint, a button only they may press)."""
        return self.kind == "direct" or self.platform == "console"


@dataclass(frozen=True)
class Command:
    """A slash command such as `/idea Switch off monitors` with its argument text.

    Mentions the platform marked are written in `text` as `mention(platform, external_id)` tokens;
    `mentioned` carries what the platform knows of those people (the dispatcher keeps only the tokens
    it names). A plain `@handle` stays as typed and is looked up by handle.
    `form` holds the fields of a form (a modal) the command came from, as typed, by field name;
    each command's handler documents the names it reads.
    """

    name: str
    text: str
    actor: Actor
    conversation: Conversation
    mentioned: tuple[Actor, ...] = ()
    event_key: str | None = None  # platform delivery id, for dedupe; None when there is none
    link: str | None = None  # a permalink to the message this command was made from
    form: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Action:
    """A button press: `name` and `arg` come from a compact action id such as `idea.vote:17`."""

    name: str
    arg: str
    actor: Actor
    conversation: Conversation
    event_key: str | None = None

    @staticmethod
    def parse_id(action_id: str) -> tuple[str, str]:
        name, _, arg = action_id.partition(":")
        return name, arg


@dataclass(frozen=True)
class ChatMessage:
    """A plain message that is not a command (listened to for emoji kudos)."""

    text: str
    actor: Actor
    conversation: Conversation
    mentioned: tuple[Actor, ...] = ()
    event_key: str | None = None


Inbound = Command | Action | ChatMessage


@dataclass(frozen=True)
class Button:
    """A choice offered under a reply; `action_id` is at most 64 bytes (Telegram's limit)."""

    label: str
    action_id: str
    style: Literal["default", "primary", "danger"] = "default"

    def __post_init__(self) -> None:
        if len(self.action_id.encode()) > 64:
            raise ValueError(f"action id over 64 bytes: {self.action_id!r}")


@dataclass(frozen=True)
class Image:
    """A picture sent with a reply (a progress chart): PNG bytes, a title, and a file name to give it."""

    png: bytes
    title: str
    filename: str

    def to_dict(self) -> dict[str, str]:
        return {
            "png": base64.b64encode(self.png).decode("ascii"),
            "title": self.title,
            "filename": self.filename,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Image:
        return Image(base64.b64decode(str(data["png"])), str(data["title"]), str(data["filename"]))


@dataclass(frozen=True)
class Reply:
    """What a handler answers: translated text with emoji shortcodes, optional list lines and buttons.

    `public` replies are meant for everyone in the conversation; others may be shown only to the
    actor where the platform allows it (Slack ephemeral messages).
    """

    text: str
    lines: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    public: bool = False
    is_error: bool = False
    # A chart sent after the text: a Slack file upload, a Telegram photo, a saved file on the console.
    image: Image | None = None

    def to_dict(self) -> dict[str, Any]:
        """The reply as JSON-ready data, to be queued in the outbox and sent later as it is.

        An image goes as base64 (a chart is some tens of kilobytes); notices that carry charts store
        their figures instead and draw the chart when they are sent.
        """
        image = {"image": self.image.to_dict()} if self.image is not None else {}
        return {
            **image,
            "text": self.text,
            "lines": list(self.lines),
            "buttons": [[button.label, button.action_id, button.style] for button in self.buttons],
            "public": self.public,
            "is_error": self.is_error,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Reply:
        return Reply(
            text=str(data["text"]),
            lines=tuple(str(line) for line in data.get("lines", ())),
            buttons=tuple(
                Button(label, action_id, style) for label, action_id, style in data.get("buttons", ())
            ),
            public=bool(data.get("public")),
            is_error=bool(data.get("is_error")),
            image=Image.from_dict(data["image"]) if data.get("image") else None,
        )
