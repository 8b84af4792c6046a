"""Values as the review pack's workbook and CSV files hold them: text that no spreadsheet runs as a formula."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell

from bot.core.review import Cell

# What makes a spreadsheet read a field as a formula (OWASP, CSV injection): a leading =, + or - starts
# one, @ calls a function in older Excel, and a leading tab or carriage return is dropped before the rest
# is read.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TYPE_GUESSED = (*FORMULA_STARTS, "#")  # openpyxl reads `=…` as a formula and `#N/A`, `#REF!`… as errors


def workbook_cell(worksheet: Any, value: Cell) -> Any:
    """A value for a write-only sheet: text always a string cell, numbers as numbers (a Decimal as the
    float Excel keeps), dates as dates, nothing as an empty cell. openpyxl guesses a string's type: `=…`
    becomes a formula and `#N/A` an error, so text beginning with a formula character or `#` is given as
    a string cell of its own, quote-prefixed (as Excel marks a typed `'=…`) when it looks like a formula,
    so that editing it in Excel keeps it text. Other text goes as it is: a cell object for every text
    made writing the workbook a fifth slower."""
    if isinstance(value, str):
        if not value.startswith(TYPE_GUESSED):
            return value
        cell = WriteOnlyCell(worksheet, value)
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_STARTS)
        return cell
    return float(value) if isinstance(value, Decimal) else value


def csv_field(value: Cell) -> str:
    """A plain, locale-free form: `1500.5`, `-3`, `2026-11-16`, `2026-11-16 09:00:00`, empty for nothing;
    text that begins like a formula gets a leading `'`, which spreadsheets read as "this is text"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
