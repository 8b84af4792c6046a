"""/saving: record, replace or remove an idea's expected and verified savings (one of each unit), read back."""

from __future__ import annotations

from collections.abc import Mapping

from babel.lists import format_list

from bot.context import HandlerContext
from bot.core import goals, ideas
from bot.core.errors import DomainError
from bot.core.models import Saving
from bot.core.quantities import PER_YEAR, SavingAmount, parse_quantity, split_quantities, units_named
from bot.i18n import N_
from bot.messages import Reply
from handlers.args import Args
from handlers.idea_views import idea_card
from handlers.phrases import quantity_text
from handlers.vocabulary import SAVING_ACTION_WORDS, SAVING_KIND_WORDS, lookup, lookup_leading

SAVING_USAGE = N_(
    "/saving <id> [expected | verified] <amount> <unit> [and <amount> <unit> …]"
    " | /saving <id> remove [expected | verified] [<unit>]"
)


def record_saving(ctx: HandlerContext, text: str) -> Reply:
    """`/saving 12 verifierad 1 200 kWh/år och 300 kg CO2e/år` records each (replacing the current one of its
    kind and unit); `/saving 12 remove verified kWh/year` takes one away."""
    args = Args(text, SAVING_USAGE)
    idea_id = args.id()
    kind, rest = _kind_around(" ".join(word.text for word in args.ahead()))
    action, rest = lookup_leading(SAVING_ACTION_WORDS, rest)
    if action == "remove":
        named, rest = _kind_around(rest)
        if kind is not None and named is not None:
            raise args.usage_error()
        return _remove(ctx, idea_id, kind or named, rest)
    if not rest:
        raise args.usage_error()
    savings = split_quantities(rest, ctx.t.locale)
    recorded = ideas.record_savings(ctx.tx, ctx.person, idea_id, savings, kind or "expected")
    if kind == "verified":
        goals.after_verified_saving(ctx.tx, ctx.person, idea_id)
    if len(recorded) == 1:
        return _card_saying(ctx, N_(":moneybag: Recorded: {kind} saving {quantity} on #{id}."), recorded[0])
    listed = format_list([_kind_and_quantity(ctx, row) for row in recorded], locale=ctx.t.locale)
    return idea_card(
        ctx, idea_id, ctx.t.t(":moneybag: Recorded on #{id}: {savings}.", id=idea_id, savings=listed)
    )


def _kind_around(text: str) -> tuple[str | None, str]:
    """Expected or verified, said first or last, and the words left."""
    words = text.split()
    for at, rest in ((0, words[1:]), (-1, words[:-1])):
        kind = lookup(SAVING_KIND_WORDS, words[at]) if words else None
        if kind is not None:
            return kind, " ".join(rest)
    return None, text.strip()


def _remove(ctx: HandlerContext, idea_id: int, kind: str | None, unit: str) -> Reply:
    units = units_named(unit) if unit else None
    try:
        removed = ideas.remove_saving(ctx.tx, ctx.person, idea_id, kind, units)
    except ideas.SavingChoiceError as error:
        t, last = ctx.t, error.current[-1]
        listed = format_list([_kind_and_quantity(ctx, row) for row in error.current], locale=t.locale)
        example = f"{t.label('saving_kind', last.kind)} {_unit_text(ctx, last.unit)}"
        raise DomainError(error.message, **{**error.params, "savings": listed, "example": example}) from error
    return _card_saying(ctx, N_(":wastebasket: Removed: {kind} saving {quantity} on #{id}."), removed)


def _kind_and_quantity(ctx: HandlerContext, saving: Saving) -> str:
    return ctx.t.t(
        "{kind} saving {quantity}",
        kind=ctx.t.label("saving_kind", saving.kind),
        quantity=quantity_text(ctx.t, saving.amount, saving.unit),
    )


def _unit_text(ctx: HandlerContext, unit: str) -> str:
    """A canonical unit as the reader would type it: `kWh om året` for kWh/year."""
    if unit.endswith(PER_YEAR):
        return ctx.t.t("{unit} a year", unit=unit.removesuffix(PER_YEAR))
    return unit


def _card_saying(ctx: HandlerContext, message: str, saving: Saving) -> Reply:
    """The idea's card under a line that reads the saving back."""
    headline = ctx.t.t(
        message,
        kind=ctx.t.label("saving_kind", saving.kind),
        quantity=quantity_text(ctx.t, saving.amount, saving.unit),
        id=saving.idea_id,
    )
    return idea_card(ctx, saving.idea_id, headline)


def expected_saving(form: Mapping[str, str], locale: str) -> SavingAmount | None:
    """The expected saving a form (the Slack idea modal) sends with an idea, read as /saving reads it."""
    typed, unit = form.get("saving_amount", "").strip(), form.get("saving_unit", "").strip()
    if not typed and not unit:
        return None
    if not unit:
        raise DomainError("Give the unit too, e.g. kWh/year.")
    return parse_quantity(typed, unit, locale)
