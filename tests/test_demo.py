"""The demo's programme: campaigns finished and running, a competition, polls, reminders, the year wheel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.core import campaigns, competitions, goals, people, polls, reminders, wheel
from bot.core.clock import ManualClock
from bot.core.competition_scoring import standings
from bot.core.models import Goal, GoalLink, GoalMeasurement, OutboxMessage
from bot.core.uow import Tx
from bot.demo import DemoError, fill_demo
from tests.chat import Chat

# The demo's goals in each language: (unit, title, metric label), #1 to #4.
GOALS = {
    "nb": (
        (None, "15 % mindre strøm i byggene våre", "strøm siste 12 måneder"),
        ("Driftsdepotet", "Mindre restavfall på depotet", "restavfall per måned"),
        ("Rådhuset", "Færre kilometer med bil på tjenestereiser", "med bil i tjenesten per måned"),
        ("Solsikken barnehage", "Mer av avfallet sortert i barnehagen", "sortert avfall"),
    ),
    "sv": (
        (None, "15 % mindre el i våra byggnader", "el senaste 12 månaderna"),
        ("Driftsdepotet", "Mindre restavfall på depån", "restavfall per månad"),
        ("Rådhuset", "Färre kilometer med bil i tjänsten", "med bil i tjänsten per månad"),
        ("Solsikken barnehage", "Mer av avfallet sorterat på förskolan", "sorterat avfall"),
    ),
    "da": (
        (None, "15 % mindre el i vores bygninger", "el de seneste 12 måneder"),
        ("Driftsdepotet", "Mindre restaffald på depotet", "restaffald pr. måned"),
        ("Rådhuset", "Færre kilometer i bil på tjenesterejser", "i bil i tjenesten pr. måned"),
        ("Solsikken barnehage", "Mere af affaldet sorteret i børnehaven", "sorteret affald"),
    ),
    "en": (
        (None, "15 % less electricity in our buildings", "electricity, last 12 months"),
        ("Driftsdepotet", "Less residual waste at the depot", "residual waste a month"),
        ("Rådhuset", "Fewer km by car on duty trips", "by car on duty trips a month"),
        ("Solsikken barnehage", "More of the kindergarten's waste sorted", "of waste sorted"),
    ),
}


def check_goals(tx: Tx, language: str) -> None:
    """Four goals set through the dialogue, each measured three times a month apart: two on track, one
    behind, one reached and celebrated once; the freezer doors' idea tied to the organisation's."""
    found = list(tx.session.scalars(select(Goal).order_by(Goal.id)))
    shown = [(goals.unit_name(tx, goal), goal.title, goal.metric_label) for goal in found]
    assert shown == list(GOALS[language])
    assert [(goal.metric_unit, goal.baseline_year, goal.deadline.year) for goal in found] == [
        ("kWh", tx.now.year - 1, tx.now.year + 1),
        ("kg", tx.now.year - 1, tx.now.year + 1),
        ("km", tx.now.year - 1, tx.now.year + 1),
        ("%", tx.now.year - 1, tx.now.year + 1),
    ]
    assert [goals.owner_name(tx, goal) for goal in found] == [
        "Nils Bakke",
        "Ola Haugen",
        "Ingrid Solberg",
        "Freja Madsen",
    ]
    assert [goal.dimension for goal in found] == ["ecological", "ecological", "economic", "ecological"]
    today = goals.local_today(tx)
    for goal in found:
        days = list(
            tx.session.scalars(
                select(GoalMeasurement.measured_on)
                .where(GoalMeasurement.goal_id == goal.id)
                .order_by(GoalMeasurement.measured_on)
            )
        )
        assert len(days) == 3 and days[-1] < today and 28 <= (days[1] - days[0]).days <= 31, days
        assert goal.created_at < tx.now - timedelta(weeks=5)  # set a few weeks back
    judged = [goals.standing(tx, goal, None, today) for goal in found]
    assert [(each.progress_pct, each.state) for each in judged] == [
        (27, "on_track"),
        (93, "on_track"),
        (1, "behind"),
        (105, "reached"),
    ]
    assert [goal.reached_at is not None for goal in found] == [False, False, False, True]
    assert [(link.goal_id, link.kind, link.ref_id) for link in tx.session.scalars(select(GoalLink))] == [
        (1, "idea", 1)
    ]
    celebrations = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "celebration")
    assert tx.session.scalar(celebrations) == 1


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
        check_goals(tx, "nb")

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


@pytest.mark.parametrize("language", ["en", "sv", "da"])
def test_the_programme_speaks_the_demo_s_language(app: App, language: str) -> None:
    fill_demo(app, language)
    names = {"en": "Food-waste week", "sv": "Matsvinnsveckan", "da": "Madspildsugen"}
    questions = {"en": "How is", "sv": "Hur fungerar", "da": "Hvordan fungerer"}
    with app.uow.begin(write=False) as tx:
        assert campaigns.get(tx, 2).name == names[language]
        assert polls.get(tx, 3).question.startswith(questions[language])
        check_goals(tx, language)


def test_a_database_in_use_is_refused_and_left_alone(app: App) -> None:
    chat = Chat(app)
    chat.ok("lars", "/idea Bike to work week in May")
    before = chat.snapshot()
    with pytest.raises(DemoError, match="already holds"):
        fill_demo(app)
    assert chat.snapshot() == before
