"""Polls: asked by reviewers, voted on once per person across platforms, closed once by hand or by the schedule.

A poll goes to the conversation it was asked in and to the channels of the units named, as a card
whose buttons vote (`poll.vote:<poll>:<option>`). The voter is the Person, so a Slack and a
Telegram account joined with /link vote as one; a second vote replaces the first (several choices
toggle one by one), until the poll closes. Taking part may pay points, once per person and poll,
in the ledger under `poll_participation` / `poll:<id>`: the reference names the poll, never the choice.

Anonymous polls, exactly what is promised:
- Ballots carry HMAC-SHA256(poll secret, person id), the option and nothing else: no person, no
  account, no time, no insertion order (SQLite keeps them without a rowid). Nothing is logged about
  a vote. The secret is random per poll and lives in the poll's row while it is open, so that any
  replica, and a restart, can find a voter's ballot to change it.
- At close every ballot is counted into its option and deleted, the secret is set to NULL and the
  stored deliveries of the poll's vote buttons (which name the presser and the option) are deleted.
  From then on no row of any table and no log line links a person to an answer; what remains is
  the counts and, in the ledger, who took part (not what they chose).
- While the poll is open, someone who can read the database itself (not the bot: an operator with
  SQL access) could recompute the HMAC for each person id with the stored secret, or match a
  PostgreSQL row's transaction id against the ledger's, and so see open ballots. Keeping the secret
  in process memory only would close that gap but break changing votes after a restart and across
  replicas; we chose restart-safe polls and say so. Deleted rows may also linger in the database's
  files until PostgreSQL vacuums them (SQLite: until pages are reused), which no query reads.

Results stay hidden until close when the poll says so: nobody, its creator included, can ask for
counts before. Closing is a conditional UPDATE (open → closed), so a close by hand and the
schedule's close, or two of either, post the results once. A vote holds the poll row FOR SHARE
while it writes, so a close waits for votes in flight and no ballot is written after the count.

On Telegram a poll may go out as Telegram's own poll instead of a card: bot/core/poll_native.py
says when, and why. Its answers come in as whole choices (`answer_native`); an anonymous one's
counts are added to the result.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from bot.core import poll_ballots, poll_native, schedule
from bot.core.authority import require_covered
from bot.core.caps import hold_person
from bot.core.errors import DomainError
from bot.core.models import Person, Poll, PollOption, PollTarget, Unit, table_of
from bot.core.outbox import post_in
from bot.core.people import is_reviewer
from bot.core.points import award
from bot.core.schedule import DueItem
from bot.core.text import printable
from bot.core.units import channels_for
from bot.core.uow import Tx

CLOSE_KIND = "poll_close"
CARD_NOTICE = poll_native.CARD_NOTICE
RESULTS_NOTICE = "poll_results"
POINTS_REASON = "poll_participation"
MIN_OPTIONS = 2
MAX_OPTIONS = 10  # as many as a Telegram poll takes, and a card's buttons stay readable
MAX_QUESTION_LENGTH = 300
MAX_OPTION_LENGTH = 100
MAX_POINTS = 100
OPEN_LIST_LIMIT = 20
_POLLS = table_of(Poll)


@dataclass(frozen=True)
class PollSpec:
    """What a new poll asks and promises; `close_rule` is the schedule's rule for `closes_at`."""

    question: str
    options: Sequence[str]
    anonymous: bool = False
    multiple: bool = False
    hidden: bool = False
    points: int = 0
    closes_at: datetime | None = None
    close_rule: dict[str, Any] | None = None


@dataclass(frozen=True)
class VoteResult:
    poll: Poll
    chosen: list[int]  # the positions the voter has chosen now
    paid: int  # points paid by this vote (0 when they took part before)


def create(tx: Tx, person: Person, spec: PollSpec, here: tuple[str, str], units: Sequence[Unit] = ()) -> Poll:
    """Ask a question: posted here (the command's answer) and in each named unit's channels (outbox)."""
    require_asker(person)
    question = _clean(spec.question)
    if not question:
        raise DomainError(
            'Write the question in quotes, then each option in quotes: /poll "Lunch?" "Soup" "Salad"'
        )
    if len(question) > MAX_QUESTION_LENGTH:
        raise DomainError("A question can be at most {limit} characters.", limit=MAX_QUESTION_LENGTH)
    options = [_clean(option) for option in spec.options]
    _check_options(options)
    if not 0 <= spec.points <= MAX_POINTS:
        raise DomainError("Points for taking part can be 0 to {limit}.", limit=MAX_POINTS)
    if spec.closes_at is not None and spec.closes_at <= tx.now:
        raise DomainError("That closing time has passed. Pick a time ahead.")
    targets = [here, *_unit_channels(tx, person, units)]
    poll = Poll(
        question=question,
        created_by_id=person.id,
        anonymous=spec.anonymous,
        multiple=spec.multiple,
        hidden=spec.hidden,
        points=spec.points,
        state="open",
        secret=secrets.token_hex(32) if spec.anonymous else None,
        closes_at=spec.closes_at,
        created_at=tx.now,
    )
    tx.session.add(poll)
    tx.session.flush()
    tx.session.add_all(
        PollOption(poll_id=poll.id, position=at, label=label) for at, label in enumerate(options, start=1)
    )
    tx.session.add_all(
        PollTarget(poll_id=poll.id, platform=platform, conversation_id=conversation)
        for platform, conversation in dict.fromkeys(targets)
    )
    tx.session.flush()
    if spec.closes_at is not None and spec.close_rule is not None:
        schedule.add(
            tx,
            CLOSE_KIND,
            spec.close_rule,
            spec.closes_at,
            ref_id=poll.id,
            owner_id=person.id,
            unit_id=person.unit_id,
        )
    card = view(tx, poll, with_counts=False)
    elsewhere = [target for target in dict.fromkeys(targets) if target != here or native_here(card, here)]
    post_in(tx, elsewhere, CARD_NOTICE, card)
    return poll


