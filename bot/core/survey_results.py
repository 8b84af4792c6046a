"""Survey results: a score per category for a unit or the organisation, and the materiality ranking.

Only aggregates leave this module, and never one drawn from fewer than MIN_PEOPLE people: a unit's
(or a category's) score from one or two people would tell their answers to whoever reads it.

Score: the mean of the 1–5 answers to a category's statements (skips left out); shown also as a
share of the best, mean / 5. Interest: the mean of the answers to "how important is this area to
you?". Materiality (step 3 of the roadmap) ranks the categories by

    priority = interest × (5 − score)

so an area people care about (high interest) where things are not yet in good shape (low score)
comes first; 0 means the area already scores 5, or nobody could be asked. Priorities are compared
exactly (as fractions), and equal ones share a rank. The proposal, the 3–5 focus areas to set
SMART goals for: the three highest; the fourth and fifth too when they come within a quarter of
the third (close enough that choosing is the team's call, not the formula's); every area tied with
the last one proposed (a tie is never broken by chance, so a tie may propose more than five); never
an area with priority 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, select

from bot.core.authority import covered_units, covers, require_covered
from bot.core.errors import DomainError
from bot.core.models import Person, Survey, SurveyAnswer, SurveyItem, Unit
from bot.core.people import is_reviewer
from bot.core.units import subtree_ids
from bot.core.uow import Tx

MIN_PEOPLE = 3
BEST = 5
FOCUS_AREAS = (3, 5)  # at least, at most (a tie may ask for more)
CLOSE_BEHIND = Fraction(3, 4)  # a fourth or fifth area at least this share of the third's priority


@dataclass(frozen=True)
class Mean:
    """The mean of `count` answers totalling `total`, from `people` people; None below the floor."""

    total: int = 0
    count: int = 0
    people: int = 0

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.total, self.count) if self.count and self.people >= MIN_PEOPLE else None


@dataclass(frozen=True)
class CategoryScore:
    category: str
    score: Mean
    interest: Mean


@dataclass(frozen=True)
class ScopeScores:
    """A unit's (or the organisation's) scores: how many people answered, each category in order."""

    people: int
    categories: list[CategoryScore]

    @property
    def too_few(self) -> bool:
        return self.people < MIN_PEOPLE


@dataclass(frozen=True)
class Ranked:
    category: str
    score: Fraction
    interest: Fraction
    priority: Fraction
    rank: int
    tied: bool
    proposed: bool


def require_reader(person: Person) -> None:
    if not is_reviewer(person):
        raise DomainError("Survey results are for managers, representatives and admins.")


@dataclass(frozen=True)
class Section:
    """One scope of /survey results: the organisation (name None), or a unit with every unit below it."""

    name: str | None
    with_units_below: bool  # the unit has units nested below it, whose answers its figures include
    scores: ScopeScores


def scores_for(tx: Tx, person: Person, survey: Survey, unit: Unit | None) -> ScopeScores:
    """The organisation's scores, or a unit's with every unit below it (one the reader looks after)."""
    return _section(tx, person, survey, unit).scores


def sections(tx: Tx, person: Person, survey: Survey, unit: Unit | None) -> list[Section]:
    """What /survey results shows: the named unit alone; else the organisation, then each unit people
    answered from that the reader looks after. A unit's figures are the same either way: its own
    answers and those of every unit below it."""
    if unit is not None:
        return [_section(tx, person, survey, unit)]
    require_reader(person)
    covered = covered_units(tx, person)
    units = [
        found
        for unit_id in units_answered_in(tx, survey)
        if covers(covered, unit_id) and (found := tx.session.get(Unit, unit_id)) is not None
    ]
    found_sections = [_section(tx, person, survey, None)]
    found_sections += [_section(tx, person, survey, found) for found in sorted(units, key=lambda u: u.name_key)]
    return found_sections


def _section(tx: Tx, person: Person, survey: Survey, unit: Unit | None) -> Section:
    require_reader(person)
    if unit is None:
        return Section(None, False, scores(tx, survey))
    require_covered(
        tx, person, unit.id, lambda name: DomainError("{unit} is outside the units you look after.", unit=name)
    )
    below = set(subtree_ids(tx, unit.id))
    return Section(unit.name, len(below) > 1, scores(tx, survey, below))


def scores(tx: Tx, survey: Survey, unit_ids: set[int] | None = None) -> ScopeScores:
    """The survey's scores from the answers given in `unit_ids` (None: everyone's)."""
    answered = (
        select(
            SurveyItem.category,
            SurveyItem.statement.is_(None).label("interest"),
            func.coalesce(func.sum(SurveyAnswer.value), 0),
            func.count(SurveyAnswer.value),
            func.count(func.distinct(SurveyAnswer.person_id)),
        )
        .join(SurveyAnswer, SurveyAnswer.item_id == SurveyItem.id)
        .where(SurveyItem.survey_id == survey.id, SurveyAnswer.value.is_not(None))
        .group_by(SurveyItem.category, SurveyItem.statement.is_(None))
    )
    people = (
        select(func.count(func.distinct(SurveyAnswer.person_id)))
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(SurveyItem.survey_id == survey.id, SurveyAnswer.value.is_not(None))
    )
    if unit_ids is not None:
        answered = answered.where(SurveyAnswer.unit_id.in_(unit_ids))
        people = people.where(SurveyAnswer.unit_id.in_(unit_ids))
    means: dict[tuple[str, bool], Mean] = {
        (category, bool(interest)): Mean(int(total or 0), count, persons)
        for category, interest, total, count, persons in tx.session.execute(answered)
    }
    order = tx.session.scalars(
        select(SurveyItem.category)
        .where(SurveyItem.survey_id == survey.id)
        .group_by(SurveyItem.category)
        .order_by(func.min(SurveyItem.position))
    )
    categories = [
        CategoryScore(category, means.get((category, False), Mean()), means.get((category, True), Mean()))
        for category in order
    ]
    return ScopeScores(tx.session.scalar(people) or 0, categories)


def units_answered_in(tx: Tx, survey: Survey) -> list[int]:
    """The units people answered from, for results per unit."""
    return list(
        tx.session.scalars(
            select(SurveyAnswer.unit_id)
            .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
            .where(SurveyItem.survey_id == survey.id, SurveyAnswer.unit_id.is_not(None))
            .distinct()
        )
    )


def materiality(scope: ScopeScores) -> list[Ranked]:
    """The categories with enough answers, by priority (highest first); ties share a rank."""
    rated = [
        (category.category, score, interest, interest * (BEST - score))
        for category in scope.categories
        for score, interest in [(category.score.value, category.interest.value)]
        if score is not None and interest is not None
    ]
    rated.sort(key=lambda row: row[3], reverse=True)
    priorities = [row[3] for row in rated]
    proposed = _proposed_count(priorities)
    return [
        Ranked(
            category=category,
            score=score,
            interest=interest,
            priority=priority,
            rank=priorities.index(priority) + 1,
            tied=priorities.count(priority) > 1,
            proposed=at < proposed and priority > 0,
        )
        for at, (category, score, interest, priority) in enumerate(rated)
    ]


def _proposed_count(priorities: list[Fraction]) -> int:
    """How many of the ranked priorities (highest first) the proposal takes, by the rule above."""
    least, most = FOCUS_AREAS
    count = min(least, len(priorities))
    while count < min(most, len(priorities)) and priorities[count] >= CLOSE_BEHIND * priorities[least - 1]:
        count += 1
    while 0 < count < len(priorities) and priorities[count] == priorities[count - 1]:
        count += 1
    return count
