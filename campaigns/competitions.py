"""Competitions on the schedule: standings posted as chosen and at the end, and how standings read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.numbers import format_percent

from bot.core import competitions, schedule
from bot.core.competitions import END_KIND, FINAL_NOTICE, STANDINGS_KIND, STANDINGS_NOTICE, Plan
from bot.core.models import Competition, Person
from bot.core.schedule import DueItem
from bot.core.uow import Tx
from bot.i18n import Translator
from bot.messages import Reply
from campaigns.recurrence import Rule, next_after

# When scheduled standings are posted, in the organisation's time zone.
STANDINGS_CRON = {"weekly": "0 9 * * mon", "daily": "0 9 * * *"}
SCORE_STEP = Decimal("0.01")


def start(tx: Tx, person: Person, plan: Plan) -> Competition:
    """Set up a competition with its standings on the schedule and its end, which always fires."""
    competition = competitions.create(tx, person, plan)
    zone = tx.policy.timezone.key
    unit_ids = competitions.unit_ids_of(tx, competition)
    unit_id = unit_ids[0] if unit_ids else None
    cron = STANDINGS_CRON.get(plan.standings)
    if cron is not None:
        rule = Rule.every(cron, zone)
        first = next_after(rule, max(tx.now, competition.starts_at))
        if first is not None and first < competition.ends_at:
            schedule.add(
                tx,
                STANDINGS_KIND,
                rule.to_dict(),
                first,
                ref_id=competition.id,
                owner_id=person.id,
                unit_id=unit_id,
            )
    end_rule = Rule.once(competition.ends_at, zone).to_dict()
    schedule.add(
        tx, END_KIND, end_rule, competition.ends_at, ref_id=competition.id, owner_id=person.id, unit_id=unit_id
    )
    return competition


def fire_standings(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
    for item, fired_for in items:
        if item.ref_id is not None:
            competitions.post_standings(tx, item.ref_id, item.id, fired_for)


def fire_end(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
    for item, _ in items:
        if item.ref_id is not None:
            competitions.finish_due(tx, item.ref_id)


def standings_reply(t: Translator, data: dict[str, Any]) -> Reply:
    """Standings as posted and as `/competition <id>` shows them: places (ties on one line), the units
    below the participation threshold, and the prizes (with their winners once it is over)."""
    if data["final"]:
        headline = t.t(
            ":checkered_flag: {name} (#{id}) is over. Final standings:", name=data["name"], id=data["id"]
        )
    else:
        headline = t.t(":trophy: Standings in {name} (#{id}):", name=data["name"], id=data["id"])
    lines = [place_line(t, data["mode"], place) for place in data["places"]] or [t.t("No points yet.")]
    if data["not_qualifying"]:
        lines.append(
            t.t(
                "Not ranked, fewer than {threshold} of members took part: {units}",
                threshold=percent_text(t, data["threshold"]),
                units=", ".join(
                    f"{entry['name']} ({percent_text(t, int(entry['participation']))})"
                    for entry in data["not_qualifying"]
                ),
            )
        )
    lines.extend(_prize_lines(t, data))
    if data["mode"] == "units":
        lines.append(
            t.t(
                "Points per head; a unit is ranked when at least {threshold} of its members take part.",
                threshold=percent_text(t, data["threshold"]),
            )
        )
    if not data["final"]:
        lines.append(t.t("Last day: {date}.", date=t.date(date.fromisoformat(data["last_day"]))))
    return Reply(headline, tuple(lines), public=True)


def place_line(t: Translator, mode: str, place: dict[str, Any]) -> str:
    names = ", ".join(place["names"])
    if len(place["names"]) > 1:
        names = t.t("{names} (tie)", names=names)
    if mode == "units":
        numerator, denominator = (int(part) for part in place["score"].split("/"))
        score = (Decimal(numerator) / Decimal(denominator)).quantize(SCORE_STEP, rounding=ROUND_HALF_UP)
        # Plural by the number shown: "1 point per head", "1.5 points per head".
        result = t.tn(
            "{score} point per head", "{score} points per head", 1 if score == 1 else 2, score=t.number(score)
        )
    else:
        result = t.tn("{count} point", "{count} points", place["points"])
    return f"{place['rank']}. {names} — {result}"


def _prize_lines(t: Translator, data: dict[str, Any]) -> list[str]:
    lines = []
    for place, prize in data["prizes"].items():
        if not data["final"]:
            lines.append(t.t(":gift: Place {place} wins {prize}", place=int(place), prize=prize))
            continue
        holders = [name for entry in data["places"] if entry["rank"] == int(place) for name in entry["names"]]
        if holders:
            lines.append(t.t(":gift: {prize} goes to {names}", prize=prize, names=", ".join(holders)))
        else:
            lines.append(
                t.t(
                    ":gift: Nobody came in place {place}, so {prize} is not won.", place=int(place), prize=prize
                )
            )
    return lines


def percent_text(t: Translator, whole: int) -> str:
    """A whole percentage as the reader's language writes it (`50%`, `50 %`)."""
    return str(format_percent(Decimal(whole) / 100, locale=t.locale))


RENDERERS: dict[str, Callable[[Translator, dict[str, Any]], Reply]] = {
    STANDINGS_NOTICE: standings_reply,
    FINAL_NOTICE: standings_reply,
}
