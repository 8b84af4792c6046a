"""/privacy hide: a person shown as "a colleague" in every post, list and notice others see, in the
reader's language; /privacy show brings the name back; refusals change nothing."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.models import Person
from bot.core.people import HIDDEN_NAME
from bot.i18n import Translator
from bot.review_export import export_review
from tests.chat import Chat
from tests.test_campaigns import KICK_OFF, THE_END, press_posted, team, tick
from tests.test_competitions import TWO_WEEKS, competition_id, earn, units
from tests.test_goals import set_goal

COLLEAGUE = {"en": "a colleague", "sv": "en kollega", "nb": "en kollega", "da": "en kollega"}


def hidden(chat: Chat, name: str) -> tuple[bool, datetime | None]:
    with chat.app.uow.begin(write=False) as tx:
        person = tx.session.scalars(select(Person).where(Person.display_name == name)).one()
        return person.hidden, person.privacy_changed_at


def test_the_command_says_what_is_in_force_hides_and_shows(chat: Chat, clock: ManualClock) -> None:
    said = chat.ok("alice", "/privacy")
    assert "Your name is shown in posts, lists and notices." in said
    assert "To appear as “a colleague” instead, use /privacy hide." in said
    assert hidden(chat, "Alice") == (False, None)
    said = chat.ok("alice", "/privacy hide")
    assert "others see you as “a colleague”" in said and "Show it again with /privacy show." in said
    assert hidden(chat, "Alice") == (True, clock.now())
    assert "Your name is hidden" in chat.ok("alice", "/privacy")
    clock.advance(timedelta(minutes=5))
    assert "already hidden" in chat.ok("alice", "/privacy hide")
    assert hidden(chat, "Alice") == (True, clock.now() - timedelta(minutes=5))  # nothing changed
    assert "your name is shown again" in chat.ok("alice", "/privacy show")
    assert hidden(chat, "Alice") == (False, clock.now())
    assert "already shown" in chat.ok("alice", "/privacy show")


@pytest.mark.parametrize(
    ("locale", "hide", "show", "words"),
    [
        ("sv", "dölj", "visa", "”en kollega”"),
        ("nb", "skjul", "vis", "«en kollega»"),
        ("da", "skjul", "vis", "»en kollega«"),
    ],
)
def test_the_verbs_in_swedish_norwegian_and_danish(
    chat: Chat, locale: str, hide: str, show: str, words: str
) -> None:
    chat.ok("alice", f"/lang {locale}")
    assert words in chat.ok("alice", f"/privacy {hide}")
    assert hidden(chat, "Alice")[0]
    assert words in chat.ok("alice", "/privacy")
    chat.ok("alice", f"/privacy {show}")
    assert not hidden(chat, "Alice")[0]


def test_refusals_change_nothing_and_are_translated(chat: Chat) -> None:
    assert "/privacy [hide | show]" in chat.refused("alice", "/privacy banana")
    assert "/privacy [hide | show]" in chat.refused("alice", "/privacy hide now")
    chat.ok("alice", "/lang sv")
    assert "/privacy [dölj | visa]" in chat.refused("alice", "/privacy kanske")
    chat.ok("alice", "/privacy dölj")
    assert "/privacy [dölj | visa]" in chat.refused("alice", "/privacy 12")
    assert hidden(chat, "Alice")[0]


def test_the_marker_is_words_in_the_readers_language_capitalised_where_a_sentence_starts() -> None:
    en, sv = Translator("en"), Translator("sv")
    assert en.shown_names(f"{HIDDEN_NAME} asks:") == "A colleague asks:"
    assert en.shown_names(f":tada: {HIDDEN_NAME} praises {HIDDEN_NAME}: well done") == (
        ":tada: A colleague praises a colleague: well done"
    )
    assert (
        en.shown_names(f"1. {HIDDEN_NAME}, Bo (tie)\n2. {HIDDEN_NAME}")
        == "1. A colleague, Bo (tie)\n2. A colleague"
    )
    assert (
        sv.shown_names(f"Tack till {HIDDEN_NAME}. {HIDDEN_NAME} vann.")
        == "Tack till en kollega. En kollega vann."
    )
    assert en.t("Kudos from {from_name}", from_name=HIDDEN_NAME) == "Kudos from a colleague"


def test_ideas_cards_lists_and_status_notices(chat: Chat) -> None:
    chat.ok("alice", "/privacy hide")
    chat.ok("alice", "/idea Switch off monitors at night")
    chat.ok("bob", "/idea Bike racks at the entrance")
    listed = chat.ok("bob", "/ideas").text
    assert "Alice" not in listed  # the list shows no authors; the card does
    card = chat.ok("bob", "/ideas 1").text
    assert "Alice" not in card and "by a colleague" in card
    chat.as_("mia", "manager")
    chat.ok("mia", "/privacy hide")
    said = chat.ok("mia", "/status 1 accepted")
    assert said.notices and all("Mia" not in notice for notice in said.notices)
    assert any("A colleague moved your idea #1" in notice for notice in said.notices)
    chat.ok("bob", "/lang sv")
    merged = chat.ok("mia", "/merge 2 1")
    bobs = [notice for notice in merged.notices if notice.startswith("→ bob")]
    assert bobs and "En kollega har slagit ihop idé #2 med #1" in bobs[0] and "Mia" not in bobs[0]
    assert "by a colleague" in chat.refused("admin", "/merge 2 1")  # already merged by …
    card = chat.ok("bob", "/ideas 1").text
    assert "Alice" not in card and "Mia" not in card and "en kollega" in card
    chat.ok("mia", "/privacy show")
    chat.ok("alice", "/privacy show")
    card = chat.ok("bob", "/ideas 1").text
    assert "Alice" in card and "Mia" in card and "en kollega" not in card


def test_leaderboard(chat: Chat) -> None:
    chat.ok("alice", "/idea Switch off monitors at night")
    chat.ok("bob", "/idea Bike racks at the entrance")
    assert "Alice" in chat.ok("bob", "/leaderboard")
    chat.ok("alice", "/privacy hide")
    board = chat.ok("bob", "/leaderboard").text
    assert "Alice" not in board and "A colleague" in board and "Bob" in board
    chat.ok("bob", "/lang nb")
    assert "En kollega" in chat.ok("bob", "/leaderboard")
    assert "Alice" in chat.ok("alice", "/me")  # about herself, to herself
    chat.ok("alice", "/privacy show")
    assert "Alice" in chat.ok("bob", "/leaderboard")


def test_praise_shout_outs_and_kudos(chat: Chat) -> None:
    chat.ok("admin", "/unit add team North")
    chat.as_("lars")
    chat.as_("ingrid", "manager")
    chat.ok("admin", "/unit member North @lars @ingrid")
    chat.ok("admin", "/unit channel North")
    chat.ok("lars", "/privacy hide")
    said = chat.ok("ingrid", "/praise @lars for the recycling corner")
    assert "Ingrid praises a colleague: for the recycling corner" in said
    assert "→ #general: 🎉 Ingrid praises a colleague: for the recycling corner" in said.notices
    assert "Lars" not in said.text
    chat.ok("ingrid", "/privacy hide")
    chat.ok("lars", "/lang da")
    said = chat.ok("ingrid", "/praise @lars for the compost")
    assert "Ingrid" not in said.text and "Lars" not in said.text
    lars = [notice for notice in said.notices if notice.startswith("→ lars")]
    assert lars and lars[0].startswith("→ lars: 🎉 En kollega")
    said = chat.ok("ingrid", "/kudos @lars for the bike shed")
    assert "Kudos to a colleague!" in said
    assert said.notices == ["→ lars: 🌱 Kudos fra en kollega: for the bike shed"]
    chat.ok("ingrid", "/privacy show")
    chat.ok("lars", "/privacy show")
    said = chat.ok("ingrid", "/kudos @lars for the shelves")
    assert "Kudos to Lars!" in said and "Ingrid" in said.notices[0]


def test_campaign_results_and_progress_posts(chat: Chat, clock: ManualClock, tmp_path: Path) -> None:
    chat.session.charts_dir = tmp_path
    team(chat)
    chat.ok("mia", "/praise @alice for the monitor idea")
    chat.ok("mia", "/campaign new from bike-week 2026-11-23 North")
    tick(chat, clock, KICK_OFF)
    chat.ok("alice", "/did cycled to work")
    chat.ok("bob", "/did walked to work")
    chat.ok("alice", "/privacy hide")
    said = press_posted(chat, "alice", "campaign.did:1:3", refused=False)  # the post's button: public
    assert "Alice" not in said.text and "A colleague: ✅ took public transport" in said.text
    digest = chat.ok("bob", "/digest").text
    assert "Alice" not in digest and "Top contributors: a colleague" in digest
    assert "Mia to a colleague" in digest
    chat.ok("bob", "/lang sv")
    digest = chat.ok("bob", "/digest").text
    assert "Alice" not in digest and "Flitigast: en kollega" in digest and "Mia till en kollega" in digest
    posted = tick(chat, clock, THE_END)
    assert "🏆" in posted and "Alice" not in posted
    assert "1. A colleague (15 points)" in posted and "2. Bob (10 points)" in posted


def test_competition_standings_between_people(app: App, chat: Chat) -> None:
    units(chat, {"North": ["ann", "bo", "cy"]})
    chat.ok("admin", f"/competition new people Sprint {TWO_WEEKS} units North")
    earn(app, "ann", 7)
    earn(app, "bo", 7)
    earn(app, "cy", 3)
    chat.ok("ann", "/privacy hide")
    said = chat.ok("bo", f"/competition {competition_id(app)}").text
    assert "Ann" not in said and "A colleague, Bo (tie) — 7 points" in said
    chat.ok("ann", "/privacy show")
    assert "1. Ann, Bo (tie) — 7 points" in chat.ok("bo", f"/competition {competition_id(app)}")


def test_polls_goals_and_celebrations(chat: Chat, tmp_path: Path) -> None:
    chat.session.charts_dir = tmp_path
    team(chat)
    chat.ok("mia", "/privacy hide")
    asked = chat.ok("mia", '/poll "Lunch on Friday?" "Pizza" "Salad"').text
    assert "Mia" not in asked and "A colleague asks:" in asked
    set_goal(chat, "mia")
    card = chat.ok("alice", "/goal 1").text
    assert "Mia" not in card and "Owner: a colleague" in card
    said = chat.ok("mia", "/progress 1 150 MWh")
    assert "Measured by a colleague." in said.text and "Mia" not in said.text
    chat.ok("mia", "/privacy show")
    assert "Owner: Mia" in chat.ok("alice", "/goal 1")


def test_a_reminder_names_its_setter_as_they_are_when_it_fires(chat: Chat, clock: ManualClock) -> None:
    chat.ok("admin", "/unit add team Canteen")
    chat.ok("lars", "/me")
    chat.ok("ingrid", "/me")
    chat.ok("admin", "/role @ingrid manager")
    chat.ok("admin", "/unit member Canteen @lars @ingrid")
    chat.ok("admin", "/unit channel Canteen")
    chat.ok("ingrid", "/remind Canteen tomorrow 10:00 Stock the cups")
    chat.ok("ingrid", "/privacy hide")  # after the reminder was set
    clock.set(datetime(2026, 11, 17, 9, 0, tzinfo=UTC))
    assert chat.ok("lars", "/me").notices == ["→ #general: ⏰ Reminder from a colleague: Stock the cups"]


def test_the_yearly_review_pack_names_a_hidden_person_a_colleague(chat: Chat, tmp_path: Path) -> None:
    team(chat)
    chat.ok("mia", "/praise @alice for the monitors")
    chat.ok("alice", "/privacy hide")
    export_review(chat.app.uow, 2026, tmp_path, lambda step: None)
    with (tmp_path / "review-2026-praise.csv").open(encoding="utf-8") as praise_file:
        (praise,) = csv.DictReader(praise_file)
    assert (praise["from"], praise["to_person"]) == ("Mia", "A colleague")  # a cell of its own starts with it
    assert all(HIDDEN_NAME not in path.read_text(encoding="utf-8") for path in tmp_path.glob("*.csv"))
