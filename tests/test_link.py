"""One person across platforms: /link codes, and a merge in which nothing counts twice."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.models import Account, LedgerEntry, Person, PersonPointTotal, Vote
from bot.messages import Actor, Command, Conversation, Reply

SLACK = Actor("slack", "U1", "Astrid Berg", locale="en-GB")
TELEGRAM = Actor("telegram", "501", "Astrid", handle="astrid_b")
LARS = Actor("slack", "U2", "Lars Nilsen")


def say(app: App, actor: Actor, line: str) -> Reply:
    name, _, text = line.lstrip("/").partition(" ")
    reply = app.dispatcher.handle(Command(name, text, actor, Conversation(actor.platform, actor.external_id)))
    assert reply is not None
    return reply


def ok(app: App, actor: Actor, line: str) -> Reply:
    reply = say(app, actor, line)
    assert not reply.is_error, reply.text
    return reply


def code_for(app: App, actor: Actor) -> str:
    reply = ok(app, actor, "/link")
    found = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", reply.text)
    assert found, reply.text
    return found.group()


def test_linking_makes_one_person_whose_points_ideas_and_votes_add_up(app: App) -> None:
    ok(app, LARS, "/idea Bike to work week in May")
    ok(app, SLACK, "/idea Switch off monitors at night")
    ok(app, SLACK, "/vote 1")
    ok(app, TELEGRAM, "/idea Sort food waste in the staff kitchen")
    ok(app, TELEGRAM, "/vote 1")  # both accounts voted for Lars's idea
    code = code_for(app, SLACK)
    reply = ok(app, TELEGRAM, f"/link {code.lower()}")
    assert "Linked! Slack, Telegram are now one person" in reply.text
    with app.uow.begin(write=False) as tx:
        people = tx.session.scalars(select(Person).order_by(Person.id)).all()
        accounts = tx.session.execute(
            select(Account.platform, Account.person_id).order_by(Account.platform)
        ).all()
        votes = tx.session.execute(select(Vote.idea_id, Vote.person_id)).all()
        balance = tx.session.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.person_id == 2))
        earned = tx.session.scalar(
            select(PersonPointTotal.points).where(
                PersonPointTotal.person_id == 2, PersonPointTotal.period == "all"
            )
        )
    assert [person.display_name for person in people] == ["Lars Nilsen", "Astrid Berg"]
    assert accounts == [("slack", 1), ("slack", 2), ("telegram", 2)]
    assert votes == [(1, 2)]  # the vote both accounts cast counts once
    assert balance == earned == 5 + 5 + 1
    points = ok(app, TELEGRAM, "/points")
    assert "Balance: 11 points" in "\n".join(points.lines)
    board = ok(app, LARS, "/ideas")
    assert "1 vote" in board.lines[0]


def test_a_vote_for_what_becomes_your_own_idea_is_dropped(app: App) -> None:
    ok(app, SLACK, "/idea Switch off monitors at night")
    ok(app, TELEGRAM, "/vote 1")
    ok(app, TELEGRAM, f"/link {code_for(app, SLACK)}")
    with app.uow.begin(write=False) as tx:
        assert tx.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_link_code_refusals(app: App, clock: ManualClock) -> None:
    code = code_for(app, SLACK)
    assert "your own" in say(app, SLACK, f"/link {code}").text
    assert "unknown or has expired" in say(app, TELEGRAM, "/link AAAA-BBBB").text
    clock.advance(timedelta(minutes=11))
    assert "unknown or has expired" in say(app, TELEGRAM, f"/link {code}").text
    assert "other platform" in say(app, LARS, f"/link {code_for(app, SLACK)}").text
    fresh = code_for(app, SLACK)
    ok(app, TELEGRAM, f"/link {fresh}")
    assert say(app, TELEGRAM, f"/link {fresh}").text == "That code was already used by Astrid Berg."
    assert say(app, LARS, f"/link {fresh}").text == "That code was already used by Astrid Berg."


def test_a_new_code_replaces_the_old_one(app: App) -> None:
    first = code_for(app, SLACK)
    code_for(app, SLACK)
    assert "unknown or has expired" in say(app, TELEGRAM, f"/link {first}").text


def test_two_people_who_both_have_a_telegram_account_cannot_be_joined(app: App) -> None:
    ok(app, TELEGRAM, f"/link {code_for(app, SLACK)}")
    other_telegram = Actor("telegram", "777", "Lars")
    ok(app, LARS, "/me")
    ok(app, other_telegram, f"/link {code_for(app, LARS)}")
    refused = say(app, TELEGRAM, f"/link {code_for(app, LARS)}")
    assert "Both already have a slack, telegram account" in refused.text


def test_the_merged_person_keeps_the_stronger_role_and_awards_paid_twice_are_reversed(app: App) -> None:
    ok(app, LARS, "/idea Bike to work week in May")
    ok(app, SLACK, "/vote 1")
    ok(app, TELEGRAM, "/vote 1")
    app.dispatcher.sign_in_locally(TELEGRAM, "manager")
    ok(app, TELEGRAM, f"/link {code_for(app, SLACK)}")
    with app.uow.begin(write=False) as tx:
        survivor = tx.session.scalars(select(Person).where(Person.display_name == "Astrid Berg")).one()
        reasons = tx.session.execute(
            select(LedgerEntry.reason, LedgerEntry.amount).where(LedgerEntry.person_id == survivor.id)
        ).all()
    assert survivor.role == "manager"
    assert sorted(reasons) == [("merge_reversal", -1), ("vote_cast", 1), ("vote_cast", 1)]
    history = ok(app, SLACK, "/points")
    assert "-1 paid twice before linking, taken back" in "\n".join(history.lines)
