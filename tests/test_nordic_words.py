"""Issue 19's words: no English command word left in Swedish, Norwegian or Danish, and the words shown are
words the parser reads; one word per role, status and key term in each language (the glossary below)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po
from openpyxl import load_workbook

import handlers
from bot.adapters.console import banner
from bot.core import ideas
from bot.core.clock import ManualClock
from bot.core.review_sheets import SHEETS
from bot.i18n import LOCALE_DIR, translator
from bot.review_export import export_review
from bot.review_headings import column_header, sheet_name
from handlers import REGISTRY, vocabulary
from tests.chat import Chat
from tests.test_review import a_year
from tests.usage_lines import Choice, Part, Slot, usage_grammar

NORDIC = ("sv", "nb", "da")
SLASH_COMMAND = re.compile(r"/(\w+)((?: [\w#<>]+){0,2})")


def _literals(part: Part | tuple[Part, ...]) -> Iterator[str]:
    if isinstance(part, tuple):
        for inner in part:
            yield from _literals(inner)
    elif isinstance(part, Choice):
        for option in part.options:
            yield from _literals(option)
    elif not isinstance(part, Slot):
        yield part


def _usage_words(usage: str, command: str) -> set[str]:
    return set(_literals(usage_grammar(usage, command)))


ENGLISH_WORDS = (
    {word for spec in REGISTRY.commands for word in _usage_words(spec.usage, spec.name)}
    | set(ideas.known_areas())
    | {"add", "member", "new", "from", "cancel", "channel", "rep", "templates", "on", "off", "organisation"}
)
# English keywords that are also the word people type in that language.
SAME_WORD = {"status", "admin", "under", "team", "en", "sv", "nb", "da", ","}
SAME_IN_LANGUAGE = {
    "sv": SAME_WORD | {"organisation"},
    "nb": SAME_WORD | {"mine", "start"},
    "da": SAME_WORD | {"mine", "start", "organisation"},
}


def _english_in(words: set[str], locale: str) -> set[str]:
    return {word for word in words if word.casefold() in ENGLISH_WORDS} - SAME_IN_LANGUAGE[locale]


def _catalogue_strings(locale: str) -> Iterator[tuple[str, str]]:
    """(msgid, msgstr) for every translated string of the language's catalogue, plural forms included."""
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "engagebot.po").open("rb") as po_file:
        catalogue = read_po(po_file, locale=locale)
    for message in catalogue:
        if not message.id:
            continue
        message_id = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        yield from ((message_id, string) for string in strings if string)


@pytest.mark.parametrize("locale", NORDIC)
def test_help_shows_no_english_command_word_or_area_tag(chat: Chat, locale: str) -> None:
    chat.ok("admin", f"/lang {locale}")
    found: dict[str, set[str]] = {}
    for spec in REGISTRY.commands:
        said = chat.ok("admin", f"/help {spec.name}").text
        usage = said.splitlines()[0]
        english = _english_in(_usage_words(usage, spec.name), locale)
        english |= _english_in({tag.lstrip("#") for tag in re.findall(r"#\w+", said)}, locale)
        if english:
            found[spec.name] = english
    assert found == {}


@pytest.mark.parametrize("locale", NORDIC)
def test_no_catalogue_string_names_a_command_with_english_words(locale: str) -> None:
    """`/unit add`, `/campaign new from`, `/digest on` in prose: the reader is told to type their own words."""
    commands = {spec.name for spec in REGISTRY.commands}
    found = {
        found.group(0): message_id
        for message_id, string in _catalogue_strings(locale)
        for found in SLASH_COMMAND.finditer(string)
        if found.group(1) in commands and _english_in(set(re.findall(r"[\w]+", found.group(2))), locale)
    }
    assert found == {}


def _vocabularies() -> list[dict[str, tuple[str, ...]]]:
    """Every table of typed words the handlers read (and the area words of #tags)."""
    modules: list[ModuleType] = [module for module in vars(handlers).values() if isinstance(module, ModuleType)]
    tables = [ideas.AREA_WORDS]
    for module in [vocabulary, *modules]:
        for value in vars(module).values():
            if isinstance(value, dict) and value and all(isinstance(words, tuple) for words in value.values()):
                tables.append(value)
    return tables


