"""/review [year]: the yearly review's summary in chat, with next year's targets proposed from it."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core.review import current_year, year_of
from bot.core.review_figures import check_year_given, figures
from bot.i18n import N_
from bot.messages import Reply
from handlers.args import Args
from handlers.review_summary import chat_text

REVIEW_USAGE = N_("/review [year]")


def review(ctx: HandlerContext, text: str) -> Reply:
    """The year in figures for admins and managers (this year so far when no year is given)."""
    args = Args(text, REVIEW_USAGE)
    asked = args.word()
    if args.peek() is not None:
        raise args.usage_error()
    number = check_year_given(_year_number(asked, args) if asked else None, current_year(ctx.tx))
    summary = figures(ctx.tx, ctx.person, year_of(ctx.tx, number))
    return Reply(chat_text(ctx.t, summary))


def _year_number(typed: str, args: Args) -> int:
    if not typed.isascii() or not typed.isdigit() or len(typed) != 4:
        raise args.usage_error()
    return int(typed)
