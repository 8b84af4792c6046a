"""The review's campaigns sheet: each campaign of the year with its units, logs, points, impact and turnout."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from bot.core.models import Campaign, CampaignAction, CampaignLog, CampaignUnit, Person, Unit
from bot.core.review import CANONICAL_UNITS, Column, Row, Sheet, Year, percent, unit_columns
from bot.core.uow import Tx

COLUMNS = (
    Column("campaign", "int"),
    Column("name", "text"),
    Column("state", "text"),
    Column("first_day", "date"),
    Column("last_day", "date"),
    Column("units", "text"),
    Column("actions", "int"),
    Column("logs", "int"),
    Column("points", "int"),
    Column("participants", "int"),
    Column("members", "int"),
    Column("participation_pct", "decimal"),
    *unit_columns("impact"),
)


def rows(tx: Tx, year: Year) -> Iterator[Sequence[Row]]:
    """A year holds tens of campaigns: one query per figure for all of them, never one per campaign."""
    campaigns = tx.session.execute(
        select(Campaign.id, Campaign.name, Campaign.state, Campaign.starts_at, Campaign.ends_at)
        .where(Campaign.starts_at < year.end, Campaign.ends_at > year.start)
        .order_by(Campaign.starts_at, Campaign.id)
    ).all()
    if not campaigns:
        return
    ids = [row.id for row in campaigns]
    actions = _grouped(tx, select(CampaignAction.campaign_id, func.count()), CampaignAction.campaign_id, ids)
    logs = {
        row[0]: row[1:]
        for row in tx.session.execute(
            select(
                CampaignLog.campaign_id,
                func.count(),
                func.sum(CampaignLog.points),
                func.count(func.distinct(CampaignLog.person_id)),
            )
            .where(CampaignLog.campaign_id.in_(ids))
            .group_by(CampaignLog.campaign_id)
        )
    }
    impact = _impact(tx, ids)
    units = _units(tx, ids)
    members = MemberCounter(tx)
    yield [
        _row(year, campaign, actions, logs.get(campaign.id), impact, units.get(campaign.id, []), members)
        for campaign in campaigns
    ]


def _row(
    year: Year,
    campaign: Row,
    actions: dict[int, int],
    logged: Sequence[object] | None,
    impact: dict[tuple[int, str], Decimal],
    units: list[tuple[int, str]],
    members: MemberCounter,
) -> Row:
    campaign_id, name, state, starts_at, ends_at = campaign
    count, points, participants = (int(value or 0) for value in logged) if logged else (0, 0, 0)  # type: ignore[call-overload]
    people = members.within([unit for unit, _ in units])
    return (
        campaign_id,
        name,
        state,
        year.local(starts_at).date(),  # type: ignore[arg-type]
        (year.local(ends_at) - timedelta(microseconds=1)).date(),  # type: ignore[arg-type]
        "; ".join(sorted(unit_name for _, unit_name in units)),
        actions.get(campaign_id, 0),  # type: ignore[arg-type]
        count,
        points,
        participants,
        people,
        percent(participants, people),
        *(impact.get((campaign_id, unit)) for unit in CANONICAL_UNITS),  # type: ignore[arg-type]
    )


def _grouped(tx: Tx, statement, key, ids: list[int]) -> dict[int, int]:  # type: ignore[no-untyped-def]
    return {row[0]: int(row[1]) for row in tx.session.execute(statement.where(key.in_(ids)).group_by(key))}


def _impact(tx: Tx, ids: list[int]) -> dict[tuple[int, str], Decimal]:
    """What the logged actions add up to, per campaign and canonical unit."""
    rows = tx.session.execute(
        select(CampaignLog.campaign_id, CampaignAction.impact_unit, func.sum(CampaignAction.impact_amount))
        .join(CampaignAction, CampaignAction.id == CampaignLog.action_id)
        .where(CampaignLog.campaign_id.in_(ids), CampaignAction.impact_amount.is_not(None))
        .group_by(CampaignLog.campaign_id, CampaignAction.impact_unit)
    )
    return {(campaign, unit): Decimal(total or 0) for campaign, unit, total in rows if unit}


def _units(tx: Tx, ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = {}
    for campaign, unit, name in tx.session.execute(
        select(CampaignUnit.campaign_id, Unit.id, Unit.name)
        .join(Unit, Unit.id == CampaignUnit.unit_id)
        .where(CampaignUnit.campaign_id.in_(ids))
    ):
        found.setdefault(campaign, []).append((unit, name))
    return found


class MemberCounter:
    """How many people a set of units holds with the units below them (everyone for no units), as
    `campaigns.members_count` counts them, from two queries for all campaigns."""

    def __init__(self, tx: Tx) -> None:
        self.children: dict[int | None, list[int]] = {}
        for unit, parent in tx.session.execute(select(Unit.id, Unit.parent_id)):
            self.children.setdefault(parent, []).append(unit)
        self.members: dict[int | None, int] = {
            unit: int(count)
            for unit, count in tx.session.execute(select(Person.unit_id, func.count()).group_by(Person.unit_id))
        }

    def within(self, roots: list[int]) -> int:
        if not roots:
            return sum(self.members.values())
        seen: set[int] = set()
        pending = list(roots)
        while pending:
            unit = pending.pop()
            if unit not in seen:
                seen.add(unit)
                pending.extend(self.children.get(unit, []))
        return sum(self.members.get(unit, 0) for unit in seen)


SHEET = Sheet("campaigns", COLUMNS, rows)
