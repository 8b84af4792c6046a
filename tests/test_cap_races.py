"""Many requests of one person at once against a cap, on SQLite and PostgreSQL: exactly the cap holds, and
the requests beyond it are refused in the person's language and change nothing.

Each test brings one person close to a cap by ordinary commands, then sends RACERS requests at once
(threads released together through the real dispatcher) and counts what the database kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.models import (
    Account,
    CampaignAction,
    CampaignDraft,
    CampaignLog,
    Idea,
    IdeaDraft,
    Kudos,
    LedgerEntry,
    LinkCode,
    OutboxMessage,
    PollVote,
    Redemption,
    ScheduledItem,
    SurveyAnswer,
    Unit,
    Vote,
)
from bot.core.reminders import MAX_ACTIVE_PER_PERSON
from bot.i18n import translator
from bot.messages import Action, Actor, ChatMessage, Command, Conversation, Inbound, Reply
from campaigns.wheel import CALENDAR
from handlers.goal_dialogue import QUESTIONS as QUESTIONS_OF_GOALS
from handlers.goal_dialogue import STEP_PREFIX as GOAL_STEP_PREFIX
from handlers.goal_dialogue import STEPS as GOAL_STEPS
from tests.chat import Chat
from tests.concurrency import race
from tests.conftest import make_settings
from tests.test_campaigns import KICK_OFF, tick

RACERS = 16
ASTRID = Actor("console", "astrid", "Astrid", locale="sv")
DM = Conversation("console", "astrid", "dm")
SWEDISH = translator("sv")
CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[App]:
    """The app with the similarity check only for identical texts: the tests send many short ideas."""
    application = build_app(make_settings(database_url, similarity_threshold=100), clock)
    yield application
    application.close()


def command(actor: Actor, line: str) -> Command:
    name, _, text = line.lstrip("/").partition(" ")
    return Command(name, text, actor, DM)


def commands(actor: Actor, lines: list[str]) -> list[Inbound]:
    return [command(actor, line) for line in lines]


def ok(app: App, actor: Actor, line: str) -> Reply:
    reply = app.dispatcher.handle(command(actor, line))
    assert reply is not None and not reply.is_error, reply and reply.text
    return reply


def split(replies: list[Reply], refusal: str) -> int:
    """How many were taken; fails unless every other reply is exactly `refusal`."""
    refused = [reply.text for reply in replies if reply.is_error]
    assert refused == [refusal] * len(refused)
    return len(replies) - len(refused)


def person_id(app: App, actor: Actor) -> int:
    with app.uow.begin(write=False) as tx:
        found = tx.session.scalar(
            select(Account.person_id).where(
                Account.platform == actor.platform, Account.external_id == actor.external_id
            )
        )
    assert found is not None
    return found


def outbox_rows(app: App) -> int:
    with app.uow.begin(write=False) as tx:
        return int(tx.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


def test_reminders_beyond_fifty_at_once_are_refused(app: App) -> None:
    """46 set, 16 more at once: four are set, twelve refused, and 50 are active."""
    already = MAX_ACTIVE_PER_PERSON - 4
    for k in range(already):
        ok(app, ASTRID, f"/remind me tomorrow 09:00 Earlier task {k}")

    replies = race(app, commands(ASTRID, [f"/remind me tomorrow 10:00 Race task {k}" for k in range(RACERS)]))

    refusal = SWEDISH.t(
        "You have {count} reminders set, the most one person may. Cancel one with /reminders.",
        count=MAX_ACTIVE_PER_PERSON,
    )
    assert split(replies, refusal) == 4
    with app.uow.begin(write=False) as tx:
        texts = tx.session.scalars(
            select(ScheduledItem.payload).where(
                ScheduledItem.owner_id == person_id(app, ASTRID), ScheduledItem.state == "active"
            )
        ).all()
    assert len(texts) == MAX_ACTIVE_PER_PERSON
    set_now = sorted(payload["text"] for payload in texts if payload["text"].startswith("Race"))
    taken = sorted(reply.text for reply in replies if not reply.is_error)
    assert [any(text in reply for reply in taken) for text in set_now] == [True] * 4


def colleagues(app: App) -> list[Actor]:
    """RACERS colleagues of Astrid's, each known to the bot."""
    people = [Actor("console", f"c{k}", f"Colleague {k}", handle=f"colleague{k}") for k in range(RACERS)]
    for person in people:
        ok(app, person, "/me")
    return people


