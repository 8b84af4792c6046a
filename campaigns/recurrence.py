"""When something is due: a stored rule (once, or a cron expression in a time zone) and its next times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

# A rule whose times never come (a cron of 30 February) must not hold a loop forever.
MAX_STEPS = 10_000


@dataclass(frozen=True)
class Rule:
    """Once at `at`, or every time the five-field `cron` expression matches, read in the zone `tz`.

    Weekdays are written by name (`0 9 * * mon-fri`): campaigns.when_grammar.read_cron turns a typed
    crontab's numbered weekdays into names.
    """

    tz: str
    cron: str | None = None
    at: datetime | None = None
    # Fire this long before each time (the year wheel reminds a month ahead of an audit); the times
    # the functions below give are the firing times, each `ahead` before its event.
    ahead: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if (self.cron is None) == (self.at is None):
            raise ValueError("a rule is either once (at) or recurring (cron)")
        if self.at is not None and self.at.tzinfo is None:
            raise ValueError("a rule's moment must be aware")
        ZoneInfo(self.tz)  # an unknown zone fails here, not at the first tick
        if self.cron is not None:
            CronTrigger.from_crontab(self.cron, timezone=ZoneInfo(self.tz))  # and so does a bad expression
            if any(character.isdigit() for character in self.cron.split()[-1]):
                # Crontab counts Sunday as 0, APScheduler Monday: a number would fire on the wrong day.
                raise ValueError(f"write weekdays by name (mon-fri), not number: {self.cron!r}")

    @property
    def recurring(self) -> bool:
        return self.cron is not None

    @staticmethod
    def once(at: datetime, tz: str) -> Rule:
        return Rule(tz=tz, at=at.astimezone(UTC))

    @staticmethod
    def every(cron: str, tz: str) -> Rule:
        return Rule(tz=tz, cron=" ".join(cron.split()))

    def to_dict(self) -> dict[str, Any]:
        """What the schedule table stores."""
        stored: dict[str, Any] = {"tz": self.tz}
        if self.cron is not None:
            stored["cron"] = self.cron
        else:
            assert self.at is not None
            stored["at"] = self.at.astimezone(UTC).isoformat()
        if self.ahead:
            stored["ahead_minutes"] = self.ahead.total_seconds() / 60
        return stored

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Rule:
        ahead = timedelta(minutes=float(data.get("ahead_minutes", 0)))
        if "cron" in data:
            return Rule(tz=str(data["tz"]), cron=str(data["cron"]), ahead=ahead)
        return Rule(tz=str(data["tz"]), at=datetime.fromisoformat(str(data["at"])), ahead=ahead)

    def event_of(self, firing: datetime) -> datetime:
        """The time a firing announces (the firing itself when nothing is ahead)."""
        return firing + self.ahead

    def trigger(self) -> BaseTrigger:
        zone = ZoneInfo(self.tz)
        if self.cron is not None:
            return CronTrigger.from_crontab(self.cron, timezone=zone)
        return DateTrigger(run_date=self.at, timezone=zone)


def next_after(rule: Rule, moment: datetime) -> datetime | None:
    """The first firing time strictly after `moment` (aware UTC), or None when there is none."""
    event = _next_event_after(rule, moment + rule.ahead)
    return None if event is None else event - rule.ahead


def _next_event_after(rule: Rule, moment: datetime) -> datetime | None:
    """The first time of the rule itself strictly after `moment`.

    Each wall-clock time fires once: when clocks go back and a local time comes round again,
    the repeat is skipped (a reminder at 02:30 fires once on the night of the change, not twice).
    A local time that does not exist (clocks go forward) fires at the same distance after the
    jump, as APScheduler's CronTrigger places it (02:30 becomes 03:30).
    """
    if rule.at is not None:
        return rule.at if rule.at > moment else None
    trigger = rule.trigger()
    zone = ZoneInfo(rule.tz)
    wall_before = moment.astimezone(zone).replace(tzinfo=None)
    previous = moment
    for _ in range(MAX_STEPS):
        found: datetime | None = trigger.get_next_fire_time(previous, previous + timedelta(microseconds=1))
        if found is None:
            return None
        candidate = found.astimezone(UTC)
        if candidate.astimezone(zone).replace(tzinfo=None) > wall_before:
            return candidate
        previous = candidate
    return None


def first_at_or_after(rule: Rule, moment: datetime) -> datetime | None:
    """The first time at `moment` or later: where a new schedule starts."""
    return next_after(rule, moment - timedelta(microseconds=1))


def upcoming(rule: Rule, moment: datetime, count: int = 3) -> list[datetime]:
    """The next `count` times at or after `moment` (fewer when the rule ends)."""
    times: list[datetime] = []
    current = first_at_or_after(rule, moment)
    while current is not None and len(times) < count:
        times.append(current)
        current = next_after(rule, current)
    return times


def latest_between(rule: Rule, start: datetime, end: datetime) -> tuple[datetime | None, int]:
    """The last time in [start, end] and how many times there were in all (counted up to MAX_STEPS)."""
    latest = None
    count = 0
    current = first_at_or_after(rule, start)
    while current is not None and current <= end and count < MAX_STEPS:
        latest = current
        count += 1
        current = next_after(rule, current)
    return latest, count
