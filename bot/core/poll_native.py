"""Telegram's own polls: when a poll may be one, where its copies went, and their anonymous counts.

The rule (`can_be_native`), and why. A Telegram poll shows its results to a voter right after they
vote, takes 2-10 options of at most 100 characters and a question of at most 300, and allows
several answers and taking a vote back. Who voted is told to the bot only for a public poll (a
`poll_answer` update names the user); for an anonymous one Telegram reports counts alone (`poll`
updates). So a poll is sent as a Telegram poll when it can keep every promise it makes there:

    native  ⇔  results are not hidden  AND  (it is public  OR  it pays no points for taking part)

and within Telegram's limits. Hidden results: Telegram would show them at once. A public poll's
answers become votes by the person of that Telegram account, through the same core vote as a
button: one vote per person across platforms, changeable until close, points paid once. An
anonymous poll keeps its anonymity in Telegram (it never tells us who), and Telegram keeps one vote
per Telegram account; its counts are added to the combined result. Since we never learn who voted
there, it cannot pay points, nor tell a Telegram voter from the same person voting on Slack: an
anonymous poll with points stays a card with buttons (our keyed ballots, one per person). Every
other poll on Telegram is the card with an inline keyboard, as on the other platforms.

Closing: the combined result uses the last counts Telegram reported before the close (they arrive
as updates and are stored here), and a stop notice has the adapter call stopPoll on each copy only
to freeze it in the chat. The close is then one transaction however Telegram answers, and a stopPoll
that fails or comes late changes no result; a vote cast in Telegram between our close and its
stopPoll is not counted (our results say so by their time).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bot.core.models import Poll, PollNativeCopy, PollOption
from bot.core.uow import Tx

PLATFORM = "telegram"
CARD_NOTICE = "poll_card"  # a poll posted to a conversation (bot/core/polls.py)
STOP_NOTICE = "poll_stop"
NATIVE_KEY = "native"  # in a poll card's payload: True when Telegram may show it as its own poll
MAX_OPTIONS = 10
MAX_OPTION_LENGTH = 100
MAX_QUESTION_LENGTH = 300


def can_be_native(*, question: str, options: Sequence[str], anonymous: bool, hidden: bool, points: int) -> bool:
    """Whether a Telegram poll keeps every promise of this poll (see the module's docstring)."""
    within_limits = (
        0 < len(question) <= MAX_QUESTION_LENGTH
        and 2 <= len(options) <= MAX_OPTIONS
        and all(0 < len(option) <= MAX_OPTION_LENGTH for option in options)
    )
    return within_limits and not hidden and (not anonymous or points == 0)


def is_native(card: Mapping[str, Any]) -> bool:
    """Whether a poll card (bot/core/polls.py `view`) can go out as a Telegram poll."""
    return can_be_native(
        question=card["question"],
        options=card["options"],
        anonymous=card["anonymous"],
        hidden=card["hidden"],
        points=card["points"],
    )


@dataclass(frozen=True)
class NativePoll:
    """What sendPoll needs, read from a poll card queued in the outbox."""

    poll_id: int
    question: str
    options: tuple[str, ...]
    anonymous: bool
    multiple: bool

    @staticmethod
    def from_card(card: Mapping[str, Any]) -> NativePoll | None:
        if not card.get(NATIVE_KEY) or card.get("closed"):
            return None
        return NativePoll(
            int(card["id"]),
            str(card["question"]),
            tuple(str(option) for option in card["options"]),
            bool(card["anonymous"]),
            bool(card["multiple"]),
        )


def native_poll(kind: str, payload: Mapping[str, Any]) -> NativePoll | None:
    """The Telegram poll to send instead of this outbox notice, if it is a card that may be one."""
    return NativePoll.from_card(payload) if kind == CARD_NOTICE else None


def native_stop(kind: str, payload: Mapping[str, Any]) -> NativeStop | None:
    """The Telegram poll this outbox notice stops, if it is a stop notice."""
    return NativeStop.from_notice(payload) if kind == STOP_NOTICE else None


@dataclass(frozen=True)
class NativeStop:
    """Which Telegram poll to stop, read from a stop notice."""

    poll_id: int
    message_id: int

    @staticmethod
    def from_notice(notice: Mapping[str, Any]) -> NativeStop:
        return NativeStop(int(notice["id"]), int(notice["message_id"]))


@dataclass(frozen=True)
class SentCopy:
    """A Telegram poll as sent: our poll, the chat, its message and Telegram's id for the poll."""

    poll_id: int
    chat_id: str
    message_id: int
    native_id: str


def record_copy(tx: Tx, sent: SentCopy) -> None:
    """Remember where a poll went as a Telegram poll (once: a repeated record changes nothing)."""
    known = tx.session.scalar(select(PollNativeCopy.id).where(PollNativeCopy.native_id == sent.native_id))
    if known is None:
        tx.session.add(
            PollNativeCopy(
                poll_id=sent.poll_id, chat_id=sent.chat_id, message_id=sent.message_id, native_id=sent.native_id
            )
        )
        tx.session.flush()


def poll_of(tx: Tx, native_id: str) -> int | None:
    """Our poll behind a Telegram poll id, or None for a poll this bot did not send."""
    return tx.session.scalar(select(PollNativeCopy.poll_id).where(PollNativeCopy.native_id == native_id))


def copies(tx: Tx, poll_id: int) -> list[tuple[str, int]]:
    """(chat, message) of each Telegram copy of the poll, in the order they were sent."""
    rows = tx.session.execute(
        select(PollNativeCopy.chat_id, PollNativeCopy.message_id)
        .where(PollNativeCopy.poll_id == poll_id)
        .order_by(PollNativeCopy.id)
    )
    return [(chat, message) for chat, message in rows]


def record_counts(tx: Tx, native_id: str, counts: Sequence[int], voters: int, update: int) -> bool:
    """Keep the counts Telegram reports for an anonymous copy while the poll is open; whether kept.

    The poll row is held FOR SHARE, as a vote holds it: a close waits for these counts and seals
    them, or comes first and they are ignored. A public copy's counts are ignored (its answers come
    one by one, as votes); so is an update older than the one counted already, so that a repeated
    or late update never turns the count back.
    """
    copy = tx.session.scalar(
        select(PollNativeCopy).where(PollNativeCopy.native_id == native_id).with_for_update()
    )
    if copy is None:
        return False
    poll = tx.session.scalar(
        select(Poll)
        .where(Poll.id == copy.poll_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    )
    options = tx.session.scalar(select(func.count()).where(PollOption.poll_id == copy.poll_id))
    if poll is None or not poll.anonymous or poll.state != "open" or len(counts) != options:
        return False
    if min(counts, default=0) < 0 or (copy.counted_update is not None and copy.counted_update >= update):
        return False
    copy.counts, copy.voters, copy.counted_update = list(counts), max(0, voters), update
    tx.session.flush()
    return True


def counts(tx: Tx, poll_id: int) -> tuple[list[int], int]:
    """Telegram's counts of the anonymous copies, added up per option position (from 1), and voters."""
    total: list[int] = []
    voters = 0
    for copy_counts, copy_voters in tx.session.execute(
        select(PollNativeCopy.counts, PollNativeCopy.voters).where(
            PollNativeCopy.poll_id == poll_id, PollNativeCopy.counts.is_not(None)
        )
    ):
        reported: list[int] = copy_counts or []
        total = [a + b for a, b in zip(total or [0] * len(reported), reported, strict=True)]
        voters += copy_voters or 0
    return total, voters
