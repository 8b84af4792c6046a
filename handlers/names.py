"""Whom or which unit a command's next words name: the longest name that exists, else "did you mean …?"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from babel.lists import format_list
from rapidfuzz import fuzz, process

from bot.context import HandlerContext
from bot.core import people, units
from bot.core.errors import DomainError
from bot.core.models import Person, Unit
from bot.core.names import name_key
from handlers.args import TRAILING_PUNCTUATION, Args, Word, is_mention_token

MAX_NAME_WORDS = 8  # no unit or person name is longer; bounds the search
SUGGESTION_SCORE = 80  # rapidfuzz WRatio from which a name counts as close to what was typed
MAX_SUGGESTIONS = 3
# Between two mentions, a word that joins them is not the start of the reason: `@johan och @emma tack`.
JOINING_WORDS = frozenset({"and", "och", "og", "&", "+"})

Target = Person | Unit
T = TypeVar("T", Person, Unit, Target)


def take_person(ctx: HandlerContext, args: Args) -> Person:
    """The person the next words name (a mention, an @handle, a display name of one or more words)."""
    found = _take(ctx, args, want_people=True, want_units=False)
    assert isinstance(found, Person)
    return found


def take_unit(ctx: HandlerContext, args: Args) -> Unit:
    found = _take(ctx, args, want_people=False, want_units=True)
    assert isinstance(found, Unit)
    return found


def take_person_or_unit(ctx: HandlerContext, args: Args) -> Target:
    return _take(ctx, args, want_people=True, want_units=True)


def take_people(ctx: HandlerContext, args: Args) -> list[Person]:
    """The person the next words name, then everyone mentioned right after (`@johan @emma tack`)."""
    found = [take_person(ctx, args)]
    while _another_mention_follows(args):
        found.append(take_person(ctx, args))
    return _distinct(found)


def take_targets(ctx: HandlerContext, args: Args) -> list[Target]:
    """A person or unit, then every person or unit mentioned right after it."""
    found = [take_person_or_unit(ctx, args)]
    while _another_mention_follows(args):
        found.append(take_person_or_unit(ctx, args))
    return _distinct(found)


def _another_mention_follows(args: Args) -> bool:
    following = args.peek()
    if following is None:
        return False
    if following.is_mention:
        return True
    after = args.peek(1)
    if following.bare.casefold() in JOINING_WORDS and after is not None and after.is_mention:
        args.skip()
        return True
    return False


def _distinct(found: Sequence[T]) -> list[T]:
    """Each named once, in the order first named."""
    seen: dict[tuple[bool, int], T] = {}
    for target in found:
        seen.setdefault((isinstance(target, Person), target.id), target)
    return list(seen.values())


def _take(ctx: HandlerContext, args: Args, *, want_people: bool, want_units: bool) -> Target:
    first = args.peek()
    if first is None:
        raise args.usage_error()
    if not first.quoted and is_mention_token(first.bare):
        args.skip()
        return ctx.find_person(first.bare)
    span = _name_words(args.ahead())
    for lead, prefix in _leading_forms(first):
        found = _named_by(ctx, args, span, lead, prefix, want_people=want_people, want_units=want_units)
        if found is not None:
            return found
    if not any(prefix for _lead, prefix in _leading_forms(first)):
        raise args.usage_error()
    raise _unknown(ctx, span, want_people=want_people, want_units=want_units)


def _leading_forms(first: Word) -> list[tuple[str, str]]:
    """The first word as a name may begin (as written, and as compared by prefix): a quoted name as it is;
    an `@handle` or `#unit` without its sign, then as written, since a display name may begin with `@`."""
    if first.quoted:
        return [(first.text, first.text)]
    stripped = (first.text.lstrip("@#"), first.bare.lstrip("@#"))
    return list(dict.fromkeys([stripped, (first.text, first.bare)]))


def _named_by(
    ctx: HandlerContext,
    args: Args,
    span: Sequence[Word],
    lead: str,
    prefix: str,
    *,
    want_people: bool,
    want_units: bool,
) -> Target | None:
    """The longest run of `span`'s words, its first written `lead`, that names someone or a unit; None."""
    if not prefix:
        return None
    persons = people.people_named_from(ctx.tx, prefix) if want_people else []
    unit_list = units.units_named_from(ctx.tx, prefix) if want_units else []
    for length in range(len(span), 0, -1):
        typed = _typed(lead, span, length)
        if length == 1 and want_people:
            by_handle = people.person_by_handle(ctx.tx, ctx.actor.platform, typed[-1])
            if by_handle is not None:
                args.skip(1)
                return by_handle
        named = [person for person in persons if name_key(person.display_name) in typed]
        if len(named) > 1:
            raise _ambiguous(ctx, named)
        if named:
            args.skip(length)
            return named[0]
        unit = next((unit for unit in unit_list if unit.name_key in typed), None)
        if unit is not None:
            args.skip(length)
            return unit
    return None


