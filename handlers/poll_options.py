"""Reading `/poll "Question" "A" "B" [flags]`: quoted question and options, then flags in four languages.

Quoted words are the question and the options; the unquoted words after them are flags, so an
option can never be mistaken for one: `anonymous`, `multiple`, `hidden`, `closes <when>`,
`points <n>` and `in <unit> [<unit> …]` (or `here`), each also in Swedish, Norwegian and Danish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.context import HandlerContext
from bot.core.errors import DomainError, Text
from bot.core.models import Unit
from bot.core.polls import PollSpec
from bot.i18n import N_
from campaigns.recurrence import Rule
from handlers.args import Args
from handlers.names import take_unit
from handlers.vocabulary import lookup

POLL_USAGE = N_(
    '/poll "question" "option" "option" … [anonymous] [multiple] [hidden] [closes YYYY-MM-DD HH:MM | '
    "closes in 3 days] [points 2] [in unit …]"
)
FLAG_WORDS = {
    "anonymous": ("anonymous", "anon", "anonym", "anonymt", "anonyma", "anonyme"),
    "multiple": ("multiple", "multi", "several", "flera", "flere", "flerval", "flervalg"),
    "hidden": ("hidden", "hide", "dold", "dolt", "dolda", "skjult", "skjulte", "skjul"),
    "closes": (
        "closes",
        "close",
        "until",
        "stänger",
        "stängs",
        "stenger",
        "lukker",
        "lukkes",
        "slutter",
        "slutar",
    ),
    "points": ("points", "point", "poäng", "poeng", "pts"),
    "in": ("in", "i", "to", "till", "til"),
}
HERE_WORDS: dict[str, tuple[str, ...]] = {"here": ("here", "här", "her")}
RELATIVE_WORDS: dict[str, tuple[str, ...]] = {"in": ("in", "om")}
SPAN_WORDS = {
    "hours": ("hour", "hours", "h", "timme", "timmar", "time", "timer", "timen"),
    "days": ("day", "days", "d", "dag", "dagar", "dager", "dage", "døgn", "dygn"),
    "weeks": ("week", "weeks", "w", "vecka", "veckor", "uke", "uker", "uge", "uger"),
}
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
MAX_SPAN_DAYS = 366


@dataclass
class PollRequest:
    spec: PollSpec
    units: list[Unit] = field(default_factory=list)


def read_poll(ctx: HandlerContext, text: str) -> PollRequest:
    args = Args(text, POLL_USAGE)
    quoted: list[str] = []
    while (word := args.peek()) is not None and word.quoted:
        quoted.append(args.word())
    if not quoted:
        raise DomainError(
            "Write the question and each option in quotes. Usage: {usage}", usage=Text(POLL_USAGE)
        )
    switches: set[str] = set()
    closes: datetime | None = None
    points = 0
    units: list[Unit] = []
    while (word := args.peek()) is not None:
        flag = None if word.quoted else lookup(FLAG_WORDS, word.text)
        if flag is None:
            raise DomainError(
                "I do not know “{word}” here. Usage: {usage}", word=word.text, usage=Text(POLL_USAGE)
            )
        args.skip()
        if flag == "closes":
            closes = closing_time(ctx, args)
        elif flag == "points":
            points = _points(args)
        elif flag == "in":
            units.extend(_units(ctx, args))
        else:
            switches.add(flag)
    spec = PollSpec(
        question=quoted[0],
        options=quoted[1:],
        anonymous="anonymous" in switches,
        multiple="multiple" in switches,
        hidden="hidden" in switches,
        points=points,
        closes_at=closes,
        close_rule=Rule.once(closes, ctx.tx.policy.timezone.key).to_dict() if closes else None,
    )
    return PollRequest(spec, units)


def closing_time(ctx: HandlerContext, args: Args) -> datetime:
    """`2026-12-04 [16:00]` (local time; a day alone closes at 23:59) or `in 3 days` / `om 2 timmar`.

    The one place a time is read: point it at campaigns.when.parse_when once that is in.
    """
    zone = ctx.tx.policy.timezone
    first = args.word()
    if lookup(RELATIVE_WORDS, first) is not None:
        amount, unit = args.word(), lookup(SPAN_WORDS, args.word())
        if not amount.isdecimal() or unit is None or int(amount) < 1:
            raise _when_error()
        span = timedelta(**{unit: int(amount)})
        if span > timedelta(days=MAX_SPAN_DAYS):
            raise _when_error()
        return ctx.tx.now + span
    day = _DATE.fullmatch(first)
    if day is None:
        raise _when_error()
    hour, minute = 23, 59
    following = args.peek()
    if following is not None and (clock := _TIME.fullmatch(following.text)) is not None:
        args.skip()
        hour, minute = int(clock.group(1)), int(clock.group(2))
    try:
        year, month, date_of_month = (int(part) for part in day.groups())
        return datetime(year, month, date_of_month, hour, minute, tzinfo=zone)
    except ValueError:
        raise _when_error() from None


def _when_error() -> DomainError:
    return DomainError("When should it close? Write e.g. “closes 2026-12-04 16:00” or “closes in 3 days”.")


def _points(args: Args) -> int:
    typed = args.word()
    if not typed.isdecimal() or len(typed) > 4:
        raise DomainError("Points for taking part are a whole number, e.g. “points 2”.")
    return int(typed)


def _units(ctx: HandlerContext, args: Args) -> list[Unit]:
    """The units after `in`, up to the next flag; `here` is where the poll is asked, always included."""
    found: list[Unit] = []
    while (word := args.peek()) is not None and (word.quoted or lookup(FLAG_WORDS, word.text) is None):
        if not word.quoted and lookup(HERE_WORDS, word.text) is not None:
            args.skip()
            continue
        found.append(take_unit(ctx, args))
    return found
