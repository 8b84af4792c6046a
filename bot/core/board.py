"""What the board page shows for a unit or the organisation, and a cheap stamp that changes with it."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from bot.core import campaigns, competitions, goals
from bot.core.competition_scoring import Standings, first_places, standings, within
from bot.core.goal_figures import IN_FORCE
from bot.core.models import (
    BoardLink,
    Campaign,
    CampaignLog,
    CampaignUnit,
    Competition,
    Goal,
    GoalLink,
    GoalMeasurement,
    GoalRemoval,
    Idea,
    IdeaEdit,
    IdeaStatusChange,
    LedgerEntry,
    Person,
    Praise,
    Saving,
    Unit,
    UnitMove,
    Vote,
)
from bot.core.people import shown_name_column
from bot.core.units import ancestor_ids, subtree_ids
from bot.core.uow import Tx

T = TypeVar("T")
COLUMNS = ("new", "under_review", "accepted", "implemented")
PRAISE_SHOWN = 4


@dataclass(frozen=True)
class BoardIdea:
    id: int
    text: str
    status: str
    votes: int
    author: str  # people.shown_name: the display name, or the marker of a hidden person
    savings: list[tuple[Decimal, str, str]]  # amount, unit, expected | verified


@dataclass(frozen=True)
class BoardColumn:
    status: str
    ideas: list[BoardIdea]
    total: int  # ideas in this status, shown or not


@dataclass(frozen=True)
class BoardCampaign:
    campaign: Campaign
    first_day: date
    last_day: date
    logged: int
    participants: int
    members: int


@dataclass(frozen=True)
class BoardPraise:
    giver: str  # shown names, as BoardIdea.author
    to: str  # a person or a unit
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


class Sections:
    """Each part of each scope's board, built once per stamp of that part and kept for this process.

    A vote moves the idea columns and the competition standings, but not the goals, the campaigns or
    the praise: those are taken from here. Links of one scope in several languages share the parts.
    """

    def __init__(self) -> None:
        self._parts: dict[tuple[int | None, str], tuple[tuple[object, ...], object]] = {}
        self._lock = threading.Lock()

    def get(self, scope: int | None, part: str, stamp: tuple[object, ...], make: Callable[[], T]) -> T:
        with self._lock:
            kept = self._parts.get((scope, part))
        if kept is not None and kept[0] == stamp:
            return kept[1]  # type: ignore[return-value]
        value = make()
        with self._lock:
            self._parts[(scope, part)] = (stamp, value)
        return value

    def forget(self, scope: int | None) -> None:
        with self._lock:
            for key in [key for key in self._parts if key[0] == scope]:
                del self._parts[key]


def build(tx: Tx, link: BoardLink, per_column: int, goals_shown: int, stamp: Stamp, kept: Sections) -> Board:
    """The board of the link's unit (it and the units below; the organisation's for none), each part
    taken from `kept` when its stamp has not moved."""
    unit = None if link.unit_id is None else tx.session.get_one(Unit, link.unit_id)
    within = None if unit is None else subtree_ids(tx, unit.id)
    scope = link.unit_id
    ideas = kept.get(scope, "ideas", stamp.ideas, lambda: _ideas(tx, within, per_column))
    shown_goals = kept.get(scope, "goals", stamp.goals, lambda: _goal_part(tx, unit, within, goals_shown))
    praise = kept.get(scope, "praise", stamp.praise, lambda: _praise(tx, within))
    running = kept.get(scope, "campaigns", stamp.campaigns, lambda: _campaign_part(tx, unit))
    changes = [
        ideas.last_change,
        praise[0].at if praise else None,
        shown_goals.last_change,
        running.last_change,
    ]
    return Board(
        unit=unit,
        columns=ideas.columns,
        goals=shown_goals.standings,
        goals_total=shown_goals.total,
        campaigns=running.campaigns,
        # The standings are the same on every board: built once for all scopes.
        competitions=_competitions_of(
            tx, unit, kept.get(None, "competitions", stamp.competitions, lambda: _running_competitions(tx))
        ),
        praise=praise,
        last_change=max((moment for moment in changes if moment is not None), default=None),
        verified_savings=ideas.verified_savings,
    )


@dataclass(frozen=True)
class _IdeaPart:
    columns: list[BoardColumn]
    verified_savings: dict[str, Decimal]
    last_change: datetime | None


@dataclass(frozen=True)
class _GoalPart:
    standings: list[goals.Standing]
    total: int
    last_change: datetime | None


@dataclass(frozen=True)
class _CampaignPart:
    campaigns: list[BoardCampaign]
    last_change: datetime | None


def _latest(tx: Tx, *moments: Select[Any]) -> datetime | None:
    """The latest of these single-value statements' moments (None when none has one)."""
    found = [tx.session.scalar(statement) for statement in moments]
    return max((moment for moment in found if moment is not None), default=None)


def _ideas(tx: Tx, within: list[int] | None, per_column: int) -> _IdeaPart:
    columns = _columns(tx, within, per_column)
    shown = [idea.id for column in columns for idea in column.ideas]
    return _IdeaPart(columns, _verified_savings(tx, within), _last_idea_change(tx, within, shown))


