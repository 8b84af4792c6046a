"""A progress digest in the reader's language: its sections one after another, and its chart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_skeleton
from babel.lists import format_list

from bot.core import digest_posts, goals
from bot.core.digest import Digest
from bot.core.goal_progress import BEHIND, ON_TRACK, bar
from bot.core.quantities import PER_YEAR, is_canonical
from bot.i18n import Translator
from bot.messages import Image, Reply
from campaigns.charts import BarPanel, GoalPanel, ProgressChart, progress_png
from handlers.goal_views import judgement
from handlers.phrases import points_text, preview, quantity_text

PRAISE_PREVIEW = 100
Section = Callable[[Translator, Digest], list[str]]


def month_title(t: Translator, month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return format_skeleton("yMMMM", date(year, number, 1), locale=t.locale)


def _short_month(t: Translator, month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return format_skeleton("MMM", date(year, number, 1), locale=t.locale)


def _change(t: Translator, digest: Digest, name: str) -> str:
    """ " (+2 since the last post)", or nothing when there was no last post or nothing changed."""
    if digest.previous is None or name not in digest.previous:
        return ""
    difference = int(getattr(digest, name)) - int(digest.previous[name])
    if not difference:
        return ""
    signed = f"+{t.number(difference)}" if difference > 0 else f"−{t.number(-difference)}"
    return " " + t.t("({change} since the last post)", change=signed)


def ideas_section(t: Translator, digest: Digest) -> list[str]:
    return [
        t.tn(":bulb: {count} idea received", ":bulb: {count} ideas received", digest.received)
        + _change(t, digest, "received"),
        t.tn(":white_check_mark: {count} accepted", ":white_check_mark: {count} accepted", digest.accepted)
        + _change(t, digest, "accepted"),
        t.tn(":rocket: {count} implemented", ":rocket: {count} implemented", digest.implemented)
        + _change(t, digest, "implemented"),
    ]


def savings_section(t: Translator, digest: Digest) -> list[str]:
    if not digest.verified_savings:
        return []
    amounts = [quantity_text(t, amount, unit) for unit, amount in sorted(digest.verified_savings.items())]
    return [
        t.t(
            ":moneybag: Verified savings of the ideas implemented: {amounts}",
            amounts=format_list(amounts, locale=t.locale),
        )
    ]


def campaigns_section(t: Translator, digest: Digest) -> list[str]:
    lines = []
    for campaign in digest.campaigns:
        state = t.t("finished") if campaign.finished else t.t("running")
        lines.append(
            t.tn(
                ":dart: {name} ({state}): {count} action logged by {people}",
                ":dart: {name} ({state}): {count} actions logged by {people}",
                campaign.actions,
                name=campaign.name,
                state=state,
                people=t.tn("{count} person", "{count} people", campaign.people),
            )
        )
    return lines


def contributors_section(t: Translator, digest: Digest) -> list[str]:
    if not digest.contributors:
        return []
    names = [f"{name} ({points_text(t, points)})" for name, points in digest.contributors]
    return [t.t(":trophy: Top contributors: {names}", names=format_list(names, locale=t.locale))]


def points_section(t: Translator, digest: Digest) -> list[str]:
    earned = t.tn(":star: {count} point earned", ":star: {count} points earned", digest.points)
    return [earned + _change(t, digest, "points")]


def praise_section(t: Translator, digest: Digest) -> list[str]:
    return [
        t.t(
            ":clap: {giver} to {target}: “{message}”",
            giver=each.giver,
            target=each.target,
            message=preview(each.message, PRAISE_PREVIEW),
        )
        for each in digest.praise
    ]


def goals_section(t: Translator, digest: Digest) -> list[str]:
    """Each of the unit's goals with its progress bar and state (`/goals` has the figures)."""
    return [
        t.t(
            ":dart: {title}: {bar} {percent} % verified · {judgement}",
            title=str(goal["title"]),
            bar=bar(Decimal(int(goal["percent"])) / 100),
            percent=t.number(int(goal["percent"])),
            judgement=judgement(t, _state(goal)),
        )
        for goal in digest.extra.get("goals", [])
    ]


def _state(goal: dict[str, Any]) -> str:
    """A post written before goals had a state (still in the outbox) marked only on track or not."""
    if "state" in goal:
        return str(goal["state"])
    return ON_TRACK if goal.get("on_track") else BEHIND


# The digest's sections in the order they are shown.
SECTIONS: tuple[Section, ...] = (
    goals_section,
    ideas_section,
    savings_section,
    campaigns_section,
    points_section,
    contributors_section,
    praise_section,
)


def digest_reply(t: Translator, digest: Digest) -> Reply:
    """The digest as a public post with its chart."""
    title = _title(t, digest)
    lines = tuple(line for section in SECTIONS for line in section(t, digest))
    if not digest.received and not digest.campaigns and not digest.contributors and not digest.praise:
        lines = (*lines, t.t("A quiet month. Share an idea with /idea or thank someone with /kudos."))
    return Reply(":bar_chart: " + title, lines, public=True, image=chart_image(t, digest, title))


