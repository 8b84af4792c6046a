"""A goal's figures: the verified one and truly where it comes from, what claims add, and its units' roll-up.

Verified is a measurement, the roll-up of the units' goals when they cover the whole unit, or the baseline,
moved by the verified savings of tied ideas since. Claimed (expected savings, campaign impact) is kept apart
and never moves the verified figure. An idea's saving counts toward a goal only when the idea is in the
goal's unit or below it, and once: a roll-up leaves out what a unit's goal below has counted or measured.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from bot.core import campaigns
from bot.core.goal_metrics import PERCENT
from bot.core.goal_progress import toward_target
from bot.core.goal_rollup import Part, roll_up
from bot.core.models import (
    CampaignAction,
    CampaignLog,
    Goal,
    GoalLink,
    GoalMeasurement,
    GoalRemoval,
    Idea,
    Person,
    Saving,
    Unit,
)
from bot.core.quantities import PER_YEAR
from bot.core.units import ancestor_ids, subtree_ids
from bot.core.uow import Tx

MEASURED, ROLLED_UP, BASELINE = "measured", "rolled_up", "baseline"
COUNTED = GoalMeasurement.removed_at.is_(None)  # a measurement not taken back
IN_FORCE = ~select(GoalRemoval.goal_id).where(GoalRemoval.goal_id == Goal.id).exists()  # a goal not removed
WITH_SAVINGS = "_with_savings"  # a source's figure moved by verified savings since: `measured_with_savings`


@dataclass(frozen=True)
class UnitsFigure:
    """The units' goals rolled up, shown beside a goal's own figure when it is not that figure."""

    value: Decimal
    whole: bool  # the units' goals cover the whole unit (else they are only part of its figure)


@dataclass(frozen=True)
class Figures:
    """Where a goal stands: `verified` is the `source`'s figure moved by `savings` (verified savings since it);
    `claimed` is what claimed contributions would move it further, in the goal's unit."""

    verified: Decimal
    source: str  # measured | rolled_up | baseline
    measured_on: date | None
    savings: Decimal
    claimed: Decimal
    units: UnitsFigure | None
    counted: frozenset[int]  # the ideas whose verified saving is in `verified` (here or in a unit's goal)

    @property
    def source_key(self) -> str:
        """The source as it truly is: `measured`, or `measured_with_savings` when savings moved it since."""
        return self.source + WITH_SAVINGS if self.savings else self.source


@dataclass(frozen=True)
class _Below:
    """A unit's goal rolled into this one: an idea in its unit is its to count up to its measurement's day."""

    unit_id: int
    found: Figures


def figures(tx: Tx, goal: Goal) -> Figures:
    """The goal's own measurement when it has one this year; else the units' goals rolled up when they cover
    the whole unit and any was measured; else its older measurement; else the baseline. A roll-up that is
    not the figure (part of the unit, or older than the goal's own) is kept in `units`."""
    measured = _latest_measurement(tx, goal.id)
    below = [
        _Below(child.unit_id, figures(tx, child)) for child in unit_goals_rolled_into(tx, goal) if child.unit_id
    ]
    rolled = _roll_up(tx, goal, below)
    whole = rolled is not None and _covered(tx, goal.unit_id, {each.unit_id for each in below})
    this_year = measured is not None and measured.measured_on.year == campaigns.local_day(tx).year
    if rolled is not None and whole and not this_year:
        savings, claimed, counted = _contributions(tx, goal, None, below)
        inner = frozenset().union(*(each.found.counted for each in below))
        verified = toward_target(rolled, savings, goal.baseline, goal.target)
        return Figures(verified, ROLLED_UP, None, savings, claimed, None, counted | inner)
    since = measured.measured_on if measured is not None else None
    savings, claimed, counted = _contributions(tx, goal, since, [])
    base = measured.value if measured is not None else goal.baseline
    return Figures(
        verified=toward_target(base, savings, goal.baseline, goal.target),
        source=MEASURED if measured is not None else BASELINE,
        measured_on=since,
        savings=savings,
        claimed=claimed,
        units=None if rolled is None else UnitsFigure(rolled, whole),
        counted=counted,
    )


