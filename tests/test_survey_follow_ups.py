"""`/survey missing` and `/survey remind`: counts per unit of who has finished, never names; one reminder."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.models import OutboxMessage, Person
from tests.chat import Chat
from tests.test_survey import QUESTIONS, answer, organisation


def reminded(chat: Chat) -> list[str]:
    with chat.app.uow.begin(write=False) as tx:
        return list(
            tx.session.scalars(
                select(Person.display_name)
                .join(OutboxMessage, OutboxMessage.person_id == Person.id)
                .where(OutboxMessage.kind == "survey_reminder")
                .order_by(Person.display_name)
            )
        )


def test_counts_per_unit_and_one_reminder_to_who_has_not_finished(chat: Chat) -> None:
    organisation(chat)  # Kitchen: Alice, Bob, Carl, Rita (its representative); Office: Dora, Erik
    chat.ok("admin", "/survey start")
    answer(chat, "alice", [3] * QUESTIONS)  # finished
    answer(chat, "bob", [3] * 5)  # started only
    answer(chat, "dora", [3] * QUESTIONS)
    missing = chat.ok("rita", "/survey missing")
    assert "Survey #1: finished so far" in missing and "Kitchen: 1 of 4 (25%)" in missing
    assert "Office" not in missing  # not Rita's unit
    for name in ("Alice", "Bob", "Carl", "Rita"):
        assert name not in missing
    everyone = chat.ok("admin", "/survey missing")
    assert "Kitchen: 1 of 4 (25%)" in everyone and "Office: 1 of 2 (50%)" in everyone
    said = chat.ok("rita", "/survey remind")
    assert "A reminder for survey #1 goes to 3 people who have not finished it." in said
    assert "survey #1 is still waiting for your answers" in said
    assert reminded(chat) == ["Bob", "Carl", "Rita"]
    again = chat.refused("admin", "/survey remind")
    assert "The reminder for survey #1 went Nov 16, 2026, 9:00" in again and "each survey gets one" in again
    assert "The reminder went Nov 16, 2026" in chat.ok("admin", "/survey missing")


def test_who_may_not_and_when_there_is_nothing_to_follow(chat: Chat) -> None:
    organisation(chat)
    assert "No survey is open now." in chat.refused("admin", "/survey remind")
    chat.ok("admin", "/survey start")
    for line in ("/survey missing", "/survey remind"):
        assert "Survey results are for managers, representatives and admins." in chat.refused("alice", line)
    assert "Usage" in chat.refused("rita", "/survey missing now")
    chat.ok("admin", "/survey close")
    assert "No survey is open now." in chat.refused("rita", "/survey missing")
    assert reminded(chat) == []


def test_in_norwegian(chat: Chat) -> None:
    organisation(chat)
    chat.ok("rita", "/lang nb")
    chat.ok("admin", "/survey start")
    answer(chat, "carl", [3] * QUESTIONS)
    missing = chat.ok("rita", "/survey mangler")
    assert "Undersøkelse #1: ferdige så langt" in missing and "Kitchen: 1 av 4 (25\xa0%)" in missing
    assert "går til 3 personer som ikke har svart ferdig" in chat.ok("rita", "/survey påminn")
    assert "hver undersøkelse får én" in chat.refused("rita", "/survey påminn")


def test_nobody_left_to_remind_keeps_the_reminder(chat: Chat) -> None:
    organisation(chat)
    chat.ok("admin", "/survey start Office")
    for name in ("dora", "erik"):
        answer(chat, name, [3] * QUESTIONS)
    assert "there is nobody to remind" in chat.refused("admin", "/survey remind")
    assert "Office: 2 of 2 (100%)" in chat.ok("admin", "/survey missing")
