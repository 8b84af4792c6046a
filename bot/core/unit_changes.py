"""Correcting the unit tree: renaming a unit, moving it under another, removing one no longer needed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, delete, exists, select

from bot.core import unit_history
from bot.core.errors import DomainError, Label
from bot.core.models import Base, Person, Unit
from bot.core.names import name_key
from bot.core.people import require_role, shown_name
from bot.core.units import MAX_NAME_LENGTH, ORGANISATION_KIND, ancestor_ids, find_unit_or_none, hold_unit
from bot.core.uow import Tx

# The tables that keep a unit alive: their rows belong to it, so a unit they name is not removed
# (its parent, its members and their history are what `remove` itself deals with).
_TREE_TABLES = frozenset({"units", "persons", "unit_moves"})
REFERRING_COLUMNS: tuple[Column[int], ...] = tuple(
    fk.parent
    for table in Base.metadata.sorted_tables
    if table.name not in _TREE_TABLES
    for fk in table.foreign_keys
    if fk.column.table.name == Unit.__tablename__
)


@dataclass(frozen=True)
class Removal:
    """What `remove` did: the unit's name, and the people and subunits that went to its parent."""

    name: str
    parent: str | None
    people: int
    subunits: int


def rename(tx: Tx, admin: Person, unit: Unit, new_name: str) -> str:
    """Give the unit a new name (unique, as every unit's); what refers to it keeps doing so. The old name."""
    require_role(admin, {"admin"})
    new_name = " ".join(new_name.split())
    if not new_name:
        raise DomainError("Give the unit a name.")
    if len(new_name) > MAX_NAME_LENGTH:
        raise DomainError("A unit name can be at most {limit} characters.", limit=MAX_NAME_LENGTH)
    unit = hold_unit(tx, unit)
    taken = find_unit_or_none(tx, new_name)
    if taken is not None and taken.id != unit.id:
        raise DomainError("There is already a unit called {name}.", name=taken.name)
    old_name = unit.name
    if old_name == new_name:
        raise DomainError("{name} is already called that.", name=old_name)
    unit.name, unit.name_key = new_name, name_key(new_name)
    tx.session.flush()
    return old_name


def move(tx: Tx, admin: Person, unit: Unit, parent: Unit) -> Unit | None:
    """Put the unit (with everything below it) under `parent`; the parent it had before."""
    require_role(admin, {"admin"})
    unit, parent = hold_unit(tx, unit), hold_unit(tx, parent)
    if unit.kind == ORGANISATION_KIND and unit.parent_id is None:
        raise DomainError("{name} is the whole organisation: it stays at the top.", name=unit.name)
    if unit.id in ancestor_ids(tx, parent.id):  # read after the hold: a move just made is seen
        if unit.id == parent.id:
            raise DomainError("A unit cannot be under itself.")
        raise DomainError(
            "{parent} is inside {unit}: {unit} cannot go under it.", parent=parent.name, unit=unit.name
        )
    if unit.parent_id == parent.id:
        raise DomainError("{unit} is already under {parent}.", unit=unit.name, parent=parent.name)
    before = tx.session.get(Unit, unit.parent_id) if unit.parent_id is not None else None
    unit.parent_id = parent.id
    tx.session.flush()
    return before


def remove(tx: Tx, admin: Person, unit: Unit, move_people: bool) -> Removal:
    """Remove a unit nothing else refers to: an empty one, or (`move_people`) one whose members and
    subunits go to its parent, the members' moves recorded for time-shares."""
    require_role(admin, {"admin"})
    unit = hold_unit(tx, unit)
    referring = sorted({_reference_kind(column) for column in REFERRING_COLUMNS if _refers(tx, column, unit)})
    if referring:
        raise DomainError(
            "{unit} cannot be removed: {what} still refer to it. Rename or move it instead.",
            unit=unit.name,
            what=Label("unit_reference", ",".join(referring)),
        )
    members = list(tx.session.scalars(select(Person).where(Person.unit_id == unit.id).order_by(Person.id)))
    subunits = list(tx.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name_key)))
    parent = tx.session.get(Unit, unit.parent_id) if unit.parent_id is not None else None
    if (members or subunits) and not move_people:
        raise _not_empty(unit, members, subunits)
    if parent is None and subunits and unit.kind == ORGANISATION_KIND:
        raise DomainError("{unit} is the whole organisation: its units need it above them.", unit=unit.name)
    if members and parent is None:
        raise DomainError("{unit} is at the top: there is no unit above to move its people to.", unit=unit.name)
    for person in members:
        assert parent is not None  # refused above
        unit_history.move(tx, person, parent.id)
    for subunit in subunits:
        subunit.parent_id = unit.parent_id
    tx.session.flush()
    unit_history.fold_into(tx, unit.id, unit.parent_id)
    tx.session.execute(delete(Unit).where(Unit.id == unit.id), execution_options={"synchronize_session": False})
    tx.session.expunge(unit)
    return Removal(unit.name, parent.name if parent else None, len(members), len(subunits))


def _not_empty(unit: Unit, members: list[Person], subunits: list[Unit]) -> DomainError:
    """The refusal naming what is still in the unit, and how to move it along."""
    people = ", ".join(shown_name(person) for person in members)
    below = ", ".join(subunit.name for subunit in subunits)
    if members and subunits:
        return DomainError(
            "{unit} still has members ({people}) and subunits ({below}). Move them first, or use "
            "/unit remove {unit} move people to move them to the unit above.",
            unit=unit.name,
            people=people,
            below=below,
        )
    if members:
        return DomainError(
            "{unit} still has members: {people}. Move them first, or use "
            "/unit remove {unit} move people to move them to the unit above.",
            unit=unit.name,
            people=people,
        )
    return DomainError(
        "{unit} still has subunits: {below}. Move them first, or use "
        "/unit remove {unit} move people to move them to the unit above.",
        unit=unit.name,
        below=below,
    )


def _refers(tx: Tx, column: Column[int], unit: Unit) -> bool:
    return bool(tx.session.scalar(select(exists().where(column == unit.id))))


def _reference_kind(column: Column[int]) -> str:
    return REFERENCE_KINDS.get(column.table.name, column.table.name)


# What each referring table is, in the refusal's words (a Label of kind unit_reference).
REFERENCE_KINDS = {
    "unit_channels": "channels",
    "unit_point_totals": "points",
    "ledger": "points",
    "board_links": "board_links",
    "goals": "goals",
    "ideas": "ideas",
    "praise": "praise",
    "schedule": "reminders",
    "campaign_units": "campaigns",
    "competition_units": "competitions",
    "survey_units": "surveys",
    "survey_answers": "surveys",
}
