"""Linking after the newer account has used every feature: every row that named it names the survivor,
and every figure still adds up."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, func, select

from bot.app import App
from bot.core import poll_ballots
from bot.core.clock import ManualClock
from bot.core.merge_plan import IncompleteMergeError, Rule, check_complete, person_columns
from bot.core.merging import RULES
from bot.core.models import (
    Base,
    Goal,
    LedgerEntry,
    OutboxMessage,
    Person,
    Poll,
    PollOption,
    PollVote,
    SurveyAnswer,
    Vote,
)
from bot.messages import Action, Actor, ChatMessage, Command, Conversation, Reply
from tests.test_goals import ELECTRICITY
from tests.test_races import assert_totals_equal_the_ledger

SLACK = Actor("slack", "U1", "Astrid Berg", locale="en-GB")
TELEGRAM = Actor("telegram", "501", "Astrid", handle="astrid_b")
LARS = Actor("slack", "U2", "Lars Nilsen")
LAST: dict[Actor, Reply] = {}


def say(app: App, actor: Actor, line: str) -> Reply:
    """A command, or a plain message (a dialogue's answer), in `actor`'s direct conversation."""
    direct = Conversation(actor.platform, actor.external_id)
    name, _, text = line.lstrip("/").partition(" ")
    said = Command(name, text, actor, direct) if line.startswith("/") else ChatMessage(line, actor, direct)
    reply = app.dispatcher.handle(said)
    assert reply is not None and not reply.is_error, f"{line}: {reply and reply.text}"
    LAST[actor] = reply
    return reply


def press(app: App, actor: Actor, label: str) -> Reply:
    """Press the button labelled `label` under the last reply `actor` got."""
    buttons = LAST[actor].buttons
    matching = [button for button in buttons if button.label == label]
    assert len(matching) == 1, [button.label for button in buttons]
    button = matching[0]
    name, arg = Action.parse_id(button.action_id)
    reply = app.dispatcher.handle(Action(name, arg, actor, Conversation(actor.platform, actor.external_id)))
    assert reply is not None and not reply.is_error, f"{label}: {reply and reply.text}"
    LAST[actor] = reply
    return reply


def column(name: str) -> Column[int]:
    table, _, field = name.partition(".")
    found = Base.metadata.tables[table].columns[field]
    assert isinstance(found, Column)
    return found


def naming(app: App, person_id: int) -> dict[str, int]:
    """For every column that names a person, how many rows name `person_id` (columns with none left out)."""
    with app.uow.begin(write=False) as tx:
        counts = {
            name: tx.session.scalar(
                select(func.count()).select_from(column(name).table).where(column(name) == person_id)
            )
            or 0
            for name in sorted(person_columns(Base.metadata))
        }
    return {name: count for name, count in counts.items() if count}


def balance(app: App, person_id: int) -> int:
    with app.uow.begin(write=False) as tx:
        return int(
            tx.session.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.person_id == person_id))
            or 0
        )


def option_id(app: App, poll_id: int, label: str) -> int:
    with app.uow.begin(write=False) as tx:
        return tx.session.scalars(
            select(PollOption.id).where(PollOption.poll_id == poll_id, PollOption.label == label)
        ).one()


def use_everything(app: App, clock: ManualClock) -> None:
    """Astrid on Slack and Lars take part a little; Astrid on Telegram (an admin) does everything."""
    say(app, SLACK, "/me")
    say(app, LARS, "/me")
    say(app, TELEGRAM, "/me")
    app.dispatcher.sign_in_locally(TELEGRAM, "admin")
    say(app, TELEGRAM, "/unit add team North")
    say(app, TELEGRAM, "/unit member North @astrid_b @Lars Nilsen @Astrid Berg")
    say(app, TELEGRAM, "/unit rep North @astrid_b")
    say(app, TELEGRAM, "/role @Lars Nilsen manager")

    say(app, LARS, "/idea Bike to work week in May")  # 1
    say(app, SLACK, "/idea Switch off monitors at night")  # 2
    say(app, TELEGRAM, "/idea Sort food waste in the staff kitchen")  # 3
    say(app, TELEGRAM, "/idea Switch off the monitors at night")  # like #2: held as a draft
    say(app, SLACK, "/vote 1")
    say(app, TELEGRAM, "/vote 1")  # both accounts: counts once
    say(app, TELEGRAM, "/vote 2")  # becomes a vote for her own idea: dropped
    say(app, LARS, "/vote 3")
    say(app, TELEGRAM, "/status 1 accepted")
    say(app, TELEGRAM, "/saving 3 120 kWh expected")
    say(app, TELEGRAM, "/saving 3 150 kWh expected")  # replaces the first

    say(app, TELEGRAM, "/kudos @Lars Nilsen for fixing the bike shed")
    say(app, LARS, "/kudos @Astrid for sorting the waste")
    say(app, LARS, "/praise @Astrid for the food waste idea")
    say(app, TELEGRAM, "/praise @Lars Nilsen for the bike week")

    say(app, TELEGRAM, "/reward add 5 Coffee voucher")  # 1
    say(app, TELEGRAM, "/reward add 1 Old mug")  # 2
    say(app, TELEGRAM, "/reward remove 2")
    say(app, TELEGRAM, "/redeem 1")
    say(app, LARS, "/approve 1")
    say(app, LARS, "/redeem 1")
    say(app, TELEGRAM, "/approve 2")

    say(app, TELEGRAM, "/campaign new from bike-week 2026-11-17 North")  # 1
    say(app, TELEGRAM, "/campaign new from earth-hour 2026-11-23")  # 2
    say(app, TELEGRAM, "/campaign cancel 2")
    say(app, TELEGRAM, "/competition new people Cyclists from 2026-11-17 to 2026-11-30")
    say(app, TELEGRAM, "/competition end 1")
    clock.set(datetime(2026, 11, 17, 8, 0, tzinfo=UTC))
    app.ticker.tick()
    say(app, SLACK, "/did cycled to work")
    say(app, TELEGRAM, "/did cycled to work")  # the same slot, the same day: paid once after linking
    say(app, TELEGRAM, "/did walked to work")

    say(app, TELEGRAM, '/poll "Lunch on Friday?" "Soup" "Salad"')  # 1, public
    say(app, TELEGRAM, "/poll 1")
    press(app, TELEGRAM, "Soup")
    say(app, SLACK, "/poll 1")
    press(app, SLACK, "Salad")  # the survivor's choice stands
    say(app, TELEGRAM, '/poll "How was the week?" "Good" "Bad" anonymous')  # 2
    say(app, TELEGRAM, "/poll 2")
    press(app, TELEGRAM, "Good")
    say(app, TELEGRAM, '/poll "Bike shed colour?" "Green" "Blue"')  # 3, closed by her
    say(app, TELEGRAM, "/poll 3")
    press(app, TELEGRAM, "Green")
    say(app, TELEGRAM, "/poll close 3")

    say(app, TELEGRAM, "/survey start")
    say(app, SLACK, "/survey")
    press(app, SLACK, "3")
    say(app, TELEGRAM, "/survey")
    press(app, TELEGRAM, "4")  # the first question again: the survivor's answer stands
    press(app, TELEGRAM, "5")  # the second: hers fills the gap
    say(app, TELEGRAM, "/survey close")

    say(app, TELEGRAM, "/remind me tomorrow 09:00 water the plants")
    say(app, LARS, "/remind @Astrid tomorrow 10:00 bring the bike pump")

    say(app, TELEGRAM, "/goal new")
    for answer in ELECTRICITY:  # North's, owned by herself
        say(app, TELEGRAM, answer)
    say(app, TELEGRAM, "/progress 1 190 MWh")
    say(app, TELEGRAM, "/progress 1 19 MWh")
    say(app, TELEGRAM, "/progress 1 undo")  # a typo taken back
    say(app, TELEGRAM, "/goal link 1 idea 3")
    say(app, TELEGRAM, "/goal new")
    for answer in ("North", "Lights off", "kWh", "10 MWh 2025", "8 MWh", "2027-12-31", "me", "ecological"):
        say(app, TELEGRAM, answer)
    say(app, TELEGRAM, "/goal edit 2 title Lights off at night")
    say(app, TELEGRAM, "/goal remove 2 Set twice")
    say(app, LARS, "/goal new")  # Lars names her as the owner and finishes after the link
    for answer in ("North", "Less waste", "kg", "900 kg 2025", "600 kg", "2027-12-31", "Astrid"):
        say(app, LARS, answer)

    say(app, TELEGRAM, "/boardlink")
    say(app, TELEGRAM, "/boardlink North")
    say(app, TELEGRAM, "/boardlink revoke 1")
    say(app, TELEGRAM, "/campaign new")  # a dialogue left open
    say(app, TELEGRAM, "/privacy hide")
    say(app, TELEGRAM, "/link")  # a code she never used
    say(app, TELEGRAM, "/lang sv")


def test_after_every_feature_nothing_names_the_absorbed_person_and_the_figures_hold(
    app: App, clock: ManualClock
) -> None:
    use_everything(app, clock)
    with app.uow.begin(write=False) as tx:
        survivor, absorbed = tx.session.scalars(
            select(Person.id).where(Person.display_name.in_(("Astrid Berg", "Astrid"))).order_by(Person.id)
        ).all()
    named_before = naming(app, absorbed)
    assert set(named_before) == person_columns(Base.metadata)  # every feature used
    survivor_before = naming(app, survivor)
    before = balance(app, survivor) + balance(app, absorbed)

    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", say(app, SLACK, "/link").text)
    assert code is not None
    say(app, TELEGRAM, f"/link {code.group()}")

    assert naming(app, absorbed) == {}
    survivor_after = naming(app, survivor)
    followed = RULES[-1].columns  # the columns whose rows simply move: none lost to a cascade
    assert {name: survivor_after.get(name) for name in followed} == {
        name: survivor_before.get(name, 0) + named_before[name] for name in followed
    }
    with app.uow.begin(write=False) as tx:
        person = tx.session.get_one(Person, survivor)
        reversed_awards = tx.session.execute(
            select(LedgerEntry.reference, LedgerEntry.amount)
            .where(LedgerEntry.reason == "merge_reversal")
            .order_by(LedgerEntry.reference)
        ).all()
        votes = tx.session.execute(
            select(Vote.idea_id, Vote.person_id).where(Vote.idea_id.in_((1, 2))).order_by(Vote.idea_id)
        ).all()
        lunch = tx.session.execute(
            select(PollVote.person_id, PollVote.option_id).where(PollVote.poll_id == 1)
        ).all()
        mood = poll_ballots.choices(tx, tx.session.get_one(Poll, 2), survivor)  # anonymous, open
        answers = tx.session.execute(
            select(SurveyAnswer.item_id, SurveyAnswer.value).order_by(SurveyAnswer.item_id)
        ).all()
    assert (person.role, person.hidden, person.locale) == ("admin", True, "sv")
    assert [reference for reference, _ in reversed_awards] == [
        f"campaign:1:1:2026-11-17:1|person:{absorbed}",
        f"vote:1|person:{absorbed}",
    ]
    assert balance(app, survivor) == before + sum(amount for _, amount in reversed_awards)
    assert_totals_equal_the_ledger(app)
    assert votes == [(1, survivor)]  # Lars's idea once; none for what became her own idea
    assert lunch == [(survivor, option_id(app, 1, "Salad"))]  # chosen on Slack
    assert answers == [(1, 3), (2, 5)]
    assert mood == {option_id(app, 2, "Good")}

    for hour in (8, 9):  # 09:00 and 10:00 in Oslo
        clock.set(datetime(2026, 11, 18, hour, 0, tzinfo=UTC))
        app.ticker.tick()
    with app.uow.begin(write=False) as tx:
        reminded = tx.session.execute(
            select(OutboxMessage.person_id, OutboxMessage.payload["text"].as_string()).where(
                OutboxMessage.kind == "reminder"
            )
        ).all()
    assert sorted(reminded) == [(survivor, "bring the bike pump"), (survivor, "water the plants")]
    say(app, LARS, "ecological")  # the goal Lars was setting keeps her as its owner
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(Goal.owner_id).where(Goal.title == "Less waste")) == survivor


def schema_copy() -> MetaData:
    """The real schema copied, so that a test can add to it and leave the real one untouched."""
    copy = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(copy)
    return copy


def test_the_merge_rules_cover_every_column_that_names_a_person() -> None:
    check_complete(Base.metadata, RULES)
    assert len(person_columns(Base.metadata)) == len([name for rule in RULES for name in rule.columns]) >= 39


def test_a_new_table_naming_a_person_without_a_merge_rule_fails_the_check() -> None:
    schema = schema_copy()
    Table(
        "stickers",
        schema,
        Column("id", Integer, primary_key=True),
        Column("given_to_id", ForeignKey("persons.id")),
    )
    with pytest.raises(IncompleteMergeError, match=r"no rule for: \['stickers.given_to_id'\]"):
        check_complete(schema, RULES)
    assert "stickers" not in Base.metadata.tables


def test_a_rule_for_no_such_column_or_a_column_ruled_twice_fails_the_check() -> None:
    def nothing(tx: object, survivor_id: int, absorbed_id: int) -> None: ...

    with pytest.raises(IncompleteMergeError, match=r"not a column naming a person: \['ideas.text'\]"):
        check_complete(Base.metadata, (*RULES, Rule(("ideas.text",), nothing)))
    with pytest.raises(IncompleteMergeError, match=r"ruled twice: \['votes.person_id'\]"):
        check_complete(Base.metadata, (*RULES, Rule(("votes.person_id",), nothing)))
