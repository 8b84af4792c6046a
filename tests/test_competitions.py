"""Competitions: points per head, the participation threshold, ties, people, scoping, standings on the
schedule, the final post with prizes, refusals, and an end that happens once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App, build_app
from bot.core import points
from bot.core.clock import ManualClock
from bot.core.models import Competition, OutboxMessage, Person, ScheduledItem, Unit
from tests.chat import Chat
from tests.conftest import make_settings

TWO_WEEKS = "from 2026-11-16 to 2026-11-29"
# The end of 29 November in Oslo.
ENDS_AT = datetime(2026, 11, 29, 23, 0, tzinfo=UTC)


def units(chat: Chat, members: dict[str, list[str]]) -> None:
    """Sites with these members (made through the chat, so that they have accounts)."""
    for unit, names in members.items():
        chat.ok("admin", f"/unit add site {unit}")
        for name in names:
            chat.as_(name)
        if names:
            chat.ok("admin", f"/unit member {unit} " + " ".join(f"@{name}" for name in names))


def crowd(app: App, unit: str, count: int) -> list[int]:
    """`count` more members of `unit`, straight into the database (no chat account needed)."""
    with app.uow.begin() as tx:
        unit_id = tx.session.scalars(select(Unit.id).where(Unit.name == unit)).one()
        people = [
            Person(display_name=f"{unit} {k}", role="member", unit_id=unit_id, created_at=tx.now)
            for k in range(count)
        ]
        tx.session.add_all(people)
        tx.session.flush()
        return [person.id for person in people]


def earn(app: App, who: str | int, amount: int, reason: str = "kudos_received", reference: str = "") -> None:
    """A ledger row for a person (by display name or id) through the ledger's own award."""
    with app.uow.begin() as tx:
        if isinstance(who, int):
            person = tx.session.get_one(Person, who)
        else:
            person = tx.session.scalars(select(Person).where(Person.display_name == who.capitalize())).one()
        points.award(tx, person, reason, reference or f"test:{tx.now.isoformat()}:{amount}", amount)


def competition_id(app: App) -> int:
    with app.uow.begin(write=False) as tx:
        return int(tx.session.scalars(select(Competition.id).order_by(Competition.id.desc())).first() or 0)


