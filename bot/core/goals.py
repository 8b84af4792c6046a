"""Goals of units and the organisation: made, measured, tied to ideas and campaigns, and their figures.

Every figure says whether it is verified (a measurement, an idea's verified saving, a roll-up of units'
verified figures) or claimed (an idea's expected saving, the impact people logged in a campaign).
A measurement includes what happened before its day, so only contributions after it are added to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update

from bot.core import campaigns
from bot.core.authority import require_covered
from bot.core.errors import DomainError
from bot.core.goal_figures import IN_FORCE, Figures, figures, goals_rolling_up
from bot.core.goal_progress import ON_TRACK, REACHED, goal_state, percent, share_done
from bot.core.goal_rules import GoalPlan, check_plan, count_advice
from bot.core.models import Goal, GoalLink, GoalMeasurement, GoalRemoval, Idea, Person, Unit
from bot.core.outbox import post_for_unit
from bot.core.people import MANAGER_ROLES, REVIEWER_ROLES, require_role, shown_name
from bot.core.statements import insert_if_new
from bot.core.units import organisation_unit
from bot.core.uow import Tx

LINK_KINDS = ("idea", "campaign")
CELEBRATION = "celebration"  # the notice of a goal reached
GOAL_TAG = re.compile(r"(?<![\w&])#goal([0-9]{1,9})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Standing:
    """Where a goal stands on a day: its figures, its share of the way from baseline to target, and its
    state: reached (the verified figure is at the target or past it), else on track or behind."""

    goal: Goal
    unit: str | None
    figures: Figures
    progress_pct: int
    state: str  # goal_progress.REACHED | ON_TRACK | BEHIND

    @property
    def verified(self) -> Decimal:
        return self.figures.verified

    @property
    def source(self) -> str:
        return self.figures.source_key

    @property
    def claimed(self) -> Decimal:
        return self.figures.claimed

    @property
    def reached(self) -> bool:
        return self.state == REACHED

    @property
    def on_track(self) -> bool:
        return self.state == ON_TRACK


def standing(tx: Tx, goal: Goal, unit: str | None, day: date) -> Standing:
    """`goal` (of the unit named `unit`) as it stands now, judged against the straight line on `day`."""
    found = figures(tx, goal)
    start = goal.created_at.astimezone(tx.policy.timezone).date()
    return Standing(
        goal=goal,
        unit=unit,
        figures=found,
        progress_pct=percent(share_done(goal.baseline, goal.target, found.verified)),
        state=goal_state(goal.baseline, goal.target, found.verified, start, goal.deadline, day),
    )


def goal_unit(tx: Tx, unit_id: int | None) -> int | None:
    """Where a goal for `unit_id` belongs: None (the organisation's) for the unit that is the organisation."""
    if unit_id is None:
        return None
    top = organisation_unit(tx)
    return None if top is not None and top.id == unit_id else unit_id


@dataclass(frozen=True)
class Created:
    goal: Goal
    unit_goals: int  # how many goals its unit has now
    advice: str | None  # goal_rules.count_advice


def local_today(tx: Tx) -> date:
    return campaigns.local_day(tx)


def create(tx: Tx, person: Person, plan: GoalPlan) -> Created:
    unit_id = goal_unit(tx, plan.unit_id)
    require_may_set(tx, person, unit_id)
    check_plan(plan, local_today(tx))
    goal = Goal(
        unit_id=unit_id,
        title=plan.title,
        metric_unit=plan.metric.unit,
        metric_label=plan.metric.label,
        metric_kind=plan.metric.kind,
        baseline=plan.baseline,
        baseline_year=plan.baseline_year,
        target=plan.target,
        deadline=plan.deadline,
        owner_id=plan.owner_id,
        dimension=plan.dimension,
        created_by_id=person.id,
        created_at=tx.now,
    )
    tx.session.add(goal)
    tx.session.flush()
    count = len(goals_of(tx, unit_id))
    return Created(goal, count, count_advice(count) if unit_id is not None else None)


def require_may_set(tx: Tx, person: Person, unit_id: int | None) -> None:
    """Managers and admins for the organisation; representatives too, for the units they look after."""
    unit_id = goal_unit(tx, unit_id)
    if unit_id is None:
        require_role(person, MANAGER_ROLES)
        return
    require_role(person, REVIEWER_ROLES)
    require_covered(
        tx,
        person,
        unit_id,
        lambda name: DomainError("{unit} is outside the units you look after.", unit=name),
    )


def get(tx: Tx, goal_id: int) -> Goal:
    goal = tx.session.get(Goal, goal_id)
    if goal is None:
        raise DomainError("There is no goal #{id}.", id=goal_id)
    return goal


def in_force(tx: Tx, goal_id: int) -> Goal:
    """The goal, refused when it was removed: nothing more is measured, tied or changed on it."""
    goal = get(tx, goal_id)
    removed = removal(tx, goal)
    if removed is not None:
        raise DomainError("Goal #{id} was removed: {reason}", id=goal.id, reason=removed.reason)
    return goal


def removal(tx: Tx, goal: Goal) -> GoalRemoval | None:
    """Who removed the goal, when and why; None while it is in force."""
    return tx.session.get(GoalRemoval, goal.id)


def goals_of(tx: Tx, unit_id: int | None) -> list[Goal]:
    """A unit's goals not removed (None or the unit that is the organisation: the organisation's own),
    oldest first."""
    unit_id = goal_unit(tx, unit_id)
    where = Goal.unit_id.is_(None) if unit_id is None else Goal.unit_id == unit_id
    return list(tx.session.scalars(select(Goal).where(where, IN_FORCE).order_by(Goal.id)))


def unit_name(tx: Tx, goal: Goal) -> str | None:
    return None if goal.unit_id is None else unit_label(tx, goal.unit_id)


def organisation_name(tx: Tx) -> str | None:
    """The name of the unit that is the organisation, when there is one."""
    top = organisation_unit(tx)
    return None if top is None else top.name


def unit_label(tx: Tx, unit_id: int) -> str:
    return tx.session.get_one(Unit, unit_id).name


def owner_name(tx: Tx, goal: Goal) -> str | None:
    return None if goal.owner_id is None else shown_name(tx.session.get_one(Person, goal.owner_id))


def person_name(tx: Tx, person_id: int | None) -> str | None:
    return None if person_id is None else shown_name(tx.session.get_one(Person, person_id))


def record(tx: Tx, person: Person, goal_id: int, value: Decimal, day: date) -> GoalMeasurement:
    """A measurement (verified) by a representative or manager whose units include the goal's.

    Measurements are only added, never changed: two recorded at once are both kept, and the one of the
    later day (then the later recorded) is the goal's latest."""
    goal = in_force(tx, goal_id)
    require_may_set(tx, person, goal.unit_id)
    if day > local_today(tx):
        raise DomainError("{date} has not come yet; record what was measured.", date=day.isoformat())
    if day.year < goal.baseline_year:
        raise DomainError(
            "{date} is before the baseline's year {year}.", date=day.isoformat(), year=str(goal.baseline_year)
        )
    measurement = GoalMeasurement(
        goal_id=goal.id, value=value, measured_on=day, recorded_by_id=person.id, created_at=tx.now
    )
    tx.session.add(measurement)
    tx.session.flush()
    celebrate_reached(tx, person, [goal])
    return measurement


def celebrate_reached(tx: Tx, person: Person, moved: Sequence[Goal], idea_id: int | None = None) -> None:
    """Celebrate, once each, the goals a change moved, and the goals they roll up into, that are reached now.
    `idea_id`: the idea whose verified saving moved them (else a measurement did)."""
    seen: set[int] = set()
    for goal in moved:
        for each in (goal, *goals_rolling_up(tx, goal)):  # a unit's figure may reach the goals above it
            if each.id in seen:
                continue
            seen.add(each.id)
            if standing(tx, each, None, local_today(tx)).reached and _first_to_reach(tx, each.id):
                celebrate(tx, each, person, idea_id)


def after_verified_saving(tx: Tx, person: Person, idea_id: int) -> None:
    """An idea's verified saving changed: the goals it counts toward may be reached by it."""
    tied = tx.session.scalars(
        select(Goal)
        .join(GoalLink, GoalLink.goal_id == Goal.id)
        .where(GoalLink.kind == "idea", GoalLink.ref_id == idea_id, IN_FORCE)
        .order_by(Goal.id)
    ).all()
    celebrate_reached(tx, person, tied, idea_id)


def _first_to_reach(tx: Tx, goal_id: int) -> bool:
    """Mark the goal reached; False when it was already (two measurements at once celebrate once)."""
    marked = tx.session.execute(
        update(Goal).where(Goal.id == goal_id, Goal.reached_at.is_(None)).values(reached_at=tx.now)
    )
    return bool(marked.rowcount)  # type: ignore[attr-defined]


def celebrate(tx: Tx, goal: Goal, reached_by: Person, idea_id: int | None = None) -> int:
    """A goal reached: a celebration post at once in the goal's unit's channels (the organisation's)."""
    payload: dict[str, object] = {
        "goal": goal.title,
        "target_amount": f"{goal.target.normalize():f}",
        "target_unit": goal.metric_unit,
        "reached_by": shown_name(reached_by),
    }
    if idea_id is not None:
        payload["idea"] = idea_id
    return post_for_unit(tx, goal.unit_id, CELEBRATION, payload)


def link(tx: Tx, person: Person, goal_id: int, kind: str, ref_id: int) -> Goal:
    """Tie an idea or a campaign to a goal. An idea's author may tie their own idea; otherwise the
    representatives and managers who may set the goal."""
    goal = in_force(tx, goal_id)
    if kind == "idea":
        idea = tx.session.get(Idea, ref_id)
        if idea is None:
            raise DomainError("There is no idea #{id}.", id=ref_id)
        if idea.author_id != person.id:
            require_may_set(tx, person, goal.unit_id)
    else:
        campaigns.get(tx, ref_id)
        require_may_set(tx, person, goal.unit_id)
    row = {"goal_id": goal.id, "kind": kind, "ref_id": ref_id, "linked_by_id": person.id, "created_at": tx.now}
    if not insert_if_new(tx.session, GoalLink.__table__, row):
        if kind == "idea":
            raise DomainError("Idea #{ref} already counts toward goal #{id}.", ref=ref_id, id=goal.id)
        raise DomainError("Campaign #{ref} already counts toward goal #{id}.", ref=ref_id, id=goal.id)
    if kind == "idea":
        celebrate_reached(tx, person, [goal], ref_id)  # an idea already verified may reach it
    return goal


def tie_tagged(tx: Tx, author: Person, idea: Idea) -> list[int]:
    """Tie a new idea to the goals its text tags (`#goal3`), as its author; the goals' numbers."""
    tagged = list(dict.fromkeys(int(number) for number in GOAL_TAG.findall(idea.text)))
    for goal_id in tagged:
        link(tx, author, goal_id, "idea", idea.id)
    return tagged
