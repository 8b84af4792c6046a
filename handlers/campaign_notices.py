"""How a campaign's posts read in a channel: the kick-off with a button per action, reminders, results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.lists import format_list
from babel.numbers import format_percent

from bot.i18n import Translator
from bot.messages import Reply
from bot.registry import NoticeRenderer
from campaigns.campaign_posts import KICK_OFF, REMINDER, RESULTS
from handlers.campaign_views import action_line, action_name, did_buttons, period_text
from handlers.phrases import points_text, quantity_text


def in_reader(t: Translator, data: dict[str, Any], field: str) -> str:
    """The campaign's name or description in the channel's language when the post carries it in every
    language (a template's), else as it was written."""
    texts: dict[str, str] = data.get(f"{field}s") or {}
    return texts.get(t.locale) or str(data[field])


def kick_off(t: Translator, data: dict[str, Any]) -> Reply:
    lines = [
        in_reader(t, data, "description"),
        t.t("When: {period}", period=period_text(t, data["first_day"], data["last_day"])),
        *(action_line(t, action) for action in data["actions"]),
        t.t("Press a button below or type /did <action> each time you do one."),
    ]
    return Reply(
        t.t(
            ":rocket: {name} starts now! (campaign #{id})",
            name=in_reader(t, data, "name"),
            id=data["campaign_id"],
        ),
        tuple(lines),
        did_buttons(t, data["campaign_id"], data["actions"]),
        public=True,
    )


def reminder(t: Translator, data: dict[str, Any]) -> Reply:
    people = people_text(t, data["people"])
    so_far = t.tn(
        "{count} action logged so far, by {people}.",
        "{count} actions logged so far, by {people}.",
        data["logged"],
        people=people,
    )
    return Reply(
        t.t(
            ":bell: {name} is on until {last_day}. Did you take part today?",
            name=in_reader(t, data, "name"),
            last_day=period_text(t, data["last_day"], data["last_day"]),
        ),
        (so_far,),
        did_buttons(t, data["campaign_id"], data["actions"]),
        public=True,
    )


def results(t: Translator, data: dict[str, Any]) -> Reply:
    lines = [_total_line(t, total) for total in data["totals"]]
    if data["impact"]:
        impact = [quantity_text(t, Decimal(amount), unit) for amount, unit in data["impact"]]
        lines.append(t.t("Impact together: {impact}", impact=format_list(impact, locale=t.locale)))
    members = people_text(t, data["members"])
    share = data["participants"] / data["members"] if data["members"] else 0
    lines.append(
        t.t(
            "Participation: {share} ({people} of {members})",
            share=format_percent(share, locale=t.locale),
            people=data["participants"],
            members=members,
        )
    )
    lines.extend(_places(t, data["top"]))
    return Reply(
        t.t(":trophy: {name} is over. Thank you all! The results:", name=in_reader(t, data, "name")),
        tuple(lines),
        public=True,
    )


def _total_line(t: Translator, total: dict[str, Any]) -> str:
    name = action_name(total["names"], t.locale)
    points = points_text(t, total["total_points"])
    return t.tn(
        "{name}: {count} time, {points}",
        "{name}: {count} times, {points}",
        total["count"],
        name=name,
        points=points,
    )


def people_text(t: Translator, count: int) -> str:
    return t.tn("{count} person", "{count} people", count)


def _places(t: Translator, top: list[list[Any]]) -> list[str]:
    """One line per place; people who tie share it."""
    by_rank: dict[int, list[list[Any]]] = {}
    for placing in top:
        by_rank.setdefault(placing[0], []).append(placing)
    return [
        t.t(
            "{rank}. {names} ({points})",
            rank=rank,
            names=format_list([name for _, name, _ in group], locale=t.locale),
            points=points_text(t, group[0][2]),
        )
        for rank, group in sorted(by_rank.items())
    ]


RENDERERS: dict[str, NoticeRenderer] = {KICK_OFF: kick_off, REMINDER: reminder, RESULTS: results}