VOCABULARIES = _vocabularies()


def _same_meaning(english: str, translated: str) -> bool:
    """Both name the same key of one vocabulary; a word no vocabulary knows is a placeholder: `[reason]`."""
    if english.casefold() == translated.casefold():
        return True
    if all(vocabulary.lookup(words, english) is None for words in VOCABULARIES):
        return True
    return any(
        vocabulary.lookup(words, english) is not None
        and vocabulary.lookup(words, english) == vocabulary.lookup(words, translated)
        for words in VOCABULARIES
    )


def _phrases(parts: tuple[Part, ...]) -> list[str | Choice]:
    """A form's parts with slots left out and neighbouring words joined: `ta bort`, `lägg till`."""
    joined: list[str | Choice] = []
    previous_was_word = False
    for part in parts:
        if isinstance(part, Slot) or (isinstance(part, str) and not re.search(r"\w", part)):  # ”…”, «…»
            previous_was_word = False
        elif isinstance(part, Choice):
            joined.append(part)
            previous_was_word = False
        elif previous_was_word:
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
            previous_was_word = True
    return joined


def _differences(english: Choice, translated: Choice) -> Iterator[str]:
    if len(english.options) != len(translated.options):
        yield f"{len(english.options)} forms, translated {len(translated.options)}"
        return
    for english_form, translated_form in zip(english.options, translated.options, strict=True):
        english_parts, translated_parts = _phrases(english_form), _phrases(translated_form)
        if len(english_parts) != len(translated_parts):
            yield f"{english_parts} translated {translated_parts}"
            continue
        for english_part, translated_part in zip(english_parts, translated_parts, strict=True):
            if isinstance(english_part, Choice) and isinstance(translated_part, Choice):
                yield from _differences(english_part, translated_part)
            elif isinstance(english_part, str) and isinstance(translated_part, str):
                if not _same_meaning(english_part, translated_part):
                    yield f"{translated_part!r} does not mean {english_part!r}"
            else:
                yield f"{english_part} translated {translated_part}"


@pytest.mark.parametrize("locale", NORDIC)
def test_every_word_of_a_translated_usage_line_is_read_as_the_english_one(locale: str) -> None:
    """The usage line shows the verbs and keywords the reader types: the parser must take them."""
    t = translator(locale)
    found = {
        spec.name: differences
        for spec in REGISTRY.commands
        if (
            differences := list(
                _differences(usage_grammar(spec.usage, spec.name), usage_grammar(t.t(spec.usage), spec.name))
            )
        )
    }
    assert found == {}


def test_area_tags_in_every_language_are_read_as_their_area() -> None:
    for locale in ("en", *NORDIC):
        t = translator(locale)
        assert {area: ideas.area_named(t.label("area_tag", area)) for area in ideas.known_areas()} == {
            area: area for area in ideas.known_areas()
        }, locale


def test_an_idea_with_a_nordic_area_tag_gets_its_area(chat: Chat) -> None:
    chat.ok("ola", "/lang nb")
    assert "#sosialt" in chat.ok("ola", "/help idea")
    chat.ok("ola", "/idea Felles lunsj for hele avdelingen #sosialt")
    chat.ok("karin", "/lang sv")
    chat.ok("karin", "/idea Budgetera för cykelpool #ekonomi")
    chat.ok("mikkel", "/lang da")
    chat.ok("mikkel", "/idea Plant blomster til bierne #biodiversitet")
    assert "sosial bærekraft" in chat.ok("ola", "/ideas 1")
    assert "ekonomisk hållbarhet" in chat.ok("karin", "/ideas 2")
    assert "biodiversitet" in chat.ok("mikkel", "/ideas 3")
    assert "Felles lunsj" in chat.ok("ola", "/ideas #sosialt")


