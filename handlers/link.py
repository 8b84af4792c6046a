"""/link: join one person's Slack and Telegram accounts, so their points, ideas and votes add up."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import linking
from bot.i18n import N_
from bot.messages import Reply
from handlers.args import Args

LINK_USAGE = N_("/link [code]")
PLATFORM_NAMES = {"slack": "Slack", "telegram": "Telegram", "console": "console"}


def link_accounts(ctx: HandlerContext, text: str) -> Reply:
    """Without a code: get one. With a code from the other platform: become one person."""
    typed = Args(text, LINK_USAGE).word()
    platform = ctx.actor.platform
    t = ctx.t
    if not typed:
        code = linking.display_code(linking.new_code(ctx.tx, ctx.person, platform).code)
        minutes = int(linking.VALID_FOR.total_seconds() // 60)
        return Reply(
            t.t(":link: Your link code is {code}.", code=code),
            (
                t.tn(
                    "Within {count} minute, send /link {code} to me from your account on the other platform.",
                    "Within {count} minutes, send /link {code} to me from your account on the other platform.",
                    minutes,
                    code=code,
                ),
            ),
        )
    linked = linking.use_code(ctx.tx, ctx.person, platform, typed)
    ctx.person = linked.person
    names = ", ".join(PLATFORM_NAMES.get(name, name) for name in linked.platforms)
    return Reply(
        t.t(
            ":link: Linked! {platforms} are now one person: your points, ideas and votes count together.",
            platforms=names,
        )
    )
