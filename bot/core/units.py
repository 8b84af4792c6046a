"""Units of the organisation (organisation → site → department → team), membership and channels."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.orm import aliased

from bot.core import unit_history
from bot.core.caps import Whole, hold_whole
from bot.core.errors import DomainError
from bot.core.models import Person, Unit, UnitChannel
from bot.core.names import LIKE_ESCAPE, like_prefix, name_key
from bot.core.people import require_role, shown_name_column
from bot.core.uow import Tx

UNIT_KINDS = ("organisation", "site", "department", "team")
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class UnitRow:
    """One line of the unit tree, for display."""

    unit: Unit
    depth: int
    members: int  # in the unit and every unit below it
    representative: str | None  # as the reader sees them: people.shown_name_to


def add_unit(tx: Tx, admin: Person, name: str, kind: str, parent: Unit | None) -> Unit:
    require_role(admin, {"admin"})
    name = " ".join(name.split())
    if not name:
        raise DomainError("Give the unit a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError("A unit name can be at most {limit} characters.", limit=MAX_NAME_LENGTH)
    if kind not in UNIT_KINDS:
        raise DomainError("There is no unit kind {kind}.", kind=kind)
    hold_whole(tx, Whole.UNITS)  # the second of two admins at once is refused, not failed by the index
    if parent is not None:
        parent = hold_unit(tx, parent)
    if find_unit_or_none(tx, name) is not None:
        raise DomainError("There is already a unit called {name}.", name=name)
    unit = Unit(
        name=name,
        name_key=name_key(name),
        kind=kind,
        parent_id=parent.id if parent else None,
        created_at=tx.now,
    )
    tx.session.add(unit)
    tx.session.flush()
    return unit


def hold_unit(tx: Tx, unit: Unit) -> Unit:
    """Make changes to the units take turns until the commit (a rename, a move, a removal, a new unit
    or member), then read `unit` again: the turn before ours may have moved or removed it."""
    hold_whole(tx, Whole.UNITS)
    found = tx.session.scalars(
        select(Unit).where(Unit.id == unit.id).execution_options(populate_existing=True)
    ).one_or_none()
    if found is None:
        raise DomainError("The unit {name} was removed meanwhile.", name=unit.name)
    return found


def get_unit(tx: Tx, unit_id: int | None) -> Unit | None:
    return tx.session.get(Unit, unit_id) if unit_id is not None else None


def find_unit_or_none(tx: Tx, name: str) -> Unit | None:
    key = name_key(name.lstrip("#@"))
    return tx.session.scalar(select(Unit).where(Unit.name_key == key)) if key else None


def units_named_from(tx: Tx, first_word: str) -> list[Unit]:
    """Every unit whose name begins with the word `first_word` (the whole name or its first word)."""
    key = name_key(first_word)
    if not key:
        return []
    return list(
        tx.session.scalars(
            select(Unit)
            .where((Unit.name_key == key) | Unit.name_key.like(like_prefix(key + " "), escape=LIKE_ESCAPE))
            .order_by(Unit.id)
        )
    )


def unit_names(tx: Tx) -> list[str]:
    """Every unit's name, for suggesting one close to what was typed."""
    return list(tx.session.scalars(select(Unit.name).order_by(Unit.name_key)))


def find_unit(tx: Tx, name: str) -> Unit:
    unit = find_unit_or_none(tx, name)
    if unit is None:
        raise DomainError("There is no unit called {name}.", name=name)
    return unit


def set_member(tx: Tx, admin: Person, person: Person, unit: Unit) -> None:
    require_role(admin, {"admin"})
    unit = hold_unit(tx, unit)
    unit_history.move(tx, person, unit.id)


def set_representative(tx: Tx, admin: Person, unit: Unit, person: Person) -> None:
    """Make `person` the unit's environmental representative (and a member, if in no unit yet)."""
    require_role(admin, {"admin"})
    unit.representative_id = person.id
    if person.role == "member":
        person.role = "representative"
    if person.unit_id is None:
        unit_history.move(tx, person, unit.id)


def tie_channel(tx: Tx, admin: Person, unit: Unit, platform: str, conversation_id: str) -> None:
    """Posts for `unit` (shout-outs, later progress posts) go to this conversation."""
    require_role(admin, {"admin"})
    existing = tx.session.scalar(
        select(UnitChannel).where(
            UnitChannel.platform == platform, UnitChannel.conversation_id == conversation_id
        )
    )
    if existing is not None:
        existing.unit_id = unit.id
        return
    tx.session.add(UnitChannel(unit_id=unit.id, platform=platform, conversation_id=conversation_id))


def _parents(tx: Tx) -> dict[int, int | None]:
    return dict(tx.session.execute(select(Unit.id, Unit.parent_id)).all())


