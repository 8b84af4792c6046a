"""Small phrases many replies share: point counts, vote counts, quantities and text previews."""

from __future__ import annotations

from decimal import Decimal

from bot.core.quantities import PER_YEAR, is_canonical
from bot.i18n import Translator

PREVIEW_LENGTH = 80


def plus_points(t: Translator, amount: int) -> str:
    return t.tn("+{count} point", "+{count} points", amount)


def points_text(t: Translator, amount: int) -> str:
    return t.tn("{count} point", "{count} points", amount)


def votes_text(t: Translator, count: int) -> str:
    return t.tn("{count} vote", "{count} votes", count)


def preview(text: str, length: int = PREVIEW_LENGTH) -> str:
    """The first line of `text`, cut to `length` characters with an ellipsis."""
    stripped = text.strip()
    first_line = stripped.splitlines()[0] if stripped else ""
    return first_line if len(first_line) <= length else first_line[: length - 1].rstrip() + "…"


def quantity_text(t: Translator, amount: Decimal, unit: str) -> str:
    """`1 500 kWh a year` in the reader's language; a unit kept as typed before units were read, as typed."""
    number = t.number(amount.normalize())
    if is_canonical(unit) and unit.endswith(PER_YEAR):
        return t.t("{amount} {unit} a year", amount=number, unit=unit.removesuffix(PER_YEAR))
    return f"{number} {unit}"