def admins(app: App) -> list[Actor]:
    """RACERS admins who read Swedish."""
    people = [Actor("console", f"admin{k}", f"Admin {k}", locale="sv") for k in range(RACERS)]
    for admin in people:
        assert app.dispatcher.sign_in_locally(admin, "admin") is None
    return people


def test_kudos_beyond_the_daily_allowance_at_once_are_refused(app: App) -> None:
    """Two given today, sixteen more at once to sixteen colleagues: three are given, the rest refused."""
    named = colleagues(app)
    ok(app, ASTRID, "/kudos @colleague0 for the bike shed")
    ok(app, ASTRID, "/kudos @colleague1 for the compost")
    before = outbox_rows(app)

    replies = race(app, commands(ASTRID, [f"/kudos @{one.handle} for the clean-up" for one in named]))

    refusal = SWEDISH.t("You have given all {allowance} kudos for today. New ones tomorrow!", allowance=5)
    assert split(replies, refusal) == 3
    with app.uow.begin(write=False) as tx:
        given = tx.session.scalar(
            select(func.count()).select_from(Kudos).where(Kudos.giver_id == person_id(app, ASTRID))
        )
        paid = tx.session.scalar(
            select(func.sum(LedgerEntry.amount)).where(LedgerEntry.reason == "kudos_received")
        )
    assert (given, paid) == (5, 5 * 2)
    assert outbox_rows(app) == before + 3  # a notice to each colleague thanked, none for the refused


def test_emoji_kudos_beyond_the_daily_allowance_at_once_give_nothing(app: App) -> None:
    """Messages with the kudos emoji count against the same allowance as the command."""
    named = colleagues(app)
    ok(app, ASTRID, "/kudos @colleague0 for the bike shed")
    room = Conversation("console", "canteen", "channel")
    messages: list[Inbound] = [
        ChatMessage(f"Thanks @{one.handle} :seedling:", ASTRID, room, event_key=f"emoji-{k}")
        for k, one in enumerate(named)
    ]

    replies = race(app, messages)

    refusal = SWEDISH.tn(
        "You have given your {count} kudos for today. New ones tomorrow!",
        "You have given all {count} kudos for today. New ones tomorrow!",
        5,
    )
    assert split(replies, refusal) == 4
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(Kudos)) == 5


def test_ideas_beyond_the_paid_ones_at_once_are_kept_unpaid(app: App) -> None:
    """One idea paid today, sixteen more at once: all are kept, two pay (the limit is three a day)."""
    ok(app, ASTRID, "/idea Switch off the monitors at night")

    replies = race(
        app, commands(ASTRID, [f"/idea Race idea number {k} for the canteen" for k in range(RACERS)])
    )

    assert [reply.text for reply in replies if reply.is_error] == []
    unpaid = SWEDISH.tn(
        "No points this time: ideas pay points {count} time a day.",
        "No points this time: ideas pay points {count} times a day.",
        3,
    )
    assert sum(unpaid in "\n".join((reply.text, *reply.lines)) for reply in replies) == RACERS - 2
    with app.uow.begin(write=False) as tx:
        ideas = tx.session.scalar(select(func.count()).select_from(Idea))
        paid = tx.session.scalar(
            select(func.sum(LedgerEntry.amount)).where(LedgerEntry.reason == "idea_submitted")
        )
    assert (ideas, paid) == (1 + RACERS, 3 * 5)