def ancestor_ids(tx: Tx, unit_id: int | None) -> list[int]:
    """The unit itself, then its parent, up to the top (one recursive query: this runs per award)."""
    if unit_id is None:
        return []
    chain = (
        select(Unit.id, Unit.parent_id, literal(0).label("depth")).where(Unit.id == unit_id).cte(recursive=True)
    )
    parent = aliased(Unit)
    chain = chain.union_all(
        select(parent.id, parent.parent_id, chain.c.depth + 1).join(chain, parent.id == chain.c.parent_id)
    )
    return list(tx.session.scalars(select(chain.c.id).order_by(chain.c.depth)))


def subtree_ids(tx: Tx, unit_id: int) -> list[int]:
    """The unit and every unit nested below it."""
    children: dict[int | None, list[int]] = {}
    for child, parent in _parents(tx).items():
        children.setdefault(parent, []).append(child)
    found, pending = [], [unit_id]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(children.get(current, []))
    return found


def tree(tx: Tx, reader: Person) -> list[UnitRow]:
    """Every unit under its parent, with its members and its representative as `reader` sees them."""
    units = tx.session.scalars(select(Unit).order_by(Unit.name_key)).all()
    members = dict(
        tx.session.execute(
            select(Person.unit_id, func.count()).where(Person.unit_id.is_not(None)).group_by(Person.unit_id)
        ).all()
    )
    rep_ids = {u.representative_id for u in units if u.representative_id}
    rep_names = (
        dict(
            tx.session.execute(
                select(Person.id, shown_name_column(reader_id=reader.id)).where(Person.id.in_(rep_ids))
            ).all()
        )
        if rep_ids
        else {}
    )
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    rows: list[UnitRow] = []

    def walk(parent: int | None, depth: int) -> int:
        """Append the rows under `parent`; the members of all of them."""
        below = 0
        for unit in by_parent.get(parent, []):
            rep = rep_names.get(unit.representative_id) if unit.representative_id else None
            row = len(rows)
            rows.append(UnitRow(unit, depth, 0, rep))
            count = members.get(unit.id, 0) + walk(unit.id, depth + 1)
            rows[row] = UnitRow(unit, depth, count, rep)
            below += count
        return below

    walk(None, 0)
    return rows


ORGANISATION_KIND = "organisation"


def organisation_unit(tx: Tx) -> Unit | None:
    """The unit that is the whole organisation: the only unit at the top, of the kind organisation."""
    top = tx.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).limit(2)).all()
    return top[0] if len(top) == 1 and top[0].kind == ORGANISATION_KIND else None


def channels_for(tx: Tx, unit_id: int | None) -> list[tuple[str, str]]:
    """The (platform, conversation) pairs tied to the nearest unit up the chain that has any."""
    for current in ancestor_ids(tx, unit_id):
        channels = tx.session.execute(
            select(UnitChannel.platform, UnitChannel.conversation_id).where(UnitChannel.unit_id == current)
        ).all()
        if channels:
            return list(channels)
    return []


@dataclass(frozen=True)
class UnitProfile:
    """One unit up close: its place in the tree, its people as the reader sees them, its channels."""

    unit: Unit
    parent: str | None
    subunits: list[str]
    members: list[str]  # its own members (not those of its subunits), by name
    members_below: int  # in its subunits, all the way down
    representative: str | None
    channels: list[tuple[str, str]]  # tied to this unit itself (posts may also come from a parent's)


def profile(tx: Tx, reader: Person, unit: Unit) -> UnitProfile:
    shown = shown_name_column(reader_id=reader.id)
    members = list(
        tx.session.scalars(
            select(shown)
            .where(Person.unit_id == unit.id)
            .order_by(Person.hidden, Person.display_name, Person.id)
        )
    )
    below = [unit_id for unit_id in subtree_ids(tx, unit.id) if unit_id != unit.id]
    members_below = tx.session.scalar(select(func.count()).where(Person.unit_id.in_(below))) if below else 0
    parent = tx.session.scalar(select(Unit.name).where(Unit.id == unit.parent_id)) if unit.parent_id else None
    subunits = list(
        tx.session.scalars(select(Unit.name).where(Unit.parent_id == unit.id).order_by(Unit.name_key))
    )
    representative = (
        tx.session.scalar(select(shown).where(Person.id == unit.representative_id))
        if unit.representative_id
        else None
    )
    channels = tx.session.execute(
        select(UnitChannel.platform, UnitChannel.conversation_id)
        .where(UnitChannel.unit_id == unit.id)
        .order_by(UnitChannel.platform, UnitChannel.conversation_id)
    ).all()
    return UnitProfile(
        unit,
        parent,
        subunits,
        members,
        members_below or 0,
        representative,
        [(platform, conversation) for platform, conversation in channels],
    )
