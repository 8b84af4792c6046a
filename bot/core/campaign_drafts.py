"""A campaign or a goal made step by step: one draft per person (a goal's steps read `goal.…`)."""

from __future__ import annotations

from typing import Any

from bot.core.caps import hold_person
from bot.core.models import CampaignDraft, Person
from bot.core.people import REVIEWER_ROLES, require_role
from bot.core.uow import Tx


def open_draft(tx: Tx, person: Person, first_step: str) -> CampaignDraft:
    """Start (or start over) `person`'s draft; only those who may start a campaign or set a goal."""
    require_role(person, REVIEWER_ROLES)
    hold_person(tx, person)  # two started at once: the second replaces the first, as one after the other
    drop(tx, person)
    draft = CampaignDraft(person_id=person.id, step=first_step, data={}, created_at=tx.now)
    tx.session.add(draft)
    tx.session.flush()
    return draft


def draft_of(tx: Tx, person: Person) -> CampaignDraft | None:
    return tx.session.get(CampaignDraft, person.id)


def answer(tx: Tx, draft: CampaignDraft, key: str, value: Any, next_step: str) -> None:
    draft.data = {**draft.data, key: value}  # a new dict, so that the JSON column is written
    draft.step = next_step
    tx.session.flush()


def drop(tx: Tx, person: Person) -> bool:
    draft = draft_of(tx, person)
    if draft is None:
        return False
    tx.session.delete(draft)
    tx.session.flush()
    return True
