"""The dispatcher: inbound command, button or message → its handler in one transaction → a Reply."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from rapidfuzz import process

from bot.context import HandlerContext
from bot.core import dedupe, inbox, languages, outbox, people, poll_native
from bot.core.db import read_only_violation, retryable, unavailable
from bot.core.errors import DomainError
from bot.core.models import Person
from bot.core.text import printable, printable_marked
from bot.core.uow import Tx, UnitOfWork
from bot.i18n import N_, Translator, translator
from bot.messages import (
    QUEUED_REPLY,
    Action,
    Actor,
    ChatMessage,
    Command,
    Conversation,
    Inbound,
    Mention,
    Reply,
    unbroken_names,
)
from bot.registry import ActionSpec, CommandSpec, ListenerSpec, Registry
from handlers.vocabulary import ROLE_WORDS, lookup

log = logging.getLogger(__name__)

ATTEMPTS = 3
FAILURE = N_("Something went wrong on my side and nothing was changed. Please try again.")
ADMIN_HINT = N_(
    "No one is admin yet: admins are named in the settings, as ENGAGEBOT_ADMINS=console:name,slack:U…,"
    "telegram:… (platform:id, comma-separated); an admin then gives the role to others with /role."
)
UNAVAILABLE = N_("I cannot reach my database just now. I will handle your message as soon as it is back.")
T = TypeVar("T", Actor, Conversation)


class _DuplicateDeliveryError(Exception):
    """The delivery was handled before."""


@dataclass(frozen=True)
class _Read:
    """What a command that only read answered (None: nothing to say)."""

    reply: Reply | None


class Dispatcher:
    def __init__(self, registry: Registry, uow: UnitOfWork) -> None:
        self.registry = registry
        self.uow = uow
        # Marks a delivery handled that was only read (no write transaction of its own to do it in);
        # the inbox sets this, and writes such marks together, a moment after the answer.
        self.settle_read: Callable[[int], None] | None = None
        # Wakes the outbox senders after a commit that queued messages (the runtime sets it; any thread).
        self.on_queued: Callable[[], None] | None = None

    async def dispatch(
        self, inbound: Inbound, delivery: int | None = None, queue_reply: dict[str, Any] | None = None
    ) -> Reply | None:
        """Handle `inbound` in a database thread; see `handle`."""
        return await self.uow.run(self.handle, inbound, delivery, queue_reply)

    async def count_native_poll(
        self, native_id: str, counts: list[int], voters: int, update: int, delivery: int | None
    ) -> None:
        """A platform's own anonymous poll reported its counts (never who voted): keep them for the result."""
        await self.uow.run(self._count_native_poll, native_id, counts, voters, update, delivery)

    def _count_native_poll(
        self, native_id: str, counts: list[int], voters: int, update: int, delivery: int | None
    ) -> None:
        with self.uow.begin() as tx:
            if delivery is None or inbox.complete(tx, delivery):
                poll_native.record_counts(tx, native_id, counts, voters, update)

    def wants(self, inbound: Inbound) -> bool:
        """Whether handling `inbound` could do or say anything: most channel chatter concerns nobody.

        A cheap check made before anything is stored or looked up.
        """
        return not isinstance(inbound, ChatMessage) or bool(self._listeners_for(inbound))

    def handle(
        self, inbound: Inbound, delivery: int | None = None, queue_reply: dict[str, Any] | None = None
    ) -> Reply | None:
        """Run the handler and answer; None for a repeated delivery or nothing to say.

        `delivery` is the inbox row this came from: it is marked handled in the transaction that applies
        the effects. With `queue_reply` (where to send it, as the adapter needs to know), the reply goes
        into the outbox in that same transaction and None is returned: the answer cannot be lost
        between the commit and the send.
        """
        inbound = cleaned(inbound)
        try:
            return self._run_with_retries(inbound, delivery, queue_reply)
        except _DuplicateDeliveryError:
            log.info("duplicate delivery %s ignored", inbound.event_key or delivery)
            return None
        except DomainError as refusal:
            reply = self._refusal_reply(inbound.actor, refusal)
            return self._settle(inbound, delivery, queue_reply, reply, remember=True)
        except Exception as error:
            if unavailable(error):
                log.warning("database unavailable; delivery %s waits for it: %s", delivery, error)
                return Reply(self.translator_for(inbound.actor).t(UNAVAILABLE), is_error=True)
            log.exception("handler failed for %s", type(inbound).__name__)
            reply = Reply(self.translator_for(inbound.actor).t(FAILURE), is_error=True)
            return self._settle(inbound, delivery, queue_reply, reply, failure=repr(error))

    def _run_with_retries(
        self, inbound: Inbound, delivery: int | None, queue_reply: dict[str, Any] | None
    ) -> Reply | None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._run(inbound, delivery, queue_reply)
            except Exception as error:
                if not retryable(error) or attempt == ATTEMPTS:
                    raise
                log.warning("retrying after a database conflict (attempt %d)", attempt)
        raise AssertionError("unreachable")

    def _run(self, inbound: Inbound, delivery: int | None, queue_reply: dict[str, Any] | None) -> Reply | None:
        if delivery is None and not self.wants(inbound):
            return None  # chatter no listener wants: touch no database for it
        if queue_reply is None and self._only_reads(inbound):
            read = self._run_reading(inbound)
            if read is not None:
                self._settle_read(delivery)
                return read.reply
        looked_ahead = self._look_ahead(inbound)
        with self.uow.begin() as tx:
            if delivery is not None and not inbox.complete(tx, delivery):
                raise _DuplicateDeliveryError
            key = _claimed_key(inbound, delivery)
            if key is not None and not dedupe.claim(tx, inbound.actor.platform, key):
                raise _DuplicateDeliveryError
            if not self.wants(inbound):
                return None
            person = people.resolve_actor(tx, inbound.actor)
            context = self._context(tx, person, inbound, looked_ahead)
            reply = _queued(tx, inbound, queue_reply, self._route(context, inbound), context.t.locale)
        self._wake_senders(tx)
        return reply

    def _run_reading(self, inbound: Inbound) -> _Read | None:
        """Handle a command that only reads in a read transaction; None when it must write after all.

        A reader takes no lock: on SQLite it runs beside the one writer, in every process at once.
        It writes nothing, not even a dedupe claim (a repeated delivery is answered again, which
        changes nothing). Someone new, or whose name, handle or locale changed, is handled as a
        write; so is a handler that tries to write after all (it is refused in the read transaction).
        """
        try:
            with self.uow.begin(write=False) as tx:
                person = people.known_actor(tx, inbound.actor)
                if person is None:
                    return None
                return _Read(self._route(self._context(tx, person, inbound), inbound))
        except Exception as error:
            if read_only_violation(error):
                return None
            raise

    def _look_ahead(self, inbound: Inbound) -> object:
        """The command's reading done ahead in a read transaction (None: it has none, or it failed,
        and its handler reads for itself)."""
        if not isinstance(inbound, Command):
            return None
        spec = self.registry.command(inbound.name.lower())
        if spec is None or spec.look_ahead is None:
            return None
        try:
            with self.uow.begin(write=False) as tx:
                return spec.look_ahead(tx, inbound.text)
        except Exception as error:  # the write transaction will meet it again, or do without
            log.debug("looking ahead for /%s failed: %s", spec.name, error)
            return None

    def _settle_read(self, delivery: int | None) -> None:
        if delivery is None:
            return
        if self.settle_read is not None:
            self.settle_read(delivery)
            return
        with self.uow.begin() as tx:
            inbox.complete(tx, delivery)

    def _only_reads(self, inbound: Inbound) -> bool:
        spec: CommandSpec | ActionSpec | None = None
        if isinstance(inbound, Command):
            spec = self.registry.command(inbound.name.lower())
        elif isinstance(inbound, Action):
            spec = self.registry.action(inbound.name)
        return spec is not None and spec.read_only

    def _context(self, tx: Tx, person: Person, inbound: Inbound, looked_ahead: object = None) -> HandlerContext:
        locale = people.normalize_locale(inbound.actor.session_locale) or languages.person_language(
            tx, person, inbound.actor.locale
        )
        return HandlerContext(
            tx=tx,
            person=person,
            actor=inbound.actor,
            conversation=inbound.conversation,
            t=translator(locale),
            registry=self.registry,
            mentioned=getattr(inbound, "mentioned", ()),
            link=getattr(inbound, "link", None),
            form=getattr(inbound, "form", {}),
            looked_ahead=looked_ahead,
        )

    def _settle(
        self,
        inbound: Inbound,
        delivery: int | None,
        queue_reply: dict[str, Any] | None,
        reply: Reply,
        *,
        remember: bool = False,
        failure: str | None = None,
    ) -> Reply | None:
        """After a refusal or a crash rolled everything back: close the delivery and give the answer.

        A refused event is remembered as handled, so that its repeats are not refused out loud again;
        a crashed one is marked failed (handling it again would crash again).
        """
        try:
            with self.uow.begin() as tx:
                if delivery is not None:
                    settled = inbox.fail(tx, delivery, failure) if failure else inbox.complete(tx, delivery)
                    if not settled:
                        return None  # another worker handled it meanwhile, and answered
                if remember and inbound.event_key:
                    dedupe.claim(tx, inbound.actor.platform, inbound.event_key)
                answer = _queued(tx, inbound, queue_reply, reply, None)
        except Exception:
            log.exception("could not record the outcome of delivery %s", delivery)
            return reply
        self._wake_senders(tx)
        return answer

    def _wake_senders(self, tx: Tx) -> None:
        """After a commit that queued outbox messages: have them sent now rather than at the next tick."""
        if tx.queued and self.on_queued is not None:
            self.on_queued()

    def _route(self, context: HandlerContext, inbound: Inbound) -> Reply | None:
        reply = self._handle(context, inbound)
        return None if reply is None else context.t.shown_reply(reply)

    def _handle(self, context: HandlerContext, inbound: Inbound) -> Reply | None:
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
        """The actor's language, read in its own transaction (the request's was rolled back).

        Falls back on what the platform says when the database cannot be read: a crash report must
        not fail for the reason it reports.
        """
        fallback = people.normalize_locale(actor.locale) or self.uow.policy.default_locale
        if actor.session_locale:
            return translator(people.normalize_locale(actor.session_locale) or fallback)
        if actor.anonymous:
            return translator(fallback)
        try:
            with self.uow.begin(write=False) as tx:
                person = people.find_account_person(tx, actor)
                if person is not None:
                    return translator(languages.person_language(tx, person, actor.locale))
                return translator(people.normalize_locale(actor.locale) or languages.organisation_language(tx))
        except Exception as error:
            log.warning("answering in %s: the person's language could not be read (%s)", fallback, error)
        return translator(fallback)

    def sign_in_locally(self, actor: Actor, role: str | None) -> Reply | None:
        """The console operator becomes `actor`, in any role (`leder`, `miljöombud` as well as `manager`):
        only the trusted local console calls this."""
        try:
            with self.uow.begin() as tx:
                person = people.resolve_actor(tx, actor)
                if role:
                    people.grant_role_locally(person, lookup(ROLE_WORDS, role) or role)
        except DomainError as refusal:
            return self._refusal_reply(actor, refusal)
        return None

    def _refusal_reply(self, actor: Actor, refusal: DomainError) -> Reply:
        t = self.translator_for(actor)
        hint = (t.t(ADMIN_HINT),) if self._admin_hint_due(refusal) else ()
        return Reply(t.t(refusal.message, **refusal.params), hint, is_error=True)

    def _admin_hint_due(self, refusal: DomainError) -> bool:
        """Whether a refusal for want of the admin role should say how admins are named: while the
        organisation has none (the first to try is most likely the one setting it up)."""
        if not isinstance(refusal, people.RoleNeededError) or not refusal.needs_admin:
            return False
        try:
            with self.uow.begin(write=False) as tx:
                return people.nobody_is_admin(tx)
        except Exception as error:
            log.warning("whether anyone is admin could not be read (%s)", error)
            return False


