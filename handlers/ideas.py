"""Idea commands: /idea, /ideas, /vote, /status, /merge and the idea card's buttons (/saving: savings.py;
/idea edit and /idea withdraw: idea_author.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import HandlerContext
from bot.core import goals, ideas
from bot.core.errors import DomainError, Text
from bot.core.uow import Tx
from bot.i18n import N_, Translator
from bot.messages import Button, Reply
from handlers.args import Args, looks_like_id, parse_id
from handlers.idea_author import author_action
from handlers.idea_views import board_line, card_reply, idea_card, merge_lines
from handlers.phrases import plus_points, preview, votes_text
from handlers.savings import expected_saving
from handlers.vocabulary import (
    BOARD_VIEW_WORDS,
    PAGE_WORDS,
    STATUS_WORDS,
    lookup,
    lookup_leading,
)

IDEA_USAGE = N_("/idea <your idea> [#area] | /idea edit <id> <new text> [#area] | /idea withdraw <id> [reason]")
IDEAS_USAGE = N_("/ideas [<id> | <status> | mine | unit | all] [#area] [page <n>]")
VOTE_USAGE = N_("/vote <id>")
STATUS_USAGE = N_("/status <id> <new | under review | accepted | implemented | declined> [note]")
MERGE_USAGE = N_("/merge <id> <into-id>")


def submit(ctx: HandlerContext, text: str) -> Reply:
    """Put an idea on the board, unless it resembles an open one: then offer a vote instead.

    From a form, also reads `area`, `saving_amount` and `saving_unit` (the expected saving).
    `edit <id> …` and `withdraw <id> …` act on the author's idea instead.
    """
    acted = author_action(ctx, text, IDEA_USAGE)
    if acted is not None:
        return acted
    looked_ahead = ctx.looked_ahead if isinstance(ctx.looked_ahead, ideas.SimilarCheck) else None
    result = ideas.submit_idea(
        ctx.tx,
        ctx.person,
        text,
        area=ctx.form.get("area", "").strip() or None,
        expected_saving=expected_saving(ctx.form, ctx.t.locale),
        source_link=ctx.link,
        looked_ahead=looked_ahead,
    )
    if result.idea is None:
        return _similar_reply(ctx, result)
    return _submitted(ctx, result)


def look_ahead(tx: Tx, text: str) -> ideas.SimilarCheck:
    """The similarity check, made in a read transaction before the idea's (see CommandSpec.look_ahead)."""
    return ideas.similar_check(tx, text)


def _submitted(ctx: HandlerContext, result: ideas.Submission) -> Reply:
    assert result.idea is not None
    headline = ctx.t.t(
        ":seedling: Thank you, {name}! Your idea is on the board. {points}",
        name=ctx.person.display_name,
        points=plus_points(ctx.t, result.points) if result.points else _unpaid(ctx, result),
    ).rstrip()
    tied = goals.tie_tagged(ctx.tx, ctx.person, result.idea)
    if tied:
        headline += " " + ctx.t.t(
            "It counts toward {goals}.", goals=", ".join(f"#goal{number}" for number in tied)
        )
    if result.card is not None:
        return card_reply(ctx, result.card, headline)
    return idea_card(ctx, result.idea.id, headline)


def _unpaid(ctx: HandlerContext, result: ideas.Submission) -> str:
    """Why a new idea paid no points this time, when a rule withheld them."""
    if result.unpaid == "daily_limit":
        return ctx.t.tn(
            "No points this time: ideas pay points {count} time a day.",
            "No points this time: ideas pay points {count} times a day.",
            ctx.tx.policy.idea_points_daily_limit,
        )
    if result.unpaid == "own_duplicate" and result.similar is not None:
        return ctx.t.t("No points this time: it repeats your own idea #{id}.", id=result.similar.id)
    return ""


def _similar_reply(ctx: HandlerContext, result: ideas.Submission) -> Reply:
    t, similar = ctx.t, result.similar
    assert similar is not None
    assert result.draft_id is not None
    if similar.status == "implemented":  # voting is closed there: a new idea would be a follow-up
        text = t.t(
            ":white_check_mark: This was done in idea #{id}: “{text}”. Is yours a follow-up? Then submit it.",
            id=similar.id,
            text=preview(similar.text),
        )
        return Reply(
            text=text, buttons=(Button(t.t("Submit as a follow-up"), f"idea.draft:{result.draft_id}"),)
        )
    text = t.t(
        ":mag: This looks like idea #{id}: “{text}” ({votes}). Vote for it instead?",
        id=similar.id,
        text=preview(similar.text),
        votes=votes_text(t, ideas.vote_count(ctx.tx, similar.id)),
    )
    buttons = [Button(t.t("Submit mine anyway"), f"idea.draft:{result.draft_id}")]
    if similar.author_id != ctx.person.id:
        buttons.insert(
            0, Button(t.t(":+1: Vote for #{id}", id=similar.id), f"idea.vote:{similar.id}", "primary")
        )
    return Reply(text=text, buttons=tuple(buttons))


