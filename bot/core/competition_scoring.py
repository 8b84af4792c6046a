"""Competition standings: points per head for units, points for people, the participation threshold, ties."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select

from bot.core import unit_history
from bot.core.models import Competition, CompetitionPrize, CompetitionUnit, LedgerEntry, Person, Unit
from bot.core.people import shown_name_column
from bot.core.points import CORRECTION_REASONS, EARNING_REASONS
from bot.core.units import subtree_ids
from bot.core.uow import Tx

CAMPAIGN_REASON = "campaign_action"
PEOPLE_SHOWN = 10  # places listed in a competition between people
ONE = Fraction(1)


@dataclass(frozen=True)
class Entry:
    """One unit or person: points, per-head score, members and how many of them took part."""

    name: str
    points: int
    score: Fraction  # points per head (units) or points (people)
    members: Fraction  # heads over the period: a person there for half of it counts one half
    participants: Fraction  # of those heads, the ones who earned a point in the unit
    qualifies: bool
    rank: int | None = None
    unit_id: int | None = None  # a person's unit now (competitions between people)


@dataclass(frozen=True)
class Standings:
    competition: Competition
    ranked: list[Entry]  # qualifying, best first
    not_qualifying: list[Entry]
    prizes: dict[int, str]
    last_day: date  # the competition's last day, in the organisation's time zone

    def to_payload(self, *, final: bool) -> dict[str, Any]:
        """The standings as a notice's data, rendered later in the reader's language."""
        competition = self.competition
        return {
            "id": competition.id,
            "name": competition.name,
            "mode": competition.mode,
            "threshold": competition.threshold,
            "last_day": self.last_day.isoformat(),
            "final": final,
            "places": _places(self.ranked),
            "not_qualifying": [
                {"name": entry.name, "participation": str(_percent(entry))} for entry in self.not_qualifying
            ],
            "prizes": {str(place): text for place, text in sorted(self.prizes.items())},
        }


def standings(tx: Tx, competition: Competition, people_shown: int | None = PEOPLE_SHOWN) -> Standings:
    """The standings now (or as they stood when the competition finished); between people, the first
    `people_shown` places (None: every place, for `within`)."""
    unit_ids = list(
        tx.session.scalars(
            select(CompetitionUnit.unit_id).where(CompetitionUnit.competition_id == competition.id)
        )
    )
    entries = (
        _units(tx, competition, unit_ids) if competition.mode == "units" else _people(tx, competition, unit_ids)
    )
    prizes = dict(
        tx.session.execute(
            select(CompetitionPrize.place, CompetitionPrize.text).where(
                CompetitionPrize.competition_id == competition.id
            )
        ).all()
    )
    qualifying = ranked(entry for entry in entries if entry.qualifies)
    others = sorted((entry for entry in entries if not entry.qualifies), key=lambda entry: entry.name)
    last_day = (competition.ends_at - timedelta(microseconds=1)).astimezone(tx.policy.timezone).date()
    found = Standings(competition, qualifying, others, prizes, last_day)
    return found if people_shown is None else first_places(found, people_shown)


def within(found: Standings, unit_ids: set[int]) -> Standings:
    """Standings between people as a unit's board shows them: only the people of `unit_ids`, each at
    their place in the whole competition, the first PEOPLE_SHOWN of them. Others' names are not the
    unit's to show; standings between units are shown whole."""
    if found.competition.mode != "people":
        return found
    own = [entry for entry in found.ranked if entry.unit_id in unit_ids]
    return replace(found, ranked=own[:PEOPLE_SHOWN], not_qualifying=[])


def first_places(found: Standings, places: int = PEOPLE_SHOWN) -> Standings:
    """Standings between people cut to their first `places` places; standings between units whole."""
    if found.competition.mode != "people":
        return found
    return replace(
        found, ranked=[entry for entry in found.ranked if entry.rank is not None and entry.rank <= places]
    )


def ranked(entries: Iterable[Entry]) -> list[Entry]:
    """Best first; equal scores share a rank and the next rank skips (1, 1, 3)."""
    ordered = sorted(entries, key=lambda entry: (-entry.score, entry.name))
    result: list[Entry] = []
    for position, entry in enumerate(ordered, start=1):
        tied = result and result[-1].score == entry.score
        rank = result[-1].rank if tied else position
        result.append(replace(entry, rank=rank))
    return result


