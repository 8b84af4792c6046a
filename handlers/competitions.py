"""Competition commands: /competition to set one up, name prizes, end it or see its standings; /competitions."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta

from babel.lists import format_list

from bot.context import HandlerContext
from bot.core import competitions
from bot.core.competition_scoring import standings
from bot.core.competitions import Plan
from bot.core.errors import DomainError
from bot.core.models import Competition
from bot.i18n import N_
from bot.messages import Reply
from campaigns import competitions as engine
from campaigns.campaign_timing import read_date
from handlers.args import Args, looks_like_id, parse_id, parse_int, without_anyway
from handlers.names import take_unit
from handlers.vocabulary import SUBCOMMAND_WORDS, lookup

COMPETITION_USAGE = N_(
    "/competition new <units | people> <name> from <YYYY-MM-DD> to <YYYY-MM-DD> [campaign <id>] "
    "[units <unit>, <unit> …] [threshold <percent>] [prize “…”] [standings <weekly | daily | none>] | "
    "/competition <id> | /competition prize <id> <place> “…” | /competition end <id>"
)
COMPETITIONS_USAGE = N_("/competitions")

VERB_WORDS = {
    "new": SUBCOMMAND_WORDS["add"],
    "end": ("end", "stop", "finish", "avsluta", "avslutt", "afslut", "stopp", "slut"),
    "prize": ("prize", "pris", "premie", "præmie"),
}
MODE_WORDS = {
    "units": ("units", "unit", "enheter", "enheder", "teams", "lag"),
    "people": ("people", "persons", "personer", "folk", "individual", "individuell", "individuel"),
}
OPTION_WORDS = {
    "from": ("from", "från", "fra"),
    "to": ("to", "till", "til"),
    "campaign": ("campaign", "kampanj", "kampanje", "kampagne"),
    "units": ("units", "enheter", "enheder"),
    "threshold": ("threshold", "tröskel", "terskel", "tærskel", "minimum"),
    "prize": VERB_WORDS["prize"],
    "standings": ("standings", "ställning", "ställningen", "stilling", "stillingen"),
}
STANDINGS_WORDS = {
    "weekly": ("weekly", "veckovis", "ukentlig", "ugentlig", "ukentleg"),
    "daily": ("daily", "dagligen", "daglig", "dagligt"),
    "none": ("none", "never", "ingen", "aldrig", "aldri"),
}
_TIME = re.compile(r"\d{1,2}:\d{2}")


def competition(ctx: HandlerContext, text: str) -> Reply:
    """Set up a competition, name its prizes, end it, or see its standings."""
    text, anyway = without_anyway(text)
    args = Args(text, COMPETITION_USAGE)
    first = args.peek()
    if first is None:
        return list_competitions(ctx, "")
    if looks_like_id(first.text):
        shown = competitions.get(ctx.tx, args.id())
        _nothing_more(args)
        return engine.standings_reply(
            ctx.t, standings(ctx.tx, shown).to_payload(final=shown.state == "finished")
        )
    verb = lookup(VERB_WORDS, args.word())
    if verb == "new":
        return _new(ctx, args, anyway)
    if verb == "prize":
        return _prize(ctx, args)
    if verb == "end":
        return _end(ctx, args)
    raise args.usage_error()


def _new(ctx: HandlerContext, args: Args, anyway: bool) -> Reply:
    mode = lookup(MODE_WORDS, args.word())
    if mode is None:
        raise args.usage_error()
    name = " ".join(_words_until(args, "from"))
    starts_at = read_moment(ctx, _after(args, "from"), end_of_day=False)
    ends_at = read_moment(ctx, _after(args, "to"), end_of_day=True)
    plan = Plan(name=name, mode=mode, starts_at=starts_at, ends_at=ends_at)
    while (option := _option(args)) is not None and option not in ("from", "to"):
        args.skip()
        if option == "campaign":
            plan = replace(plan, campaign_id=parse_id(args.word(), args.usage))
        elif option == "units":
            plan = replace(plan, unit_ids=[*plan.unit_ids, *_units(ctx, args)])
        elif option == "threshold":
            plan = replace(plan, threshold=_threshold(args))
        elif option == "prize":
            plan = replace(plan, prize=" ".join(_words_until(args, None)))
        else:
            plan = replace(plan, standings=_standings(args))
    _nothing_more(args)
    duplicate = None if anyway else competitions.same_running(ctx.tx, ctx.person, plan)
    if duplicate is not None:
        raise _duplicate_warning(ctx, duplicate)
    made = engine.start(ctx.tx, ctx.person, plan)
    return Reply(
        ctx.t.t(":trophy: Competition #{id} {name} is on.", id=made.id, name=made.name),
        (_dates(ctx, made), *_scope_lines(ctx, made)),
        public=True,
    )


def _duplicate_warning(ctx: HandlerContext, found: Competition) -> DomainError:
    """Nothing is made: the running competition this one would repeat, and how to make it all the same."""
    names = sorted(competitions.unit_name(ctx.tx, unit) for unit in competitions.unit_ids_of(ctx.tx, found))
    return DomainError(
        "Competition #{id} {name} already runs for {units}, {period}. To make this one too, "
        "repeat the command with “anyway” at the end.",
        id=found.id,
        name=found.name,
        units=format_list(names, locale=ctx.t.locale) if names else ctx.t.t("everyone"),
        period=_dates(ctx, found),
    )


def _after(args: Args, option: str) -> Args:
    """`args` past the option word `option`, which must come next."""
    if _option(args) != option:
        raise args.usage_error()
    args.skip()
    return args


def _standings(args: Args) -> str:
    chosen = lookup(STANDINGS_WORDS, args.word())
    if chosen is None:
        raise args.usage_error()
    return chosen


def _option(args: Args) -> str | None:
    word = args.peek()
    return None if word is None or word.quoted else lookup(OPTION_WORDS, word.text)


def _words_until(args: Args, stop: str | None) -> list[str]:
    """Words up to the option `stop` (any option when None); a quoted phrase is one word."""
    taken: list[str] = []
    while args.peek() is not None:
        option = _option(args)
        if option is not None and (stop is None or option == stop):
            break
        taken.append(args.word())
    return taken


def _units(ctx: HandlerContext, args: Args) -> list[int]:
    """Unit names up to the next option, separated by commas or spaces."""
    found: list[int] = []
    while (word := args.peek()) is not None and _option(args) is None:
        if word.text == ",":
            args.skip()
            continue
        found.append(take_unit(ctx, args).id)
    if not found:
        raise args.usage_error()
    return found


def _threshold(args: Args) -> int:
    """`50%`, `50 %` or `50`."""
    typed = args.word()
    following = args.peek()
    if following is not None and following.text == "%":
        args.skip()
    return parse_int(typed.removesuffix("%").strip(), args.usage)


def read_moment(ctx: HandlerContext, args: Args, *, end_of_day: bool) -> datetime:
    """A day as campaigns read it (`2026-12-01`, `1. desember`, `fredag`) and an optional `HH:MM`, in the
    organisation's time zone; a day without a time as an end runs to the end of that day."""
    zone = ctx.tx.policy.timezone
    day = read_date(args.word(), ctx.t.locale, ctx.tx.now, zone)
    clock = time(0, 0)
    following = args.peek()
    if following is not None and _TIME.fullmatch(following.text):
        args.skip()
        clock = _time(following.text)
        end_of_day = False
    if end_of_day:
        day += timedelta(days=1)
    return datetime.combine(day, clock, tzinfo=zone)


