"""The current-state survey in the console: start, answer in three languages, resume, change, results, close."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.adapters.console import CONVERSATION
from bot.core.models import SurveyAnswer
from bot.messages import Action
from campaigns.survey_statements import CATEGORIES
from tests.chat import Chat, Said

SKIP_BUTTON = 6
# Per category: what every respondent answers to its statements, and how important the area is to them.
ANSWERS = {
    "energy": (2, 5),  # priority 5 × (5 − 2) = 15
    "waste": (4, 5),  # 5
    "transport": (1, 4),  # 16
    "purchasing": (3, 3),  # 6
    "chemicals": (2, 2),  # 6: tied with purchasing
    "work_environment": (5, 4),  # 0: nothing to improve
    "engagement": (3, 4),  # 8
}
QUESTIONS = sum(len(category.statements) + 1 for category in CATEGORIES)


def presses() -> list[int]:
    """The buttons one respondent presses, question by question, to give ANSWERS."""
    return [
        button
        for category in CATEGORIES
        for score, interest in [ANSWERS[category.key]]
        for button in [score] * len(category.statements) + [interest]
    ]


def answer(chat: Chat, name: str, buttons: list[int]) -> Said:
    said = chat.ok(name, "/survey")
    for button in buttons:
        said = chat.press(name, button)
        assert not said.reply or not said.reply.is_error, said.text
    return said


def organisation(chat: Chat) -> None:
    chat.ok("admin", "/unit add site Kitchen")
    chat.ok("admin", "/unit add site Office")
    for name in ("alice", "bob", "carl", "dora", "erik", "rita"):
        chat.as_(name)
    chat.ok("admin", "/unit member Kitchen @alice @bob @carl @rita")
    chat.ok("admin", "/unit member Office @dora @erik")
    chat.ok("admin", "/unit rep Kitchen @rita")


def answers_in(chat: Chat) -> int:
    with chat.app.uow.begin(write=False) as tx:
        return tx.session.scalar(select(func.count()).select_from(SurveyAnswer)) or 0


def test_a_whole_survey_from_start_to_focus_areas(chat: Chat) -> None:
    organisation(chat)
    chat.ok("bob", "/lang sv")
    chat.ok("dora", "/lang da")
    started = chat.ok("admin", "/survey start")
    assert f"Survey #1 is open: {QUESTIONS} questions in 7 areas." in started
    assert "7 people were invited by DM." in started  # the admin and the six colleagues
    invitations = started.text  # the outbox is delivered after each line in the console
    assert "→ alice: 📋 Survey #1: how are we doing on the environment at work?" in invitations
    assert "→ bob: 📋 Enkät #1" in invitations  # in the language each one chose
    assert "[1] Begin" in invitations

    # Alice begins, gives a wrong first answer, stops after five questions and comes back later.
    first = chat.ok("alice", "/survey")
    assert "question 1 of 35: Energy" in first and "switched off when nobody uses them" in first
    assert "[1] 1  [2] 2  [3] 3  [4] 4  [5] 5  [6] Skip" in first
    said = chat.press("alice", 4)
    assert "Saved: 4." in said and "question 2 of 35" in said
    for button in presses()[1:5]:
        chat.press("alice", button)
    chat.ok("alice", "/points")
    resumed = chat.ok("alice", "/survey")
    assert "question 6 of 35: Waste and recycling" in resumed
    answer(chat, "alice", presses()[5:])
    shown = chat.ok("alice", "/survey 1")
    assert "Your answer now: 4. Press another to change it." in shown
    changed = chat.press("alice", 2)
    assert "Saved: 2." in changed and "That was all of survey #1. Thank you!" in changed
    assert "You answered 35 of 35 questions." in changed

    # Bob answers in Swedish, Carl in English; Dora in Danish skips one question, Erik answers too.
    swedish = chat.ok("bob", "/survey")
    assert "Enkät #1, fråga 1 av 35: Energi" in swedish
    assert "Belysning, skärmar och maskiner stängs av när ingen använder dem." in swedish
    done = answer(chat, "bob", presses())
    assert "Tack!" in done
    answer(chat, "carl", presses())
    danish = chat.ok("dora", "/survey")
    assert "Lys, skærme og maskiner slukkes, når ingen bruger dem." in danish
    answer(chat, "dora", [SKIP_BUTTON, *presses()[1:]])
    assert "Du sprang dette spørgsmål over" in chat.ok("dora", "/survey 1")
    answer(chat, "erik", presses())

    results = chat.ok("rita", "/survey results")
    assert "The organisation: 5 people answered" in results
    assert "Energy: 2.0 (40%)" in results and "Transport and travel: 1.0 (20%)" in results
    assert "Work environment: 5.0 (100%)" in results
    assert "Kitchen: 3 people answered" in results
    assert "Office" not in results  # Rita looks after Kitchen only
    everything = chat.ok("admin", "/survey results")
    assert "Office: too few answers to show (fewer than three people)." in everything
    assert "Kitchen: 3 people answered" in everything
    assert "too few answers" in chat.ok("admin", "/survey results Office")

    matrix = chat.ok("admin", "/survey materiality")
    assert "Priority = interest × (5 − score)" in matrix
    assert "1. Transport and travel: priority 16.0 = interest 4.0 × (5 − score 1.0) 🎯" in matrix
    assert "2. Energy: priority 15.0" in matrix and "3. Leadership and involvement: priority 8.0" in matrix
    assert "4= Purchasing: priority 6.0" in matrix and "4= Chemicals: priority 6.0" in matrix
    assert "6. Waste and recycling: priority 5.0 = interest 5.0 × (5 − score 4.0)" in matrix
    assert "6. Waste and recycling: priority 5.0 = interest 5.0 × (5 − score 4.0) 🎯" not in matrix
    assert "Important, room to improve: Transport and travel and Energy" in matrix
    assert (
        "Important, in good shape: Leadership and involvement, Purchasing, Waste and recycling, and Work"
        in matrix
    )
    assert "Less important, room to improve: Chemicals" in matrix
    assert "Less important, in good shape: –" in matrix
    assert (
        "Proposed focus areas: Transport and travel, Energy, Leadership and involvement, Purchasing, and"
        " Chemicals." in matrix
    )

    closed = chat.ok("admin", "/survey close")
    assert "Survey #1 is closed; 5 people answered." in closed
    assert "Survey #1 (closed)" in chat.ok("admin", "/survey results")
    assert "Survey #1 is closed; answers can no longer be given or changed." in refused_press(
        chat, "alice", "1:3"
    )
    assert "No survey is open now." in chat.refused("alice", "/survey")


def refused_press(chat: Chat, name: str, arg: str, action: str = "survey.answer") -> str:
    """Press a button no reply offers now; the refusal's text. The database must not change."""
    chat.as_(name)
    before = chat.snapshot()
    reply = chat.app.dispatcher.handle(Action(action, arg, chat.session.actor, CONVERSATION))
    assert reply is not None and reply.is_error, reply
    assert chat.snapshot() == before
    return reply.text


