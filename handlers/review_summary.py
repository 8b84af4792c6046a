"""The yearly review's summary in words: Markdown for the pack, plain text for chat, one set of sentences."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_percent

from bot.core.goal_progress import BEHIND, ON_TRACK, REACHED
from bot.core.review_figures import TARGET_IMPROVEMENT, Figures
from bot.i18n import Translator
from handlers.markdown_text import escape
from handlers.phrases import quantity_text

GOALS_LISTED = 10
_SHOWN_FIRST = {BEHIND: 0, ON_TRACK: 1, REACHED: 2}


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[str, ...]


def title(t: Translator, figures: Figures) -> str:
    return t.t("Yearly review {year}", year=str(figures.year.number))


def sections(t: Translator, figures: Figures) -> list[Section]:
    return [
        Section(t.t("About these figures"), _about(t, figures)),
        Section(t.t("Goals"), _goals(t, figures)),
        Section(t.t("Ideas and savings"), _ideas(t, figures)),
        Section(t.t("Campaigns"), _campaigns(t, figures)),
        Section(t.t("Participation and recognition"), _participation(t, figures)),
        Section(t.t("Proposed targets for {year}", year=str(figures.year.number + 1)), _targets(t, figures)),
    ]


def markdown(t: Translator, figures: Figures) -> str:
    """The summary as a Markdown document, ready to paste into a management review or a yearly report.
    Every line is escaped as a whole: names, titles and units typed by members are in them, and a line
    added later cannot forget to escape its own."""
    parts = [f"# {escape(title(t, figures))}", ""]
    for section in sections(t, figures):
        parts += [f"## {escape(section.heading)}", "", *(f"- {escape(line)}" for line in section.lines), ""]
    return "\n".join(parts)


def chat_text(t: Translator, figures: Figures) -> str:
    parts = [f":bar_chart: {title(t, figures)}"]
    for section in sections(t, figures):
        parts += ["", section.heading, *(f"• {line}" for line in section.lines)]
    return "\n".join(parts)


def _about(t: Translator, figures: Figures) -> tuple[str, ...]:
    year = figures.year
    last_day = (year.local(year.end) - timedelta(days=1)).date()
    return (
        t.t(
            "The period {first} – {last}, as recorded by engagebot.",
            first=format_date(year.local(year.start).date(), format="long", locale=t.locale),
            last=format_date(last_day, format="long", locale=t.locale),
        ),
        t.t(
            "Input to the management review (ISO 14001, 9.3), the EMAS environmental statement "
            "or the Eco-Lighthouse yearly report."
        ),
    )


def _goals(t: Translator, figures: Figures) -> tuple[str, ...]:
    if not figures.goals:
        return (t.t("No goals set yet: /goal new sets one."),)
    counts = Counter(each.state for each in figures.goals)
    lines = [
        t.tn(
            "{count} goal: {reached} reached, {on} on track, {behind} behind.",
            "{count} goals: {reached} reached, {on} on track, {behind} behind.",
            len(figures.goals),
            reached=t.number(counts[REACHED]),
            on=t.number(counts[ON_TRACK]),
            behind=t.number(counts[BEHIND]),
        )
    ]
    # The organisation's goals first, then those behind, then on track: a summary, not the whole goals sheet.
    shown = sorted(
        figures.goals, key=lambda each: (each.unit is not None, _SHOWN_FIRST[each.state], each.goal.id)
    )
    for each in shown[:GOALS_LISTED]:
        where = each.unit or t.t("the organisation")
        now = quantity_text(t, each.verified, each.goal.metric_unit)
        target = quantity_text(t, each.goal.target, each.goal.metric_unit)
        judged = t.label("goal_state", each.state)
        lines.append(
            t.t(
                "{title} ({unit}): {now} verified, {share} of the way to {target} by {deadline}; {judged}.",
                title=each.goal.title,
                unit=where,
                now=now,
                share=format_percent(Decimal(each.progress_pct) / 100, locale=t.locale),
                target=target,
                deadline=format_date(each.goal.deadline, format="long", locale=t.locale),
                judged=judged,
            )
        )
    if len(shown) > GOALS_LISTED:
        more = len(shown) - GOALS_LISTED
        lines.append(
            t.tn("… and {count} more in the goals sheet.", "… and {count} more in the goals sheet.", more)
        )
    return tuple(lines)


def _ideas(t: Translator, figures: Figures) -> tuple[str, ...]:
    lines = [
        t.tn("{count} idea submitted.", "{count} ideas submitted.", figures.ideas),
        t.t(
            "Moved on during the year: {accepted} accepted, {implemented} implemented, {declined} declined.",
            accepted=t.number(figures.reached.get("accepted", 0)),
            implemented=t.number(figures.reached.get("implemented", 0)),
            declined=t.number(figures.reached.get("declined", 0)),
        ),
        t.tn("{count} vote for ideas.", "{count} votes for ideas.", figures.votes),
    ]
    if figures.reached.get("withdrawn"):
        lines.insert(
            2,
            t.tn(
                "{count} idea withdrawn by its author.",
                "{count} ideas withdrawn by their authors.",
                figures.reached["withdrawn"],
            ),
        )
    if figures.expected:
        lines.append(t.t("Expected savings: {amounts}.", amounts=_amounts(t, figures.expected)))
    if not figures.verified:
        lines.append(t.t("No verified savings were recorded."))
    for area, amounts in sorted(figures.verified.items(), key=lambda item: item[0] or "~"):
        lines.append(
            t.t("Verified savings, {area}: {amounts}.", area=_area(t, area), amounts=_amounts(t, amounts))
        )
    return tuple(lines)


def _campaigns(t: Translator, figures: Figures) -> tuple[str, ...]:
    people = _people(t, figures.campaign_people)  # outside t.tn(): the extractor would misread it inside
    lines = [
        t.tn("{count} campaign.", "{count} campaigns.", figures.campaigns),
        t.tn(
            "{count} campaign action logged by {people}.",
            "{count} campaign actions logged by {people}.",
            figures.campaign_actions,
            people=people,
        ),
    ]
    if figures.impact:
        lines.append(t.t("Their impact together: {amounts}.", amounts=_amounts(t, figures.impact)))
    return tuple(lines)


def _participation(t: Translator, figures: Figures) -> tuple[str, ...]:
    share = figures.participation
    return (
        t.t(
            "{earners} of {people} earned points ({share}).",
            earners=t.number(figures.earners),
            people=_people(t, figures.people),
            share=format_percent(share / 100 if share is not None else 0, locale=t.locale),
        ),
        t.tn("{count} point earned in all.", "{count} points earned in all.", figures.points),
        t.t(
            "Recognition: {praise} and {kudos}.",
            praise=t.tn("{count} praise", "{count} praise", figures.praise),
            kudos=t.tn("{count} kudos", "{count} kudos", figures.kudos),
        ),
    )


def _targets(t: Translator, figures: Figures) -> tuple[str, ...]:
    targets = figures.targets
    if not targets:
        return (t.t("No verified savings this year to build targets on: record them with /saving."),)
    rule = t.t(
        "The rule: each area's verified savings this year plus {improvement}.",
        improvement=format_percent(TARGET_IMPROVEMENT, locale=t.locale),
    )
    return (
        rule,
        *(
            t.t(
                "{area}: {target} (this year {result}).",
                area=_area(t, target.area),
                target=quantity_text(t, target.target, target.unit),
                result=quantity_text(t, target.result, target.unit),
            )
            for target in targets
        ),
    )


def _people(t: Translator, count: int) -> str:
    return t.tn("{count} person", "{count} people", count)


def _area(t: Translator, area: str | None) -> str:
    return t.label("area", area) if area else t.t("no area given")


def _amounts(t: Translator, amounts: dict[str, Decimal]) -> str:
    return format_list(
        [quantity_text(t, amount, unit) for unit, amount in sorted(amounts.items())], locale=t.locale
    )
