"""What Telegram sends, as far as engagebot reads it: an update is checked once, before it is stored.

python-telegram-bot builds its objects from whatever JSON it is given, without checking types: a
chat id that is an object, a text that is a number or an entity that ends inside a character got
as far as the handlers and failed there. Only messages, button presses and the answers and counts
of the bot's own polls are asked for.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Number = Annotated[int, Field(ge=-(2**63), lt=2**63)]  # ids: 64-bit, as the Bot API documents them
Offset = Annotated[int, Field(ge=0)]
Length = Annotated[int, Field(ge=1)]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)


class User(_Payload):
    id: Number
    is_bot: bool
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


class Chat(_Payload):
    id: Number
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class Entity(_Payload):
    type: str
    offset: Offset
    length: Length
    user: User | None = None


class Message(_Payload):
    """A message, or what is left of one a button was pressed on (an inaccessible message has date 0)."""

    message_id: Number
    date: Number
    chat: Chat
    sender: User | None = Field(None, alias="from")
    sender_chat: Chat | None = None
    text: str | None = None
    entities: list[Entity] = []
    caption: str | None = None
    caption_entities: list[Entity] = []

    @model_validator(mode="after")
    def _entities_within_their_text(self) -> Message:
        for text, entities in ((self.text, self.entities), (self.caption, self.caption_entities)):
            if entities and not _within(text or "", entities):
                raise ValueError("an entity outside its text, or within a character")
        return self


class CallbackQuery(_Payload):
    id: str
    sender: User = Field(alias="from")
    chat_instance: str
    data: str | None = None
    message: Message | None = None


class PollAnswer(_Payload):
    """A vote in a public poll the bot sent (no options: taken back); `user` is absent for a chat's vote."""

    poll_id: str
    user: User | None = None
    option_ids: list[Offset]


class PollOption(_Payload):
    text: str
    voter_count: Offset


class Poll(_Payload):
    """A poll the bot sent, as it stands: for an anonymous one, the counts are all the bot is told."""

    id: str
    question: str
    options: list[PollOption]
    total_voter_count: Offset
    is_closed: bool
    is_anonymous: bool


HANDLED_KINDS = ("message", "callback_query", "poll", "poll_answer")


class Update(_Payload):
    update_id: Number
    message: Message | None = None
    callback_query: CallbackQuery | None = None
    poll: Poll | None = None
    poll_answer: PollAnswer | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Update:
        kinds = [getattr(self, kind) for kind in HANDLED_KINDS]
        if sum(kind is not None for kind in kinds) != 1:
            raise ValueError("not one message, button press, poll or poll answer")
        return self


def unhandled_kind(update: dict[str, object]) -> str | None:
    """The kind of an update engagebot does not handle (an edit, a channel post, a member change …), or None.

    Telegram sends such kinds despite allowed_updates for a while after it changes, and for ever to a
    webhook registered before: they are expected, and no fault of anyone's."""
    kinds = [key for key in update if key != "update_id"]
    if not isinstance(update.get("update_id"), int) or not kinds or set(kinds) & set(HANDLED_KINDS):
        return None
    return ", ".join(kind[:40] for kind in kinds[:3])


def problem(update: dict[str, object]) -> str | None:
    """Why engagebot cannot read the update, or None when it can."""
    try:
        Update.model_validate(update)
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{error.error_count()} problem(s), first: {where}: {first['msg']}"
    return None


def _within(text: str, entities: list[Entity]) -> bool:
    """Entity offsets count UTF-16 code units: each must start and end on a character of the text."""
    encoded = text.encode("utf-16-le", "surrogatepass")
    units = len(encoded) // 2

    def inside_a_character(unit: int) -> bool:  # on the second half of a surrogate pair
        return (
            0 < unit < units and 0xDC00 <= int.from_bytes(encoded[2 * unit : 2 * unit + 2], "little") <= 0xDFFF
        )

    return all(
        entity.offset + entity.length <= units
        and not inside_a_character(entity.offset)
        and not inside_a_character(entity.offset + entity.length)
        for entity in entities
    )