def test_refusals_change_nothing(chat: Chat) -> None:
    organisation(chat)
    starters = "Surveys are started by admins, or by managers and representatives for their units."
    assert starters in chat.refused("alice", "/survey start")
    assert starters in chat.refused("alice", "/survey start Kitchen")
    assert "No survey is open now." in chat.refused("alice", "/survey")
    assert "No survey has been run yet." in chat.refused("admin", "/survey results")
    assert "Name the units the survey is for" in chat.refused("rita", "/survey start")
    assert "Office is outside the units you look after." in chat.refused("rita", "/survey start Office")
    chat.ok("rita", "/survey start Kitchen")
    assert "Survey #1 is still open; close it with /survey close before starting another." in chat.refused(
        "admin", "/survey start"
    )
    assert "Survey #1 is for other units than yours." in chat.refused("dora", "/survey")
    assert "Survey #1 is for other units than yours." in refused_press(chat, "dora", "1:3")
    for value in ("0", "6", "x", "55", "-1"):
        assert "Answer with a number from 1 to 5, or skip." in refused_press(chat, "alice", f"1:{value}")
    assert "There is no such survey question." in refused_press(chat, "alice", "999:3")
    assert "Survey #1 has questions 1 to 35." in chat.refused("alice", "/survey 36")
    assert "Survey results are for managers, representatives and admins." in chat.refused(
        "alice", "/survey results"
    )
    assert "Survey results are for managers" in chat.refused("alice", "/survey materiality")
    assert "Office is outside the units you look after." in chat.refused("rita", "/survey results Office")
    assert "Usage: /survey" in chat.refused("alice", "/survey sometimes")
    assert "Only whoever started survey #1, or an admin, can close it." in chat.refused(
        "alice", "/survey close"
    )
    assert answers_in(chat) == 0
    chat.ok("admin", "/survey close")  # an admin may close another's survey
    assert "No survey is open now." in chat.refused("rita", "/survey close")
    assert "Survey #2 is open" in chat.ok("rita", "/survey start Kitchen")  # one at a time: the next may start
    old_invitation = refused_press(chat, "alice", "1", "survey.next")
    assert "Survey #1 is closed; answers can no longer be given or changed." in old_invitation