def native_here(card: dict[str, Any], here: tuple[str, str]) -> bool:
    """Whether the poll goes out as Telegram's own poll where it was asked (then the outbox posts it,
    and the command's answer only says so)."""
    return here[0] == poll_native.PLATFORM and bool(card[poll_native.NATIVE_KEY])


def require_asker(person: Person) -> None:
    """Managers, representatives and admins ask polls; members do not, so that chat is not flooded."""
    if not is_reviewer(person):
        raise DomainError("Polls are for managers, representatives and admins; ask one of them to run it.")


def _clean(text: str) -> str:
    return " ".join(printable(text).split())


def _check_options(options: list[str]) -> None:
    if len(options) < MIN_OPTIONS:
        raise DomainError("A poll needs at least two options, each in quotes.")
    if len(options) > MAX_OPTIONS:
        raise DomainError("A poll can have at most {limit} options.", limit=MAX_OPTIONS)
    for option in options:
        if len(option) > MAX_OPTION_LENGTH:
            raise DomainError("An option can be at most {limit} characters.", limit=MAX_OPTION_LENGTH)
    seen: set[str] = set()
    for option in options:
        if option.casefold() in seen:
            raise DomainError("The option “{option}” is there twice; each option once, please.", option=option)
        seen.add(option.casefold())


