"""Campaigns: who may start one, states as conditional writes, actions logged within a daily cap, results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update

from bot.core import schedule
from bot.core.authority import covered_units, covers
from bot.core.caps import room_left
from bot.core.errors import DomainError
from bot.core.ideas import clean_area, clean_text
from bot.core.models import (
    Campaign,
    CampaignAction,
    CampaignLog,
    CampaignUnit,
    LedgerEntry,
    Person,
    Unit,
)
from bot.core.outbox import post_for_unit, post_in
from bot.core.people import REVIEWER_ROLES, is_reviewer, require_role, shown_name_column
from bot.core.points import award
from bot.core.quantities import SavingAmount
from bot.core.statements import insert_if_new
from bot.core.units import channels_for, subtree_ids
from bot.core.uow import Tx

START_KIND = "campaign_start"
REMINDER_KIND = "campaign_reminder"
END_KIND = "campaign_end"
UNDO_REASON = "campaign_undo"
KINDS = (START_KIND, REMINDER_KIND, END_KIND)
OPEN_STATES = ("planned", "running")
MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2000
MAX_ACTIONS = 8  # one button each under the kick-off post
MAX_ACTION_NAME_LENGTH = 80
MAX_POINTS = 1000
MAX_DAILY_CAP = 50
TOP_PLACES = 3


@dataclass(frozen=True)
class ActionPlan:
    """An action as its campaign is being made: names by locale, points, cap and impact per time."""

    names: dict[str, str]
    points: int
    daily_cap: int
    impact: SavingAmount | None = None


@dataclass(frozen=True)
class Timing:
    """When a campaign's posts fire: the rules as the schedule stores them, made by the caller."""

    start_rule: dict[str, Any]
    end_rule: dict[str, Any]
    reminder_rule: dict[str, Any] | None = None
    first_reminder: datetime | None = None


@dataclass(frozen=True)
class CampaignPlan:
    name: str
    description: str
    starts_at: datetime
    ends_at: datetime
    actions: Sequence[ActionPlan]
    area: str | None = None
    unit_ids: Sequence[int] = ()
    reminder_cron: str | None = None
    template: str | None = None


@dataclass(frozen=True)
class Logged:
    campaign: Campaign
    action: CampaignAction
    today: int  # times logged today, this one included
    points: int


@dataclass(frozen=True)
class ActionTotal:
    action: CampaignAction
    count: int
    points: int


@dataclass(frozen=True)
class Placing:
    rank: int
    name: str
    points: int


@dataclass(frozen=True)
class Results:
    campaign: Campaign
    totals: list[ActionTotal]
    impact: dict[str, Decimal]
    participants: int
    members: int
    top: list[Placing] = field(default_factory=list)


def create(tx: Tx, person: Person, plan: CampaignPlan, timing: Timing) -> Campaign:
    """Make a planned campaign and put its kick-off, reminders and end on the schedule."""
    require_role(person, REVIEWER_ROLES)
    check_units(tx, person, plan.unit_ids)
    if plan.ends_at <= plan.starts_at:
        raise DomainError("A campaign must end after it starts.")
    if plan.ends_at <= tx.now:
        raise DomainError("That campaign would be over already. Pick dates ahead.")
    check_actions(plan.actions)
    campaign = Campaign(
        name=clean_text(plan.name, MAX_NAME_LENGTH, "Give the campaign a name."),
        description=clean_text(
            plan.description, MAX_DESCRIPTION_LENGTH, "Describe the campaign in a sentence."
        ),
        area=clean_area(plan.area) if plan.area else None,
        template=plan.template,
        state="planned",
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        reminder_cron=plan.reminder_cron,
        created_by_id=person.id,
        created_at=tx.now,
    )
    tx.session.add(campaign)
    tx.session.flush()
    tx.session.add_all(
        CampaignUnit(campaign_id=campaign.id, unit_id=unit) for unit in dict.fromkeys(plan.unit_ids)
    )
    tx.session.add_all(
        CampaignAction(
            campaign_id=campaign.id,
            position=position,
            names=action.names,
            points=action.points,
            daily_cap=action.daily_cap,
            impact_amount=action.impact.amount if action.impact else None,
            impact_unit=action.impact.unit if action.impact else None,
        )
        for position, action in enumerate(plan.actions, start=1)
    )
    tx.session.flush()
    _schedule(tx, campaign, person, plan, timing)
    return campaign


