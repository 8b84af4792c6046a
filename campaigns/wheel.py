"""The year wheel's calendar: the entries an environmental-management system keeps, and how each fires."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.core import wheel
from bot.core.schedule import DueItem
from bot.core.uow import Tx
from campaigns.recurrence import Rule, next_after


def _days(count: int) -> timedelta:
    return timedelta(days=count)


# key: (cron of the event in local time, reminded this far ahead, whom). Dates are the usual Nordic
# rhythm: Eco-Lighthouse's yearly report is due 1 April; Earth Hour is the last Saturday of March
# (day 25-31 and Saturday: APScheduler requires both); European car-free day is 22 September.
CALENDAR: dict[str, tuple[str, timedelta, tuple[str, ...]]] = {
    "meter_readings": ("0 9 1 * *", _days(0), ("representatives",)),
    "seminar_spring": ("0 9 10 3 *", _days(21), ("representatives",)),
    "seminar_autumn": ("0 9 15 9 *", _days(21), ("representatives",)),
    "internal_audit": ("0 9 1 10 *", _days(30), ("managers", "representatives")),
    "management_review": ("0 9 15 11 *", _days(30), ("admins", "managers")),
    "environmental_report": ("0 9 1 4 *", _days(30), ("admins",)),
    "work_environment_review": ("0 9 1 2 *", _days(14), ("managers",)),
    "earth_hour": ("30 20 25-31 3 sat", _days(7), ("everyone",)),
    "car_free_day": ("0 9 22 9 *", _days(7), ("everyone",)),
}


def default_calendar(now: datetime, tz: str) -> list[wheel.Entry]:
    """The calendar as it starts, each entry due at its next firing after `now`."""
    found = []
    for key, (cron, ahead, audience) in CALENDAR.items():
        rule = Rule(tz=tz, cron=cron, ahead=ahead)
        first = next_after(rule, now)
        assert first is not None  # a yearly cron always comes round again
        found.append(wheel.Entry(key, rule.to_dict(), first, audience))
    return found


def fire(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
    """Each entry reminds its audience of the event it fired ahead of."""
    for item, fired_for in items:
        event = Rule.from_dict(item.rule).event_of(fired_for)
        notice = {"entry": item.payload["entry"], "event": event.isoformat(), "tz": item.rule["tz"]}
        wheel.remind(tx, item.payload["audience"], notice)