def _name_words(ahead: Sequence[Word]) -> list[Word]:
    """The words a name may take: a quoted phrase alone, else plain words up to the next mention."""
    if ahead[0].quoted:
        return [ahead[0]]
    span = [ahead[0]]
    for word in ahead[1:MAX_NAME_WORDS]:
        if word.quoted or word.is_mention:
            break
        span.append(word)
    return span


def _typed(lead: str, span: Sequence[Word], length: int) -> tuple[str, ...]:
    """The keys the first `length` words may mean: as written, and without a sentence's last comma."""
    middle = [word.text for word in span[1:length]]
    whole = name_key(" ".join([lead, *middle]))
    last = span[length - 1]
    bare_lead = lead if length > 1 else lead.rstrip(TRAILING_PUNCTUATION) or lead
    bare = name_key(" ".join([bare_lead, *middle[:-1], last.bare] if length > 1 else [bare_lead]))
    return (whole, bare)


def _ambiguous(ctx: HandlerContext, named: Sequence[Person]) -> DomainError:
    handles = people.handles_of(ctx.tx, [person.id for person in named])
    shown = [
        f"{person.display_name} (@{handles[person.id]})" if person.id in handles else person.display_name
        for person in named
    ]
    return DomainError(
        "Several people are called {name}: {choices}. Mention the one you mean.",
        name=named[0].display_name,
        choices=format_list(shown, locale=ctx.t.locale),
    )


def _unknown(ctx: HandlerContext, span: Sequence[Word], *, want_people: bool, want_units: bool) -> DomainError:
    pool = (people.display_names(ctx.tx) if want_people else []) + (
        units.unit_names(ctx.tx) if want_units else []
    )
    typed, close = _closest(span, pool)
    if close:
        choices = format_list(close, style="or", locale=ctx.t.locale)
        if want_people:
            return DomainError(
                "I don't know anyone called {name}. Did you mean {choices}?", name=typed, choices=choices
            )
        return DomainError(
            "There is no unit called {name}. Did you mean {choices}?", name=typed, choices=choices
        )
    if want_people:
        return DomainError("I don't know anyone called {name}.", name=typed)
    return DomainError("There is no unit called {name}.", name=typed)


def _closest(span: Sequence[Word], pool: Sequence[str]) -> tuple[str, list[str]]:
    """What was typed as far as it resembles a name, and the names it resembles, best first."""
    best: dict[str, float] = {}
    typed_for_best, best_score = span[0].bare, 0.0
    for length in range(1, len(span) + 1):
        typed = " ".join([*(word.text for word in span[: length - 1]), span[length - 1].bare])
        for name, score, _ in process.extract(
            typed.lstrip("@#"),
            pool,
            scorer=fuzz.WRatio,
            processor=name_key,
            score_cutoff=SUGGESTION_SCORE,
            limit=MAX_SUGGESTIONS,
        ):
            best[name] = max(best.get(name, 0.0), score)
            if score > best_score:
                typed_for_best, best_score = typed, score
    ranked = sorted(best, key=lambda name: -best[name])
    return typed_for_best, ranked[:MAX_SUGGESTIONS]
