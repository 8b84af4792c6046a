"""How a poll reads: its card with a button per option, and its results as a text bar chart."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.lists import format_list
from babel.numbers import format_percent

from bot.i18n import Translator
from bot.messages import Button, Reply
from handlers.phrases import points_text, preview

BAR_WIDTH = 10
FULL, EMPTY = "█", "░"
BUTTON_LABEL_LENGTH = 75  # Slack's limit for a button's text
VOTE_ACTION = "poll.vote"
RESULTS_ACTION = "poll.results"
SHOW_ACTION = "poll.show"


def card(
    t: Translator, poll: dict[str, Any], headline: str | None = None, chosen: list[int] | None = None
) -> Reply:
    """The poll to vote on: its options (with the bar chart when `poll` carries counts), what it promises."""
    title = t.t(":bar_chart: Poll #{id}: {question}", id=poll["id"], question=poll["question"])
    lines = chart(t, poll) if poll["counts"] is not None else _numbered(poll)
    lines += promises(t, poll)
    lines.append(t.tn("{count} person has voted.", "{count} people have voted.", poll["voters"]))
    if chosen is not None:
        lines.append(_your_choice(t, poll, chosen))
    buttons: list[Button] = []
    if not poll["closed"]:
        buttons = [
            Button(preview(label, BUTTON_LABEL_LENGTH), f"{VOTE_ACTION}:{poll['id']}:{at}")
            for at, label in enumerate(poll["options"], start=1)
        ]
        if not poll["hidden"]:
            buttons.append(Button(t.t("Show results"), f"{RESULTS_ACTION}:{poll['id']}"))
    text = f"{headline}\n{title}" if headline else title
    return Reply(text, tuple(lines), tuple(buttons), public=True)


def _numbered(poll: dict[str, Any]) -> list[str]:
    return [f"{at}. {label}" for at, label in enumerate(poll["options"], start=1)]


def _your_choice(t: Translator, poll: dict[str, Any], chosen: list[int]) -> str:
    if not chosen:
        return t.t("You have chosen nothing in this poll.")
    labels = [poll["options"][at - 1] for at in chosen]
    return t.t("Your choice: {options}", options=format_list(labels, locale=t.locale))


def promises(t: Translator, poll: dict[str, Any]) -> list[str]:
    """What the poll promises, said where it is posted."""
    lines = []
    if poll["anonymous"]:
        lines.append(t.t(":lock: Anonymous: nobody, admins included, can see who voted what."))
    if poll["closed"]:
        return lines
    if poll["multiple"]:
        lines.append(t.t("Choose as many options as you like; press one again to take it back."))
    else:
        lines.append(t.t("One choice per person; press another option to change it."))
    if poll["hidden"]:
        lines.append(t.t(":see_no_evil: Results are hidden until the poll closes."))
    if poll["closes_at"]:
        lines.append(t.t("Closes {when}.", when=when_text(t, poll["closes_at"], poll["tz"])))
    if poll["points"]:
        lines.append(t.t("Taking part earns {points}.", points=points_text(t, poll["points"])))
    return lines


def when_text(t: Translator, moment: str, zone: str) -> str:
    return t.moment(datetime.fromisoformat(moment), ZoneInfo(zone))


def chart(t: Translator, poll: dict[str, Any]) -> list[str]:
    """One bar per option, `█████░░░░░ 48 % (12)`, as a share of the people who voted; leaders marked."""
    counts: list[int] = poll["counts"]
    voters: int = poll["voters"]
    top = max(counts, default=0)
    lines = []
    for at, (label, count) in enumerate(zip(poll["options"], counts, strict=True), start=1):
        share = count / voters if voters else 0.0
        filled = round(share * BAR_WIDTH)
        mark = " :trophy:" if poll["closed"] and top and count == top else ""
        percent = format_percent(share, locale=t.locale)
        bar = FULL * filled + EMPTY * (BAR_WIDTH - filled)
        lines.append(f"{bar} {percent} ({count}) {at}. {label}{mark}")
    return lines


def outcome(t: Translator, poll: dict[str, Any]) -> str:
    """The winner, a tie, or that nobody voted."""
    counts: list[int] = poll["counts"]
    top = max(counts, default=0)
    if not top:
        return t.t("Nobody voted.")
    leaders = [label for label, count in zip(poll["options"], counts, strict=True) if count == top]
    if len(leaders) == 1:
        return t.t(":trophy: Most votes: {option}", option=leaders[0])
    return t.t(":trophy: A tie between {options}", options=format_list(leaders, locale=t.locale))


def results(t: Translator, poll: dict[str, Any]) -> Reply:
    """The closing post: the chart, the winner or the tie, how many took part."""
    headline = t.t(
        ":checkered_flag: Poll #{id} has closed: {question}", id=poll["id"], question=poll["question"]
    )
    lines = [*chart(t, poll), outcome(t, poll)]
    lines.append(t.tn("{count} person voted.", "{count} people voted.", poll["voters"]))
    if poll["anonymous"]:
        lines.append(
            t.t(":lock: Anonymous: the ballots were counted and deleted; nobody can tell who voted what.")
        )
    return Reply(headline, tuple(lines), public=True)
