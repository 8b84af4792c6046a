"""/idea edit and /idea withdraw: the author corrects an idea while it is new, or takes it back while open."""

from __future__ import annotations

from dataclasses import replace

from bot.context import HandlerContext
from bot.core import idea_author, ideas
from bot.messages import Button, Reply
from handlers.args import looks_like_id, parse_id
from handlers.idea_views import idea_card
from handlers.phrases import preview, votes_text
from handlers.vocabulary import IDEA_ACTION_WORDS, lookup


def author_action(ctx: HandlerContext, text: str, usage: str) -> Reply | None:
    """The reply to `edit <id> <text>` or `withdraw <id> [reason]`; None when `text` is an idea of its own
    (one that merely starts with such a verb, not followed by an idea's number)."""
    words = text.split(None, 3)
    for size in (2, 1):
        verb = lookup(IDEA_ACTION_WORDS, " ".join(words[:size])) if len(words) > size else None
        if verb is not None and looks_like_id(words[size]):
            parts = text.strip().split(None, size + 1)
            rest = parts[size + 1] if len(parts) > size + 1 else ""
            idea_id = parse_id(words[size], usage)
            return _edit(ctx, idea_id, rest) if verb == "edit" else _withdraw(ctx, idea_id, rest)
    return None


def _edit(ctx: HandlerContext, idea_id: int, text: str) -> Reply:
    t = ctx.t
    edited = idea_author.edit(ctx.tx, ctx.person, idea_id, text)
    headline = t.t(
        ":pencil2: Idea #{id} now says what you wrote; reviewers can see what it said before.", id=idea_id
    )
    similar = edited.similar
    if similar is None:
        return idea_card(ctx, idea_id, headline)
    headline += "\n" + t.t(
        ":mag: It now looks like idea #{id}: “{text}” ({votes}). Yours stays as it is.",
        id=similar.id,
        text=preview(similar.text),
        votes=votes_text(t, ideas.vote_count(ctx.tx, similar.id)),
    )
    reply = idea_card(ctx, idea_id, headline)
    if not ideas.may_vote(ctx.tx, ctx.person, similar):
        return reply
    # As /idea offers it: a vote for the one it repeats (voting for both is fine too).
    vote = Button(t.t(":+1: Vote for #{id}", id=similar.id), f"idea.vote:{similar.id}", "primary")
    return replace(reply, buttons=(vote, *reply.buttons))


def _withdraw(ctx: HandlerContext, idea_id: int, reason: str) -> Reply:
    t = ctx.t
    withdrawn = idea_author.withdraw(ctx.tx, ctx.person, idea_id, reason)
    headline = t.t(
        ":leftwards_arrow_with_hook: Idea #{id} is withdrawn. Its votes stay; no more can be cast.", id=idea_id
    )
    if withdrawn.points_back:
        headline += " " + t.tn(
            "The {count} point it paid today is taken back.",
            "The {count} points it paid today are taken back.",
            withdrawn.points_back,
        )
    return idea_card(ctx, idea_id, headline)