def submit_draft(ctx: HandlerContext, arg: str) -> Reply:
    return _submitted(ctx, ideas.submit_draft(ctx.tx, ctx.person, parse_id(arg, IDEA_USAGE)))


PER_PAGE = 20
_ACTION_BYTES = 64


@dataclass(frozen=True)
class BoardQuery:
    """Which part of the board to show: a view (a status, mine, unit, all), an area and a page."""

    view: str | None = None
    area: str | None = None
    page: int = 1

    def turned(self, page: int) -> BoardQuery:
        return BoardQuery(self.view, self.area, page)

    def command(self) -> str:
        """The command that shows this page, in words every language understands."""
        words = [
            "/ideas",
            self.view.replace("_", " ") if self.view else "",
            f"#{self.area}" if self.area else "",
        ]
        return " ".join(word for word in [*words, f"page {self.page}"] if word)

    def action_id(self) -> str:
        return f"ideas.page:{self.page}:{self.view or ''}:{self.area or ''}"

    @staticmethod
    def from_action_arg(arg: str) -> BoardQuery:
        page, _, rest = arg.partition(":")
        view, _, area = rest.partition(":")
        return BoardQuery(
            _board_view(view) if view else None, ideas.clean_area(area) if area else None, parse_page(page)
        )


def board(ctx: HandlerContext, text: str) -> Reply:
    """The sustainability board, a page at a time, by view and area; or one idea's card when given an id."""
    wanted = text.strip()
    if looks_like_id(wanted):
        return idea_card(ctx, parse_id(wanted, IDEAS_USAGE))
    return board_page(ctx, parse_board_query(wanted))


def board_page_button(ctx: HandlerContext, arg: str) -> Reply:
    """`<page>:<view>:<area>` from a Previous or Next button."""
    return board_page(ctx, BoardQuery.from_action_arg(arg))


def board_page(ctx: HandlerContext, query: BoardQuery) -> Reply:
    t = ctx.t
    rows, total = ideas.board(
        ctx.tx, ctx.person, query.view, area=query.area, page=query.page, per_page=PER_PAGE
    )
    if not rows:
        if query.page > 1 and total:
            raise DomainError(
                "There is no page {page}; the last is {last}.", page=query.page, last=pages(total)
            )
        return Reply(t.t(":clipboard: No ideas here yet. Be the first: /idea <your idea>"))
    title = t.tn(
        ":clipboard: Sustainability board: {count} idea",
        ":clipboard: Sustainability board: {count} ideas",
        total,
    )
    lines = [board_line(t, row) for row in rows]
    shown = (query.page - 1) * PER_PAGE + len(rows)
    if total > shown:
        lines.append(
            t.tn(
                "… and {count} more: {command}",
                "… and {count} more: {command}",
                total - shown,
                command=query.turned(query.page + 1).command(),
            )
        )
    return Reply(text=title, lines=tuple(lines), buttons=page_buttons(t, query, total), public=True)


def page_buttons(t: Translator, query: BoardQuery, total: int) -> tuple[Button, ...]:
    """Previous and Next, where there are such pages (none when the query is too long for a button)."""
    if len(query.turned(pages(total)).action_id().encode()) > _ACTION_BYTES:
        return ()
    buttons = []
    if query.page > 1:
        buttons.append(Button(t.t(":arrow_left: Previous"), query.turned(query.page - 1).action_id()))
    if query.page < pages(total):
        buttons.append(Button(t.t("Next :arrow_right:"), query.turned(query.page + 1).action_id()))
    return tuple(buttons)


