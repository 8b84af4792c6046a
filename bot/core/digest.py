"""Progress digest figures: what a unit (or the whole organisation) achieved in one month, summed in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, distinct, exists, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute

from bot.core import goals
from bot.core.digest_chart import chart_figures
from bot.core.ideas import savings_totals
from bot.core.models import (
    Campaign,
    CampaignLog,
    CampaignUnit,
    Idea,
    IdeaStatusChange,
    Person,
    PersonPointTotal,
    Praise,
    Unit,
    UnitPointTotal,
)
from bot.core.people import shown_name_column
from bot.core.units import ancestor_ids, subtree_ids
from bot.core.uow import Tx

TOP_CONTRIBUTORS = 3
PRAISE_HIGHLIGHTS = 3
CHART_MONTHS = 6
# The figures "what changed since the last post" compares, by name.
HEADLINE = ("received", "accepted", "implemented", "points")


@dataclass(frozen=True)
class CampaignFigures:
    name: str
    finished: bool
    actions: int  # times an action was logged in the month
    people: int  # distinct people who logged one


@dataclass(frozen=True)
class Highlight:
    """A praise given in the month: from whom, to whom (a person's or a unit's name), and what it said."""

    giver: str
    target: str
    message: str


@dataclass(frozen=True)
class Digest:
    """One month's progress for a unit and the units below it (`unit_id` None: the whole organisation).

    It is stored as JSON in the outbox and in the schedule row (`to_dict`), and rendered per reader.
    """

    month: str  # "2026-11", in the organisation's time zone
    unit_id: int | None
    unit_name: str | None
    received: int
    accepted: int
    implemented: int
    verified_savings: dict[str, Decimal]
    campaigns: list[CampaignFigures]
    contributors: list[tuple[str, int]]
    praise: list[Highlight]
    points_by_month: list[tuple[str, int]]  # the CHART_MONTHS months up to `month`, oldest first
    previous: dict[str, int] | None = None  # the headline of the last post for the same scope
    extra: dict[str, Any] = field(default_factory=dict)  # added later (goals, the chart's figures) kept here

    @property
    def points(self) -> int:
        """Points earned in the month."""
        return self.points_by_month[-1][1] if self.points_by_month else 0

    def headline(self) -> dict[str, int]:
        """The figures remembered after a post, to say next time what changed."""
        return {name: int(getattr(self, name)) for name in HEADLINE}

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "unit_id": self.unit_id,
            "unit_name": self.unit_name,
            "received": self.received,
            "accepted": self.accepted,
            "implemented": self.implemented,
            "verified_savings": {unit: str(amount) for unit, amount in self.verified_savings.items()},
            "campaigns": [[c.name, c.finished, c.actions, c.people] for c in self.campaigns],
            "contributors": [[name, points] for name, points in self.contributors],
            "praise": [[h.giver, h.target, h.message] for h in self.praise],
            "points_by_month": [[month, points] for month, points in self.points_by_month],
            "previous": self.previous,
            "extra": self.extra,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Digest:
        return Digest(
            month=str(data["month"]),
            unit_id=data.get("unit_id"),
            unit_name=data.get("unit_name"),
            received=int(data["received"]),
            accepted=int(data["accepted"]),
            implemented=int(data["implemented"]),
            verified_savings={unit: Decimal(amount) for unit, amount in data["verified_savings"].items()},
            campaigns=[CampaignFigures(str(n), bool(f), int(a), int(p)) for n, f, a, p in data["campaigns"]],
            contributors=[(str(name), int(points)) for name, points in data["contributors"]],
            praise=[Highlight(str(g), str(t), str(m)) for g, t, m in data["praise"]],
            points_by_month=[(str(month), int(points)) for month, points in data["points_by_month"]],
            previous=data.get("previous"),
            extra=dict(data.get("extra") or {}),
        )


def month_of(tx: Tx, moment: datetime) -> str:
    local = moment.astimezone(tx.policy.timezone)
    return f"{local.year}-{local.month:02d}"


def month_before(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def month_bounds(tx: Tx, month: str) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, in UTC (read in the organisation's zone)."""
    year, number = (int(part) for part in month.split("-"))
    following = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    zone = tx.policy.timezone
    start = datetime.combine(date(year, number, 1), time(0), zone).astimezone(UTC)
    return start, datetime.combine(following, time(0), zone).astimezone(UTC)


def build(tx: Tx, month: str, unit: Unit | None, previous: dict[str, int] | None = None) -> Digest:
    """The month's figures for `unit` and the units below it, or for everyone when `unit` is None."""
    start, end = month_bounds(tx, month)
    units = subtree_ids(tx, unit.id) if unit is not None else None
    months = _chart_months(month)
    standings = _standings(tx, unit)
    accepted, implemented, implemented_ids = _moves(tx, start, end, units)
    return Digest(
        month=month,
        unit_id=unit.id if unit is not None else None,
        unit_name=unit.name if unit is not None else None,
        received=_received(tx, start, end, units),
        accepted=accepted,
        implemented=implemented,
        verified_savings=savings_totals(tx, "verified", implemented_ids) if implemented_ids else {},
        campaigns=_campaigns(tx, start, end, unit),
        contributors=_contributors(tx, month, units),
        praise=_praise(tx, start, end, units),
        points_by_month=_points_by_month(tx, months, unit),
        previous=previous,
        extra={
            "goals": _goals(standings),
            **chart_figures(tx, unit, standings, [(each, *month_bounds(tx, each)) for each in months]),
        },
    )


def _standings(tx: Tx, unit: Unit | None) -> list[goals.Standing]:
    """The unit's own goals (the organisation's for None) as they stand today."""
    today = goals.local_today(tx)
    name = unit.name if unit is not None else None
    return [goals.standing(tx, goal, name, today) for goal in goals.goals_of(tx, unit.id if unit else None)]


