"""Where a poll's choices are kept: public votes by person, anonymous ballots under a keyed hash.

A public poll keeps (poll, person, option) rows: anyone may know who chose what, and a merge of two
people moves them like any vote. An anonymous poll keeps (poll, voter key, option) rows whose key
is HMAC-SHA256(poll secret, person id): the bot finds a voter's own ballot again to change it, and
the rows carry no person, no account and no time. At close `seal` counts the choices into the
options, deletes every ballot, destroys the secret and deletes the stored button presses that
carried the poll's choices, so that from then on nothing in the database links a person to an
answer (see bot/core/polls.py for what holds while the poll is open). The counts Telegram reports
for an anonymous poll sent as its own poll (bot/core/poll_native.py) are added to the live counts,
and so sealed with them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Collection

from sqlalchemy import Text, cast, delete, func, insert, select, update

from bot.core import poll_native
from bot.core.models import InboxDelivery, Poll, PollBallot, PollOption, PollVote
from bot.core.uow import Tx

VOTE_ACTION = "poll.vote"  # the button's action name: its id is poll.vote:<poll>:<option position>


def voter_key(poll: Poll, person_id: int) -> str:
    assert poll.secret is not None, "an anonymous poll's secret is gone once it is closed"
    return hmac.new(bytes.fromhex(poll.secret), str(person_id).encode(), hashlib.sha256).hexdigest()


def choices(tx: Tx, poll: Poll, person_id: int) -> set[int]:
    """The option ids `person_id` has chosen in an open poll."""
    if poll.anonymous:
        statement = select(PollBallot.option_id).where(
            PollBallot.poll_id == poll.id, PollBallot.voter_key == voter_key(poll, person_id)
        )
    else:
        statement = select(PollVote.option_id).where(
            PollVote.poll_id == poll.id, PollVote.person_id == person_id
        )
    return set(tx.session.scalars(statement))


def replace(tx: Tx, poll: Poll, person_id: int, option_ids: Collection[int]) -> None:
    """Make `option_ids` the person's whole choice (the caller holds the person's lock)."""
    if poll.anonymous:
        key = voter_key(poll, person_id)
        tx.session.execute(delete(PollBallot).where(PollBallot.poll_id == poll.id, PollBallot.voter_key == key))
        rows = [{"poll_id": poll.id, "voter_key": key, "option_id": option} for option in option_ids]
        if rows:
            tx.session.execute(insert(PollBallot), rows)
        return
    tx.session.execute(delete(PollVote).where(PollVote.poll_id == poll.id, PollVote.person_id == person_id))
    if option_ids:
        tx.session.execute(
            insert(PollVote),
            [{"poll_id": poll.id, "person_id": person_id, "option_id": option} for option in option_ids],
        )


def counts(tx: Tx, poll: Poll) -> tuple[dict[int, int], int]:
    """Votes per option id and how many people voted: counted live while open, as sealed once closed."""
    if poll.state == "closed":
        sealed = tx.session.execute(
            select(PollOption.id, PollOption.votes).where(PollOption.poll_id == poll.id)
        )
        return {option: votes or 0 for option, votes in sealed}, poll.voters or 0
    return _live_counts(tx, poll)


def _live_counts(tx: Tx, poll: Poll) -> tuple[dict[int, int], int]:
    model = PollBallot if poll.anonymous else PollVote
    voter = PollBallot.voter_key if poll.anonymous else PollVote.person_id
    per_option = Counter(
        dict(
            tx.session.execute(
                select(model.option_id, func.count()).where(model.poll_id == poll.id).group_by(model.option_id)
            ).all()
        )
    )
    voters = tx.session.scalar(select(func.count(func.distinct(voter))).where(model.poll_id == poll.id)) or 0
    if poll.anonymous:
        native, native_voters = poll_native.counts(tx, poll.id)
        if native:
            ids = tx.session.scalars(
                select(PollOption.id).where(PollOption.poll_id == poll.id).order_by(PollOption.position)
            )
            per_option.update(dict(zip(ids, native, strict=True)))
            voters += native_voters
    return dict(per_option), int(voters)


def seal(tx: Tx, poll: Poll) -> None:
    """Count the choices into the options for good; an anonymous poll's ballots and secret go."""
    per_option, voters = _live_counts(tx, poll)
    for option in tx.session.scalars(select(PollOption).where(PollOption.poll_id == poll.id)):
        option.votes = per_option.get(option.id, 0)
    poll.voters = voters
    if poll.anonymous:
        tx.session.execute(delete(PollBallot).where(PollBallot.poll_id == poll.id))
        poll.secret = None
        _forget_presses(tx, poll.id)
    tx.session.flush()


def _forget_presses(tx: Tx, poll_id: int) -> None:
    """Delete the stored deliveries of this poll's vote buttons: each names the presser and the option."""
    pressed = cast(InboxDelivery.payload, Text).like(f"%{VOTE_ACTION}:{poll_id}:%")
    tx.session.execute(delete(InboxDelivery).where(pressed), execution_options={"synchronize_session": False})


def merge(tx: Tx, survivor_id: int, absorbed_id: int) -> None:
    """Two people became one: the polls either asked are the survivor's; in each open poll both
    voted in, the survivor's choice stands.

    Closed polls keep their sealed counts; a closed public poll's rows follow the survivor, except
    where the survivor voted too.
    """
    for poll in tx.session.scalars(select(Poll).where(Poll.state == "open")):
        absorbed, kept = choices(tx, poll, absorbed_id), choices(tx, poll, survivor_id)
        if absorbed:
            replace(tx, poll, absorbed_id, ())
            replace(tx, poll, survivor_id, kept or absorbed)
    for column in (Poll.created_by_id, Poll.closed_by_id):
        tx.session.execute(
            update(Poll).where(column == absorbed_id).values({column.key: survivor_id}),
            execution_options={"synchronize_session": False},
        )
    survivor_polls = select(PollVote.poll_id).where(PollVote.person_id == survivor_id)
    tx.session.execute(
        delete(PollVote).where(PollVote.person_id == absorbed_id, PollVote.poll_id.in_(survivor_polls)),
        execution_options={"synchronize_session": False},
    )
    tx.session.execute(
        update(PollVote).where(PollVote.person_id == absorbed_id).values(person_id=survivor_id),
        execution_options={"synchronize_session": False},
    )
