"""/lang: the language I answer you in, the organisation's language, and a unit's own."""

from __future__ import annotations

from babel import Locale

from bot.context import HandlerContext
from bot.core import languages, people
from bot.core.errors import Text
from bot.core.models import Unit
from bot.i18n import N_, Translator, translator
from bot.messages import Reply
from handlers.args import Args
from handlers.names import take_unit
from handlers.vocabulary import LANGUAGE_SCOPE_WORDS, LANGUAGE_WORDS, lookup, lookup_leading

LANG_USAGE = N_("/lang <en | sv | nb | da> | /lang organisation [<language>] | /lang unit <unit> [<language>]")
LANGUAGE_NAMES = {"en": "English", "sv": "svenska", "nb": "norsk bokmål", "da": "dansk"}


def set_language(ctx: HandlerContext, text: str) -> Reply:
    """Choose the language I answer you in; admins choose the organisation's, and a unit's for its channels."""
    args = Args(text, LANG_USAGE)
    wanted = args.word()
    if not wanted:
        choices = ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())
        return Reply(ctx.t.t("I speak {choices}. Usage: {usage}", choices=choices, usage=Text(LANG_USAGE)))
    scope = lookup(LANGUAGE_SCOPE_WORDS, wanted)
    if scope == "organisation":
        return _organisation(ctx, args.rest())
    if scope == "unit":
        if not args.ahead():
            raise args.usage_error()
        unit = take_unit(ctx, args)
        return _unit(ctx, unit, args.rest())
    locale = people.set_locale(ctx.tx, ctx.person, _language_typed(text))
    ctx.t = translator(locale)
    return Reply(
        ctx.t.t(":speech_balloon: From now on I answer you in {language}.", language=LANGUAGE_NAMES[locale])
    )


def _named_for(t: Translator, locale: str) -> str:
    """A language as the reader names it ("engelsk" to a Norwegian), for sentences about a conversation's
    language; the list of choices names each in its own."""
    return str(Locale.parse(locale).get_language_name(t.locale))


def _language_typed(text: str) -> str:
    """The language named ("svenska", "norsk bokmål"), else the word as typed (a code such as sv-SE)."""
    return lookup_leading(LANGUAGE_WORDS, text)[0] or text.strip()


def _organisation(ctx: HandlerContext, typed: str) -> Reply:
    t = ctx.t
    if not typed:
        language = _named_for(t, languages.organisation_language(ctx.tx))
        return Reply(
            t.t(":speech_balloon: The organisation's posts are written in {language}.", language=language),
            (t.t("An admin changes it with /lang organisation <en | sv | nb | da>."),),
        )
    locale = languages.set_organisation_language(ctx.tx, ctx.person, _language_typed(typed))
    return Reply(
        t.t(
            ":speech_balloon: From now on the organisation's posts are written in {language}.",
            language=_named_for(t, locale),
        ),
        (
            t.t("Units with a language of their own keep it."),
            t.t("Whoever has chosen no language of their own is answered in it too."),
        ),
    )


def _unit(ctx: HandlerContext, unit: Unit, typed: str) -> Reply:
    t = ctx.t
    if not typed:
        language = _named_for(t, languages.unit_language(ctx.tx, unit.id))
        inherited = () if unit.language else (t.t("{unit} has no language of its own.", unit=unit.name),)
        return Reply(
            t.t(
                ":speech_balloon: Posts to {unit}'s channels are written in {language}.",
                unit=unit.name,
                language=language,
            ),
            inherited,
        )
    locale = languages.set_unit_language(ctx.tx, ctx.person, unit, _language_typed(typed))
    return Reply(
        t.t(
            ":speech_balloon: From now on posts to {unit}'s channels are written in {language}.",
            unit=unit.name,
            language=_named_for(t, locale),
        ),
        (t.t("So are those of the units below it that have no language of their own."),),
    )
