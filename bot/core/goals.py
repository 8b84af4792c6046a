"""Goals of units and the organisation: made, measured, tied to ideas and campaigns, and their figures.

Every figure says whether it is verified (a measurement, an idea's verified saving, a roll-up of units'
verified figures) or claimed (an idea's expected saving, the impact people logged in a campaign).
A measurement includes what happened before its day, so only contributions after it are added to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, update

from bot.core import campaigns
from bot.core.authority import require_covered
from bot.core.errors import DomainError
from bot.core.goal_metrics import PERCENT
from bot.core.goal_progress import on_track, percent, share_done, toward_target
from bot.core.goal_rollup import Part, roll_up
from bot.core.goal_rules import GoalPlan, check_plan, count_advice
from bot.core.models import (
    CampaignAction,
    CampaignLog,
    Goal,
    GoalLink,
    GoalMeasurement,
    Idea,
    Person,
    Saving,
    Unit,
)
from bot.core.outbox import post_for_unit
from bot.core.people import MANAGER_ROLES, REVIEWER_ROLES, require_role, shown_name
from bot.core.quantities import PER_YEAR
from bot.core.statements import insert_if_new
from bot.core.units import ancestor_ids, subtree_ids
from bot.core.uow import Tx

LINK_KINDS = ("idea", "campaign")
CELEBRATION = "celebration"  # the notice of a goal reached
GOAL_TAG = re.compile(r"(?<![\w&])#goal([0-9]{1,9})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Figures:
    """Where a goal stands. `verified` is the latest measurement, the units' roll-up or the baseline (see
    `figures`) moved by verified savings since; `claimed` is what claimed contributions add."""

    verified: Decimal
    source: str  # measured | rolled_up | baseline
    measured_on: date | None
    claimed: Decimal  # the amount claimed contributions move it further, in the goal's unit


@dataclass(frozen=True)
class Standing:
    """Where a goal stands on a day: its verified figure (and what claims would add), its share of the way
    from baseline to target, and whether that is on track."""

    goal: Goal
    unit: str | None
    verified: Decimal
    source: str
    claimed: Decimal
    progress_pct: int
    on_track: bool

    @property
    def reached(self) -> bool:
        return self.progress_pct >= 100


def standing(tx: Tx, goal: Goal, unit: str | None, day: date) -> Standing:
    """`goal` (of the unit named `unit`) as it stands now, judged against the straight line on `day`."""
    found = figures(tx, goal)
    start = goal.created_at.astimezone(tx.policy.timezone).date()
    return Standing(
        goal=goal,
        unit=unit,
        verified=found.verified,
        source=found.source,
        claimed=found.claimed,
        progress_pct=percent(share_done(goal.baseline, goal.target, found.verified)),
        on_track=on_track(goal.baseline, goal.target, found.verified, start, goal.deadline, day),
    )


@dataclass(frozen=True)
class Created:
    goal: Goal
    unit_goals: int  # how many goals its unit has now
    advice: str | None  # goal_rules.count_advice


def local_today(tx: Tx) -> date:
    return campaigns.local_day(tx)


def create(tx: Tx, person: Person, plan: GoalPlan) -> Created:
    require_may_set(tx, person, plan.unit_id)
    check_plan(plan, local_today(tx))
    goal = Goal(
        unit_id=plan.unit_id,
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
    count = len(goals_of(tx, plan.unit_id))
    return Created(goal, count, count_advice(count) if plan.unit_id is not None else None)


def require_may_set(tx: Tx, person: Person, unit_id: int | None) -> None:
    """Managers and admins for the organisation; representatives too, for the units they look after."""
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


def goals_of(tx: Tx, unit_id: int | None) -> list[Goal]:
    """A unit's goals (None: the organisation's own), oldest first."""
    where = Goal.unit_id.is_(None) if unit_id is None else Goal.unit_id == unit_id
    return list(tx.session.scalars(select(Goal).where(where).order_by(Goal.id)))


def unit_name(tx: Tx, goal: Goal) -> str | None:
    return None if goal.unit_id is None else unit_label(tx, goal.unit_id)


def unit_label(tx: Tx, unit_id: int) -> str:
    return tx.session.get_one(Unit, unit_id).name


def owner_name(tx: Tx, goal: Goal) -> str | None:
    return None if goal.owner_id is None else shown_name(tx.session.get_one(Person, goal.owner_id))


def record(tx: Tx, person: Person, goal_id: int, value: Decimal, day: date) -> GoalMeasurement:
    """A measurement (verified) by a representative or manager whose units include the goal's.

    Measurements are only added, never changed: two recorded at once are both kept, and the one of the
    later day (then the later recorded) is the goal's latest."""
    goal = get(tx, goal_id)
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
    if standing(tx, goal, None, local_today(tx)).reached and _first_to_reach(tx, goal.id):
        celebrate(tx, goal, person)
    return measurement


