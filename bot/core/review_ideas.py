"""The review's ideas sheet: the year's ideas with status, votes and current savings per canonical unit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from bot.core.models import Idea, IdeaStatusChange, Saving, Unit, Vote
from bot.core.review import CANONICAL_UNITS, CHUNK_ROWS, Column, Row, Sheet, Year, unit_columns
from bot.core.uow import Tx

SAVING_KINDS = ("expected", "verified")
COLUMNS = (
    Column("idea", "int"),
    Column("created", "datetime"),
    Column("unit", "text"),
    Column("area", "text"),
    Column("status", "text"),
    Column("status_date", "datetime"),
    Column("votes", "int"),
    *(column for kind in SAVING_KINDS for column in unit_columns(kind)),
)


def in_year(year: Year) -> ColumnElement[bool]:
    """An idea belongs to the year when it was submitted, moved on or given a saving in it."""

    def within(moment: Any) -> ColumnElement[bool]:
        return and_(moment >= year.start, moment < year.end)

    change, saving = aliased(IdeaStatusChange), aliased(Saving)  # not the outer query's own joins
    return or_(
        within(Idea.created_at),
        select(change.id).where(change.idea_id == Idea.id, within(change.created_at)).correlate(Idea).exists(),
        select(saving.id).where(saving.idea_id == Idea.id, within(saving.created_at)).correlate(Idea).exists(),
    )


def current_saving(kind: str, unit: str) -> ColumnElement[Decimal | None]:
    """The idea's current saving of one kind in one unit (at most one row matches), for a GROUP BY idea."""
    return func.max(case((and_(Saving.kind == kind, Saving.unit == unit), Saving.amount)))


def rows(tx: Tx, year: Year) -> Iterator[Sequence[Row]]:
    votes = select(func.count()).where(Vote.idea_id == Idea.id).correlate(Idea).scalar_subquery()
    changed = (
        select(func.max(IdeaStatusChange.created_at))
        .where(IdeaStatusChange.idea_id == Idea.id)
        .correlate(Idea)
        .scalar_subquery()
    )
    savings = [current_saving(kind, unit) for kind in SAVING_KINDS for unit in CANONICAL_UNITS]
    statement = (
        select(Idea.id, Idea.created_at, Unit.name, Idea.area, Idea.status, changed, votes, *savings)
        .outerjoin(Unit, Unit.id == Idea.unit_id)
        .outerjoin(Saving, and_(Saving.idea_id == Idea.id, Saving.replaced_at.is_(None)))
        .where(in_year(year))
        .group_by(Idea.id, Idea.created_at, Unit.name, Idea.area, Idea.status)
        .order_by(Idea.id)
        .execution_options(yield_per=CHUNK_ROWS)
    )
    for chunk in tx.session.execute(statement).partitions():
        yield [
            (
                idea,
                year.local(created),
                unit,
                area,
                status,
                year.local(status_date or created),
                int(vote_count),
                *amounts,
            )
            for idea, created, unit, area, status, status_date, vote_count, *amounts in chunk
        ]


SHEET = Sheet("ideas", COLUMNS, rows)
