"""Reading `/poll "Question" "A" "B" [flags]`: quoted question and options, then flags in four languages.

Quoted words are the question and the options; the unquoted words after them are flags, so an
option can never be mistaken for one: `anonymous`, `multiple`, `hidden`, `closes <when>` (read as
/remind reads its time), `points <n>` and `in <unit> [<unit> …]` (or `here`), each also in Swedish,
Norwegian and Danish.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.context import HandlerContext
from bot.core.errors import DomainError, Text
from bot.core.models import Unit
from bot.core.people import SUPPORTED_LOCALES
from bot.core.polls import PollSpec
from bot.i18n import N_
from campaigns.recurrence import Rule
from campaigns.when import split_when
from handlers.args import Args
from handlers.names import take_unit
from handlers.vocabulary import lookup

POLL_USAGE = N_(
    '/poll "question" "option" "option" … [anonymous] [multiple] [hidden] [closes <when>] '
    "[points <n>] [in <unit> …]"
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
    close_rule: Rule | None = None
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
            if args.peek() is None:
                raise DomainError("When should it close? E.g. “closes friday 16:00” or “closes in 3 days”.")
            close_rule, rest = closing_rule(ctx, args.rest())
            args = Args(rest, POLL_USAGE)
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
        closes_at=close_rule.at if close_rule else None,
        close_rule=close_rule.to_dict() if close_rule else None,
    )
    return PollRequest(spec, units)


def closing_rule(ctx: HandlerContext, text: str) -> tuple[Rule, str]:
    """The time a poll closes, read from the start of `text` as reminders read theirs (`friday 16:00`,
    `in 3 days`, `2026-12-04 16:00`, `om 2 dagar`), and the words after it.

    The reader's language is tried first, then the others: the flags are taken in every language, so
    the time that follows them is too. A recurring time is refused: a poll closes once.
    """
    zone = ctx.tx.policy.timezone.key
    first_refusal: DomainError | None = None
    for locale in dict.fromkeys((ctx.t.locale, *SUPPORTED_LOCALES)):
        try:
            when, rest = split_when(text, locale, ctx.tx.now, zone)
        except DomainError as refusal:
            first_refusal = first_refusal or refusal
            continue
        if when.rule.recurring:
            raise DomainError("A poll closes once: give one time, e.g. “closes friday 16:00”.")
        return when.rule, rest
    assert first_refusal is not None
    raise first_refusal


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
