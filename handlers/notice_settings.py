"""`/notices`: whether you hear when an idea you voted for or support is accepted or implemented."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import people
from bot.i18n import N_
from bot.messages import Reply
from handlers.args import Args
from handlers.vocabulary import SWITCH_WORDS, lookup

NOTICES_USAGE = N_("/notices [on | off]")


def notices(ctx: HandlerContext, text: str) -> Reply:
    """Turn the news of ideas you support off or on; your own ideas, kudos and praise still reach you."""
    args = Args(text, NOTICES_USAGE)
    if not args.ahead():
        return _state(ctx)
    switch = lookup(SWITCH_WORDS, args.rest())
    if switch is None:
        raise args.usage_error()
    t, on = ctx.t, switch == "on"
    changed = people.set_supporter_notices(ctx.person, on)
    if on and changed:
        headline = t.t(
            ":bell: Done: you hear again when an idea you voted for or support is accepted or implemented."
        )
    elif on:
        headline = t.t(
            ":bell: You already hear when an idea you voted for or support is accepted or implemented."
        )
    elif changed:
        headline = t.t(":no_bell: Done: you no longer hear when an idea you voted for or support moves on.")
    else:
        headline = t.t(":no_bell: News of the ideas you voted for or support is already off.")
    return Reply(headline, (_still(ctx), _switch_hint(ctx, on)))


def _state(ctx: HandlerContext) -> Reply:
    t, on = ctx.t, people.hears_of_supported_ideas(ctx.person)
    if on:
        headline = t.t(":bell: You hear when an idea you voted for or support is accepted or implemented.")
    else:
        headline = t.t(":no_bell: News of the ideas you voted for or support is off.")
    return Reply(headline, (_still(ctx), _switch_hint(ctx, on)))


def _still(ctx: HandlerContext) -> str:
    return ctx.t.t("News of your own ideas, kudos and praise always reaches you.")


def _switch_hint(ctx: HandlerContext, on: bool) -> str:
    return ctx.t.t("Turn it off with /notices off.") if on else ctx.t.t("Turn it on again with /notices on.")
