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
from bot.i18n import Translator
from bot.messages import Image, Reply
from campaigns.charts import ProgressChart, progress_png
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


def chart_image(t: Translator, digest: Digest, title: str) -> Image:
    chart = ProgressChart(
        title=title,
        ideas_title=t.t("Ideas this month"),
        ideas=[
            (t.t("received"), digest.received),
            (t.t("accepted"), digest.accepted),
            (t.t("implemented"), digest.implemented),
        ],
        points_title=t.t("Points earned by month"),
        points=[(_short_month(t, month), points) for month, points in digest.points_by_month],
    )
    scope = "organisation" if digest.unit_id is None else f"unit-{digest.unit_id}"
    return Image(progress_png(chart), title, f"progress-{scope}-{digest.month}-{t.locale}.png")


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
