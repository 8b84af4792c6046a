"""`/poll <id> missing` and `/poll <id> remind`: who has not voted, one reminder; anonymous: a count only."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.models import OutboxMessage
from tests.chat import Chat

BIKES = '/poll "Bike racks?" "More" "Enough" in Oslo'


def oslo(chat: Chat) -> None:
    """Oslo with Alice, Bob, Carl and Maria, who represents it; its channel is the console's room."""
    for name in ("alice", "bob", "carl", "maria"):
        chat.as_(name)
    chat.ok("admin", "/unit add site Oslo")
    chat.ok("admin", "/unit channel Oslo")
    chat.ok("admin", "/unit member Oslo @alice @bob @carl")
    chat.ok("admin", "/unit rep Oslo @maria")


def reminders(chat: Chat) -> list[tuple[int | None, str]]:
    with chat.app.uow.begin(write=False) as tx:
        return list(
            tx.session.execute(
                select(OutboxMessage.person_id, OutboxMessage.kind)
                .where(OutboxMessage.kind == "poll_reminder")
                .order_by(OutboxMessage.person_id)
            )
        )


def test_the_asker_sees_who_has_not_voted_and_reminds_them_once(chat: Chat) -> None:
    oslo(chat)
    chat.ok("maria", BIKES)
    chat.ok("alice", "/poll 1")
    chat.press("alice", 1)
    missing = chat.ok("maria", "/poll 1 missing")
    assert "Poll #1: Bike racks?" in missing and "Voted: 1 of 4 (25%)" in missing
    assert "Not yet: Bob, Carl, and Maria" in missing and "Alice" not in missing.text.split("Not yet")[1]
    reminded = chat.ok("maria", "/poll 1 remind")
    assert "A reminder for poll #1 goes to 3 people who have not voted." in reminded
    assert "you have not voted in this poll yet" in reminded and "[1] More  [2] Enough" in reminded
    assert [kind for _, kind in reminders(chat)] == ["poll_reminder"] * 3
    again = chat.refused("maria", "/poll 1 remind")
    assert "The reminder for poll #1 went Nov 16, 2026, 9:00" in again and "each poll gets one" in again
    assert "The reminder went Nov 16, 2026, 9:00" in chat.ok("admin", "/poll 1 missing")


def test_who_may_not_follow_a_poll_up(chat: Chat) -> None:
    oslo(chat)
    chat.as_("rita", "representative")
    chat.ok("maria", BIKES)
    for name in ("bob", "rita"):
        for line in ("/poll 1 missing", "/poll 1 remind"):
            assert "Only whoever asked poll #1, or an admin, can follow it up." in chat.refused(name, line)
    assert "There is no poll #4." in chat.refused("maria", "/poll 4 missing")
    assert "I do not know “soon” here." in chat.refused("maria", "/poll 1 soon")
    chat.ok("maria", "/poll close 1")
    assert "Poll #1 is closed" in chat.refused("maria", "/poll 1 remind")
    assert reminders(chat) == []


def test_an_anonymous_poll_tells_only_how_many_and_sends_no_reminder(chat: Chat) -> None:
    oslo(chat)
    chat.ok("maria", BIKES + " anonymous")
    chat.ok("bob", "/poll 1")
    chat.press("bob", 2)
    missing = chat.ok("maria", "/poll 1 missing")
    assert "Voted: 1 of 4 (25%)" in missing and "3 people have not voted." in missing
    for name in ("Alice", "Bob", "Carl", "Maria"):
        assert name not in missing
    assert "Not yet" not in missing
    assert "nobody can tell who has not voted" in chat.refused("admin", "/poll 1 remind")
    assert reminders(chat) == []


def test_in_swedish(chat: Chat) -> None:
    oslo(chat)
    chat.ok("maria", "/lang sv")
    chat.ok("maria", '/poll "Cykelställ?" "Fler" "Räcker" i Oslo')
    missing = chat.ok("maria", "/poll 1 saknas")
    assert "Röstat: 0 av 4 (0\xa0%)" in missing and "Inte än: Alice, Bob, Carl och Maria" in missing
    assert "En påminnelse om omröstning #1 går till 4 personer" in chat.ok("maria", "/poll 1 påminn")
    assert "Påminnelsen om omröstning #1 gick ut 16 nov. 2026" in chat.refused("maria", "/poll 1 påminn")
    chat.ok("bob", "/lang sv")
    assert "Bara den som startade omröstning #1" in chat.refused("bob", "/poll 1 saknas")


def test_who_voted_in_an_anonymous_poll_cannot_be_read_from_what_is_missing(chat: Chat) -> None:
    """Two anonymous polls, each voted in by a different person: the asker sees the same answer."""
    oslo(chat)
    for poll, voter in ((1, "alice"), (2, "bob")):
        chat.ok("maria", '/poll "Question?" "Yes" "No" in Oslo anonymous')
        chat.ok(voter, f"/poll {poll}")
        chat.press(voter, 1)
    first, second = (chat.ok("maria", f"/poll {poll} missing").output[1:] for poll in (1, 2))
    assert first == second == ["  • Voted: 1 of 4 (25%)", first[1]] and "3 people have not voted." in first[1]


def test_the_remind_button_of_the_missing_list(chat: Chat) -> None:
    oslo(chat)
    chat.ok("maria", BIKES)
    assert "[1] Remind them" in chat.ok("maria", "/poll 1 missing")
    assert "Only whoever asked poll #1" in chat.refused("bob", "1")  # Maria's button, pressed by Bob
    chat.ok("maria", "/poll 1 missing")
    assert "goes to 4 people who have not voted" in chat.press("maria", 1)
    assert "Remind them" not in chat.ok("maria", "/poll 1 missing")
    assert reminders(chat) == [(person, "poll_reminder") for person in (1, 2, 3, 4)]


def test_nobody_to_remind_keeps_the_reminder(chat: Chat) -> None:
    chat.as_("maria", "manager")
    chat.ok("maria", '/poll "Lunch?" "Soup" "Salad"')  # here, no unit's channel: everyone
    for name in ("admin", "maria"):
        chat.ok(name, "/poll 1")
        chat.press(name, 2)
    assert "there is nobody to remind" in chat.refused("maria", "/poll 1 remind")
    chat.as_("bob")
    assert "goes to 1 person who has not voted" in chat.ok("maria", "/poll 1 remind")