def test_units_and_campaigns_in_the_words_their_usage_lines_show(chat: Chat) -> None:
    chat.as_("ola", "admin")
    chat.ok("ola", "/lang nb")
    chat.ok("ola", "/unit ny organisasjon Fjordby")
    chat.ok("ola", "/unit ny arbeidsplass Depot under Fjordby")
    chat.as_("lars")
    chat.ok("ola", "/unit medlem Depot @lars")
    assert "miljøombud for Depot" in chat.ok("ola", "/unit miljøombud Depot @lars")
    assert "/campaign ny fra <mal>" in chat.ok("ola", "/campaigns")
    assert "bike-week" in chat.ok("ola", "/campaign maler")
    started = chat.ok("ola", "/campaign ny fra bike-week 2026-12-01 Depot")
    campaign_id = re.search(r"#(\d+)", started.text)
    assert campaign_id is not None
    assert "avlyst" in chat.ok("ola", f"/campaign avlys {campaign_id.group(1)}")
    chat.as_("karin", "admin")
    chat.ok("karin", "/lang sv")
    assert "/campaign ny [från <mall>" in chat.ok("karin", "/campaign mallar")
    chat.ok("karin", "/unit kanal Depot")


@pytest.mark.parametrize("locale", NORDIC)
def test_the_year_wheel_off_line_names_the_command_that_switches_it_on(chat: Chat, locale: str) -> None:
    chat.ok("admin", f"/lang {locale}")
    said = chat.ok("admin", "/wheel").text
    command = re.search(r"/wheel \w+", said)
    assert command is not None, said
    assert command.group(0) != "/wheel on"
    chat.ok("admin", command.group(0))
    assert "/wheel" not in chat.ok("admin", "/wheel").reply.lines[0]  # type: ignore[union-attr]


def test_the_console_banner_and_its_role_words_in_the_readers_language(chat: Chat) -> None:
    chat.ok("admin", "/lang organisation nb")
    chat.as_("ola")
    shown = banner(chat.session)
    assert "/as NAVN [ROLLE]" in shown and "Type" not in shown
    chat.session.handle_line("/as ola leder")
    assert "Du er nå ola." in chat.out.getvalue()
    assert "Rolle: leder" in chat.ok("ola", "/me")
    chat.session.handle_line("/as")
    assert "Bruk: /as NAVN [ROLLE]" in chat.out.getvalue()


# One word per role, status and key term in each language: the word the label tables use, and the
# synonyms that must not compete with it anywhere in the catalogue (matched at a word's start, any ending).
GLOSSARY: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "sv": {
        "role:admin": ("admin", ()),
        "role:manager": ("chef", ("ledare", "förman")),
        "role:representative": ("miljöombud", ("miljörepresentant", "miljöansvarig", "representant")),
        "role:member": ("medlem", ("anställd",)),
        "status:new": ("ny", ()),
        "status:under_review": ("under granskning", ("under behandling", "under bedömning")),
        "status:accepted": ("godkänd", ("antagen", "antagna", "accepterad")),
        "status:implemented": ("genomförd", ("införd", "implementerad")),
        "status:declined": ("avslagen", ("avvisad", "nekad", "avböjd")),
        "status:merged": ("sammanslagen", ("sammanfogad",)),
        "status:withdrawn": ("återkallad", ()),
        "idea": ("idé", ()),
        "campaign": ("kampanj", ("aktion",)),
        "goal": ("mål", ("målsättning",)),
        "reward": ("belöning", ("förmån",)),
        "points": ("poäng", ()),
    },
    "nb": {
        "role:admin": ("admin", ()),
        "role:manager": ("leder", ("sjef",)),
        "role:representative": ("miljøombud", ("miljøansvarlig", "miljørepresentant", "representant")),
        "role:member": ("medlem", ("ansatt",)),
        "status:new": ("ny", ()),
        "status:under_review": ("under vurdering", ("under behandling",)),
        "status:accepted": ("godkjent", ("godtatt", "akseptert")),
        "status:implemented": ("gjennomført", ("innført", "implementert")),
        "status:declined": ("avslått", ("avvist",)),
        "status:merged": ("slått sammen", ("sammenslått",)),
        "status:withdrawn": ("trukket tilbake", ()),
        "idea": ("idé", ("ideer",)),  # idéer, as the label tables spell it
        "campaign": ("kampanje", ("aksjon",)),
        "goal": ("mål", ("målsetting",)),
        "reward": ("belønning", ()),
        "points": ("poeng", ()),
    },
    "da": {
        "role:admin": ("admin", ()),
        "role:manager": ("leder", ("chef",)),
        "role:representative": ("miljørepræsentant", ("miljøansvarlig", "miljøombud", "repræsentant")),
        "role:member": ("medlem", ("ansat",)),
        "status:new": ("ny", ()),
        "status:under_review": ("under behandling", ("under vurdering",)),
        "status:accepted": ("godkendt", ("accepteret", "antaget")),
        "status:implemented": ("gennemført", ("implementeret", "indført")),
        "status:declined": ("afvist", ("afslået",)),
        "status:merged": ("lagt sammen", ("slået sammen", "sammenlagt")),
        "status:withdrawn": ("trukket tilbage", ()),  # tilbagekaldt is a revoked board link
        "idea": ("idé", ()),
        "campaign": ("kampagne", ("aktion",)),
        "goal": ("mål", ("målsætning",)),
        "reward": ("belønning", ()),
        "points": ("point", ()),
    },
}


