"""Transcripts for an idea's author: editing it while new, withdrawing it while open, who sees the old text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.core.clock import ManualClock
from bot.core.models import Idea, IdeaEdit, LedgerEntry
from bot.messages import Actor, Command, Conversation
from tests.chat import Chat
from tests.test_fair_rules import balance, municipality


def idea(chat: Chat, idea_id: int) -> Idea:
    with chat.app.uow.begin(write=False) as tx:
        return tx.session.get_one(Idea, idea_id)


def edits(chat: Chat) -> list[tuple[int, str, str | None]]:
    with chat.app.uow.begin(write=False) as tx:
        rows = tx.session.scalars(select(IdeaEdit).order_by(IdeaEdit.id))
        return [(row.idea_id, row.old_text, row.old_area) for row in rows]


def test_the_author_edits_a_new_idea_and_its_area_follows_the_tag(chat: Chat) -> None:
    chat.ok("astrid", "/idea Swich off the monitors at nihgt #energi")
    said = chat.ok("astrid", "/idea edit 1 Switch off the screens in the meeting rooms at night #avfall")
    assert "Idea #1 now says what you wrote; reviewers can see what it said before." in said
    assert "Area: waste" in said
    assert (idea(chat, 1).text, idea(chat, 1).area) == (
        "Switch off the screens in the meeting rooms at night #avfall",
        "waste",
    )
    chat.ok("astrid", "/idea edit 1 Switch off the screens in the meeting rooms every night")
    assert idea(chat, 1).area == "waste"  # no #tag: the area stays
    assert edits(chat) == [
        (1, "Swich off the monitors at nihgt #energi", "energy"),
        (1, "Switch off the screens in the meeting rooms at night #avfall", "waste"),
    ]
    assert "before: “Swich off the monitors at nihgt #energi”" in chat.ok("astrid", "/ideas 1")


def test_an_idea_that_starts_with_the_verb_is_an_idea(chat: Chat) -> None:
    chat.ok("astrid", "/idea Edit the canteen menu to cut meat twice a week")
    assert idea(chat, 1).text == "Edit the canteen menu to cut meat twice a week"


def test_edit_refusals(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    assert "Idea #1 is not yours; only its author can change it." in chat.refused(
        "lars", "/idea edit 1 Lights off too"
    )
    assert "There is no idea #9." in chat.refused("astrid", "/idea edit 9 Lights off")
    assert "Write the idea's new text after its number" in chat.refused("astrid", "/idea edit 1")
    assert "Idea #1 already says that." in chat.refused("astrid", "/idea edit 1 Switch off monitors at night")
    assert "the limit is 2000" in chat.refused("astrid", "/idea edit 1 " + "x" * 2001)
    chat.as_("nils", "manager")
    chat.ok("nils", "/status 1 under review")
    said = chat.refused("astrid", "/idea edit 1 Switch off monitors and lights at night")
    assert "Idea #1 is under review now; an idea can be edited only while it is new." in said


def test_an_edit_that_repeats_another_open_idea_says_so_and_stands(chat: Chat) -> None:
    chat.ok("lars", "/idea Switch off monitors at night")
    chat.ok("astrid", "/idea Bike to work week in May")
    said = chat.ok("astrid", "/idea edit 2 Switch off all the monitors at night")
    assert "It now looks like idea #1: “Switch off monitors at night” (0 votes). Yours stays as it is." in said
    assert said.reply is not None and said.reply.buttons[0].action_id == "idea.vote:1"
    assert idea(chat, 2).text == "Switch off all the monitors at night"
    # The board the similarity check keeps learns the edit: the old text resembles nothing now.
    assert "Your idea is on the board" in chat.ok("ingrid", "/idea Bike to work week in May and June")


def test_the_history_shows_to_the_author_and_the_reviewers_of_its_unit_only(chat: Chat) -> None:
    municipality(chat)
    chat.ok("mikkel", "/idea Electric cargo bike for the depto")
    chat.ok("mikkel", "/idea edit 1 Electric cargo bike for the depot")
    before = "before: “Electric cargo bike for the depto”"
    assert before in chat.ok("mikkel", "/ideas 1")
    assert before in chat.ok("ola", "/ideas 1")  # the depot's representative
    assert before not in chat.ok("ingrid", "/ideas 1")  # the town hall's, outside her units
    assert before not in chat.ok("karin", "/ideas 1")  # a colleague


def test_swedish_edit_and_withdraw(chat: Chat) -> None:
    chat.ok("astrid", "/lang sv")
    chat.ok("astrid", "/idea Släck skärmarna på natten")
    said = chat.ok("astrid", "/idea ändra 1 Släck skärmarna och lamporna på natten #energi")
    assert "Idé #1 säger nu det du skrev; granskarna kan se vad den sa tidigare." in said
    assert "före: “Släck skärmarna på natten”" in said
    chat.ok("lars", "/lang sv")
    assert "Idé #1 är inte din; bara den som skrev den kan ändra den." in chat.refused(
        "lars", "/idea återkalla 1"
    )
    said = chat.ok("astrid", "/idea återkalla 1 Det finns redan timers")
    assert "Idé #1 är återkallad." in said
    assert idea(chat, 1).status == "withdrawn"
    assert "Du har redan återkallat idé #1." in chat.refused("astrid", "/idea återkalla 1")
    assert "Du har redan återkallat idé #1." in chat.refused("astrid", "/idea ändra 1 Släck allt")


def test_withdrawing_keeps_the_votes_closes_voting_and_leaves_the_open_board(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/vote 1")
    said = chat.ok("astrid", "/idea withdraw 1 The building has timers already")
    assert "Idea #1 is withdrawn. Its votes stay; no more can be cast." in said
    assert "1 vote" in said
    assert "Note: The building has timers already" in said
    assert "withdrew it" in said
    assert idea(chat, 1).status == "withdrawn"
    assert "Idea #1 is withdrawn; voting is closed." in chat.refused("ingrid", "/vote 1")
    assert "No ideas here yet" in chat.ok("ingrid", "/ideas")
    assert "#1" in chat.ok("ingrid", "/ideas withdrawn")
    # Out of the similarity check: the same idea again is simply new.
    assert "Your idea is on the board" in chat.ok("ingrid", "/idea Switch off monitors at night")


def test_withdraw_refusals(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    assert "Idea #1 is not yours; only its author can change it." in chat.refused("lars", "/idea withdraw 1")
    chat.as_("nils", "manager")
    assert "Only its author can withdraw idea #1." in chat.refused("nils", "/status 1 withdrawn")
    chat.ok("nils", "/status 1 accepted")
    assert "Idea #1 is accepted; it can no longer be withdrawn." in chat.refused("astrid", "/idea withdraw 1")
    chat.ok("astrid", "/idea Bike to work week in May")
    chat.ok("astrid", "/idea withdraw 2")
    assert "You have already withdrawn idea #2." in chat.refused("astrid", "/idea withdraw 2")
    assert "You have already withdrawn idea #2." in chat.refused("astrid", "/idea edit 2 Bike week")
    assert "Idea #2 is withdrawn and can no longer change." in chat.refused("nils", "/status 2 accepted")
    assert "Idea #2 is withdrawn; only an open idea can be merged." in chat.refused("nils", "/merge 2 1")
    assert "Idea #2 is withdrawn and can no longer change." in chat.refused("nils", "/merge 1 2")


def _idea_points(chat: Chat) -> list[tuple[str, int]]:
    with chat.app.uow.begin(write=False) as tx:
        rows = tx.session.execute(
            select(LedgerEntry.reason, LedgerEntry.amount)
            .where(LedgerEntry.reason.in_(("idea_submitted", "idea_withdrawn")))
            .order_by(LedgerEntry.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_points_come_back_only_when_withdrawn_the_day_they_were_paid(chat: Chat, clock: ManualClock) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    said = chat.ok("astrid", "/idea withdraw 1")
    assert "The 5 points it paid today are taken back." in said
    assert balance(chat, "astrid") == 0
    assert "idea withdrawn the day it was submitted, taken back" in chat.ok("astrid", "/points")
    chat.ok("astrid", "/idea Bike to work week in May")
    clock.advance(timedelta(days=1))
    said = chat.ok("astrid", "/idea withdraw 2")
    assert "taken back" not in said
    assert balance(chat, "astrid") == 5
    assert _idea_points(chat) == [("idea_submitted", 5), ("idea_withdrawn", -5), ("idea_submitted", 5)]


@pytest.mark.parametrize("locale", ["en", "nb"])
def test_the_review_counts_withdrawn_ideas_apart(chat: Chat, locale: str) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("astrid", "/idea Bike to work week in May")
    chat.as_("nils", "manager")
    chat.ok("nils", "/status 1 accepted")
    chat.ok("astrid", "/idea withdraw 2")
    chat.ok("nils", f"/lang {locale}")
    said = chat.ok("nils", "/review")
    expected = {
        "en": ("1 accepted, 0 implemented, 0 declined.", "1 idea withdrawn by its author."),
        "nb": ("1 godkjent, 0 gjennomført, 0 avslått.", "1 idé trukket tilbake av forslagsstilleren."),
    }[locale]
    for line in expected:
        assert line in said


@pytest.mark.parametrize(
    ("locale", "edit", "withdraw", "withdrawn"),
    [
        ("nb", "endre", "trekk tilbake", "Idé #1 er trukket tilbake."),
        ("da", "ret", "træk tilbage", "Idé #1 er trukket tilbage."),
    ],
)
def test_the_verbs_the_usage_line_shows_in_norwegian_and_danish(
    chat: Chat, locale: str, edit: str, withdraw: str, withdrawn: str
) -> None:
    chat.ok("kari", f"/lang {locale}")
    usage = chat.ok("kari", "/help idea").text.splitlines()[0]
    assert f"/idea {edit} <id>" in usage and f"/idea {withdraw} <id>" in usage
    chat.ok("kari", "/idea Slå av skjermene om natta")
    chat.ok("kari", f"/idea {edit} 1 Slå av skjermene og lysene om natta")
    assert idea(chat, 1).text == "Slå av skjermene og lysene om natta"
    assert withdrawn in chat.ok("kari", f"/idea {withdraw} 1 Det finnes tidsur allerede")
    assert idea(chat, 1).status_note == "Det finnes tidsur allerede"


def test_in_a_channel_the_card_keeps_the_old_text_to_itself(chat: Chat) -> None:
    author = Actor("slack", "U1", "Astrid")
    direct, channel = Conversation("slack", "D1", "direct"), Conversation("slack", "C1", "channel")
    for line in ("idea Swich off monitors", "idea edit 1 Switch off monitors"):
        name, _, text = line.partition(" ")
        reply = chat.app.dispatcher.handle(Command(name, text, author, direct))
        assert reply is not None and not reply.is_error, reply and reply.text
    before = "before: “Swich off monitors”"
    shown = [chat.app.dispatcher.handle(Command("ideas", "1", author, where)) for where in (direct, channel)]
    assert [before in "\n".join(reply.lines) for reply in shown if reply is not None] == [True, False]
