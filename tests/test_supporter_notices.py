"""An idea's supporters (its voters, and the authors merged into it) hear once that it is accepted and once
that it is implemented, with its verified saving; `/notices off` stops that news and nothing else."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.core.models import Account, OutboxMessage, Person
from bot.messages import Actor
from tests.chat import Chat, Said
from tests.test_link import LARS, SLACK, TELEGRAM, code_for, ok

ACCEPTED = "💡 The idea you supported, #1 “Switch off monitors at night”, is accepted."
IMPLEMENTED = "💡 The idea you supported, #1 “Switch off monitors at night”, is implemented — it works!"
NILS = Actor("slack", "U3", "Nils")
SUPPORTERS = ["→ ingrid", "→ kari", "→ lars", "→ ola"]


def supported_idea(chat: Chat) -> None:
    """#1 by Astrid: Ingrid, Lars, Ola, Per (who turns news off) and Nils (the reviewer) vote for it,
    and Kari's duplicate #2 is merged into it."""
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("kari", "/idea Turn screens off when we go home")
    for name in ("ingrid", "lars", "ola", "per", "nils"):
        chat.ok(name, "/vote 1")
    chat.ok("per", "/notices off")
    chat.as_("nils", "manager")
    chat.ok("nils", "/merge 2 1")


def told(said: Said) -> list[str]:
    """Who got a notice, each once per line of the transcript (its first line names the recipient)."""
    return sorted(notice.split(":")[0] for notice in said.notices)


def test_supporters_hear_once_it_is_accepted_and_once_it_is_implemented(chat: Chat) -> None:
    supported_idea(chat)
    accepted = chat.ok("nils", "/status 1 accepted")
    assert told(accepted) == sorted(["→ astrid", *SUPPORTERS])  # not Per, not Nils
    assert accepted.text.count(ACCEPTED) == 4
    assert accepted.text.count("Show idea #1") == 5  # the author's notice and each supporter's
    chat.ok("nils", "/saving 1 verified 1200 kWh a year and 300 kg CO2e a year")
    done = chat.ok("nils", "/status 1 implemented")
    assert told(done) == sorted(["→ astrid", *SUPPORTERS])
    assert done.text.count(IMPLEMENTED) == 4
    assert done.text.count("Verified saving: 1,200 kWh a year, 300 kg CO2e a year") == 4
    assert "You get this because you supported the idea; turn such news off with /notices off." in done


def test_taken_up_again_it_is_not_told_twice(chat: Chat) -> None:
    supported_idea(chat)
    chat.ok("nils", "/status 1 accepted")
    chat.ok("nils", "/status 1 declined Too costly this year")
    chat.refused("ola", "/vote 1")  # voted already, and a declined idea takes no votes
    again = chat.ok("nils", "/status 1 accepted")
    assert told(again) == ["→ astrid"]
    done = chat.ok("nils", "/status 1 implemented")
    assert told(done) == sorted(["→ astrid", *SUPPORTERS])
    assert done.text.count("No saving is verified yet.") == 4


def test_straight_to_implemented_tells_once(chat: Chat) -> None:
    supported_idea(chat)
    done = chat.ok("nils", "/status 1 implemented")
    assert told(done) == sorted(["→ astrid", *SUPPORTERS])
    assert ACCEPTED not in done and done.text.count(IMPLEMENTED) == 4


def test_under_review_tells_only_the_author(chat: Chat) -> None:
    supported_idea(chat)
    assert told(chat.ok("nils", "/status 1 under review")) == ["→ astrid"]


def test_in_norwegian(chat: Chat) -> None:
    supported_idea(chat)
    for name in ("ingrid", "lars", "nils"):
        chat.ok(name, "/lang nb")
    accepted = chat.ok("nils", "/status 1 godkjent")
    assert told(accepted) == sorted(["→ astrid", *SUPPORTERS])
    norwegian = "💡 Idéen du støttet, #1 «Switch off monitors at night», er godkjent."
    assert accepted.text.count(norwegian) == 2  # Ingrid and Lars; Ola and Kari read English
    assert accepted.text.count(ACCEPTED) == 2
    chat.ok("nils", "/saving 1 verifisert 1200 kWh/år")
    done = chat.ok("nils", "/status 1 gjennomført")
    assert told(done) == sorted(["→ astrid", *SUPPORTERS])
    assert (
        done.text.count("💡 Idéen du støttet, #1 «Switch off monitors at night», er gjennomført – den virker!")
        == 2
    )
    assert done.text.count("Verifisert besparelse: 1\u00a0200 kWh i året") == 3  # and on Nils's card
    assert done.text.count("Du får dette fordi du støttet idéen; slå av slike nyheter med /notices av.") == 2