@pytest.mark.parametrize("locale", NORDIC)
def test_the_glossary_words_are_the_labels(locale: str) -> None:
    t = translator(locale)
    labelled = {term: t.label(*term.split(":")) for term in GLOSSARY[locale] if ":" in term}
    assert labelled == {term: word for term, (word, _) in GLOSSARY[locale].items() if ":" in term}


@pytest.mark.parametrize("locale", NORDIC)
def test_no_catalogue_string_uses_a_competing_synonym(locale: str) -> None:
    competing = {synonym: term for term, (_, synonyms) in GLOSSARY[locale].items() for synonym in synonyms}
    pattern = re.compile(rf"(?<!\w)({'|'.join(map(re.escape, competing))})", re.IGNORECASE)
    found = {
        message_id: [f"{hit} (for {competing[hit.casefold()]})" for hit in pattern.findall(string)]
        for message_id, string in _catalogue_strings(locale)
        if pattern.search(string)
    }
    assert found == {}


def test_the_review_workbook_and_csv_files_are_headed_in_the_organisations_language(
    chat: Chat, clock: ManualClock, tmp_path: Path
) -> None:
    """The pack is the organisation's document: Norwegian headers though the admin exporting reads English."""
    a_year(chat, clock)
    chat.ok("admin", "/lang organisation nb")
    chat.ok("admin", "/lang en")
    export_review(chat.app.uow, 2026, tmp_path, lambda step: None)
    workbook = load_workbook(tmp_path / "review-2026.xlsx")
    assert workbook.sheetnames == ["mål", "målinger", "idéer", "kampanjer", "deltakelse", "personer", "ros"]
    rows = list(workbook["idéer"].iter_rows(values_only=True))
    assert list(rows[0][:7]) == ["idé", "opprettet", "enhet", "område", "status", "statusdato", "stemmer"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["opprettet"] == datetime(2026, 11, 16, 9, 0) and first["stemmer"] == 2
    assert first["verifisert besparelse (kWh/år)"] == 1500 and first["status"] == "implemented"
    with (tmp_path / "review-2026-ideas.csv").open(encoding="utf-8") as ideas_file:
        (csv_first, _) = csv.DictReader(ideas_file)
    assert csv_first["verifisert besparelse (kWh/år)"] == "1500"
    assert csv_first["opprettet"] == "2026-11-16 09:00:00"
    with (tmp_path / "review-2026-praise.csv").open(encoding="utf-8") as praise_file:
        assert next(csv.reader(praise_file)) == ["dato", "fra", "til person", "til enhet", "melding"]
    with (tmp_path / "review-2026-people.csv").open(encoding="utf-8") as people_file:
        assert next(csv.reader(people_file)) == ["navn", "enhet", "rolle", "kom til", "aktiv i år"]


@pytest.mark.parametrize("locale", NORDIC)
def test_every_sheet_and_column_of_the_pack_is_named_in_every_language(locale: str) -> None:
    t, english = translator(locale), translator("en")
    for sheet in SHEETS:
        assert sheet_name(english, sheet) == sheet.name
        assert len(sheet_name(t, sheet)) <= 31 and not set(sheet_name(t, sheet)) & set("[]:*?/\\")
        headers = [column_header(t, column) for column in sheet.columns]
        assert [column_header(english, column) for column in sheet.columns] == [c.key for c in sheet.columns]
        assert len(set(headers)) == len(headers), sheet.name
        assert _english_in(set(headers), locale) == set(), sheet.name
