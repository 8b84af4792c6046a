"""The yearly review pack's shape: the year reviewed, the sheets (their columns and streamed rows)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core.errors import DomainError
from bot.core.quantities import PER_YEAR
from bot.core.uow import Tx

FIRST_YEAR, LAST_YEAR = 2000, 2999
CHUNK_ROWS = 2000  # rows fetched and written at a time: memory stays flat however large the year
# Every canonical unit a saving or an impact may have (bot/core/quantities.py), in a fixed column order.
CANONICAL_UNITS = tuple(
    unit + period for unit in ("kWh", "kg CO2e", "kg", "km", "l") for period in ("", PER_YEAR)
)

Cell = int | Decimal | str | date | datetime | None
Row = tuple[Cell, ...]
ColumnKind = Literal["int", "decimal", "text", "date", "datetime"]


@dataclass(frozen=True)
class Year:
    """A calendar year in the organisation's time zone, as UTC bounds [start, end)."""

    number: int
    zone: ZoneInfo
    start: datetime
    end: datetime

    def local(self, moment: datetime) -> datetime:
        """A stored UTC moment as the organisation's wall-clock time, zoneless as spreadsheets keep it."""
        return moment.astimezone(self.zone).replace(tzinfo=None)


def year_of(tx: Tx, number: int) -> Year:
    if not FIRST_YEAR <= number <= LAST_YEAR:
        raise DomainError("{value} is not a year I can review: give one such as 2026.", value=str(number))
    zone = tx.policy.timezone

    def new_year(year: int) -> datetime:
        return datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)

    return Year(number, zone, new_year(number), new_year(number + 1))


def current_year(tx: Tx) -> int:
    return tx.now.astimezone(tx.policy.timezone).year


@dataclass(frozen=True)
class Column:
    key: str  # the English header in the workbook and the CSV file (documented in the README)
    kind: ColumnKind
    prefix: str | None = None  # of a unit column: `verified` in `verified_kWh_per_year`
    unit: str | None = None  # of a unit column: `kWh/year`


def unit_columns(prefix: str) -> tuple[Column, ...]:
    """One number column per canonical unit, the unit in its name: `verified_kWh_per_year`."""
    return tuple(Column(f"{prefix}_{unit_key(unit)}", "decimal", prefix, unit) for unit in CANONICAL_UNITS)


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent to one decimal; None when there is no whole."""
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None


def unit_key(unit: str) -> str:
    return unit.replace(PER_YEAR, "_per_year").replace(" ", "_")


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook and one CSV file: its rows come in chunks of at most CHUNK_ROWS."""

    name: str
    columns: tuple[Column, ...]
    rows: Callable[[Tx, Year], Iterator[Sequence[Row]]]
