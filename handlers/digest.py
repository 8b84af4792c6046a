"""/digest: this month's progress shown to whoever asks, posted in a unit's channels by reviewers, and
scheduled by admins."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import digest_posts
from bot.core.errors import DomainError, Text
from bot.core.languages import organisation_country
from bot.i18n import N_, Translator
from bot.messages import Reply
from campaigns.digests import default_rule, is_default, next_post
from campaigns.recurrence import Rule
from campaigns.when import describe, parse_when
from campaigns.when_describe import moment_text
from handlers.args import Args
from handlers.digest_views import digest_reply
from handlers.vocabulary import SWITCH_WORDS, lookup

DIGEST_USAGE = N_("/digest [post|on|off|schedule <when>]")
ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "post": ("post", "publish", "posta", "publicera", "publiser", "udgiv", "offentliggør"),
    **SWITCH_WORDS,
    "schedule": ("schedule", "when", "schema", "schemalägg", "planlegg", "tidsplan", "planlæg", "når", "när"),
}


def digest(ctx: HandlerContext, text: str) -> Reply:
    """This month's progress, shown to you; reviewers post it in their unit's channels with `post`."""
    args = Args(text, DIGEST_USAGE)
    if args.peek() is not None:
        return _change(ctx, args)
    shown = digest_reply(ctx.t, digest_posts.current_for(ctx.tx, ctx.person))
    return Reply(shown.text, shown.lines, image=shown.image)


def _change(ctx: HandlerContext, args: Args) -> Reply:
    action = lookup(ACTION_WORDS, args.word())
    t = ctx.t
    if action == "post" and args.peek() is None:
        where = digest_posts.post_now(ctx.tx, ctx.person).unit_name
        if where is None:
            return Reply(t.t(":bar_chart: This month's progress is posted for the organisation."))
        return Reply(t.t(":bar_chart: This month's progress is posted for {unit}.", unit=where))
    tz = ctx.tx.policy.timezone.key
    if action == "on":
        return _scheduled(ctx, default_rule(tz))
    if action == "off":
        digest_posts.switch_off(ctx.tx, ctx.person)
        return Reply(t.t(":bar_chart: Progress posts are off."), public=True)
    if action == "schedule" and args.peek() is not None:
        return _scheduled(ctx, read_schedule(args.rest(), t, ctx))
    raise DomainError("Usage: {usage}", usage=Text(DIGEST_USAGE))


def read_schedule(text: str, t: Translator, ctx: HandlerContext) -> Rule:
    """The one place a typed schedule is read (the <when> grammar of reminders)."""
    zone = ctx.tx.policy.timezone.key
    return parse_when(text, t.locale, ctx.tx.now, zone, organisation_country(ctx.tx)).rule


def _scheduled(ctx: HandlerContext, rule: Rule) -> Reply:
    first = next_post(rule, ctx.tx.now)
    if first is None:
        raise DomainError("That time has passed. Pick a time ahead, e.g. “tomorrow 09:00”.")
    digest_posts.set_schedule(ctx.tx, ctx.person, rule.to_dict(), first)
    return Reply(
        ctx.t.t(
            ":bar_chart: Progress posts: {schedule}. The next one: {when}.",
            schedule=schedule_text(ctx.t, rule),
            when=moment_text(first, rule.tz, ctx.t),
        ),
        public=True,
    )


def schedule_text(t: Translator, rule: Rule) -> str:
    if is_default(rule):
        return t.t("monthly, on the first weekday at 09:00")
    return describe(rule, t)
