"""What Slack sends, as far as engagebot reads it: checked once at the edge, then read as typed objects."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Text = Annotated[str, Field(max_length=40_000)]
# Ids and timestamps become keys, database columns and API arguments: no control characters in them
# (PostgreSQL refuses NUL) and no lone surrogates (which cannot be sent on as UTF-8).
Id = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[^\x00-\x1f\x7f-\x9f]+$")]
Key = Annotated[str, Field(max_length=255, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")]
Url = Annotated[str, Field(max_length=2000, pattern=r"^(https?://[!-~]+)?$")]
Ref = str | dict[str, Any]  # bolt reads a string as it is, or the "id" of an object


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class BoltContext(_Payload):
    """The fields bolt reads from every request to build its context, and again from its event,
    message, item and first authorization: bolt assumes these types, and fails on any other."""

    authorizations: list[BoltContext] | None = None
    enterprise: Ref | None = None
    team: Ref | None = None
    user: Ref | None = None
    channel: Ref | None = None
    response_urls: list[dict[str, Any]] | None = None
    event: BoltContext | None = None
    message: BoltContext | None = None
    previous_message: BoltContext | None = None
    item: BoltContext | None = None
    assistant_thread: BoltContext | None = None

    @field_validator("event", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:  # bolt reads `body.get("event", {}).get(...)` of every request
            raise ValueError("an event that is null")
        return value


class SlashCommand(_Payload):
    command: Annotated[str, Field(pattern=r"^/[^\s]{1,80}$")]
    user_id: Id
    trigger_id: Id
    channel_id: Key = ""
    channel_name: str = ""
    text: Text = ""
    response_url: Url = ""


class MessageEvent(_Payload):
    """A message in a channel or DM, or the `app_mention` of one."""

    type: Literal["message", "app_mention"]
    channel: Id
    ts: Id
    user: Key | None = None
    text: Text = ""
    channel_type: str | None = None
    thread_ts: Key | None = None
    subtype: str | None = None
    bot_id: str | None = None


class ReactedItem(_Payload):
    type: str
    channel: Key = ""
    ts: Key = ""


class ReactionEvent(_Payload):
    type: Literal["reaction_added"]
    user: Id
    reaction: Id
    item: ReactedItem
    item_user: Key | None = None


class HomeOpened(_Payload):
    type: Literal["app_home_opened"]
    user: Id
    tab: str | None = None


class EventEnvelope(_Payload):
    type: Literal["event_callback"]
    event_id: Id
    event: dict[str, Any]


class User(_Payload):
    id: Id


class Channel(_Payload):
    id: Id
    name: str = ""


class ActionElement(_Payload):
    action_id: Id


class Container(_Payload):
    channel_id: Key = ""


class BlockActions(_Payload):
    """A button press."""

    type: Literal["block_actions"]
    user: User
    trigger_id: Id
    actions: Annotated[list[ActionElement], Field(min_length=1)]
    channel: Channel | None = None
    container: Container | None = None
    response_url: Url | None = None

    @property
    def channel_id(self) -> str:
        if self.channel is not None:
            return self.channel.id
        return self.container.channel_id if self.container is not None else ""


class ViewState(_Payload):
    values: dict[str, dict[str, dict[str, Any]]] = {}


class View(_Payload):
    id: Id
    type: str  # bolt reads it of every view submission
    callback_id: str = ""
    private_metadata: Annotated[str, Field(max_length=3000)] = ""
    hash: Key = ""
    state: ViewState = ViewState()


class ViewSubmission(_Payload):
    type: Literal["view_submission"]
    user: User
    view: View
    trigger_id: Key | None = None

    @property
    def key(self) -> str:
        return self.trigger_id or f"view:{self.view.id}:{self.view.hash}"


class ShortcutMessage(_Payload):
    text: Text = ""
    ts: Key = ""


class MessageAction(_Payload):
    """The "Save as idea" message shortcut."""

    type: Literal["message_action"]
    callback_id: Id
    user: User
    channel: Channel
    trigger_id: Id
    message: ShortcutMessage = ShortcutMessage()
    response_url: Url = ""


EVENTS: dict[str, type[_Payload]] = {
    "message": MessageEvent,
    "app_mention": MessageEvent,
    "reaction_added": ReactionEvent,
    "app_home_opened": HomeOpened,
}
INTERACTIONS: dict[str, type[_Payload]] = {
    "block_actions": BlockActions,
    "view_submission": ViewSubmission,
    "message_action": MessageAction,
}


def problem(body: dict[str, Any]) -> str | None:
    """Why a parsed request body is not something engagebot can handle, or None when it is.

    `body` is what bolt reads: a form, a JSON body, or an interaction's payload itself. Requests bolt
    answers on its own (url_verification, ssl_check) and events of kinds we do not listen to pass;
    what we listen to must carry every field we read, with the right types.
    """
    try:
        BoltContext.model_validate(body)
        if "command" in body:
            SlashCommand.model_validate(body)
        elif body.get("type") == "event_callback":
            envelope = EventEnvelope.model_validate(body)
            kind = EVENTS.get(str(envelope.event.get("type")))
            if kind is not None:
                kind.model_validate(envelope.event)
        elif (interaction := INTERACTIONS.get(str(body.get("type")))) is not None:
            interaction.model_validate(body)
        elif body.get("type") != "url_verification" and "ssl_check" not in body:
            return f"not a Slack request engagebot knows: {str(body.get('type'))[:40]}"
    except ValidationError as error:
        return f"{error.error_count()} problem(s), first: {_first_problem(error)}"
    return None


def is_event(body: dict[str, Any]) -> bool:
    """Whether a body is an Events API delivery (which Slack retries until it gets a 2xx)."""
    return body.get("type") == "event_callback"


def _first_problem(error: ValidationError) -> str:
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}"
