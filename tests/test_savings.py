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
    assert (
        f"Idé #1 har förväntad besparing 1{NBSP}500 kWh och verifierad besparing 1{NBSP}300 kWh: "
        "säg vilken som ska tas bort, t.ex. /saving 1 ta bort verifierad kWh." in said
    )
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


def test_a_saving_of_another_unit_stands_beside_it_and_one_of_the_same_unit_replaces_it(chat: Chat) -> None:
    chat.ok("astrid", "/idea Timers on the kettles")
    chat.as_("ingrid", "representative")
    chat.ok("ingrid", "/saving 1 verified 1200 kWh/year")
    said = chat.ok("ingrid", "/saving 1 verified 300 kg CO2e/year")
    assert [line for line in shown(said).splitlines() if "saving:" in line] == [
        ":moneybag: Verified saving: 1,200 kWh a year",
        ":moneybag: Verified saving: 300 kg CO2e a year",
    ]
    chat.ok("ingrid", "/saving 1 verified 1 300 kWh per year")
    chat.ok("ingrid", "/saving 1 verified 40 kWh")  # a one-off amount does not add to a yearly rate
    assert rows(chat) == [
        (1, "1200", "kWh/year", "verified", False),
        (1, "300", "kg CO2e/year", "verified", True),
        (1, "1300", "kWh/year", "verified", True),
        (1, "40", "kWh", "verified", True),
    ]
    with chat.app.uow.begin(write=False) as tx:
        assert core_ideas.savings_totals(tx, "verified") == {"kWh/year": 1300, "kg CO2e/year": 300, "kWh": 40}
    card = shown(chat.ok("astrid", "/ideas 1"))
    assert (
        ":moneybag: Verified saving: 1,300 kWh a year" in card and ":moneybag: Verified saving: 40 kWh" in card
    )


def test_several_savings_in_one_command_in_four_languages(chat: Chat) -> None:
    chat.ok("astrid", "/idea Nattsänkning av ventilationen")
    typed = {
        "en": (
            "/saving 1 1 200 kWh a year and 300 kg CO2e a year",
            "Recorded on #1: expected saving 1,200 kWh a year and expected saving 300 kg CO2e a year.",
        ),
        "sv": (
            "/saving 1 1 200 kWh/år och 0,3 t CO2e/år",
            f"Registrerat på #1: förväntad besparing 1{NBSP}200 kWh om året och "
            "förväntad besparing 300 kg CO2e om året.",
        ),
        "nb": (
            "/saving 1 1 200 kWh i året og 300 kg CO2e i året",
            f"Registrert på #1: forventet besparelse 1{NBSP}200 kWh i året og "
            "forventet besparelse 300 kg CO2e i året.",
        ),
        "da": (
            "/saving 1 1.200 kWh om året, 300 kg CO2e om året",
            "Registreret på #1: forventet besparelse 1.200 kWh om året og "
            "forventet besparelse 300 kg CO2e om året.",
        ),
    }
    for language, (line, read_back) in typed.items():
        chat.ok("astrid", f"/lang {language}")
        said = chat.ok("astrid", line)
        assert read_back in said.text, said.text
    current = [(amount, unit) for _, amount, unit, _, now in rows(chat) if now]
    assert current == [("1200", "kWh/year"), ("300", "kg CO2e/year")]
    assert len(rows(chat)) == 8


def test_the_same_unit_twice_in_one_command_is_refused(chat: Chat) -> None:
    chat.ok("astrid", "/idea Timers on the kettles")
    said = chat.refused("astrid", "/saving 1 1 MWh and 200 kWh")
    assert "Give one figure in kWh, not two" in said
    chat.ok("astrid", "/lang nb")
    assert "Oppgi ett årlig tall i kWh, ikke to" in chat.refused("astrid", "/saving 1 1 kWh/mnd og 2 kWh/år")
    assert rows(chat) == []


def test_removing_one_of_several_says_which_are_there_and_asks(chat: Chat) -> None:
    swedish_board(chat)
    chat.ok("ingrid", "/saving 1 verifierad 1 200 kWh/år och 300 kg CO2e/år och 40 kWh")
    said = chat.refused("ingrid", "/saving 1 ta bort verifierad")
    assert (
        f"Idé #1 har verifierad besparing 1{NBSP}200 kWh om året, verifierad besparing 300 kg CO2e om året och "
        "verifierad besparing 40 kWh: säg vilken som ska tas bort, t.ex. /saving 1 ta bort verifierad kWh."
        in said
    )
    said = chat.refused("ingrid", "/saving 1 ta bort energi")  # the yearly rate and the one-off amount
    assert f"Idé #1 har verifierad besparing 1{NBSP}200 kWh om året och verifierad besparing 40 kWh:" in said
    said = chat.refused("ingrid", "/saving 1 ta bort km")
    assert "Idé #1 har ingen sådan besparing att ta bort; den har verifierad besparing" in said
    said = chat.ok("ingrid", "/saving 1 ta bort verifierad kWh om året")
    assert f"Borttaget: verifierad besparing 1{NBSP}200 kWh om året på #1." in shown(said)
    chat.ok("ingrid", "/saving 1 ta bort klimat")
    chat.ok("ingrid", "/saving 1 ta bort")  # the one left
    assert [current for *_, current in rows(chat)] == [False, False, False]
