"""What Slack sends, as far as engagebot reads it: checked once at the edge, then read as typed objects."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

Text = Annotated[str, Field(max_length=40_000)]
Id = Annotated[str, Field(min_length=1, max_length=255)]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SlashCommand(_Payload):
    command: Annotated[str, Field(pattern=r"^/[^\s]{1,80}$")]
    user_id: Id
    trigger_id: Id
    channel_id: str = ""
    channel_name: str = ""
    text: Text = ""
    response_url: str = ""


class MessageEvent(_Payload):
    """A message in a channel or DM, or the `app_mention` of one."""

    type: Literal["message", "app_mention"]
    channel: Id
    ts: Id
    user: str | None = None
    text: Text = ""
    channel_type: str | None = None
    thread_ts: str | None = None
    subtype: str | None = None
    bot_id: str | None = None


class ReactedItem(_Payload):
    type: str
    channel: str = ""
    ts: str = ""


class ReactionEvent(_Payload):
    type: Literal["reaction_added"]
    user: Id
    reaction: Id
    item: ReactedItem
    item_user: str | None = None


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
    channel_id: str = ""


class BlockActions(_Payload):
    """A button press."""

    type: Literal["block_actions"]
    user: User
    trigger_id: Id
    actions: Annotated[list[ActionElement], Field(min_length=1)]
    channel: Channel | None = None
    container: Container | None = None
    response_url: str | None = None

    @property
    def channel_id(self) -> str:
        if self.channel is not None:
            return self.channel.id
        return self.container.channel_id if self.container is not None else ""


class ViewState(_Payload):
    values: dict[str, dict[str, dict[str, Any]]] = {}


class View(_Payload):
    id: Id
    callback_id: str = ""
    private_metadata: str = ""
    hash: str = ""
    state: ViewState = ViewState()


class ViewSubmission(_Payload):
    type: Literal["view_submission"]
    user: User
    view: View
    trigger_id: str | None = None

    @property
    def key(self) -> str:
        return self.trigger_id or f"view:{self.view.id}:{self.view.hash}"


class ShortcutMessage(_Payload):
    text: Text = ""
    ts: str = ""


class MessageAction(_Payload):
    """The "Save as idea" message shortcut."""

    type: Literal["message_action"]
    callback_id: Id
    user: User
    channel: Channel
    trigger_id: Id
    message: ShortcutMessage = ShortcutMessage()
    response_url: str = ""


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

    Requests bolt answers on its own (url_verification, ssl_check) and events of kinds we do not
    listen to pass; what we listen to must carry every field we read, with the right types.
    """
    try:
        if "command" in body:
            SlashCommand.model_validate(body)
        elif "payload" in body:
            _check_interaction(body["payload"])
        elif body.get("type") == "event_callback":
            envelope = EventEnvelope.model_validate(body)
            kind = EVENTS.get(str(envelope.event.get("type")))
            if kind is not None:
                kind.model_validate(envelope.event)
        elif body.get("type") != "url_verification" and "ssl_check" not in body:
            return "not a Slack request engagebot knows"
    except ValidationError as error:
        return f"{error.error_count()} problem(s), first: {_first_problem(error)}"
    except ValueError as error:
        return str(error)
    return None


def _check_interaction(payload: Any) -> None:
    if not isinstance(payload, dict):
        raise ValueError("the interaction payload is not an object")
    kind = INTERACTIONS.get(str(payload.get("type")))
    if kind is None:
        raise ValueError(f"an interaction of a kind engagebot does not use: {str(payload.get('type'))[:40]}")
    kind.model_validate(payload)


def _first_problem(error: ValidationError) -> str:
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}"
