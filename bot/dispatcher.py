"""The dispatcher: inbound command, button or message → its handler in one transaction → a Reply."""

from __future__ import annotations

import asyncio
import logging

from rapidfuzz import process

from bot.context import HandlerContext
from bot.core import dedupe, people
from bot.core.db import retryable
from bot.core.errors import DomainError
from bot.core.uow import UnitOfWork
from bot.i18n import N_, Translator, translator
from bot.messages import Action, Actor, ChatMessage, Command, Inbound, Reply
from bot.registry import ListenerSpec, Registry

log = logging.getLogger(__name__)

ATTEMPTS = 3
FAILURE = N_("Something went wrong on my side and nothing was changed. Please try again.")


class _DuplicateDeliveryError(Exception):
    """The delivery was handled before."""


class Dispatcher:
    def __init__(self, registry: Registry, uow: UnitOfWork) -> None:
        self.registry = registry
        self.uow = uow

    async def dispatch(self, inbound: Inbound) -> Reply | None:
        """Handle `inbound` in a worker thread; None for a duplicate delivery or nothing to say."""
        return await asyncio.to_thread(self.handle, inbound)

    def handle(self, inbound: Inbound) -> Reply | None:
        try:
            return self._run_with_retries(inbound)
        except _DuplicateDeliveryError:
            log.info("duplicate delivery %s ignored", inbound.event_key)
            return None
        except DomainError as refusal:
            self._remember_refused(inbound)
            return self._refusal_reply(inbound.actor, refusal)
        except Exception:
            log.exception("handler failed for %s", type(inbound).__name__)
            return Reply(self.translator_for(inbound.actor).t(FAILURE), is_error=True)

    def _run_with_retries(self, inbound: Inbound) -> Reply | None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._run(inbound)
            except Exception as error:
                if not retryable(error) or attempt == ATTEMPTS:
                    raise
                log.warning("retrying after a database conflict (attempt %d)", attempt)
        raise AssertionError("unreachable")

    def _run(self, inbound: Inbound) -> Reply | None:
        if isinstance(inbound, ChatMessage) and not self._listeners_for(inbound):
            return None  # most channel chatter concerns no listener: touch no database for it
        with self.uow.begin() as tx:
            if inbound.event_key and not dedupe.claim(tx, inbound.actor.platform, inbound.event_key):
                raise _DuplicateDeliveryError
            person = people.resolve_actor(tx, inbound.actor)
            locale = people.locale_of(tx, person, tx.policy.default_locale)
            context = HandlerContext(
                tx=tx,
                person=person,
                actor=inbound.actor,
                conversation=inbound.conversation,
                t=translator(locale),
                registry=self.registry,
                mentioned=getattr(inbound, "mentioned", ()),
                link=getattr(inbound, "link", None),
                form=getattr(inbound, "form", {}),
            )
            return self._route(context, inbound)

    def _remember_refused(self, inbound: Inbound) -> None:
        """A refused event changed nothing, but its repeats should not be refused out loud again."""
        if inbound.event_key:
            with self.uow.begin() as tx:
                dedupe.claim(tx, inbound.actor.platform, inbound.event_key)

    def _route(self, context: HandlerContext, inbound: Inbound) -> Reply | None:
        if isinstance(inbound, Command):
            spec = self.registry.command(inbound.name.lower())
            if spec is None:
                raise self._unknown_command(inbound.name)
            return spec.handler(context, inbound.text)
        if isinstance(inbound, Action):
            action = self.registry.action(inbound.name)
            if action is None:
                raise DomainError("That button no longer works; please use the command instead.")
            return action.handler(context, inbound.arg)
        return self._listen(context, inbound)

    def _listeners_for(self, message: ChatMessage) -> list[ListenerSpec]:
        return [spec for spec in self.registry.listeners if spec.wants(message, self.uow.policy)]

    def _listen(self, context: HandlerContext, message: ChatMessage) -> Reply | None:
        for spec in self._listeners_for(message):
            reply = spec.handler(context, message)
            if reply is not None:
                return reply
        return None

    def _unknown_command(self, name: str) -> DomainError:
        names = [spec.name for spec in self.registry.commands]
        match = process.extractOne(name.lower(), names, score_cutoff=60)
        if match is None:
            return DomainError("There is no command /{name}. Type /help to see them all.", name=name)
        return DomainError(
            "There is no command /{name}. Did you mean /{suggestion}?", name=name, suggestion=match[0]
        )

    def command_names(self) -> frozenset[str]:
        return frozenset(spec.name for spec in self.registry.commands)

    def command_menu(self, locale: str) -> list[tuple[str, str]]:
        """Every command with its summary in `locale`, for platforms that show a command menu."""
        t = translator(locale)
        return [(spec.name, t.t(spec.summary)) for spec in self.registry.commands]

    def translator_for(self, actor: Actor) -> Translator:
        """The actor's language, read in its own transaction (the request's was rolled back)."""
        with self.uow.begin(write=False) as tx:
            person = people.find_account_person(tx, actor)
            if person is not None:
                return translator(people.locale_of(tx, person, tx.policy.default_locale))
            return translator(people.normalize_locale(actor.locale) or tx.policy.default_locale)

    def sign_in_locally(self, actor: Actor, role: str | None) -> Reply | None:
        """The console operator becomes `actor`, in any role: only the trusted local console calls this."""
        try:
            with self.uow.begin() as tx:
                person = people.resolve_actor(tx, actor)
                if role:
                    people.grant_role_locally(person, role)
        except DomainError as refusal:
            return self._refusal_reply(actor, refusal)
        return None

    def _refusal_reply(self, actor: Actor, refusal: DomainError) -> Reply:
        t = self.translator_for(actor)
        return Reply(t.t(refusal.message, **refusal.params), is_error=True)
