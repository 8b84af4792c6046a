"""The board as the page shows it: every text translated and formatted in the link's language."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import emoji
from babel.dates import format_datetime

from bot.core.board import Board, BoardCampaign, BoardColumn, BoardIdea, BoardPraise
from bot.core.goals import Standing
from bot.i18n import Translator
from campaigns.competitions import percent_text, place_line
from handlers.campaign_views import period_text
from handlers.goal_views import figure
from handlers.idea_views import STATUS_EMOJI
from handlers.phrases import preview, quantity_text, votes_text

IDEA_PREVIEW = 110
PRAISE_PREVIEW = 120  # characters: three lines or so of the side on a wall screen, four on a tablet
PLACES_SHOWN = 3


@dataclass(frozen=True)
class IdeaView:
    id: int
    text: str
    votes: str
    author: str
    savings: list[str]


@dataclass(frozen=True)
class ColumnView:
    status: str
    title: str
    count: str
    ideas: list[IdeaView]
    more: str | None


@dataclass(frozen=True)
class GoalView:
    title: str
    unit: str | None  # a unit below the board's own: named beside the figures, to keep the title short
    percent: int
    percent_text: str
    figures: str
    state: str  # reached | on-track | behind: the page's class for it
    judgement: str


@dataclass(frozen=True)
class CampaignView:
    name: str
    period: str
    logged: str
    participation: int
    participation_text: str


@dataclass(frozen=True)
class CompetitionView:
    name: str
    places: list[str]


@dataclass(frozen=True)
class PraiseView:
    giver: str
    to: str
    message: str
    when: str


@dataclass(frozen=True)
class BoardView:
    """Everything the template places; it formats nothing itself."""

    locale: str
    title: str
    scope: str
    last_change: str
    headings: dict[str, str]
    columns: list[ColumnView]
    goals: list[GoalView]
    goals_more: str | None
    goals_beyond: int  # goals not sent at all (the page may hide more of those sent, if they do not fit)
    goals_more_texts: list[str]  # "+ N more" for N = 1, 2, … every goal: for the page's script
    campaigns: list[CampaignView]
    competitions: list[CompetitionView]
    praise: list[PraiseView]
    savings: str | None
    empty: dict[str, str]


def board_view(t: Translator, board: Board, zone: ZoneInfo) -> BoardView:
    scope = board.unit.name if board.unit is not None else t.t("The whole organisation")
    return BoardView(
        locale=t.locale,
        title=t.t("Sustainability board"),
        scope=scope,
        last_change=_last_change(t, board.last_change, zone),
        headings={
            "goals": t.t("Our goals"),
            "campaigns": t.t("Campaigns now"),
            "competitions": t.t("Competitions"),
            "praise": t.t("Praise"),
        },
        columns=[_column(t, column) for column in board.columns],
        goals=[_goal(t, standing) for standing in board.goals],
        goals_more=_more(t, board.goals_total - len(board.goals)),
        goals_beyond=board.goals_total - len(board.goals),
        goals_more_texts=[t.tn("+ {count} more", "+ {count} more", n) for n in range(1, board.goals_total + 1)],
        campaigns=[_campaign(t, shown) for shown in board.campaigns],
        competitions=[_competition(t, found.to_payload(final=False)) for found in board.competitions],
        praise=[_praise(t, given, zone) for given in board.praise],
        savings=_savings(t, board.verified_savings),
        empty={
            "ideas": t.t("No ideas here yet."),
            "goals": t.t("No goals set yet: /goal new"),
            "campaigns": t.t("No campaign is running."),
            "praise": t.t("No praise yet."),
        },
    )


def _column(t: Translator, column: BoardColumn) -> ColumnView:
    return ColumnView(
        status=column.status,
        title=emoji.emojize(STATUS_EMOJI[column.status], language="alias")
        + " "
        + t.label("status", column.status).capitalize(),
        count=t.number(column.total),
        ideas=[_idea(t, idea) for idea in column.ideas],
        more=_more(t, column.total - len(column.ideas)),
    )


def _idea(t: Translator, idea: BoardIdea) -> IdeaView:
    return IdeaView(
        id=idea.id,
        text=preview(idea.text, IDEA_PREVIEW),
        votes=votes_text(t, idea.votes),
        author=t.shown_names(idea.author),
        savings=[
            t.t(
                "{kind}: {quantity}",
                kind=t.label("saving_kind", kind).capitalize(),
                quantity=quantity_text(t, amount, unit),
            )
            for amount, unit, kind in idea.savings
        ],
    )


def _goal(t: Translator, standing: Standing) -> GoalView:
    goal = standing.goal
    shown = max(0, min(100, standing.progress_pct))
    return GoalView(
        title=goal.title,
        unit=standing.unit,
        percent=shown,
        percent_text=percent_text(t, standing.progress_pct),
        figures=t.t(
            "{now} now · target {target} by {deadline}",
            now=figure(t, standing.verified, goal),
            target=figure(t, goal.target, goal),
            deadline=t.date(goal.deadline),
        ),
        state=standing.state.replace("_", "-"),
        judgement=t.label("goal_state", standing.state),
    )


def _campaign(t: Translator, shown: BoardCampaign) -> CampaignView:
    campaign = shown.campaign
    share = 0 if shown.members == 0 else round(100 * shown.participants / shown.members)
    return CampaignView(
        name=campaign.name,
        period=period_text(t, shown.first_day.isoformat(), shown.last_day.isoformat()),
        logged=t.tn(
            "{count} action logged by {people}",
            "{count} actions logged by {people}",
            shown.logged,
            people=t.tn("{count} person", "{count} people", shown.participants),
        ),
        participation=min(100, share),
        participation_text=t.t("{percent} taking part", percent=percent_text(t, share)),
    )


def _competition(t: Translator, data: dict[str, object]) -> CompetitionView:
    places = data["places"]
    assert isinstance(places, list)
    mode = str(data["mode"])
    return CompetitionView(
        name=str(data["name"]),
        places=[t.shown_names(place_line(t, mode, place)) for place in places[:PLACES_SHOWN]]
        or [t.t("No points yet.")],
    )


def _praise(t: Translator, given: BoardPraise, zone: ZoneInfo) -> PraiseView:
    return PraiseView(
        giver=t.shown_names(given.giver),
        to=t.shown_names(given.to),
        message=shortened(emoji.emojize(given.message, language="alias"), PRAISE_PREVIEW),
        when=t.date(given.at.astimezone(zone).date()),
    )


def shortened(text: str, length: int) -> str:
    """`text` on one line, cut at a word with an ellipsis when longer than `length` characters (within a
    word only when its first word is longer)."""
    short = textwrap.shorten(text, length, placeholder="…")
    if short == "…":
        return " ".join(text.split())[: length - 1] + "…"
    return short[:-1].rstrip(",;:-–— ") + "…" if short.endswith("…") else short  # "then,…" reads badly


def _savings(t: Translator, totals: dict[str, Decimal]) -> str | None:
    if not totals:
        return None
    amounts = ", ".join(quantity_text(t, amount, unit) for unit, amount in totals.items())
    return t.t("Verified savings of implemented ideas: {amounts}", amounts=amounts)


def _last_change(t: Translator, moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return t.t("Nothing has happened here yet.")
    when = format_datetime(moment.astimezone(zone), format="short", locale=t.locale)
    return t.t("Last change: {when}", when=when)


def _more(t: Translator, hidden: int) -> str | None:
    return t.tn("+ {count} more", "+ {count} more", hidden) if hidden > 0 else None
