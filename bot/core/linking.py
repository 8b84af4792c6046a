"""Linking accounts: a one-time code asked for on one platform and sent back from another."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from bot.core.caps import hold_person
from bot.core.errors import DomainError
from bot.core.merging import merge_people
from bot.core.models import Account, LinkCode, Person
from bot.core.people import shown_name_to
from bot.core.uow import Tx

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read and retyped
CODE_LENGTH = 8
VALID_FOR = timedelta(minutes=10)


@dataclass(frozen=True)
class Linked:
    person: Person
    platforms: list[str]


def new_code(tx: Tx, person: Person, platform: str) -> LinkCode:
    """A fresh code for `person`; their earlier unused codes expire now (`used_at` means used)."""
    hold_person(tx, person)  # two asked for at once: the second voids the first, one code stays valid
    tx.session.execute(
        update(LinkCode)
        .where(LinkCode.person_id == person.id, LinkCode.used_at.is_(None), LinkCode.expires_at > tx.now)
        .values(expires_at=tx.now)
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    link = LinkCode(
        code=code, person_id=person.id, platform=platform, created_at=tx.now, expires_at=tx.now + VALID_FOR
    )
    tx.session.add(link)
    tx.session.flush()
    return link


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def use_code(tx: Tx, person: Person, platform: str, typed: str) -> Linked:
    """Join the code's owner and `person` into one person (the older of the two survives).

    The code's row is locked first, so of two accounts sending one code at once exactly one is
    joined and the other is told the code was used.
    """
    code = "".join(ch for ch in typed.upper() if ch.isalnum())
    link = tx.session.scalar(
        select(LinkCode)
        .where(LinkCode.code == code)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if link is None or link.person_id is None:
        raise DomainError("That code is unknown or has expired. Ask for a new one with /link.")
    if link.used_at is not None:  # a used code belongs to the person it made (merging moves it there)
        name = shown_name_to(tx.session.get_one(Person, link.person_id), person)
        raise DomainError("That code was already used by {name}.", name=name)
    if link.expires_at <= tx.now:
        raise DomainError("That code is unknown or has expired. Ask for a new one with /link.")
    if link.person_id == person.id:
        raise DomainError("That code is your own: send it from your account on the other platform.")
    if link.platform == platform:
        raise DomainError("Send the code from your account on the other platform.")
    owner = tx.session.get_one(Person, link.person_id)
    _refuse_two_accounts_on_one_platform(tx, owner, person)
    survivor, absorbed = sorted((owner, person), key=lambda one: one.id)
    hold_person(tx, survivor)  # in order of id, as every request that holds two people
    hold_person(tx, absorbed)
    # FOR UPDATE waits for every request acting as the absorbed person to commit and keeps new ones
    # waiting (they hold its key): nothing can name the person between the merge and its deletion.
    tx.session.execute(select(Person.id).where(Person.id == absorbed.id).with_for_update())
    link.used_at = tx.now
    tx.session.flush()
    merge_people(tx, survivor, absorbed)
    platforms = sorted(
        set(tx.session.scalars(select(Account.platform).where(Account.person_id == survivor.id)))
    )
    return Linked(survivor, platforms)


def _refuse_two_accounts_on_one_platform(tx: Tx, one: Person, other: Person) -> None:
    def platforms(person: Person) -> set[str]:
        return set(tx.session.scalars(select(Account.platform).where(Account.person_id == person.id)))

    shared = platforms(one) & platforms(other)
    if shared:
        raise DomainError(
            "Both already have a {platform} account, so they cannot become one person.",
            platform=", ".join(sorted(shared)),
        )
