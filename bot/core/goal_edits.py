"""Changing a goal after it is set: its title, target, deadline or owner, by those who may set it, under the
rules it was made by, each change kept (who, when, from what to what)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from bot.core import goal_corrections, goal_rules, goals
from bot.core.errors import DomainError
from bot.core.models import Goal, GoalChange, Person
from bot.core.units import subtree_ids
from bot.core.uow import Tx

FIELDS = ("title", "target", "deadline", "owner")
Value = str | Decimal | date | Person | None


def edit(tx: Tx, person: Person, goal_id: int, field: str, value: Value) -> GoalChange:
    """Set one field of a goal in force. The goal's row is locked first, so that an edit and a removal at
    once happen one after the other: an edit after the removal is refused."""
    locked = tx.session.get(Goal, goal_id, with_for_update=True)
    if locked is None:
        raise DomainError("There is no goal #{id}.", id=goal_id)
    goals.require_may_set(tx, person, locked.unit_id)
    goal = goals.in_force(tx, goal_id)
    old, new = _apply(tx, goal, field, value)
    if old == new:
        raise DomainError("Goal #{id} has that already.", id=goal.id)
    change = GoalChange(
        goal_id=goal.id, field=field, old_value=old, new_value=new, changed_by_id=person.id, created_at=tx.now
    )
    tx.session.add(change)
    tx.session.flush()
    if field in ("target", "deadline"):  # a target moved may be reached now, or no longer
        goal_corrections.unmark_no_longer_reached(tx, goal)
        goals.celebrate_reached(tx, person, [goal])
    return change


def _apply(tx: Tx, goal: Goal, field: str, value: Value) -> tuple[str | None, str | None]:
    """Check the new value as `/goal new` would, set it, and say what it was and is, as text."""
    if field == "title" and isinstance(value, str):
        old, goal.title = goal.title, goal_rules.check_title(value)
        return old, goal.title
    if field == "target" and isinstance(value, Decimal):
        old_target = _figure(goal.target)
        goal.target = goal_rules.check_target(goal.baseline, value)
        return old_target, _figure(goal.target)
    if field == "deadline" and isinstance(value, date):
        old_day = goal.deadline.isoformat()
        goal.deadline = goal_rules.check_deadline(value, goals.local_today(tx))
        return old_day, goal.deadline.isoformat()
    if field == "owner" and (value is None or isinstance(value, Person)):
        if value is not None:
            _require_in_unit(tx, goal, value)
        old_owner = None if goal.owner_id is None else str(goal.owner_id)
        goal.owner_id = None if value is None else value.id
        return old_owner, None if value is None else str(value.id)
    raise DomainError("A goal's {field} cannot be changed.", field=field)


def _require_in_unit(tx: Tx, goal: Goal, owner: Person) -> None:
    """A unit's goal is owned by someone in the unit or below it; the organisation's by anyone."""
    if goal.unit_id is None:
        return
    if owner.unit_id is None or owner.unit_id not in subtree_ids(tx, goal.unit_id):
        raise DomainError(
            "{name} is not in {unit}; a goal is owned by someone in its unit.",
            name=goals.person_name(tx, owner.id) or "",
            unit=goals.unit_label(tx, goal.unit_id),
        )


def _figure(value: Decimal) -> str:
    return f"{value.normalize():f}"


def changes(tx: Tx, goal: Goal) -> list[GoalChange]:
    """The goal's changes, oldest first."""
    return list(
        tx.session.scalars(select(GoalChange).where(GoalChange.goal_id == goal.id).order_by(GoalChange.id))
    )
