"""Polls through the console: asking, voting, changing, several choices, refusals, hidden results, closing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.adapters.console import CONVERSATION
from bot.app import App
from bot.core.clock import ManualClock
from bot.core.models import LedgerEntry, OutboxMessage, Poll, PollVote, ScheduledItem, Unit, UnitChannel
from bot.messages import Action
from tests.chat import Chat, Said

LUNCH = '/poll "Lunch on Friday?" "Soup" "Salad" "Pizza"'


def vote(chat: Chat, name: str, poll: int, option: int) -> Said:
    """`name` opens the poll's card and presses option `option`."""
    chat.ok(name, f"/poll {poll}")
    return chat.press(name, option)


def votes(app: App) -> list[tuple[int, int]]:
    with app.uow.begin(write=False) as tx:
        return list(
            tx.session.execute(select(PollVote.person_id, PollVote.option_id).order_by(PollVote.person_id))
        )


def test_asking_voting_changing_and_the_card(chat: Chat) -> None:
    chat.as_("maria", "manager")
    asked = chat.ok("maria", LUNCH)
    assert "Maria asks:" in asked and "Poll #1: Lunch on Friday?" in asked
    assert "One choice per person; press another option to change it." in asked
    assert "[1] Soup  [2] Salad  [3] Pizza  [4] Show results" in asked
    said = chat.press("alice", 2)
    assert "Your vote is counted." in said and "Your choice: Salad" in said and "1 person has voted." in said
    said = chat.press("alice", 3)  # changed: still one vote
    assert "Your choice: Pizza" in said and "1 person has voted." in said
    vote(chat, "bob", 1, 3)
    results = chat.press("bob", 4)
    assert "██████████ 100% (2) 3. Pizza" in results and "░░░░░░░░░░ 0% (0) 1. Soup" in results
    assert votes(chat.app) == [(2, 3), (3, 3)]
    listed = chat.ok("bob", "/polls")
    assert "1 poll is open:" in listed and "#1 Lunch on Friday?" in listed


def test_several_choices_toggle_and_count_people_once(chat: Chat) -> None:
    chat.as_("maria", "representative")
    chat.ok("maria", '/poll "Which days?" "Mon" "Tue" "Wed" flera')
    said = chat.press("alice", 1)
    said = chat.press("alice", 3)
    assert "Your choice: Mon and Wed" in said and "1 person has voted." in said
    said = chat.press("alice", 1)  # pressed again: taken back
    assert "Your choice: Wed" in said
    vote(chat, "bob", 1, 3)
    shown = chat.press("bob", 4)
    assert "██████████ 100% (2) 3. Wed" in shown and "2 people have voted." in shown


def test_refusals_change_nothing(chat: Chat, clock: ManualClock) -> None:
    for line in (LUNCH, '/poll "Lunch?" "Soup"'):  # a member may not ask, and hears so first
        assert "Polls are for managers, representatives and admins" in chat.refused("alice", line)
    chat.as_("maria", "manager")
    assert "at least two options" in chat.refused("maria", '/poll "Lunch?" "Soup"')
    assert "twice" in chat.refused("maria", '/poll "Lunch?" "Soup" "soup"')
    assert "in quotes" in chat.refused("maria", "/poll Lunch Soup Salad")
    assert "I do not know “sometimes”" in chat.refused("maria", '/poll "Lunch?" "Soup" "Salad" sometimes')
    assert "passed" in chat.refused("maria", '/poll "Lunch?" "Soup" "Salad" closes 2026-11-01')
    assert "could not read “tomorrowish” as a time" in chat.refused(
        "maria", '/poll "Q?" "A" "B" closes tomorrowish'
    )
    assert "When should it close?" in chat.refused("maria", '/poll "Lunch?" "A" "B" closes')
    assert "A poll closes once" in chat.refused("maria", '/poll "Lunch?" "A" "B" closes every monday 09:00')
    chat.ok("maria", LUNCH)
    assert "Poll #1 has no option 7." in refused_press(chat, "alice", "1:7")
    assert "There is no poll #8." in refused_press(chat, "alice", "8:1")
    assert "There is no poll #9." in chat.refused("alice", "/poll 9")
    assert "Only whoever asked poll #1, or an admin, can close it." in chat.refused("bob", "/poll close 1")
    chat.ok("maria", "/poll close 1")
    assert "Poll #1 is closed already." in chat.refused("maria", "/poll close 1")
    assert "Poll #1 is closed; votes can no longer be cast or changed." in refused_press(chat, "alice", "1:1")


