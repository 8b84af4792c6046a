"""When something is due: a stored rule (once, or a cron expression in a time zone) and its next times."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from campaigns.public_holidays import first_working_day, is_holiday, supported_countries

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
    # Crontab's own rule for a typed expression restricting both the day of the month and the
    # weekday: either matches (`0 9 15 * mon` is the 15th and every Monday). APScheduler requires
    # both, and the bot's own rules mean both (the last Saturday of March is `25-31 3 sat`).
    days_either: bool = False
    # Only every `weeks`-th week counts, from the week that starts on the Monday `first_week`.
    weeks: int = 1
    first_week: date | None = None
    # The public holidays of this country (ISO code) are skipped: `every weekday except holidays`.
    holidays: str | None = None
    # Only the first working day of each month counts (a weekday not among `holidays`' holidays).
    first_working_day: bool = False

    def __post_init__(self) -> None:
        if (self.cron is None) == (self.at is None):
            raise ValueError("a rule is either once (at) or recurring (cron)")
        if (
            self.days_either or self.weeks != 1 or self.holidays or self.first_working_day
        ) and self.cron is None:
            raise ValueError("only a recurring rule has days, weeks or holidays")
        if self.holidays is not None and self.holidays not in supported_countries():
            raise ValueError(f"no public holidays are known for the country {self.holidays!r}")
        if self.weeks < 1 or (self.weeks > 1) != (self.first_week is not None):
            raise ValueError("a rule of every few weeks needs the week it counts from, and only it")
        if self.first_week is not None and self.first_week.weekday() != 0:
            raise ValueError(f"weeks are counted from a Monday, not {self.first_week}")
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
    def every(cron: str, tz: str, *, days_either: bool = False) -> Rule:
        return Rule(tz=tz, cron=" ".join(cron.split()), days_either=days_either)

    def every_few_weeks(self, weeks: int, now: datetime) -> Rule | None:
        """This rule on every `weeks`-th week only, from the week of its first time after `now`."""
        first = next_after(self, now)
        if first is None:
            return None
        day = first.astimezone(ZoneInfo(self.tz)).date()
        return replace(self, weeks=weeks, first_week=day - timedelta(days=day.weekday()))

    def counts_week_of(self, day: date) -> bool:
        """Whether `day` (a local date) is in a week the rule fires in."""
        if self.first_week is None:
            return True
        return (day - self.first_week).days // 7 % self.weeks == 0

    def counts_day(self, day: date) -> bool:
        """Whether `day` (a local date) counts: not a skipped holiday, and the first working day if asked."""
        if self.first_working_day:
            return day == first_working_day(self.holidays, day.year, day.month)
        return self.holidays is None or not is_holiday(self.holidays, day)

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
        if self.days_either:
            stored["days"] = "either"
        if self.first_week is not None:
            stored["weeks"] = self.weeks
            stored["first_week"] = self.first_week.isoformat()
        if self.holidays is not None:
            stored["holidays"] = self.holidays
        if self.first_working_day:
            stored["first_working_day"] = True
        return stored

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Rule:
        ahead = timedelta(minutes=float(data.get("ahead_minutes", 0)))
        if "cron" in data:
            first_week = data.get("first_week")
            return Rule(
                tz=str(data["tz"]),
                cron=str(data["cron"]),
                ahead=ahead,
                days_either=data.get("days") == "either",
                weeks=int(data.get("weeks", 1)),
                first_week=None if first_week is None else date.fromisoformat(str(first_week)),
                holidays=data.get("holidays"),
                first_working_day=bool(data.get("first_working_day", False)),
            )
        return Rule(tz=str(data["tz"]), at=datetime.fromisoformat(str(data["at"])), ahead=ahead)

    def event_of(self, firing: datetime) -> datetime:
        """The time a firing announces (the firing itself when nothing is ahead)."""
        return firing + self.ahead

    def trigger(self) -> BaseTrigger:
        zone = ZoneInfo(self.tz)
        if self.cron is None:
            return DateTrigger(run_date=self.at, timezone=zone)
        if not self.days_either:
            return CronTrigger.from_crontab(self.cron, timezone=zone)
        minute, hour, day, month, weekday = self.cron.split()
        by_day = CronTrigger.from_crontab(f"{minute} {hour} {day} {month} *", timezone=zone)
        by_weekday = CronTrigger.from_crontab(f"{minute} {hour} * {month} {weekday}", timezone=zone)
        return OrTrigger([by_day, by_weekday])


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

    Every few weeks is the cron's own wall-clock times (so 09:00 stays 09:00 across a clock
    change, which IntervalTrigger's fixed count of seconds does not) in the weeks counted from
    the first; not CronTrigger's ISO week numbers, whose parity breaks after a year of 53 weeks.
    Public holidays and days that are not a month's first working day are passed over the same way.
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
        wall = candidate.astimezone(zone).replace(tzinfo=None)
        if wall > wall_before and rule.counts_week_of(wall.date()) and rule.counts_day(wall.date()):
            return candidate
        previous = candidate
    return None


def first_at_or_after(rule: Rule, moment: datetime) -> datetime | None:
    """The first time at `moment` or later: where a new schedule starts."""
    return next_after(rule, moment - timedelta(microseconds=1))


def upcoming(rule: Rule, moment: datetime, count: int = 3) -> list[datetime]:
    """The next `count` times at or after `moment` (fewer when the rule ends)."""
    return following(rule, moment - timedelta(microseconds=1), count)


def following(rule: Rule, moment: datetime, count: int = 3) -> list[datetime]:
    """The next `count` times strictly after `moment`: those a schedule set at `moment` fires at."""
    times: list[datetime] = []
    current = next_after(rule, moment)
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
