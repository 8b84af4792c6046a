"""`/survey missing` and `/survey remind`: how many in each unit have not finished, and one reminder."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import survey_follow_up
from bot.core.errors import DomainError
from bot.messages import Reply
from handlers.follow_up_views import share_line


def follow_up(ctx: HandlerContext, word: str) -> Reply:
    return _remind(ctx) if word == "remind" else _missing(ctx)


def _missing(ctx: HandlerContext) -> Reply:
    t = ctx.t
    found = survey_follow_up.missing(ctx.tx, ctx.person)
    lines = [
        share_line(t, count.unit or t.t("In no unit"), count.finished, count.asked) for count in found.units
    ]
    lines.append(t.t(":lock: Only counts: who has or has not finished is not shown."))
    if found.reminded_at is not None:
        lines.append(t.t("The reminder went {when}.", when=t.moment(found.reminded_at, ctx.tx.policy.timezone)))
    return Reply(t.t(":hourglass: Survey #{id}: finished so far", id=found.survey.id), tuple(lines))


def _remind(ctx: HandlerContext) -> Reply:
    t = ctx.t
    reminded = survey_follow_up.remind(ctx.tx, ctx.person)
    if reminded.earlier is not None:
        raise DomainError(
            "The reminder for survey #{id} went {when}; each survey gets one.",
            id=reminded.survey.id,
            when=t.moment(reminded.earlier, ctx.tx.policy.timezone),
        )
    return Reply(
        t.tn(
            ":bell: A reminder for survey #{id} goes to {count} person who has not finished it.",
            ":bell: A reminder for survey #{id} goes to {count} people who have not finished it.",
            reminded.sent,
            id=reminded.survey.id,
        )
    )