def refused_press(chat: Chat, name: str, arg: str, action: str = "poll.vote") -> str:
    """Press a button no card offers now (or any more); the refusal's text. The database must not change."""
    chat.as_(name)
    before = chat.snapshot()
    reply = chat.app.dispatcher.handle(Action(action, arg, chat.session.actor, CONVERSATION))
    assert reply is not None and reply.is_error, reply
    assert chat.snapshot() == before
    return reply.text


def output_of_notices(chat: Chat) -> str:
    """What the outbox holds for the console now, as printed."""
    chat.out.seek(0)
    chat.out.truncate()
    chat.session.deliver_notices()
    return chat.out.getvalue()


def test_hidden_results_stay_hidden_from_everyone_until_close(chat: Chat) -> None:
    chat.as_("maria", "manager")
    asked = chat.ok("maria", '/poll "Move the bike shed?" "Yes" "No" skjult')
    assert "Results are hidden until the poll closes." in asked and "Show results" not in asked
    chat.press("alice", 1)
    vote(chat, "bob", 1, 1)
    for who in ("maria", "admin", "alice"):  # the creator and an admin too
        assert "The results of poll #1 are hidden until it closes." in refused_press(
            chat, who, "1", "poll.results"
        )
    shown = chat.ok("maria", "/poll 1")
    assert "(2)" not in shown and "2 people have voted." in shown
    chat.ok("maria", "/poll close 1")
    posted = chat.ok("maria", "/poll 1")
    assert "██████████ 100% (2) 1. Yes :trophy:" not in posted.text  # emoji are drawn in the console
    assert "██████████ 100% (2) 1. Yes 🏆" in posted


def test_the_schedule_closes_the_poll_and_posts_the_chart_once(chat: Chat, clock: ManualClock) -> None:
    chat.as_("maria", "manager")
    asked = chat.ok(
        "maria", '/poll "Heat pump or pellets?" "Heat pump" "Pellets" "Both" closes in 2 days points 2'
    )
    assert "Closes Nov 18, 2026, 9:00\u202fAM." in asked and "Taking part earns 2 points." in asked
    said = chat.press("alice", 1)
    assert "+2 points" in said
    assert "+2 points" not in chat.press("alice", 2)  # a changed vote pays nothing more
    vote(chat, "bob", 1, 1)
    vote(chat, "carl", 1, 2)
    vote(chat, "dora", 1, 3)
    clock.advance(timedelta(days=2, seconds=-1))
    assert chat.app.ticker.tick().fired == 0
    clock.advance(timedelta(hours=5))  # however late: a close must happen
    assert chat.app.ticker.tick().fired == 1
    posted = output_of_notices(chat)
    assert "→ #general: 🏁 Poll #1 has closed: Heat pump or pellets?" in posted
    assert "█████░░░░░ 50% (2) 2. Pellets 🏆" in posted
    assert "██░░░░░░░░ 25% (1) 1. Heat pump" in posted and "🏆 Most votes: Pellets" in posted
    assert "4 people voted." in posted
    assert chat.app.ticker.tick().fired == 0 and output_of_notices(chat) == ""
    with chat.app.uow.begin(write=False) as tx:
        paid = tx.session.execute(
            select(LedgerEntry.person_id, LedgerEntry.amount, LedgerEntry.reference)
        ).all()
        assert tx.session.get_one(Poll, 1).state == "closed"
    assert sorted(paid) == [(2, 2, "poll:1"), (3, 2, "poll:1"), (4, 2, "poll:1"), (5, 2, "poll:1")]