def same_running(tx: Tx, plan: CampaignPlan) -> Campaign | None:
    """A planned or running campaign from the same template, for the same units, on overlapping days:
    what a second one would most likely duplicate."""
    if plan.template is None:
        return None
    wanted = sorted(set(plan.unit_ids))
    candidates = tx.session.scalars(
        select(Campaign)
        .where(
            Campaign.template == plan.template,
            Campaign.state.in_(OPEN_STATES),
            Campaign.starts_at < plan.ends_at,
            Campaign.ends_at > plan.starts_at,
        )
        .order_by(Campaign.starts_at, Campaign.id)
    )
    return next((found for found in candidates if unit_ids_of(tx, found.id) == wanted), None)


def _schedule(tx: Tx, campaign: Campaign, person: Person, plan: CampaignPlan, timing: Timing) -> None:
    unit = plan.unit_ids[0] if len(plan.unit_ids) == 1 else None
    rows = [(START_KIND, timing.start_rule, plan.starts_at), (END_KIND, timing.end_rule, plan.ends_at)]
    if (
        timing.reminder_rule is not None
        and timing.first_reminder is not None
        and timing.first_reminder < plan.ends_at
    ):
        rows.append((REMINDER_KIND, timing.reminder_rule, timing.first_reminder))
    for kind, rule, due_at in rows:
        schedule.add(tx, kind, rule, due_at, ref_id=campaign.id, owner_id=person.id, unit_id=unit)


def check_units(tx: Tx, person: Person, unit_ids: Sequence[int]) -> None:
    covered = covered_units(tx, person)
    if not unit_ids and covered is not None:
        raise DomainError("A campaign for everyone is for admins. Name the units taking part.")
    for unit_id in unit_ids:
        if not covers(covered, unit_id):
            raise DomainError(
                "{unit} is outside the units you look after.", unit=tx.session.get_one(Unit, unit_id).name
            )


def check_actions(actions: Sequence[ActionPlan]) -> None:
    if not actions:
        raise DomainError("A campaign needs at least one action, e.g. “cycled to work: 10, 1”.")
    if len(actions) > MAX_ACTIONS:
        raise DomainError("A campaign can have at most {count} actions.", count=MAX_ACTIONS)
    for action in actions:
        if not all(name.strip() for name in action.names.values()) or not action.names:
            raise DomainError("Give each action a name, e.g. “cycled to work: 10, 1”.")
        if any(len(name) > MAX_ACTION_NAME_LENGTH for name in action.names.values()):
            raise DomainError(
                "An action's name can be at most {limit} characters.", limit=MAX_ACTION_NAME_LENGTH
            )
        if not 1 <= action.points <= MAX_POINTS:
            raise DomainError("An action is worth 1 to {most} points.", most=MAX_POINTS)
        if not 1 <= action.daily_cap <= MAX_DAILY_CAP:
            raise DomainError("An action may be logged 1 to {most} times a day.", most=MAX_DAILY_CAP)


def get(tx: Tx, campaign_id: int) -> Campaign:
    campaign = tx.session.get(Campaign, campaign_id)
    if campaign is None:
        raise DomainError("There is no campaign #{id}.", id=campaign_id)
    return campaign


def actions_of(tx: Tx, campaign_id: int) -> list[CampaignAction]:
    return list(
        tx.session.scalars(
            select(CampaignAction)
            .where(CampaignAction.campaign_id == campaign_id)
            .order_by(CampaignAction.position)
        )
    )


def unit_ids_of(tx: Tx, campaign_id: int) -> list[int]:
    return list(
        tx.session.scalars(
            select(CampaignUnit.unit_id)
            .where(CampaignUnit.campaign_id == campaign_id)
            .order_by(CampaignUnit.unit_id)
        )
    )


def unit_names_of(tx: Tx, campaign_id: int) -> list[str]:
    return list(
        tx.session.scalars(
            select(Unit.name)
            .join(CampaignUnit, CampaignUnit.unit_id == Unit.id)
            .where(CampaignUnit.campaign_id == campaign_id)
            .order_by(Unit.name_key)
        )
    )


