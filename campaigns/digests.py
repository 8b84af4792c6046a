"""Progress posts on the schedule: by default monthly on the first weekday at 09:00, per unit channel and
once organisation-wide."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core import digest_posts
from bot.core.schedule import DueItem
from bot.core.uow import Tx
from campaigns.recurrence import Rule, first_at_or_after, next_after

# A five-field cron cannot say "the first weekday": APScheduler fires when the day AND the weekday
# match, so this fires on the weekdays among the 1st to the 3rd, and `is_first_weekday` keeps the
# one that is first (the 1st when it is a weekday, else the Monday after a weekend 1st).
FIRST_WEEKDAY_CRON = "0 9 1-3 * mon-fri"


def default_rule(tz: str) -> Rule:
    return Rule.every(FIRST_WEEKDAY_CRON, tz)


def is_default(rule: Rule) -> bool:
    """The first-weekday rule; a typed `0 9 1-3 * 1-5` is another (crontab fires on either day field)."""
    return rule == default_rule(rule.tz)


def is_first_weekday(moment: datetime, tz: str) -> bool:
    local = moment.astimezone(ZoneInfo(tz))
    return local.weekday() < 5 and (local.day == 1 or local.weekday() == 0)


def fire(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
    """Post the month before each firing; the default rule's candidate days that are not first pass by."""
    for item, fired_for in items:
        rule = Rule.from_dict(item.rule)
        if is_default(rule) and not is_first_weekday(fired_for, rule.tz):
            continue
        digest_posts.post_scheduled(tx, item, fired_for)


def next_post(rule: Rule, moment: datetime) -> datetime | None:
    """When the rule next posts at or after `moment` (the default rule's passing candidates skipped)."""
    found = first_at_or_after(rule, moment)
    while found is not None and is_default(rule) and not is_first_weekday(found, rule.tz):
        found = next_after(rule, found)
    return found
