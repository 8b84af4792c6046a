"""Campaign corrections from chat: /did undo takes today's latest action back, /campaign end ends one early."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core import board as core_board
from bot.core import competition_scoring, competitions, review, review_campaigns, review_figures
from bot.core.clock import ManualClock
from bot.core.models import BoardLink, Campaign, CampaignLog, LedgerEntry, OutboxMessage, Unit, UnitPointTotal
from bot.messages import Actor, Command, Conversation
from tests.chat import Chat
from tests.concurrency import race
from tests.test_campaigns import KICK_OFF, THE_END, TUESDAY_NOON, team, tick

ROOM = Conversation("console", "race", "channel")


def ledger(chat: Chat) -> list[tuple[str, int, str]]:
    with chat.app.uow.begin(write=False) as tx:
        rows = tx.session.execute(
            select(LedgerEntry.reason, LedgerEntry.amount, LedgerEntry.reference).order_by(LedgerEntry.id)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def running_bike_week(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    chat.ok("mia", "/campaign new from bike-week 2026-11-23 North")
    tick(chat, clock, KICK_OFF)


def test_did_undo_takes_back_the_latest_action_of_today(chat: Chat, clock: ManualClock) -> None:
    running_bike_week(chat, clock)
    chat.ok("alice", "/did cycled to work")
    chat.ok("alice", "/did 3")
    said = chat.ok("alice", "/did undo")
    assert "Undone: took public transport (Bike and walk to work week), 5 points taken back." in said.text
    assert "Today 0 of 1." in said.text
    assert "Balance: 10 points" in said.text
    assert "Balance: 0 points" in chat.ok("alice", "/did undo").text
    said = chat.refused("alice", "/did undo")
    assert "You have logged no campaign action today that could be undone." in said.text
    assert "+10 points" in chat.ok("alice", "/did cycled to work").text  # the day's slot is free again
    assert "today's limit" in chat.refused("alice", "/did cycled to work").text
    assert ledger(chat) == [
        ("campaign_action", 10, "campaign:1:1:2026-11-23:1"),
        ("campaign_action", 5, "campaign:1:3:2026-11-23:1"),
        ("campaign_undo", -5, "campaign:1:3:2026-11-23:1"),
        ("campaign_undo", -10, "campaign:1:1:2026-11-23:1"),
        ("campaign_action", 10, "campaign:1:1:2026-11-23:2"),
    ]
    points = chat.ok("alice", "/points")
    assert "campaign action undone" in points.text
    assert "Alice" in chat.ok("alice", "/leaderboard").text


def test_undo_in_norwegian_and_only_for_today(chat: Chat, clock: ManualClock) -> None:
    running_bike_week(chat, clock)
    chat.ok("alice", "/lang nb")
    said = chat.refused("alice", "/did angre")
    assert "Du har ikke registrert noen kampanjeaktivitet i dag som kan angres." in said.text
    chat.ok("alice", "/did syklet til jobben")
    said = chat.ok("alice", "/did angre")
    assert "Angret: syklet til jobben" in said.text
    assert "Saldo: 0 poeng" in said.text
    chat.ok("alice", "/did syklet til jobben")
    tick(chat, clock, TUESDAY_NOON)
    assert "kan angres" in chat.refused("alice", "/did angre").text  # yesterday's stays


def test_undone_actions_leave_results_and_leaderboards(chat: Chat, clock: ManualClock) -> None:
    running_bike_week(chat, clock)
    chat.ok("alice", "/did cycled to work")
    chat.ok("bob", "/did cycled to work")
    chat.ok("bob", "/did walked to work")
    chat.ok("alice", "/did undo")
    chat.ok("bob", "/did undo")
    board = chat.ok("alice", "/leaderboard").text
    assert "Bob" in board and "10" in board and "Alice" not in board
    posted = tick(chat, clock, THE_END)
    assert "cycled to work: 1 time, 10 points" in posted
    assert "walked to work: 0 times, 0 points" in posted
    assert "Participation: 33% (1 of 3 people)" in posted
    assert "1. Bob (10 points)" in posted


def test_campaign_end_ends_a_running_campaign_with_its_results_once(chat: Chat, clock: ManualClock) -> None:
    running_bike_week(chat, clock)
    chat.ok("alice", "/did cycled to work")
    assert "is not yours to end" in chat.refused("alice", "/campaign end 1").text
    said = chat.ok("mia", "/campaign end 1")
    assert "Bike and walk to work week (campaign #1) is ended; its results are posted." in said.text
    assert "🏆 Bike and walk to work week is over. Thank you all! The results:" in said.text
    assert "cycled to work: 1 time, 10 points" in said.text
    assert "over already" in chat.refused("mia", "/campaign end 1").text
    assert "over already" in chat.refused("mia", "/campaign cancel 1").text
    assert "No campaign you take part in is running now" in chat.refused("alice", "/did walked to work").text
    assert "Ended early on Nov 23, 2026" in chat.ok("alice", "/campaign 1").text
    assert tick(chat, clock, THE_END) == ""  # the scheduled end posts nothing
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.get_one(Campaign, 1).state == "finished"


def test_campaign_end_in_swedish_refuses_a_planned_one_and_other_units(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    chat.ok("mia", "/lang sv")
    chat.ok("admin", "/campaign new from bike-week 2026-11-23 South")
    chat.ok("mia", "/campaign ny från bike-week 2026-11-23 North")
    said = chat.refused("mia", "/campaign avsluta 2")
    assert "Kampanj #2 har inte börjat än. Ställ in den i stället: /campaign avbryt 2" in said.text
    tick(chat, clock, KICK_OFF)
    assert "inte din att avsluta" in chat.refused("mia", "/campaign avsluta 1").text  # South is not hers
    assert "är avslutad" in chat.ok("mia", "/campaign avsluta 2").text
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(CampaignLog)).all() == []


def test_two_undos_at_once_take_back_one_action(chat: Chat, clock: ManualClock) -> None:
    running_bike_week(chat, clock)
    chat.ok("alice", "/did cycled to work")
    alice = Actor("console", "alice", "Alice")
    replies = race(chat.app, [Command("did", "undo", alice, ROOM) for _ in range(2)])
    assert sorted(reply.is_error for reply in replies) == [False, True], [reply.text for reply in replies]
    assert any("could be undone" in reply.text for reply in replies)
    reasons = [(reason, amount) for reason, amount, _ in ledger(chat)]
    assert reasons == [("campaign_action", 10), ("campaign_undo", -10)]
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.scalars(select(CampaignLog)).all() == []


def test_ending_and_calling_off_at_once_one_wins(chat: Chat, clock: ManualClock) -> None:
    admins = [Actor("console", name, name.capitalize()) for name in ("astrid", "bjorn")]
    for admin in admins:
        assert chat.app.dispatcher.sign_in_locally(admin, "admin") is None
    running_bike_week(chat, clock)
    verbs = ("end 1", "cancel 1")
    commands = [Command("campaign", verb, admin, ROOM) for verb, admin in zip(verbs, admins, strict=True)]
    replies = race(chat.app, commands)
    assert sorted(reply.is_error for reply in replies) == [False, True], [reply.text for reply in replies]
    assert any("over already" in reply.text for reply in replies)
    ended = not replies[0].is_error
    with chat.app.uow.begin(write=False) as tx:
        assert tx.session.get_one(Campaign, 1).state == ("finished" if ended else "cancelled")
        results = tx.session.scalar(select(func.count()).where(OutboxMessage.kind == "campaign_results"))
    assert results == (1 if ended else 0)
    assert "over" not in tick(chat, clock, THE_END)


def test_the_board_drops_an_undone_action_that_was_not_the_latest(chat: Chat, clock: ManualClock) -> None:
    running_bike_week(chat, clock)
    chat.ok("admin", "/boardlink")
    chat.ok("alice", "/did cycled to work")
    chat.ok("bob", "/did cycled to work")
    kept = core_board.Sections()

    def shown() -> list[tuple[int, int]]:
        with chat.app.uow.begin(write=False) as tx:
            link = tx.session.scalars(select(BoardLink)).one()
            board = core_board.build(tx, link, 5, 5, core_board.change_stamp(tx), kept)
            return [(running.logged, running.participants) for running in board.campaigns]

    assert shown() == [(2, 2)]
    chat.ok("alice", "/did undo")  # Bob's log is still the latest row
    assert shown() == [(1, 1)]


def test_the_review_pack_and_a_campaign_competition_leave_undone_actions_out(
    chat: Chat, clock: ManualClock
) -> None:
    running_bike_week(chat, clock)
    chat.ok("admin", "/competition new people Bike race from 2026-11-23 to 2026-11-27 campaign 1 units North")
    chat.ok("alice", "/did cycled to work")
    chat.ok("alice", "/did walked to work")
    chat.ok("bob", "/did walked to work")
    chat.ok("alice", "/did undo")
    standings = chat.ok("alice", "/competition 1").text
    assert "Alice" in standings and "Bob" in standings
    with chat.app.uow.begin(write=False) as tx:
        found = competition_scoring.standings(tx, competitions.get(tx, 1), people_shown=None)
        year = review.year_of(tx, 2026)
        ((row,),) = review_campaigns.rows(tx, year)
        figures = review_figures.year_figures(tx, year)
    assert {entry.name: entry.points for entry in found.ranked} == {"Alice": 10, "Bob": 10}
    assert row[7:10] == (2, 20, 2)  # logs, points, participants
    assert (figures.campaign_actions, figures.campaign_people, figures.points) == (2, 2, 20)


def test_a_campaign_repeating_a_planned_one_is_made_only_when_confirmed(chat: Chat, clock: ManualClock) -> None:
    team(chat)
    chat.ok("mia", "/campaign new from bike-week 2026-11-23 North")
    said = chat.refused("mia", "/campaign new from bike-week 2026-11-25 North")
    assert (
        "Campaign #1 Bike and walk to work week is already planned for North, Nov 23\u2009–\u200927, 2026. "
        "To make this one too, repeat the command with “anyway” at the end." in said.text
    )
    chat.ok("admin", "/campaign new from bike-week 2026-11-25 South")  # other units
    chat.ok("mia", "/campaign new from food-waste-week 2026-11-23 North")  # another template
    chat.ok("mia", "/campaign new from bike-week 2026-11-30 North")  # the week after
    assert "is planned" in chat.ok("mia", "/campaign new from bike-week 2026-11-25 North anyway").text
    tick(chat, clock, KICK_OFF)
    chat.ok("mia", "/lang nb")
    said = chat.refused("mia", "/campaign ny fra bike-week 2026-11-26 North")
    assert "Kampanje #1 Bike and walk to work week pågår allerede for North" in said.text
    assert "«likevel»" in said.text
    chat.ok("mia", "/campaign ny fra bike-week 2026-11-26 North likevel")
    with chat.app.uow.begin(write=False) as tx:
        assert len(tx.session.scalars(select(Campaign)).all()) == 6


def test_a_competition_repeating_a_running_one_is_made_only_when_confirmed(chat: Chat) -> None:
    team(chat)
    chat.ok("admin", "/competition new units Autumn push from 2026-11-16 to 2026-11-29 units North, South")
    said = chat.refused(
        "admin", "/competition new units Push again from 2026-11-23 to 2026-12-06 units South North"
    )
    assert "Competition #1 Autumn push already runs for North and South" in said.text
    assert "repeat the command with “anyway” at the end." in said.text
    chat.ok("admin", "/competition new people Solo from 2026-11-23 to 2026-12-06 units North, South")  # people
    chat.ok("admin", "/competition new units Later from 2026-11-30 to 2026-12-06 units North, South")
    chat.ok("admin", "/lang da")
    said = chat.refused(
        "admin", "/competition ny enheder Igen fra 2026-11-20 til 2026-11-27 enheder North, South"
    )
    assert "Konkurrence #1 Autumn push kører allerede for North og South" in said.text
    chat.ok(
        "admin", "/competition ny enheder Igen fra 2026-11-20 til 2026-11-27 enheder North, South alligevel"
    )


def test_an_undo_after_a_move_takes_the_points_from_the_unit_that_earned_them(
    chat: Chat, clock: ManualClock
) -> None:
    running_bike_week(chat, clock)
    chat.ok("alice", "/did cycled to work")
    chat.ok("admin", "/unit member South @alice")
    chat.ok("alice", "/did undo")
    with chat.app.uow.begin(write=False) as tx:
        units = tx.session.execute(select(LedgerEntry.reason, Unit.name).join(Unit)).all()
        totals = tx.session.execute(
            select(Unit.name, UnitPointTotal.points).join(Unit).where(UnitPointTotal.period == "all")
        ).all()
    assert sorted(units) == [("campaign_action", "North"), ("campaign_undo", "North")]
    assert dict(totals).get("North", 0) == 0 and dict(totals).get("South", 0) == 0
