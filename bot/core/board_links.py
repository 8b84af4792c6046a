"""Read-only links to the board page: made with a random token, kept only as its hash, revoked by id."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from bot.core.authority import covered_units, covers
from bot.core.errors import DomainError
from bot.core.models import BoardLink, Person, Unit
from bot.core.people import SUPPORTED_LOCALES, require_role, shown_name, shown_name_column
from bot.core.uow import Tx

MAKERS = frozenset({"admin", "manager", "representative"})
TOKEN_BYTES = 24  # 192 random bits
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32}")  # what token_urlsafe(TOKEN_BYTES) gives


@dataclass(frozen=True)
class Made:
    link: BoardLink
    token: str  # shown once, to its maker; the database keeps only the hash


@dataclass(frozen=True)
class Listed:
    link: BoardLink
    unit: str | None
    made_by: str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make(tx: Tx, person: Person, unit: Unit | None, locale: str) -> Made:
    """A new link to the board of `unit` (the organisation's for None), in `locale`."""
    require_role(person, MAKERS)
    _require_covers(tx, person, unit)
    if locale not in SUPPORTED_LOCALES:
        raise DomainError("There is no language {language}.", language=locale)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = BoardLink(
        token_hash=token_hash(token),
        unit_id=None if unit is None else unit.id,
        locale=locale,
        created_by_id=person.id,
        created_at=tx.now,
    )
    tx.session.add(link)
    tx.session.flush()
    return Made(link, token)


def links_everything(tx: Tx, person: Person) -> bool:
    """Whether `person` may link the organisation's board (else only their units')."""
    return covered_units(tx, person) is None


def _require_covers(tx: Tx, person: Person, unit: Unit | None) -> None:
    covered = covered_units(tx, person)
    if unit is None and covered is not None:
        raise DomainError("Only an admin may link the whole organisation's board; name a unit.")
    if unit is not None and not covers(covered, unit.id):
        raise DomainError("Your role does not cover {unit}.", unit=unit.name)


def revoke(tx: Tx, person: Person, link_id: int) -> BoardLink:
    """Revoke a link at once (pages open on it go blank); one may revoke what one could have made."""
    require_role(person, MAKERS)
    link = tx.session.get(BoardLink, link_id, with_for_update=True, populate_existing=True)
    if link is None:
        raise DomainError("There is no board link #{id}.", id=link_id)
    _require_covers(tx, person, None if link.unit_id is None else tx.session.get_one(Unit, link.unit_id))
    if link.revoked_at is not None:
        by = None if link.revoked_by_id is None else tx.session.get(Person, link.revoked_by_id)
        raise DomainError(
            "Board link #{id} was already revoked by {name}.", id=link_id, name=shown_name(by) if by else "?"
        )
    tx.session.execute(
        update(BoardLink).where(BoardLink.id == link_id).values(revoked_at=tx.now, revoked_by_id=person.id)
    )
    tx.session.refresh(link)
    return link


def listing(tx: Tx, person: Person) -> list[Listed]:
    """The links in force that `person` may revoke, newest first."""
    require_role(person, MAKERS)
    covered = covered_units(tx, person)
    found = tx.session.execute(
        select(BoardLink, Unit.name, shown_name_column(reader_id=person.id))
        .outerjoin(Unit, Unit.id == BoardLink.unit_id)
        .outerjoin(Person, Person.id == BoardLink.created_by_id)
        .where(BoardLink.revoked_at.is_(None))
        .order_by(BoardLink.id.desc())
    )
    return [
        Listed(link, unit, maker)
        for link, unit, maker in found
        if covered is None or (link.unit_id is not None and link.unit_id in covered)
    ]


def find(tx: Tx, token: str) -> BoardLink | None:
    """The link in force with this token; None for a wrong, malformed or revoked one.

    The lookup is by the token's hash, so timing tells nothing of a stored token; the final compare
    is constant-time as well.
    """
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    wanted = token_hash(token)
    link = tx.session.scalar(select(BoardLink).where(BoardLink.token_hash == wanted))
    if link is None or link.revoked_at is not None or not hmac.compare_digest(link.token_hash, wanted):
        return None
    return link
