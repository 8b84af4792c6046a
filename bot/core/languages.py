"""Which language a post to a conversation, or a message to a person, is written in; who may change it."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.authority import require_covered
from bot.core.errors import DomainError
from bot.core.models import Account, Person, Setting, Unit, UnitChannel
from bot.core.people import REVIEWER_ROLES, normalize_locale, read_locale, require_role
from bot.core.statements import insert_statement
from bot.core.units import ancestor_ids
from bot.core.uow import Tx

ORGANISATION_LANGUAGE = "language"  # the settings row that holds it

# Whose public holidays a schedule skips when no country is configured: the organisation's language's.
COUNTRY_OF_LANGUAGE = {"nb": "NO", "sv": "SE", "da": "DK"}

UnitLanguages = dict[int | None, str]  # what `unit_language` said, kept for a batch of people


def organisation_language(tx: Tx) -> str:
    """The organisation's language as an admin set it (`/lang organisation`), else the configured default."""
    chosen = tx.session.scalar(select(Setting.value).where(Setting.name == ORGANISATION_LANGUAGE))
    return chosen or tx.policy.default_locale


def organisation_country(tx: Tx) -> str | None:
    """The country whose public holidays schedules skip: as configured, else the organisation language's."""
    return tx.policy.country or COUNTRY_OF_LANGUAGE.get(organisation_language(tx))


def unit_language(tx: Tx, unit_id: int | None) -> str:
    """The unit's own language, else the nearest one set up its chain, else the organisation's."""
    chain = ancestor_ids(tx, unit_id)
    if chain:
        own = {
            unit: language
            for unit, language in tx.session.execute(
                select(Unit.id, Unit.language).where(Unit.id.in_(chain), Unit.language.is_not(None))
            )
            if language
        }
        for unit in chain:
            if unit in own:
                return own[unit]
    return organisation_language(tx)


def conversation_language(tx: Tx, platform: str, conversation: str) -> str:
    """What a post to this conversation is written in: its unit's language when it is a unit's
    channel, else (an announcement channel, the chat a poll was asked in) the organisation's."""
    unit_id = tx.session.scalar(
        select(UnitChannel.unit_id).where(
            UnitChannel.platform == platform, UnitChannel.conversation_id == conversation
        )
    )
    return unit_language(tx, unit_id)


def person_language(
    tx: Tx, person: Person, platform_locale: str | None = None, units: UnitLanguages | None = None
) -> str:
    """What to write to `person` in: their own choice (`/lang`), else their platform's locale (that of
    the account in use, `platform_locale`, else of the account used last), else their unit's language,
    else the organisation's. `units` keeps unit languages across a batch of people."""
    if person.locale:
        return person.locale
    platform = normalize_locale(platform_locale) or _latest_platform_locale(tx, person)
    if platform:
        return platform
    if units is None:
        return unit_language(tx, person.unit_id)
    if person.unit_id not in units:
        units[person.unit_id] = unit_language(tx, person.unit_id)
    return units[person.unit_id]


def _latest_platform_locale(tx: Tx, person: Person) -> str | None:
    return tx.session.scalar(
        select(Account.locale)
        .where(Account.person_id == person.id, Account.locale.is_not(None))
        .order_by(Account.last_seen_at.desc())
        .limit(1)
    )


def set_organisation_language(tx: Tx, admin: Person, raw: str) -> str:
    """Admins choose what posts for the whole organisation (and to anyone with no language) are written in."""
    require_role(admin, {"admin"})
    locale = read_locale(raw)
    chosen = {"value": locale, "changed_at": tx.now}
    statement = insert_statement(tx.session, Setting).values(name=ORGANISATION_LANGUAGE, **chosen)
    tx.session.execute(statement.on_conflict_do_update(index_elements=["name"], set_=chosen))
    return locale


def set_unit_language(tx: Tx, person: Person, unit: Unit, raw: str) -> str:
    """A unit's own language, for its channels and the units below it: admins for any unit, managers and
    representatives for the units they look after (`authority.covered_units`)."""
    require_role(person, REVIEWER_ROLES)
    require_covered(
        tx, person, unit.id, lambda name: DomainError("{unit} is outside the units you look after.", unit=name)
    )
    unit.language = read_locale(raw)
    return unit.language
