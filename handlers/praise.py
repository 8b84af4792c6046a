"""Recognition commands: managers' /praise, colleagues' /kudos, and kudos by emoji in a message."""

from __future__ import annotations

import re

import emoji
from babel.lists import format_list

from bot.context import HandlerContext
from bot.core import people, praise
from bot.core.errors import DomainError, Text
from bot.core.models import Person, Unit
from bot.core.policy import Policy
from bot.i18n import N_
from bot.messages import ChatMessage, Reply
from handlers.args import Args, is_mention_token, mention_tokens
from handlers.names import take_people, take_person, take_targets
from handlers.phrases import plus_points

PRAISE_USAGE = N_("/praise @person-or-unit [@person-or-unit …] <message>")
KUDOS_USAGE = N_("/kudos @person [@person …] <reason>")


def give_praise(ctx: HandlerContext, text: str) -> Reply:
    """A manager's shout-out to colleagues or whole units, posted where each team reads it."""
    args = Args(text, PRAISE_USAGE)
    if args.peek() is None:
        raise DomainError("Whom do you praise? Usage: {usage}", usage=Text(PRAISE_USAGE))
    targets = take_targets(ctx, args)
    message = args.rest()
    results = [
        praise.praise_person(ctx.tx, ctx.person, target, message)
        if isinstance(target, Person)
        else praise.praise_unit(ctx.tx, ctx.person, target, message)
        for target in targets
    ]
    t = ctx.t
    text_out = t.t(
        ":tada: {from_name} praises {target}: {message}",
        from_name=people.shown_name(ctx.person),
        target=format_list([_name_of(target) for target in targets], locale=t.locale),
        message=results[0].praise.message,
    )
    recipients_by_points: dict[int, int] = {}
    for result in results:
        if result.points:
            recipients_by_points[result.points] = recipients_by_points.get(result.points, 0) + result.recipients
    lines = []
    for points, recipients in recipients_by_points.items():
        each = plus_points(t, points)  # outside t.tn(): the extractor would misread it inside
        lines.append(
            t.tn(
                "{points} each for {count} person.",
                "{points} each for {count} people.",
                recipients,
                points=each,
            )
        )
    unpaid = [_name_of(target) for target, result in zip(targets, results, strict=True) if not result.points]
    if unpaid:
        lines.append(
            t.t(
                "No points this time: {target} had your praise's points today already.",
                target=format_list(unpaid, locale=t.locale),
            )
        )
    channels = sum(result.channels for result in results)
    if channels:
        lines.append(t.tn("Posted in {count} channel.", "Posted in {count} channels.", channels))
    return Reply(text=text_out, lines=tuple(lines), public=True)


def _name_of(target: Person | Unit) -> str:
    return people.shown_name(target) if isinstance(target, Person) else target.name


def give_kudos(ctx: HandlerContext, text: str) -> Reply:
    """Thank colleagues; everyone has a few kudos a day to give, one per person thanked."""
    args = Args(text, KUDOS_USAGE)
    if args.peek() is None:
        raise DomainError("Whom do you thank? Usage: {usage}", usage=Text(KUDOS_USAGE))
    receivers = take_people(ctx, args)
    result = praise.give_kudos(ctx.tx, ctx.person, receivers, args.rest())
    return _kudos_reply(ctx, result)


def mentions_with_kudos_emoji(message: ChatMessage, policy: Policy) -> bool:
    return bool(mentions(message.text)) and _has_kudos_emoji(message.text, policy.kudos_emoji)


def emoji_kudos(ctx: HandlerContext, message: ChatMessage) -> Reply | None:
    """A message that mentions colleagues together with the kudos emoji gives each of them kudos."""
    receivers = _mentioned_people(ctx, message.text)
    if not receivers:
        return None
    result = praise.give_emoji_kudos(ctx.tx, ctx.person, receivers, _readable(ctx, message.text))
    if not result.given_to:
        if result.allowance_ran_out:
            return Reply(
                ctx.t.tn(
                    "You have given your {count} kudos for today. New ones tomorrow!",
                    "You have given all {count} kudos for today. New ones tomorrow!",
                    ctx.tx.policy.kudos_daily_allowance,
                ),
                is_error=True,
            )
        return None
    return _kudos_reply(ctx, result)


def _kudos_reply(ctx: HandlerContext, result: praise.KudosResult) -> Reply:
    t = ctx.t
    names = format_list([people.shown_name(person) for person in result.given_to], locale=t.locale)
    lines = [t.tn("You have {count} kudos left today.", "You have {count} kudos left today.", result.remaining)]
    if result.allowance_ran_out:
        lines.insert(0, t.t("Your daily kudos ran out before everyone got one."))
    return Reply(text=t.t(":seedling: Kudos to {names}!", names=names), lines=tuple(lines), public=True)


def _mentioned_people(ctx: HandlerContext, text: str) -> list[Person]:
    """Each mentioned colleague once, a display name of several words read as a whole
    (`Tusen takk @Johan Eriksson 🌱`), as the commands read it; a mention naming nobody is skipped."""
    words = text.split()
    found: list[Person] = []
    for at, word in enumerate(words):
        if not mentions(word):
            continue
        try:
            person: Person | None = take_person(ctx, Args(" ".join(words[at:]), KUDOS_USAGE))
        except DomainError:  # nobody by that name: this is chat, not a command, so no refusal either
            person = None
        if person is not None and person not in found:
            found.append(person)
    return found


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
            text = text.replace(token, people.HIDDEN_NAME if person.hidden else f"@{person.display_name}")
    return text


def mentions(text: str) -> list[str]:
    """The mention tokens in a message: platform mentions and `@handles`."""
    tokens = []
    for word in text.split():
        stripped = word.rstrip(".,!?:;)")
        if is_mention_token(stripped) or (stripped.startswith("@") and len(stripped) > 1):
            tokens.append(stripped)
    return tokens