def posted(app: App, kind: str) -> list[OutboxMessage]:
    with app.uow.begin(write=False) as tx:
        return list(tx.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_units_are_ranked_by_points_per_head_not_by_total(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann", "bo", "cy", "di"], "South": ["eva", "finn"]})
    chat.ok("admin", f"/competition new units Autumn push {TWO_WEEKS} units North, South")
    for name in ("ann", "bo", "cy"):
        earn(app, name, 10)  # 30 points, 4 members: 7.5 a head
    earn(app, "eva", 10)
    earn(app, "finn", 8)  # 18 points, 2 members: 9 a head
    said = chat.ok("ann", f"/competition {competition_id(app)}")
    assert "Standings in Autumn push" in said
    assert "1. South — 9 points per head" in said
    assert "2. North — 7.5 points per head" in said


def test_per_head_reads_in_the_readers_language(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann", "bo"], "South": ["eva", "finn", "gry"]})
    chat.ok("admin", f"/competition new units Höst {TWO_WEEKS} units North South")
    earn(app, "ann", 5)
    earn(app, "bo", 10)  # 7.5 a head
    for name in ("eva", "finn", "gry"):
        earn(app, name, 1)
    chat.ok("ann", "/lang sv")
    said = chat.ok("ann", f"/competition {competition_id(app)}")
    assert "1. North — 7,5 poäng per person" in said
    assert "2. South — 1 poäng per person" in said


def test_a_unit_below_the_threshold_is_not_ranked_and_one_at_it_is(app: App, chat: Chat) -> None:
    units(chat, {"North": [], "South": [], "West": []})
    north, south = crowd(app, "North", 100), crowd(app, "South", 100)
    west = crowd(app, "West", 2)
    for person in north[:49]:  # 49 % took part
        earn(app, person, 100)
    for person in south[:50]:  # 50 %
        earn(app, person, 2)
    earn(app, west[0], 1)
    chat.ok("admin", f"/competition new units Threshold {TWO_WEEKS} units North, South, West threshold 50%")
    said = chat.ok("admin", f"/competition {competition_id(app)}")
    assert "1. South — 1 point per head" in said  # 50 %: ranked
    assert "2. West — 0.5 points per head" in said
    assert "North — " not in said
    assert "Not ranked, fewer than 50% of members took part: North (49%)" in said


def test_a_unit_where_nobody_scored_can_still_qualify_at_threshold_zero(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann"], "South": ["eva"]})
    chat.ok("admin", f"/competition new units Open {TWO_WEEKS} units North South threshold 0 %")
    earn(app, "ann", 3)
    said = chat.ok("admin", f"/competition {competition_id(app)}")
    assert "1. North — 3 points per head" in said and "2. South — 0 points per head" in said


def test_equal_units_share_a_rank_and_the_next_rank_skips(app: App, chat: Chat) -> None:
    units(chat, {"Alpha": ["ann", "bo"], "Beta": ["cy", "di", "eva", "finn"], "Gamma": ["gry"]})
    earn(app, "ann", 10)
    earn(app, "bo", 10)  # 20 / 2 = 10
    for name in ("cy", "di", "eva", "finn"):
        earn(app, name, 10)  # 40 / 4 = 10
    earn(app, "gry", 5)
    chat.ok("admin", f"/competition new units Ties {TWO_WEEKS} units Alpha, Beta, Gamma")
    said = chat.ok("admin", f"/competition {competition_id(app)}")
    assert "1. Alpha, Beta (tie) — 10 points per head" in said
    assert "3. Gamma — 5 points per head" in said


def test_thirds_that_round_alike_but_differ_are_not_a_tie(app: App, chat: Chat) -> None:
    units(chat, {"Alpha": ["ann", "bo", "cy"], "Beta": ["di", "eva", "finn"]})
    earn(app, "ann", 10)  # 10 / 3 = 3.333…
    earn(app, "di", 9)
    earn(app, "eva", 1)  # 10 / 3 as well: a tie, exactly
    chat.ok("admin", f"/competition new units Thirds {TWO_WEEKS} units Alpha Beta threshold 0")
    said = chat.ok("admin", f"/competition {competition_id(app)}")
    assert "1. Alpha, Beta (tie) — 3.33 points per head" in said


def test_between_people_points_count_per_person_and_ties_share_a_place(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann", "bo", "cy"], "South": ["eva"]})
    chat.ok("admin", f"/competition new people Sprint {TWO_WEEKS} units North")
    earn(app, "ann", 7)
    earn(app, "bo", 7)
    earn(app, "cy", 3)
    earn(app, "eva", 50)  # not in North
    said = chat.ok("bo", f"/competition {competition_id(app)}")
    assert "1. Ann, Bo (tie) — 7 points" in said
    assert "3. Cy — 3 points" in said
    assert "Eva" not in said and "per head" not in said


def test_a_campaign_competition_counts_only_that_campaigns_points_in_its_period(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    units(chat, {"North": ["ann"], "South": ["eva"]})
    earn(app, "ann", 100, "campaign_action", "campaign:7:before")  # before the start
    clock.advance(timedelta(days=1))
    chat.ok(
        "admin", "/competition new units Bike week from 2026-11-17 to 2026-11-29 campaign 7 units North South"
    )
    earn(app, "ann", 4, "campaign_action", "campaign:7:ride:1")
    earn(app, "ann", 50, "campaign_action", "campaign:8:ride:1")  # another campaign
    earn(app, "ann", 50, "campaign_action", "campaign:70:ride:1")  # a prefix of it, not it
    earn(app, "ann", 50)  # kudos: not the campaign's
    earn(app, "eva", 2, "campaign_action", "campaign:7:ride:2")
    clock.set(ENDS_AT + timedelta(hours=1))
    earn(app, "eva", 100, "campaign_action", "campaign:7:late")  # after the end
    said = chat.ok("admin", f"/competition {competition_id(app)}")
    assert "1. North — 4 points per head" in said and "2. South — 2 points per head" in said


def test_a_period_competition_counts_earnings_only_in_its_period(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    units(chat, {"North": ["ann"], "South": ["eva"]})
    earn(app, "ann", 100)
    earn(app, "eva", 100)
    clock.advance(timedelta(days=1))
    chat.ok("admin", "/competition new units December from 2026-11-17 to 2026-11-29 units North South")
    earn(app, "ann", 6, "idea_submitted")
    earn(app, "ann", 3, "campaign_action", "campaign:7:x")  # every campaign counts in a period competition
    earn(app, "ann", -50, "redemption", "redemption:1")  # a spend is not a loss of points earned
    earn(app, "ann", 50, "redemption_refund", "redemption:1")  # nor is its refund a gain
    earn(app, "eva", 5)
    said = chat.ok("admin", f"/competition {competition_id(app)}")
    assert "1. North — 9 points per head" in said and "2. South — 5 points per head" in said


def test_points_count_for_the_unit_they_were_earned_in(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann", "bo"], "South": ["eva"]})
    chat.ok("admin", "/unit add team Workshop under North")
    chat.as_("nils")
    chat.ok("admin", "/unit member Workshop @nils")
    chat.ok("admin", f"/competition new units Moves {TWO_WEEKS} units North South threshold 0")
    earn(app, "nils", 9)  # a sub-unit's points count for its parent, and its people are members
    earn(app, "ann", 3)
    chat.ok("admin", "/unit member South @ann")  # ann moves: her 3 stay with North
    said = chat.ok("admin", f"/competition {competition_id(app)}")
    # As if it ended now: ann was North's for all of it so far (tests/test_competitions_moves.py).
    assert "1. North — 4 points per head" in said  # 12 points, ann, bo and nils
    assert "2. South — 0 points per head" in said  # eva, nothing earned in South


def test_standings_are_posted_on_schedule_and_the_end_announces_winners_and_prizes(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    units(chat, {"North": ["ann", "bo"], "South": ["eva"]})
    chat.ok("admin", "/unit channel North")
    said = chat.ok(
        "admin",
        f'/competition new units Autumn push {TWO_WEEKS} units North, South prize "Breakfast for the team" '
        "standings daily",
    )
    assert "Competition #1 Autumn push is on." in said and "Nov 16, 2026 – Nov 29, 2026" in said
    chat.ok("admin", '/competition prize 1 2 "A cinema evening"')
    earn(app, "ann", 4)
    earn(app, "eva", 3)
    assert app.ticker.tick().fired == 0
    clock.set(datetime(2026, 11, 17, 8, 0, tzinfo=UTC))  # 09:00 in Oslo
    assert app.ticker.tick().fired == 1
    chat.session.deliver_notices()
    out = chat.out.getvalue()
    assert "→ #general: 🏆 Standings in Autumn push (#1):" in out
    assert "1. South — 3 points per head" in out and "Place 1 wins Breakfast for the team" in out
    assert len(posted(app, "competition_standings")) == 1  # one channel for both units, once
    clock.set(ENDS_AT - timedelta(minutes=1))
    earn(app, "bo", 4)  # North: 8 / 2 = 4
    clock.set(ENDS_AT + timedelta(hours=5))  # late, and still the end is announced
    report = app.ticker.tick()
    assert "competition_end" in report.fired_kinds
    assert (report.fired, report.missed) == (1, 12)  # standings from the 18th to the 29th, beyond grace
    [final] = posted(app, "competition_final")
    assert len(posted(app, "competition_standings")) == 1  # standings at 09:00 on the 30th: after the end
    said = chat.ok("admin", "/competitions")  # the console delivers what was queued after each line
    assert "Finished:" in said and "#1 Autumn push" in said
    out = said.text
    assert "Autumn push (#1) is over. Final standings:" in out
    assert "1. North — 4 points per head" in out and "2. South — 3 points per head" in out
    assert "Breakfast for the team goes to North" in out and "A cinema evening goes to South" in out
    assert final.payload["final"] is True
    assert app.ticker.tick().fired == 0
    with app.uow.begin(write=False) as tx:
        rows = tx.session.scalars(select(ScheduledItem).order_by(ScheduledItem.id)).all()
        assert [(row.kind, row.state) for row in rows] == [
            ("competition_standings", "cancelled"),
            ("competition_end", "done"),
        ]


def test_a_prize_for_a_place_a_tie_skipped_is_not_won(app: App, chat: Chat) -> None:
    units(chat, {"Alpha": ["ann"], "Beta": ["bo"], "Gamma": ["cy"]})
    chat.ok("admin", f'/competition new units Ties {TWO_WEEKS} units Alpha Beta Gamma prize "Cake"')
    chat.ok("admin", '/competition prize 1 2 "Coffee"')
    earn(app, "ann", 5)
    earn(app, "bo", 5)
    said = chat.ok("admin", "/competition end 1")
    assert "1. Alpha, Beta (tie) — 5 points per head" in said
    assert "Cake goes to Alpha, Beta" in said
    assert "Nobody came in place 2, so Coffee is not won." in said


def test_ending_by_hand_posts_final_standings_once(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann"], "South": ["eva"]})
    chat.as_("maja", "manager")
    chat.ok("admin", "/unit member North @maja")
    chat.ok("admin", f"/competition new units Quick {TWO_WEEKS} units North South")
    said = chat.refused("maja", "/competition end 1")  # South is not hers to look after
    assert "Competition #1 is not yours to manage." in said
    chat.ok("admin", "/competition end 1")
    assert len(posted(app, "competition_final")) == 0  # no channel and no announcement channel
    chat.refused("admin", "/competition end 1")
    chat.refused("admin", '/competition prize 1 1 "Late"')


def test_the_end_announces_in_the_announcement_channel_when_no_unit_has_one(
    database_url: str, clock: ManualClock
) -> None:
    app = build_app(make_settings(database_url, announce_channels=["console:news"]), clock)
    try:
        chat = Chat(app)
        units(chat, {"North": ["ann"], "South": ["eva"]})
        chat.ok("admin", f"/competition new people Everyone {TWO_WEEKS} standings none")
        earn(app, "eva", 2)
        clock.set(ENDS_AT)
        assert app.ticker.tick().fired == 1
        chat.session.deliver_notices()
        assert "→ #news: 🏁 Everyone (#1) is over. Final standings:" in chat.out.getvalue()
        assert "1. Eva — 2 points" in chat.out.getvalue()
    finally:
        app.close()


def test_refusals_change_nothing(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann"], "South": ["eva"]})
    said = chat.refused("ann", f"/competition new units Mine {TWO_WEEKS} units North South")
    assert "Competitions are set up by managers, representatives and admins." in said
    said = chat.refused("admin", "/competition new units Back from 2026-11-29 to 2026-11-16 units North South")
    assert "A competition must end after it starts." in said
    said = chat.refused("admin", "/competition new units Gone from 2026-11-01 to 2026-11-10 units North South")
    assert "would be over already" in said
    said = chat.refused("admin", f"/competition new units Who {TWO_WEEKS} units North, Sputh")
    assert "There is no unit called Sputh. Did you mean South?" in said
    for threshold in ("101%", "-1"):
        said = chat.refused(
            "admin", f"/competition new units T {TWO_WEEKS} units North South threshold {threshold}"
        )
        assert "The participation threshold is a percentage from 0 to 100." in said
    said = chat.refused("admin", f"/competition new units One {TWO_WEEKS} units North")
    assert "at least two units" in said
    said = chat.refused("admin", "/competition new units Bad from 2026-13-01 to 2026-12-24 units North South")
    assert "2026-13-01 is not a date" in said
    chat.refused("admin", f"/competition new teams X {TWO_WEEKS}")
    chat.refused("admin", "/competition 9")
    chat.ok("admin", "/unit add team Crew under North")
    said = chat.refused("admin", f"/competition new units Nested {TWO_WEEKS} units North, Crew")
    assert "Crew is part of North" in said


def test_a_representative_sets_up_competitions_only_within_their_units(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann", "bo"], "South": ["eva"]})
    chat.ok("admin", "/unit add team Crew under North")
    chat.ok("admin", "/unit add team Desk under North")
    chat.ok("admin", "/unit rep North @ann")
    said = chat.refused("ann", f"/competition new units Wide {TWO_WEEKS} units North South")
    assert "South is outside the units you look after." in said
    chat.ok("ann", f"/competition new units Inside {TWO_WEEKS} units Crew Desk")
    chat.ok("ann", f"/competition new people Mine {TWO_WEEKS}")  # her own unit's people
    said = chat.ok("bo", "/competitions")
    assert "#1 Inside" in said and "#2 Mine" in said
    chat.refused("bo", "/competition end 1")


def test_no_competitions_yet(chat: Chat) -> None:
    assert "No competitions yet." in chat.ok("ann", "/competitions")


def test_the_command_reads_its_words_in_every_language(app: App, chat: Chat) -> None:
    units(chat, {"Nord": ["ann"], "Syd": ["eva"]})
    chat.ok("admin", "/lang sv")
    said = chat.ok(
        "admin",
        "/competition ny enheter Höstrusket från 2026-11-16 till 2026-11-29 enheter Nord, Syd tröskel 40 % "
        "pris ”Fika för laget” ställning ingen",
    )
    assert "Tävling #1 Höstrusket är igång." in said
    assert "en enhet behöver 40\u00a0% av sina medlemmar med" in said
    chat.ok("admin", "/lang da")
    said = chat.ok("admin", "/competition præmie 1 2 »Kage«")
    assert "Plads 2 i Höstrusket (#1) vinder Kage." in said
    earn(app, "eva", 2)
    said = chat.ok("admin", "/competition afslut 1")
    assert "Höstrusket (#1) er slut. Slutstilling:" in said
    assert "1. Syd — 2 point pr. person" in said and "Fika för laget går til Syd" in said
    with app.uow.begin(write=False) as tx:
        rows = tx.session.scalars(select(ScheduledItem.kind)).all()
    assert rows == ["competition_end"]  # no standings asked for


def test_a_quoted_name_may_hold_option_words_and_a_start_may_have_a_time(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann"], "South": ["eva"]})
    said = chat.ok(
        "admin", '/competition new people "Walk to work from home" from 2026-11-20 12:00 to 2026-11-29'
    )
    assert "Competition #1 Walk to work from home is on." in said
    with app.uow.begin(write=False) as tx:
        made = tx.session.get_one(Competition, 1)
        assert made.starts_at == datetime(2026, 11, 20, 11, 0, tzinfo=UTC) and made.ends_at == ENDS_AT


def test_prizes_are_named_by_those_who_manage_the_competition(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann"], "South": ["eva"]})
    chat.ok("admin", f"/competition new units Cup {TWO_WEEKS} units North South")
    said = chat.refused("ann", '/competition prize 1 1 "Cake"')
    assert "Competition #1 is not yours to manage." in said
    said = chat.refused("admin", '/competition prize 1 11 "Cake"')
    assert "Prizes are for places 1 to 10." in said
    chat.refused("admin", "/competition prize 1 1")
    chat.ok("admin", '/competition prize 1 1 "Cake"')
    chat.ok("admin", '/competition prize 1 1 "Two cakes"')  # named again: replaced
    assert "Place 1 wins Two cakes" in chat.ok("eva", "/competition 1")
