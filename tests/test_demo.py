"""The demo's programme: campaigns finished and running, a competition, polls, reminders, the year wheel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.core import campaigns, competitions, people, polls, reminders, wheel
from bot.core.clock import ManualClock
from bot.core.competition_scoring import standings
from bot.core.models import OutboxMessage
from bot.demo import DemoError, fill_demo
from tests.chat import Chat


def test_the_demo_leaves_the_programme_alive(app: App) -> None:
    fill_demo(app)
    with app.uow.begin(write=False) as tx:
        current, past = campaigns.listing(tx)
        assert [(found.name, found.state) for found in current] == [("Matsvinnuka", "running")]
        assert [(found.name, found.state) for found in past] == [("Sykle og gå til jobben-uka", "finished")]
        finished = campaigns.results(tx, past[0].id)
        assert finished.participants >= 8 and sum(total.count for total in finished.totals) == 20
        assert campaigns.logged_so_far(tx, current[0].id) == (12, 9)
        assert current[0].starts_at < tx.now < current[0].ends_at

        running, _ = competitions.listing(tx)
        assert [found.name for found in running] == ["Matsvinnkampen"]
        board = standings(tx, running[0])
        assert board.ranked[0].name == "Solsikken barnehage" and len(board.ranked) >= 2
        assert board.prizes == {1: "Frokost for vinnerlaget"}

        assert polls.get(tx, 1).state == "closed"
        assert [(poll.id, poll.anonymous) for poll in polls.open_polls(tx)] == [(2, False), (3, True)]
        assert wheel.entries(tx)

        posted = set(tx.session.scalars(select(OutboxMessage.kind).distinct()))
        # The demo's history spans a month's first weekday: the monthly progress post went out.
        assert {"campaign_kickoff", "campaign_reminder", "campaign_results", "reminder", "digest"} <= posted
        assert not tx.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
        )

    with app.uow.begin(write=False) as tx:
        meter = reminders.listing(tx, people.find_person(tx, "@ola", "console"))
        personal = reminders.listing(tx, people.find_person(tx, "@nils", "console"))
    assert [item.rule["cron"] for item in meter] == ["30 7 * * mon"]
    now = app.uow.clock.now()
    assert [item.rule.get("cron") is None and (item.due_at or now) > now for item in personal] == [True]


def test_after_the_demo_people_log_vote_and_the_week_ends_on_its_own(app: App, clock: ManualClock) -> None:
    fill_demo(app)
    chat = Chat(app)
    assert "Sykle og gå til jobben-uka" in chat.ok("karin", "/campaigns")
    assert "+5" in chat.ok("johan", "/did spiste restene")
    chat.refused("johan", "/did spiste restene")  # once a day
    assert "Frokost for vinnerlaget" in chat.ok("emma", "/competition 1")
    chat.ok("astrid", "/poll 2")
    chat.press("astrid", 1)
    clock.advance(timedelta(days=4))
    app.ticker.tick()
    with app.uow.begin(write=False) as tx:
        assert campaigns.get(tx, 2).state == "finished"
        assert competitions.get(tx, 1).state == "finished"


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_programme_speaks_the_demo_s_language(app: App, language: str) -> None:
    fill_demo(app, language)
    names = {"en": "Food-waste week", "sv": "Matsvinnsveckan"}
    with app.uow.begin(write=False) as tx:
        assert campaigns.get(tx, 2).name == names[language]
        assert polls.get(tx, 3).question.startswith({"en": "How is", "sv": "Hur fungerar"}[language])


def test_a_database_in_use_is_refused_and_left_alone(app: App) -> None:
    chat = Chat(app)
    chat.ok("lars", "/idea Bike to work week in May")
    before = chat.snapshot()
    with pytest.raises(DemoError, match="already holds"):
        fill_demo(app)
    assert chat.snapshot() == before