def test_campaign_actions_beyond_the_days_cap_at_once_are_refused(app: App, clock: ManualClock) -> None:
    """A reusable cup counts three times a day: one logged, sixteen presses at once log two more."""
    chat = Chat(app)
    chat.ok("admin", "/campaign new from plastic-free-month 2026-11-23")
    tick(chat, clock, KICK_OFF)
    press = Action("campaign.did", "1:1", ASTRID, DM)
    assert not app.dispatcher.handle(press).is_error  # type: ignore[union-attr]

    replies = race(app, [press] * RACERS)

    with app.uow.begin(write=False) as tx:
        action = tx.session.get_one(CampaignAction, 1)
        logged = tx.session.scalar(select(func.count()).select_from(CampaignLog))
        paid = tx.session.scalar(
            select(func.sum(LedgerEntry.amount)).where(LedgerEntry.reason == "campaign_action")
        )
    refusal = SWEDISH.t(
        "You have reached today's limit for {action} ({count} a day). More tomorrow!",
        action=action.names["sv"],
        count=action.daily_cap,
    )
    assert split(replies, refusal) == action.daily_cap - 1
    assert (logged, paid) == (action.daily_cap, action.daily_cap * action.points)


def test_redemptions_beyond_the_balance_at_once_are_refused(app: App) -> None:
    """Fifteen points and a reward of five, sixteen requests at once: three are made, the balance is 0."""
    ok(app, Actor("console", "admin", "Admin"), "/reward add 5 Reusable coffee cup")
    for k in range(3):
        ok(app, ASTRID, f"/idea Paid idea number {k} for the office")
    before = outbox_rows(app)

    replies = race(app, commands(ASTRID, ["/redeem 1"] * RACERS))

    refusal = SWEDISH.t("That takes more points ({cost}) than you have ({balance}).", cost=5, balance=0)
    assert split(replies, refusal) == 3
    with app.uow.begin(write=False) as tx:
        requests = tx.session.scalar(select(func.count()).select_from(Redemption))
        balance = tx.session.scalar(
            select(func.sum(LedgerEntry.amount)).where(LedgerEntry.person_id == person_id(app, ASTRID))
        )
    assert (requests, balance) == (3, 0)
    assert outbox_rows(app) == before + 3  # the admin is asked once per request made


def test_a_single_choice_poll_pressed_many_times_at_once_keeps_one_choice(app: App) -> None:
    """One choice per person in a poll, and its points paid once, however many presses come at once."""
    ok(app, Actor("console", "admin", "Admin"), '/poll "Lunch?" "Soup" "Salad" "Stew" points 1')
    ok(app, ASTRID, "/me")

    replies = race(app, [Action("poll.vote", f"1:{1 + k % 3}", ASTRID, DM) for k in range(RACERS)])

    assert [reply.text for reply in replies if reply.is_error] == []
    with app.uow.begin(write=False) as tx:
        choices = tx.session.scalar(select(func.count()).select_from(PollVote))
        paid = tx.session.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.reference == "poll:1"))
    assert (choices, paid) == (1, 1)


def test_one_survey_question_answered_many_times_at_once_keeps_one_answer(app: App) -> None:
    ok(app, ASTRID, "/me")
    ok(app, Actor("console", "admin", "Admin"), "/survey start")

    replies = race(app, [Action("survey.answer", f"1:{1 + k % 5}", ASTRID, DM) for k in range(RACERS)])

    assert [reply.text for reply in replies if reply.is_error] == []
    with app.uow.begin(write=False) as tx:
        answers = tx.session.scalars(select(SurveyAnswer.value).where(SurveyAnswer.item_id == 1)).all()
    assert len(answers) == 1 and answers[0] in range(1, 6)


