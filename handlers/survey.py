"""/survey: start a current-state survey, answer it one question at a time, read its results, close it."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import survey, survey_results
from bot.core.errors import DomainError
from bot.core.models import Survey, SurveyItem
from bot.i18n import N_
from bot.messages import Button, Reply
from campaigns.survey_statements import default_set
from handlers import survey_follow_ups, survey_views
from handlers.args import Args, looks_like_id, parse_id
from handlers.names import take_unit
from handlers.survey_views import SKIP, UNANSWERED
from handlers.vocabulary import FOLLOW_UP_WORDS, lookup

SURVEY_USAGE = N_(
    "/survey [<number> | start [<unit> …] | results [<unit>] | materiality [<unit>] | missing | remind | close]"
)
SURVEY_WORDS: dict[str, tuple[str, ...]] = {
    "start": ("start", "begin", "open", "starta", "påbörja", "begynn", "åpne", "begynd", "åbn"),
    "results": ("results", "result", "resultat", "resultaten", "resultater", "resultaterne", "resultatene"),
    "materiality": (
        "materiality",
        "matrix",
        "väsentlighet",
        "väsentlighetsmatris",
        "matris",
        "vesentlighet",
        "vesentlighetsmatrise",
        "matrise",
        "væsentlighed",
        "væsentlighedsmatrix",
    ),
    "close": ("close", "end", "stäng", "avsluta", "steng", "avslutt", "luk", "afslut"),
}


def survey_command(ctx: HandlerContext, text: str) -> Reply:
    """`/survey` shows your next question; `/survey <number>` one question again, to change the answer."""
    args = Args(text, SURVEY_USAGE)
    first = args.peek()
    if first is None:
        return _next(ctx, survey.require_open_for(ctx.tx, ctx.person))
    if not first.quoted and looks_like_id(first.text):
        position = args.id()
        _no_more(args)
        return _show(ctx, position)
    follow_up = lookup(FOLLOW_UP_WORDS, first.text)
    if follow_up is not None:
        args.skip()
        _no_more(args)
        return survey_follow_ups.follow_up(ctx, follow_up)
    word = lookup(SURVEY_WORDS, first.text)
    if word is None:
        raise args.usage_error()
    args.skip()
    if word == "start":
        return _start(ctx, args)
    if word == "close":
        _no_more(args)
        return _close(ctx)
    return _results(ctx, args) if word == "results" else _materiality(ctx, args)


def _no_more(args: Args) -> None:
    if args.peek() is not None:
        raise args.usage_error()


def _start(ctx: HandlerContext, args: Args) -> Reply:
    survey.require_starter(ctx.person)  # before the unit names are read: a member learns this first
    units = []
    while args.peek() is not None:
        units.append(take_unit(ctx, args))
    started = survey.start(ctx.tx, ctx.person, units, default_set())
    t = ctx.t
    text = t.t(
        ":clipboard: Survey #{id} is open: {questions} questions in {categories} areas.",
        id=started.survey.id,
        questions=started.questions,
        categories=started.categories,
    )
    lines = (
        t.tn("{count} person was invited by DM.", "{count} people were invited by DM.", started.invited),
        t.t("Follow it with /survey results and /survey materiality; end it with /survey close."),
    )
    return Reply(text, lines, (Button(t.t("Answer it"), f"{survey_views.NEXT_ACTION}:{started.survey.id}"),))


def _next(ctx: HandlerContext, open_survey: Survey, headline: str = "") -> Reply:
    """Where the reader left off, or the end when every question has an answer."""
    item = survey.next_item(ctx.tx, open_survey, ctx.person)
    total = survey.count_items(ctx.tx, open_survey)
    if item is None:
        answered = sum(
            value is not None for value in survey.answers_of(ctx.tx, open_survey, ctx.person).values()
        )
        return survey_views.finished(ctx.t, open_survey.id, answered, total, headline)
    if item.position == 1 and not headline:
        headline = survey_views.privacy(ctx.t)
    return survey_views.question(ctx.t, open_survey.id, item, total, headline=headline)


def _show(ctx: HandlerContext, position: int) -> Reply:
    open_survey = survey.require_open_for(ctx.tx, ctx.person)
    item = survey.item_at(ctx.tx, open_survey, position)
    return _question_again(ctx, open_survey, item)


def _question_again(ctx: HandlerContext, open_survey: Survey, item: SurveyItem) -> Reply:
    current = survey.answers_of(ctx.tx, open_survey, ctx.person).get(item.position, UNANSWERED)
    total = survey.count_items(ctx.tx, open_survey)
    return survey_views.question(ctx.t, open_survey.id, item, total, current)


def _close(ctx: HandlerContext) -> Reply:
    closed, people = survey.close(ctx.tx, ctx.person)
    t = ctx.t
    return Reply(
        t.tn(
            ":checkered_flag: Survey #{id} is closed; {count} person answered.",
            ":checkered_flag: Survey #{id} is closed; {count} people answered.",
            people,
            id=closed.id,
        ),
        (t.t("Read the scores with /survey results and the focus areas with /survey materiality."),),
    )


def _results(ctx: HandlerContext, args: Args) -> Reply:
    survey_results.require_reader(ctx.person)
    unit = take_unit(ctx, args) if args.peek() is not None else None
    _no_more(args)
    found = survey.latest(ctx.tx)
    sections = survey_results.sections(ctx.tx, ctx.person, found, unit)
    return survey_views.results(ctx.t, found.id, found.state == "closed", sections)


def _materiality(ctx: HandlerContext, args: Args) -> Reply:
    survey_results.require_reader(ctx.person)
    unit = take_unit(ctx, args) if args.peek() is not None else None
    _no_more(args)
    found = survey.latest(ctx.tx)
    scope = survey_results.scores_for(ctx.tx, ctx.person, found, unit)
    name = unit.name if unit is not None else ctx.t.t("the organisation")
    return survey_views.materiality(ctx.t, found.id, name, survey_results.materiality(scope))


def answer_button(ctx: HandlerContext, arg: str) -> Reply:
    """`<item>:<1–5|skip>`: the answer is saved (or changed) and the next open question follows."""
    item_part, _, value_part = arg.partition(":")
    item_id = parse_id(item_part, SURVEY_USAGE)
    answered = survey.answer(ctx.tx, ctx.person, item_id, _value(value_part))
    t = ctx.t
    saved = (
        t.t(":white_check_mark: Skipped.")
        if answered.value is None
        else t.t(":white_check_mark: Saved: {value}.", value=answered.value)
    )
    return _next(ctx, answered.survey, saved)


def _value(typed: str) -> int | None:
    if typed == SKIP:
        return None
    if not typed.isdecimal() or len(typed) > 1:
        raise DomainError("Answer with a number from 1 to 5, or skip.")
    return int(typed)


def next_button(ctx: HandlerContext, arg: str) -> Reply:
    """The invitation's button: the reader's next question in that survey."""
    survey_id = parse_id(arg, SURVEY_USAGE)
    open_survey = survey.require_open_for(ctx.tx, ctx.person)
    if open_survey.id != survey_id:
        raise DomainError("Survey #{id} is closed; answers can no longer be given or changed.", id=survey_id)
    return _next(ctx, open_survey)
