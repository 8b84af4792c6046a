"""Competitions between units or people: who may set one up, prizes, and the one way it ends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from bot.core import schedule
from bot.core.authority import covered_units, covers
from bot.core.competition_scoring import Standings, standings
from bot.core.errors import DomainError
from bot.core.models import (
    Competition,
    CompetitionPrize,
    CompetitionUnit,
    Person,
    ScheduledItem,
    Unit,
    table_of,
)
from bot.core.outbox import post_for_unit, post_in
from bot.core.people import is_reviewer
from bot.core.text import printable
from bot.core.units import channels_for, subtree_ids
from bot.core.uow import Tx

MODES = ("units", "people")
STANDINGS_CHOICES = ("weekly", "daily", "none")
STANDINGS_KIND = "competition_standings"  # schedule kinds
END_KIND = "competition_end"
STANDINGS_NOTICE = "competition_standings"  # outbox notice kinds
FINAL_NOTICE = "competition_final"
DEFAULT_THRESHOLD = 50
MAX_NAME_LENGTH = 120
MAX_PRIZE_LENGTH = 200
MAX_PLACE = 10
FINISHED_SHOWN = 10
_COMPETITIONS = table_of(Competition)


@dataclass(frozen=True)
class Plan:
    """What a manager asked for; `unit_ids` empty in people mode means the units they cover."""

    name: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    unit_ids: Sequence[int] = ()
    campaign_id: int | None = None
    threshold: int = DEFAULT_THRESHOLD
    standings: str = "weekly"
    prize: str | None = None


def create(tx: Tx, person: Person, plan: Plan) -> Competition:
    """Set up a competition; refused for members, bad dates or thresholds, and units beyond one's reach."""
    if not is_reviewer(person):
        raise DomainError("Competitions are set up by managers, representatives and admins.")
    name = " ".join(printable(plan.name).split())
    if not name:
        raise DomainError("Give the competition a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError("A competition's name can be at most {limit} characters.", limit=MAX_NAME_LENGTH)
    if plan.mode not in MODES or plan.standings not in STANDINGS_CHOICES:
        raise ValueError(f"unknown mode {plan.mode!r} or standings {plan.standings!r}")
    if plan.ends_at <= plan.starts_at:
        raise DomainError("A competition must end after it starts.")
    if plan.ends_at <= tx.now:
        raise DomainError("That competition would be over already; pick an end date ahead.")
    if not 0 <= plan.threshold <= 100:
        raise DomainError("The participation threshold is a percentage from 0 to 100.")
    unit_ids = _taking_part(tx, person, plan)
    competition = Competition(
        name=name,
        mode=plan.mode,
        campaign_id=plan.campaign_id,
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        threshold=plan.threshold,
        standings=plan.standings,
        state="running",
        created_by_id=person.id,
        created_at=tx.now,
    )
    tx.session.add(competition)
    tx.session.flush()
    tx.session.add_all(CompetitionUnit(competition_id=competition.id, unit_id=unit) for unit in unit_ids)
    if plan.prize is not None:
        tx.session.add(CompetitionPrize(competition_id=competition.id, place=1, text=_prize_text(plan.prize)))
    tx.session.flush()
    return competition


def same_running(tx: Tx, person: Person, plan: Plan) -> Competition | None:
    """A running competition of the same mode and campaign, between the same units, on overlapping
    days: what this one would most likely duplicate (the units are checked as `create` checks them)."""
    if not is_reviewer(person):
        return None  # `create` refuses them
    wanted = sorted(_taking_part(tx, person, plan))
    candidates = tx.session.scalars(
        select(Competition)
        .where(
            Competition.state == "running",
            Competition.mode == plan.mode,
            Competition.campaign_id.is_(None)
            if plan.campaign_id is None
            else Competition.campaign_id == plan.campaign_id,
            Competition.starts_at < plan.ends_at,
            Competition.ends_at > plan.starts_at,
        )
        .order_by(Competition.starts_at, Competition.id)
    )
    return next((found for found in candidates if unit_ids_of(tx, found) == wanted), None)


def _taking_part(tx: Tx, person: Person, plan: Plan) -> list[int]:
    """The units a competition is between (or whose people take part), checked against one's reach."""
    unit_ids = list(dict.fromkeys(plan.unit_ids))
    covered = covered_units(tx, person)
    if plan.mode == "units" and len(unit_ids) < 2:
        raise DomainError("A competition between units needs at least two units.")
    if plan.mode == "people" and not unit_ids and covered is not None:
        if person.unit_id is None:
            raise DomainError("Name the units whose people take part.")
        unit_ids = [person.unit_id]
    for unit_id in unit_ids:
        if not covers(covered, unit_id):
            raise DomainError("{unit} is outside the units you look after.", unit=unit_name(tx, unit_id))
    for unit_id in unit_ids:
        inside = [other for other in unit_ids if other != unit_id and other in subtree_ids(tx, unit_id)]
        if inside:
            raise DomainError(
                "{unit} is part of {parent}; the units taking part must not contain one another.",
                unit=unit_name(tx, inside[0]),
                parent=unit_name(tx, unit_id),
            )
    return unit_ids


def unit_name(tx: Tx, unit_id: int) -> str:
    return tx.session.get_one(Unit, unit_id).name


def _prize_text(text: str) -> str:
    prize = " ".join(printable(text).split())
    if not prize:
        raise DomainError("Say what the prize is, e.g. “Breakfast for the team”.")
    if len(prize) > MAX_PRIZE_LENGTH:
        raise DomainError("A prize can be at most {limit} characters.", limit=MAX_PRIZE_LENGTH)
    return prize


def get(tx: Tx, competition_id: int) -> Competition:
    competition = tx.session.get(Competition, competition_id)
    if competition is None:
        raise DomainError("There is no competition #{id}.", id=competition_id)
    return competition


def unit_ids_of(tx: Tx, competition: Competition) -> list[int]:
    return list(
        tx.session.scalars(
            select(CompetitionUnit.unit_id)
            .where(CompetitionUnit.competition_id == competition.id)
            .order_by(CompetitionUnit.unit_id)
        )
    )


def _require_manager(tx: Tx, person: Person, competition: Competition) -> None:
    """Its creator, or a reviewer who looks after every unit in it, may name prizes and end it."""
    if is_reviewer(person):
        if competition.created_by_id == person.id:
            return
        covered = covered_units(tx, person)
        unit_ids = unit_ids_of(tx, competition)
        if covered is None or (unit_ids and all(covers(covered, unit) for unit in unit_ids)):
            return
    raise DomainError("Competition #{id} is not yours to manage.", id=competition.id)


def name_prize(tx: Tx, person: Person, competition_id: int, place: int, text: str) -> Competition:
    """Name (or rename) what a place wins, while the competition runs."""
    competition = get(tx, competition_id)
    _require_manager(tx, person, competition)
    if competition.state != "running":
        raise DomainError("Competition #{id} has ended already.", id=competition.id)
    if not 1 <= place <= MAX_PLACE:
        raise DomainError("Prizes are for places 1 to {limit}.", limit=MAX_PLACE)
    prize = _prize_text(text)
    existing = tx.session.get(CompetitionPrize, (competition.id, place))
    if existing is None:
        tx.session.add(CompetitionPrize(competition_id=competition.id, place=place, text=prize))
    else:
        existing.text = prize
    tx.session.flush()
    return competition


def end(tx: Tx, person: Person, competition_id: int) -> Standings:
    """End a competition now by hand: the final standings are posted once, whoever ends it first."""
    competition = get(tx, competition_id)
    _require_manager(tx, person, competition)
    final = finish(tx, competition, person)
    if final is None:
        raise DomainError("Competition #{id} has ended already.", id=competition.id)
    return final


def finish(tx: Tx, competition: Competition, by: Person | None) -> Standings | None:
    """Finish a running competition and post its final standings; None if it was finished already.

    The competition row is the one thing a manual end and the end firing both wait for: the state
    moves by a conditional write, so whichever commits second finds it finished and posts nothing.
    Schedule rows are cancelled only when free (a tick holding one settles or cancels it itself),
    so neither waits for the other's rows and they cannot deadlock. The end firing (`by` None)
    leaves its own row to the tick to settle as done.
    """
    finished_at = min(tx.now, competition.ends_at)
    result = tx.session.execute(
        update(_COMPETITIONS)
        .where(_COMPETITIONS.c.id == competition.id, _COMPETITIONS.c.state == "running")
        .values(state="finished", finished_at=finished_at, finished_by_id=by.id if by else None)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    _cancel_free_rows(tx, competition.id, [STANDINGS_KIND] if by is None else [STANDINGS_KIND, END_KIND])
    tx.session.refresh(competition)
    final = standings(tx, competition)
    post(tx, competition, FINAL_NOTICE, final, final=True)
    return final


def _cancel_free_rows(tx: Tx, competition_id: int, kinds: Sequence[str]) -> None:
    """Cancel the competition's active schedule rows that no tick is firing right now."""
    statement = select(ScheduledItem.id).where(
        ScheduledItem.kind.in_(list(kinds)),
        ScheduledItem.ref_id == competition_id,
        ScheduledItem.state == schedule.ACTIVE,
    )
    if tx.dialect == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    for item_id in list(tx.session.scalars(statement)):
        schedule.cancel(tx, item_id)


def post(tx: Tx, competition: Competition, kind: str, found: Standings, *, final: bool) -> int:
    """Post standings in the channels of the units taking part, else the announcement channels."""
    payload = found.to_payload(final=final)
    channels = list(
        dict.fromkeys(channel for unit in unit_ids_of(tx, competition) for channel in channels_for(tx, unit))
    )
    return post_in(tx, channels, kind, payload) if channels else post_for_unit(tx, None, kind, payload)


def post_standings(tx: Tx, competition_id: int, item_id: int, fired_for: datetime) -> bool:
    """The scheduled standings of a competition still running. Once it is over, the standings row
    (`item_id`, held by the firing tick) cancels itself and nothing is posted: False."""
    competition = tx.session.get(Competition, competition_id)
    if competition is None or competition.state != "running" or fired_for >= competition.ends_at:
        schedule.cancel(tx, item_id)
        return False
    post(tx, competition, STANDINGS_NOTICE, standings(tx, competition), final=False)
    return True


def finish_due(tx: Tx, competition_id: int) -> bool:
    """The end firing: finish the competition unless someone ended it first (whose end may have passed
    over a standings row this tick holds: cancelled here)."""
    competition = tx.session.get(Competition, competition_id)
    if competition is None:
        return False
    if finish(tx, competition, None) is None:
        _cancel_free_rows(tx, competition.id, [STANDINGS_KIND])
        return False
    return True


def listing(tx: Tx) -> tuple[list[Competition], list[Competition]]:
    """The running competitions, and the latest finished ones."""
    running = tx.session.scalars(
        select(Competition).where(Competition.state == "running").order_by(Competition.ends_at, Competition.id)
    ).all()
    finished = tx.session.scalars(
        select(Competition)
        .where(Competition.state == "finished")
        .order_by(Competition.finished_at.desc(), Competition.id.desc())
        .limit(FINISHED_SHOWN)
    ).all()
    return list(running), list(finished)
