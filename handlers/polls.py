"""Poll commands and buttons: /poll to ask (or close one), /polls to list the open ones, the card's buttons."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import people, polls
from bot.core.errors import DomainError, Text
from bot.i18n import N_
from bot.messages import Button, Reply
from handlers import poll_follow_ups
from handlers.args import Args, parse_id
from handlers.phrases import plus_points, preview
from handlers.poll_options import POLL_USAGE, read_poll
from handlers.poll_views import SHOW_ACTION, card, results, when_text
from handlers.vocabulary import lookup

POLLS_USAGE = N_("/polls")
CLOSE_WORDS: dict[str, tuple[str, ...]] = {
    "close": ("close", "end", "stäng", "avsluta", "steng", "avslutt", "luk", "afslut")
}


def ask(ctx: HandlerContext, text: str) -> Reply:
    """Ask a question with options; `/poll close <id>` closes one early, `/poll <id>` shows its card."""
    args = Args(text, POLL_USAGE)
    first = args.peek()
    if first is None:
        raise DomainError("What do you ask? Usage: {usage}", usage=Text(POLL_USAGE))
    if not first.quoted and lookup(CLOSE_WORDS, first.text) is not None:
        args.skip()
        return _close(ctx, args.id())
    if not first.quoted and first.text.lstrip("#").isdecimal():
        poll_id = args.id()
        follow_up = args.peek()
        if follow_up is None:
            return _show(ctx, poll_id)
        return poll_follow_ups.follow_up(ctx, poll_id, follow_up.text)
    polls.require_asker(ctx.person)  # before the words are read: a member learns this first
    request = read_poll(ctx, text)
    here = (ctx.conversation.platform, ctx.conversation.external_id)
    poll = polls.create(ctx.tx, ctx.person, request.spec, here, request.units)
    elsewhere = len(polls.targets(ctx.tx, poll)) - 1
    headline = ctx.t.t(":ballot_box: {name} asks:", name=people.shown_name(ctx.person))
    view = polls.view(ctx.tx, poll, with_counts=False)
    if polls.native_here(view, here):
        native = ctx.t.t("Poll #{id} comes as a Telegram poll: vote in it.", id=poll.id)
        reply = Reply(headline, (native,), public=True)
    else:
        reply = card(ctx.t, view, headline)
    if elsewhere:
        posted = ctx.t.tn("Also posted in {count} channel.", "Also posted in {count} channels.", elsewhere)
        return Reply(reply.text, (*reply.lines, posted), reply.buttons, public=True)
    return reply


def _close(ctx: HandlerContext, poll_id: int) -> Reply:
    poll = polls.close(ctx.tx, ctx.person, poll_id)
    where = len(polls.targets(ctx.tx, poll))
    return Reply(
        ctx.t.tn(
            ":checkered_flag: Poll #{id} is closed; the results go to {count} conversation.",
            ":checkered_flag: Poll #{id} is closed; the results go to {count} conversations.",
            where,
            id=poll_id,
        )
    )


def _show(ctx: HandlerContext, poll_id: int) -> Reply:
    poll = polls.get(ctx.tx, poll_id)
    if poll.state == "closed":
        return results(ctx.t, polls.view(ctx.tx, poll, with_counts=True))
    # A typed command's answer may be stored (Telegram queues it in the outbox): for an anonymous poll
    # it never says what the reader chose. A button's answer is sent directly and may.
    mine = ctx.conversation.read_by_one and not poll.anonymous
    chosen = polls.my_choice(ctx.tx, poll, ctx.person) if mine else None
    return card(ctx.t, polls.view(ctx.tx, poll, with_counts=False), chosen=chosen)


def list_open(ctx: HandlerContext, text: str) -> Reply:
    """The polls open now, each with a button to its card."""
    t = ctx.t
    found = polls.open_polls(ctx.tx)
    if not found:
        return Reply(t.t("No polls are open. Managers and representatives ask one with /poll."))
    lines = []
    for poll in found:
        line = f"#{poll.id} {preview(poll.question)}"
        if poll.closes_at is not None:
            closes = when_text(t, poll.closes_at.isoformat(), ctx.tx.policy.timezone.key)
            line += " — " + t.t("closes {when}", when=closes)
        lines.append(line)
    buttons = tuple(Button(t.t("Poll #{id}", id=poll.id), f"{SHOW_ACTION}:{poll.id}") for poll in found)
    return Reply(t.tn("{count} poll is open:", "{count} polls are open:", len(found)), tuple(lines), buttons)


def vote_button(ctx: HandlerContext, arg: str) -> Reply:
    """`<poll>:<option>` from a card: the card comes back with the new count.

    Where others read along (a channel, a group) the card does not say what was chosen: in an
    anonymous poll that would tell the room. In a DM or the console it does.
    """
    poll_part, _, option_part = arg.partition(":")
    poll_id = parse_id(poll_part, POLL_USAGE)
    position = parse_id(option_part, POLL_USAGE)
    result = polls.vote(ctx.tx, ctx.person, poll_id, position)
    t = ctx.t
    headline = t.t(":ballot_box_with_check: Your vote is counted.")
    if result.paid:
        headline += " " + plus_points(t, result.paid)
    chosen = result.chosen if ctx.conversation.read_by_one else None
    return card(t, polls.view(ctx.tx, result.poll, with_counts=False), headline, chosen)


def native_answer(ctx: HandlerContext, arg: str) -> Reply:
    """`<telegram poll id>:<positions>` (`7:1,3`, or `7:` when taken back): an answer in a public Telegram
    poll, as one's whole choice.

    Telegram shows the vote itself; the reply is for the log only (the adapter sends nothing).
    """
    native_id, _, chosen = arg.rpartition(":")
    positions = [parse_id(position, POLL_USAGE) for position in chosen.split(",") if position]
    result = polls.answer_native(ctx.tx, ctx.person, native_id, positions)
    headline = ctx.t.t(":ballot_box_with_check: Your vote is counted.")
    return Reply(headline + (" " + plus_points(ctx.t, result.paid) if result.paid else ""))


def results_button(ctx: HandlerContext, arg: str) -> Reply:
    """The card with the counts so far (refused while the poll hides them)."""
    return card(ctx.t, polls.results(ctx.tx, parse_id(arg, POLL_USAGE)))


def show_button(ctx: HandlerContext, arg: str) -> Reply:
    return _show(ctx, parse_id(arg, POLL_USAGE))
