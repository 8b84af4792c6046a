"""/unit <unit> up close, and the corrections: /unit rename, /unit move … under …, /unit remove."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import unit_changes, units
from bot.messages import Reply
from handlers.args import Args
from handlers.names import take_unit
from handlers.vocabulary import MOVE_PEOPLE_WORDS, PARENT_WORD, lookup

MAX_NAMES_SHOWN = 30  # a unit's members by name; beyond, a count


def show_unit(ctx: HandlerContext, args: Args) -> Reply:
    """Its parent and subunits, its members, its representative and its channels."""
    unit = take_unit(ctx, args)
    if args.peek() is not None:
        raise args.usage_error()
    t, seen = ctx.t, units.profile(ctx.tx, ctx.person, unit)
    lines = [
        t.t("Under {parent}", parent=seen.parent) if seen.parent else t.t("At the top of the tree"),
        t.t("Subunits: {names}", names=", ".join(seen.subunits)) if seen.subunits else t.t("No subunits"),
        _members_line(ctx, seen.members),
    ]
    if seen.members_below:
        lines.append(t.tn("{count} more in its subunits", "{count} more in its subunits", seen.members_below))
    lines.append(
        t.t("Environmental representative: {name}", name=seen.representative)
        if seen.representative
        else t.t("No environmental representative yet: /unit rep {unit} @person", unit=unit.name)
    )
    channels = ", ".join(f"{platform} {conversation}" for platform, conversation in seen.channels)
    lines.append(
        t.t("Channels: {channels}", channels=channels)
        if channels
        else t.t(
            "No channel of its own (tie one with /unit channel {unit} where its posts belong)", unit=unit.name
        )
    )
    kind = t.label("unit_kind", unit.kind)
    return Reply(t.t(":office: {name} ({kind})", name=unit.name, kind=kind), tuple(lines))


def _members_line(ctx: HandlerContext, members: list[str]) -> str:
    t = ctx.t
    if not members:
        return t.t("No members of its own yet")
    names = ", ".join(members[:MAX_NAMES_SHOWN])
    if len(members) > MAX_NAMES_SHOWN:
        names += " " + t.tn("and {count} more", "and {count} more", len(members) - MAX_NAMES_SHOWN)
    return t.tn("{count} member: {names}", "{count} members: {names}", len(members), names=names)


def rename_unit(ctx: HandlerContext, args: Args) -> Reply:
    if len(args.ahead()) < 2:
        raise args.usage_error()
    unit = take_unit(ctx, args)
    new_name = args.rest_unquoted()
    if not new_name:
        raise args.usage_error()
    old_name = unit_changes.rename(ctx.tx, ctx.person, unit, new_name)
    return Reply(
        ctx.t.t(
            ":office: {old} is now called {new}. Its members, goals, campaigns and history stay with it.",
            old=old_name,
            new=unit.name,
        )
    )


def move_unit(ctx: HandlerContext, args: Args) -> Reply:
    if len(args.ahead()) < 3:
        raise args.usage_error()
    unit = take_unit(ctx, args)
    word = args.peek()
    if word is None or word.quoted or word.text.casefold() != PARENT_WORD:
        raise args.usage_error()
    args.skip()
    parent = take_unit(ctx, args)
    if args.peek() is not None:
        raise args.usage_error()
    before = unit_changes.move(ctx.tx, ctx.person, unit, parent)
    t = ctx.t
    return Reply(
        t.t(":office: {unit} is now under {parent}.", unit=unit.name, parent=parent.name),
        (
            t.t("It was under {before}.", before=before.name)
            if before
            else t.t("It was at the top of the tree."),
            t.t(
                "Its subunits and members came along: from now on they count towards {parent}'s figures "
                "and competitions.",
                parent=parent.name,
            ),
        ),
    )


def remove_unit(ctx: HandlerContext, args: Args) -> Reply:
    if not args.ahead():
        raise args.usage_error()
    unit = take_unit(ctx, args)
    rest = args.rest()
    move_people = bool(rest)
    if rest and lookup(MOVE_PEOPLE_WORDS, rest) is None:
        raise args.usage_error()
    done = unit_changes.remove(ctx.tx, ctx.person, unit, move_people)
    t = ctx.t
    lines = []
    if done.people:
        lines.append(
            t.tn(
                "{count} person moved to {parent}.",
                "{count} people moved to {parent}.",
                done.people,
                parent=done.parent or "",
            )
        )
    if done.subunits:
        lines.append(
            t.tn(
                "{count} subunit moved to {parent}.",
                "{count} subunits moved to {parent}.",
                done.subunits,
                parent=done.parent or t.t("the top of the tree"),
            )
        )
    return Reply(t.t(":wastebasket: {unit} is removed.", unit=done.name), tuple(lines))
