"""How ideas look in replies: board lines, the idea card and its buttons."""

from __future__ import annotations

from typing import Any

from bot.context import HandlerContext
from bot.core import ideas
from bot.core.ideas import BoardRow, IdeaCard
from bot.core.models import Idea, IdeaEdit, Saving
from bot.i18n import Translator
from bot.messages import Button, Reply
from handlers.phrases import preview, quantity_text, votes_text

STATUS_EMOJI = {
    "new": ":new:",
    "under_review": ":mag:",
    "accepted": ":white_check_mark:",
    "implemented": ":trophy:",
    "declined": ":no_entry_sign:",
    "merged": ":twisted_rightwards_arrows:",
    "withdrawn": ":leftwards_arrow_with_hook:",
}


def status_text(t: Translator, status: str) -> str:
    return f"{STATUS_EMOJI[status]} {t.label('status', status)}"


def area_tags(t: Translator) -> str:
    """Every area's #tag in the reader's words (each a word `/idea` reads as that area)."""
    return ", ".join(f"#{t.label('area_tag', area)}" for area in ideas.known_areas())


def board_line(t: Translator, row: BoardRow) -> str:
    idea = row.idea
    return f"#{idea.id} {status_text(t, idea.status)} · {preview(idea.text)} · {votes_text(t, row.votes)}"


def saving_line(t: Translator, saving: Saving) -> str:
    kind = t.label("saving_kind", saving.kind)
    return t.t(
        ":moneybag: {kind} saving: {quantity}",
        kind=kind.capitalize(),
        quantity=quantity_text(t, saving.amount, saving.unit),
    )


def card_reply(ctx: HandlerContext, card: IdeaCard, headline: str | None = None) -> Reply:
    t, idea = ctx.t, card.idea
    title = t.t(":bulb: Idea #{id}", id=idea.id)
    lines = [
        idea.text,
        t.t(
            "by {author} · {status} · {votes}",
            author=card.author,
            status=status_text(t, idea.status),
            votes=votes_text(t, card.votes),
        ),
    ]
    if idea.area:
        lines.append(t.t("Area: {area}", area=t.label("area", idea.area)))
    if idea.source_link:
        lines.append(t.t("From: {link}", link=idea.source_link))
    if card.supporters:
        lines.append(t.t("Supporters from merged ideas: {names}", names=", ".join(card.supporters)))
    if idea.status == "merged" and idea.merged_into_id:
        lines.append(t.t("Merged into idea #{id}.", id=idea.merged_into_id))
    elif idea.status_note:
        lines.append(t.t("Note: {note}", note=idea.status_note))
    lines.extend(saving_line(t, saving) for saving in card.savings)
    lines.extend(history_line(ctx, row) for row in card.history)
    if card.edits and _sees_edits(ctx, idea):
        lines.extend(edit_line(ctx, edit) for edit in card.edits)
    text = f"{headline}\n{title}" if headline else title
    return Reply(text=text, lines=tuple(lines), buttons=card_buttons(ctx, idea), public=True)


def _sees_edits(ctx: HandlerContext, idea: Idea) -> bool:
    """What an idea said before is for its author and its reviewers, read where nobody else reads."""
    if not ctx.conversation.read_by_one:
        return False
    return idea.author_id == ctx.person.id or ideas.review_refusal(ctx.tx, ctx.person, idea) is None


def edit_line(ctx: HandlerContext, edit: IdeaEdit) -> str:
    day = edit.created_at.astimezone(ctx.tx.policy.timezone).date()
    return ctx.t.t(
        ":pencil2: {date}: edited by its author; before: “{text}”",
        date=ctx.t.date(day),
        text=preview(edit.old_text),
    )


def history_line(ctx: HandlerContext, row: ideas.HistoryRow) -> str:
    t = ctx.t
    day = row.change.created_at.astimezone(ctx.tx.policy.timezone).date()
    if row.change.to_status == "withdrawn":
        return t.t("{date}: {by} withdrew it", date=t.date(day), by=row.by)
    return t.t(
        "{date}: {by} moved it from {old} to {new}",
        date=t.date(day),
        by=row.by,
        old=t.label("status", row.change.from_status),
        new=t.label("status", row.change.to_status),
    )


def card_buttons(ctx: HandlerContext, idea: Idea) -> tuple[Button, ...]:
    """A vote button for open ideas, and for those who may review it one button per move the core allows.

    In a channel or group everyone sees the one card, so the vote button stays for the others (a
    press by the author or by someone who voted is refused with a reason); in a DM or the console
    it shows only to a reader who may still vote.
    """
    t, buttons = ctx.t, []
    shared = not ctx.conversation.read_by_one
    if (shared and idea.status in ideas.OPEN_STATUSES) or ideas.may_vote(ctx.tx, ctx.person, idea):
        buttons.append(Button(t.t(":+1: Vote"), f"idea.vote:{idea.id}", "primary"))
    if ideas.review_refusal(ctx.tx, ctx.person, idea) is None:
        buttons.extend(_move_button(t, idea, step) for step in ideas.allowed_transitions(idea))
    return tuple(buttons)


def _move_button(t: Translator, idea: Idea, step: ideas.Transition) -> Button:
    """The press carries the status this card shows, so a press on a card gone stale changes nothing."""
    label = status_text(t, step.status)
    if step.note_required:  # declining: a reason cannot ride on a button, so the platform asks for one
        return Button(label, f"idea.decline:{idea.id}:{idea.status}", "danger")
    return Button(label, f"idea.status:{idea.id}:{step.status}:{idea.status}")


def idea_card(ctx: HandlerContext, idea_id: int, headline: str | None = None) -> Reply:
    return card_reply(ctx, ideas.card(ctx.tx, idea_id), headline)


def merge_lines(t: Translator, facts: dict[str, Any]) -> list[str]:
    """What a merge moved besides the votes, as the reviewer's reply and both authors' notices say it."""
    ids = {"id": facts["idea_id"], "into": facts["into_id"]}
    lines = []
    if facts.get("already"):
        lines.append(
            t.tn(
                "{count} person had voted for both and keeps one vote.",
                "{count} people had voted for both and keep one vote each.",
                facts["already"],
            )
        )
    if facts.get("dropped"):
        lines.append(
            t.t(
                "The vote for #{id} by the author of #{into} is dropped: nobody votes for their own idea.",
                **ids,
            )
        )
    if facts.get("author_supports"):
        lines.append(
            t.t(
                "{name} (author of #{id}) now counts as a supporter of #{into} (not a vote; no points).",
                name=facts["author"],
                **ids,
            )
        )
    if facts.get("carried"):
        lines.append(
            t.tn(
                "{count} supporter from earlier merges now supports #{into}.",
                "{count} supporters from earlier merges now support #{into}.",
                facts["carried"],
                into=facts["into_id"],
            )
        )
    if "moved" in facts:  # a notice queued before merges said what moved has no such line
        lines.append(t.t("Savings, history and status stay with each idea."))
    return lines
