"""Translations: gettext catalogues for en, sv, nb and da, loaded from the .po files at start."""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_skeleton, format_time, get_datetime_format
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.core.errors import Label, ParamValue, Text
from bot.core.people import HIDDEN_NAME, SUPPORTED_LOCALES
from bot.messages import Button, Reply

LOCALE_DIR = Path(__file__).parent / "locales"
DOMAIN = "engagebot"


def N_(message: str) -> str:  # noqa: N802  (the gettext convention extractors look for)
    """Mark a message for translation where it is defined; it is translated where it is shown."""
    return message


def L_(context: str, message: str) -> tuple[str, str]:  # noqa: N802
    """Mark a label (a status, role, period, ...) with the context that tells translators its use."""
    return context, message


LABELS: dict[tuple[str, str], tuple[str, str]] = {
    ("status", "new"): L_("status", "new"),
    ("status", "under_review"): L_("status", "under review"),
    ("status", "accepted"): L_("status", "accepted"),
    ("status", "implemented"): L_("status", "implemented"),
    ("status", "declined"): L_("status", "declined"),
    ("status", "merged"): L_("status", "merged"),
    ("status", "withdrawn"): L_("status", "withdrawn"),
    ("role", "admin"): L_("role", "admin"),
    ("role", "manager"): L_("role", "manager"),
    ("role", "representative"): L_("role", "environmental representative"),
    ("role", "member"): L_("role", "member"),
    ("unit_kind", "organisation"): L_("unit kind", "organisation"),
    ("unit_kind", "site"): L_("unit kind", "site"),
    ("unit_kind", "department"): L_("unit kind", "department"),
    ("unit_kind", "team"): L_("unit kind", "team"),
    ("dimension", "ecological"): L_("dimension", "ecological"),
    ("dimension", "economic"): L_("dimension", "economic"),
    ("dimension", "social"): L_("dimension", "social"),
    ("goal_field", "title"): L_("goal field", "title"),
    ("goal_field", "target"): L_("goal field", "target"),
    ("goal_field", "deadline"): L_("goal field", "deadline"),
    ("goal_field", "owner"): L_("goal field", "owner"),
    ("goal_state", "reached"): L_("goal", "reached"),
    ("goal_state", "on_track"): L_("goal", "on track"),
    ("goal_state", "behind"): L_("goal", "behind"),
    ("saving_kind", "expected"): L_("saving", "expected"),
    ("saving_kind", "verified"): L_("saving", "verified"),
    ("redemption", "pending"): L_("redemption", "waiting for approval"),
    ("redemption", "approved"): L_("redemption", "approved"),
    ("redemption", "declined"): L_("redemption", "declined"),
    ("redemption", "cancelled"): L_("redemption", "cancelled"),
    ("period", "week"): L_("period", "this week"),
    ("period", "month"): L_("period", "this month"),
    ("period", "year"): L_("period", "this year"),
    ("period", "all"): L_("period", "all time"),
    ("reason", "idea_submitted"): L_("ledger", "idea submitted"),
    ("reason", "idea_accepted"): L_("ledger", "idea accepted"),
    ("reason", "idea_implemented"): L_("ledger", "idea implemented"),
    ("reason", "vote_cast"): L_("ledger", "vote cast"),
    ("reason", "kudos_received"): L_("ledger", "kudos received"),
    ("reason", "praise_received"): L_("ledger", "praise received"),
    ("reason", "campaign_action"): L_("ledger", "campaign action"),
    ("reason", "poll_participation"): L_("ledger", "took part in a poll"),
    ("reason", "redemption"): L_("ledger", "reward redeemed"),
    ("reason", "redemption_refund"): L_("ledger", "redemption refunded"),
    ("reason", "merge_reversal"): L_("ledger", "paid twice before linking, taken back"),
    ("reason", "campaign_undo"): L_("ledger", "campaign action undone"),
    ("reason", "idea_withdrawn"): L_("ledger", "idea withdrawn the day it was submitted, taken back"),
    # What keeps a unit from being removed (bot/core/unit_changes.py's REFERENCE_KINDS).
    ("unit_reference", "board_links"): L_("unit reference", "board links"),
    ("unit_reference", "campaigns"): L_("unit reference", "campaigns"),
    ("unit_reference", "channels"): L_("unit reference", "channels"),
    ("unit_reference", "competitions"): L_("unit reference", "competitions"),
    ("unit_reference", "goals"): L_("unit reference", "goals"),
    ("unit_reference", "ideas"): L_("unit reference", "ideas"),
    ("unit_reference", "points"): L_("unit reference", "points"),
    ("unit_reference", "praise"): L_("unit reference", "praise"),
    ("unit_reference", "reminders"): L_("unit reference", "reminders"),
    ("unit_reference", "surveys"): L_("unit reference", "surveys"),
    ("area", "energy"): L_("area", "energy"),
    ("area", "climate"): L_("area", "climate"),
    ("area", "waste"): L_("area", "waste"),
    ("area", "travel"): L_("area", "travel"),
    ("area", "water"): L_("area", "water"),
    ("area", "purchasing"): L_("area", "purchasing"),
    ("area", "social"): L_("area", "social"),
    ("area", "economic"): L_("area", "economic"),
    ("area", "chemicals"): L_("area", "chemicals"),
    ("area", "food"): L_("area", "food"),
    ("area", "biodiversity"): L_("area", "biodiversity"),
    # The #tag people type for an area: one word of its kind, known to bot/core/ideas.py's AREA_WORDS.
    ("area_tag", "energy"): L_("area tag", "energy"),
    ("area_tag", "climate"): L_("area tag", "climate"),
    ("area_tag", "waste"): L_("area tag", "waste"),
    ("area_tag", "travel"): L_("area tag", "travel"),
    ("area_tag", "water"): L_("area tag", "water"),
    ("area_tag", "purchasing"): L_("area tag", "purchasing"),
    ("area_tag", "social"): L_("area tag", "social"),
    ("area_tag", "economic"): L_("area tag", "economic"),
    ("area_tag", "chemicals"): L_("area tag", "chemicals"),
    ("area_tag", "food"): L_("area tag", "food"),
    ("area_tag", "biodiversity"): L_("area tag", "biodiversity"),
}