def start(tx: Tx, campaign_id: int) -> Campaign | None:
    """planned → running; None when it was not planned any more (cancelled meanwhile)."""
    return _move(tx, campaign_id, ("planned",), "running")


def finish(tx: Tx, campaign_id: int) -> Campaign | None:
    """running → finished; None when it was not running (cancelled before its end)."""
    campaign = _move(tx, campaign_id, ("running",), "finished")
    if campaign is not None:
        schedule.cancel_for(tx, REMINDER_KIND, campaign_id)
    return campaign


def end_early(tx: Tx, person: Person, campaign_id: int) -> Campaign:
    """running → finished now, by whoever may cancel it; its scheduled posts are taken off (the caller
    posts the results). A planned one is called off instead."""
    campaign = get(tx, campaign_id)
    if not may_manage(tx, person, campaign):
        raise DomainError("Campaign #{id} is not yours to end.", id=campaign_id)
    if campaign.state == "planned":
        raise DomainError(
            "Campaign #{id} has not started yet. Call it off instead: /campaign cancel {id}", id=campaign_id
        )
    moved = _move(tx, campaign_id, ("running",), "finished", person)
    if moved is None:
        raise DomainError("Campaign #{id} is over already.", id=campaign_id)
    for kind in KINDS:
        schedule.cancel_for(tx, kind, campaign_id)
    return moved


def ended_early(campaign: Campaign) -> bool:
    """Finished by someone's hand before its end (the schedule's finish names nobody)."""
    return campaign.state == "finished" and campaign.changed_by_id is not None


def cancel(tx: Tx, person: Person, campaign_id: int) -> Campaign:
    """Call a planned or running campaign off: its creator, or a reviewer covering all its units."""
    campaign = get(tx, campaign_id)
    if not may_manage(tx, person, campaign):
        raise DomainError("Campaign #{id} is not yours to cancel.", id=campaign_id)
    moved = _move(tx, campaign_id, OPEN_STATES, "cancelled", person)
    if moved is None:
        raise DomainError("Campaign #{id} is over already.", id=campaign_id)
    for kind in KINDS:
        schedule.cancel_for(tx, kind, campaign_id)
    return moved


def may_manage(tx: Tx, person: Person, campaign: Campaign) -> bool:
    if campaign.created_by_id == person.id:
        return True
    if not is_reviewer(person):
        return False
    covered = covered_units(tx, person)
    units = unit_ids_of(tx, campaign.id)
    return covered is None or (bool(units) and all(covers(covered, unit) for unit in units))


def _move(
    tx: Tx, campaign_id: int, from_states: Sequence[str], to: str, person: Person | None = None
) -> Campaign | None:
    """The conditional write every state change is: exactly one of two at once changes the row."""
    changes: dict[str, Any] = {"state": to}
    if person is not None:
        changes.update(changed_by_id=person.id, changed_at=tx.now)
    moved = tx.session.scalar(
        update(Campaign)
        .where(Campaign.id == campaign_id, Campaign.state.in_(list(from_states)))
        .values(**changes)
        .returning(Campaign.id),
        execution_options={"synchronize_session": False},
    )
    if moved is None:
        return None
    return tx.session.get_one(Campaign, campaign_id, populate_existing=True)


def local_day(tx: Tx, moment: datetime | None = None) -> date:
    return (moment or tx.now).astimezone(tx.policy.timezone).date()


def last_day(tx: Tx, campaign: Campaign) -> date:
    """The campaign's last local day (it ends as the next day begins)."""
    return local_day(tx, campaign.ends_at - timedelta(microseconds=1))


def takes_part(tx: Tx, person: Person, campaign_id: int) -> bool:
    """Members of the taking-part units and the units below them; everyone when no unit is named."""
    units = unit_ids_of(tx, campaign_id)
    if not units:
        return True
    return person.unit_id is not None and any(person.unit_id in subtree_ids(tx, unit) for unit in units)