def _latest_measurement(tx: Tx, goal_id: int) -> GoalMeasurement | None:
    return tx.session.scalars(
        select(GoalMeasurement)
        .where(GoalMeasurement.goal_id == goal_id, COUNTED)
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
            select(Goal)
            .where(Goal.metric_unit == goal.metric_unit, Goal.id != goal.id, IN_FORCE)
            .order_by(Goal.id)
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


def goals_rolling_up(tx: Tx, goal: Goal) -> list[Goal]:
    """The goals above this one that its figure rolls into, nearest first (a measurement may reach them)."""
    found: list[Goal] = []
    candidates = [
        other
        for other in tx.session.scalars(
            select(Goal).where(Goal.metric_unit == goal.metric_unit, Goal.id != goal.id, IN_FORCE)
        )
        if same_metric(goal, other)
    ]
    current = goal
    while True:
        above = next((other for other in candidates if current in unit_goals_rolled_into(tx, other)), None)
        if above is None or above in found:
            return found
        found.append(above)
        current = above


def _roll_up(tx: Tx, goal: Goal, below: list[_Below]) -> Decimal | None:
    """The units' goals rolled up, when at least one of them was measured (baselines alone say nothing new)."""
    if all(each.found.source == BASELINE for each in below):
        return None
    parts = [Part(each.found.verified, goal.metric_unit, _members(tx, each.unit_id)) for each in below]
    return roll_up(goal.metric_kind, goal.metric_unit, parts)


def _covered(tx: Tx, unit_id: int | None, goal_units: Collection[int]) -> bool:
    """Whether the goals of `goal_units` cover the whole of the unit (None: the organisation): each unit
    right below it has one of those goals, or is itself wholly covered by the units below it."""
    children: dict[int | None, list[int]] = {}
    for unit, parent in tx.session.execute(select(Unit.id, Unit.parent_id)):
        children.setdefault(parent, []).append(unit)

    def whole(unit: int) -> bool:
        inside = children.get(unit, [])
        return unit in goal_units or (bool(inside) and all(whole(each) for each in inside))

    top = children.get(unit_id, [])
    return bool(top) and all(whole(each) for each in top)


def _members(tx: Tx, unit_id: int) -> int:
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


def _contributions(
    tx: Tx, goal: Goal, since: date | None, below: list[_Below]
) -> tuple[Decimal, Decimal, frozenset[int]]:
    """(verified, claimed) amounts contributed by tied ideas and campaigns after `since`, and the ideas whose
    verified saving was counted."""
    links = tx.session.execute(select(GoalLink.kind, GoalLink.ref_id).where(GoalLink.goal_id == goal.id)).all()
    idea_cutoffs = _idea_cutoffs(tx, goal, [ref for kind, ref in links if kind == "idea"], since, below)
    verified, claimed, counted = _idea_savings(tx, goal, idea_cutoffs)
    campaign_ids = [ref for kind, ref in links if kind == "campaign"]
    return verified, claimed + _campaign_impact(tx, goal, campaign_ids, since), counted


def _idea_cutoffs(
    tx: Tx, goal: Goal, idea_ids: list[int], since: date | None, below: list[_Below]
) -> dict[int, date | None]:
    """Each tied idea that may count, with the day after which its savings count. An idea outside the goal's
    unit counts nowhere here; one a unit's goal below counted is left out; one in a unit whose goal below was
    measured counts only after that measurement, which includes what came before."""
    if not idea_ids:
        return {}
    inside = None if goal.unit_id is None else set(subtree_ids(tx, goal.unit_id))
    by_unit = {each.unit_id: each.found for each in below}
    cutoffs: dict[int, date | None] = {}
    for idea_id, unit_id in tx.session.execute(select(Idea.id, Idea.unit_id).where(Idea.id.in_(idea_ids))):
        if inside is not None and unit_id not in inside:
            continue
        owner = next((by_unit[unit] for unit in ancestor_ids(tx, unit_id) if unit in by_unit), None)
        if owner is None:
            cutoffs[idea_id] = since
        elif idea_id not in owner.counted:
            cutoffs[idea_id] = owner.measured_on
    return cutoffs


def _idea_savings(
    tx: Tx, goal: Goal, cutoffs: Mapping[int, date | None]
) -> tuple[Decimal, Decimal, frozenset[int]]:
    """An idea's verified saving is verified; its expected one is claimed, and only while none of the same unit
    is verified. An idea saving both kWh and kWh/year toward a kWh goal counts each."""
    verified, claimed, counted = Decimal(0), Decimal(0), set()
    if not cutoffs:
        return verified, claimed, frozenset()
    current = tx.session.scalars(
        select(Saving)
        .where(Saving.idea_id.in_(list(cutoffs)), Saving.replaced_at.is_(None))
        .order_by(Saving.id)
    ).all()
    by_idea_and_unit: dict[tuple[int, str], dict[str, Saving]] = {}
    for saving in current:
        if _matches(goal, saving.unit):
            by_idea_and_unit.setdefault((saving.idea_id, saving.unit), {})[saving.kind] = saving
    for (idea_id, _), kinds in by_idea_and_unit.items():
        since = cutoffs[idea_id]
        if "verified" in kinds:
            if since is None or kinds["verified"].created_at.date() > since:
                verified += kinds["verified"].amount
                counted.add(idea_id)
        elif since is None or kinds["expected"].created_at.date() > since:
            claimed += kinds["expected"].amount
    return verified, claimed, frozenset(counted)


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
