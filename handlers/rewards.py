"""Reward commands: the catalogue (/rewards, /reward add|remove), /redeem, and managers' decisions."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import points, rewards
from bot.core.errors import DomainError, Text
from bot.i18n import N_, Translator
from bot.messages import Button, Reply
from handlers.args import Args, parse_id, parse_int
from handlers.phrases import points_text
from handlers.vocabulary import BOARD_VIEW_WORDS, SUBCOMMAND_WORDS, lookup, lookup_leading

REWARD_USAGE = N_("/reward add <cost> <name> | /reward remove <id>")
REDEEM_USAGE = N_("/redeem <id>")
APPROVE_USAGE = N_("/approve <redemption-id>")
DECLINE_USAGE = N_("/decline <redemption-id> [reason]")
CANCEL_USAGE = N_("/cancel <request-id>")
REDEMPTIONS_USAGE = N_("/redemptions [mine]")


def manage_catalogue(ctx: HandlerContext, text: str) -> Reply:
    """Admins add rewards to the catalogue or take them out."""
    args = Args(text, REWARD_USAGE)
    verb, rest = lookup_leading(SUBCOMMAND_WORDS, args.rest())  # "add", "ny", "lägg till", "tilføj"
    args = Args(rest, REWARD_USAGE)
    t = ctx.t
    if verb == "add":
        cost = parse_int(args.word(), REWARD_USAGE)
        reward = rewards.add_reward(ctx.tx, ctx.person, cost, args.rest_unquoted())
        return Reply(
            t.t(
                ":gift: Reward #{id} added: {name} for {points}.",
                id=reward.id,
                name=reward.name,
                points=points_text(t, reward.cost),
            )
        )
    if verb == "remove":
        reward = rewards.retire_reward(ctx.tx, ctx.person, args.id())
        return Reply(t.t("Reward #{id} ({name}) is no longer offered.", id=reward.id, name=reward.name))
    raise args.usage_error()


def show_catalogue(ctx: HandlerContext, text: str) -> Reply:
    """What your points can buy, with a redeem button for each reward."""
    t = ctx.t
    offered = rewards.catalogue(ctx.tx)
    if not offered:
        return Reply(t.t(":gift: No rewards in the catalogue yet. An admin can add some with /reward add."))
    balance = points.balance(ctx.tx, ctx.person.id)
    lines = [
        t.t("#{id} {name}: {points}", id=r.id, name=r.name, points=points_text(t, r.cost)) for r in offered
    ]
    buttons = tuple(
        Button(t.t("Redeem #{id}", id=r.id), f"reward.redeem:{r.id}") for r in offered if r.cost <= balance
    )
    title = t.t(":gift: Rewards. You have {points}.", points=points_text(t, balance))
    return Reply(text=title, lines=tuple(lines), buttons=buttons)


def redeem(ctx: HandlerContext, text: str) -> Reply:
    """Ask for a reward; the points are held until a manager decides."""
    return _redeem(ctx, Args(text, REDEEM_USAGE).id())


def redeem_button(ctx: HandlerContext, arg: str) -> Reply:
    return _redeem(ctx, parse_id(arg, REDEEM_USAGE))


def _redeem(ctx: HandlerContext, reward_id: int) -> Reply:
    redemption = rewards.redeem(ctx.tx, ctx.person, reward_id)
    t = ctx.t
    return Reply(
        t.tn(
            ":hourglass_flowing_sand: Request #{id} sent: {count} point is held until a manager approves.",
            ":hourglass_flowing_sand: Request #{id} sent: {count} points are held until a manager approves.",
            redemption.cost,
            id=redemption.id,
        ),
        lines=(t.t("Balance now: {points}", points=points_text(t, points.balance(ctx.tx, ctx.person.id))),),
    )


def list_mine(ctx: HandlerContext, text: str) -> Reply:
    """Your own requests waiting for a decision, each with a button to cancel it."""
    t = ctx.t
    mine = rewards.own_requests(ctx.tx, ctx.person)
    if not mine:
        return Reply(t.t("You have no reward requests waiting. See /rewards."))
    lines = [
        t.t("#{id} {reward} ({cost} points)", id=row.redemption.id, reward=row.reward, cost=row.redemption.cost)
        for row in mine
    ]
    lines.append(t.t("To take one back: {usage}", usage=t.t(CANCEL_USAGE)))
    buttons = tuple(
        Button(
            t.t(":x: Cancel #{id}", id=row.redemption.id), f"redemption.cancel:{row.redemption.id}", "danger"
        )
        for row in mine
    )
    return Reply(text=t.t(":hourglass_flowing_sand: Your reward requests"), lines=tuple(lines), buttons=buttons)


def cancel(ctx: HandlerContext, text: str) -> Reply:
    return _cancel(ctx, Args(text, CANCEL_USAGE).id())


def cancel_button(ctx: HandlerContext, arg: str) -> Reply:
    return _cancel(ctx, parse_id(arg, CANCEL_USAGE))


def _cancel(ctx: HandlerContext, redemption_id: int) -> Reply:
    redemption = rewards.cancel(ctx.tx, ctx.person, redemption_id)
    t = ctx.t
    return Reply(
        t.t(
            "Request #{id} cancelled; {points} are back.",
            id=redemption.id,
            points=points_text(t, redemption.cost),
        ),
        lines=(t.t("Balance now: {points}", points=points_text(t, points.balance(ctx.tx, ctx.person.id))),),
    )


def list_waiting(ctx: HandlerContext, text: str) -> Reply:
    """Requests waiting for a decision: those you may decide on (with buttons), and your own."""
    wanted = text.strip()
    if wanted:
        if lookup(BOARD_VIEW_WORDS, wanted) != "mine":
            raise DomainError("Usage: {usage}", usage=Text(REDEMPTIONS_USAGE))
        return list_mine(ctx, "")
    t = ctx.t
    waiting = rewards.waiting_for(ctx.tx, ctx.person)
    if not waiting:
        return Reply(t.t("No redemptions are waiting."))
    lines, buttons = [], []
    for row in waiting:
        lines.append(
            t.t(
                "#{id} {person}: {reward} ({points})",
                id=row.redemption.id,
                person=row.person,
                reward=row.reward,
                points=points_text(t, row.redemption.cost),
            )
        )
        if row.decidable:
            buttons.extend(decision_buttons(t, row.redemption.id))
    return Reply(text=t.t(":inbox_tray: Waiting for approval"), lines=tuple(lines), buttons=tuple(buttons))


def decision_buttons(t: Translator, redemption_id: int) -> list[Button]:
    return [
        Button(
            t.t(":white_check_mark: Approve #{id}", id=redemption_id),
            f"redemption.approve:{redemption_id}",
            "primary",
        ),
        Button(t.t(":x: Decline #{id}", id=redemption_id), f"redemption.decline:{redemption_id}", "danger"),
    ]


def approve(ctx: HandlerContext, text: str) -> Reply:
    return _decide(ctx, Args(text, APPROVE_USAGE).id(), True, "")


def decline(ctx: HandlerContext, text: str) -> Reply:
    args = Args(text, DECLINE_USAGE)
    return _decide(ctx, args.id(), False, args.rest())


def approve_button(ctx: HandlerContext, arg: str) -> Reply:
    return _decide(ctx, parse_id(arg, APPROVE_USAGE), True, "")


def decline_button(ctx: HandlerContext, arg: str) -> Reply:
    return _decide(ctx, parse_id(arg, DECLINE_USAGE), False, "")


def _decide(ctx: HandlerContext, redemption_id: int, approve_it: bool, reason: str) -> Reply:
    redemption = rewards.decide(ctx.tx, ctx.person, redemption_id, approve_it, reason)
    t = ctx.t
    if approve_it:
        return Reply(t.t(":white_check_mark: Redemption #{id} approved. I have told them.", id=redemption.id))
    return Reply(
        t.tn(
            ":x: Redemption #{id} declined and {count} point refunded. I have told them.",
            ":x: Redemption #{id} declined and {count} points refunded. I have told them.",
            redemption.cost,
            id=redemption.id,
        )
    )