def log_action(tx: Tx, person: Person, campaign_id: int, action_id: int, locale: str = "en") -> Logged:
    """Log one action: while the campaign runs, for someone taking part, within the day's cap; paid
    through the ledger under a key naming the day and the count, so nothing pays twice. `locale` names
    the action in a refusal."""
    campaign = get(tx, campaign_id)
    action = tx.session.get(CampaignAction, action_id)
    if action is None or action.campaign_id != campaign_id:
        raise DomainError("Campaign #{id} has no such action.", id=campaign_id)
    _check_running(tx, campaign)
    if not takes_part(tx, person, campaign_id):
        raise DomainError("{name} is for other units than yours.", name=campaign.name)
    day = local_day(tx)
    left = room_left(tx, person, action.daily_cap, lambda: count_today(tx, person, action.id, day))
    if not left:
        raise _cap_reached(action, locale)
    n = next_slot(tx, person, action, day)
    row = {
        "campaign_id": campaign_id,
        "action_id": action.id,
        "person_id": person.id,
        "day": day,
        "n": n,
        "points": action.points,
        "created_at": tx.now,
    }
    if not insert_if_new(tx.session, CampaignLog.__table__, row):
        raise _cap_reached(action, locale)
    award(tx, person, "campaign_action", slot_reference(campaign_id, action.id, day, n), action.points)
    return Logged(campaign, action, action.daily_cap - left + 1, action.points)


def slot_reference(campaign_id: int, action_id: int, day: date, n: int) -> str:
    """The ledger's key for the `n`-th time an action was logged on `day` (and for taking it back)."""
    return f"campaign:{campaign_id}:{action_id}:{day.isoformat()}:{n}"


def next_slot(tx: Tx, person: Person, action: CampaignAction, day: date) -> int:
    """The next number for the day's log of `action`: after the ones kept and the ones undone, so a
    log after an undo is paid under a key of its own."""
    undone = tx.session.scalar(
        select(func.count()).where(
            LedgerEntry.person_id == person.id,
            LedgerEntry.reason == UNDO_REASON,
            LedgerEntry.reference.startswith(
                f"campaign:{action.campaign_id}:{action.id}:{day.isoformat()}:", autoescape=True
            ),
        )
    )
    return count_today(tx, person, action.id, day) + int(undone or 0) + 1


def _cap_reached(action: CampaignAction, locale: str) -> DomainError:
    names = action.names
    return DomainError(
        "You have reached today's limit for {action} ({count} a day). More tomorrow!",
        action=str(names.get(locale) or names.get("en") or next(iter(names.values()))),
        count=action.daily_cap,
    )


def _check_running(tx: Tx, campaign: Campaign) -> None:
    if campaign.state == "planned" or tx.now < campaign.starts_at:
        raise DomainError("{name} has not started yet.", name=campaign.name)
    if campaign.state != "running" or tx.now >= campaign.ends_at:
        raise DomainError("{name} is over.", name=campaign.name)


def count_today(tx: Tx, person: Person, action_id: int, day: date) -> int:
    return int(
        tx.session.scalar(
            select(func.count()).where(
                CampaignLog.action_id == action_id, CampaignLog.person_id == person.id, CampaignLog.day == day
            )
        )
        or 0
    )


def counts_today(tx: Tx, person: Person, campaign_id: int) -> dict[int, int]:
    """How many times `person` logged each action of the campaign today."""
    rows = tx.session.execute(
        select(CampaignLog.action_id, func.count())
        .where(
            CampaignLog.campaign_id == campaign_id,
            CampaignLog.person_id == person.id,
            CampaignLog.day == local_day(tx),
        )
        .group_by(CampaignLog.action_id)
    )
    return {action: int(count) for action, count in rows}


def running_for(tx: Tx, person: Person) -> list[Campaign]:
    """The running campaigns `person` takes part in, oldest first."""
    running = tx.session.scalars(
        select(Campaign).where(Campaign.state == "running").order_by(Campaign.starts_at, Campaign.id)
    )
    return [campaign for campaign in running if takes_part(tx, person, campaign.id)]


def next_planned_for(tx: Tx, person: Person) -> Campaign | None:
    """The planned campaign `person` takes part in that starts soonest, if any."""
    planned = tx.session.scalars(
        select(Campaign).where(Campaign.state == "planned").order_by(Campaign.starts_at, Campaign.id)
    )
    return next((campaign for campaign in planned if takes_part(tx, person, campaign.id)), None)


