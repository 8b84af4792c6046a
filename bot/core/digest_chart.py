"""The progress chart's figures: each goal's measurements beside its straight line, savings by month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from bot.core import goals
from bot.core.goal_figures import COUNTED
from bot.core.goals import Standing
from bot.core.models import Goal, GoalMeasurement, Idea, Saving, Unit
from bot.core.quantities import SavingAmount, total_savings
from bot.core.units import subtree_ids
from bot.core.uow import Tx

GOAL_PANELS = 4  # goals drawn; the chart counts the others ("+2 more")


def chart_figures(
    tx: Tx, unit: Unit | None, standings: Sequence[Standing], months: Sequence[tuple[str, datetime, datetime]]
) -> dict[str, Any]:
    """What the chart draws beyond the digest's counts, as JSON for the outbox: the unit's goals (as they
    stand today) with something measured, most recently moved first, at most GOAL_PANELS and how many more;
    and verified savings in `months` (each with its UTC bounds), for `unit` and the units below it (None:
    everyone)."""
    lines = goal_lines(tx, standings)
    return {
        "goal_lines": lines[:GOAL_PANELS],
        "more_goals": max(0, len(lines) - GOAL_PANELS),
        "savings_by_month": verified_savings_by_month(tx, unit, months),
    }


def goal_lines(tx: Tx, standings: Sequence[Standing]) -> list[dict[str, Any]]:
    """The goals that have a figure to draw, each with its straight line (baseline on the day it was set,
    target on its deadline), its state, and its points: the measurements (the last of a day), then today's
    verified figure when savings or the units' goals moved it since."""
    today = goals.local_today(tx)
    found = []
    for now in standings:
        goal = now.goal
        points = _measured(tx, goal)
        latest = points[max(points)] if points else goal.baseline
        if now.verified != latest:
            points[today] = now.verified
        if not points:
            continue
        found.append(
            {
                "title": goal.title,
                "unit": goal.metric_unit,
                "baseline": str(goal.baseline),
                "target": str(goal.target),
                "start": goal.created_at.astimezone(tx.policy.timezone).date().isoformat(),
                "deadline": goal.deadline.isoformat(),
                "state": now.state,
                "points": [[day.isoformat(), str(value)] for day, value in sorted(points.items())],
            }
        )
    found.sort(key=lambda line: line["points"][-1][0], reverse=True)  # stable: older goals first on a tie
    return found


def _measured(tx: Tx, goal: Goal) -> dict[date, Decimal]:
    rows = tx.session.execute(
        select(GoalMeasurement.measured_on, GoalMeasurement.value)
        .where(GoalMeasurement.goal_id == goal.id, COUNTED)
        .order_by(GoalMeasurement.measured_on, GoalMeasurement.id)
    )
    return dict(rows.all())


def verified_savings_by_month(
    tx: Tx, unit: Unit | None, months: Sequence[tuple[str, datetime, datetime]]
) -> dict[str, list[list[str]]]:
    """Per canonical unit, the current verified savings recorded in each of `months` (a month with its UTC
    bounds), `[[month, amount], …]`; units with none in the months are left out. Summed per month and
    stored unit in the database, so that a year of savings costs a few sums, not a row each."""
    ideas = None if unit is None else subtree_ids(tx, unit.id)
    totals = {month: _verified_between(tx, ideas, start, end) for month, start, end in months}
    kinds = sorted({kind for month_totals in totals.values() for kind in month_totals})
    return {
        kind: [[month, str(found.get(kind, Decimal(0)))] for month, found in totals.items()] for kind in kinds
    }


def _verified_between(tx: Tx, units: list[int] | None, start: datetime, end: datetime) -> dict[str, Decimal]:
    query = select(Saving.unit, func.sum(Saving.amount)).where(
        Saving.kind == "verified",
        Saving.replaced_at.is_(None),
        Saving.created_at >= start,
        Saving.created_at < end,
    )
    if units is not None:
        query = query.join(Idea, Idea.id == Saving.idea_id).where(Idea.unit_id.in_(units))
    rows = tx.session.execute(query.group_by(Saving.unit))
    return total_savings(SavingAmount(Decimal(amount), stored) for stored, amount in rows)
