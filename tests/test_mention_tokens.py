"""Mention tokens cannot be typed: the dispatcher keeps only those the platform marked, and the console
shows every mention as text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app import App
from bot.core.models import Idea, Person
from bot.core.text import printable, printable_marked
from bot.messages import MENTION, NAME_BREAK, Actor, Command, Conversation, Mention, mention, split_mentions
from tests.chat import Chat

CHANNEL = Conversation("slack", "C1", "channel")
ASTRID = Actor("slack", "UASTRID", "Astrid")
LARS = Actor("slack", "ULARS", "Lars")


def stored_ideas(app: App) -> list[str]:
    with app.uow.begin(write=False) as tx:
        return list(tx.session.scalars(select(Idea.text).order_by(Idea.id)))


@given(
    st.lists(
        st.one_of(
            st.text(),
            st.sampled_from(["\x0e", "\x0f", "@", ":", "slack", "telegram", "U1", "U2", " "]),
            st.sampled_from([mention("slack", "U1"), mention("slack", "U2"), mention("telegram", "7")]),
        )
    )
)
def test_only_the_marked_mentions_survive_cleaning(pieces: list[str]) -> None:
    marked = {Mention("slack", "U1")}
    cleaned = printable_marked("".join(pieces), marked)

    assert {piece for piece in split_mentions(cleaned) if isinstance(piece, Mention)} <= marked
    assert MENTION.sub("", cleaned) == printable(MENTION.sub("", cleaned))  # nothing else unprintable
    assert printable_marked("".join(pieces), set()) == printable("".join(pieces))


def test_a_forged_token_in_a_platform_text_or_name_is_text(app: App) -> None:
    forger = Actor("telegram", "42", f"{mention('slack', 'UADMIN')} Mallory")
    text = f"Ask {mention('slack', 'ULARS')} and {mention('slack', 'UADMIN')} about the racks"

    forged = f"Bike racks by the door, says {mention('slack', 'ULARS')}"
    for command in (Command("idea", text, ASTRID, CHANNEL, (LARS,)), Command("idea", forged, forger, CHANNEL)):
        reply = app.dispatcher.handle(command)
        assert reply is not None and not reply.is_error, reply

    assert stored_ideas(app) == [
        f"Ask {mention('slack', 'ULARS')} and @slack:UADMIN about the racks",
        "Bike racks by the door, says @slack:ULARS",
    ]
    with app.uow.begin(write=False) as tx:
        names = set(tx.session.scalars(select(Person.display_name)))
    assert "@slack:UADMIN Mallory" in names


def test_the_console_shows_typed_and_marked_mentions_as_text(app: App, chat: Chat) -> None:
    app.dispatcher.handle(Command("idea", f"Ask {mention('slack', 'ULARS')} first", ASTRID, CHANNEL, (LARS,)))
    said = chat.ok("admin", "/idea Ask <@slack:ULARS> and \x0e@slack:UADMIN\x0f about <!channel>")

    assert "Ask <@slack:ULARS> and @slack:UADMIN about <!channel>" in said
    assert "Ask <@slack:ULARS> first" in chat.ok("admin", "/ideas 1")
    assert stored_ideas(app)[1] == "Ask <@slack:ULARS> and @slack:UADMIN about <!channel>"
    # Typed, a token names nobody, not the person whose account it spells.
    assert "I don't know anyone called <@slack:ULARS>." in chat.refused("admin", "/kudos <@slack:ULARS> thanks")


def test_an_at_name_copied_from_a_telegram_post_still_names_its_person(app: App) -> None:
    """Telegram posts carry a break after each `@` (so that no name pings); pasted back, it names the person."""
    group = Conversation("telegram", "-100", "group")
    ola = Actor("telegram", "11", "Ola", handle="ola_admin")
    kari = Actor("telegram", "12", "Kari")
    assert not app.dispatcher.handle(Command("me", "", ola, group)).is_error  # type: ignore[union-attr]

    pasted = f"@{NAME_BREAK}ola_admin takk for sykkelstativet"
    reply = app.dispatcher.handle(Command("kudos", pasted, kari, group))

    assert reply is not None and not reply.is_error, reply
    assert "Ola" in reply.text