def _scope(competition: Competition) -> ColumnElement[bool]:
    """The ledger rows a competition counts: earned (or taken back) in its window, of its campaign if any."""
    ended_early = competition.finished_at is not None and competition.finished_at < competition.ends_at
    window = and_(
        LedgerEntry.created_at >= competition.starts_at,
        # Ended by hand: what was earned up to that moment, that moment included.
        LedgerEntry.created_at <= competition.finished_at
        if ended_early and competition.finished_at is not None
        else LedgerEntry.created_at < competition.ends_at,
    )
    if competition.campaign_id is not None:
        return and_(
            window,
            LedgerEntry.reason.in_([CAMPAIGN_REASON, *CORRECTION_REASONS]),
            LedgerEntry.reference.startswith(f"campaign:{competition.campaign_id}:", autoescape=True),
        )
    return and_(window, LedgerEntry.reason.in_(sorted(EARNING_REASONS | CORRECTION_REASONS)))


def _points(tx: Tx, competition: Competition) -> list[tuple[int, int | None, int]]:
    """(person, unit at award time, points) for every person and unit the competition's rows name."""
    rows = tx.session.execute(
        select(LedgerEntry.person_id, LedgerEntry.unit_id, func.sum(LedgerEntry.amount))
        .where(_scope(competition))
        .group_by(LedgerEntry.person_id, LedgerEntry.unit_id)
    )
    return [(person, unit, int(points)) for person, unit, points in rows]


def _window(tx: Tx, competition: Competition) -> tuple[datetime, datetime]:
    """The time a competition's members are counted over: its period, up to now while it runs (standings
    as if it ended now), up to the moment it was ended by hand."""
    end = min(competition.ends_at, tx.now)
    if competition.finished_at is not None:
        end = min(competition.ends_at, competition.finished_at)
    return competition.starts_at, end


def _units(tx: Tx, competition: Competition, unit_ids: Sequence[int]) -> list[Entry]:
    """Each unit's points, counted by the unit a point was earned in (its sub-units' too), per head of
    the period: someone who moved counts for each unit for the share of the period they were in it, and
    took part there when they earned a point there."""
    owner: dict[int, int] = {}
    for unit_id in unit_ids:
        for below in subtree_ids(tx, unit_id):
            owner[below] = unit_id
    heads: dict[int, dict[int, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for person_id, spent in unit_history.shares(tx, *_window(tx, competition), owner).items():
        for member_of, share in spent.items():
            heads[owner[member_of]][person_id] += share
    points: dict[int, int] = defaultdict(int)
    earned: dict[tuple[int, int], int] = defaultdict(int)
    for person_id, earned_in, amount in _points(tx, competition):
        counted_for = owner.get(earned_in) if earned_in is not None else None
        if counted_for is not None:
            points[counted_for] += amount
            earned[(counted_for, person_id)] += amount
    names = dict(tx.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(unit_ids)))).all())
    entries = []
    for unit_id in unit_ids:
        count = sum(heads[unit_id].values(), Fraction(0))
        took_part = sum(
            (share for person_id, share in heads[unit_id].items() if earned[(unit_id, person_id)] >= 1),
            Fraction(0),
        )
        entries.append(
            Entry(
                name=names[unit_id],
                points=points[unit_id],
                score=Fraction(points[unit_id]) / count if count else Fraction(0),
                members=count,
                participants=took_part,
                qualifies=count > 0 and took_part * 100 >= competition.threshold * count,
            )
        )
    return entries


def _people(tx: Tx, competition: Competition, unit_ids: Sequence[int]) -> list[Entry]:
    """Each person's points; with units taking part, only those earned while in one of them."""
    taking_part = {below for unit in unit_ids for below in subtree_ids(tx, unit)}
    totals: dict[int, int] = defaultdict(int)
    for person_id, earned_in, amount in _points(tx, competition):
        if not taking_part or earned_in in taking_part:
            totals[person_id] += amount
    statement = select(Person.id, shown_name_column(), Person.unit_id).where(
        Person.id.in_([p for p, n in totals.items() if n > 0])
    )
    return [
        Entry(name, totals[person_id], Fraction(totals[person_id]), ONE, ONE, qualifies=True, unit_id=unit_id)
        for person_id, name, unit_id in tx.session.execute(statement)
    ]


def _places(entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """Entries sharing a rank as one place: its rank, names, exact score (as num/den) and points."""
    places: list[dict[str, Any]] = []
    for entry in entries:
        if places and places[-1]["rank"] == entry.rank:
            places[-1]["names"].append(entry.name)
            continue
        places.append(
            {
                "rank": entry.rank,
                "names": [entry.name],
                "score": f"{entry.score.numerator}/{entry.score.denominator}",
                "points": entry.points,
            }
        )
    return places


def _percent(entry: Entry) -> int:
    """Participation in whole percent, rounded down: 49.9 % is shown as 49 %, below a threshold of 50."""
    return int(entry.participants * 100 // entry.members) if entry.members else 0
