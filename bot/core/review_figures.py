"""The review's headline figures for the summary, and next year's targets proposed from them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select

from bot.core.errors import DomainError
from bot.core.goals import Standing
from bot.core.models import (
    Campaign,
    CampaignAction,
    CampaignLog,
    Idea,
    IdeaStatusChange,
    Kudos,
    LedgerEntry,
    Person,
    Praise,
    Saving,
    Vote,
)
from bot.core.people import MANAGER_ROLES, require_role
from bot.core.points import CORRECTION_REASONS, EARNING_REASONS
from bot.core.quantities import is_canonical
from bot.core.review import Year, percent
from bot.core.review_goals import standings
from bot.core.review_ideas import in_year
from bot.core.uow import Tx

# Next year's target for an area's verified savings: this year's result and this much more.
TARGET_IMPROVEMENT = Decimal("0.10")
REACHED_STATUSES = ("accepted", "implemented", "declined")

Amounts = dict[str, Decimal]  # canonical unit → amount


@dataclass(frozen=True)
class Target:
    area: str | None
    unit: str
    result: Decimal  # this year's verified savings
    target: Decimal  # proposed for next year


@dataclass(frozen=True)
class Figures:
    year: Year
    ideas: int  # submitted during the year
    reached: dict[str, int]  # status → ideas moved to it during the year
    votes: int
    expected: Amounts  # current savings of the year's ideas
    verified: dict[str | None, Amounts]  # by area
    campaigns: int  # not called off, running at some time in the year
    campaign_actions: int  # logged during the year
    campaign_people: int
    impact: Amounts
    people: int
    earners: int  # people who earned points during the year
    points: int
    praise: int
    kudos: int
    goals: tuple[Standing, ...] = ()

    @property
    def participation(self) -> Decimal | None:
        return percent(self.earners, self.people)

    @property
    def targets(self) -> list[Target]:
        return [
            Target(area, unit, amount, next_target(amount))
            for area, amounts in sorted(self.verified.items(), key=lambda item: item[0] or "~")
            for unit, amount in sorted(amounts.items())
        ]


def next_target(result: Decimal) -> Decimal:
    """This year's result and TARGET_IMPROVEMENT more, to one decimal."""
    return (result * (1 + TARGET_IMPROVEMENT)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def figures(tx: Tx, reader: Person, year: Year) -> Figures:
    """The year in figures, for admins and managers (the pack names people and their units)."""
    require_role(reader, MANAGER_ROLES)
    return year_figures(tx, year)


def year_figures(tx: Tx, year: Year) -> Figures:
    def count(what: Any, *where: Any) -> int:
        return int(tx.session.scalar(select(func.count(what)).where(*where)) or 0)

    def during(moment: Any) -> ColumnElement[bool]:
        return and_(moment >= year.start, moment < year.end)

    reached = dict(
        tx.session.execute(
            select(IdeaStatusChange.to_status, func.count(func.distinct(IdeaStatusChange.idea_id)))
            .where(during(IdeaStatusChange.created_at), IdeaStatusChange.to_status.in_(REACHED_STATUSES))
            .group_by(IdeaStatusChange.to_status)
        ).all()
    )
    logged = tx.session.execute(
        select(func.count(), func.count(func.distinct(CampaignLog.person_id))).where(
            during(CampaignLog.created_at)
        )
    ).one()
    earned = tx.session.execute(
        select(
            func.count(func.distinct(LedgerEntry.person_id)), func.coalesce(func.sum(LedgerEntry.amount), 0)
        ).where(
            during(LedgerEntry.created_at),
            LedgerEntry.reason.in_(EARNING_REASONS | CORRECTION_REASONS),
        )
    ).one()
    return Figures(
        year=year,
        ideas=count(Idea.id, during(Idea.created_at)),
        reached={status: int(number) for status, number in reached.items()},
        votes=count(Vote.idea_id, during(Vote.created_at)),
        expected=_savings(tx, year, "expected").get("", {}),
        verified=_savings(tx, year, "verified", by_area=True),
        campaigns=count(
            Campaign.id,
            Campaign.starts_at < year.end,
            Campaign.ends_at > year.start,
            Campaign.state != "cancelled",
        ),
        campaign_actions=int(logged[0]),
        campaign_people=int(logged[1]),
        impact=_impact(tx, year),
        people=count(Person.id),
        earners=int(earned[0]),
        points=int(earned[1]),
        praise=count(Praise.id, during(Praise.created_at)),
        kudos=count(Kudos.id, during(Kudos.created_at)),
        goals=tuple(standings(tx, year)),
    )


def _savings(tx: Tx, year: Year, kind: str, by_area: bool = False) -> dict[str | None, Amounts]:
    """The current savings of the year's ideas (as the ideas sheet lists them), per canonical unit."""
    area = Idea.area if by_area else None
    rows = tx.session.execute(
        select(Idea.area, Saving.unit, func.sum(Saving.amount))
        .join(Saving, Saving.idea_id == Idea.id)
        .where(Saving.kind == kind, Saving.replaced_at.is_(None), in_year(year))
        .group_by(Idea.area, Saving.unit)
    )
    totals: dict[str | None, Amounts] = {}
    for idea_area, unit, amount in rows:
        if is_canonical(unit):
            key = idea_area if area is not None else ""
            amounts = totals.setdefault(key, {})
            amounts[unit] = amounts.get(unit, Decimal(0)) + Decimal(amount)
    return totals


def _impact(tx: Tx, year: Year) -> Amounts:
    rows = tx.session.execute(
        select(CampaignAction.impact_unit, func.sum(CampaignAction.impact_amount))
        .join(CampaignLog, CampaignLog.action_id == CampaignAction.id)
        .where(
            CampaignAction.impact_amount.is_not(None),
            CampaignLog.created_at >= year.start,
            CampaignLog.created_at < year.end,
        )
        .group_by(CampaignAction.impact_unit)
    )
    return {unit: Decimal(amount or 0) for unit, amount in rows if unit}


def check_year_given(number: int | None, current: int) -> int:
    """The year asked for, or this one; a year still to come has nothing to review."""
    year = current if number is None else number
    if year > current:
        raise DomainError("{value} has not begun yet: give this year or an earlier one.", value=str(year))
    return year