def _queued(
    tx: Tx, inbound: Inbound, queue_reply: dict[str, Any] | None, reply: Reply | None, locale: str | None
) -> Reply | None:
    """Put the reply in the outbox when the adapter asked for it (and return None), else return it."""
    if queue_reply is None or reply is None:
        return reply
    outbox.queue_reply(
        tx,
        inbound.conversation.platform,
        inbound.conversation.external_id,
        locale or languages.organisation_language(tx),
        QUEUED_REPLY,
        {"reply": reply.to_dict(), **queue_reply},
    )
    return None


def _claimed_key(inbound: Inbound, delivery: int | None) -> str | None:
    """The key under which the dedupe table must say that this event was handled, if it must.

    A command or button press from the inbox is a delivery the inbox already holds once, under the
    same key. Messages are claimed all the same: their key names the message (or the reaction to
    it), and it must outlive the inbox's retention, so that a reaction taken back and given again
    weeks later gives nothing more.
    """
    if delivery is None or isinstance(inbound, ChatMessage):
        return inbound.event_key
    return None


def cleaned(inbound: Inbound) -> Inbound:
    """The inbound with control characters taken out of every text a person or platform supplied."""
    changes: dict[str, Any] = {
        "actor": _cleaned_party(inbound.actor),
        "conversation": _cleaned_party(inbound.conversation),
        "event_key": None if inbound.event_key is None else printable(inbound.event_key),
    }
    if isinstance(inbound, Command | ChatMessage):
        changes["text"] = unbroken_names(printable_marked(inbound.text, _marked(inbound)))
        changes["mentioned"] = tuple(_cleaned_party(actor) for actor in inbound.mentioned)
    if isinstance(inbound, Command) and inbound.form:
        form = inbound.form.items()
        changes["form"] = {printable(name): unbroken_names(printable(value)) for name, value in form}
    if isinstance(inbound, Command | Action):
        changes["name"] = printable(inbound.name)
    if isinstance(inbound, Action):
        changes["arg"] = printable(inbound.arg)
    return dataclasses.replace(inbound, **changes)


def _marked(inbound: Command | ChatMessage) -> set[Mention]:
    """The mentions the platform marked: the people its adapter found marked and put in `mentioned`."""
    return {Mention(actor.platform, actor.external_id) for actor in inbound.mentioned}


def _cleaned_party(party: T) -> T:
    texts: dict[str, Any] = {
        name: printable(value)
        for name, value in vars(party).items()
        if isinstance(value, str) and value != printable(value)
    }
    return dataclasses.replace(party, **texts) if texts else party
