"""Transcripts for /saving: quantities in the reader's language, read back, replaced with history, removed."""

from __future__ import annotations

from sqlalchemy import select

from bot.core import ideas as core_ideas
from bot.core.models import Saving
from tests.chat import Chat, Said
from tests.test_ideas import from_form

NBSP = "\u00a0"


def rows(chat: Chat) -> list[tuple[int, str, str, str, bool]]:
    """Every saving ever recorded: idea, amount, unit, kind, and whether it is the current one."""
    with chat.app.uow.begin(write=False) as tx:
        return [
            (row.idea_id, format(row.amount.normalize(), "f"), row.unit, row.kind, row.replaced_at is None)
            for row in tx.session.scalars(select(Saving).order_by(Saving.id))
        ]


def shown(said: Said) -> str:
    """The reply as the handler wrote it (emoji as shortcodes), headline and card lines."""
    assert said.reply is not None
    return "\n".join([said.reply.text, *said.reply.lines])


def swedish_board(chat: Chat) -> None:
    chat.ok("astrid", "/lang sv")
    chat.ok("astrid", "/idea Automatiska skjutdörrar till frysrummet")
    chat.as_("ingrid", "representative")
    chat.ok("ingrid", "/lang sv")


def test_swedish_thousands_are_read_and_read_back(chat: Chat) -> None:
    swedish_board(chat)
    said = chat.ok("astrid", "/saving 1 1 500 kWh förväntad")
    assert f":moneybag: Registrerat: förväntad besparing 1{NBSP}500 kWh på #1." in shown(said)
    assert f":moneybag: Förväntad besparing: 1{NBSP}500 kWh" in shown(said)
    said = chat.ok("ingrid", "/saving 1 120 kWh/mån verifierad")
    assert f"Registrerat: verifierad besparing 1{NBSP}440 kWh om året på #1." in shown(said)
    assert rows(chat) == [(1, "1500", "kWh", "expected", True), (1, "1440", "kWh/year", "verified", True)]


def test_danish_dots_group_thousands(chat: Chat) -> None:
    chat.ok("astrid", "/lang da")
    chat.ok("astrid", "/idea Automatiske skydedøre til fryserummet")
    said = chat.ok("astrid", "/saving 1 3.200 kWh/år")
    assert "Registreret: forventet besparelse 3.200 kWh om året på #1." in shown(said)
    assert rows(chat) == [(1, "3200", "kWh/year", "expected", True)]


def test_english_reads_back_a_yearly_saving(chat: Chat) -> None:
    chat.ok("astrid", "/idea Timers on the kettles")
    said = chat.ok("astrid", "/saving 1 1 500 kWh per year")
    assert ":moneybag: Recorded: expected saving 1,500 kWh a year on #1." in shown(said)


def test_a_new_value_replaces_the_old_of_its_kind_and_history_is_kept(chat: Chat) -> None:
    swedish_board(chat)
    chat.ok("astrid", "/saving 1 1 500 kWh")
    chat.ok("ingrid", "/saving 1 1,2 MWh verifierad")
    said = chat.ok("ingrid", "/saving 1 1 300 kWh verifierad")
    card_savings = [line for line in shown(said).splitlines() if "besparing:" in line]
    assert card_savings == [
        f":moneybag: Förväntad besparing: 1{NBSP}500 kWh",
        f":moneybag: Verifierad besparing: 1{NBSP}300 kWh",
    ]
    assert rows(chat) == [
        (1, "1500", "kWh", "expected", True),
        (1, "1200", "kWh", "verified", False),
        (1, "1300", "kWh", "verified", True),
    ]
    with chat.app.uow.begin(write=False) as tx:
        assert core_ideas.savings_totals(tx, "verified") == {"kWh": 1300}


def test_removing_a_saving_keeps_it_as_history(chat: Chat) -> None:
    swedish_board(chat)
    chat.ok("astrid", "/saving 1 1 500 kWh")
    chat.ok("ingrid", "/saving 1 1 300 kWh verifierad")
    said = chat.refused("ingrid", "/saving 1 ta bort")
    assert "Idé #1 har både en förväntad och en verifierad besparing; säg vilken som ska tas bort." in said
    said = chat.refused("astrid", "/saving 1 ta bort verifierad")
    assert "Det här kräver rollen" in said or "Endast" in said or "Bara" in said
    said = chat.ok("astrid", "/saving 1 ta bort förväntad")
    assert f":wastebasket: Borttaget: förväntad besparing 1{NBSP}500 kWh på #1." in shown(said)
    assert "Förväntad besparing" not in shown(said)
    assert "Idé #1 har ingen förväntad besparing att ta bort." in chat.refused(
        "astrid", "/saving 1 ta bort förväntad"
    )
    chat.ok("ingrid", "/saving 1 remove")
    assert [current for *_, current in rows(chat)] == [False, False]


def test_bad_savings_are_refused_in_the_readers_language(chat: Chat) -> None:
    swedish_board(chat)
    assert "Skriv 1e9 med vanliga siffror" in chat.refused("astrid", "/saving 1 1e9 kWh")
    assert "inf är inget belopp" in chat.refused("astrid", "/saving 1 inf kWh")
    assert f"Menar du 1{NBSP}500 eller 1,5 med 1.500?" in chat.refused("astrid", "/saving 1 1.500 kWh")
    unknown = chat.refused("astrid", "/saving 1 5 kr")
    assert "Jag kan inte läsa enheten kr" in unknown and "kWh, MWh, kg, t, km, l, m³, kg CO2e" in unknown
    assert "positivt" in chat.refused("astrid", "/saving 1 -5 kWh")
    assert "Användning:" in chat.refused("astrid", "/saving 1")
    assert rows(chat) == []


def test_bad_savings_are_refused_in_english_too(chat: Chat) -> None:
    chat.ok("astrid", "/idea Timers on the kettles")
    assert "Write 1e9 in plain digits" in chat.refused("astrid", "/saving 1 1e9 kWh")
    assert "I can't read the unit bananas/year" in chat.refused("astrid", "/saving 1 5 bananas/year")
    assert "Idea #1 has no saving to remove." in chat.refused("astrid", "/saving 1 remove")
    assert "There is no idea #9." in chat.refused("astrid", "/saving 9 5 kWh")


def test_the_idea_form_reads_its_saving_with_the_same_parser(chat: Chat) -> None:
    chat.ok("astrid", "/lang nb")
    form = {"area": "energi", "saving_amount": "1 500", "saving_unit": "kWh/år"}
    reply = from_form(chat, "astrid", "Nattsenking på ventilasjonen", form)
    assert not reply.is_error and f":moneybag: Forventet besparelse: 1{NBSP}500 kWh i året" in reply.lines
    assert rows(chat) == [(1, "1500", "kWh/year", "expected", True)]
    refused = from_form(chat, "astrid", "Noe helt annet", {"saving_amount": "1.500", "saving_unit": "kWh"})
    assert refused.is_error and "1.500" in refused.text
