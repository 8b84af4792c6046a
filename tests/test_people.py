"""Transcripts for roles, units, languages and /me; admins come from configuration."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.core.models import Account, Person, Unit, UnitChannel
from bot.messages import Actor, Command, Conversation
from tests.chat import Chat
from tests.concurrency import race


def test_admins_come_from_configuration_and_grant_roles(chat: Chat) -> None:
    chat.as_("lars")
    said = chat.ok("admin", "/role @lars manager")
    assert "Lars is now manager." in said
    assert "Role: manager" in chat.ok("lars", "/me")
    chat.as_("sofie")
    assert "Sofie is now environmental representative." in chat.ok("admin", "/role @sofie rep")


def test_role_refusals(chat: Chat) -> None:
    chat.as_("lars")
    assert "This needs the role admin." in chat.refused("lars", "/role @lars admin")
    assert "There is no role boss-of-all" in chat.refused("admin", "/role @lars boss-of-all")
    assert "Usage:" in chat.refused("admin", "/role @lars")
    assert "cannot take away your own admin role" in chat.refused("admin", "/role @admin member")
    assert "I don't know anyone called @nobody" in chat.refused("admin", "/role @nobody manager")


def test_roles_are_understood_in_every_language(chat: Chat) -> None:
    chat.as_("lars")
    assert "Lars is now manager." in chat.ok("admin", "/role @lars chef")
    assert "Lars is now environmental representative." in chat.ok("admin", "/role @lars miljørepræsentant")
    assert "Lars is now member." in chat.ok("admin", "/role @lars medlem")


def test_units_nest_and_show_as_a_tree(chat: Chat) -> None:
    assert "No units yet" in chat.ok("lars", "/unit")
    chat.ok("admin", "/unit add kommune Fjordby kommune")
    chat.ok("admin", "/unit add arbeidsplass Solsikken barnehage under Fjordby kommune")
    chat.ok("admin", "/unit add team Blue group under solsikken BARNEHAGE")
    chat.ok("admin", "/unit member Blue group @lars")
    chat.as_("ingrid")
    chat.ok("admin", "/unit rep Solsikken barnehage @ingrid")
    tree = chat.ok("lars", "/unit")
    assert tree.output[1:] == [
        "  • Fjordby kommune (organisation, 2 members)",  # the members of every unit below
        "  •   Solsikken barnehage (site, 2 members · representative Ingrid)",
        "  •     Blue group (team, 1 member)",
    ]
    assert "Role: environmental representative" in chat.ok("ingrid", "/me")
    assert "Unit: Blue group" in chat.ok("lars", "/me")


def test_unit_refusals(chat: Chat) -> None:
    chat.ok("admin", "/unit add team Depot")
    assert "This needs the role admin." in chat.refused("lars", "/unit add team Kitchen")
    assert "already a unit called depot" in chat.refused("admin", "/unit add team depot")
    assert "There is no unit called Atlantis" in chat.refused("admin", "/unit add team Pier under Atlantis")
    assert "Usage:" in chat.refused("admin", "/unit add spaceship Voyager")
    assert "Give the unit a name." in chat.refused("admin", "/unit add team")
    assert "Usage:" in chat.refused("admin", "/unit member Depot")
    assert "There is no unit called dance." in chat.refused("admin", "/unit dance")
    assert "one environmental representative" in chat.refused("admin", "/unit rep Depot @admin @lars")
    assert "at most 120 characters" in chat.refused("admin", "/unit add team " + "n" * 121)


def test_a_unit_is_tied_to_the_conversation_it_is_asked_in(chat: Chat) -> None:
    chat.ok("admin", "/unit add team Depot")
    said = chat.ok("admin", "/unit channel Depot")
    assert "Shout-outs for Depot will be posted here." in said
    with chat.app.uow.begin(write=False) as tx:
        tie = tx.session.scalars(select(UnitChannel)).one()
        depot = tx.session.scalars(select(Unit)).one()
    assert (tie.unit_id, tie.platform, tie.conversation_id) == (depot.id, "console", "general")


def test_language_is_chosen_by_the_person_or_taken_from_the_platform(chat: Chat) -> None:
    assert "I speak en (English)" in chat.ok("lars", "/lang")
    assert "I don't speak klingon" in chat.refused("lars", "/lang klingon")
    chat.ok("lars", "/lang nb-NO")
    assert "Språk: norsk bokmål" in chat.ok("lars", "/me") or "norsk bokmål" in chat.ok("lars", "/me")
    swedish = Actor("telegram", "4242", "Karin", locale="sv-SE")
    reply = chat.app.dispatcher.handle(Command("me", "", swedish, Conversation("telegram", "4242")))
    assert reply is not None and "svenska" in " ".join(reply.lines)
    with chat.app.uow.begin(write=False) as tx:
        account = tx.session.scalars(select(Account).where(Account.platform == "telegram")).one()
        person = tx.session.get_one(Person, account.person_id)
    assert (account.locale, person.locale, person.display_name) == ("sv", None, "Karin")


def test_first_contact_creates_one_person_per_account(chat: Chat) -> None:
    actor = Actor("telegram", "77", "Mikkel", handle="mikkel_dk")
    conversation = Conversation("telegram", "77")
    for _ in range(3):
        chat.app.dispatcher.handle(Command("me", "", actor, conversation))
    with chat.app.uow.begin(write=False) as tx:
        accounts = tx.session.scalars(select(Account).where(Account.platform == "telegram")).all()
    assert [(a.external_id, a.handle) for a in accounts] == [("77", "mikkel_dk")]
    chat.as_("admin")
    assert "Mikkel is now manager." in chat.ok("admin", "/role Mikkel manager")


def test_a_newcomer_writing_twice_at_once_becomes_one_person(app: App) -> None:
    nora = Actor("slack", "UNEW", "Nora")
    channel = Conversation("slack", "C1", "channel")
    for attempt in range(3):
        commands = [Command("me", "", nora, channel, event_key=f"{attempt}-{n}") for n in range(2)]
        replies = race(app, commands)
        assert [reply.is_error for reply in replies] == [False, False], [reply.text for reply in replies]
    with app.uow.begin(write=False) as tx:
        assert len(tx.session.scalars(select(Account).where(Account.external_id == "UNEW")).all()) == 1
        assert len(tx.session.scalars(select(Person).where(Person.display_name == "Nora")).all()) == 1


def test_a_name_first_known_only_as_an_id_is_filled_in_later(app: App) -> None:
    channel = Conversation("slack", "C1", "channel")
    app.dispatcher.handle(Command("me", "", Actor("slack", "U9"), channel))
    reply = app.dispatcher.handle(Command("me", "", Actor("slack", "U9", "Sigrid Holm"), channel))
    assert reply is not None and "You are Sigrid Holm." in reply.text
