"""People and their platform accounts: first contact, mentions, roles and the language they chose."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from bot.core.errors import DomainError, Label
from bot.core.models import Account, Person
from bot.core.names import LIKE_ESCAPE, like_prefix, name_key
from bot.core.uow import Tx
from bot.messages import MENTION, Actor

SUPPORTED_LOCALES = ("en", "sv", "nb", "da")
ROLES = ("admin", "manager", "representative", "member")
REVIEWER_ROLES = frozenset({"admin", "manager", "representative"})
MANAGER_ROLES = frozenset({"admin", "manager"})

# last_seen_at is written when it is older than this: often enough to tell which platform a person
# uses now, rarely enough that a command which only reads need not write.
SEEN_RESOLUTION = timedelta(minutes=5)
# Built once (building a statement cost more than running it); the values come as parameters.
_ACCOUNT = select(Account).where(
    Account.platform == bindparam("platform"), Account.external_id == bindparam("external_id")
)
_ACCOUNT_AND_PERSON = (
    select(Account, Person)
    .join(Person, Person.id == Account.person_id)
    .where(Account.platform == bindparam("platform"), Account.external_id == bindparam("external_id"))
)
# A write holds the person's key until it commits, so that linking (which deletes the absorbed
# person, `linking.use_code`) waits for it, or it for linking; FOR KEY SHARE keeps out nothing else.
_ACCOUNT_AND_PERSON_KEPT = _ACCOUNT_AND_PERSON.with_for_update(read=True, key_share=True, of=Person)
# What stands for the name of someone who chose `/privacy hide`, wherever a name reaches others:
# in replies, posts and notice data alike. Rendering (`bot.i18n`) turns it into "a colleague" in the
# reader's language. It holds control characters, which are taken out of every text a person types,
# so no one can write it themselves.
HIDDEN_NAME = "\x1ecolleague\x1e"
_LOCALE_ALIASES = {"no": "nb", "nn": "nb", "se": "sv", "dk": "da"}


def normalize_locale(raw: str | None) -> str | None:
    """Map a platform locale such as `sv-SE`, `nb_NO` or `no` onto one we speak, or None."""
    if not raw:
        return None
    language = re.split(r"[-_]", raw.strip().lower(), maxsplit=1)[0]
    language = _LOCALE_ALIASES.get(language, language)
    return language if language in SUPPORTED_LOCALES else None


def resolve_actor(tx: Tx, actor: Actor) -> Person:
    """The person behind `actor`, created on first contact; keeps name, handle and locale fresh.

    An anonymous sender (a group's anonymous admin, a channel, a bot) is nobody: refused, never
    created, found or linked, since everyone behind it would share one identity.
    """
    _refuse_anonymous(actor)
    key = {"platform": actor.platform, "external_id": actor.external_id}
    found = tx.session.execute(_ACCOUNT_AND_PERSON_KEPT, key).first()
    if found is None:  # a person merged away while we waited is found again, as the survivor
        found = tx.session.execute(_ACCOUNT_AND_PERSON_KEPT, key).first()
    account, person = found or _met(tx, _first_contact(tx, actor))
    if account.last_seen_at < tx.now - SEEN_RESOLUTION:
        account.last_seen_at = tx.now
    if actor.display_name and person.display_name == actor.external_id:
        person.display_name = actor.display_name  # first contact knew only the id
    _refresh_account(account, actor)
    if actor.key in tx.policy.admins and person.role != "admin":
        person.role = "admin"
    tx.session.flush()
    return person


def _met(tx: Tx, account: Account) -> tuple[Account, Person]:
    return account, tx.session.get_one(Person, account.person_id)


def known_actor(tx: Tx, actor: Actor) -> Person | None:
    """The person behind `actor` when nothing about them needs writing down; None when something does
    (first contact, a new name, handle or locale, a stale last-seen time): then use `resolve_actor`.

    For commands that only read, in a read transaction.
    """
    _refuse_anonymous(actor)
    found = tx.session.execute(
        _ACCOUNT_AND_PERSON, {"platform": actor.platform, "external_id": actor.external_id}
    ).first()
    if found is None:
        return None
    account, person = found
    if account.last_seen_at < tx.now - SEEN_RESOLUTION or _account_changes(account, actor):
        return None
    if actor.display_name and person.display_name == actor.external_id:
        return None
    if actor.key in tx.policy.admins and person.role != "admin":
        return None
    return person


def _refuse_anonymous(actor: Actor) -> None:
    if actor.anonymous:
        raise DomainError(
            "I cannot tell who is writing: this was sent as a group, a channel or a bot. "
            "Please write as yourself (turn off 'Remain anonymous' in the group's admin settings)."
        )


def _first_contact(tx: Tx, actor: Actor) -> Account:
    """A new Person and Account; if a concurrent request created them first, theirs is used."""
    try:
        with tx.session.begin_nested():
            person = Person(
                display_name=actor.display_name or actor.external_id, role="member", created_at=tx.now
            )
            tx.session.add(person)
            tx.session.flush()
            account = Account(
                person_id=person.id,
                platform=actor.platform,
                external_id=actor.external_id,
                display_name=person.display_name,
                last_seen_at=tx.now,
            )
            tx.session.add(account)
            tx.session.flush()
            return account
    except IntegrityError:
        existing = _account(tx, actor.platform, actor.external_id)
        if existing is None:
            raise
        return existing


def _refresh_account(account: Account, actor: Actor) -> None:
    for name, value in _account_changes(account, actor).items():
        setattr(account, name, value)


def _account_changes(account: Account, actor: Actor) -> dict[str, str]:
    """What the platform now says of the account that differs from what was written down."""
    said = {
        "display_name": actor.display_name or None,
        "handle": actor.handle.lstrip("@").lower() if actor.handle else None,
        "locale": normalize_locale(actor.locale),
    }
    return {name: value for name, value in said.items() if value and getattr(account, name) != value}


def find_account_person(tx: Tx, actor: Actor) -> Person | None:
    """The person behind `actor` if they have been here before; creates nothing."""
    account = _account(tx, actor.platform, actor.external_id)
    return None if account is None else tx.session.get_one(Person, account.person_id)


def _account(tx: Tx, platform: str, external_id: str) -> Account | None:
    return tx.session.scalar(_ACCOUNT, {"platform": platform, "external_id": external_id})


def anyone(tx: Tx) -> bool:
    """Whether anybody has been here yet."""
    return tx.session.scalar(select(Person.id).limit(1)) is not None


def read_locale(raw: str) -> str:
    """A language we speak, from a code such as `nb` or `sv-SE`; refused otherwise."""
    locale = normalize_locale(raw)
    if locale is None:
        raise DomainError(
            "I don't speak {language}. Choose one of: {choices}.",
            language=raw,
            choices=", ".join(SUPPORTED_LOCALES),
        )
    return locale


def set_locale(tx: Tx, person: Person, raw: str) -> str:
    person.locale = read_locale(raw)
    return person.locale


def shown_name(person: Person) -> str:
    """The name others see: the display name, or HIDDEN_NAME for someone who chose to be hidden."""
    return HIDDEN_NAME if person.hidden else person.display_name


def shown_name_to(person: Person, reader: Person | None) -> str:
    """`shown_name` as `reader` sees it: people always see their own name."""
    return person.display_name if reader is not None and person.id == reader.id else shown_name(person)


def shown_name_column(person: type[Person] | Any = Person, reader_id: int | None = None) -> ColumnElement[str]:
    """`shown_name` as an SQL expression over `person` (the Person model or an alias of it); as
    `shown_name_to` when the reader is given."""
    hidden = person.hidden if reader_id is None else and_(person.hidden, person.id != reader_id)
    return case((hidden, literal(HIDDEN_NAME)), else_=person.display_name)


def set_hidden(tx: Tx, person: Person, hidden: bool) -> bool:
    """Hide the person's name from what others see, or show it again; False when nothing changed."""
    if person.hidden == hidden:
        return False
    person.hidden = hidden
    person.privacy_changed_at = tx.now
    return True


def hears_of_supported_ideas(person: Person) -> bool:
    """Whether `/notices` is on for the person (it is until they turn it off)."""
    return person.supporter_notices is not False


def set_supporter_notices(person: Person, on: bool) -> bool:
    """Turn the news of ideas the person voted for or supports on or off; False when nothing changed."""
    changed = hears_of_supported_ideas(person) != on
    person.supporter_notices = on
    return changed


def find_person(tx: Tx, token: str, platform: str, mentioned: Sequence[Actor] = ()) -> Person:
    """The person a command names: a platform mention, an `@handle`, or a display name."""
    person = find_person_or_none(tx, token, platform, mentioned)
    if person is None:
        raise DomainError("I don't know anyone called {name}.", name=token)
    return person


def find_person_or_none(tx: Tx, token: str, platform: str, mentioned: Sequence[Actor] = ()) -> Person | None:
    match = MENTION.fullmatch(token)
    if match:
        return _mentioned_person(tx, match.group(1), match.group(2), mentioned)
    typed = token.strip()
    bare = typed.lstrip("@").strip()
    if not bare:
        return None
    by_handle = person_by_handle(tx, platform, bare)
    if by_handle is not None:
        return by_handle
    # A display name may itself begin with `@` (names are the person's or the platform's to choose).
    for name in dict.fromkeys((bare, typed)):
        key = name_key(name)
        named = [person for person in people_named_from(tx, name) if name_key(person.display_name) == key]
        if named:
            return named[0] if len(named) == 1 else None
    return None


def person_by_handle(tx: Tx, platform: str, handle: str) -> Person | None:
    account = tx.session.scalar(
        select(Account).where(Account.platform == platform, Account.handle == handle.lower()).limit(1)
    )
    return None if account is None else tx.session.get_one(Person, account.person_id)


def people_named_from(tx: Tx, first_word: str) -> list[Person]:
    """Everyone whose display name may begin with `first_word` (compare with `name_key` to be sure).

    SQLite's lower() folds only ASCII letters, so a word with others is narrowed by its first letter
    in either case (`Å%` or `å%`), and Python decides the rest.
    """
    key = name_key(first_word)
    if not key:
        return []
    if key.isascii():
        narrowed: ColumnElement[bool] = func.lower(Person.display_name).like(
            like_prefix(key), escape=LIKE_ESCAPE
        )
    else:
        first = {key[0], key[0].upper(), key[0].title()}
        narrowed = or_(*(Person.display_name.like(like_prefix(letter), escape=LIKE_ESCAPE) for letter in first))
    return list(tx.session.scalars(select(Person).where(narrowed).order_by(Person.id)))


def display_names(tx: Tx) -> list[str]:
    """The display names to suggest when what was typed is close to one: those not hidden (a hidden
    person is found by their exact name or a mention, never offered to someone who guessed)."""
    return list(tx.session.scalars(select(Person.display_name).where(Person.hidden.is_(False)).distinct()))


def handles_of(tx: Tx, person_ids: Sequence[int]) -> dict[int, str]:
    """A handle for each of these people who has one (on any platform)."""
    rows = tx.session.execute(
        select(Account.person_id, Account.handle).where(
            Account.person_id.in_(person_ids), Account.handle.is_not(None)
        )
    ).all()
    return {person_id: handle for person_id, handle in rows if handle}


def _mentioned_person(tx: Tx, platform: str, external_id: str, mentioned: Sequence[Actor]) -> Person | None:
    account = _account(tx, platform, external_id)
    if account is not None:
        return tx.session.get_one(Person, account.person_id)
    for actor in mentioned:
        if actor.platform == platform and actor.external_id == external_id and not actor.anonymous:
            return resolve_actor(tx, actor)
    return None


def set_role(tx: Tx, admin: Person, target: Person, role: str) -> None:
    require_role(admin, {"admin"})
    if role not in ROLES:
        raise DomainError("There is no role {role}.", role=role)
    if target.id == admin.id and role != "admin":
        raise DomainError("You cannot take away your own admin role.")
    target.role = role


def grant_role_locally(person: Person, role: str) -> None:
    """Set a role without an admin: only for the trusted local console operator."""
    if role not in ROLES:
        raise DomainError("There is no role {role}.", role=role)
    person.role = role


def require_role(person: Person, roles: set[str] | frozenset[str]) -> None:
    refusal = role_refusal(person, roles)
    if refusal is not None:
        raise refusal


class RoleNeededError(DomainError):
    """A refusal for want of a role; the reply may say how admins are named when theirs is one of them."""

    @property
    def needs_admin(self) -> bool:
        roles = self.params.get("roles")
        return isinstance(roles, Label) and "admin" in roles.key.split(",")


def role_refusal(person: Person, roles: set[str] | frozenset[str]) -> DomainError | None:
    """Why `person` may not do what only `roles` may; None when they may."""
    if person.role in roles:
        return None
    allowed = sorted(roles, key=ROLES.index)
    return RoleNeededError("This needs the role {roles}.", roles=Label("role", ",".join(allowed)))


def nobody_is_admin(tx: Tx) -> bool:
    """Whether the organisation has no admin yet: then a refusal for want of the role says how one is named."""
    return tx.session.scalar(select(Person.id).where(Person.role == "admin").limit(1)) is None


def is_reviewer(person: Person) -> bool:
    return person.role in REVIEWER_ROLES