def test_notices_off_and_on_in_english(chat: Chat) -> None:
    assert "/notices [on | off] · news of the ideas you voted for or support: on or off" in chat.ok(
        "per", "/help"
    )
    said = chat.ok("per", "/notices")
    assert "🔔 You hear when an idea you voted for or support is accepted or implemented." in said
    assert "News of your own ideas, kudos and praise always reaches you." in said
    assert "Turn it off with /notices off." in said
    said = chat.ok("per", "/notices off")
    assert "🔕 Done: you no longer hear when an idea you voted for or support moves on." in said
    assert "Turn it on again with /notices on." in said
    assert "🔕 News of the ideas you voted for or support is already off." in chat.ok("per", "/notices off")
    assert "🔕 News of the ideas you voted for or support is off." in chat.ok("per", "/notices")
    assert "🔔 Done: you hear again" in chat.ok("per", "/notices on")
    assert "🔔 You already hear" in chat.ok("per", "/notices on")
    assert "Usage: /notices [on | off]" in chat.refused("per", "/notices maybe")


def test_notices_off_and_on_in_norwegian_and_danish(chat: Chat) -> None:
    chat.ok("per", "/lang nb")
    assert "/notices [på | av] · nyheter om idéer du har stemt på eller støtter: på eller av" in chat.ok(
        "per", "/help"
    )
    assert "🔕 Ferdig: du får ikke lenger høre" in chat.ok("per", "/notices av")
    assert "Slå dem på igjen med /notices på." in chat.ok("per", "/notices")
    assert "🔔 Ferdig" in chat.ok("per", "/notices på")
    assert "Bruk: /notices [på | av]" in chat.refused("per", "/notices kanskje")
    chat.ok("mikkel", "/lang da")
    assert "🔕 Færdig" in chat.ok("mikkel", "/notices fra")
    assert "🔔 Færdig" in chat.ok("mikkel", "/notices til")
    chat.ok("karin", "/lang sv")
    assert "🔕 Klart" in chat.ok("karin", "/notices av")


def test_notices_off_leaves_kudos_and_news_of_your_own_ideas(chat: Chat) -> None:
    chat.ok("per", "/idea Sort food waste in the staff kitchen")
    chat.ok("per", "/notices off")
    assert told(chat.ok("lars", "/kudos @per for sorting the waste")) == ["→ per"]
    chat.as_("nils", "manager")
    assert told(chat.ok("nils", "/status 1 accepted")) == ["→ per"]


def supported_notices(app: App) -> list[tuple[int | None, str, str]]:
    with app.uow.begin(write=False) as tx:
        rows = tx.session.execute(
            select(OutboxMessage.person_id, OutboxMessage.platform, OutboxMessage.target)
            .where(OutboxMessage.kind == "idea_supported")
            .order_by(OutboxMessage.id)
        )
        return [tuple(row) for row in rows]


def test_linked_accounts_are_one_person_told_once_where_they_are(app: App) -> None:
    ok(app, LARS, "/idea Bike to work week in May")
    ok(app, SLACK, "/vote 1")
    ok(app, TELEGRAM, "/vote 1")  # both of Astrid's accounts voted before she linked them
    ok(app, TELEGRAM, "/notices off")
    ok(app, TELEGRAM, f"/link {code_for(app, SLACK)}")
    assert "is off" in ok(app, SLACK, "/notices").text  # the choice made on Telegram stands
    ok(app, SLACK, "/notices on")
    app.dispatcher.sign_in_locally(NILS, "manager")
    ok(app, NILS, "/status 1 accepted")
    with app.uow.begin(write=False) as tx:
        astrid = tx.session.scalar(select(Account.person_id).where(Account.external_id == "U1"))
        assert tx.session.scalar(select(func.count()).select_from(Person)) == 3
    assert supported_notices(app) == [(astrid, "telegram", "501")]  # the account she used last
