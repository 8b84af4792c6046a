"""Transcripts for the fair rules: nobody reviews their own work, reviewers act within their units,
final ideas stay final, and points cannot be farmed by repeated ideas or praise."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.core.clock import ManualClock
from bot.core.models import Account, Idea, LedgerEntry
from tests.chat import Chat
from tests.conftest import make_settings


def municipality(chat: Chat) -> None:
    """Fjordby: a town hall, a depot and a kindergarten, each with a representative and people."""
    chat.as_("admin")
    chat.ok("admin", "/unit add organisation Fjordby")
    for site in ("Rådhuset", "Driftsdepotet", "Barnehagen"):
        chat.ok("admin", f"/unit add site {site} under Fjordby")
    chat.ok("admin", "/unit add team Verkstedet under Driftsdepotet")
    for name, role in (("nils", "manager"), ("lars", "manager"), ("ingrid", "representative")):
        chat.as_(name, role)
    for name in ("freja", "ola", "mikkel", "sofie", "karin"):
        chat.as_(name)
    chat.ok("admin", "/unit member Rådhuset @nils @ingrid @karin")
    chat.ok("admin", "/unit member Driftsdepotet @lars @ola")
    chat.ok("admin", "/unit member Verkstedet @mikkel")
    chat.ok("admin", "/unit member Barnehagen @freja @sofie")
    chat.ok("admin", "/unit rep Rådhuset @ingrid")
    chat.ok("admin", "/unit rep Driftsdepotet @ola")
    chat.ok("admin", "/unit rep Barnehagen @freja")


def balance(chat: Chat, name: str) -> int:
    with chat.app.uow.begin(write=False) as tx:
        person = tx.session.scalars(select(Account.person_id).where(Account.external_id == name)).one()
        return int(sum(tx.session.scalars(select(LedgerEntry.amount).where(LedgerEntry.person_id == person))))


def status_of(chat: Chat, idea_id: int) -> str:
    with chat.app.uow.begin(write=False) as tx:
        return tx.session.get_one(Idea, idea_id).status


# Nobody reviews their own idea, saving or request.


@pytest.mark.parametrize(
    ("locale", "status", "refusal", "saving_refusal"),
    [
        ("da", "gennemført", "En anden skal vurdere din egen idé #1.", "En anden skal bekræfte besparelsen"),
        ("en", "implemented", "Someone else must review your own idea #1.", "Someone else must verify"),
    ],
)
def test_a_representative_cannot_move_her_own_idea_or_verify_its_saving(
    chat: Chat, locale: str, status: str, refusal: str, saving_refusal: str
) -> None:
    municipality(chat)
    chat.ok("freja", f"/lang {locale}")
    chat.ok("freja", "/idea Rain barrels for the kindergarten garden")
    assert refusal in chat.refused("freja", f"/status 1 {status}")
    assert saving_refusal in chat.refused("freja", "/saving 1 70 kWh verified")
    chat.ok("freja", "/saving 1 70 kWh expected")  # the author may still say what she expects
    assert status_of(chat, 1) == "new"
    assert balance(chat, "freja") == 5


def test_the_card_offers_its_author_no_status_buttons(chat: Chat) -> None:
    municipality(chat)
    chat.ok("freja", "/idea Rain barrels for the kindergarten garden")
    own = chat.ok("freja", "/ideas 1")
    assert not [b for b in own.reply.buttons if b.action_id.startswith(("idea.status", "idea.decline"))]
    others = chat.ok("admin", "/ideas 1")
    assert [b for b in others.reply.buttons if b.action_id.startswith("idea.status")]


@pytest.mark.parametrize(
    ("locale", "refusal"),
    [("nb", "Noen andre må avgjøre din egen forespørsel."), ("en", "Someone else must decide on your own")],
)
def test_a_manager_cannot_approve_her_own_reward(chat: Chat, locale: str, refusal: str) -> None:
    municipality(chat)
    chat.ok("admin", "/reward add 5 Cinema ticket")
    chat.ok("nils", f"/lang {locale}")
    chat.ok("nils", "/idea Timer plugs for the printers")
    chat.ok("nils", "/redeem 1")
    assert refusal in chat.refused("nils", "/approve 1")


# A reviewer's powers cover their own unit and the units below it.


@pytest.mark.parametrize(
    ("locale", "status", "refusal"),
    [
        ("nb", "godkjent", "Idé #1 hører til Verkstedet, utenfor enhetene du har ansvar for."),
        ("en", "accepted", "Idea #1 belongs to Verkstedet, outside the units you look after."),
    ],
)
def test_the_town_hall_representative_cannot_accept_the_depots_idea(
    chat: Chat, locale: str, status: str, refusal: str
) -> None:
    municipality(chat)
    chat.ok("mikkel", "/idea Electric cargo bike for the depot")
    chat.ok("ingrid", f"/lang {locale}")
    assert refusal in chat.refused("ingrid", f"/status 1 {status}")
    assert refusal in chat.refused("ingrid", "/saving 1 300 kWh verified")
    chat.ok("ola", f"/status 1 {status}")  # the depot's own representative, for a team below it
    assert status_of(chat, 1) == "accepted"


@pytest.mark.parametrize(
    ("locale", "refusal"),
    [
        ("sv", "Begäran #1 kommer från Barnehagen, utanför de enheter du ansvarar för."),
        ("en", "Request #1 comes from Barnehagen, outside the units you look after."),
    ],
)
def test_a_town_hall_manager_cannot_approve_a_kindergarten_reward(
    chat: Chat, locale: str, refusal: str
) -> None:
    municipality(chat)
    chat.ok("admin", "/reward add 5 Cinema ticket")
    chat.ok("sofie", "/idea Reusable cups at the coffee machine")
    chat.ok("sofie", "/redeem 1")
    chat.ok("nils", f"/lang {locale}")
    assert refusal in chat.refused("nils", "/approve 1")
    chat.refused("nils", "/decline 1 Not ours")
    listed = chat.ok("nils", "/redemptions")
    assert "Sofie" not in listed.text and not listed.reply.buttons
    chat.ok("admin", "/approve 1")


def test_redemptions_lists_what_the_reader_may_decide_and_their_own(chat: Chat) -> None:
    municipality(chat)
    chat.ok("admin", "/reward add 5 Cinema ticket")
    for name, text in (("sofie", "Reusable cups"), ("karin", "Duplex printing"), ("nils", "Timer plugs")):
        chat.ok(name, f"/idea {text}")
        chat.ok(name, "/redeem 1")
    listed = chat.ok("nils", "/redemptions")
    assert "Karin" in listed.text and "Nils" in listed.text and "Sofie" not in listed.text
    assert [b.action_id for b in listed.reply.buttons] == ["redemption.approve:2", "redemption.decline:2"]


@pytest.mark.parametrize(
    ("locale", "refusal"),
    [
        ("da", "Barnehagen ligger uden for de enheder, du har ansvar for."),
        ("en", "Barnehagen is outside the units you look after."),
    ],
)
def test_a_manager_praises_only_units_he_looks_after(chat: Chat, locale: str, refusal: str) -> None:
    municipality(chat)
    chat.ok("lars", f"/lang {locale}")
    assert refusal in chat.refused("lars", "/praise Barnehagen Great green week!")
    chat.ok("lars", "/praise Verkstedet Best sorting rate this month")


@pytest.mark.parametrize(("locale", "word"), [("sv", "utanför"), ("en", "outside")])
def test_a_merge_needs_both_ideas_within_the_reviewers_units(chat: Chat, locale: str, word: str) -> None:
    municipality(chat)
    chat.ok("karin", "/idea Switch off the monitors at night")
    chat.ok("mikkel", "/idea Timer plugs on the workshop chargers")
    chat.ok("ingrid", f"/lang {locale}")
    assert word in chat.refused("ingrid", "/merge 2 1")
    assert word in chat.refused("ingrid", "/merge 1 2")


@pytest.fixture
def wide_app(database_url: str, clock: ManualClock) -> Iterator[App]:
    application = build_app(make_settings(database_url, managers_organisation_wide=True), clock)
    yield application
    application.close()


def test_a_setting_widens_managers_to_the_whole_organisation(wide_app: App) -> None:
    chat = Chat(wide_app)
    municipality(chat)
    chat.ok("admin", "/reward add 5 Cinema ticket")
    chat.ok("mikkel", "/idea Electric cargo bike for the depot")
    chat.ok("sofie", "/idea Reusable cups at the coffee machine")
    chat.ok("sofie", "/redeem 1")
    chat.ok("nils", "/status 1 accepted")
    chat.ok("nils", "/approve 1")
    chat.refused("ingrid", "/status 2 accepted")  # representatives still act on their own units only


# Implemented, declined and merged ideas cannot be merged.


@pytest.mark.parametrize(
    ("locale", "refusal"),
    [
        ("nb", "Idé #1 er gjennomført; bare en åpen idé kan slås sammen."),
        ("en", "Idea #1 is implemented; only an open idea can be merged."),
    ],
)
def test_an_implemented_idea_cannot_be_merged(chat: Chat, locale: str, refusal: str) -> None:
    chat.ok("astrid", "/idea Timer plugs on all floors")
    chat.ok("mikkel", "/idea Refill station for water bottles")
    chat.as_("lars", "manager")
    chat.ok("lars", "/status 1 implemented")
    chat.ok("lars", "/saving 1 120 kWh verified")
    chat.ok("lars", f"/lang {locale}")
    assert refusal in chat.refused("lars", "/merge 1 2")
    chat.ok("lars", "/status 2 declined Not this year")
    assert "2" in chat.refused("lars", "/merge 2 1")
    chat.ok("astrid", "/idea Motion sensors in the corridor")
    chat.ok("lars", "/merge 3 1")  # an open idea may be folded into a done one
    assert "#3" in chat.refused("lars", "/merge 3 1")
    assert status_of(chat, 1) == "implemented"


# Submission points: a few ideas a day, never for repeating one's own.


@pytest.mark.parametrize(
    ("locale", "no_points"),
    [
        ("da", "Ingen point denne gang: idéer giver point 3 gange om dagen."),
        ("en", "No points this time: ideas pay points 3 times a day."),
    ],
)
def test_25_junk_ideas_pay_for_three(chat: Chat, clock: ManualClock, locale: str, no_points: str) -> None:
    chat.ok("astrid", f"/lang {locale}")
    junk = [f"x123{hashlib.sha256(bytes([k])).hexdigest()[:12]}" for k in range(25)]
    replies = [chat.ok("astrid", f"/idea {text}") for text in junk]
    assert all("#" in said.text for said in replies)  # each one is on the board, none held as similar
    assert all(no_points not in said for said in replies[:3])
    assert all(no_points in said for said in replies[3:])
    assert balance(chat, "astrid") == 15
    assert len(chat.ok("astrid", "/ideas mine").reply.lines) >= 20  # every idea is still on the board
    clock.advance(timedelta(days=1))
    assert no_points not in chat.ok("astrid", "/idea Bike racks by the main door")
    assert balance(chat, "astrid") == 20


@pytest.mark.parametrize(
    ("locale", "no_points"),
    [
        ("sv", "Inga poäng den här gången: den upprepar din egen idé #1."),
        ("en", "No points this time: it repeats your own idea #1."),
    ],
)
def test_submit_mine_anyway_on_ones_own_duplicate_pays_nothing(chat: Chat, locale: str, no_points: str) -> None:
    chat.ok("astrid", f"/lang {locale}")
    chat.ok("astrid", "/idea Switch off the monitors at night")
    chat.ok("astrid", "/idea Switch off the monitors at night")
    assert no_points in chat.press("astrid", 1)
    assert balance(chat, "astrid") == 5
    chat.ok("lars", "/idea Switch off all the monitors at night")
    assert "+5" in chat.press("lars", 2)  # someone else's similar idea still pays


# Praise pays once a day per person or unit.


@pytest.mark.parametrize(
    ("locale", "no_points"),
    [
        ("nb", "Ingen poeng denne gangen: Karin har allerede fått poeng for rosen din i dag."),
        ("en", "No points this time: Karin had your praise's points today already."),
    ],
)
def test_praising_the_same_person_five_times_pays_once(
    chat: Chat, clock: ManualClock, locale: str, no_points: str
) -> None:
    municipality(chat)
    chat.ok("nils", f"/lang {locale}")
    first = chat.ok("nils", "/praise @karin Great work on the timer plugs!")
    assert no_points not in first
    for _ in range(4):
        again = chat.ok("nils", "/praise @karin Great work on the timer plugs!")
        assert no_points in again and "+10" not in again.text
    assert balance(chat, "karin") == 10
    clock.advance(timedelta(days=1))
    chat.ok("nils", "/praise @karin And again today!")
    assert balance(chat, "karin") == 20


def test_praising_the_same_unit_twice_a_day_pays_once(chat: Chat) -> None:
    municipality(chat)
    chat.ok("lars", "/praise Driftsdepotet Well sorted!")
    again = chat.ok("lars", "/praise Driftsdepotet Well sorted again!")
    assert "No points this time: Driftsdepotet" in again
    assert (balance(chat, "ola"), balance(chat, "mikkel")) == (10, 10)


# The similar-idea hint also finds what was done already.


@pytest.mark.parametrize(
    ("locale", "hint", "button"),
    [
        ("sv", "Det här är redan genomfört i idé #1", "Skicka in som uppföljning"),
        ("en", "This was done in idea #1", "Submit as a follow-up"),
    ],
)
def test_an_implemented_ideas_text_gets_a_hint(chat: Chat, locale: str, hint: str, button: str) -> None:
    chat.ok("astrid", "/idea Timer plugs on all floors")
    chat.as_("lars", "manager")
    chat.ok("lars", "/status 1 implemented")
    chat.ok("mikkel", f"/lang {locale}")
    said = chat.ok("mikkel", "/idea Timer plugs on all floors")
    assert hint in said
    assert [b.label for b in said.reply.buttons] == [button]
    assert "#2" in chat.press("mikkel", 1)


def test_an_accepted_ideas_text_is_offered_for_a_vote(chat: Chat) -> None:
    chat.ok("astrid", "/idea Timer plugs on all floors")
    chat.as_("lars", "manager")
    chat.ok("lars", "/status 1 accepted")
    assert "This looks like idea #1" in chat.ok("mikkel", "/idea Timer plugs on all floors")