def test_campaigns_and_goals_started_at_once_leave_one_draft(app: App) -> None:
    """A person has one draft at a time: each start begins again, as if they had come one after another."""
    assert app.dispatcher.sign_in_locally(ASTRID, "admin") is None
    lines = ["/campaign new", "/goal new"] * (RACERS // 2)

    replies = race(app, commands(ASTRID, lines))

    first = {
        "/campaign new": SWEDISH.t("What is the campaign called? (Write stop at any time to stop.)"),
        "/goal new": SWEDISH.t(QUESTIONS_OF_GOALS[GOAL_STEPS[0]]),
    }
    assert [first[line] in reply.text for line, reply in zip(lines, replies, strict=True)] == [True] * RACERS
    with app.uow.begin(write=False) as tx:
        drafts = tx.session.scalars(select(CampaignDraft.step)).all()
    assert len(drafts) == 1 and drafts[0] in ("name", GOAL_STEP_PREFIX + GOAL_STEPS[0])


def test_link_codes_asked_for_at_once_leave_one_valid(app: App, clock: ManualClock) -> None:
    """A new code voids the older ones: of sixteen asked for at once, one is valid, and it was shown."""
    replies = race(app, commands(ASTRID, ["/link"] * RACERS))

    shown = {code.replace("-", "") for reply in replies for code in CODE.findall(reply.text)}
    assert len(shown) == RACERS
    with app.uow.begin(write=False) as tx:
        valid = tx.session.scalars(
            select(LinkCode.code).where(LinkCode.used_at.is_(None), LinkCode.expires_at > clock.now())
        ).all()
    assert len(valid) == 1 and valid[0] in shown


def test_plain_messages_at_once_leave_one_idea_draft(app: App) -> None:
    """Text sent to the bot alone is held as one draft per person: the newest replaces the last."""
    texts = [f"Switch off the printers at night, floor {k}" for k in range(RACERS)]
    messages: list[Inbound] = [ChatMessage(text, ASTRID, DM, event_key=text) for text in texts]

    replies = race(app, messages)

    hint = SWEDISH.t("That sounds like an idea! Save it to the board, or send it with /idea:")
    assert [reply.text for reply in replies] == [hint] * RACERS
    with app.uow.begin(write=False) as tx:
        drafts = tx.session.scalars(select(IdeaDraft.text)).all()
    assert len(drafts) == 1 and drafts[0] in texts


def test_the_year_wheel_switched_on_by_many_admins_at_once_is_on_once(app: App) -> None:
    """The organisation has one year wheel: of sixteen admins switching it on at once, one does."""
    replies = race(app, [command(admin, "/wheel on") for admin in admins(app)])

    assert split(replies, SWEDISH.t("The year wheel is on already. /wheel shows it.")) == 1
    with app.uow.begin(write=False) as tx:
        entries = tx.session.scalar(
            select(func.count())
            .select_from(ScheduledItem)
            .where(ScheduledItem.kind == "wheel", ScheduledItem.state == "active")
        )
    assert entries == len(CALENDAR)


def test_one_idea_voted_for_many_times_at_once_counts_one_vote(app: App) -> None:
    ok(app, Actor("console", "lars", "Lars"), "/idea Switch off the monitors at night")

    replies = race(app, commands(ASTRID, ["/vote 1"] * RACERS))

    assert split(replies, SWEDISH.t("You have already voted for idea #{id}.", id=1)) == 1
    with app.uow.begin(write=False) as tx:
        votes = tx.session.scalar(select(func.count()).select_from(Vote))
        paid = tx.session.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.reason == "vote_cast"))
    assert (votes, paid) == (1, 1)


def test_one_unit_name_added_by_many_admins_at_once_is_added_once(app: App) -> None:
    replies = race(app, [command(admin, "/unit add team Canteen") for admin in admins(app)])

    assert split(replies, SWEDISH.t("There is already a unit called {name}.", name="Canteen")) == 1
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(Unit.name)).all() == ["Canteen"]
