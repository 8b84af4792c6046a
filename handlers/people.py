"""People and organisation commands: /me, /privacy, /role, and /unit for the unit tree and membership."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import people, units
from bot.core.errors import DomainError
from bot.core.models import Person, Unit
from bot.i18n import N_
from bot.messages import Reply
from handlers import unit_changes
from handlers.args import Args
from handlers.languages import LANGUAGE_NAMES
from handlers.names import take_person, take_unit
from handlers.vocabulary import (
    PARENT_WORD,
    PRIVACY_WORDS,
    ROLE_WORDS,
    SUBCOMMAND_WORDS,
    UNIT_KIND_WORDS,
    lookup,
    lookup_leading,
)

PRIVACY_USAGE = N_("/privacy [hide | show]")
ROLE_USAGE = N_("/role @person <admin | manager | representative | member>")
UNIT_USAGE = N_(
    "/unit [<unit>] | /unit add <kind> <name> [under <parent>] | /unit member <unit> @person … | "
    "/unit rep <unit> @person | /unit channel <unit> | /unit rename <unit> <new name> | "
    "/unit move <unit> under <parent> | /unit remove <unit> [move people]"
)


def whoami(ctx: HandlerContext, text: str) -> Reply:
    """Your name, role, unit and language."""
    t, person = ctx.t, ctx.person
    unit = units.get_unit(ctx.tx, person.unit_id)
    lines = [
        t.t("Role: {role}", role=t.label("role", person.role)),
        t.t("Unit: {unit}", unit=unit.name if unit else t.t("none yet")),
        t.t("Language: {language}", language=LANGUAGE_NAMES[t.locale]),
    ]
    return Reply(text=t.t(":wave: You are {name}.", name=person.display_name), lines=tuple(lines))


def privacy(ctx: HandlerContext, text: str) -> Reply:
    """Whether others see your name in posts, lists and notices, or "a colleague"; you choose."""
    args = Args(text, PRIVACY_USAGE)
    if not args.ahead():
        return _privacy_state(ctx)
    verb = lookup(PRIVACY_WORDS, args.rest())
    if verb is None:
        raise args.usage_error()
    t, hide = ctx.t, verb == "hide"
    changed = people.set_hidden(ctx.tx, ctx.person, hide)
    colleague = t.t("a colleague")
    if hide and changed:
        headline = t.t(
            ":lock: Done: from now on others see you as “{colleague}” in posts, lists and notices.",
            colleague=colleague,
        )
    elif hide:
        headline = t.t(
            ":lock: Your name is already hidden: others see you as “{colleague}”.", colleague=colleague
        )
    elif changed:
        headline = t.t(":unlock: Done: your name is shown again in posts, lists and notices.")
    else:
        headline = t.t(":unlock: Your name is already shown in posts, lists and notices.")
    lines = [t.t("What was posted before stays as it was.")] if changed else []
    lines.append(t.t("Show it again with /privacy show.") if hide else t.t("Hide it with /privacy hide."))
    return Reply(headline, tuple(lines))


def _privacy_state(ctx: HandlerContext) -> Reply:
    t = ctx.t
    colleague = t.t("a colleague")
    if ctx.person.hidden:
        return Reply(
            t.t(
                ":lock: Your name is hidden: others see you as “{colleague}” in posts, lists and notices.",
                colleague=colleague,
            ),
            (t.t("Show it again with /privacy show."),),
        )
    return Reply(
        t.t(":unlock: Your name is shown in posts, lists and notices."),
        (t.t("To appear as “{colleague}” instead, use /privacy hide.", colleague=colleague),),
    )


def set_role(ctx: HandlerContext, text: str) -> Reply:
    """Admins give colleagues a role."""
    args = Args(text, ROLE_USAGE)
    if len(args.words) < 2:
        raise args.usage_error()
    target = take_person(ctx, args)
    role_word = args.word()
    if not role_word:
        raise args.usage_error()
    role = lookup(ROLE_WORDS, role_word)
    if role is None:
        raise DomainError("There is no role {role}.", role=role_word)
    people.set_role(ctx.tx, ctx.person, target, role)
    return Reply(ctx.t.t("{name} is now {role}.", name=target.display_name, role=ctx.t.label("role", role)))


def manage_units(ctx: HandlerContext, text: str) -> Reply:
    """Show the unit tree or one unit; admins add, correct and remove units, members, representatives
    and channels."""
    whole = Args(text, UNIT_USAGE).rest()
    if not whole:
        return _unit_tree(ctx)
    verb, rest = lookup_leading(SUBCOMMAND_WORDS, whole)  # "add", "ny", "lägg till", "tilføj"
    handler = _UNIT_VERBS.get(verb or "")
    if handler is None or units.find_unit_or_none(ctx.tx, whole) is not None:  # "Ny skola" is a unit
        return unit_changes.show_unit(ctx, Args(whole, UNIT_USAGE))
    return handler(ctx, Args(rest, UNIT_USAGE))


def _unit_tree(ctx: HandlerContext) -> Reply:
    t = ctx.t
    rows = units.tree(ctx.tx, ctx.person)
    if not rows:
        return Reply(t.t(":office: No units yet. An admin can add one: /unit add organisation <name>"))
    lines = []
    for row in rows:
        detail = t.tn("{count} member", "{count} members", row.members)
        if row.representative:
            detail += " · " + t.t("representative {name}", name=row.representative)
        kind = t.label("unit_kind", row.unit.kind)
        lines.append(f"{'  ' * row.depth}{row.unit.name} ({kind}, {detail})")
    return Reply(text=t.t(":office: Units"), lines=tuple(lines))


def _add_unit(ctx: HandlerContext, args: Args) -> Reply:
    kind_word = args.word()
    kind = lookup(UNIT_KIND_WORDS, kind_word) if kind_word else None
    if kind is None:
        raise args.usage_error()
    name_words = []
    while (word := args.peek()) is not None and (word.quoted or word.text.lower() != PARENT_WORD):
        name_words.append(word.text)
        args.skip()
    parent = None
    if args.peek() is not None:
        args.skip()
        parent = take_unit(ctx, args)
        if args.peek() is not None:
            raise args.usage_error()
    name = " ".join(name_words)
    unit = units.add_unit(ctx.tx, ctx.person, name, kind, parent)
    t = ctx.t
    where = t.t(" under {parent}", parent=parent.name) if parent else ""
    return Reply(
        t.t(
            ":office: Added {kind} {name}{where}.",
            kind=t.label("unit_kind", kind),
            name=unit.name,
            where=where,
        )
    )


def _unit_and_people(ctx: HandlerContext, args: Args) -> tuple[Unit, list[Person]]:
    """`<unit name> @a @b`: the unit (its name as long as one exists), then the people."""
    if len(args.ahead()) < 2:
        raise args.usage_error()
    unit = take_unit(ctx, args)
    chosen: list[Person] = []
    while args.peek() is not None:
        person = take_person(ctx, args)
        if person not in chosen:
            chosen.append(person)
    if not chosen:
        raise args.usage_error()
    return unit, chosen


def _add_members(ctx: HandlerContext, args: Args) -> Reply:
    unit, members = _unit_and_people(ctx, args)
    for person in members:
        units.set_member(ctx.tx, ctx.person, person, unit)
    names = ", ".join(person.display_name for person in members)
    return Reply(
        ctx.t.tn(
            "{names} now belongs to {unit}.",
            "{names} now belong to {unit}.",
            len(members),
            names=names,
            unit=unit.name,
        )
    )


def _set_representative(ctx: HandlerContext, args: Args) -> Reply:
    unit, chosen = _unit_and_people(ctx, args)
    if len(chosen) != 1:
        raise DomainError("A unit has one environmental representative; name one person.")
    units.set_representative(ctx.tx, ctx.person, unit, chosen[0])
    return Reply(
        ctx.t.t(
            ":seedling: {name} is the environmental representative of {unit}.",
            name=chosen[0].display_name,
            unit=unit.name,
        )
    )


def _tie_channel(ctx: HandlerContext, args: Args) -> Reply:
    if args.peek() is None:
        raise args.usage_error()
    unit = take_unit(ctx, args)
    if args.peek() is not None:
        raise args.usage_error()
    conversation = ctx.conversation
    units.tie_channel(ctx.tx, ctx.person, unit, conversation.platform, conversation.external_id)
    return Reply(ctx.t.t(":loudspeaker: Shout-outs for {unit} will be posted here.", unit=unit.name))


_UNIT_VERBS = {
    "add": _add_unit,
    "member": _add_members,
    "representative": _set_representative,
    "channel": _tie_channel,
    "rename": unit_changes.rename_unit,
    "move": unit_changes.move_unit,
    "remove": unit_changes.remove_unit,
}