def _last_idea_change(tx: Tx, within: list[int] | None, shown: list[int]) -> datetime | None:
    """When the ideas as shown last changed: one typed or moved (into a column or out of one), a vote
    for one shown, a saving of one shown or of an implemented one (the verified total)."""
    ideas = select(func.max(Idea.updated_at))
    implemented = select(Idea.id).where(Idea.status == "implemented")
    if within is not None:
        ideas = ideas.where(Idea.unit_id.in_(within))
        implemented = implemented.where(Idea.unit_id.in_(within))
    savings = func.max(func.coalesce(Saving.replaced_at, Saving.created_at))  # a removal is a change too
    return _latest(
        tx,
        ideas,
        select(func.max(Vote.created_at)).where(Vote.idea_id.in_(shown)),
        select(savings).where(Saving.idea_id.in_(shown) | Saving.idea_id.in_(implemented)),
    )


def _goal_part(tx: Tx, unit: Unit | None, within: list[int] | None, shown: int) -> _GoalPart:
    today = goals.local_today(tx)
    unit_goals = _goals(tx, unit, within)
    names = _unit_names(tx, {goal.unit_id for goal in unit_goals[:shown] if goal.unit_id is not None})
    standings_now = [
        goals.standing(tx, goal, None if goal.unit_id is None else names.get(goal.unit_id), today)
        for goal in unit_goals[:shown]
    ]
    return _GoalPart(standings_now, len(unit_goals), _last_goal_change(tx, within))


def _unit_names(tx: Tx, unit_ids: set[int]) -> dict[int, str]:
    if not unit_ids:
        return {}
    return dict(tx.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())


def _goals(tx: Tx, unit: Unit | None, within: list[int] | None) -> list[Goal]:
    """The unit's own goals first, then those of the units below it (the organisation's: every goal)."""
    own = Goal.unit_id.is_(None) if unit is None else Goal.unit_id == unit.id
    statement = select(Goal).where(IN_FORCE).order_by(own.desc(), Goal.unit_id, Goal.id)
    if within is not None:
        statement = statement.where(Goal.unit_id.in_(within))
    return list(tx.session.scalars(statement))


def _columns(tx: Tx, within: list[int] | None, per_column: int) -> list[BoardColumn]:
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
            shown_name_column().label("author"),
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
                row.author,
                savings[row.id],
            )
        )
    return [BoardColumn(status, shown[status], totals.get(status, 0)) for status in COLUMNS]


def _savings(tx: Tx, idea_ids: list[int]) -> dict[int, list[tuple[Decimal, str, str]]]:
    found: dict[int, list[tuple[Decimal, str, str]]] = defaultdict(list)
    if not idea_ids:
        return found
    rows = tx.session.execute(
        select(Saving.idea_id, Saving.amount, Saving.unit, Saving.kind)
        .where(Saving.idea_id.in_(idea_ids), Saving.replaced_at.is_(None))
        .order_by(Saving.idea_id, Saving.kind.desc(), Saving.unit)  # verified before expected
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


def _campaign_part(tx: Tx, unit: Unit | None) -> _CampaignPart:
    """Running campaigns for everyone, or for the unit, a unit above it or one below it; and when they
    last changed: one started, an action logged, or one of them gone (finished or called off)."""
    related = None if unit is None else {*ancestor_ids(tx, unit.id), *subtree_ids(tx, unit.id), unit.id}
    shown = _campaigns(tx, related)
    ids = [shown_campaign.campaign.id for shown_campaign in shown]
    left = func.coalesce(Campaign.changed_at, Campaign.ends_at)
    # Called off before it started, a campaign was never on the board.
    gone = select(func.max(left)).where(
        Campaign.state.in_(("finished", "cancelled")), left > Campaign.starts_at
    )
    if related is not None:
        units = select(CampaignUnit.unit_id).where(CampaignUnit.campaign_id == Campaign.id)
        gone = gone.where(~units.exists() | units.where(CampaignUnit.unit_id.in_(related)).exists())
    last_change = _latest(
        tx,
        select(func.max(CampaignLog.created_at)).where(CampaignLog.campaign_id.in_(ids)),
        select(func.max(Campaign.starts_at)).where(Campaign.id.in_(ids)),
        gone,
    )
    return _CampaignPart(shown, last_change)


def _campaigns(tx: Tx, related: set[int] | None) -> list[BoardCampaign]:
    """Running campaigns for everyone, or for one of the `related` units (None: every campaign)."""
    running = tx.session.scalars(
        select(Campaign).where(Campaign.state == "running").order_by(Campaign.ends_at, Campaign.id)
    ).all()
    shown: list[BoardCampaign] = []
    for campaign in running:
        taking_part = set(
            tx.session.scalars(select(CampaignUnit.unit_id).where(CampaignUnit.campaign_id == campaign.id))
        )
        if related is not None and taking_part and not taking_part & related:
            continue
        logged, participants = campaigns.logged_so_far(tx, campaign.id)
        shown.append(
            BoardCampaign(
                campaign,
                campaigns.local_day(tx, campaign.starts_at),
                campaigns.last_day(tx, campaign),
                logged,
                participants,
                campaigns.members_count(tx, campaign.id),
            )
        )
    return shown


def _running_competitions(tx: Tx) -> list[tuple[Standings, set[int]]]:
    """Every running competition's standings, every place of them, and the units taking part (none
    named: everyone)."""
    running, _ = competitions.listing(tx)
    return [(standings(tx, found, None), set(competitions.unit_ids_of(tx, found))) for found in running]


def _competitions_of(tx: Tx, unit: Unit | None, every: list[tuple[Standings, set[int]]]) -> list[Standings]:
    """Those for everyone, or for the unit, a unit above it or one below it; between people, the
    organisation's board shows the first places, a unit's board only its own people (and their places)."""
    if unit is None:
        return [first_places(found) for found, _ in every]
    own = set(subtree_ids(tx, unit.id))
    related = {*ancestor_ids(tx, unit.id), *own}
    return [within(found, own) for found, units in every if not units or units & related]


def _praise(tx: Tx, within: list[int] | None) -> list[BoardPraise]:
    giver = aliased(Person)
    praised = aliased(Person)
    statement = (
        select(Praise, shown_name_column(giver), shown_name_column(praised), Unit.name)
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
            to=person_name if person_name is not None else unit_name or "",
            message=entry.message,
            at=entry.created_at,
        )
        for entry, giver_name, person_name, unit_name in tx.session.execute(statement)
    ]


