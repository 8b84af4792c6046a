"""Progress judged against a straight line: from the baseline on the day the goal was set to the target
on its deadline. A goal is on track when it has come at least as far toward its target as that line
says it should have by today.

Why the day it was set and not the baseline year's start: a goal set in November on a baseline from
two years back would otherwise be behind from its first day, for time nobody could act on it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

REDUCE, INCREASE = "reduce", "increase"
REACHED, ON_TRACK, BEHIND = "reached", "on_track", "behind"
STATES = (REACHED, ON_TRACK, BEHIND)
BAR_WIDTH = 10


def direction(baseline: Decimal, target: Decimal) -> str:
    """A target below the baseline means reduce (kWh), above it increase (% sorted)."""
    return REDUCE if target < baseline else INCREASE


def toward_target(value: Decimal, amount: Decimal, baseline: Decimal, target: Decimal) -> Decimal:
    """`value` moved `amount` the goal's way: a saving lowers a reduce goal and raises an increase one."""
    return value - amount if direction(baseline, target) == REDUCE else value + amount


def share_done(baseline: Decimal, target: Decimal, value: Decimal) -> Decimal:
    """How far `value` has come: 0 at the baseline, 1 at the target (it may pass either)."""
    return (value - baseline) / (target - baseline)


def share_due(start: date, deadline: date, today: date) -> Decimal:
    """How far the straight line has come by `today`: 0 on `start`, 1 on the deadline and after."""
    if today >= deadline:
        return Decimal(1)
    if today <= start:
        return Decimal(0)
    return Decimal((today - start).days) / Decimal((deadline - start).days)


def on_track(
    baseline: Decimal, target: Decimal, value: Decimal, start: date, deadline: date, today: date
) -> bool:
    return share_done(baseline, target, value) >= share_due(start, deadline, today)


def goal_state(
    baseline: Decimal, target: Decimal, value: Decimal, start: date, deadline: date, today: date
) -> str:
    """Reached at the target or past it (then never merely on track); else on track or behind."""
    if share_done(baseline, target, value) >= 1:
        return REACHED
    return ON_TRACK if on_track(baseline, target, value, start, deadline, today) else BEHIND


def percent(share: Decimal) -> int:
    """The share as a whole percent, rounded down, never below 0 (a goal gone the wrong way shows 0 %)."""
    return max(0, int(share * 100))


def bar(share: Decimal, width: int = BAR_WIDTH) -> str:
    """`▓▓▓▓▓░░░░░`: the share done, full at 100 % and beyond."""
    filled = min(width, max(0, int(share * width)))
    return "▓" * filled + "░" * (width - filled)
