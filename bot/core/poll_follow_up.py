"""Who has not voted in a poll yet, and one reminder to them: names only for a public poll.

The audience is the members of the units whose channels the poll was posted in (and the units below
them), or everyone when it went to no unit's channel. For an anonymous poll the core never asks
whether one person voted: what is missing is the audience's size less the voters, and no reminder
can go, since nobody can be told apart from those who voted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, tuple_

from bot.core import follow_ups, poll_ballots, polls
from bot.core.errors import DomainError
from bot.core.models import Person, Poll, PollTarget, PollVote, UnitChannel
from bot.core.outbox import notify_people
from bot.core.uow import Tx

SUBJECT = "poll"
REMINDER_NOTICE = "poll_reminder"


@dataclass(frozen=True)
class Missing:
    poll: Poll
    audience: int
    count: int
    people: list[Person]  # empty for an anonymous poll
    reminded_at: datetime | None


@dataclass(frozen=True)
class Reminded:
    poll: Poll
    sent: int  # reminders queued (people without an account are skipped)
    earlier: datetime | None  # when the one reminder went before; then nothing was sent now


def missing(tx: Tx, person: Person, poll_id: int) -> Missing:
    """Who in the poll's audience has not voted (the asker and admins only)."""
    poll = _followed_by(tx, person, poll_id)
    audience = audience_of(tx, poll)
    reminded = follow_ups.sent_at(tx, SUBJECT, poll.id)
    if poll.anonymous:
        _, voters = poll_ballots.counts(tx, poll)
        return Missing(poll, len(audience), max(len(audience) - voters, 0), [], reminded)
    voted = set(tx.session.scalars(select(PollVote.person_id).where(PollVote.poll_id == poll.id)))
    not_yet = [member for member in audience if member.id not in voted]
    return Missing(poll, len(audience), len(not_yet), not_yet, reminded)


def remind(tx: Tx, person: Person, poll_id: int) -> Reminded:
    """One DM with the poll's card to each who has not voted, once per poll."""
    poll = _followed_by(tx, person, poll_id)
    if poll.anonymous:
        raise DomainError(
            "Poll #{id} is anonymous: nobody can tell who has not voted, so no reminder can go to them. "
            "Remind everyone in its channel instead.",
            id=poll.id,
        )
    if poll.state != "open":
        raise DomainError("Poll #{id} is closed; votes can no longer be cast or changed.", id=poll.id)
    earlier = follow_ups.claim(tx, SUBJECT, poll.id)
    if earlier is not None:
        return Reminded(poll, 0, earlier)
    not_yet = missing(tx, person, poll_id).people
    if not not_yet:  # refused, so the one reminder is kept for whoever joins the audience later
        raise DomainError("Everyone poll #{id} is for has voted; there is nobody to remind.", id=poll.id)
    card = polls.view(tx, poll, with_counts=False)
    return Reminded(poll, notify_people(tx, not_yet, REMINDER_NOTICE, card), None)


def _followed_by(tx: Tx, person: Person, poll_id: int) -> Poll:
    poll = polls.get(tx, poll_id)
    if poll.created_by_id != person.id and person.role != "admin":
        raise DomainError("Only whoever asked poll #{id}, or an admin, can follow it up.", id=poll_id)
    return poll


def audience_of(tx: Tx, poll: Poll) -> list[Person]:
    """The members of the units whose channels the poll went to, or everyone."""
    posted = select(PollTarget.platform, PollTarget.conversation_id).where(PollTarget.poll_id == poll.id)
    channel = tuple_(UnitChannel.platform, UnitChannel.conversation_id)
    units = set(tx.session.scalars(select(UnitChannel.unit_id).where(channel.in_(posted))))
    return follow_ups.members_of(tx, units or None)