def _first_to_reach(tx: Tx, goal_id: int) -> bool:
    """Mark the goal reached; False when it was already (two measurements at once celebrate once)."""
    marked = tx.session.execute(
        update(Goal).where(Goal.id == goal_id, Goal.reached_at.is_(None)).values(reached_at=tx.now)
    )
    return bool(marked.rowcount)  # type: ignore[attr-defined]


def celebrate(tx: Tx, goal: Goal, reached_by: Person) -> int:
    """A goal reached: a celebration post at once in the goal's unit's channels (the organisation's)."""
    target = f"{goal.target.normalize():f} {goal.metric_unit}"
    payload = {"goal": goal.title, "target": target, "reached_by": shown_name(reached_by)}
    return post_for_unit(tx, goal.unit_id, CELEBRATION, payload)


def link(tx: Tx, person: Person, goal_id: int, kind: str, ref_id: int) -> Goal:
    """Tie an idea or a campaign to a goal. An idea's author may tie their own idea; otherwise the
    representatives and managers who may set the goal."""
    goal = get(tx, goal_id)
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
    return goal


def tie_tagged(tx: Tx, author: Person, idea: Idea) -> list[int]:
    """Tie a new idea to the goals its text tags (`#goal3`), as its author; the goals' numbers."""
    tagged = list(dict.fromkeys(int(number) for number in GOAL_TAG.findall(idea.text)))
    for goal_id in tagged:
        link(tx, author, goal_id, "idea", idea.id)
    return tagged


def figures(tx: Tx, goal: Goal) -> Figures:
    """The goal's own latest measurement when it has one this year; else its units' goals rolled up when
    any of them has been measured; else its older measurement; else the baseline."""
    measured = _latest_measurement(tx, goal.id)
    this_year = measured is not None and measured.measured_on.year == local_today(tx).year
    rolled = None if this_year else _roll_up(tx, goal)
    since: date | None = None
    if rolled is not None:
        base, source = rolled, "rolled_up"
    elif measured is not None:
        base, source, since = measured.value, "measured", measured.measured_on
    else:
        base, source = goal.baseline, "baseline"
    verified, claimed = _contributions(tx, goal, since)
    return Figures(
        verified=toward_target(base, verified, goal.baseline, goal.target),
        source=source,
        measured_on=since,
        claimed=claimed,
    )


def _latest_measurement(tx: Tx, goal_id: int) -> GoalMeasurement | None:
    return tx.session.scalars(
        select(GoalMeasurement)
        .where(GoalMeasurement.goal_id == goal_id)
        .order_by(GoalMeasurement.measured_on.desc(), GoalMeasurement.id.desc())
        .limit(1)
    ).first()


def same_metric(one: Goal, other: Goal) -> bool:
    return (one.metric_unit, one.metric_kind, one.metric_label.casefold()) == (
        other.metric_unit,
        other.metric_kind,
        other.metric_label.casefold(),
    )