def test_a_unit_survey_asks_only_its_members_and_counts_them(chat: Chat) -> None:
    organisation(chat)
    invited = chat.ok("rita", "/survey start Kitchen").text
    begun = chat.press("rita", 1)  # "Answer it", the button the invitations carry as "Begin"
    assert "question 1 of 35: Energy" in begun and "Nobody sees your own answers" in begun
    assert all(f"→ {name}:" in invited for name in ("alice", "bob", "carl", "rita"))
    assert "→ dora:" not in invited and "→ admin:" not in invited
    for name in ("alice", "bob"):
        answer(chat, name, presses())
    assert "The organisation: too few answers to show" in chat.ok("rita", "/survey results")
    answer(chat, "carl", presses()[:4])  # three people now, but only Energy has three answers
    results = chat.ok("rita", "/survey results Kitchen")
    assert "Kitchen: 3 people answered" in results
    assert "Energy: 2.0 (40%)" in results and "Waste and recycling: too few answers" in results
    matrix = chat.ok("rita", "/survey materiality Kitchen")
    assert "Too few answers to rank any area yet" in matrix  # Energy's interest has two answers


def test_a_units_results_are_the_same_listed_or_named_and_say_the_units_below_are_in(chat: Chat) -> None:
    chat.ok("admin", "/unit add site Depot")
    chat.ok("admin", "/unit add team Workshop under Depot")
    for name in ("alice", "bob", "carl", "dora", "erik"):
        chat.as_(name)
    chat.ok("admin", "/unit member Depot @alice @bob")
    chat.ok("admin", "/unit member Workshop @carl @dora @erik")
    chat.ok("admin", "/survey start")
    for name in ("alice", "bob", "carl", "dora", "erik"):
        answer(chat, name, presses())

    def depot_lines(said: Said) -> list[str]:
        start = said.output.index("  • Depot with the units below it: 5 people answered")
        return said.output[start : start + 1 + len(CATEGORIES)]

    listed, named = chat.ok("admin", "/survey results"), chat.ok("admin", "/survey results Depot")
    assert depot_lines(listed) == depot_lines(named)
    assert "Workshop: 3 people answered" in listed  # nothing below it to take in
    assert "Workshop: 3 people answered" in chat.ok("admin", "/survey results Workshop")
    chat.ok("admin", "/lang nb")
    assert "Depot med enhetene under: 5 personer svarte" in chat.ok("admin", "/survey results")
