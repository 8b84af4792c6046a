"""`/poll <id> missing` and `/poll <id> remind`: who has not voted yet, and one reminder to them."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import people, poll_follow_up
from bot.core.errors import DomainError, Text
from bot.messages import Button, Reply
from handlers.args import parse_id
from handlers.follow_up_views import names_line, share_line
from handlers.poll_options import POLL_USAGE
from handlers.vocabulary import FOLLOW_UP_WORDS, lookup

REMIND_ACTION = "poll.remind"


def follow_up(ctx: HandlerContext, poll_id: int, typed: str) -> Reply:
    word = lookup(FOLLOW_UP_WORDS, typed)
    if word == "missing":
        return _missing(ctx, poll_id)
    if word == "remind":
        return _remind(ctx, poll_id)
    raise DomainError("I do not know “{word}” here. Usage: {usage}", word=typed, usage=Text(POLL_USAGE))


def _missing(ctx: HandlerContext, poll_id: int) -> Reply:
    t = ctx.t
    found = poll_follow_up.missing(ctx.tx, ctx.person, poll_id)
    title = t.t(":hourglass: Poll #{id}: {question}", id=found.poll.id, question=found.poll.question)
    voted = found.audience - found.count
    lines = [share_line(t, t.t("Voted"), voted, found.audience)]
    if found.poll.anonymous:
        lines.append(
            t.tn(
                ":lock: {count} person has not voted. The poll is anonymous: who has, nobody can tell.",
                ":lock: {count} people have not voted. The poll is anonymous: who has, nobody can tell.",
                found.count,
            )
        )
    elif found.people:
        lines.append(names_line(t, [people.shown_name_to(person, ctx.person) for person in found.people]))
    if found.reminded_at is not None:
        lines.append(t.t("The reminder went {when}.", when=t.moment(found.reminded_at, ctx.tx.policy.timezone)))
    may_remind = found.people and found.reminded_at is None and found.poll.state == "open"
    buttons = (Button(t.t("Remind them"), f"{REMIND_ACTION}:{poll_id}"),) if may_remind else ()
    return Reply(title, tuple(lines), buttons)


def remind_button(ctx: HandlerContext, arg: str) -> Reply:
    return _remind(ctx, parse_id(arg, POLL_USAGE))


def _remind(ctx: HandlerContext, poll_id: int) -> Reply:
    t = ctx.t
    reminded = poll_follow_up.remind(ctx.tx, ctx.person, poll_id)
    if reminded.earlier is not None:
        raise DomainError(
            "The reminder for poll #{id} went {when}; each poll gets one.",
            id=poll_id,
            when=t.moment(reminded.earlier, ctx.tx.policy.timezone),
        )
    return Reply(
        t.tn(
            ":bell: A reminder for poll #{id} goes to {count} person who has not voted.",
            ":bell: A reminder for poll #{id} goes to {count} people who have not voted.",
            reminded.sent,
            id=poll_id,
        )
    )
