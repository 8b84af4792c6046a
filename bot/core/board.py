"""What the board page shows for a unit or the organisation, and a cheap stamp that changes with it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from bot.core import campaigns, competitions, goals
from bot.core.competition_scoring import Standings, standings
from bot.core.models import (
    BoardLink,
    Campaign,
    CampaignLog,
    CampaignUnit,
    Competition,
    Goal,
    GoalMeasurement,
    Idea,
    IdeaStatusChange,
    LedgerEntry,
    Person,
    Praise,
    Saving,
    Unit,
    Vote,
)
from bot.core.units import ancestor_ids, subtree_ids
from bot.core.uow import Tx

COLUMNS = ("new", "under_review", "accepted", "implemented")
PRAISE_SHOWN = 4


@dataclass(frozen=True)
class BoardIdea:
    id: int
    text: str
    status: str
    votes: int
    author: str
    author_hidden: bool
    savings: list[tuple[Decimal, str, str]]  # amount, unit, expected | verified


@dataclass(frozen=True)
class BoardColumn:
    status: str
    ideas: list[BoardIdea]
    total: int  # ideas in this status, shown or not


@dataclass(frozen=True)
class BoardCampaign:
    campaign: Campaign
    logged: int
    participants: int
    members: int


@dataclass(frozen=True)
class BoardPraise:
    giver: str
    giver_hidden: bool
    to: str  # a person or a unit
    to_hidden: bool
    message: str
    at: datetime


@dataclass(frozen=True)
class Board:
    unit: Unit | None
    columns: list[BoardColumn]
    goals: list[goals.Standing]
    goals_total: int
    campaigns: list[BoardCampaign]
    competitions: list[Standings]
    praise: list[BoardPraise]
    last_change: datetime | None
    verified_savings: dict[str, Decimal] = field(default_factory=dict)  # implemented ideas, per unit


def build(tx: Tx, link: BoardLink, per_column: int, goals_shown: int) -> Board:
    """The board of the link's unit (it and the units below; the organisation's for none)."""
    unit = None if link.unit_id is None else tx.session.get_one(Unit, link.unit_id)
    within = None if unit is None else subtree_ids(tx, unit.id)
    columns, last_idea_change = _columns(tx, within, per_column)
    praise = _praise(tx, within)
    today = goals.local_today(tx)
    unit_goals = _goals(tx, unit, within)
    names: dict[int, str] = dict(tx.session.execute(select(Unit.id, Unit.name)).all())
    shown_goals = [
        goals.standing(tx, goal, None if goal.unit_id is None else names.get(goal.unit_id), today)
        for goal in unit_goals[:goals_shown]
    ]
    changes = [last_idea_change, praise[0].at if praise else None, _last_measurement(tx, unit)]
    return Board(
        unit=unit,
        columns=columns,
        goals=shown_goals,
        goals_total=len(unit_goals),
        campaigns=_campaigns(tx, unit),
        competitions=_competitions(tx, unit),
        praise=praise,
        last_change=max((moment for moment in changes if moment is not None), default=None),
        verified_savings=_verified_savings(tx, within),
    )


def _goals(tx: Tx, unit: Unit | None, within: list[int] | None) -> list[Goal]:
    """The unit's own goals first, then those of the units below it (the organisation's: every goal)."""
    own = Goal.unit_id.is_(None) if unit is None else Goal.unit_id == unit.id
    statement = select(Goal).order_by(own.desc(), Goal.unit_id, Goal.id)
    if within is not None:
        statement = statement.where(Goal.unit_id.in_(within))
    return list(tx.session.scalars(statement))


def _columns(tx: Tx, within: list[int] | None, per_column: int) -> tuple[list[BoardColumn], datetime | None]:
    scope = Idea.status.in_(COLUMNS) if within is None else Idea.status.in_(COLUMNS) & Idea.unit_id.in_(within)
    votes = select(Vote.idea_id, func.count().label("votes")).group_by(Vote.idea_id).subquery()
    count = func.coalesce(votes.c.votes, 0)
    ranked = (
        select(
            Idea.id,
            Idea.text,
            Idea.status,
            Idea.updated_at,
            count.label("votes"),
            Person.display_name,
            Person.hidden,
            func.row_number()
            .over(partition_by=Idea.status, order_by=(count.desc(), Idea.updated_at.desc(), Idea.id.desc()))
            .label("place"),
            func.count().over(partition_by=Idea.status).label("total"),
        )
        .join(Person, Person.id == Idea.author_id)
        .outerjoin(votes, votes.c.idea_id == Idea.id)
        .where(scope)
        .subquery()
    )
    rows = tx.session.execute(
        select(ranked).where(ranked.c.place <= per_column).order_by(ranked.c.status, ranked.c.place)
    ).all()
    last = tx.session.scalar(select(func.max(Idea.updated_at)).where(scope))
    savings = _savings(tx, [row.id for row in rows])
    shown: dict[str, list[BoardIdea]] = defaultdict(list)
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.status] = int(row.total)
        shown[row.status].append(
            BoardIdea(
                row.id,
                row.text,
                row.status,
                int(row.votes),
                row.display_name,
                bool(row.hidden),
                savings[row.id],
            )
        )
    return [BoardColumn(status, shown[status], totals.get(status, 0)) for status in COLUMNS], last


def _savings(tx: Tx, idea_ids: list[int]) -> dict[int, list[tuple[Decimal, str, str]]]:
    found: dict[int, list[tuple[Decimal, str, str]]] = defaultdict(list)
    if not idea_ids:
        return found
    rows = tx.session.execute(
        select(Saving.idea_id, Saving.amount, Saving.unit, Saving.kind)
        .where(Saving.idea_id.in_(idea_ids), Saving.replaced_at.is_(None))
        .order_by(Saving.idea_id, Saving.kind.desc())  # verified before expected
    )
    for idea_id, amount, unit, kind in rows:
        found[idea_id].append((amount, unit, kind))
    return found


def _verified_savings(tx: Tx, within: list[int] | None) -> dict[str, Decimal]:
    """Verified savings of implemented ideas, summed per unit of measure."""
    statement = (
        select(Saving.unit, func.sum(Saving.amount))
        .join(Idea, Idea.id == Saving.idea_id)
        .where(Saving.kind == "verified", Saving.replaced_at.is_(None), Idea.status == "implemented")
        .group_by(Saving.unit)
        .order_by(Saving.unit)
    )
    if within is not None:
        statement = statement.where(Idea.unit_id.in_(within))
    return {unit: Decimal(total) for unit, total in tx.session.execute(statement)}


def _campaigns(tx: Tx, unit: Unit | None) -> list[BoardCampaign]:
    """Running campaigns for everyone, or for the unit, a unit above it or one below it."""
    running = tx.session.scalars(
        select(Campaign).where(Campaign.state == "running").order_by(Campaign.ends_at, Campaign.id)
    ).all()
    related = None if unit is None else {*ancestor_ids(tx, unit.id), *subtree_ids(tx, unit.id), unit.id}
    shown: list[BoardCampaign] = []
    for campaign in running:
        taking_part = set(
            tx.session.scalars(select(CampaignUnit.unit_id).where(CampaignUnit.campaign_id == campaign.id))
        )
        if related is not None and taking_part and not taking_part & related:
            continue
        logged, participants = campaigns.logged_so_far(tx, campaign.id)
        shown.append(BoardCampaign(campaign, logged, participants, campaigns.members_count(tx, campaign.id)))
    return shown


def _competitions(tx: Tx, unit: Unit | None) -> list[Standings]:
    running, _ = competitions.listing(tx)
    related = None if unit is None else {*ancestor_ids(tx, unit.id), *subtree_ids(tx, unit.id), unit.id}
    return [
        standings(tx, competition)
        for competition in running
        if related is None or not (units := set(competitions.unit_ids_of(tx, competition))) or units & related
    ]


def _praise(tx: Tx, within: list[int] | None) -> list[BoardPraise]:
    giver = aliased(Person)
    praised = aliased(Person)
    statement = (
        select(Praise, giver.display_name, giver.hidden, praised.display_name, praised.hidden, Unit.name)
        .join(giver, giver.id == Praise.giver_id)
        .outerjoin(praised, praised.id == Praise.person_id)
        .outerjoin(Unit, Unit.id == Praise.unit_id)
        .order_by(Praise.id.desc())
        .limit(PRAISE_SHOWN)
    )
    if within is not None:
        statement = statement.where(praised.unit_id.in_(within) | Praise.unit_id.in_(within))
    return [
        BoardPraise(
            giver=giver_name,
            giver_hidden=bool(giver_hidden),
            to=person_name if person_name is not None else unit_name or "",
            to_hidden=bool(person_hidden),
            message=entry.message,
            at=entry.created_at,
        )
        for entry, giver_name, giver_hidden, person_name, person_hidden, unit_name in tx.session.execute(
            statement
        )
    ]


def _last_measurement(tx: Tx, unit: Unit | None) -> datetime | None:
    statement = select(func.max(GoalMeasurement.created_at)).join(Goal, Goal.id == GoalMeasurement.goal_id)
    if unit is not None:
        statement = statement.where(Goal.unit_id == unit.id)
    return tx.session.scalar(statement)


def change_stamp(tx: Tx) -> tuple[object, ...]:
    """Changes whenever anything a board shows may have changed; one cheap round trip.

    Highest ids (indexed) of what only grows, the latest privacy choice and revocation, and how many
    campaigns and competitions run. Votes and campaign actions pay points, so the ledger covers them.
    """
    parts = [
        select(func.max(LedgerEntry.id)),
        select(func.max(Idea.id)),
        select(func.max(IdeaStatusChange.id)),
        select(func.max(Saving.id)),
        select(func.max(Praise.id)),
        select(func.max(GoalMeasurement.id)),
        select(func.max(Goal.id)),
        select(func.max(CampaignLog.id)),
        select(func.count()).select_from(Campaign).where(Campaign.state == "running"),
        select(func.count()).select_from(Competition).where(Competition.state == "running"),
        select(func.max(Person.privacy_changed_at)),
        select(func.max(BoardLink.revoked_at)),
    ]
    return tuple(tx.session.execute(select(*(part.scalar_subquery() for part in parts))).one())