def test_closing_early_cancels_the_schedule_and_ties_show_as_ties(chat: Chat) -> None:
    chat.as_("maria", "manager")
    chat.ok("maria", '/poll "Tea or coffee?" "Tea" "Coffee" closes 2026-12-04 16:00')
    chat.press("alice", 1)
    vote(chat, "bob", 1, 2)
    closed = chat.ok("admin", "/poll close 1")
    assert "Poll #1 is closed; the results go to 1 conversation." in closed
    posted = "\n".join(closed.output)
    assert "🏆 A tie between Tea and Coffee" in posted
    assert "█████░░░░░ 50% (1) 1. Tea 🏆" in posted and "█████░░░░░ 50% (1) 2. Coffee 🏆" in posted
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(ScheduledItem.state)).all() == ["cancelled"]
        assert tx.session.scalar(select(func.count()).select_from(PollVote)) == 2
    assert "No polls are open." in chat.ok("alice", "/polls")


def test_flags_in_swedish_norwegian_and_danish(chat: Chat) -> None:
    chat.as_("maria", "manager")
    swedish = chat.ok("maria", '/poll "Vilka dagar?" "Mån" "Tis" anonym flera dold stänger om 2 dagar poäng 1')
    norwegian = chat.ok(
        "maria", '/poll "Hvilke dager?" "Man" "Tir" flere skjult stenger 2026-12-04 16:00 poeng 2'
    )
    danish = chat.ok("maria", '/poll "Hvilke dage?" "Man" "Tirs" anonymt lukker om 1 uge')
    with chat.app.uow.begin(write=False) as tx:
        polls = tx.session.scalars(select(Poll).order_by(Poll.id)).all()
        flags = [(p.anonymous, p.multiple, p.hidden, p.points, p.closes_at is not None) for p in polls]
    assert flags == [(True, True, True, 1, True), (False, True, True, 2, True), (True, False, False, 0, True)]
    assert "Closes Dec 4, 2026, 4:00\u202fPM." in norwegian and "Closes Nov 23, 2026, 9:00\u202fAM." in danish
    assert "🔒 Anonymous" in swedish


def test_a_poll_goes_to_the_units_named_that_one_covers(chat: Chat) -> None:
    chat.as_("maria")
    chat.ok("admin", "/unit add site Oslo")
    chat.ok("admin", "/unit add site Bergen")
    chat.ok("admin", "/unit channel Oslo")  # the console's room is Oslo's channel
    chat.ok("admin", "/unit rep Bergen @maria")
    assert "Bergen has no channel to post in yet" in chat.refused("maria", '/poll "Q?" "A" "B" in Bergen')
    assert "Oslo is outside the units you look after." in chat.refused("maria", '/poll "Q?" "A" "B" in Oslo')
    asked = chat.ok("admin", '/poll "Bike racks?" "More" "Enough" in Oslo here')
    assert "Also posted" not in asked  # Oslo's channel is here: one card
    with chat.app.uow.begin() as tx:
        bergen = tx.session.scalars(select(Unit).where(Unit.name == "Bergen")).one()
        tx.session.add(UnitChannel(unit_id=bergen.id, platform="telegram", conversation_id="-1002"))
    asked = chat.ok("maria", '/poll "Bike racks?" "More" "Enough" i Bergen')
    assert "Also posted in 1 channel." in asked
    with chat.app.uow.begin(write=False) as tx:
        cards = tx.session.execute(
            select(OutboxMessage.platform, OutboxMessage.target).where(OutboxMessage.kind == "poll_card")
        ).all()
    assert cards == [("telegram", "-1002")]
