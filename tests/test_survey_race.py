"""Survey answers and starts at one moment, on SQLite and PostgreSQL: a double press records one answer."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.models import Survey, SurveyAnswer
from bot.messages import Action, Actor, Command, Conversation, Inbound, Reply
from tests.concurrency import race
from tests.conftest import make_settings

ROOM = Conversation("console", "race", "channel")
ADMIN = Actor("console", "admin", "Admin")
MARIA = Actor("console", "maria", "Maria")
ALICE = Actor("console", "alice", "Alice")
PRESSES = 20  # the first items of the survey, each pressed twice at once


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[App]:
    application = build_app(make_settings(database_url, admins=["console:admin", "console:maria"]), clock)
    yield application
    application.close()


def say(app: App, actor: Actor, line: str) -> Reply:
    name, _, text = line.lstrip("/").partition(" ")
    reply = app.dispatcher.handle(Command(name, text, actor, ROOM))
    assert reply is not None and not reply.is_error, reply
    return reply


def press(actor: Actor, item: int, value: int) -> Action:
    return Action("survey.answer", f"{item}:{value}", actor, Conversation(actor.platform, actor.external_id))


def test_a_double_press_of_one_answer_records_one_answer(app: App) -> None:
    say(app, ALICE, "/me")
    say(app, ADMIN, "/survey start")
    inbound: list[Inbound] = []
    for item in range(1, PRESSES + 1):
        inbound += [press(ALICE, item, 4), press(ALICE, item, 4)]
    replies = race(app, inbound)
    assert not any(reply.is_error for reply in replies), [reply.text for reply in replies if reply.is_error]
    with app.uow.begin(write=False) as tx:
        answers = tx.session.execute(select(SurveyAnswer.item_id, SurveyAnswer.value)).all()
    assert Counter(item for item, _ in answers) == dict.fromkeys(range(1, PRESSES + 1), 1)
    assert {value for _, value in answers} == {4}


@pytest.mark.parametrize("round_", range(10))
def test_two_starts_at_once_open_one_survey(app: App, round_: int) -> None:
    replies = race(app, [Command("survey", "start", MARIA, ROOM), Command("survey", "start", ADMIN, ROOM)])
    assert sorted(reply.is_error for reply in replies) == [False, True]
    assert "is still open" in next(reply.text for reply in replies if reply.is_error)
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(Survey.state)).all() == ["open"]


SLACK = Actor("slack", "U1", "Astrid Berg")
TELEGRAM = Actor("telegram", "501", "Astrid")


def link(app: App) -> None:
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", say(app, SLACK, "/link").text)
    assert code is not None
    say(app, TELEGRAM, f"/link {code.group()}")


def test_linking_two_accounts_keeps_one_answer_per_question(app: App) -> None:
    say(app, SLACK, "/me")  # the older person: the one who survives the link
    say(app, ADMIN, "/survey start")
    for actor, items, value in ((SLACK, (2, 3, 4), 5), (TELEGRAM, (1, 2, 3), 1)):
        for item in items:
            reply = app.dispatcher.handle(press(actor, item, value))
            assert reply is not None and not reply.is_error, reply
    link(app)
    with app.uow.begin(write=False) as tx:
        answers = tx.session.execute(
            select(SurveyAnswer.item_id, SurveyAnswer.person_id, SurveyAnswer.value).order_by(
                SurveyAnswer.item_id
            )
        ).all()
    survivor = answers[0][1]
    assert [(item, person, value) for item, person, value in answers] == [
        (1, survivor, 1),
        (2, survivor, 5),
        (3, survivor, 5),
        (4, survivor, 5),
    ]


def test_one_person_answering_from_two_accounts_at_once_records_one_answer(app: App) -> None:
    link(app)
    say(app, ADMIN, "/survey start")
    inbound: list[Inbound] = []
    for item in range(1, PRESSES + 1):
        inbound += [press(SLACK, item, 2), press(TELEGRAM, item, 3)]
    replies = race(app, inbound)
    assert not any(reply.is_error for reply in replies)
    with app.uow.begin(write=False) as tx:
        items = Counter(tx.session.scalars(select(SurveyAnswer.item_id)))
    assert items == dict.fromkeys(range(1, PRESSES + 1), 1)  # one answer each, whichever came last
