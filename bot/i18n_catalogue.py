"""Keeping the catalogues in step with the code: extract messages, update the .po files, find gaps.

Run `python -m bot.i18n_catalogue update` after changing user-facing text, then translate what
`python -m bot.i18n_catalogue check` lists.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.core.people import SUPPORTED_LOCALES
from bot.i18n import DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("bot", "handlers", "campaigns")
KEYWORDS = {
    "t": None,
    "tn": (1, 2),
    "N_": None,
    "L_": ((1, "c"), 2),
    "DomainError": None,
    "QuantityTooLargeError": None,
    "SavingChoiceError": None,
    "RoleNeededError": None,
    "clean_text": (3,),  # its third argument is the refusal for an empty text
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Gap:
    locale: str
    msgid: str
    problem: str


def extract() -> Catalog:
    """Every translatable message in the source, as a template catalogue."""
    template = Catalog(domain=DOMAIN, project="engagebot", charset="utf-8")
    for directory in SOURCE_DIRS:
        found = extract_from_dir(str(ROOT / directory), method_map=[("**.py", "python")], keywords=KEYWORDS)
        for filename, lineno, message, _comments, context in found:
            template.add(message, locations=[(f"{directory}/{filename}", lineno)], context=context)
    return template


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, domain=DOMAIN, project="engagebot")
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale)


def update() -> None:
    """Write the template and merge it into each language's catalogue, keeping translations."""
    template = extract()
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as pot_file:
        write_po(pot_file, template, width=100, omit_header=False, sort_output=True, include_lineno=False)
    for locale in SUPPORTED_LOCALES:
        catalog = load(locale)
        catalog.update(template, no_fuzzy_matching=True)
        po_path(locale).parent.mkdir(parents=True, exist_ok=True)
        with po_path(locale).open("wb") as po_file:
            write_po(po_file, catalog, width=100, sort_output=True, ignore_obsolete=True, include_lineno=False)


def gaps(locale: str) -> Iterator[Gap]:
    """Messages the code uses that `locale` lacks, leaves fuzzy, or fills in with other placeholders.

    English is the source language: its catalogue must list every message but may leave them empty.
    """
    catalog = load(locale)
    for wanted in extract():
        if not wanted.id:
            continue
        found = catalog.get(wanted.id, context=wanted.context)
        msgid = _first(wanted.id)
        if found is None:
            yield Gap(locale, msgid, "missing")
        elif locale != "en":
            yield from _translation_gaps(locale, found)


def _translation_gaps(locale: str, message: Message) -> Iterator[Gap]:
    msgid = _first(message.id)
    if message.fuzzy:
        yield Gap(locale, msgid, "fuzzy")
    strings = [text or "" for text in _all(message.string or "")]
    if not all(strings):
        yield Gap(locale, msgid, "untranslated")
        return
    if any(_reads_english(translated) for translated in strings if translated in _all(message.id)):
        yield Gap(locale, msgid, "still English")
    expected = set(_PLACEHOLDER.findall(" ".join(_all(message.id))))
    for translated in strings:
        if set(_PLACEHOLDER.findall(translated)) - expected - {"count"}:
            yield Gap(locale, msgid, f"unknown placeholder in {translated!r}")
        if not set(_PLACEHOLDER.findall(translated)) >= expected - {"count"}:
            yield Gap(locale, msgid, f"placeholder dropped in {translated!r}")


# Common English words that no Swedish, Norwegian or Danish sentence uses.
ENGLISH_WORDS = frozenset(
    {"the", "you", "your", "which", "what", "there", "please", "only", "usage", "with", "would", "this", "that"}
)
_WORD = re.compile(r"[^\W\d_]+")
_FRAGMENT_SPLIT = re.compile(r"\{\w+\}|:[a-z0-9_+-]+:|[<>\[\]|/#“”\"().,;!?…·]")


def english_in(text: str, locale: str) -> list[str]:
    """English left in a reply meant for `locale`: source sentences the catalogue translates, and
    common English words. Empty for English readers and for a reply wholly in the language.
    """
    if locale == "en":
        return []
    found = [fragment for fragment in _english_fragments(locale) if fragment in text.casefold()]
    found += sorted({word for word in _WORD.findall(text.casefold()) if word in ENGLISH_WORDS})
    return found


def _reads_english(text: str) -> bool:
    """Whether a text copied unchanged from its English id is a sentence (not a name or a syntax line)."""
    words = _WORD.findall(_FRAGMENT_SPLIT.sub(" ", text).casefold())
    return len([word for word in words if len(word) > 2]) >= 3 or any(word in ENGLISH_WORDS for word in words)


@cache
def _english_fragments(locale: str) -> tuple[str, ...]:
    """Runs of three or more words from each English message id whose translation says it otherwise."""
    catalog = load(locale)
    fragments: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        translated = " ".join(text or "" for text in _all(message.string or "")).casefold()
        for english in _all(message.id):
            for piece in _FRAGMENT_SPLIT.split(english.casefold()):
                words = piece.split()
                if len(words) >= 3 and " ".join(words) not in translated:
                    fragments.add(" ".join(words))
    return tuple(sorted(fragments))


def _all(msgid: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Singular and plural ids, or the one id, as a tuple."""
    return (msgid,) if isinstance(msgid, str) else tuple(msgid)


def _first(msgid: str | tuple[str, ...] | list[str]) -> str:
    return _all(msgid)[0]


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["check"]:
        problems = [gap for locale in SUPPORTED_LOCALES for gap in gaps(locale)]
        for gap in problems:
            print(f"{gap.locale}: {gap.problem}: {gap.msgid}")
        return 1 if problems else 0
    print("usage: python -m bot.i18n_catalogue update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
