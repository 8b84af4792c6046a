"""The SMART rules a goal must meet (measurable, dated, a real change) and advice on how many a unit has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.core.errors import DomainError, Label
from bot.core.goal_metrics import Metric

DIMENSIONS = ("ecological", "economic", "social")
FEWEST_GOALS, MOST_GOALS = 3, 5  # what a unit should have: few enough to follow, enough to matter
EARLIEST_BASELINE_YEAR = 1990
MAX_TITLE_LENGTH = 200


@dataclass(frozen=True)
class GoalPlan:
    """A goal as its maker gave it, figures in its metric's canonical unit; no `unit_id`: the organisation's."""

    unit_id: int | None
    title: str
    metric: Metric
    baseline: Decimal
    baseline_year: int
    target: Decimal
    deadline: date
    owner_id: int | None
    dimension: str


def check_plan(plan: GoalPlan, today: date) -> None:
    """Every rule at once, for a goal made in one go (a form); the dialogue checks each as it is answered."""
    check_title(plan.title)
    check_baseline_year(plan.baseline_year, today)
    check_target(plan.baseline, plan.target)
    check_deadline(plan.deadline, today)
    check_dimension(plan.dimension)


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DomainError("Give the goal a title, e.g. Less electricity at the office.")
    if len(title) > MAX_TITLE_LENGTH:
        raise DomainError("A goal's title is at most {limit} characters.", limit=MAX_TITLE_LENGTH)
    return title


def check_baseline_year(year: int, today: date) -> int:
    if not EARLIEST_BASELINE_YEAR <= year <= today.year:
        raise DomainError(
            "The baseline's year must be a year that has begun, {earliest} to {latest}.",
            earliest=str(EARLIEST_BASELINE_YEAR),
            latest=str(today.year),
        )
    return year


def check_target(baseline: Decimal, target: Decimal) -> Decimal:
    if target == baseline:
        raise DomainError("The target must differ from the baseline; otherwise there is nothing to achieve.")
    return target


def check_deadline(deadline: date | None, today: date) -> date:
    if deadline is None:
        raise DomainError("A goal needs a deadline, e.g. 2027-12-31.")
    if deadline <= today:
        raise DomainError("The deadline {date} has passed; give a day ahead.", date=deadline.isoformat())
    return deadline


def check_dimension(dimension: str) -> str:
    if dimension not in DIMENSIONS:
        raise DomainError(
            "Choose the goal's dimension: {choices}.", choices=Label("dimension", ",".join(DIMENSIONS))
        )
    return dimension


def count_advice(count: int) -> str | None:
    """`few` below three goals, `many` above five, else None: advice, never a refusal."""
    if count < FEWEST_GOALS:
        return "few"
    if count > MOST_GOALS:
        return "many"
    return None