def pages(total: int) -> int:
    return max(1, -(-total // PER_PAGE))


def parse_board_query(typed: str) -> BoardQuery:
    """`[view] [#area] [page N]` in any order, e.g. `/ideas #energi page 2`."""
    words, view, area, page = typed.split(), None, None, 1
    rest: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if lookup(PAGE_WORDS, word):
            page = parse_page(words[index + 1] if index + 1 < len(words) else "")
            index += 2
            continue
        if word.startswith("#"):
            area = ideas.clean_area(word)  # an unknown tag is an area of its own, as on /idea
        else:
            rest.append(word)
        index += 1
    if rest:
        view = _board_view(" ".join(rest))
    return BoardQuery(view, area, page)


def _board_view(wanted: str) -> str:
    view = lookup(BOARD_VIEW_WORDS, wanted) or lookup(STATUS_WORDS, wanted)
    if view is None:
        raise DomainError(
            "I don't know the board view {view}. Usage: {usage}", view=wanted, usage=Text(IDEAS_USAGE)
        )
    return view


def parse_page(token: str) -> int:
    if token.strip() and token.strip().lstrip("0") == "":  # "0", "00": a number, but no page
        raise DomainError("Pages start at 1.")
    return parse_id(token, IDEAS_USAGE)


def vote(ctx: HandlerContext, text: str) -> Reply:
    """Vote for an idea (once; never for your own)."""
    return _vote(ctx, Args(text, VOTE_USAGE).id())


def vote_button(ctx: HandlerContext, arg: str) -> Reply:
    return _vote(ctx, parse_id(arg, VOTE_USAGE))


def _vote(ctx: HandlerContext, idea_id: int) -> Reply:
    idea = ideas.vote(ctx.tx, ctx.person, idea_id)
    headline = ctx.t.t(
        ":+1: Your vote for idea #{id} is counted. {points}",
        id=idea.id,
        points=plus_points(ctx.t, ctx.tx.policy.points.vote_cast),
    )
    return idea_card(ctx, idea.id, headline)


def change_status(ctx: HandlerContext, text: str) -> Reply:
    """Managers and representatives move an idea along, or decline it with a reason.

    Typed, it acts on the idea's status as it is now; from a card's form (the decline modal),
    `from_status` is the status the card showed, and the change is made only if it still holds.
    """
    args = Args(text, STATUS_USAGE)
    idea_id = args.id()
    status, note = lookup_leading(STATUS_WORDS, args.rest())
    if status is None:
        word = Args(note, STATUS_USAGE).word()
        if not word:
            raise DomainError("Which status? Usage: {usage}", usage=Text(STATUS_USAGE))
        raise DomainError("There is no status {status}.", status=word)
    return _set_status(ctx, idea_id, status, note, _shown_status(ctx.form.get("from_status")))


def status_button(ctx: HandlerContext, arg: str) -> Reply:
    """`<id>:<status>:<status the card showed>`; buttons sent before cards carried it lack the last part."""
    idea_token, _, rest = arg.partition(":")
    status, _, shown = rest.partition(":")
    return _set_status(ctx, parse_id(idea_token, STATUS_USAGE), status, "", _shown_status(shown))


def decline_button(ctx: HandlerContext, arg: str) -> Reply:
    """Declining needs a reason, which a button cannot carry: say how to give it."""
    idea_token, _, shown = arg.partition(":")
    idea_id = parse_id(idea_token, STATUS_USAGE)
    from_status = _shown_status(shown)
    if from_status is None:
        ideas.get_idea(ctx.tx, idea_id)
    else:
        ideas.idea_at(ctx.tx, idea_id, from_status)
    return Reply(ctx.t.t("To decline idea #{id}, say why: /status {id} declined <reason>", id=idea_id))


def _shown_status(token: str | None) -> str | None:
    """The status a card showed, as its button or form carries it; None when it carries none."""
    if not token:
        return None
    if token not in ideas.STATUSES:
        raise DomainError("That button no longer works; please use the command instead.")
    return token


def _set_status(ctx: HandlerContext, idea_id: int, status: str, note: str, from_status: str | None) -> Reply:
    ideas.change_status(ctx.tx, ctx.person, idea_id, status, note, from_status=from_status)
    headline = ctx.t.t(
        "Idea #{id} is now {status}. I have told the author.",
        id=idea_id,
        status=ctx.t.label("status", status),
    )
    return idea_card(ctx, idea_id, headline)


def merge(ctx: HandlerContext, text: str) -> Reply:
    """Fold a duplicate idea into another; the reply says what moved, as both authors are told."""
    args = Args(text, MERGE_USAGE)
    merged = ideas.merge(ctx.tx, ctx.person, args.id(), args.id())
    headline = ctx.t.tn(
        ":twisted_rightwards_arrows: Idea #{id} is merged into #{into}; {count} vote moved.",
        ":twisted_rightwards_arrows: Idea #{id} is merged into #{into}; {count} votes moved.",
        int(merged.facts["moved"]),
        id=merged.idea.id,
        into=merged.into.id,
    )
    return idea_card(ctx, merged.into.id, "\n".join((headline, *merge_lines(ctx.t, merged.facts))))


def show_button(ctx: HandlerContext, arg: str) -> Reply:
    return idea_card(ctx, parse_id(arg, IDEAS_USAGE))
