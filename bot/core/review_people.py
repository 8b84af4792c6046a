"""The review's people sheets: participation per unit, and the praise given during the year."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from bot.core.models import CampaignLog, Idea, LedgerEntry, Person, Praise, SurveyAnswer, Unit, Vote
from bot.core.people import shown_name_column
from bot.core.points import CORRECTION_REASONS, EARNING_REASONS
from bot.core.review import CHUNK_ROWS, Column, Row, Sheet, Year, percent
from bot.core.uow import Tx

PARTICIPATION_COLUMNS = (
    Column("unit", "text"),
    Column("members", "int"),
    Column("earners", "int"),
    Column("participation_pct", "decimal"),
    Column("points", "int"),
    Column("ideas", "int"),
    Column("votes", "int"),
    Column("campaign_actions", "int"),
    Column("survey_respondents", "int"),
)
PRAISE_COLUMNS = (
    Column("date", "datetime"),
    Column("from", "text"),
    Column("to_person", "text"),
    Column("to_unit", "text"),
    Column("message", "text"),
)
Figures = dict[int | None, tuple[int, ...]]


def participation_rows(tx: Tx, year: Year) -> Iterator[Sequence[Row]]:
    """Per unit (its own members, not the units below; people in no unit last, under no name). Each
    figure is one GROUP BY over the year's rows, the ledger's included, whatever its size."""
    members = _per_unit(tx, year, Person.unit_id, func.count())
    earned = _per_unit(
        tx,
        year,
        LedgerEntry.unit_id,  # the member's unit when the points were earned, as unit totals count them
        func.count(func.distinct(LedgerEntry.person_id)),
        func.sum(LedgerEntry.amount),
        within=LedgerEntry.created_at,
        where=LedgerEntry.reason.in_(EARNING_REASONS | CORRECTION_REASONS),
    )
    ideas = _per_unit(tx, year, Idea.unit_id, func.count(), within=Idea.created_at)
    votes = _per_unit(
        tx, year, Person.unit_id, func.count(), within=Vote.created_at, join=(Vote, Vote.person_id)
    )
    logs = _per_unit(
        tx,
        year,
        Person.unit_id,
        func.count(),
        within=CampaignLog.created_at,
        join=(CampaignLog, CampaignLog.person_id),
    )
    respondents = _per_unit(
        tx,
        year,
        SurveyAnswer.unit_id,
        func.count(func.distinct(SurveyAnswer.person_id)),
        within=SurveyAnswer.answered_at,
    )
    units: list[tuple[int | None, str]] = [
        (unit, name)
        for unit, name in tx.session.execute(select(Unit.id, Unit.name).order_by(Unit.name_key, Unit.id))
    ]
    if any(None in figures for figures in (members, earned, ideas, votes, logs)):
        units.append((None, ""))
    rows: list[Row] = []
    for unit, name in units:
        people = _first(members, unit)
        earners = _first(earned, unit)
        rows.append(
            (
                name,
                people,
                earners,
                percent(earners, people),
                earned.get(unit, (0, 0))[1],
                _first(ideas, unit),
                _first(votes, unit),
                _first(logs, unit),
                _first(respondents, unit),
            )
        )
    yield rows


def _per_unit(
    tx: Tx, year: Year, unit: Any, *figures: Any, within: Any = None, where: Any = None, join: Any = None
) -> Figures:
    statement = select(unit, *figures).group_by(unit)
    if join is not None:
        table, person = join
        statement = statement.select_from(table).join(Person, Person.id == person)
    if within is not None:
        statement = statement.where(within >= year.start, within < year.end)
    if where is not None:
        statement = statement.where(where)
    return {row[0]: tuple(int(value or 0) for value in row[1:]) for row in tx.session.execute(statement)}


def _first(figures: Figures, unit: int | None) -> int:
    return figures.get(unit, (0,))[0]


def praise_rows(tx: Tx, year: Year) -> Iterator[Sequence[Row]]:
    giver, receiver = aliased(Person), aliased(Person)
    statement = (
        select(
            Praise.created_at, shown_name_column(giver), shown_name_column(receiver), Unit.name, Praise.message
        )
        .join(giver, giver.id == Praise.giver_id)
        .outerjoin(receiver, receiver.id == Praise.person_id)
        .outerjoin(Unit, Unit.id == Praise.unit_id)
        .where(Praise.created_at >= year.start, Praise.created_at < year.end)
        .order_by(Praise.created_at, Praise.id)
        .execution_options(yield_per=CHUNK_ROWS)
    )
    for chunk in tx.session.execute(statement).partitions():
        yield [
            (year.local(created), given_by, person, unit, message)
            for created, given_by, person, unit, message in chunk
        ]


PARTICIPATION = Sheet("participation", PARTICIPATION_COLUMNS, participation_rows)
PRAISE = Sheet("praise", PRAISE_COLUMNS, praise_rows)