def _last_goal_change(tx: Tx, within: list[int] | None) -> datetime | None:
    """When the goals shown (the unit's and those below it) last changed: one set, or one measured."""
    made = select(func.max(Goal.created_at))
    measured = select(func.max(GoalMeasurement.created_at)).join(Goal, Goal.id == GoalMeasurement.goal_id)
    if within is not None:
        made = made.where(Goal.unit_id.in_(within))
        measured = measured.where(Goal.unit_id.in_(within))
    return _latest(tx, made, measured)


@dataclass(frozen=True)
class Stamp:
    """What each part of a board depends on; a part is built again only when its own stamp moves."""

    ideas: tuple[object, ...]
    goals: tuple[object, ...]
    campaigns: tuple[object, ...]
    competitions: tuple[object, ...]
    praise: tuple[object, ...]
    links: tuple[object, ...]


def _latest_privacy_change() -> list[Select[Any]]:
    """The latest privacy choice and how many were made at that moment (two in one clock tick)."""
    latest = select(func.max(Person.privacy_changed_at)).scalar_subquery()
    return [
        select(latest),
        select(func.count()).select_from(Person).where(Person.privacy_changed_at == latest),
    ]


_PRIVACY = _latest_privacy_change()
_PARTS: dict[str, list[Select[Any]]] = {
    # Votes pay points, but not when a vote is worth none: their own latest time counts too.
    "ideas": [
        select(func.max(Idea.id)),
        select(func.max(IdeaStatusChange.id)),
        select(func.max(IdeaEdit.id)),  # an author's edit changes a card's text
        select(func.max(Saving.id)),
        select(func.max(Vote.created_at)),
        *_PRIVACY,
    ],
    "goals": [
        select(func.max(Goal.id)),
        select(func.count()).select_from(GoalRemoval),
        select(func.max(GoalMeasurement.id)),
        select(func.max(GoalMeasurement.removed_at)),  # a measurement taken back moves the figures too
        select(func.max(Saving.id)),
        select(func.count()).select_from(GoalLink),
    ],
    "campaigns": [
        select(func.max(Campaign.id)),
        select(func.max(CampaignLog.id)),
        select(func.count()).select_from(Campaign).where(Campaign.state == "running"),
        # An undo removes a log that need not be the latest: the running campaigns' logs are counted.
        select(func.count(CampaignLog.id))
        .join(Campaign, Campaign.id == CampaignLog.campaign_id)
        .where(Campaign.state == "running"),
    ],
    "competitions": [
        select(func.max(LedgerEntry.id)),
        select(func.count()).select_from(Competition).where(Competition.state == "running"),
        select(func.max(UnitMove.id)),  # a unit's members are those of the period
        *_PRIVACY,
    ],
    "praise": [select(func.max(Praise.id)), *_PRIVACY],
    "links": [
        select(func.max(BoardLink.revoked_at)),
        select(func.count()).select_from(BoardLink).where(BoardLink.revoked_at.is_not(None)),
    ],
}
_STAMP = select(*(part.scalar_subquery() for parts in _PARTS.values() for part in parts))


def change_stamp(tx: Tx) -> Stamp:
    """Where every board's parts stand, in one statement of indexed maxima and small counts; the goals'
    part also moves with the local day (on track is judged against it), and so do the competitions'."""
    values = iter(tx.session.execute(_STAMP).one())
    found = {name: tuple(next(values) for _ in parts) for name, parts in _PARTS.items()}
    today = goals.local_today(tx)
    found["goals"] += (today,)
    # Someone who moved counts for each unit for their share of the time so far, which grows each day.
    found["competitions"] += (today,)
    return Stamp(**found)
