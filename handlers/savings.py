"""/saving: record, replace or remove an idea's expected or verified saving, and read it back."""

from __future__ import annotations

from collections.abc import Mapping

from bot.context import HandlerContext
from bot.core import ideas
from bot.core.errors import DomainError
from bot.core.models import Saving
from bot.core.quantities import SavingAmount, parse_quantity, split_quantity
from bot.i18n import N_
from bot.messages import Reply
from handlers.args import Args
from handlers.idea_views import idea_card
from handlers.phrases import quantity_text
from handlers.vocabulary import SAVING_ACTION_WORDS, SAVING_KIND_WORDS, lookup

SAVING_USAGE = N_(
    "/saving <id> <amount> <unit> [expected | verified] | /saving <id> remove [expected | verified]"
)


def record_saving(ctx: HandlerContext, text: str) -> Reply:
    """`/saving 12 1 500 kWh/år förväntad` records (replacing the current one of its kind);
    `/saving 12 remove verified` takes it away."""
    args = Args(text, SAVING_USAGE)
    idea_id = args.id()
    words = [word.text for word in args.ahead()]
    kind = lookup(SAVING_KIND_WORDS, words[-1]) if words else None
    if kind is not None:
        words = words[:-1]
    if not words:
        raise args.usage_error()
    if lookup(SAVING_ACTION_WORDS, " ".join(words)) == "remove":
        return _remove(ctx, idea_id, kind)
    saving = split_quantity(" ".join(words), ctx.t.locale)
    recorded = ideas.record_saving(ctx.tx, ctx.person, idea_id, saving, kind or "expected")
    return _card_saying(ctx, N_(":moneybag: Recorded: {kind} saving {quantity} on #{id}."), recorded)


def _remove(ctx: HandlerContext, idea_id: int, kind: str | None) -> Reply:
    removed = ideas.remove_saving(ctx.tx, ctx.person, idea_id, kind)
    return _card_saying(ctx, N_(":wastebasket: Removed: {kind} saving {quantity} on #{id}."), removed)


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
