"""Current-state surveys: started for units, answered 1–5 one item at a time, resumable, closed once.

A survey asks each category's statements and then how important the area is to the person (the
interest vote). The items are stored by key when the survey starts (the texts live with the
statement set, in every language), so a survey keeps its questions whatever the set becomes.
Where someone left off is simply the first item without an answer of theirs: leaving and coming
back resumes there, on any platform. An answer (or a skip, stored as None) is one row per person
and item, written with an upsert: a double press, or two accounts of one person at once, leave one
answer. Answers can be changed until the survey closes; a close waits for answers in flight (the
survey row is held FOR SHARE while an answer is written) and is a conditional UPDATE.

One survey is open at a time in the organisation (`Survey.open_slot` is unique): the results and
the materiality view of step 2 compare categories across the whole organisation, and two surveys
at once would split people's answers between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.authority import covered_units, require_covered
from bot.core.errors import DomainError
from bot.core.models import Person, Survey, SurveyAnswer, SurveyItem, SurveyUnit, Unit, table_of
from bot.core.outbox import notify_people
from bot.core.people import is_reviewer
from bot.core.statements import insert_statement
from bot.core.units import subtree_ids
from bot.core.uow import Tx

INVITE_NOTICE = "survey_invite"
LOWEST, HIGHEST = 1, 5
_SURVEYS = table_of(Survey)
_ANSWERS = table_of(SurveyAnswer)


@dataclass(frozen=True)
class Started:
    survey: Survey
    questions: int
    categories: int
    invited: int


@dataclass(frozen=True)
class Answered:
    survey: Survey
    item: SurveyItem
    value: int | None
    next_item: SurveyItem | None


def require_starter(person: Person) -> None:
    """Admins start surveys for everyone, managers and representatives for the units they look after."""
    if not is_reviewer(person):
        raise DomainError("Surveys are started by admins, or by managers and representatives for their units.")


def start(
    tx: Tx, person: Person, units: Sequence[Unit], categories: Sequence[tuple[str, Sequence[str]]]
) -> Started:
    """Open a survey of `categories` (key, statement keys) for `units` (none: everyone); invite by DM."""
    require_starter(person)
    already = open_survey(tx)
    if already is not None:
        raise _still_open(already)
    if not units and covered_units(tx, person) is not None:
        raise DomainError("Name the units the survey is for: /survey start <unit> [<unit> …]")
    for unit in units:
        require_covered(
            tx,
            person,
            unit.id,
            lambda name: DomainError("{unit} is outside the units you look after.", unit=name),
        )
    survey = Survey(state="open", open_slot=True, created_by_id=person.id, created_at=tx.now)
    try:
        with tx.session.begin_nested():  # another start committed since we looked: refuse, not crash
            tx.session.add(survey)
            tx.session.flush()
    except IntegrityError:
        raise _still_open(open_survey(tx)) from None
    tx.session.add_all(
        SurveyUnit(survey_id=survey.id, unit_id=unit.id) for unit in {u.id: u for u in units}.values()
    )
    items = _items(survey.id, categories)
    tx.session.add_all(items)
    tx.session.flush()
    invited = notify_people(
        tx, _invitees(tx, survey), INVITE_NOTICE, {"survey": survey.id, "questions": len(items)}
    )
    return Started(survey, len(items), len(categories), invited)


def _still_open(survey: Survey | None) -> DomainError:
    return DomainError(
        "Survey #{id} is still open; close it with /survey close before starting another.",
        id=survey.id if survey else 0,
    )


def _items(survey_id: int, categories: Sequence[tuple[str, Sequence[str]]]) -> list[SurveyItem]:
    """Each category's statements, then its interest question, numbered from 1."""
    keys = [(category, statement) for category, statements in categories for statement in [*statements, None]]
    return [
        SurveyItem(survey_id=survey_id, position=at, category=category, statement=statement)
        for at, (category, statement) in enumerate(keys, start=1)
    ]


def _invitees(tx: Tx, survey: Survey) -> list[Person]:
    scope = unit_scope(tx, survey)
    query = select(Person).order_by(Person.id)
    if scope is not None:
        query = query.where(Person.unit_id.in_(scope))
    return list(tx.session.scalars(query))


def unit_scope(tx: Tx, survey: Survey) -> set[int] | None:
    """The units whose members the survey asks (its units and all below them); None: everyone."""
    roots = tx.session.scalars(select(SurveyUnit.unit_id).where(SurveyUnit.survey_id == survey.id)).all()
    if not roots:
        return None
    return {unit for root in roots for unit in subtree_ids(tx, root)}


def survey_units(tx: Tx, survey: Survey) -> list[Unit]:
    return list(
        tx.session.scalars(
            select(Unit)
            .join(SurveyUnit, SurveyUnit.unit_id == Unit.id)
            .where(SurveyUnit.survey_id == survey.id)
        )
    )


def open_survey(tx: Tx) -> Survey | None:
    return tx.session.scalar(select(Survey).where(Survey.state == "open"))


def latest(tx: Tx) -> Survey:
    """The open survey, else the one closed last: what results are read from."""
    found = open_survey(tx) or tx.session.scalar(select(Survey).order_by(Survey.id.desc()).limit(1))
    if found is None:
        raise DomainError("No survey has been run yet. Admins start one with /survey start.")
    return found


def require_open_for(tx: Tx, person: Person) -> Survey:
    """The open survey `person` is asked in."""
    survey = open_survey(tx)
    if survey is None:
        raise DomainError("No survey is open now.")
    _require_asked(tx, survey, person)
    return survey


