"""How follow-ups read: `Voted: 4 of 6 (67 %)` and the names of those not there yet."""

from __future__ import annotations

from babel.lists import format_list
from babel.numbers import format_percent

from bot.i18n import Translator

NAMES_SHOWN = 30  # a longer list is cut, with how many more


def share_line(t: Translator, label: str, part: int, whole: int) -> str:
    """`Taken part: 4 of 6 (67 %)`."""
    percent = format_percent(part / whole if whole else 0, locale=t.locale)
    return t.t("{label}: {part} of {whole} ({percent})", label=label, part=part, whole=whole, percent=percent)


def names_line(t: Translator, names: list[str]) -> str:
    """`Not yet: Bob, Carl and 3 more`."""
    shown = names[:NAMES_SHOWN]
    if len(names) > len(shown):
        shown.append(t.tn("{count} more", "{count} more", len(names) - len(shown)))
    return t.t("Not yet: {names}", names=format_list(shown, locale=t.locale))
