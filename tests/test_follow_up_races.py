"""Two reminders asked at the same moment, on SQLite and PostgreSQL: each person is reminded once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from bot.app import App
from bot.core.models import OutboxMessage
from bot.messages import Actor, Command, Inbound, Reply
from tests import test_poll_races
from tests.concurrency import race
from tests.test_poll_races import ROOM, say

app = test_poll_races.app  # the fixture: an app with two admins
POLLS = 10
ADMIN = Actor("console", "admin", "Admin")
MARIA = Actor("console", "maria", "Maria")
STAFF = [Actor("console", f"staff{n}", f"Staff {n}") for n in range(1, 6)]


def reminded(app: App, kind: str) -> Counter[tuple[int, int | None]]:
    with app.uow.begin(write=False) as tx:
        rows = tx.session.execute(
            select(OutboxMessage.payload, OutboxMessage.person_id).where(OutboxMessage.kind == kind)
        ).all()
    key = "id" if kind == "poll_reminder" else "survey"
    return Counter((payload[key], person) for payload, person in rows)


def one_each_and_one_refused(replies: list[Reply], refusal: str) -> None:
    for first, second in zip(replies[::2], replies[1::2], strict=True):
        assert sorted([first.is_error, second.is_error]) == [False, True]
        assert refusal in (first if first.is_error else second).text


def test_two_poll_reminders_at_once_remind_each_person_once(app: App) -> None:
    for actor in [*STAFF, ADMIN]:  # everyone known before the race
        say(app, actor, "/polls")
    for number in range(1, POLLS + 1):
        say(app, MARIA, f'/poll "Question {number}?" "Yes" "No"')
    inbound: list[Inbound] = []
    for poll in range(1, POLLS + 1):
        inbound += [
            Command("poll", f"{poll} remind", MARIA, ROOM),
            Command("poll", f"{poll} remind", ADMIN, ROOM),
        ]
    one_each_and_one_refused(race(app, inbound), "each poll gets one")
    sent = reminded(app, "poll_reminder")
    assert set(sent.values()) == {1}  # nobody twice
    assert len(sent) == POLLS * (len(STAFF) + 2)  # everyone (no unit's channel): staff, Maria, the admin


def test_two_survey_reminders_at_once_remind_each_person_once(app: App) -> None:
    for actor in [*STAFF, MARIA]:  # everyone known before the race
        say(app, actor, "/polls")
    say(app, ADMIN, "/survey start")
    inbound: list[Inbound] = [
        Command("survey", "remind", MARIA, ROOM),
        Command("survey", "remind", ADMIN, ROOM),
    ]
    one_each_and_one_refused(race(app, inbound), "each survey gets one")
    sent = reminded(app, "survey_reminder")
    assert set(sent.values()) == {1} and len(sent) == len(STAFF) + 2