def _require_asked(tx: Tx, survey: Survey, person: Person) -> None:
    scope = unit_scope(tx, survey)
    if scope is not None and person.unit_id not in scope:
        raise DomainError("Survey #{id} is for other units than yours.", id=survey.id)


def items(tx: Tx, survey: Survey) -> list[SurveyItem]:
    return list(
        tx.session.scalars(
            select(SurveyItem).where(SurveyItem.survey_id == survey.id).order_by(SurveyItem.position)
        )
    )


def item_at(tx: Tx, survey: Survey, position: int) -> SurveyItem:
    found = tx.session.scalar(
        select(SurveyItem).where(SurveyItem.survey_id == survey.id, SurveyItem.position == position)
    )
    if found is None:
        total = count_items(tx, survey)
        raise DomainError("Survey #{id} has questions 1 to {total}.", id=survey.id, total=total)
    return found


def count_items(tx: Tx, survey: Survey) -> int:
    return (
        tx.session.scalar(select(func.count()).select_from(SurveyItem).where(SurveyItem.survey_id == survey.id))
        or 0
    )


def next_item(tx: Tx, survey: Survey, person: Person) -> SurveyItem | None:
    """The first item `person` has neither answered nor skipped: where they left off."""
    answered = select(SurveyAnswer.item_id).where(SurveyAnswer.person_id == person.id)
    return tx.session.scalar(
        select(SurveyItem)
        .where(SurveyItem.survey_id == survey.id, SurveyItem.id.not_in(answered))
        .order_by(SurveyItem.position)
        .limit(1)
    )


def answers_of(tx: Tx, survey: Survey, person: Person) -> dict[int, int | None]:
    """`person`'s answers by item position (None: skipped); unanswered items are missing."""
    rows = tx.session.execute(
        select(SurveyItem.position, SurveyAnswer.value)
        .join(SurveyAnswer, SurveyAnswer.item_id == SurveyItem.id)
        .where(SurveyItem.survey_id == survey.id, SurveyAnswer.person_id == person.id)
    )
    return {position: value for position, value in rows}  # noqa: C416  (a dict of Row objects is not typed)


def answer(tx: Tx, person: Person, item_id: int, value: int | None) -> Answered:
    """Answer (or skip, None) one item, replacing an earlier answer; the next unanswered item."""
    if value is not None and not LOWEST <= value <= HIGHEST:
        raise DomainError("Answer with a number from 1 to 5, or skip.")
    item = tx.session.get(SurveyItem, item_id)
    if item is None:
        raise DomainError("There is no such survey question.")
    survey = _held_for_answering(tx, item.survey_id)
    if survey.state != "open":
        raise DomainError("Survey #{id} is closed; answers can no longer be given or changed.", id=survey.id)
    _require_asked(tx, survey, person)
    statement = insert_statement(tx.session, _ANSWERS)
    tx.session.execute(
        statement.on_conflict_do_update(
            index_elements=["item_id", "person_id"],
            set_={
                "value": statement.excluded.value,
                "unit_id": statement.excluded.unit_id,
                "answered_at": statement.excluded.answered_at,
            },
        ),
        {
            "item_id": item.id,
            "person_id": person.id,
            "value": value,
            "unit_id": person.unit_id,
            "answered_at": tx.now,
        },
    )
    return Answered(survey, item, value, next_item(tx, survey, person))


def _held_for_answering(tx: Tx, survey_id: int) -> Survey:
    """The survey, read afresh and held against a close until this answer commits (shared among people)."""
    return tx.session.execute(
        select(Survey)
        .where(Survey.id == survey_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    ).scalar_one()


def close(tx: Tx, person: Person) -> tuple[Survey, int]:
    """Close the open survey: whoever started it, or an admin. The survey and how many took part."""
    survey = open_survey(tx)
    if survey is None:
        raise DomainError("No survey is open now.")
    if survey.created_by_id != person.id and person.role != "admin":
        raise DomainError("Only whoever started survey #{id}, or an admin, can close it.", id=survey.id)
    closed = tx.session.execute(
        update(_SURVEYS)
        .where(_SURVEYS.c.id == survey.id, _SURVEYS.c.state == "open")
        .values(state="closed", open_slot=None, closed_at=tx.now, closed_by_id=person.id)
    )
    if not closed.rowcount:  # type: ignore[attr-defined]
        raise DomainError("Survey #{id} is closed already.", id=survey.id)
    tx.session.refresh(survey)
    return survey, respondents(tx, survey)


def respondents(tx: Tx, survey: Survey) -> int:
    """How many people answered at least one item (skips do not count)."""
    return (
        tx.session.scalar(
            select(func.count(func.distinct(SurveyAnswer.person_id)))
            .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
            .where(SurveyItem.survey_id == survey.id, SurveyAnswer.value.is_not(None))
        )
        or 0
    )


def merge_answers(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """When two accounts become one person: the survivor's answers stand, the absorbed one's fill the gaps."""
    answered = select(SurveyAnswer.item_id).where(SurveyAnswer.person_id == survivor_id)
    tx.session.execute(
        delete(SurveyAnswer).where(SurveyAnswer.person_id == absorbed_id, SurveyAnswer.item_id.in_(answered))
    )
    tx.session.execute(
        update(_ANSWERS).where(_ANSWERS.c.person_id == absorbed_id).values(person_id=survivor_id)
    )
