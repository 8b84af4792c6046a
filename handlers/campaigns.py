"""Campaign commands: /campaign new, a campaign's card, /campaign end and cancel, /campaigns, /did (undo)."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date, format_time
from babel.lists import format_list

from bot.context import HandlerContext
from bot.core import campaign_turnout, campaign_undo, campaigns, people
from bot.core.campaigns import ActionPlan, CampaignPlan
from bot.core.errors import DomainError, Text
from bot.core.languages import organisation_language, unit_language
from bot.core.models import Campaign, CampaignAction, Unit
from bot.core.quantities import split_quantity
from bot.core.uow import Tx
from bot.i18n import N_
from bot.messages import Reply
from campaigns.campaign_posts import action_data, post_results
from campaigns.campaign_timing import take_date, timing, window
from campaigns.templates import LONGEST_NAME_WORDS, TEMPLATES, Template, take_template
from campaigns.when_describe import CLOCK, moment_text
from handlers import campaign_dialogue
from handlers.args import Args, looks_like_id, parse_id, without_anyway
from handlers.campaign_views import action_line, action_name, did_buttons, period_text, planned_reply
from handlers.follow_up_views import names_line, share_line
from handlers.names import JOINING_WORDS, take_unit
from handlers.phrases import plus_points, points_text
from handlers.vocabulary import SUBCOMMAND_WORDS, lookup

CAMPAIGN_USAGE = N_(
    "/campaign new [from <template> <YYYY-MM-DD> [unit …]] | /campaign <id> | /campaign end <id> "
    "| /campaign cancel <id> | /campaign templates"
)
DID_USAGE = N_("/did <action name or number> | /did undo")
UNDO_WORDS = ("undo", "ångra", "angre", "fortryd")
CAMPAIGN_WORDS: dict[str, tuple[str, ...]] = {
    "new": SUBCOMMAND_WORDS["add"],
    "cancel": ("cancel", "stop", "avbryt", "avlys", "aflys", "stopp"),
    "end": ("end", "finish", "avsluta", "avslutt", "afslut", "slut"),
    "templates": ("templates", "template", "mallar", "mall", "maler", "mal", "skabeloner", "skabelon"),
}
FROM_WORDS: dict[str, tuple[str, ...]] = {"from": ("from", "från", "fra")}


def campaign(ctx: HandlerContext, text: str) -> Reply:
    """Start a campaign from a template (or step by step, or from Slack's form), show one, or call one off.

    A form's fields are named as the dialogue's steps: name, description, area, start, end, units,
    actions (one per line), reminder.
    """
    text, anyway = without_anyway(text)
    args = Args(text, CAMPAIGN_USAGE)
    first = args.peek()
    if first is None:
        return templates_reply(ctx)
    if looks_like_id(first.text):
        return card(ctx, args.id())
    verb = lookup(CAMPAIGN_WORDS, args.word())
    if verb == "templates":
        return templates_reply(ctx)
    if verb == "cancel":
        cancelled = campaigns.cancel(ctx.tx, ctx.person, args.id())
        return Reply(
            ctx.t.t(":no_entry: {name} (campaign #{id}) is called off.", name=cancelled.name, id=cancelled.id)
        )
    if verb == "end":
        return _end(ctx, args.id())
    if verb != "new":
        raise args.usage_error()
    if args.peek() is None:
        return campaign_dialogue.from_form(ctx) if ctx.form else campaign_dialogue.begin(ctx)
    if lookup(FROM_WORDS, args.word()) is None:
        raise args.usage_error()
    return _from_template(ctx, args, anyway)


def _end(ctx: HandlerContext, campaign_id: int) -> Reply:
    """End a running campaign now, with the results post its scheduled end would have made."""
    ended = campaigns.end_early(ctx.tx, ctx.person, campaign_id)
    post_results(ctx.tx, ended)
    return Reply(
        ctx.t.t(
            ":checkered_flag: {name} (campaign #{id}) is ended; its results are posted.",
            name=ended.name,
            id=ended.id,
        )
    )


def _from_template(ctx: HandlerContext, args: Args, anyway: bool) -> Reply:
    words = [word.text for word in args.ahead()]
    taken = take_template(words)
    if taken is None:
        raise _no_such_template(ctx, words)
    template, used = taken
    args.skip(used)
    first_day, used = take_date(
        [word.text for word in args.ahead()], ctx.t.locale, ctx.tx.now, ctx.tx.policy.timezone
    )
    args.skip(used)
    units = _take_units(ctx, args)
    zone = ctx.tx.policy.timezone
    starts_at, ends_at = window(first_day, first_day + timedelta(days=template.days - 1), ctx.tx.now, zone)
    unit_ids = [unit.id for unit in units]
    plan = plan_from(template, units_language(ctx.tx, unit_ids), starts_at, ends_at, unit_ids)
    duplicate = None if anyway else campaigns.same_running(ctx.tx, plan)
    if duplicate is not None:
        raise duplicate_warning(ctx, duplicate)
    created = campaigns.create(
        ctx.tx, ctx.person, plan, timing(starts_at, ends_at, template.reminder_cron, zone)
    )
    return planned_reply(ctx, created)


def duplicate_warning(ctx: HandlerContext, found: Campaign) -> DomainError:
    """Nothing is made: the campaign this one would repeat, and how to make it all the same."""
    units = campaigns.unit_names_of(ctx.tx, found.id)
    texts = {
        "running": N_(
            "Campaign #{id} {name} already runs for {units}, {period}. To make this one too, "
            "repeat the command with “anyway” at the end."
        ),
        "planned": N_(
            "Campaign #{id} {name} is already planned for {units}, {period}. To make this one too, "
            "repeat the command with “anyway” at the end."
        ),
    }
    return DomainError(
        texts[found.state],
        id=found.id,
        name=found.name,
        units=format_list(units, locale=ctx.t.locale) if units else ctx.t.t("everyone"),
        period=period_text(
            ctx.t,
            found.starts_at.astimezone(ctx.tx.policy.timezone).date().isoformat(),
            campaigns.last_day(ctx.tx, found).isoformat(),
        ),
    )


def _no_such_template(ctx: HandlerContext, words: list[str]) -> DomainError:
    """Name what was typed as the template (the words before the day) and the templates by their names."""
    ends = range(1, min(len(words), LONGEST_NAME_WORDS + 1))  # no template's name is longer
    named = next((count for count in ends if _reads_as_day(ctx, words[count:])), len(words))
    names = [template.text(template.names, ctx.t.locale) for template in TEMPLATES.values()]
    return DomainError(
        "There is no campaign template {name}. The templates: {templates}.",
        name=" ".join(words[:named]),
        templates=format_list(names, locale=ctx.t.locale),
    )


def _reads_as_day(ctx: HandlerContext, words: list[str]) -> bool:
    try:
        take_date(words, ctx.t.locale, ctx.tx.now, ctx.tx.policy.timezone)
    except DomainError:
        return False
    return True


def units_language(tx: Tx, unit_ids: list[int]) -> str:
    """What a campaign for these units is written in: their language when they all share one, else
    (units of several languages, or everyone) the organisation's."""
    spoken = {unit_language(tx, unit_id) for unit_id in unit_ids}
    return spoken.pop() if len(spoken) == 1 else organisation_language(tx)


def plan_from(
    template: Template, locale: str, starts_at: datetime, ends_at: datetime, unit_ids: list[int]
) -> CampaignPlan:
    """A template filled in, in `locale` (its name and description; its actions keep every language)."""
    return CampaignPlan(
        name=template.text(template.names, locale),
        description=template.text(template.descriptions, locale),
        area=template.area,
        starts_at=starts_at,
        ends_at=ends_at,
        unit_ids=unit_ids,
        reminder_cron=template.reminder_cron,
        template=template.key,
        actions=[
            ActionPlan(
                dict(action.names),
                action.points,
                action.daily_cap,
                split_quantity(action.impact, "en") if action.impact else None,
            )
            for action in template.actions
        ],
    )


def _take_units(ctx: HandlerContext, args: Args) -> list[Unit]:
    units: list[Unit] = []
    while (word := args.peek()) is not None:
        if word.text.casefold() in JOINING_WORDS or word.text == ",":
            args.skip()
            continue
        units.append(take_unit(ctx, args))
    return units


def templates_reply(ctx: HandlerContext) -> Reply:
    t = ctx.t
    lines = tuple(_template_line(ctx, template) for template in TEMPLATES.values())
    return Reply(t.t("Campaign templates. Usage: {usage}", usage=Text(CAMPAIGN_USAGE)), lines)


def _template_line(ctx: HandlerContext, template: Template) -> str:
    name = template.text(template.names, ctx.t.locale)
    return ctx.t.tn(
        "{key}: {name}, {count} day", "{key}: {name}, {count} days", template.days, key=template.key, name=name
    )


def card(ctx: HandlerContext, campaign_id: int) -> Reply:
    """A campaign: when, for whom, its actions with my count today, and buttons while it runs."""
    t, tx = ctx.t, ctx.tx
    found = campaigns.get(tx, campaign_id)
    done = campaigns.counts_today(tx, ctx.person, found.id)
    actions = [action_data(action) for action in campaigns.actions_of(tx, found.id)]
    units = campaigns.unit_names_of(tx, found.id)
    lines = [
        found.description,
        state_text(ctx, found),
        t.t("For: {units}", units=format_list(units, locale=t.locale)) if units else t.t("For: everyone"),
        *(action_line(t, action, done.get(action["id"], 0)) for action in actions),
        *turnout_lines(ctx, found.id),
    ]
    can_log = found.state == "running" and campaigns.takes_part(tx, ctx.person, found.id)
    return Reply(
        t.t(":seedling: Campaign #{id}: {name}", id=found.id, name=found.name),
        tuple(lines),
        did_buttons(t, found.id, actions) if can_log else (),
    )


def turnout_lines(ctx: HandlerContext, campaign_id: int) -> list[str]:
    """For a reviewer: `Taken part: 4 of 6 (67 %)` among the members they look after, and who has not."""
    found = campaign_turnout.turnout(ctx.tx, ctx.person, campaign_id)
    if found is None:
        return []
    lines = [share_line(ctx.t, ctx.t.t("Taken part"), found.taken_part, found.audience)]
    if found.not_yet:
        lines.append(names_line(ctx.t, [people.shown_name_to(person, ctx.person) for person in found.not_yet]))
    return lines


def state_text(ctx: HandlerContext, found: Campaign) -> str:
    t = ctx.t
    period = period_text(
        t,
        found.starts_at.astimezone(ctx.tx.policy.timezone).date().isoformat(),
        campaigns.last_day(ctx.tx, found).isoformat(),
    )
    texts = {
        "planned": N_("Planned: {period}"),
        "running": N_("Running: {period}"),
        "finished": N_("Finished: {period}"),
        "cancelled": N_("Called off: {period}"),
    }
    if campaigns.ended_early(found) and found.changed_at is not None:
        return t.t(
            "Ended early on {day}: {period}",
            day=format_date(found.changed_at.astimezone(ctx.tx.policy.timezone).date(), locale=t.locale),
            period=period,
        )
    return t.t(texts[found.state], period=period)


def listing(ctx: HandlerContext, text: str) -> Reply:
    """Running and planned campaigns, then past ones."""
    current, past = campaigns.listing(ctx.tx)
    t = ctx.t
    if not current and not past:
        return Reply(t.t("No campaigns yet. Managers start one with /campaign new from <template> <date>."))
    lines = [f"#{found.id} {found.name} — {state_text(ctx, found)}" for found in [*current, *past]]
    return Reply(t.t(":seedling: Campaigns, running and planned first:"), tuple(lines))


def did(ctx: HandlerContext, text: str) -> Reply:
    """Log an action of a running campaign by its name (in any of our languages) or its number."""
    typed = " ".join(text.split())
    if not typed:
        raise DomainError("What did you do? Usage: {usage}", usage=Text(DID_USAGE))
    if typed.casefold() in UNDO_WORDS:
        return undone_reply(ctx, campaign_undo.undo_latest(ctx.tx, ctx.person))
    running = campaigns.running_for(ctx.tx, ctx.person)
    if not running:
        planned = campaigns.next_planned_for(ctx.tx, ctx.person)
        if planned is not None:
            raise not_started(ctx, planned)
        raise DomainError("No campaign you take part in is running now. /campaigns lists them.")
    campaign_found, action = _find_action(ctx, running, typed)
    return logged_reply(
        ctx, campaigns.log_action(ctx.tx, ctx.person, campaign_found.id, action.id, ctx.t.locale)
    )


def not_started(ctx: HandlerContext, planned: Campaign) -> DomainError:
    """When a planned campaign's kick-off comes, so nobody logs in vain before it."""
    zone = ctx.tx.policy.timezone
    if planned.starts_at <= ctx.tx.now:
        return DomainError("{name} is starting now. Try again in a minute.", name=planned.name)
    if planned.starts_at.astimezone(zone).date() == ctx.tx.now.astimezone(zone).date():
        return DomainError(
            "{name} starts today at {time}. Log your actions from then.",
            name=planned.name,
            time=format_time(planned.starts_at, CLOCK, tzinfo=zone, locale=ctx.t.locale),
        )
    return DomainError(
        "{name} starts {when}. Log your actions from then.",
        name=planned.name,
        when=moment_text(planned.starts_at, zone.key, ctx.t),
    )


def _find_action(ctx: HandlerContext, running: list[Campaign], typed: str) -> tuple[Campaign, CampaignAction]:
    offered = [(found, action) for found in running for action in campaigns.actions_of(ctx.tx, found.id)]
    if typed.isdigit() and len(running) == 1:
        matches = [
            (found, action) for found, action in offered if action.position == parse_id(typed, DID_USAGE)
        ]
    else:
        wanted = typed.casefold()
        matches = [pair for pair in offered if wanted in _folded_names(pair[1])]
        if not matches:
            matches = [pair for pair in offered if any(wanted in name for name in _folded_names(pair[1]))]
    if len(matches) == 1:
        return matches[0]
    names = [action_name(action.names, ctx.t.locale) for _, action in offered]
    if not matches:
        raise DomainError(
            "{typed} is not a campaign action. Choose one of: {actions}.",
            typed=typed,
            actions=format_list(names, style="or", locale=ctx.t.locale),
        )
    raise DomainError(
        "{typed} could mean several actions; type more of its name, or press its button.", typed=typed
    )


def _folded_names(action: CampaignAction) -> set[str]:
    return {" ".join(str(name).split()).casefold() for name in action.names.values()}


def did_button(ctx: HandlerContext, arg: str) -> Reply:
    """A press on a campaign post's action button: `campaign.did:<campaign>:<action>`.

    Platforms show a press's answer in place of the post, so the answer is the post again, with its
    buttons for the others, and what was just logged as its last line.
    """
    campaign_part, _, action_part = arg.partition(":")
    pressed = campaigns.get(ctx.tx, parse_id(campaign_part, DID_USAGE))
    if pressed.state == "planned" and campaigns.takes_part(ctx.tx, ctx.person, pressed.id):
        raise not_started(ctx, pressed)
    logged = campaigns.log_action(
        ctx.tx, ctx.person, pressed.id, parse_id(action_part, DID_USAGE), ctx.t.locale
    )
    t = ctx.t
    actions = [action_data(action) for action in campaigns.actions_of(ctx.tx, logged.campaign.id)]
    confirmation = logged_reply(ctx, logged)
    return Reply(
        t.t(":seedling: Campaign #{id}: {name}", id=logged.campaign.id, name=logged.campaign.name),
        (
            *(action_line(t, action) for action in actions),
            f"{people.shown_name(ctx.person)}: {confirmation.text} ({confirmation.lines[0]})",
        ),
        did_buttons(t, logged.campaign.id, actions),
        public=True,
    )


def logged_reply(ctx: HandlerContext, logged: campaigns.Logged) -> Reply:
    t = ctx.t
    return Reply(
        t.t(
            ":white_check_mark: {action} ({campaign}): {points}",
            action=action_name(logged.action.names, t.locale),
            campaign=logged.campaign.name,
            points=plus_points(t, logged.points),
        ),
        (t.t("Today {done} of {cap}.", done=logged.today, cap=logged.action.daily_cap),),
    )


def undone_reply(ctx: HandlerContext, undone: campaign_undo.Undone) -> Reply:
    t = ctx.t
    return Reply(
        t.t(
            ":leftwards_arrow_with_hook: Undone: {action} ({campaign}), {points} taken back.",
            action=action_name(undone.action.names, t.locale),
            campaign=undone.campaign.name,
            points=points_text(t, undone.points),
        ),
        (
            t.t("Today {done} of {cap}.", done=undone.today, cap=undone.action.daily_cap),
            t.t("Balance: {points}", points=points_text(t, undone.balance)),
        ),
    )