def unit_goals_rolled_into(tx: Tx, goal: Goal) -> list[Goal]:
    """The goals on the same metric of units below the goal's unit whose nearest such goal above is this one."""
    alike = [
        other
        for other in tx.session.scalars(
            select(Goal).where(Goal.metric_unit == goal.metric_unit, Goal.id != goal.id).order_by(Goal.id)
        )
        if same_metric(goal, other) and other.unit_id is not None
    ]
    below = None if goal.unit_id is None else set(subtree_ids(tx, goal.unit_id)) - {goal.unit_id}
    goal_units = {other.unit_id for other in alike} | {goal.unit_id}
    found = []
    for other in alike:
        if below is not None and other.unit_id not in below:
            continue
        above = ancestor_ids(tx, other.unit_id)[1:]
        nearest = next((unit for unit in above if unit in goal_units), None)
        if nearest == goal.unit_id:
            found.append(other)
    return found


def _roll_up(tx: Tx, goal: Goal) -> Decimal | None:
    """The units' goals rolled up, when at least one of them was measured (baselines alone say nothing new)."""
    children = [(child, figures(tx, child)) for child in unit_goals_rolled_into(tx, goal)]
    if all(found.source == "baseline" for _, found in children):
        return None
    parts = [Part(found.verified, child.metric_unit, _members(tx, child.unit_id)) for child, found in children]
    return roll_up(goal.metric_kind, goal.metric_unit, parts)


def _members(tx: Tx, unit_id: int | None) -> int:
    if unit_id is None:
        return 0
    units = subtree_ids(tx, unit_id)
    return int(
        tx.session.scalar(select(func.count()).select_from(Person).where(Person.unit_id.in_(units))) or 0
    )


def _matches(goal: Goal, unit: str | None) -> bool:
    """A contribution counts when it is in the goal's unit; a yearly saving counts toward a yearly total."""
    return goal.metric_unit != PERCENT and unit in (
        goal.metric_unit,
        goal.metric_unit.removesuffix(PER_YEAR) + PER_YEAR,
    )


def _contributions(tx: Tx, goal: Goal, since: date | None) -> tuple[Decimal, Decimal]:
    """(verified, claimed) amounts contributed by tied ideas and campaigns after `since`."""
    links = tx.session.execute(select(GoalLink.kind, GoalLink.ref_id).where(GoalLink.goal_id == goal.id)).all()
    idea_ids = [ref for kind, ref in links if kind == "idea"]
    campaign_ids = [ref for kind, ref in links if kind == "campaign"]
    verified, claimed = _idea_savings(tx, goal, idea_ids, since)
    return verified, claimed + _campaign_impact(tx, goal, campaign_ids, since)


def _idea_savings(tx: Tx, goal: Goal, idea_ids: list[int], since: date | None) -> tuple[Decimal, Decimal]:
    """An idea's verified saving is verified; its expected one is claimed, and only while none is verified."""
    verified, claimed = Decimal(0), Decimal(0)
    if not idea_ids:
        return verified, claimed
    current = tx.session.scalars(
        select(Saving).where(Saving.idea_id.in_(idea_ids), Saving.replaced_at.is_(None)).order_by(Saving.id)
    ).all()
    by_idea: dict[int, dict[str, Saving]] = {}
    for saving in current:
        if _matches(goal, saving.unit) and (since is None or saving.created_at.date() > since):
            by_idea.setdefault(saving.idea_id, {})[saving.kind] = saving
    for kinds in by_idea.values():
        if "verified" in kinds:
            verified += kinds["verified"].amount
        else:
            claimed += kinds["expected"].amount
    return verified, claimed


def _campaign_impact(tx: Tx, goal: Goal, campaign_ids: list[int], since: date | None) -> Decimal:
    if not campaign_ids:
        return Decimal(0)
    query = (
        select(CampaignAction.impact_amount, CampaignAction.impact_unit, func.count())
        .join(CampaignLog, CampaignLog.action_id == CampaignAction.id)
        .where(CampaignLog.campaign_id.in_(campaign_ids), CampaignAction.impact_amount.is_not(None))
        .group_by(CampaignAction.id, CampaignAction.impact_amount, CampaignAction.impact_unit)
    )
    if since is not None:
        query = query.where(CampaignLog.day > since)
    total = Decimal(0)
    for amount, unit, count in tx.session.execute(query):
        if amount is not None and _matches(goal, unit):
            total += amount * count
    return total
