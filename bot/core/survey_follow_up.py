"""Who has not finished the open survey, counted per unit, and one reminder to them.

Whether someone has finished is not what they answered: every item has a row of theirs (an answer
or a skip). The core reads only that, and gives reviewers counts per unit, never names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.core import follow_ups, survey
from bot.core.errors import DomainError
from bot.core.models import Person, Survey, SurveyAnswer, SurveyItem, Unit
from bot.core.outbox import notify_people
from bot.core.survey_results import require_reader
from bot.core.uow import Tx

SUBJECT = "survey"
REMINDER_NOTICE = "survey_reminder"


@dataclass(frozen=True)
class UnitCount:
    unit: str | None  # None: people in no unit
    finished: int
    asked: int


@dataclass(frozen=True)
class Unfinished:
    survey: Survey
    units: list[UnitCount]
    reminded_at: datetime | None


@dataclass(frozen=True)
class Reminded:
    survey: Survey
    sent: int
    earlier: datetime | None  # when the one reminder went before; then nothing was sent now


def missing(tx: Tx, person: Person) -> Unfinished:
    """How many of those asked in each unit `person` looks after have finished the open survey."""
    require_reader(person)
    found = _open(tx)
    done = _finished(tx, found)
    names: dict[int, str] = dict(tx.session.execute(select(Unit.id, Unit.name)).all())
    everyone, finished = Counter[int | None](), Counter[int | None]()
    for member in _asked_by(tx, person, found):
        everyone[member.unit_id] += 1
        finished[member.unit_id] += member.id in done
    counts = [UnitCount(names.get(unit) if unit else None, finished[unit], everyone[unit]) for unit in everyone]
    counts.sort(key=lambda count: (count.unit is None, (count.unit or "").casefold()))
    return Unfinished(found, counts, follow_ups.sent_at(tx, SUBJECT, found.id))


def remind(tx: Tx, person: Person) -> Reminded:
    """One DM to each person asked (in the units `person` looks after) who has not finished; once per survey."""
    require_reader(person)
    found = _open(tx)
    earlier = follow_ups.claim(tx, SUBJECT, found.id)
    if earlier is not None:
        return Reminded(found, 0, earlier)
    done = _finished(tx, found)
    not_yet = [member for member in _asked_by(tx, person, found) if member.id not in done]
    if not not_yet:  # refused, so the one reminder is kept
        raise DomainError(
            "Everyone asked in the units you look after has finished survey #{id}; there is nobody to remind.",
            id=found.id,
        )
    payload = {"survey": found.id, "questions": survey.count_items(tx, found)}
    return Reminded(found, notify_people(tx, not_yet, REMINDER_NOTICE, payload), None)


def _open(tx: Tx) -> Survey:
    found = survey.open_survey(tx)
    if found is None:
        raise DomainError("No survey is open now.")
    return found


def _asked_by(tx: Tx, person: Person, found: Survey) -> list[Person]:
    return follow_ups.members_of(tx, survey.unit_scope(tx, found), person)


def _finished(tx: Tx, found: Survey) -> set[int]:
    """Who has a row (an answer or a skip) for every item of the survey."""
    items = survey.count_items(tx, found)
    return set(
        tx.session.scalars(
            select(SurveyAnswer.person_id)
            .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
            .where(SurveyItem.survey_id == found.id)
            .group_by(SurveyAnswer.person_id)
            .having(func.count() >= items)
        )
    )
