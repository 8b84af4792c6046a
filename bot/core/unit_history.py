"""Unit membership over time: every move is recorded, so a period's members are those of the period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, timedelta
from fractions import Fraction

from sqlalchemy import delete, select, update

from bot.core.models import Person, UnitMove
from bot.core.uow import Tx

Steps = list[tuple[datetime, int | None, int | None]]  # (moved at, unit left, unit joined), in order
_TICK = timedelta(microseconds=1)


def move(tx: Tx, person: Person, unit_id: int) -> None:
    """Put `person` in the unit, remembering where they were until now."""
    if person.unit_id == unit_id:
        return
    tx.session.add(
        UnitMove(person_id=person.id, from_unit_id=person.unit_id, to_unit_id=unit_id, moved_at=tx.now)
    )
    person.unit_id = unit_id


def fold_into(tx: Tx, unit_id: int, parent_id: int | None) -> None:
    """A unit about to be removed: the time spent in it counts from now on as time in its parent,
    whose figures (roll-ups, competitions) counted it all along."""
    for column in (UnitMove.from_unit_id, UnitMove.to_unit_id):
        tx.session.execute(
            update(UnitMove).where(column == unit_id).values({column: parent_id}),
            execution_options={"synchronize_session": False},
        )


def shares(tx: Tx, start: datetime, end: datetime, unit_ids: Collection[int]) -> dict[int, dict[int, Fraction]]:
    """For each person who was in one of `unit_ids` between `start` and `end`: the share of that time
    spent in each of them (1 for a whole period in one unit). A period of no length counts the
    members at `end`. Being in no unit means not yet placed: a first placement counts from before."""
    wanted = set(unit_ids)
    moves: dict[int, Steps] = defaultdict(list)
    for person_id, moved_at, left, joined in tx.session.execute(
        select(UnitMove.person_id, UnitMove.moved_at, UnitMove.from_unit_id, UnitMove.to_unit_id)
        .where(UnitMove.moved_at > start)
        .order_by(UnitMove.person_id, UnitMove.moved_at, UnitMove.id)
    ):
        moves[person_id].append((moved_at, left, joined))
    found: dict[int, dict[int, Fraction]] = {}
    for person_id, unit_id in tx.session.execute(
        select(Person.id, Person.unit_id).where(Person.unit_id.in_(sorted(wanted)))
    ):
        if person_id not in moves and unit_id is not None:
            found[person_id] = {unit_id: Fraction(1)}
    for person_id, steps in moves.items():
        spent = {unit: share for unit, share in _spans(steps, start, end).items() if unit in wanted}
        if spent:
            found[person_id] = spent
    return found


def _spans(steps: Steps, start: datetime, end: datetime) -> dict[int, Fraction]:
    """The share of [start, end) spent in each unit, given the moves after `start` in order."""
    _, left, joined = steps[0]
    first_unit = left if left is not None else joined
    if end <= start:
        return {first_unit: Fraction(1)} if first_unit is not None else {}
    length = (end - start) // _TICK
    spent: dict[int, Fraction] = defaultdict(Fraction)
    boundaries = [(start, first_unit), *((moved_at, joined) for moved_at, _, joined in steps)]
    for (since, unit), (until, _) in zip(boundaries, [*boundaries[1:], (end, None)], strict=True):
        inside = min(until, end) - min(since, end)
        if unit is not None and inside > timedelta(0):
            spent[unit] += Fraction(inside // _TICK, length)
    return dict(spent)


def merge(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """The absorbed person's history becomes the survivor's when the survivor was in no unit (the unit
    they take is the absorbed one's); otherwise the survivor's own history stands."""
    survivor_unit = tx.session.scalar(select(Person.unit_id).where(Person.id == survivor_id))
    if survivor_unit is None:
        tx.session.execute(
            update(UnitMove).where(UnitMove.person_id == absorbed_id).values(person_id=survivor_id),
            execution_options={"synchronize_session": False},
        )
    else:
        tx.session.execute(
            delete(UnitMove).where(UnitMove.person_id == absorbed_id),
            execution_options={"synchronize_session": False},
        )
