"""Taking a goal's measurement back (a typo, the wrong day), noticing one that looks like a typo, and
removing a goal set by mistake or no longer pursued (with why; it stays in the review pack).

A measurement taken back is kept, marked removed, and stops counting: the goal's figure falls back to the
measurement before it. A goal that it had reached and is no longer reached without it loses its reached
mark, so that reaching the target again for real is celebrated again (a mistaken figure's celebration
was no celebration); a goal still reached keeps its mark and is not celebrated twice.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select, update

from bot.core import goals
from bot.core.errors import DomainError
from bot.core.goal_figures import COUNTED, goals_rolling_up
from bot.core.models import Goal, GoalMeasurement, GoalRemoval, Person
from bot.core.statements import insert_if_new
from bot.core.uow import Tx

REASON_LENGTH = 500  # goal_removals.reason
OUT_OF_LINE = Decimal(10)  # a value this many times larger or smaller than the one before looks like a typo


def take_back(tx: Tx, person: Person, goal_id: int, day: date | None) -> GoalMeasurement:
    """Remove the measurement of `day` (None: the latest recorded) by those who may record it.
    Two people taking back at once take back one each, or the later is refused: never one twice."""
    goal = goals.in_force(tx, goal_id)
    goals.require_may_set(tx, person, goal.unit_id)
    wanted = select(GoalMeasurement).where(GoalMeasurement.goal_id == goal.id, COUNTED)
    if day is not None:
        wanted = wanted.where(GoalMeasurement.measured_on == day)
    found = tx.session.scalars(wanted.order_by(GoalMeasurement.id.desc()).limit(1)).first()
    if found is None:
        if day is None:
            raise DomainError("Goal #{id} has no measurement to take back.", id=goal.id)
        raise DomainError("Goal #{id} has no measurement of {date}.", id=goal.id, date=day.isoformat())
    taken = tx.session.execute(
        update(GoalMeasurement)
        .where(GoalMeasurement.id == found.id, COUNTED)
        .values(removed_at=tx.now, removed_by_id=person.id)
        .execution_options(synchronize_session=False)
    )
    if not taken.rowcount:  # type: ignore[attr-defined]
        raise DomainError("Someone has just taken that measurement of goal #{id} back; look again.", id=goal.id)
    tx.session.refresh(found)
    unmark_no_longer_reached(tx, goal)
    return found


def unmark_no_longer_reached(tx: Tx, goal: Goal) -> None:
    """Clear the reached mark of the goal, and of those it rolls into, that are no longer reached."""
    today = goals.local_today(tx)
    for each in (goal, *goals_rolling_up(tx, goal)):
        tx.session.refresh(each)
        if each.reached_at is not None and not goals.standing(tx, each, None, today).reached:
            tx.session.execute(
                update(Goal)
                .where(Goal.id == each.id)
                .values(reached_at=None)
                .execution_options(synchronize_session=False)
            )


def out_of_line(tx: Tx, measurement: GoalMeasurement) -> Decimal | None:
    """The value before `measurement` (the measurement before it, else the baseline) when the new one is
    ten times larger or smaller than it, as a comma or a unit slipped (`0,7` after `70`); else None."""
    before = tx.session.scalars(
        select(GoalMeasurement.value)
        .where(
            GoalMeasurement.goal_id == measurement.goal_id,
            COUNTED,
            GoalMeasurement.id != measurement.id,
            GoalMeasurement.measured_on <= measurement.measured_on,
        )
        .order_by(GoalMeasurement.measured_on.desc(), GoalMeasurement.id.desc())
        .limit(1)
    ).first()
    previous = before if before is not None else goals.get(tx, measurement.goal_id).baseline
    if previous <= 0 or measurement.value < 0:
        return None
    if measurement.value == 0 or not 1 / OUT_OF_LINE < measurement.value / previous < OUT_OF_LINE:
        return previous
    return None


def meant(value: Decimal, previous: Decimal) -> Decimal | None:
    """What `value` likely meant: moved by the power of ten that brings it nearest `previous` (0.7 → 70)."""
    if value <= 0:
        return None
    shift = round((previous / value).log10())
    return (value * Decimal(10) ** shift).normalize()


def remove_goal(tx: Tx, person: Person, goal_id: int, reason: str) -> GoalRemoval:
    """Remove a goal, with a reason, by those who may set it: out of /goals, roll-ups, the board and the
    progress posts from now on; kept, with who removed it, when and why. Of two at once the later is
    refused."""
    locked = tx.session.get(Goal, goal_id, with_for_update=True)  # an edit at once waits, then is refused
    if locked is None:
        raise DomainError("There is no goal #{id}.", id=goal_id)
    goals.require_may_set(tx, person, locked.unit_id)
    goal = goals.in_force(tx, goal_id)
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError("Say why goal #{id} is removed: it is kept in the history.", id=goal.id)
    if len(reason) > REASON_LENGTH:
        raise DomainError("A reason is at most {limit} characters.", limit=REASON_LENGTH)
    row = {"goal_id": goal.id, "removed_by_id": person.id, "reason": reason, "created_at": tx.now}
    if not insert_if_new(tx.session, GoalRemoval.__table__, row):
        raise DomainError("Someone has just removed goal #{id}.", id=goal.id)
    return tx.session.get_one(GoalRemoval, goal.id)
