"""The shapes of the registry: commands, button actions, message listeners and notice renderers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.context import HandlerContext
from bot.core.policy import Policy
from bot.core.uow import Tx
from bot.i18n import Translator
from bot.messages import ChatMessage, Reply

Audience = Literal["everyone", "reviewers", "managers", "admins"]
CommandHandler = Callable[[HandlerContext, str], Reply]
ActionHandler = Callable[[HandlerContext, str], Reply]
MessageListener = Callable[[HandlerContext, ChatMessage], Reply | None]
MessageFilter = Callable[[ChatMessage, Policy], bool]
NoticeRenderer = Callable[[Translator, dict[str, Any]], Reply]
LookAhead = Callable[[Tx, str], object]


@dataclass(frozen=True)
class CommandSpec:
    """One slash command; `usage` and `summary` are English message ids shown by /help."""

    name: str
    handler: CommandHandler
    usage: str
    summary: str
    audience: Audience = "everyone"
    # Only reads: runs in a read transaction, beside writers (an unknown or changed person escalates).
    read_only: bool = False
    # Reading done ahead, in a read transaction, so that the write transaction holds its lock shorter;
    # the handler finds the result in `ctx.looked_ahead`.
    look_ahead: LookAhead | None = None


@dataclass(frozen=True)
class ActionSpec:
    """A button's action name (the part of an action id before the colon) and its handler."""

    name: str
    handler: ActionHandler
    read_only: bool = False


@dataclass(frozen=True)
class ListenerSpec:
    """Listens to plain messages; `wants` is a cheap check made before any database work."""

    wants: MessageFilter
    handler: MessageListener


@dataclass(frozen=True)
class Registry:
    commands: tuple[CommandSpec, ...]
    actions: tuple[ActionSpec, ...] = ()
    listeners: tuple[ListenerSpec, ...] = ()
    notices: dict[str, NoticeRenderer] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [spec.name for spec in self.commands]
        duplicates = {name for name in names if names.count(name) > 1}
        if duplicates:
            raise ValueError(f"commands registered twice: {sorted(duplicates)}")

    def command(self, name: str) -> CommandSpec | None:
        return next((spec for spec in self.commands if spec.name == name), None)

    def action(self, name: str) -> ActionSpec | None:
        return next((spec for spec in self.actions if spec.name == name), None)

    def render_notice(self, t: Translator, kind: str, payload: dict[str, Any]) -> Reply:
        return t.shown_reply(self.notices[kind](t, payload))
