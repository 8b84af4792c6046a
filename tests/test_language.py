"""Every message is translated in every language we speak, and every emoji shortcode is real."""

from __future__ import annotations

import re
from pathlib import Path

import emoji
import pytest

from bot.core.people import SUPPORTED_LOCALES
from bot.i18n import LABELS, translator
from bot.i18n_catalogue import extract, gaps
from handlers import REGISTRY
from tests.chat import Chat

HANDLERS = Path(__file__).parent.parent / "handlers"
SHORTCODE = re.compile(r"(?<![\w:]):([a-z0-9_+-]+):(?![\w:])")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_message_has_a_translation(locale: str) -> None:
    problems = [f"{gap.problem}: {gap.msgid}" for gap in gaps(locale)]
    assert problems == [], f"{locale}: run `python -m bot.i18n_catalogue update` and translate"


def test_the_code_has_messages_to_translate() -> None:
    assert len(list(extract())) > 150


@pytest.mark.parametrize("locale", ["sv", "nb", "da"])
def test_labels_and_help_read_in_the_language(locale: str) -> None:
    t = translator(locale)
    untranslated = [
        key
        for key, (context, english) in LABELS.items()
        if t.label(*key) == english and english not in ("team", "admin", "organisation", "social")
    ]
    assert untranslated == []
    for spec in REGISTRY.commands:
        assert t.t(spec.summary) != spec.summary, spec.name


def test_plural_forms_follow_the_count() -> None:
    t = translator("sv")
    assert t.tn("{count} vote", "{count} votes", 1) == "1 röst"
    assert t.tn("{count} vote", "{count} votes", 3) == "3 röster"


def test_every_emoji_shortcode_shown_to_people_is_known() -> None:
    """Shortcodes live in messages and in the handlers (status and medal emoji)."""
    texts = [str(message.id) for message in extract()]
    texts += [path.read_text(encoding="utf-8") for path in Path(HANDLERS).rglob("*.py")]
    unknown = {
        f":{code}:"
        for text in texts
        for code in SHORTCODE.findall(text)
        if emoji.emojize(f":{code}:", language="alias") == f":{code}:"
    }
    assert unknown == set()


def test_refusals_and_replies_are_in_the_persons_language(chat: Chat) -> None:
    chat.ok("karin", "/lang sv")
    assert chat.refused("karin", "/vote 99").text == "Det finns ingen idé #99."
    assert "Det finns inget kommando /idee. Menade du /idea?" in chat.refused("karin", "/idee x")
    chat.ok("mikkel", "/lang da")
    assert "Kudos er til kolleger" in chat.refused("mikkel", "/kudos @mikkel mig selv")
    assert chat.ok("mikkel", "/idea Cykelparkering ved depotet").text.startswith("🌱 Tak")
