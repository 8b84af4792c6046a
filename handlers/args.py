"""Parsing command arguments: ids like `12` or `#12`, the first word, amounts with , or . decimals."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.core.errors import DomainError, Text

_ID = re.compile(r"#?(\d{1,9})")
_SIGNED_NUMBER = re.compile(r"[-+−]?#?[-+−]?\d+")
_MENTION = re.compile(r"<@[a-z]+:[^>\s]+>")
# More digits than any amount or cost has. Bigger ones are refused as they are read: int() of 1e1000000
# takes half a minute and holds the interpreter's lock meanwhile, so one such command froze the bot.
MAX_DIGITS = 15


def split_first(text: str) -> tuple[str, str]:
    """The first word and the rest, both stripped."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def parse_id(token: str, usage: str) -> int:
    match = _ID.fullmatch(token.strip())
    if match is None:
        if not token.strip():
            raise DomainError("Which one? Usage: {usage}", usage=Text(usage))
        if _SIGNED_NUMBER.fullmatch(token.strip()):
            raise DomainError(
                "{value} is not an id: ids are positive whole numbers of at most nine digits. Usage: {usage}",
                value=token,
                usage=Text(usage),
            )
        raise DomainError("{value} is not a number. Usage: {usage}", value=token, usage=Text(usage))
    return int(match.group(1))


def parse_amount(token: str, usage: str) -> Decimal:
    value = amount_or_none(token)
    if value is None:
        raise DomainError("{value} is not a number. Usage: {usage}", value=token, usage=Text(usage))
    return value


def amount_or_none(token: str) -> Decimal | None:
    """A number written with spaces or non-breaking spaces between thousands and `,` or `.` decimals."""
    normalised = token.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(normalised)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value.adjusted() < MAX_DIGITS else None


def parse_int(token: str, usage: str) -> int:
    value = parse_amount(token, usage)
    if value != value.to_integral_value():
        raise DomainError("{value} is not a whole number. Usage: {usage}", value=token, usage=Text(usage))
    return int(value)


def mention_tokens(text: str) -> list[str]:
    """Platform mention tokens in order of appearance."""
    return _MENTION.findall(text)
