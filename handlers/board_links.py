"""/boardlink: read-only links to the board page for an office screen, and revoking them."""

from __future__ import annotations

from bot.context import HandlerContext
from bot.core import board_links, units
from bot.core.errors import DomainError
from bot.core.models import Unit
from bot.i18n import N_
from bot.messages import Reply
from handlers.args import Args, parse_id
from handlers.languages import LANGUAGE_NAMES
from handlers.vocabulary import BOARD_VIEW_WORDS, LANGUAGE_WORDS, lookup, lookup_leading

BOARDLINK_USAGE = N_("/boardlink [unit] [language] · /boardlink revoke <id>")
REVOKE_WORDS: dict[str, tuple[str, ...]] = {
    "revoke": ("revoke", "återkalla", "tilbakekall", "trekk tilbake", "tilbagekald", "annuller")
}
MY_UNIT_WORDS: dict[str, tuple[str, ...]] = {"unit": BOARD_VIEW_WORDS["unit"]}
ORGANISATION_WORDS = (
    "organisation",
    "organization",
    "org",
    "all",
    "alla",
    "alle",
    "organisationen",
    "organisasjonen",
)


def board_link(ctx: HandlerContext, text: str) -> Reply:
    """Make a link to the board of a unit or the organisation, list the links in force, or revoke one."""
    verb, rest = lookup_leading(REVOKE_WORDS, text)
    if verb == "revoke":
        return _revoke(ctx, rest)
    if not ctx.conversation.read_by_one and ctx.actor.platform != "slack":
        raise DomainError("A board link is a key to the board: ask me for one in a direct message.")
    unit, locale = _unit_and_language(ctx, text)
    made = board_links.make(ctx.tx, ctx.person, unit, locale)
    t = ctx.t
    url = f"{ctx.tx.policy.board_url}/board/{made.token}"
    scope = unit.name if unit is not None else t.t("the whole organisation")
    return Reply(
        t.t(
            ":tv: Board link #{id} for {scope} in {language}: {url}",
            id=made.link.id,
            scope=scope,
            language=LANGUAGE_NAMES[locale],
            url=url,
        ),
        (
            t.t("Open it on the office screen or a tablet: it keeps itself up to date."),
            t.t(
                "Anyone with the link sees this board (nothing else), so share it with care; "
                "/boardlink revoke {id} ends it at once.",
                id=made.link.id,
            ),
            *_in_force(ctx),
        ),
    )


def _unit_and_language(ctx: HandlerContext, text: str) -> tuple[Unit | None, str]:
    """`[unit] [language]`: a language word at the end (else the reader's), a unit before it (else all)."""
    words = text.split()
    locale = ctx.t.locale
    for size in (2, 1):
        if len(words) >= size:
            found = lookup(LANGUAGE_WORDS, " ".join(words[-size:]))
            if found is not None:
                locale, words = found, words[:-size]
                break
    name = " ".join(words)
    if name.casefold() in ORGANISATION_WORDS or (not name and board_links.links_everything(ctx.tx, ctx.person)):
        return None, locale
    if not name or lookup(MY_UNIT_WORDS, name) is not None:
        if ctx.person.unit_id is None:
            raise DomainError("You are not in a unit yet; an admin can add you with /unit member.")
        return units.get_unit(ctx.tx, ctx.person.unit_id), locale
    return units.find_unit(ctx.tx, name), locale


def _revoke(ctx: HandlerContext, rest: str) -> Reply:
    args = Args(rest, BOARDLINK_USAGE)
    typed = args.word()
    if not typed:
        raise args.usage_error()
    link_id = parse_id(typed, BOARDLINK_USAGE)
    if args.word():
        raise args.usage_error()
    board_links.revoke(ctx.tx, ctx.person, link_id)
    return Reply(
        ctx.t.t(":no_entry: Board link #{id} is revoked: screens showing it go blank now.", id=link_id),
        tuple(_in_force(ctx)),
    )


def _in_force(ctx: HandlerContext) -> list[str]:
    t = ctx.t
    listed = board_links.listing(ctx.tx, ctx.person)
    if not listed:
        return [t.t("No board links are in force.")]
    lines = [t.t("Board links in force:")]
    for shown in listed:
        lines.append(
            t.t(
                "#{id} · {scope} · {language} · made by {name} on {date}",
                id=shown.link.id,
                scope=shown.unit or t.t("the whole organisation"),
                language=LANGUAGE_NAMES.get(shown.link.locale, shown.link.locale),
                name=shown.made_by or "?",
                date=t.date(shown.link.created_at.astimezone(ctx.tx.policy.timezone).date()),
            )
        )
    return lines
