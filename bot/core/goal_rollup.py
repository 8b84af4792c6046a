"""Roll-up: the goals of a unit's units on one metric make up the unit's figure, in canonical units.

Amounts (kWh, kg, km …) add up. Rates (% sorted) are averaged weighted by each unit's members, so a
team of forty counts four times as much as a team of ten; units nobody belongs to yet count once each
when no unit has members. A part given in another unit of the same dimension (MWh, t) is converted first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.core.goal_metrics import AMOUNT, in_unit
from bot.core.quantities import PLACES


@dataclass(frozen=True)
class Part:
    """One unit's figure: `value` in `unit`, and how many people the unit has (its weight for a rate)."""

    value: Decimal
    unit: str
    members: int


def roll_up(kind: str, metric_unit: str, parts: Sequence[Part]) -> Decimal | None:
    """The parts' sum (amounts) or member-weighted average (rates) in `metric_unit`; None without parts."""
    if not parts:
        return None
    values = [in_unit(part.value, part.unit, metric_unit) for part in parts]
    if kind == AMOUNT:
        return sum(values, Decimal(0))
    weights = [Decimal(part.members) for part in parts]
    if sum(weights) == 0:
        weights = [Decimal(1)] * len(parts)
    weighted = sum((value * weight for value, weight in zip(values, weights, strict=True)), Decimal(0))
    return (weighted / sum(weights)).quantize(PLACES)
