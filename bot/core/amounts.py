"""Amounts as people type them in their own language (`1 500`, `1.500`, `3,2`), read with Babel."""

from __future__ import annotations

import re
from decimal import Decimal, localcontext

from babel.numbers import NumberFormatError, format_decimal, get_decimal_symbol, get_group_symbol, parse_decimal

from bot.core.errors import DomainError

MAX_AMOUNT_LENGTH = 40
# Babel checks a strict reading by writing the number back, rounded to its decimals: past the default
# 28 significant digits that fails. Forty characters of digits and three decimals fit in this.
_PRECISION = 2 * MAX_AMOUNT_LENGTH
_SPACE = "[ \u00a0\u202f\u2009]"
# Thousands grouped by spaces, as every one of our languages may write them: the separator left is the decimal.
_SPACE_GROUPED = re.compile(rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:[.,]\d+)?")
_SCIENTIFIC = re.compile(r"[\d.,]*\d[eE][+-]?\d+")
_NOT_FINITE = {"inf", "infinity", "nan", "∞"}
_PLAIN = re.compile(r"\d+(?:[.,]\d+)*")
# The other convention, read one way only: `98,5` in English, `3.5` or `1,500.5` in Danish.
_OTHER_CONVENTION = re.compile(r"\d+([.,])\d+|\d{1,3}(?:([.,])\d{3})*(?!\2)[.,]\d+")


def parse_amount(typed: str, locale: str) -> Decimal:
    """The number `typed` means in `locale`: its own separators first, then the other convention
    where that is the only reading (`98,5` in English); refused when it could mean two numbers."""
    text = typed.strip()
    if not text:
        raise DomainError("Give the amount too.")
    digits = text.lstrip("+-−")
    if digits.lower() in _NOT_FINITE:
        raise _not_an_amount(text)
    if _SCIENTIFIC.fullmatch(digits):
        raise DomainError("Write {value} in plain digits, e.g. 1 500 000.", value=text)
    if len(text) > MAX_AMOUNT_LENGTH:
        raise DomainError("Write the amount as a number, e.g. 120 or 3.5.")
    sign = -1 if text[0] in "-−" else 1
    if _SPACE_GROUPED.fullmatch(digits):
        return sign * Decimal(re.sub(_SPACE, "", digits).replace(",", "."))
    if not _PLAIN.fullmatch(digits):
        raise _not_an_amount(text)
    _refuse_ambiguous(digits, locale)
    with localcontext(prec=_PRECISION):
        return sign * _read_plain(text, digits, locale)


def _read_plain(text: str, digits: str, locale: str) -> Decimal:
    try:
        return parse_decimal(digits, locale=locale, strict=True)
    except NumberFormatError as error:
        if not _OTHER_CONVENTION.fullmatch(digits) or not error.suggestions:
            raise _not_an_amount(text) from error
        # Babel's last suggestion swaps the decimal and group separators.
        return parse_decimal(error.suggestions[-1], locale=locale, strict=True)


def _refuse_ambiguous(digits: str, locale: str) -> None:
    """A separator the locale uses for neither decimals nor thousands, before exactly three digits:
    `1.500` in Swedish or Norwegian may mean 1 500 or 1,5."""
    for separator in ".,":
        if separator in (get_decimal_symbol(locale), get_group_symbol(locale)):
            continue
        if re.fullmatch(rf"\d{{1,3}}\{separator}\d{{3}}", digits):
            raise DomainError(
                "Is {value} {thousands} or {decimal}? Please write it that way.",
                value=digits,
                thousands=format_decimal(Decimal(digits.replace(separator, "")), locale=locale),
                decimal=format_decimal(Decimal(digits.replace(separator, ".")), locale=locale),
            )


def _not_an_amount(typed: str) -> DomainError:
    return DomainError("{value} is not an amount; write a number, e.g. 1 500.", value=typed)
