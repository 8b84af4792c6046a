"""Recognition commands: managers' /praise, colleagues' /kudos, and kudos by emoji in a message."""

from __future__ import annotations

import re

import emoji

from bot.context import HandlerContext
from bot.core import praise, units
from bot.core.errors import DomainError
from bot.core.policy import Policy
from bot.i18n import N_
from bot.messages import ChatMessage, Reply
from handlers.args import mention_tokens, split_first
from handlers.phrases import plus_points

PRAISE_USAGE = N_("/praise @person-or-unit <message>")
KUDOS_USAGE = N_("/kudos @person <reason>")


def give_praise(ctx: HandlerContext, text: str) -> Reply:
    """A manager's shout-out to a colleague or a whole unit, posted where the team reads it."""
    token, message = split_first(text)
    if not token:
        raise DomainError("Whom do you praise? Usage: {usage}", usage=PRAISE_USAGE)
    person = ctx.find_person_or_none(token)
    if person is not None:
        result = praise.praise_person(ctx.tx, ctx.person, person, message)
        target = person.display_name
    else:
        unit = units.find_unit_or_none(ctx.tx, token)
        if unit is None:
            raise DomainError("I don't know anyone called {name}.", name=token)
        result = praise.praise_unit(ctx.tx, ctx.person, unit, message)
        target = unit.name
    t = ctx.t
    text_out = t.t(
        ":tada: {from_name} praises {target}: {message}",
        from_name=ctx.person.display_name,
        target=target,
        message=result.praise.message,
    )
    each = plus_points(t, result.points)  # outside t.tn(): the extractor would misread it inside
    lines = [
        t.tn(
            "{points} each for {count} person.",
            "{points} each for {count} people.",
            result.recipients,
            points=each,
        )
    ]
    if result.channels:
        lines.append(t.tn("Posted in {count} channel.", "Posted in {count} channels.", result.channels))
    return Reply(text=text_out, lines=tuple(lines), public=True)


def give_kudos(ctx: HandlerContext, text: str) -> Reply:
    """Thank a colleague; everyone has a few kudos a day to give."""
    token, reason = split_first(text)
    if not token:
        raise DomainError("Whom do you thank? Usage: {usage}", usage=KUDOS_USAGE)
    receiver = ctx.find_person(token)
    result = praise.give_kudos(ctx.tx, ctx.person, receiver, reason)
    return _kudos_reply(ctx, result)


def mentions_with_kudos_emoji(message: ChatMessage, policy: Policy) -> bool:
    return bool(mentions(message.text)) and _has_kudos_emoji(message.text, policy.kudos_emoji)


def emoji_kudos(ctx: HandlerContext, message: ChatMessage) -> Reply | None:
    """A message that mentions colleagues together with the kudos emoji gives each of them kudos."""
    receivers = [person for person in map(ctx.find_person_or_none, mentions(message.text)) if person]
    if not receivers:
        return None
    result = praise.give_emoji_kudos(ctx.tx, ctx.person, receivers, _readable(ctx, message.text))
    if not result.given_to:
        if result.allowance_ran_out:
            return Reply(
                ctx.t.t(
                    "You have given all {allowance} kudos for today. New ones tomorrow!",
                    allowance=ctx.tx.policy.kudos_daily_allowance,
                ),
                is_error=True,
            )
        return None
    return _kudos_reply(ctx, result)


def _kudos_reply(ctx: HandlerContext, result: praise.KudosResult) -> Reply:
    t = ctx.t
    names = ", ".join(person.display_name for person in result.given_to)
    lines = [t.tn("You have {count} kudos left today.", "You have {count} kudos left today.", result.remaining)]
    if result.allowance_ran_out:
        lines.insert(0, t.t("Your daily kudos ran out before everyone got one."))
    return Reply(text=t.t(":seedling: Kudos to {names}!", names=names), lines=tuple(lines), public=True)


def _has_kudos_emoji(text: str, configured: str) -> bool:
    """The configured emoji (set as a shortcode or as the character), typed either way."""
    written = _spellings(text)
    return any(name in written for name in _shortcodes(configured))


def _shortcodes(configured: str) -> set[str]:
    return set(re.findall(r":[^:\s]+:", _spellings(configured)))


def _spellings(text: str) -> str:
    """`text` with every emoji written as its shortcodes, in both of the emoji package's namings."""
    return f"{emoji.demojize(text, language='alias')} {emoji.demojize(text)}"


def _readable(ctx: HandlerContext, text: str) -> str:
    """The message with platform mention tokens written as @names, as people see it."""
    for token in set(mention_tokens(text)):
        person = ctx.find_person_or_none(token)
        if person is not None:
            text = text.replace(token, f"@{person.display_name}")
    return text


def mentions(text: str) -> list[str]:
    """The mention tokens in a message: platform mentions and `@handles`."""
    tokens = []
    for word in text.split():
        stripped = word.rstrip(".,!?:;)")
        if stripped.startswith("<@") or (stripped.startswith("@") and len(stripped) > 1):
            tokens.append(stripped)
    return tokens