def _unit_channels(tx: Tx, person: Person, units: Sequence[Unit]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for unit in units:
        require_covered(
            tx,
            person,
            unit.id,
            lambda name: DomainError("{unit} is outside the units you look after.", unit=name),
        )
        channels = channels_for(tx, unit.id)
        if not channels:
            raise DomainError(
                "{unit} has no channel to post in yet; an admin ties one with /unit channel.", unit=unit.name
            )
        found.extend(channels)
    return found


def get(tx: Tx, poll_id: int) -> Poll:
    poll = tx.session.get(Poll, poll_id)
    if poll is None:
        raise DomainError("There is no poll #{id}.", id=poll_id)
    return poll


def vote(tx: Tx, person: Person, poll_id: int, position: int) -> VoteResult:
    """Choose an option: it replaces one's choice, or with several allowed, adds or takes back that one."""
    poll = _held_for_voting(tx, poll_id)
    if poll.state != "open":
        raise DomainError("Poll #{id} is closed; votes can no longer be cast or changed.", id=poll_id)
    options = _options(tx, poll)
    chosen_option = next((option for option in options if option.position == position), None)
    if chosen_option is None:
        raise DomainError("Poll #{id} has no option {number}.", id=poll_id, number=position)
    hold_person(tx, person)  # one person voting from two accounts at once: one after the other
    chosen = poll_ballots.choices(tx, poll, person.id)
    if not poll.multiple:
        chosen = {chosen_option.id}
    elif chosen_option.id in chosen:
        chosen.discard(chosen_option.id)
    else:
        chosen.add(chosen_option.id)
    poll_ballots.replace(tx, poll, person.id, sorted(chosen))
    paid = (
        poll.points if poll.points and award(tx, person, POINTS_REASON, f"poll:{poll.id}", poll.points) else 0
    )
    return VoteResult(poll, [option.position for option in options if option.id in chosen], paid)


def choose(tx: Tx, person: Person, poll_id: int, positions: Sequence[int]) -> VoteResult:
    """Make `positions` the person's whole choice (as a Telegram poll answers); none takes the vote back."""
    poll = _held_for_voting(tx, poll_id)
    if poll.state != "open":
        raise DomainError("Poll #{id} is closed; votes can no longer be cast or changed.", id=poll_id)
    options = {option.position: option for option in _options(tx, poll)}
    for position in positions:
        if position not in options:
            raise DomainError("Poll #{id} has no option {number}.", id=poll_id, number=position)
    if len(set(positions)) > 1 and not poll.multiple:
        raise DomainError("One choice per person; press another option to change it.")
    hold_person(tx, person)
    chosen = sorted(options[position].id for position in set(positions))
    poll_ballots.replace(tx, poll, person.id, chosen)
    paid = (
        poll.points
        if chosen and poll.points and award(tx, person, POINTS_REASON, f"poll:{poll.id}", poll.points)
        else 0
    )
    return VoteResult(poll, sorted(set(positions)), paid)


def answer_native(tx: Tx, person: Person, native_id: str, positions: Sequence[int]) -> VoteResult:
    """A public Telegram poll's answer as the person's whole choice (an anonymous poll has none)."""
    poll_id = poll_native.poll_of(tx, native_id)
    if poll_id is None or get(tx, poll_id).anonymous:  # Telegram tells nobody who voted in those
        raise DomainError("That button no longer works; please use the command instead.")
    return choose(tx, person, poll_id, positions)


def _held_for_voting(tx: Tx, poll_id: int) -> Poll:
    """The poll, read afresh and held against a close until this vote commits (shared among voters)."""
    poll = tx.session.scalar(
        select(Poll)
        .where(Poll.id == poll_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    )
    if poll is None:
        raise DomainError("There is no poll #{id}.", id=poll_id)
    return poll


def my_choice(tx: Tx, poll: Poll, person: Person) -> list[int]:
    """The positions `person` has chosen in an open poll (nothing once it is closed)."""
    if poll.state != "open":
        return []
    chosen = poll_ballots.choices(tx, poll, person.id)
    return [option.position for option in _options(tx, poll) if option.id in chosen]


def results(tx: Tx, poll_id: int) -> dict[str, Any]:
    """The poll with its counts; refused while results are hidden and the poll is open."""
    poll = get(tx, poll_id)
    if poll.hidden and poll.state == "open":
        raise DomainError("The results of poll #{id} are hidden until it closes.", id=poll_id)
    return view(tx, poll, with_counts=True)


def close(tx: Tx, person: Person, poll_id: int) -> Poll:
    """Close a poll early: its creator or an admin. The results are posted where the poll went."""
    poll = get(tx, poll_id)
    if poll.created_by_id != person.id and person.role != "admin":
        raise DomainError("Only whoever asked poll #{id}, or an admin, can close it.", id=poll_id)
    if not _close(tx, poll, person.id):
        raise DomainError("Poll #{id} is closed already.", id=poll_id)
    schedule.cancel_for(tx, CLOSE_KIND, poll.id)
    return poll


def _close(tx: Tx, poll: Poll, by_id: int | None) -> bool:
    """Close once (a conditional UPDATE: of two closes at once, one wins), seal, post the results."""
    closed = tx.session.execute(
        update(_POLLS)
        .where(_POLLS.c.id == poll.id, _POLLS.c.state == "open")
        .values(state="closed", closed_at=tx.now, closed_by_id=by_id)
    )
    if not closed.rowcount:  # type: ignore[attr-defined]
        return False
    tx.session.refresh(poll)
    poll_ballots.seal(tx, poll)
    for chat, message in poll_native.copies(tx, poll.id):  # frozen in the chat before the results come
        stop = {"id": poll.id, "question": poll.question, "message_id": message}
        post_in(tx, [(poll_native.PLATFORM, chat)], poll_native.STOP_NOTICE, stop)
    post_in(tx, targets(tx, poll), RESULTS_NOTICE, view(tx, poll, with_counts=True))
    return True


def fire(tx: Tx, items: Sequence[tuple[DueItem, datetime]]) -> None:
    """The schedule's close: each poll still open closes now, however late."""
    for item, _ in items:
        poll = tx.session.get(Poll, item.ref_id) if item.ref_id is not None else None
        if poll is not None:
            _close(tx, poll, None)


def targets(tx: Tx, poll: Poll) -> list[tuple[str, str]]:
    rows = tx.session.execute(
        select(PollTarget.platform, PollTarget.conversation_id)
        .where(PollTarget.poll_id == poll.id)
        .order_by(PollTarget.id)
    )
    return [(platform, conversation) for platform, conversation in rows]


def open_polls(tx: Tx) -> list[Poll]:
    return list(
        tx.session.scalars(select(Poll).where(Poll.state == "open").order_by(Poll.id).limit(OPEN_LIST_LIMIT))
    )


def _options(tx: Tx, poll: Poll) -> list[PollOption]:
    return list(
        tx.session.scalars(
            select(PollOption).where(PollOption.poll_id == poll.id).order_by(PollOption.position)
        )
    )


def view(tx: Tx, poll: Poll, *, with_counts: bool) -> dict[str, Any]:
    """The poll as JSON-ready data, as cards and results are drawn from it (also in the outbox)."""
    per_option, voters = poll_ballots.counts(tx, poll)
    options = _options(tx, poll)
    labels = [option.label for option in options]
    native = poll_native.can_be_native(
        question=poll.question, options=labels, anonymous=poll.anonymous, hidden=poll.hidden, points=poll.points
    )
    return {
        "id": poll.id,
        "question": poll.question,
        "options": labels,
        "anonymous": poll.anonymous,
        "multiple": poll.multiple,
        "hidden": poll.hidden,
        "points": poll.points,
        "closes_at": poll.closes_at.isoformat() if poll.closes_at else None,
        "tz": tx.policy.timezone.key,
        "closed": poll.state == "closed",
        "voters": voters,
        "counts": [per_option.get(option.id, 0) for option in options] if with_counts else None,
        poll_native.NATIVE_KEY: native,
    }
