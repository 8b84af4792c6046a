"""The review's goal sheets: every goal with where it stood at the year's end, and the year's measurements."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from bot.core import goals
from bot.core.goal_figures import COUNTED, IN_FORCE
from bot.core.goals import Standing
from bot.core.models import Goal, GoalMeasurement, GoalRemoval, Person, Unit
from bot.core.people import shown_name_column
from bot.core.review import CHUNK_ROWS, Column, Row, Sheet, Year
from bot.core.uow import Tx

REMOVED = "removed"  # a goal's state in the pack once removed: kept there, with why
GOAL_COLUMNS = (
    Column("goal", "int"),
    Column("unit", "text"),
    Column("title", "text"),
    Column("dimension", "text"),
    Column("metric", "text"),
    Column("metric_unit", "text"),
    Column("baseline", "decimal"),
    Column("baseline_year", "int"),
    Column("target", "decimal"),
    Column("deadline", "date"),
    Column("verified", "decimal"),
    Column("verified_source", "text"),
    Column("claimed_more", "decimal"),
    Column("progress_pct", "int"),
    Column("state", "text"),  # reached | on_track | behind | removed
    Column("removed_reason", "text"),
)
MEASUREMENT_COLUMNS = (
    Column("goal", "int"),
    Column("measured_on", "date"),
    Column("value", "decimal"),
    Column("metric_unit", "text"),
    Column("recorded_by", "text"),
)


def standings(tx: Tx, year: Year, *, removed: bool = False) -> list[Standing]:
    """Each goal set by the year's end as it stands now (a goal shows its latest figures), judged on the
    year's last day or today, whichever comes first; the removed ones too when `removed`."""
    last_day = min((year.end - timedelta(microseconds=1)).astimezone(year.zone).date(), goals.local_today(tx))
    statement = (
        select(Goal, Unit.name)
        .outerjoin(Unit, Unit.id == Goal.unit_id)
        .where(Goal.created_at < year.end)
        .order_by(Goal.id)
    )
    found = tx.session.execute(statement if removed else statement.where(IN_FORCE)).all()
    return [goals.standing(tx, goal, unit, last_day) for goal, unit in found]


def goal_rows(tx: Tx, year: Year) -> Iterator[Sequence[Row]]:
    """Goals are few (3–5 a unit): one chunk."""
    reasons = dict(tx.session.execute(select(GoalRemoval.goal_id, GoalRemoval.reason)).all())
    rows: list[Row] = [
        (
            each.goal.id,
            each.unit,
            each.goal.title,
            each.goal.dimension,
            each.goal.metric_label,
            each.goal.metric_unit,
            each.goal.baseline,
            each.goal.baseline_year,
            each.goal.target,
            each.goal.deadline,
            each.verified,
            each.source,
            each.claimed,
            each.progress_pct,
            REMOVED if each.goal.id in reasons else each.state,
            reasons.get(each.goal.id),
        )
        for each in standings(tx, year, removed=True)
    ]
    if rows:
        yield rows


def measurement_rows(tx: Tx, year: Year) -> Iterator[Sequence[Row]]:
    recorder = aliased(Person)
    first, last = year.local(year.start).date(), year.local(year.end).date()
    statement = (
        select(
            GoalMeasurement.goal_id,
            GoalMeasurement.measured_on,
            GoalMeasurement.value,
            Goal.metric_unit,
            shown_name_column(recorder),
        )
        .join(Goal, Goal.id == GoalMeasurement.goal_id)
        .outerjoin(recorder, recorder.id == GoalMeasurement.recorded_by_id)
        .where(GoalMeasurement.measured_on >= first, GoalMeasurement.measured_on < last, COUNTED)
        .order_by(GoalMeasurement.goal_id, GoalMeasurement.measured_on, GoalMeasurement.id)
        .execution_options(yield_per=CHUNK_ROWS)
    )
    for chunk in tx.session.execute(statement).partitions(CHUNK_ROWS):
        yield [tuple(row) for row in chunk]


GOALS = Sheet("goals", GOAL_COLUMNS, goal_rows)
MEASUREMENTS = Sheet("measurements", MEASUREMENT_COLUMNS, measurement_rows)