# Label kinds whose lists name all of them ("goals, ideas and points"); the others name a choice.
_ALL_OF = frozenset({"unit_reference"})
# What may come before a name at the start of a sentence: emoji shortcodes, a rank ("1."), a medal.
_SENTENCE_START = re.compile(r"(?:\s*(?::[a-z0-9_+-]+:|\d+[.)]|[^\w\s]+))*\s*")
_SENTENCE_END = re.compile(r"[.!?]\s+$")


@cache
def _catalogue(locale: str) -> gettext.NullTranslations:
    path = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Translator:
    """Messages in one language; `t("Idea #{id} saved", id=3)` translates, then fills in."""

    locale: str

    def t(self, message: str, /, **params: ParamValue) -> str:
        return self.shown_names(self._fill(_catalogue(self.locale).gettext(message), params))

    def tn(self, singular: str, plural: str, count: int, /, **params: ParamValue) -> str:
        text = _catalogue(self.locale).ngettext(singular, plural, count)
        return self.shown_names(self._fill(text, {"count": self.number(count), **params}))

    def label(self, kind: str, key: str) -> str:
        """A status, role, period ... in this language; comma-separated keys give an "a, b or c" list."""
        return format_list(
            [self._one_label(kind, part) for part in key.split(",")],
            style="standard" if kind in _ALL_OF else "or",
            locale=self.locale,
        )

    def _one_label(self, kind: str, key: str) -> str:
        entry = LABELS.get((kind, key))
        if entry is None:
            return key
        return self.in_context(entry)

    def in_context(self, entry: tuple[str, str]) -> str:
        """A message marked with `L_(context, message)`, in this language."""
        return _catalogue(self.locale).pgettext(*entry)

    def number(self, value: int | Decimal) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, value: date) -> str:
        return format_date(value, format="medium", locale=self.locale)

    def moment(self, value: datetime, zone: tzinfo) -> str:
        """`20. nov. 2026, 12:00`: the day, its month's short name and the time, joined as the locale does."""
        day = format_skeleton("yMMMd", value, tzinfo=zone, locale=self.locale)
        clock = format_time(value, format="short", tzinfo=zone, locale=self.locale)
        return str(get_datetime_format("medium", locale=self.locale)).format(clock, day)

    def shown_names(self, text: str) -> str:
        """`text` with each hidden person's name (the core's HIDDEN_NAME) as "a colleague" in this
        language, "A colleague" where it starts a sentence. The one place the marker becomes words."""
        if HIDDEN_NAME not in text:
            return text
        colleague = self.t("a colleague")
        parts = text.split(HIDDEN_NAME)
        shown = [parts[0]]
        for part in parts[1:]:
            line = "".join(shown).rsplit("\n", 1)[-1]
            starts = _SENTENCE_START.fullmatch(line) is not None or _SENTENCE_END.search(line) is not None
            shown.append(colleague[:1].upper() + colleague[1:] if starts else colleague)
            shown.append(part)
        return "".join(shown)

    def shown_reply(self, reply: Reply) -> Reply:
        """The reply with every hidden name in its text, lines and button labels put in words."""
        texts = (reply.text, *reply.lines, *(button.label for button in reply.buttons))
        if not any(HIDDEN_NAME in text for text in texts):
            return reply
        return replace(
            reply,
            text=self.shown_names(reply.text),
            lines=tuple(self.shown_names(line) for line in reply.lines),
            buttons=tuple(
                Button(self.shown_names(button.label), button.action_id, button.style)
                for button in reply.buttons
            ),
        )

    def _fill(self, text: str, params: dict[str, ParamValue]) -> str:
        if not params:
            return text
        return text.format(**{name: self._param(value) for name, value in params.items()})

    def _param(self, value: ParamValue) -> str | int:
        if isinstance(value, Label):
            return self.label(value.kind, value.key)
        if isinstance(value, Text):
            return self.t(value.message)
        return value


def translator(locale: str | None) -> Translator:
    return Translator(locale if locale in SUPPORTED_LOCALES else "en")
