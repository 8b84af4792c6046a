"""Issue 21's corrections to the unit tree: a unit up close, renamed, moved under another, removed."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.models import Goal, Person, Unit, UnitMove
from bot.dispatcher import ADMIN_HINT
from tests.chat import Chat
from tests.test_goals import add_goal


def a_municipality(chat: Chat) -> None:
    """Fjordby kommune → Skole (Lars, Ingrid the representative) → Team blå (Sofie); Sykehjem, empty."""
    for name in ("lars", "ingrid", "sofie"):
        chat.ok(name, "/me")
    chat.ok("admin", "/unit add organisation Fjordby kommune")
    chat.ok("admin", "/unit add site Skole under Fjordby kommune")
    chat.ok("admin", "/unit add site Sykehjem under Fjordby kommune")
    chat.ok("admin", "/unit add team Team blå under Skole")
    chat.ok("admin", "/unit member Skole @lars")
    chat.ok("admin", "/unit member Team blå @sofie")
    chat.ok("admin", "/unit rep Skole @ingrid")


def _parent_of(chat: Chat, name: str) -> str | None:
    with chat.app.uow.begin(write=False) as tx:
        unit = tx.session.scalars(select(Unit).where(Unit.name == name)).one()
        parent = tx.session.get(Unit, unit.parent_id) if unit.parent_id else None
        return parent.name if parent else None


def test_a_unit_up_close_shows_its_people_place_and_channels(chat: Chat) -> None:
    a_municipality(chat)
    chat.ok("admin", "/unit channel Skole")
    chat.ok("lars", "/privacy hide")
    said = chat.ok("sofie", "/unit Skole")
    assert said.reply is not None and said.reply.text == ":office: Skole (site)"
    assert said.reply.lines == (
        "Under Fjordby kommune",
        "Subunits: Team blå",
        "2 members: Ingrid, a colleague",  # Lars chose to be hidden
        "1 more in its subunits",
        "Environmental representative: Ingrid",
        "Channels: console general",
    )
    assert "2 members: Ingrid, Lars" in chat.ok("lars", "/unit skole")
    empty = chat.ok("sofie", "/unit Sykehjem")
    assert "No members of its own yet" in empty and "No subunits" in empty
    assert "No channel of its own" in empty and "No environmental representative yet" in empty
    assert "There is no unit called Skule" in chat.refused("sofie", "/unit Skule")


def test_a_unit_up_close_in_swedish(chat: Chat) -> None:
    a_municipality(chat)
    chat.ok("sofie", "/lang sv")
    said = chat.ok("sofie", "/unit Team blå")
    assert said.reply is not None and said.reply.text == ":office: Team blå (team)"
    assert "Under Skole" in said.reply.lines and "1 medlem: Sofie" in said.reply.lines


def test_an_admin_renames_a_unit_and_what_refers_to_it_follows(chat: Chat) -> None:
    a_municipality(chat)
    said = chat.ok("admin", "/unit rename Team blå Team grønn")
    assert "Team blå is now called Team grønn." in said
    assert "Unit: Team grønn" in chat.ok("sofie", "/me")
    assert "This needs the role admin." in chat.refused("lars", "/unit rename Skole Skolen")
    assert "There is already a unit called Sykehjem." in chat.refused("admin", "/unit rename Skole sykehjem")
    assert "Usage:" in chat.refused("admin", "/unit rename Skole")
    assert "Skole is already called that." in chat.refused("admin", "/unit rename Skole Skole")
    assert "at most 120 characters" in chat.refused("admin", "/unit rename Skole " + "n" * 121)


def test_a_unit_renamed_in_norwegian(chat: Chat) -> None:
    a_municipality(chat)
    chat.ok("admin", "/lang nb")
    said = chat.ok("admin", "/unit døp om Sykehjem Fjordby sykehjem")
    assert "Sykehjem heter nå Fjordby sykehjem." in said


def test_an_admin_moves_a_unit_with_everything_below_it(chat: Chat) -> None:
    a_municipality(chat)
    said = chat.ok("admin", "/unit move Team blå under Sykehjem")
    assert "Team blå is now under Sykehjem." in said and "It was under Skole." in said
    assert _parent_of(chat, "Team blå") == "Sykehjem"
    tree = chat.ok("lars", "/unit").output[1:]
    assert (
        "  •   Sykehjem (site, 1 member)" in tree
        and "  •   Skole (site, 2 members · representative Ingrid)" in tree
    )


def test_moves_that_would_break_the_tree_are_refused(chat: Chat) -> None:
    a_municipality(chat)
    assert "A unit cannot be under itself." in chat.refused("admin", "/unit move Skole under Skole")
    assert "Team blå is inside Skole: Skole cannot go under it." in chat.refused(
        "admin", "/unit move Skole under Team blå"
    )
    assert "Fjordby kommune is the whole organisation" in chat.refused(
        "admin", "/unit move Fjordby kommune under Skole"
    )
    assert "Team blå is already under Skole." in chat.refused("admin", "/unit move Team blå under Skole")
    assert "This needs the role admin." in chat.refused("lars", "/unit move Team blå under Sykehjem")
    assert "Usage:" in chat.refused("admin", "/unit move Team blå Sykehjem")


def test_a_unit_moved_in_danish(chat: Chat) -> None:
    a_municipality(chat)
    chat.ok("admin", "/lang da")
    said = chat.ok("admin", "/unit flyt Team blå under Sykehjem")
    assert "Team blå ligger nu under Sykehjem." in said
    assert "Skole ligger i forvejen under Fjordby kommune." in chat.refused(
        "admin", "/unit flyt Skole under Fjordby kommune"
    )


def test_an_empty_unit_is_removed(chat: Chat) -> None:
    a_municipality(chat)
    assert "Sykehjem is removed." in chat.ok("admin", "/unit remove Sykehjem")
    assert "There is no unit called Sykehjem" in chat.refused("admin", "/unit Sykehjem")


def test_a_unit_with_people_or_subunits_is_removed_only_moving_them_up(chat: Chat) -> None:
    a_municipality(chat)
    refused = chat.refused("admin", "/unit remove Skole")
    assert "Skole still has members (Lars, Ingrid) and subunits (Team blå)." in refused
    assert "/unit remove Skole move people" in refused
    assert "This needs the role admin." in chat.refused("lars", "/unit remove Skole move people")
    assert "Fjordby kommune is the whole organisation: its units need it above them." in chat.refused(
        "admin", "/unit remove Fjordby kommune move people"
    )
    assert "Usage:" in chat.refused("admin", "/unit remove Skole please")
    said = chat.ok("admin", "/unit remove Skole move people")
    assert "Skole is removed." in said
    assert "2 people moved to Fjordby kommune." in said and "1 subunit moved to Fjordby kommune." in said
    assert _parent_of(chat, "Team blå") == "Fjordby kommune"
    assert "Unit: Fjordby kommune" in chat.ok("lars", "/me")
    with chat.app.uow.begin(write=False) as tx:
        lars = tx.session.scalars(select(Person).where(Person.display_name == "Lars")).one()
        moves = tx.session.scalars(select(UnitMove).where(UnitMove.person_id == lars.id).order_by(UnitMove.id))
        kommune = tx.session.scalars(select(Unit).where(Unit.name == "Fjordby kommune")).one()
        # Recorded, with the time in the removed unit counted as time in its parent from now on.
        assert [(move.from_unit_id, move.to_unit_id) for move in moves] == [
            (None, kommune.id),
            (kommune.id, kommune.id),
        ]


def test_a_unit_is_removed_in_swedish_moving_its_people(chat: Chat) -> None:
    a_municipality(chat)
    chat.ok("admin", "/lang sv")
    said = chat.ok("admin", "/unit ta bort Team blå flytta folk")
    assert "Team blå är borttagen." in said and "1 person flyttades till Skole." in said
    assert "Unit: Skole" in chat.ok("sofie", "/me")
    assert "Sykehjem heter nu Vårdhem." in chat.ok("admin", "/unit byt namn Sykehjem Vårdhem")
    assert "Skole ligger nu under Vårdhem." in chat.ok("admin", "/unit flytta Skole under Vårdhem")
    cycle = chat.refused("admin", "/unit flytta Vårdhem under Skole")
    assert "Skole ligger inom Vårdhem: Vårdhem kan inte läggas under den." in cycle


def test_a_unit_something_refers_to_is_not_removed(chat: Chat) -> None:
    a_municipality(chat)
    chat.ok("admin", "/unit channel Sykehjem")
    assert "Sykehjem cannot be removed: channels still refer to it." in chat.refused(
        "admin", "/unit remove Sykehjem"
    )


def test_the_first_to_try_an_admin_command_is_told_how_admins_are_named(chat: Chat) -> None:
    refused = chat.refused("lars", "/unit add team Kitchen")
    assert refused.reply is not None and refused.reply.text == "This needs the role admin."
    assert refused.reply.lines == (ADMIN_HINT,)
    assert "ENGAGEBOT_ADMINS=console:name,slack:U…,telegram:…" in ADMIN_HINT and "/role" in ADMIN_HINT
    chat.ok("ingrid", "/lang nb")
    norwegian = chat.refused("ingrid", "/role @lars admin")
    assert "Ingen er admin ennå: admins oppgis i innstillingene, som ENGAGEBOT_ADMINS=" in norwegian
    chat.ok("admin", "/me")  # the admin named in the settings arrives
    again = chat.refused("lars", "/unit add team Kitchen")
    assert again.reply is not None and again.reply.lines == ()


def test_what_refers_to_a_unit_keeps_it_and_follows_its_new_name(chat: Chat) -> None:
    a_municipality(chat)
    chat.as_("mia", "admin")
    goal = add_goal(chat, "Sykehjem", "Less residual waste")
    chat.ok("sofie", "/idea Switch off the projector after class #energy")
    refused = chat.refused("admin", "/unit remove Sykehjem")
    assert "Sykehjem cannot be removed: goals still refer to it. Rename or move it instead." in refused
    both = chat.refused("admin", "/unit remove Team blå move people")
    assert "Team blå cannot be removed: ideas and points still refer to it." in both
    chat.ok("admin", "/unit rename Sykehjem Fjordby sykehjem")
    with chat.app.uow.begin(write=False) as tx:
        renamed = tx.session.scalars(select(Unit).where(Unit.name == "Fjordby sykehjem")).one()
        assert tx.session.get_one(Goal, goal).unit_id == renamed.id
    assert "Fjordby sykehjem" in chat.ok("mia", f"/goal {goal}")