def _goals(standings: list[goals.Standing]) -> list[dict[str, Any]]:
    """Each goal with its progress and state."""
    return [{"title": each.goal.title, "percent": each.progress_pct, "state": each.state} for each in standings]


def _in_units(column: InstrumentedAttribute[int | None], units: list[int] | None) -> ColumnElement[bool]:
    return true() if units is None else column.in_(units)


def _received(tx: Tx, start: datetime, end: datetime, units: list[int] | None) -> int:
    statement = select(func.count()).where(
        Idea.created_at >= start, Idea.created_at < end, Idea.status != "merged", _in_units(Idea.unit_id, units)
    )
    return int(tx.session.scalar(statement) or 0)


def _moves(tx: Tx, start: datetime, end: datetime, units: list[int] | None) -> tuple[int, int, list[int]]:
    """Ideas accepted (reaching accepted or, skipping it, implemented) and implemented in the month."""
    change = IdeaStatusChange
    rows = tx.session.execute(
        select(change.idea_id, change.from_status, change.to_status)
        .join(Idea, Idea.id == change.idea_id)
        .where(
            change.created_at >= start,
            change.created_at < end,
            change.to_status.in_(("accepted", "implemented")),
            _in_units(Idea.unit_id, units),
        )
    ).all()
    accepted = {idea for idea, before, after in rows if after == "accepted" or before != "accepted"}
    implemented = sorted({idea for idea, _, after in rows if after == "implemented"})
    return len(accepted), len(implemented), implemented


def _campaigns(tx: Tx, start: datetime, end: datetime, unit: Unit | None) -> list[CampaignFigures]:
    """Campaigns that ran in the month (for everyone, or for the unit, a unit above or below it)."""
    statement = (
        select(
            Campaign.name,
            Campaign.state,
            Campaign.ends_at,
            func.count(CampaignLog.id),
            func.count(distinct(CampaignLog.person_id)),
        )
        .outerjoin(
            CampaignLog,
            (CampaignLog.campaign_id == Campaign.id)
            & (CampaignLog.created_at >= start)
            & (CampaignLog.created_at < end),
        )
        .where(
            Campaign.state.in_(("running", "finished")),
            Campaign.starts_at < end,
            Campaign.ends_at > start,
        )
        .group_by(Campaign.id, Campaign.name, Campaign.state, Campaign.ends_at, Campaign.starts_at)
        .order_by(Campaign.starts_at, Campaign.id)
    )
    if unit is not None:
        related = set(subtree_ids(tx, unit.id)) | set(ancestor_ids(tx, unit.id))
        for_some = exists().where(CampaignUnit.campaign_id == Campaign.id)
        for_related = exists().where(CampaignUnit.campaign_id == Campaign.id, CampaignUnit.unit_id.in_(related))
        statement = statement.where(or_(~for_some, for_related))
    return [
        CampaignFigures(name, state == "finished" and ends_at <= end, int(actions), int(people))
        for name, state, ends_at, actions, people in tx.session.execute(statement)
    ]


def _contributors(tx: Tx, month: str, units: list[int] | None) -> list[tuple[str, int]]:
    """The month's top earners, read from the period totals kept beside the ledger (never the ledger)."""
    statement = (
        select(shown_name_column(), PersonPointTotal.points)
        .join(Person, Person.id == PersonPointTotal.person_id)
        .where(PersonPointTotal.period == month, PersonPointTotal.points > 0, _in_units(Person.unit_id, units))
        .order_by(PersonPointTotal.points.desc(), Person.id)
        .limit(TOP_CONTRIBUTORS)
    )
    return [(name, int(points)) for name, points in tx.session.execute(statement)]


def _praise(tx: Tx, start: datetime, end: datetime, units: list[int] | None) -> list[Highlight]:
    praised = Person.__table__.alias("praised")
    giver = Person.__table__.alias("giver")
    statement = (
        select(
            shown_name_column(giver.c), func.coalesce(shown_name_column(praised.c), Unit.name), Praise.message
        )
        .join(giver, giver.c.id == Praise.giver_id)
        .outerjoin(praised, praised.c.id == Praise.person_id)
        .outerjoin(Unit, Unit.id == Praise.unit_id)
        .where(Praise.created_at >= start, Praise.created_at < end)
        .order_by(Praise.created_at.desc(), Praise.id.desc())
        .limit(PRAISE_HIGHLIGHTS)
    )
    if units is not None:
        statement = statement.where(or_(praised.c.unit_id.in_(units), Praise.unit_id.in_(units)))
    return [Highlight(str(g), str(t), str(m)) for g, t, m in tx.session.execute(statement)]


def _chart_months(month: str) -> list[str]:
    """The CHART_MONTHS months up to `month`, oldest first."""
    months = [month]
    while len(months) < CHART_MONTHS:
        months.insert(0, month_before(months[0]))
    return months


def _points_by_month(tx: Tx, months: list[str], unit: Unit | None) -> list[tuple[str, int]]:
    if unit is None:
        rows = tx.session.execute(
            select(PersonPointTotal.period, func.sum(PersonPointTotal.points))
            .where(PersonPointTotal.period.in_(months))
            .group_by(PersonPointTotal.period)
        )
    else:
        rows = tx.session.execute(
            select(UnitPointTotal.period, UnitPointTotal.points).where(
                UnitPointTotal.unit_id == unit.id, UnitPointTotal.period.in_(months)
            )
        )
    found = {period: int(points or 0) for period, points in rows}
    return [(each, found.get(each, 0)) for each in months]
