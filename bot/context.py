"""HandlerContext: what a handler gets for one request (transaction, acting person, translator)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.core import people
from bot.core.models import Person
from bot.core.uow import Tx
from bot.i18n import Translator
from bot.messages import Actor, Conversation


class CommandInfo(Protocol):
    """What /help shows of a command (the registry's CommandSpec has it)."""

    @property
    def name(self) -> str: ...
    @property
    def usage(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def audience(self) -> str: ...


class CommandCatalogue(Protocol):
    """The commands there are; the registry is one (typed here so that the registry may import us)."""

    @property
    def commands(self) -> Sequence[CommandInfo]: ...
    def command(self, name: str) -> CommandInfo | None: ...


@dataclass
class HandlerContext:
    tx: Tx
    person: Person
    actor: Actor
    conversation: Conversation
    t: Translator
    registry: CommandCatalogue
    mentioned: tuple[Actor, ...] = ()
    link: str | None = None  # where the inbound message lives, when the platform gives a permalink
    form: Mapping[str, str] = field(default_factory=dict)  # a form's fields, when a command came from one
    looked_ahead: object = None  # what the command's look-ahead found in a read transaction, if it has one

    def find_person(self, token: str) -> Person:
        """The colleague a token names: a platform mention, an @handle or a display name."""
        return people.find_person(self.tx, token, self.actor.platform, self.mentioned)

    def find_person_or_none(self, token: str) -> Person | None:
        return people.find_person_or_none(self.tx, token, self.actor.platform, self.mentioned)
