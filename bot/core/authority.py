"""Whose ideas and requests a reviewer may act on: the units their powers cover, never their own."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.core.errors import DomainError
from bot.core.models import Person, Unit
from bot.core.units import subtree_ids
from bot.core.uow import Tx


def covered_units(tx: Tx, person: Person) -> set[int] | None:
    """The units `person` may act on; None: every unit (admins, and managers when the policy says so).

    The roots are the unit one belongs to and every unit one represents (a representative of a site
    may sit in one of its teams); each covers the units below it.
    """
    if person.role == "admin" or (person.role == "manager" and tx.policy.managers_organisation_wide):
        return None
    roots = set(tx.session.scalars(select(Unit.id).where(Unit.representative_id == person.id)))
    if person.unit_id is not None:
        roots.add(person.unit_id)
    return {unit for root in roots for unit in subtree_ids(tx, root)}


def covers(covered: set[int] | None, unit_id: int | None) -> bool:
    """Whether `unit_id` is within `covered`. What belongs to no unit is the organisation's: anyone's."""
    return covered is None or unit_id is None or unit_id in covered


def outside_refusal(
    tx: Tx, person: Person, unit_id: int | None, refusal: Callable[[str], DomainError]
) -> DomainError | None:
    """`refusal(the unit's name)` when `unit_id` is outside what `person` covers; else None."""
    if covers(covered_units(tx, person), unit_id):
        return None
    return refusal(tx.session.get_one(Unit, unit_id).name)


def require_covered(tx: Tx, person: Person, unit_id: int | None, refusal: Callable[[str], DomainError]) -> None:
    found = outside_refusal(tx, person, unit_id, refusal)
    if found is not None:
        raise found
