"""Every command's wrong and missing arguments, sent in Swedish, Norwegian and Danish, answer in that language.

The commands come from the registry, so a new command is covered as soon as it is registered.
"""

from __future__ import annotations

import pytest
from babel.messages.catalog import Message

from bot.i18n_catalogue import _translation_gaps, english_in
from handlers import REGISTRY
from tests.chat import Chat

WRONG_ARGUMENTS = ("", "-1", "#0", "1234567890123", "x", "?? !!", "@nobody", "1 x", "x 1 y", "1 2 3 4")
# Who sends them: an admin reaches each command's argument parsing, a member its permission check.
SENDERS = (("vera", "admin"), ("ola", "member"))


@pytest.mark.parametrize("locale", ["sv", "nb", "da"])
def test_wrong_arguments_to_every_command_are_answered_in_the_language(chat: Chat, locale: str) -> None:
    chat.as_("vera", "admin")
    chat.ok("vera", "/unit add organisation Fjordby")
    chat.ok("vera", "/idea Slå av lyset i depotet om natten")
    chat.ok("vera", "/reward add 10 Kino")
    english: dict[str, list[str]] = {}
    for name, role in SENDERS:
        chat.as_(name, role)
        chat.ok(name, f"/lang {locale}")
        for spec in REGISTRY.commands:
            for arguments in WRONG_ARGUMENTS:
                line = f"/{spec.name} {arguments}".strip()
                said = chat.send(name, line)
                found = english_in(said.text, locale)
                if found:
                    english[f"{name}: {line}"] = [said.text, *found]
    assert english == {}


@pytest.mark.parametrize("locale", ["sv", "nb", "da"])
def test_the_detector_finds_an_english_reply(locale: str) -> None:
    assert english_in("Say what the kudos are for, e.g. /kudos @Lars for fixing the bike shed.", locale)
    assert english_in("Usage: /vote <id>", locale)
    assert english_in("Idea #3 is now accepted. I have told the author.", locale)


def test_the_detector_passes_the_language_itself() -> None:
    assert english_in("Användning: /vote <id>", "sv") == []
    assert english_in("Det finns ingen idé #99.", "sv") == []
    assert english_in("Kudos er til kolleger; du kan ikke give dig selv kudos.", "da") == []
    assert english_in("The same words in English are fine for English readers.", "en") == []


def test_the_catalogue_check_finds_a_translation_left_in_english() -> None:
    copied = Message("Write your idea after the command.", "Write your idea after the command.")
    assert [gap.problem for gap in _translation_gaps("nb", copied)] == ["still English"]
    usage = Message("/vote <id>", "/vote <id>")
    assert list(_translation_gaps("nb", usage)) == []