def _time(typed: str) -> time:
    hours, minutes = (int(part) for part in typed.split(":"))
    if hours > 23 or minutes > 59:
        raise DomainError("{value} is not a time of day; write it as HH:MM, e.g. 09:00.", value=typed)
    return time(hours, minutes)


def _prize(ctx: HandlerContext, args: Args) -> Reply:
    competition_id = args.id()
    place = parse_int(args.word(), args.usage)
    text = args.rest_unquoted()
    named = competitions.name_prize(ctx.tx, ctx.person, competition_id, place, text)
    return Reply(
        ctx.t.t(
            ":gift: Place {place} in {name} (#{id}) wins {prize}.",
            place=place,
            name=named.name,
            id=named.id,
            prize=" ".join(text.split()),
        ),
        public=True,
    )


def _end(ctx: HandlerContext, args: Args) -> Reply:
    competition_id = args.id()
    _nothing_more(args)
    final = competitions.end(ctx.tx, ctx.person, competition_id)
    return engine.standings_reply(ctx.t, final.to_payload(final=True))


def _nothing_more(args: Args) -> None:
    if args.peek() is not None:
        raise args.usage_error()


def list_competitions(ctx: HandlerContext, text: str) -> Reply:
    """The competitions running now and the latest finished ones."""
    t = ctx.t
    running, finished = competitions.listing(ctx.tx)
    if not running and not finished:
        return Reply(t.t(":trophy: No competitions yet. Managers start one with /competition new."))
    lines = [_listed(ctx, each) for each in running]
    if finished:
        lines.append(t.t("Finished:"))
        lines.extend(_listed(ctx, each) for each in finished)
    return Reply(t.t(":trophy: Competitions (see one with /competition <id>)"), tuple(lines))


def _listed(ctx: HandlerContext, shown: Competition) -> str:
    return f"#{shown.id} {shown.name} · {_dates(ctx, shown)}"


def _dates(ctx: HandlerContext, shown: Competition) -> str:
    zone = ctx.tx.policy.timezone
    first = shown.starts_at.astimezone(zone).date()
    last = (shown.ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    return f"{ctx.t.date(first)} – {ctx.t.date(last)}"


def _scope_lines(ctx: HandlerContext, shown: Competition) -> list[str]:
    t = ctx.t
    lines = []
    if shown.mode == "units":
        lines.append(
            t.t(
                "Between units, in points per head; a unit needs {threshold} of its members taking part.",
                threshold=engine.percent_text(t, shown.threshold),
            )
        )
    else:
        lines.append(t.t("Between people, in points."))
    if shown.campaign_id is not None:
        lines.append(t.t("Counts the points of campaign #{id}.", id=shown.campaign_id))
    return lines
