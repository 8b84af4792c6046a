"""Competitions when people move between units: points count where they were earned, and each unit's
members are those of the period, a mover counting for each unit for the part of it they were there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from sqlalchemy import select

from bot.app import App
from bot.core import unit_history
from bot.core.clock import ManualClock
from bot.core.merging import merge_people
from bot.core.models import Person, Unit
from tests.chat import Chat
from tests.test_competitions import ENDS_AT, TWO_WEEKS, competition_id, earn, posted, units

STARTS_AT = datetime(2026, 11, 15, 23, 0, tzinfo=UTC)  # 16 November begins in Oslo
HALFWAY = STARTS_AT + (ENDS_AT - STARTS_AT) / 2


def test_a_mover_counts_for_each_unit_for_the_half_they_were_in_it_and_the_winner_is_right(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    units(chat, {"North": ["ann", "bo"], "South": ["eva"]})
    chat.ok("admin", "/unit channel North")
    chat.ok("admin", f"/competition new units Halves {TWO_WEEKS} units North, South threshold 50%")
    earn(app, "ann", 4)
    earn(app, "bo", 2)
    clock.set(HALFWAY)
    chat.ok("admin", "/unit member South @ann")
    earn(app, "ann", 3)
    earn(app, "eva", 6)
    clock.set(ENDS_AT + timedelta(hours=1))
    assert "competition_end" in app.ticker.tick().fired_kinds
    said = chat.ok("admin", f"/competition {competition_id(app)}")
    # South: ann's 3 and eva's 6 over one and a half heads; North: ann's 4 and bo's 2 over as many.
    assert "1. South — 6 points per head" in said
    assert "2. North — 4 points per head" in said
    [final] = posted(app, "competition_final")
    assert [place["names"] for place in final.payload["places"]] == [["South"], ["North"]]
    assert [place["score"] for place in final.payload["places"]] == ["6/1", "4/1"]


def test_a_past_competitions_figures_stay_when_someone_moves_today(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    units(chat, {"North": ["ann", "bo"], "South": ["eva", "finn"]})
    week = "from 2026-11-16 to 2026-11-22"
    chat.ok("admin", f"/competition new units Week {week} units North, South threshold 50%")
    earn(app, "ann", 5)  # North: half its members took part
    earn(app, "eva", 2)
    earn(app, "finn", 2)
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    app.ticker.tick()
    before = chat.ok("bo", f"/competition {competition_id(app)}").text
    assert "1. North — 2.5 points per head" in before and "2. South — 2 points per head" in before
    chat.ok("admin", "/unit member South @ann")
    chat.ok("admin", "/unit member North @finn")
    assert chat.ok("bo", f"/competition {competition_id(app)}").text == before


def test_running_standings_are_as_if_it_ended_now_so_a_move_changes_nothing_at_once(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    units(chat, {"North": ["ann", "bo"], "South": ["eva"]})
    chat.ok("admin", f"/competition new units Now {TWO_WEEKS} units North, South threshold 0")
    earn(app, "ann", 6)
    earn(app, "eva", 2)
    clock.set(HALFWAY)
    before = chat.ok("eva", f"/competition {competition_id(app)}").text
    assert "1. North — 3 points per head" in before and "2. South — 2 points per head" in before
    chat.ok("admin", "/unit member South @ann")
    assert chat.ok("eva", f"/competition {competition_id(app)}").text == before
    clock.set(STARTS_AT + (ENDS_AT - STARTS_AT) * 3 / 4)  # ann: two thirds of the time so far in North
    said = chat.ok("admin", f"/competition end {competition_id(app)}")
    assert "1. North — 3.6 points per head" in said  # 6 over 1 + 2/3
    assert "2. South — 1.5 points per head" in said  # 2 over 1 + 1/3


def test_between_people_points_count_while_the_person_was_in_a_unit_taking_part(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    units(chat, {"North": ["ann", "bo"], "Depot": ["eva"]})
    chat.ok("admin", f"/competition new people Sprint {TWO_WEEKS} units North")
    earn(app, "ann", 7)
    earn(app, "bo", 5)
    earn(app, "eva", 40)  # in the depot, which is not taking part
    clock.set(HALFWAY)
    chat.ok("admin", "/unit member Depot @ann")
    chat.ok("admin", "/unit member North @eva")
    earn(app, "ann", 20)  # earned in the depot
    earn(app, "eva", 1)
    said = chat.ok("bo", f"/competition {competition_id(app)}")
    assert "1. Ann — 7 points" in said and "2. Bo — 5 points" in said and "3. Eva — 1 point" in said


def test_a_merged_person_keeps_the_history_of_the_account_whose_unit_they_take(
    app: App, chat: Chat, clock: ManualClock
) -> None:
    units(chat, {"North": ["ann"], "South": []})
    chat.as_("anna")  # ann's second account, in no unit yet
    clock.set(HALFWAY)
    chat.ok("admin", "/unit member South @ann")
    with app.uow.begin() as tx:
        north, south = (
            tx.session.scalars(select(Unit.id).where(Unit.name == name)).one() for name in ("North", "South")
        )
        ann, anna = (
            tx.session.scalars(select(Person).where(Person.display_name == name)).one()
            for name in ("Ann", "Anna")
        )
        merge_people(tx, anna, ann)
        survivor = anna.id
    clock.set(ENDS_AT)
    with app.uow.begin(write=False) as tx:
        shares = unit_history.shares(tx, STARTS_AT, ENDS_AT, {north, south})
    assert shares[survivor] == {north: Fraction(1, 2), south: Fraction(1, 2)}
