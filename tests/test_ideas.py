"""Transcripts for the idea board: submitting, similar ideas, voting, statuses, savings, merging."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core.models import Idea, IdeaDraft, LedgerEntry, Saving, Vote
from bot.messages import Action, Actor, Command, Conversation, Reply
from tests.chat import Chat


def count(chat: Chat, model: type) -> int:
    with chat.app.uow.begin(write=False) as tx:
        return int(tx.session.scalar(select(func.count()).select_from(model)) or 0)


def ideas(chat: Chat) -> list[Idea]:
    with chat.app.uow.begin(write=False) as tx:
        return list(tx.session.scalars(select(Idea).order_by(Idea.id)))


def points_of(chat: Chat, name: str) -> int:
    said = chat.ok(name, "/points")
    line = next(line for line in said.output if "Balance:" in line)
    return int(line.split("Balance:")[1].split()[0])


def test_submitting_an_idea_puts_it_on_the_board_with_points(chat: Chat) -> None:
    said = chat.ok("astrid", "/idea Automatic sliding doors for the freezer room #energi")
    assert "Your idea is on the board. +5 points" in said
    assert "Idea #1" in said
    assert "Area: energy" in said
    [idea] = ideas(chat)
    assert (idea.text, idea.area, idea.status) == (
        "Automatic sliding doors for the freezer room #energi",
        "energy",
        "new",
    )
    assert points_of(chat, "astrid") == 5


def test_an_unknown_tag_becomes_its_own_area(chat: Chat) -> None:
    chat.ok("astrid", "/idea Bee hotel on the roof #pollinators")
    assert ideas(chat)[0].area == "pollinators"


def test_empty_idea_is_refused(chat: Chat) -> None:
    said = chat.refused("astrid", "/idea    ")
    assert "Write your idea after the command" in said


def test_idea_over_2000_characters_is_refused_and_2000_is_fine(chat: Chat) -> None:
    said = chat.refused("astrid", "/idea " + "x" * 2001)
    assert "2001 characters; the limit is 2000" in said
    chat.ok("astrid", "/idea " + "y" * 2000)
    assert len(ideas(chat)[0].text) == 2000


def test_text_that_looks_like_sql_or_markup_is_stored_and_shown_literally(chat: Chat) -> None:
    nasty = "Robert'); DROP TABLE ideas;-- <b>bold</b> *stars* <script>alert(1)</script> &amp;"
    said = chat.ok("astrid", f"/idea {nasty}")
    assert nasty in said
    assert ideas(chat)[0].text == nasty
    assert nasty in chat.ok("lars", "/ideas 1")


def test_a_similar_open_idea_is_offered_for_a_vote_instead(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    said = chat.ok("lars", "/idea Switch off all the monitors at night")
    assert "This looks like idea #1" in said
    assert [b.action_id for b in said.reply.buttons] == ["idea.vote:1", "idea.draft:1"]
    assert count(chat, Idea) == 1
    voted = chat.press("lars", 1)
    assert "Your vote for idea #1 is counted" in voted
    assert count(chat, Vote) == 1


def test_submit_anyway_turns_the_draft_into_an_idea_once(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/idea Switch off all the monitors at night")
    chat.press("lars", 2)
    assert [idea.text for idea in ideas(chat)][-1] == "Switch off all the monitors at night"
    assert count(chat, IdeaDraft) == 0
    stale = chat.app.dispatcher.handle(
        Action("idea.draft", "1", Actor("console", "lars", "Lars"), Conversation("console", "general"))
    )
    assert stale is not None and stale.is_error and "That draft is gone" in stale.text
    assert count(chat, Idea) == 2


def test_a_different_idea_is_not_called_similar(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    said = chat.ok("lars", "/idea Bike to work week in May")
    assert "Your idea is on the board" in said
    short = chat.ok("ingrid", "/idea Monitors")
    assert "Your idea is on the board" in short


def test_voting_counts_once_and_pays_once(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    said = chat.ok("lars", "/vote 1")
    assert "+1 point" in said and "1 vote" in said
    again = chat.refused("lars", "/vote #1")
    assert "already voted for idea #1" in again
    assert points_of(chat, "lars") == 1


def test_you_cannot_vote_for_your_own_idea(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    said = chat.refused("astrid", "/vote 1")
    assert "cannot vote for your own idea" in said


def test_voting_for_an_unknown_or_malformed_id_is_refused(chat: Chat) -> None:
    assert "There is no idea #42" in chat.refused("lars", "/vote 42")
    assert "abc is not a number" in chat.refused("lars", "/vote abc")
    assert "Which one?" in chat.refused("lars", "/vote")


def test_the_vote_button_on_a_card_votes(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/ideas 1")
    said = chat.press("lars", 1)
    assert "Your vote for idea #1 is counted" in said


def test_the_board_lists_open_ideas_most_voted_first(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/idea Bike to work week in May")
    chat.ok("ingrid", "/vote 2")
    said = chat.ok("astrid", "/ideas")
    assert "Sustainability board: 2 ideas" in said
    first, second = [line for line in said.output if line.strip().startswith("• #")]
    assert "#2" in first and "1 vote" in first
    assert "#1" in second and "0 votes" in second


def test_board_views_mine_status_and_unit(chat: Chat) -> None:
    chat.as_("admin")
    chat.ok("admin", "/unit add team Depot")
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/idea Bike to work week in May")
    chat.ok("admin", "/unit member Depot @lars")
    chat.ok("lars", "/idea Sort food waste in the depot kitchen")
    assert "Bike" in chat.ok("lars", "/ideas mine") and "monitors" not in chat.ok("lars", "/ideas mina")
    unit = chat.ok("lars", "/ideas unit")
    assert "food waste" in unit and "Bike" not in unit
    assert "No ideas here yet" in chat.ok("lars", "/ideas godkänd")
    assert "unknown" not in chat.ok("lars", "/ideas new").text
    said = chat.refused("lars", "/ideas banana")
    assert "I don't know the board view banana" in said
    assert "not in a unit yet" in chat.refused("astrid", "/ideas unit")


def test_a_member_cannot_change_a_status(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    said = chat.refused("lars", "/status 1 accepted")
    assert "This needs the role admin, manager, or environmental representative." in said


def test_reviewers_move_an_idea_along_and_the_author_is_told(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.as_("ingrid", "representative")
    said = chat.ok("ingrid", "/status 1 under review Checking with facilities")
    assert "Idea #1 is now under review" in said
    assert said.notices == ["→ astrid: 🔔 Ingrid moved your idea #1 to 🔍 under review."]
    accepted = chat.ok("ingrid", "/status 1 godkänd")
    assert "+20 points" in accepted.text
    assert points_of(chat, "astrid") == 25
    done = chat.ok("ingrid", "/status 1 implemented Timers installed")
    assert "+50 points" in done.text
    assert points_of(chat, "astrid") == 75
    assert "can no longer change" in chat.refused("ingrid", "/status 1 declined Too late")


def test_status_rules(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.as_("ingrid", "manager")
    assert "Say why the idea is declined" in chat.refused("ingrid", "/status 1 declined")
    assert "There is no status banana" in chat.refused("ingrid", "/status 1 banana")
    assert "Which status?" in chat.refused("ingrid", "/status 1")
    assert "already new" in chat.refused("ingrid", "/status 1 new")
    chat.ok("ingrid", "/status 1 accepted")
    assert "cannot go back to under review" in chat.refused("ingrid", "/status 1 review")
    assert "There is no idea #9" in chat.refused("ingrid", "/status 9 accepted")


def test_skipping_to_implemented_pays_both_steps_and_flip_flopping_pays_once(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.as_("ingrid", "manager")
    chat.ok("ingrid", "/status 1 accepted")
    chat.ok("ingrid", "/status 1 declined Budget frozen")
    chat.ok("ingrid", "/status 1 accepted Budget found after all")
    assert points_of(chat, "astrid") == 25
    chat.ok("astrid", "/idea Motion sensors for the meeting room lights")
    chat.ok("ingrid", "/status 2 implemented")
    assert points_of(chat, "astrid") == 25 + 5 + 20 + 50


def test_status_buttons_on_the_card(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.as_("ingrid", "manager")
    card = chat.ok("ingrid", "/ideas 1")
    labels = [button.action_id for button in card.reply.buttons]
    assert labels == [
        "idea.vote:1",
        "idea.status:1:under_review:new",
        "idea.status:1:accepted:new",
        "idea.status:1:implemented:new",
        "idea.decline:1:new",
    ]
    assert "Idea #1 is now accepted" in chat.press("ingrid", 3)
    decline = chat.ok("ingrid", "/ideas 1")
    assert "say why: /status 1 declined <reason>" in chat.press("ingrid", len(decline.reply.buttons))
    member_card = chat.ok("lars", "/ideas 1")
    assert [b.action_id for b in member_card.reply.buttons] == ["idea.vote:1"]


def test_the_buttons_follow_the_flow_the_core_allows(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.as_("ingrid", "manager")
    chat.ok("ingrid", "/status 1 accepted")
    accepted = chat.ok("ingrid", "/ideas 1")
    assert [b.action_id for b in accepted.reply.buttons] == [
        "idea.vote:1",
        "idea.status:1:implemented:accepted",
        "idea.decline:1:accepted",
    ]
    chat.ok("ingrid", "/status 1 declined Budget frozen")
    declined = chat.ok("ingrid", "/ideas 1")  # taken up again at any step, the first one included
    assert [b.action_id for b in declined.reply.buttons] == [
        f"idea.status:1:{status}:declined" for status in ("new", "under_review", "accepted", "implemented")
    ]
    assert "Idea #1 is now new" in chat.press("ingrid", 1)
    chat.ok("ingrid", "/status 1 implemented")
    assert chat.ok("ingrid", "/ideas 1").reply.buttons == ()


def test_a_press_on_a_card_gone_stale_changes_nothing(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.as_("ingrid", "manager")
    chat.as_("nils", "representative")
    stale = [button.action_id for button in chat.ok("ingrid", "/ideas 1").reply.buttons]  # shows new
    chat.ok("nils", "/status 1 under review")
    before = chat.snapshot()
    presses = [press(chat, "ingrid", action_id) for action_id in stale[2:]]  # accepted, implemented, decline
    assert [reply.text for reply in presses] == ["Idea #1 was already moved to under review by Nils."] * 3
    assert chat.snapshot() == before
    assert "Idea #1 is now accepted" in chat.ok("ingrid", "/status 1 accepted")  # typed: acts on what is
    assert "Idea #1 was already moved to accepted by Ingrid." in chat.refused("nils", "/status 1 accepted")
    crafted = press(chat, "ingrid", "idea.status:1:implemented:banana")
    assert crafted.text == "That button no longer works; please use the command instead."


def press(chat: Chat, name: str, action_id: str) -> Reply:
    """A press on a button of any earlier reply (the console only offers the last one's)."""
    action, _, arg = action_id.partition(":")
    reply = chat.app.dispatcher.handle(
        Action(action, arg, Actor("console", name), Conversation("console", name))
    )
    assert reply is not None
    return reply


def test_savings_expected_by_the_author_verified_by_a_reviewer(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    said = chat.ok("astrid", "/saving 1 120 kWh/month")
    assert "expected saving 1,440 kWh a year on #1" in said
    assert "This needs the role admin" in chat.refused("astrid", "/saving 1 100 kWh/month verified")
    assert "This needs the role admin, manager, or" in chat.refused("lars", "/saving 1 100 kWh/month")
    chat.as_("ingrid", "representative")
    verified = chat.ok("ingrid", "/saving 1 98,5 kWh/month verifierad")
    assert "Verified saving: 1,182 kWh a year" in verified
    assert count(chat, Saving) == 2
    assert "must be a positive amount" in chat.refused("ingrid", "/saving 1 -5 kWh")
    assert "x is not an amount" in chat.refused("ingrid", "/saving 1 x kWh")
    assert "Give the unit too" in chat.refused("ingrid", "/saving 1 5")
    assert "I can't read the unit" in chat.refused("ingrid", "/saving 1 5 " + "k" * 31)


def from_form(chat: Chat, name: str, text: str, form: dict[str, str]) -> Reply:
    """`/idea text` sent with a form's fields, as the Slack idea modal sends it."""
    command = Command("idea", text, Actor("console", name), Conversation("console", name), form=form)
    reply = chat.app.dispatcher.handle(command)
    assert reply is not None
    return reply


def savings(chat: Chat) -> list[tuple[int, str, str, str]]:
    with chat.app.uow.begin(write=False) as tx:
        rows = tx.session.scalars(select(Saving).order_by(Saving.id))
        return [(row.idea_id, str(row.amount), row.unit, row.kind) for row in rows]


def test_an_idea_its_area_and_expected_saving_in_one_go(chat: Chat) -> None:
    form = {"area": "energi", "saving_amount": "3 200,5", "saving_unit": "kWh/year"}
    reply = from_form(chat, "astrid", "Night setback on the ventilation", form)
    assert not reply.is_error and ":moneybag: Expected saving: 3,200.5 kWh a year" in reply.lines
    [idea] = ideas(chat)
    assert (idea.text, idea.area) == ("Night setback on the ventilation", "energy")
    assert savings(chat) == [(idea.id, "3200.500", "kWh/year", "expected")]
    assert points_of(chat, "astrid") == 5


def test_a_form_with_a_bad_saving_or_area_leaves_nothing_behind(chat: Chat) -> None:
    chat.ok("astrid", "/me")
    before = chat.snapshot()
    refusals = [
        from_form(chat, "astrid", "Night setback on the ventilation", form).text
        for form in (
            {"saving_amount": "-5", "saving_unit": "kWh"},
            {"saving_amount": "lots", "saving_unit": "kWh"},
            {"saving_amount": "5"},
            {"saving_unit": "kWh"},
            {"saving_amount": "5", "saving_unit": "k" * 31},
            {"saving_amount": "1e9", "saving_unit": "kWh"},
            {"area": "two words"},
        )
    ]
    assert refusals == [
        "A saving must be a positive amount, e.g. /saving 12 120 kWh/month.",
        "lots is not an amount; write a number, e.g. 1 500.",
        "Give the unit too, e.g. kWh/year.",
        "Give the amount too.",
        "I can't read the unit "
        + "k" * 31
        + ". Use one of kWh, MWh, kg, t, km, l, m³, kg CO2e, per month or per year if you like, e.g. kWh/year.",
        "Write 1e9 in plain digits, e.g. 1 500 000.",
        "Name the area in one word, e.g. energy.",
    ]
    assert chat.snapshot() == before


def test_a_held_draft_keeps_the_area_and_saving_it_came_with(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    form = {"area": "waste", "saving_amount": "12", "saving_unit": "kg/week"}
    offer = from_form(chat, "lars", "Switch off all the monitors at night", form)
    assert "This looks like idea #1" in offer.text and count(chat, Idea) == 1
    draft = offer.buttons[-1].action_id.partition(":")[2]
    submitted = chat.app.dispatcher.handle(
        Action("idea.draft", draft, Actor("console", "lars"), Conversation("console", "lars"))
    )
    assert submitted is not None and "Your idea is on the board" in submitted.text
    idea = ideas(chat)[-1]
    assert idea.area == "waste" and savings(chat) == [(idea.id, "626.143", "kg/year", "expected")]


def test_merging_moves_votes_and_tells_both_authors(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/idea Bike to work week in May")
    chat.ok("ingrid", "/vote 2")
    chat.ok("astrid", "/vote 2")
    chat.as_("nils", "manager")
    assert "This needs the role admin, manager, or" in chat.refused("ingrid", "/merge 2 1")
    said = chat.ok("nils", "/merge 2 1")
    assert "Idea #2 is merged into #1; 1 vote moved." in said
    # Ingrid's vote moves; Astrid authored #1 so hers cannot; Lars (the duplicate's author) now supports
    # #1, which is no vote: nobody cast it (tests/test_idea_merge.py).
    assert "Lars (author of #2) now counts as a supporter of #1 (not a vote; no points)." in said
    assert sorted(n.split(":")[0] for n in said.notices) == ["→ astrid", "→ lars"]
    with chat.app.uow.begin(write=False) as tx:
        votes = tx.session.execute(select(Vote.idea_id, func.count()).group_by(Vote.idea_id)).all()
    assert votes == [(1, 1)]
    assert "merged into #1; vote there" in chat.refused("ingrid", "/vote 2")
    assert "cannot be merged into itself" in chat.refused("nils", "/merge 1 1")
    assert "Idea #2 was already merged into #1 by Nils." in chat.refused("nils", "/merge 2 1")
    assert "Idea #2 was already merged into #1 by Nils." in chat.refused("nils", "/merge 1 2")
    assert "Idea #2 is merged and can no longer change." in chat.refused("nils", "/status 2 accepted")


def test_points_are_paid_once_per_award_key(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("lars", "/vote 1")
    with chat.app.uow.begin(write=False) as tx:
        keys = tx.session.execute(select(LedgerEntry.reason, LedgerEntry.reference)).all()
    assert sorted(keys) == [("idea_submitted", "idea:1"), ("vote_cast", "vote:1")]