def _title(t: Translator, digest: Digest) -> str:
    month = month_title(t, digest.month)
    if digest.unit_name is None:
        return t.t("Progress across the organisation, {month}", month=month)
    return t.t("Progress in {unit}, {month}", unit=digest.unit_name, month=month)


def chart_image(t: Translator, digest: Digest, title: str) -> Image | None:
    """The chart of what was achieved; None when it would have nothing to show."""
    chart = progress_chart(t, digest, title)
    if not chart.panels:
        return None
    scope = "organisation" if digest.unit_id is None else f"unit-{digest.unit_id}"
    return Image(progress_png(chart), title, f"progress-{scope}-{digest.month}-{t.locale}.png")


def progress_chart(t: Translator, digest: Digest, title: str) -> ProgressChart:
    """Each goal against its straight line, verified savings by month, the month's ideas and the points
    earned by month; a panel with nothing in it is left out (a post from before goal lines has none)."""
    goal_panels = [_goal_panel(t, line) for line in digest.extra.get("goal_lines", [])]
    more = int(digest.extra.get("more_goals", 0))
    notes = [t.t("Dotted: the straight line from baseline to target")] if goal_panels else []
    if more:
        notes.append(t.tn("+{count} more goal: /goals", "+{count} more goals: /goals", more))
    return ProgressChart(
        title=title,
        locale=t.locale,
        goals=goal_panels,
        savings=_savings_panel(t, digest.extra.get("savings_by_month", {})),
        ideas=_ideas_panel(t, digest),
        points=_points_panel(t, digest),
        footer=" · ".join(notes),
    )


def _goal_panel(t: Translator, line: dict[str, Any]) -> GoalPanel:
    unit = _unit_text(t, str(line["unit"]))
    target = Decimal(line["target"])
    return GoalPanel(
        title=str(line["title"]),
        unit=unit,
        state=str(line["state"]),
        state_label=t.label("goal_state", str(line["state"])),
        target_label=t.t("Target: {target}", target=f"{t.number(target.normalize())} {unit}"),
        start=date.fromisoformat(line["start"]),
        deadline=date.fromisoformat(line["deadline"]),
        baseline=float(line["baseline"]),
        target=float(target),
        points=[(date.fromisoformat(day), float(value)) for day, value in line["points"]],
    )


def _savings_panel(t: Translator, by_unit: dict[str, list[list[str]]]) -> BarPanel | None:
    if not by_unit:
        return None
    months = [month for month, _ in next(iter(by_unit.values()))]
    return BarPanel(
        title=t.t("Verified savings by month"),
        labels=[_short_month(t, month) for month in months],
        series=[
            (_unit_text(t, unit), [float(amount) for _, amount in amounts]) for unit, amounts in by_unit.items()
        ],
        whole=False,
    )


def _ideas_panel(t: Translator, digest: Digest) -> BarPanel | None:
    counts = [digest.received, digest.accepted, digest.implemented]
    if not any(counts):
        return None
    title = t.t("Ideas this month")
    labels = [t.t("received"), t.t("accepted"), t.t("implemented")]
    return BarPanel(title, labels, [(title, [float(count) for count in counts])], across=True)


def _points_panel(t: Translator, digest: Digest) -> BarPanel | None:
    if not any(points for _, points in digest.points_by_month):
        return None
    title = t.t("Points earned by month")
    labels = [_short_month(t, month) for month, _ in digest.points_by_month]
    return BarPanel(title, labels, [(title, [float(points) for _, points in digest.points_by_month])])


def _unit_text(t: Translator, unit: str) -> str:
    """`kWh a year` for a yearly rate, else the unit as it is."""
    if is_canonical(unit) and unit.endswith(PER_YEAR):
        return t.t("{unit} a year", unit=unit.removesuffix(PER_YEAR))
    return unit


def digest_notice(t: Translator, data: dict[str, Any]) -> Reply:
    """A scheduled or on-demand progress post, drawn when it is sent, in the channel's language."""
    return digest_reply(t, Digest.from_dict(data))


def celebration_notice(t: Translator, data: dict[str, Any]) -> Reply:
    """A goal reached: posted at once."""
    lines = [t.t("Target: {target}", target=target)] if (target := _celebrated_target(t, data)) else []
    if data.get("idea") and data.get("reached_by"):
        lines.append(
            t.t(
                "Reached by the verified saving of idea #{id}, recorded by {name}.",
                id=int(data["idea"]),
                name=str(data["reached_by"]),
            )
        )
    elif data.get("reached_by"):
        lines.append(t.t("Measured by {name}.", name=str(data["reached_by"])))
    return Reply(t.t(":tada: Goal reached: {goal}!", goal=str(data["goal"])), tuple(lines), public=True)


def _celebrated_target(t: Translator, data: dict[str, Any]) -> str | None:
    """The target in the channel's way of writing numbers (posts queued before kept it as one string)."""
    if "target_amount" in data:
        return quantity_text(t, Decimal(str(data["target_amount"])), str(data["target_unit"]))
    return str(data["target"]) if data.get("target") else None


RENDERERS = {digest_posts.NOTICE: digest_notice, goals.CELEBRATION: celebration_notice}