def listing(tx: Tx, limit: int = 20) -> tuple[list[Campaign], list[Campaign]]:
    """Running and planned campaigns (soonest first), and the latest past ones."""
    current = tx.session.scalars(
        select(Campaign)
        .where(Campaign.state.in_(OPEN_STATES))
        .order_by(Campaign.starts_at, Campaign.id)
        .limit(limit)
    ).all()
    past = tx.session.scalars(
        select(Campaign)
        .where(Campaign.state.in_(("finished", "cancelled")))
        .order_by(Campaign.ends_at.desc(), Campaign.id.desc())
        .limit(limit)
    ).all()
    return list(current), list(past)


def results(tx: Tx, campaign_id: int) -> Results:
    """Totals per action, impact per unit, participation and the top places (ties share a place)."""
    campaign = get(tx, campaign_id)
    actions = actions_of(tx, campaign_id)
    per_action = dict(
        tx.session.execute(
            select(CampaignLog.action_id, func.count())
            .where(CampaignLog.campaign_id == campaign_id)
            .group_by(CampaignLog.action_id)
        ).all()
    )
    totals = [
        ActionTotal(a, int(per_action.get(a.id, 0)), int(per_action.get(a.id, 0)) * a.points) for a in actions
    ]
    impact: dict[str, Decimal] = {}
    for total in totals:
        if total.action.impact_amount is not None and total.action.impact_unit and total.count:
            unit = total.action.impact_unit
            impact[unit] = impact.get(unit, Decimal(0)) + total.action.impact_amount * total.count
    return Results(
        campaign=campaign,
        totals=totals,
        impact=impact,
        participants=_participants(tx, campaign_id),
        members=members_count(tx, campaign_id),
        top=_top(tx, campaign_id),
    )


def _participants(tx: Tx, campaign_id: int) -> int:
    return int(
        tx.session.scalar(
            select(func.count(func.distinct(CampaignLog.person_id))).where(
                CampaignLog.campaign_id == campaign_id
            )
        )
        or 0
    )


def members_count(tx: Tx, campaign_id: int) -> int:
    """How many people the campaign is for: members of its units (and below), or everyone."""
    units = unit_ids_of(tx, campaign_id)
    statement = select(func.count()).select_from(Person)
    if units:
        within = {unit for root in units for unit in subtree_ids(tx, root)}
        statement = statement.where(Person.unit_id.in_(within))
    return int(tx.session.scalar(statement) or 0)


def _top(tx: Tx, campaign_id: int) -> list[Placing]:
    """Everyone within the first TOP_PLACES places; people with equal points share a place."""
    rows = tx.session.execute(
        select(shown_name_column(), func.sum(CampaignLog.points).label("points"))
        .join(Person, Person.id == CampaignLog.person_id)
        .where(CampaignLog.campaign_id == campaign_id)
        .group_by(Person.id, Person.display_name, Person.hidden)
        .order_by(func.sum(CampaignLog.points).desc(), Person.display_name)
    ).all()
    placings: list[Placing] = []
    for index, (name, points) in enumerate(rows):
        rank = placings[-1].rank if placings and placings[-1].points == points else index + 1
        if rank > TOP_PLACES:
            break
        placings.append(Placing(rank, name, int(points)))
    return placings


def post(tx: Tx, campaign_id: int, kind: str, payload: dict[str, Any]) -> int:
    """A post in the taking-part units' channels (each channel once), else the announcement channels."""
    channels: dict[tuple[str, str], None] = {}
    for unit in unit_ids_of(tx, campaign_id):
        channels.update(dict.fromkeys(channels_for(tx, unit)))
    if not channels:
        return post_for_unit(tx, None, kind, payload)
    return post_in(tx, list(channels), kind, payload)


def logged_so_far(tx: Tx, campaign_id: int) -> tuple[int, int]:
    """How many actions were logged, by how many people."""
    row = tx.session.execute(
        select(func.count(), func.count(func.distinct(CampaignLog.person_id))).where(
            CampaignLog.campaign_id == campaign_id
        )
    ).one()
    return int(row[0]), int(row[1])


def by_ids(tx: Tx, campaign_ids: Sequence[int]) -> dict[int, Campaign]:
    if not campaign_ids:
        return {}
    return {c.id: c for c in tx.session.scalars(select(Campaign).where(Campaign.id.in_(list(campaign_ids))))}
