"""The sustainability board: submitting, voting, status changes, savings and merging of ideas."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from sqlalchemy import bindparam, delete, func, select, update

from bot.core.authority import outside_refusal
from bot.core.caps import hold_person, room_left
from bot.core.errors import DomainError, Label, ParamValue
from bot.core.limits import MAX_IDEA_LENGTH, MAX_NOTE_LENGTH
from bot.core.models import (
    Idea,
    IdeaDraft,
    IdeaEdit,
    IdeaStatusChange,
    LedgerEntry,
    Person,
    Saving,
    Vote,
    table_of,
)
from bot.core.open_board import COMPARED_STATUSES, most_similar_open
from bot.core.open_board import OPEN_STATUSES as OPEN_STATUSES  # the board is open in these
from bot.core.outbox import notify_person
from bot.core.people import REVIEWER_ROLES, require_role, role_refusal, shown_name, shown_name_column
from bot.core.points import award
from bot.core.quantities import PER_YEAR, SavingAmount, to_canonical, total_savings
from bot.core.statements import insert_if_new
from bot.core.supporter_notices import TOLD_STATUSES, tell_supporters
from bot.core.units import subtree_ids
from bot.core.uow import Tx

# Built once (building a statement cost more than running it); the values come as parameters.
_HISTORY = (
    select(IdeaStatusChange, shown_name_column())
    .join(Person, Person.id == IdeaStatusChange.changed_by_id)
    .where(IdeaStatusChange.idea_id == bindparam("idea"))
    .order_by(IdeaStatusChange.id)
)
_EDITS = select(IdeaEdit).where(IdeaEdit.idea_id == bindparam("idea")).order_by(IdeaEdit.id)
_SAVINGS = (
    select(Saving).where(Saving.idea_id == bindparam("idea"), Saving.replaced_at.is_(None)).order_by(Saving.id)
)
_VOTES = select(func.count()).where(table_of(Vote).c.idea_id == bindparam("idea"))
_VOTED = select(func.count()).where(
    table_of(Vote).c.idea_id == bindparam("idea"), table_of(Vote).c.person_id == bindparam("person")
)
_LEDGER = table_of(LedgerEntry)
_PAID_SINCE = select(func.count()).where(
    _LEDGER.c.person_id == bindparam("person"),
    _LEDGER.c.reason == "idea_submitted",
    _LEDGER.c.created_at >= bindparam("since"),
)
# By status first (indexed): a card asks this, and merged ideas are few beside the others.
_MERGED_INTO = select(Idea.id, Idea.author_id).where(
    Idea.status == "merged", Idea.merged_into_id.in_(bindparam("into", expanding=True))
)
FLOW = ("new", "under_review", "accepted", "implemented")
STATUSES = (*FLOW, "declined", "merged", "withdrawn")
FINAL_STATUSES = ("implemented", "merged", "withdrawn")
UNMERGEABLE_STATUSES = ("implemented", "declined", "merged", "withdrawn")  # final, or closed with a reason
CLOSED_STATUSES = ("declined", "merged", "withdrawn")  # off the board's default view
SAVING_KINDS = ("expected", "verified")

# Words people tag ideas with, in the languages we speak, and the area each one names.
AREA_WORDS = {
    "energy": ("energy", "energi", "power", "el", "strøm", "strom"),
    "climate": ("climate", "klima", "klimat", "co2", "utslipp", "utsläpp", "udledning"),
    "waste": ("waste", "avfall", "affald", "recycling", "återvinning", "gjenvinning", "genbrug"),
    "travel": (
        "travel",
        "transport",
        "resor",
        "resa",
        "reise",
        "reiser",
        "rejse",
        "rejser",
        "commute",
        "pendling",
    ),
    "water": ("water", "vatten", "vann", "vand"),
    "purchasing": ("purchasing", "procurement", "inköp", "innkjøp", "indkøb", "upphandling", "anskaffelser"),
    "social": ("social", "socialt", "sosialt", "sosial", "wellbeing", "trivsel"),
    "economic": ("economic", "economy", "ekonomi", "økonomi", "okonomi"),
    "chemicals": ("chemicals", "kemikalier", "kjemikalier"),
    "food": ("food", "mat", "mad", "matsvinn", "madspild"),
    "biodiversity": ("biodiversity", "nature", "natur", "mångfald", "biodiversitet", "naturmangfold"),
}
_AREA_BY_WORD = {word: area for area, words in AREA_WORDS.items() for word in words}
_AREA_WORD = r"[^\W\d_][\w-]{0,39}"
# `#goal3` ties the idea to goal 3 (bot/core/goals.py); it names no area.
_TAG = re.compile(rf"(?<![\w&])#(?!goal\d)({_AREA_WORD})", re.UNICODE | re.IGNORECASE)


@dataclass(frozen=True)
class Submission:
    """What submitting gave: the new idea, or a held draft and the open idea it resembles."""

    idea: Idea | None
    similar: Idea | None = None
    draft_id: int | None = None
    points: int = 0
    card: IdeaCard | None = None  # the new idea's card, known without asking the database again
    unpaid: str | None = None  # why it paid no points: "daily_limit", or "own_duplicate" (of `similar`)


@dataclass(frozen=True)
class Transition:
    """A status an idea may move to from the one it has, and whether that move needs a note (a reason)."""

    status: str
    note_required: bool = False


@dataclass(frozen=True)
class BoardRow:
    idea: Idea
    author: str
    votes: int


@dataclass(frozen=True)
class HistoryRow:
    change: IdeaStatusChange
    by: str


@dataclass(frozen=True)
class IdeaCard:
    idea: Idea
    author: str
    votes: int
    history: list[HistoryRow]
    savings: list[Saving]
    supporters: tuple[str, ...] = ()  # authors of ideas merged into it, shown by name: not votes
    edits: tuple[IdeaEdit, ...] = ()  # the texts it had before its author edited it, oldest first


def area_of(text: str) -> str | None:
    """The area the first #tag names; an unknown tag is kept as its own area."""
    match = _TAG.search(text)
    if match is None:
        return None
    word = match.group(1).lower()
    return _AREA_BY_WORD.get(word, word)


def area_named(word: str) -> str | None:
    """The area a word (with or without its #) names in any language we speak; None if none."""
    return _AREA_BY_WORD.get(word.strip().lstrip("#").lower())


def known_areas() -> tuple[str, ...]:
    """The areas we have words for, in the order people are shown them."""
    return tuple(AREA_WORDS)


def clean_area(typed: str) -> str:
    """An area given on its own (not as a #tag): a word we know in any language, or a new area."""
    word = typed.strip().lstrip("#").lower()
    if not re.fullmatch(_AREA_WORD, word):
        raise DomainError("Name the area in one word, e.g. energy.")
    return _AREA_BY_WORD.get(word, word)


def clean_text(text: str, limit: int, empty_message: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError(empty_message)
    _check_length(text, limit)
    return text


def clean_note(note: str) -> str:
    """A status note or a decision's reason, stripped; refused when too long."""
    note = note.strip()
    _check_length(note, MAX_NOTE_LENGTH)
    return note


def _check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise DomainError(
            "That is {length} characters; the limit is {limit}. Please shorten it.",
            length=len(text),
            limit=limit,
        )


def submit_idea(
    tx: Tx,
    author: Person,
    text: str,
    *,
    area: str | None = None,
    expected_saving: SavingAmount | None = None,
    source_link: str | None = None,
    check_similar: bool = True,
    looked_ahead: SimilarCheck | None = None,
    own_duplicate_of: Idea | None = None,
) -> Submission:
    """Put an idea on the board with its area and expected saving, all or nothing; or, when it
    resembles an open idea, hold all of it as a draft. `area` wins over a #tag in the text.
    Submission points are paid for the first few ideas of the day, never for `own_duplicate_of`
    (the author's own idea that this one repeats).

    `looked_ahead` is the similarity check made before this transaction (`similar_check`): the
    comparison with every open idea then holds no lock.
    """
    text = clean_text(
        text, MAX_IDEA_LENGTH, "Write your idea after the command, e.g. /idea Switch off monitors at night."
    )
    area = clean_area(area) if area else None
    saving = to_canonical(expected_saving.amount, expected_saving.unit) if expected_saving else None
    if source_link and len(source_link) > 500:
        source_link = None  # a link too long to keep is not worth refusing the idea for
    if check_similar:
        similar = _similar_open_idea(tx, text, looked_ahead)
        if similar is not None:
            draft = IdeaDraft(
                person_id=author.id,
                text=text,
                area=area,
                saving_amount=saving.amount if saving else None,
                saving_unit=saving.unit if saving else None,
                similar_idea_id=similar.id,
                created_at=tx.now,
            )
            tx.session.add(draft)
            tx.session.flush()
            return Submission(idea=None, similar=similar, draft_id=draft.id)
    points, unpaid = _submission_points(tx, author, own_duplicate_of)
    idea = Idea(
        author_id=author.id,
        unit_id=author.unit_id,
        text=text,
        area=area or area_of(text),
        status="new",
        source_link=source_link,
        created_at=tx.now,
        updated_at=tx.now,
    )
    tx.session.add(idea)
    tx.session.flush()
    if points:
        award(tx, author, "idea_submitted", f"idea:{idea.id}", points)
    savings = [] if saving is None else [_add_saving(tx, author, idea, saving, "expected")]
    card = IdeaCard(idea, shown_name(author), votes=0, history=[], savings=savings)
    return Submission(idea=idea, similar=own_duplicate_of, points=points, card=card, unpaid=unpaid)


def _submission_points(tx: Tx, author: Person, own_duplicate_of: Idea | None) -> tuple[int, str | None]:
    """The points a new idea pays its author, and why none when it pays none for a rule's sake."""
    if own_duplicate_of is not None:
        return 0, "own_duplicate"
    value = tx.policy.points.idea_submitted
    if not value:
        return 0, None
    if not room_left(tx, author, tx.policy.idea_points_daily_limit, lambda: ideas_paid_today(tx, author)):
        return 0, "daily_limit"
    return value, None


def start_of_day(tx: Tx) -> datetime:
    local = tx.now.astimezone(tx.policy.timezone)
    return datetime.combine(local.date(), time.min, tzinfo=tx.policy.timezone)


def ideas_paid_today(tx: Tx, author: Person) -> int:
    """How many of the author's ideas paid submission points today (in the organisation's time zone)."""
    return int(
        tx.session.scalar(
            _PAID_SINCE,
            {"person": author.id, "since": start_of_day(tx)},
        )
        or 0
    )


def submit_draft(tx: Tx, author: Person, draft_id: int) -> Submission:
    """Submit a held draft after all (its author said it is not the same as the similar idea)."""
    draft = tx.session.get(IdeaDraft, draft_id)
    if draft is None or draft.person_id != author.id:
        raise DomainError("That draft is gone; send the idea again with /idea.")
    text, area, saving = draft.text, draft.area, None
    if draft.saving_amount is not None and draft.saving_unit is not None:
        saving = SavingAmount(draft.saving_amount, draft.saving_unit)
    similar = tx.session.get(Idea, draft.similar_idea_id) if draft.similar_idea_id is not None else None
    own = similar if similar is not None and similar.author_id == author.id else None
    tx.session.delete(draft)
    # A draft held for "Save as idea" was never compared: compare it now, as /idea would.
    check_similar = draft.similar_idea_id is None
    return submit_idea(
        tx, author, text, area=area, expected_saving=saving, check_similar=check_similar, own_duplicate_of=own
    )


def hold_plain_draft(tx: Tx, author: Person, text: str) -> int:
    """Hold text written to the bot without /idea behind a "Save as idea" button; its draft id.

    A person has at most one such draft: a newer message replaces it, so chat never piles up drafts.
    """
    text = clean_text(
        text, MAX_IDEA_LENGTH, "Write your idea after the command, e.g. /idea Switch off monitors at night."
    )
    hold_person(tx, author)  # two messages at once: the second replaces the first's draft
    tx.session.execute(
        delete(IdeaDraft).where(IdeaDraft.person_id == author.id, IdeaDraft.similar_idea_id.is_(None))
    )
    draft = IdeaDraft(person_id=author.id, text=text, similar_idea_id=None, created_at=tx.now)
    tx.session.add(draft)
    tx.session.flush()
    return draft.id


@dataclass(frozen=True)
class SimilarCheck:
    """Which open idea a text resembles (None: none), found before the transaction that submits it."""

    text: str
    similar_id: int | None


def similar_check(tx: Tx, text: str) -> SimilarCheck:
    """The similarity check on its own, for a read transaction ahead of the submission."""
    return SimilarCheck(text.strip(), most_similar_open(tx, text.strip(), tx.policy.similarity_threshold))


def _similar_open_idea(tx: Tx, text: str, looked_ahead: SimilarCheck | None) -> Idea | None:
    if looked_ahead is None or looked_ahead.text != text:
        found = most_similar_open(tx, text, tx.policy.similarity_threshold)
    else:
        found = looked_ahead.similar_id
    if found is None:
        return None
    idea = tx.session.get(Idea, found)
    # Looked at a moment ago: it may have been closed since (two ideas alike at once both stay).
    return idea if idea is not None and idea.status in COMPARED_STATUSES else None


def get_idea(tx: Tx, idea_id: int) -> Idea:
    idea = tx.session.get(Idea, idea_id)
    if idea is None:
        raise DomainError("There is no idea #{id}.", id=idea_id)
    return idea


def vote_count(tx: Tx, idea_id: int) -> int:
    return int(tx.session.scalar(_VOTES, {"idea": idea_id}) or 0)


def may_vote(tx: Tx, person: Person, idea: Idea) -> bool:
    """Whether `person` could still vote for `idea`: it is open, not theirs, and they have not voted."""
    if idea.status not in OPEN_STATUSES or idea.author_id == person.id:
        return False
    return not tx.session.scalar(_VOTED, {"idea": idea.id, "person": person.id})


def vote(tx: Tx, voter: Person, idea_id: int) -> Idea:
    # A shared lock: votes on one idea pass each other, but a merge (which locks the idea for update)
    # waits for the votes in flight, and a vote that waited for a merge sees the idea merged.
    idea = tx.session.get(Idea, idea_id, with_for_update={"read": True}, populate_existing=True)
    if idea is None:
        raise DomainError("There is no idea #{id}.", id=idea_id)
    if idea.status == "merged":
        raise DomainError(
            "Idea #{id} was merged into #{into}; vote there.", id=idea.id, into=idea.merged_into_id or 0
        )
    if idea.status in ("declined", "implemented", "withdrawn"):
        raise DomainError(
            "Idea #{id} is {status}; voting is closed.", id=idea.id, status=Label("status", idea.status)
        )
    if idea.author_id == voter.id:
        raise DomainError("You cannot vote for your own idea.")
    row = {"idea_id": idea.id, "person_id": voter.id, "created_at": tx.now}
    if not insert_if_new(tx.session, Vote.__table__, row):
        raise DomainError("You have already voted for idea #{id}.", id=idea.id)
    award(tx, voter, "vote_cast", f"vote:{idea.id}", tx.policy.points.vote_cast)
    return idea


def allowed_transitions(idea: Idea) -> tuple[Transition, ...]:
    """Where a reviewer may move `idea` from its current status, in flow order (merging is `merge`).

    Forward only along new → under review → accepted → implemented, steps may be skipped; declined
    from any open status, with a reason; a declined idea may be taken up again at any step.
    """
    if idea.status in FINAL_STATUSES:
        return ()
    if idea.status == "declined":
        return tuple(Transition(status) for status in FLOW)
    ahead = FLOW[FLOW.index(idea.status) + 1 :]
    return (*(Transition(status) for status in ahead), Transition("declined", note_required=True))


def change_status(
    tx: Tx, reviewer: Person, idea_id: int, status: str, note: str, *, from_status: str | None = None
) -> Idea:
    """Move an idea to `status`. With `from_status` (the status a card showed when its button was
    pressed) the move is made only if the idea still has it; without, from whatever it has now.

    The idea's row is locked first, so of two changes made at once the second sees the first's result.
    """
    require_role(reviewer, REVIEWER_ROLES)
    note = clean_note(note)
    idea = locked_idea(tx, idea_id)
    if from_status is not None and idea.status != from_status:
        raise already_moved(tx, idea)
    refusal = review_refusal(tx, reviewer, idea)
    if refusal is not None:
        raise refusal
    _check_transition(tx, idea, status, note)
    previous = idea.status
    idea.status = status
    idea.status_note = note or None
    idea.updated_at = tx.now
    tx.session.add(
        IdeaStatusChange(
            idea_id=idea.id,
            from_status=previous,
            to_status=status,
            note=note or None,
            changed_by_id=reviewer.id,
            created_at=tx.now,
        )
    )
    author = tx.session.get_one(Person, idea.author_id)
    points = _reward_progress(tx, author, idea)
    notify_person(
        tx,
        author,
        "idea_status",
        {
            "idea_id": idea.id,
            "text": idea.text,
            "from": previous,
            "to": status,
            "note": note,
            "by": shown_name(reviewer),
            "points": points,
        },
    )
    if status in TOLD_STATUSES:
        voters = set(tx.session.scalars(select(Vote.person_id).where(Vote.idea_id == idea.id)))
        tell_supporters(tx, idea, reviewer, voters | supporter_ids(tx, idea))
    return idea


def review_refusal(tx: Tx, reviewer: Person, idea: Idea) -> DomainError | None:
    """Why `reviewer` may not move `idea` along: no reviewer, their own idea, or outside their units."""
    refusal = role_refusal(reviewer, REVIEWER_ROLES)
    if refusal is None and idea.author_id == reviewer.id:
        refusal = DomainError("Someone else must review your own idea #{id}.", id=idea.id)
    return refusal or _outside(tx, reviewer, idea)


def _outside(tx: Tx, reviewer: Person, idea: Idea) -> DomainError | None:
    return outside_refusal(
        tx,
        reviewer,
        idea.unit_id,
        lambda name: DomainError(
            "Idea #{id} belongs to {unit}, outside the units you look after.", id=idea.id, unit=name
        ),
    )


def idea_at(tx: Tx, idea_id: int, status: str) -> Idea:
    """The idea, if it still has the status a card showed; else who moved it on."""
    idea = get_idea(tx, idea_id)
    if idea.status != status:
        raise already_moved(tx, idea)
    return idea


def locked_idea(tx: Tx, idea_id: int) -> Idea:
    """The idea read afresh and locked until the transaction ends (SQLite's write lock already is)."""
    idea = tx.session.get(Idea, idea_id, with_for_update=True, populate_existing=True)
    if idea is None:
        raise DomainError("There is no idea #{id}.", id=idea_id)
    return idea


def _check_transition(tx: Tx, idea: Idea, status: str, note: str) -> None:
    if status == "withdrawn":
        raise DomainError("Only its author can withdraw idea #{id}.", id=idea.id)
    if status not in STATUSES or status == "merged":
        raise DomainError("There is no status {status}.", status=status)
    if idea.status == status:
        raise already_moved(tx, idea)
    step = next((step for step in allowed_transitions(idea) if step.status == status), None)
    if step is None and idea.status in FINAL_STATUSES:
        raise DomainError(
            "Idea #{id} is {status} and can no longer change.",
            id=idea.id,
            status=Label("status", idea.status),
        )
    if step is None:
        raise DomainError(
            "Idea #{id} is {current}; it cannot go back to {status}.",
            id=idea.id,
            current=Label("status", idea.status),
            status=Label("status", status),
        )
    if step.note_required and not note:
        raise DomainError("Say why the idea is declined, e.g. /status 12 declined Too costly this year.")


def already_moved(tx: Tx, idea: Idea) -> DomainError:
    """The refusal for a change someone else made first: what the idea became, and who did it."""
    last = tx.session.execute(
        select(shown_name_column().label("name"))
        .join(IdeaStatusChange, IdeaStatusChange.changed_by_id == Person.id)
        .where(IdeaStatusChange.idea_id == idea.id)
        .order_by(IdeaStatusChange.id.desc())
        .limit(1)
    ).first()
    if last is None:  # never moved: it is as it was submitted
        return DomainError("Idea #{id} is already {status}.", id=idea.id, status=Label("status", idea.status))
    if idea.status == "merged":
        return DomainError(
            "Idea #{id} was already merged into #{into} by {name}.",
            id=idea.id,
            into=idea.merged_into_id or 0,
            name=last.name,
        )
    return DomainError(
        "Idea #{id} was already moved to {status} by {name}.",
        id=idea.id,
        status=Label("status", idea.status),
        name=last.name,
    )


def _reward_progress(tx: Tx, author: Person, idea: Idea) -> int:
    """Pay the author for reaching accepted and implemented (an idea that skips a step gets both)."""
    values = tx.policy.points
    paid = 0
    reached = FLOW.index(idea.status) if idea.status in FLOW else -1
    if reached >= FLOW.index("accepted") and award(
        tx, author, "idea_accepted", f"idea:{idea.id}", values.idea_accepted
    ):
        paid += values.idea_accepted
    if reached >= FLOW.index("implemented") and award(
        tx, author, "idea_implemented", f"idea:{idea.id}", values.idea_implemented
    ):
        paid += values.idea_implemented
    return paid


def record_saving(tx: Tx, person: Person, idea_id: int, saving: SavingAmount, kind: str) -> Saving:
    """Record one saving; see `record_savings`."""
    return record_savings(tx, person, idea_id, [saving], kind)[0]


def record_savings(
    tx: Tx, person: Person, idea_id: int, savings: Sequence[SavingAmount], kind: str
) -> list[Saving]:
    """Record savings in their canonical units. Each replaces the idea's current saving of the same kind
    (expected or verified) and the same kind of quantity, its canonical unit (kWh, kWh/year, kg CO2e/year …):
    a yearly rate and a one-off amount cannot be added, so they are kinds of their own. The replaced one is
    kept as history; savings of other units stay."""
    idea = locked_idea(tx, idea_id)  # two values recorded at once: the second replaces the first
    _check_may_record(tx, person, idea, kind)
    canonical = [to_canonical(saving.amount, saving.unit) for saving in savings]
    units = [saving.unit for saving in canonical]
    twice = next((unit for unit in units if units.count(unit) > 1), None)
    if twice is not None and twice.endswith(PER_YEAR):
        raise DomainError(
            "Give one yearly figure in {unit}, not two: a saving has one value of each kind.",
            unit=twice.removesuffix(PER_YEAR),
        )
    if twice is not None:
        raise DomainError(
            "Give one figure in {unit}, not two: a saving has one value of each kind.", unit=twice
        )
    recorded = []
    for saving in canonical:
        _replace_current(tx, person, idea, kind, saving.unit)
        recorded.append(_add_saving(tx, person, idea, saving, kind))
    return recorded


class SavingChoiceError(DomainError):
    """Which saving to remove is unclear; `current` are the idea's savings to choose from."""

    def __init__(self, message: str, current: Sequence[Saving], **params: ParamValue) -> None:
        listed = ", ".join(f"{row.kind} {row.amount.normalize():f} {row.unit}" for row in current)
        super().__init__(message, savings=listed, **params)  # the handler names them in the reader's words
        self.current = tuple(current)


def remove_saving(
    tx: Tx, person: Person, idea_id: int, kind: str | None, units: Collection[str] | None = None
) -> Saving:
    """Take away an idea's current saving of `kind` and in one of `units` (kept as history); without them,
    the only one there is. When several are current, or none in those units, nothing is removed and the
    refusal lists the idea's savings."""
    idea = locked_idea(tx, idea_id)
    current = tx.session.scalars(_SAVINGS, {"idea": idea.id}).all()
    of_kind = [row for row in current if kind in (None, row.kind)]
    if not of_kind:
        if kind is None:
            raise DomainError("Idea #{id} has no saving to remove.", id=idea.id)
        raise DomainError(
            "Idea #{id} has no {kind} saving to remove.", id=idea.id, kind=Label("saving_kind", kind)
        )
    matching = [row for row in of_kind if units is None or row.unit in units]
    if not matching:
        raise SavingChoiceError(
            "Idea #{id} has no such saving to remove; it has {savings}.", current, id=idea.id
        )
    if len(matching) > 1:
        raise SavingChoiceError(
            "Idea #{id} has {savings}: say which to remove, e.g. /saving {id} remove {example}.",
            matching,
            id=idea.id,
            example=f"{matching[-1].kind} {matching[-1].unit}",
        )
    removed = matching[0]
    _check_may_record(tx, person, idea, removed.kind)
    _replace_current(tx, person, idea, removed.kind, removed.unit)
    return removed


def _check_may_record(tx: Tx, person: Person, idea: Idea, kind: str) -> None:
    """The author may expect; a reviewer of the idea's unit records either kind, never for their own idea."""
    if kind not in SAVING_KINDS:
        raise DomainError("A saving is expected or verified, not {kind}.", kind=kind)
    if kind == "expected" and idea.author_id == person.id:
        return
    require_role(person, REVIEWER_ROLES)
    if idea.author_id == person.id:
        raise DomainError("Someone else must verify the saving of your own idea #{id}.", id=idea.id)
    refusal = _outside(tx, person, idea)
    if refusal is not None:
        raise refusal


def _replace_current(tx: Tx, person: Person, idea: Idea, kind: str, unit: str) -> None:
    tx.session.execute(
        update(Saving)
        .where(
            Saving.idea_id == idea.id, Saving.kind == kind, Saving.unit == unit, Saving.replaced_at.is_(None)
        )
        .values(replaced_at=tx.now, replaced_by_id=person.id)
        .execution_options(synchronize_session="fetch")
    )


def savings_totals(tx: Tx, kind: str, idea_ids: list[int] | None = None) -> dict[str, Decimal]:
    """The current savings of `kind`, one figure per canonical unit (of the given ideas, or of all)."""
    # Summed per stored unit in the database, so that the quantities are added up per unit, not per row.
    query = select(Saving.unit, func.sum(Saving.amount)).where(
        Saving.kind == kind, Saving.replaced_at.is_(None)
    )
    if idea_ids is not None:
        query = query.where(Saving.idea_id.in_(idea_ids))
    rows = tx.session.execute(query.group_by(Saving.unit))
    return total_savings(SavingAmount(Decimal(amount), unit) for unit, amount in rows)


def savings_by_month(
    tx: Tx, kind: str, start: datetime, end: datetime, idea_ids: list[int] | None = None
) -> dict[str, dict[str, Decimal]]:
    """The current savings of `kind` recorded in [start, end), per month ("2026-11", in the organisation's
    time zone) and canonical unit, months without any left out: what a chart of savings over time plots."""
    query = select(Saving.created_at, Saving.unit, Saving.amount).where(
        Saving.kind == kind, Saving.replaced_at.is_(None), Saving.created_at >= start, Saving.created_at < end
    )
    if idea_ids is not None:
        query = query.where(Saving.idea_id.in_(idea_ids))
    by_month: dict[str, list[SavingAmount]] = {}
    for created_at, unit, amount in tx.session.execute(query.order_by(Saving.created_at)):
        local = created_at.astimezone(tx.policy.timezone)
        by_month.setdefault(f"{local.year}-{local.month:02d}", []).append(SavingAmount(Decimal(amount), unit))
    totals = {month: total_savings(savings) for month, savings in by_month.items()}
    return {month: amounts for month, amounts in totals.items() if amounts}


def _add_saving(tx: Tx, person: Person, idea: Idea, saving: SavingAmount, kind: str) -> Saving:
    row = Saving(
        idea_id=idea.id,
        amount=saving.amount,
        unit=saving.unit,
        kind=kind,
        recorded_by_id=person.id,
        created_at=tx.now,
    )
    tx.session.add(row)
    tx.session.flush()
    return row


@dataclass(frozen=True)
class Merged:
    """What a merge moved: the notice's payload (`facts`) says the same to both authors."""

    idea: Idea
    into: Idea
    facts: dict[str, int | str | bool]


def merge(tx: Tx, reviewer: Person, idea_id: int, into_id: int) -> Merged:
    """Fold a duplicate into another idea: its votes move (one per person), its author becomes a
    supporter of the other idea (not a vote: nobody cast it, and it pays nothing), both authors are told.
    Savings, history and status stay with each idea."""
    require_role(reviewer, REVIEWER_ROLES)
    if idea_id == into_id:
        raise DomainError("An idea cannot be merged into itself.")
    # Both rows locked, in id order so that /merge 5 7 and /merge 7 5 queue instead of deadlocking.
    locked = {one: locked_idea(tx, one) for one in sorted((idea_id, into_id))}
    idea, into = locked[idea_id], locked[into_id]
    _check_mergeable(tx, reviewer, idea, into)
    supporters_before = supporter_ids(tx, into)
    carried = supporter_ids(tx, idea) - supporters_before - {idea.author_id}
    voted_for_into = set(tx.session.scalars(select(Vote.person_id).where(Vote.idea_id == into.id)))
    cast = tx.session.execute(select(Vote.person_id, Vote.created_at).where(Vote.idea_id == idea.id)).all()
    # A moved vote keeps the moment it was cast: the year's figures count it when it was cast, once.
    moved = sum(
        insert_if_new(tx.session, Vote.__table__, {"idea_id": into.id, "person_id": person, "created_at": at})
        for person, at in cast
        if person != into.author_id and person not in voted_for_into
    )
    tx.session.execute(delete(Vote).where(Vote.idea_id == idea.id))
    tx.session.add(
        IdeaStatusChange(
            idea_id=idea.id,
            from_status=idea.status,
            to_status="merged",
            note=f"#{into.id}",
            changed_by_id=reviewer.id,
            created_at=tx.now,
        )
    )
    idea.status, idea.merged_into_id, idea.updated_at = "merged", into.id, tx.now
    supporters = supporter_ids(tx, into)
    facts: dict[str, int | str | bool] = {
        "idea_id": idea.id,
        "into_id": into.id,
        "text": idea.text,
        "into_text": into.text,
        "by": shown_name(reviewer),
        "moved": moved,
        "already": sum(person in voted_for_into for person, _ in cast),
        "dropped": sum(person == into.author_id for person, _ in cast),
        "author": shown_name(tx.session.get_one(Person, idea.author_id)),
        "author_supports": idea.author_id in supporters,
        "carried": len(carried & supporters),
    }
    for author_id in sorted({idea.author_id, into.author_id}):
        notify_person(tx, tx.session.get_one(Person, author_id), "idea_merged", facts)
    return Merged(idea, into, facts)


def _check_mergeable(tx: Tx, reviewer: Person, idea: Idea, into: Idea) -> None:
    for one in (idea, into):
        if one.status == "merged":
            raise already_moved(tx, one)
    if idea.status in UNMERGEABLE_STATUSES:
        raise DomainError(
            "Idea #{id} is {status}; only an open idea can be merged.",
            id=idea.id,
            status=Label("status", idea.status),
        )
    if into.status in ("declined", "withdrawn"):
        raise DomainError(
            "Idea #{id} is {status} and can no longer change.", id=into.id, status=Label("status", into.status)
        )
    for one in (idea, into):
        refusal = _outside(tx, reviewer, one)
        if refusal is not None:
            raise refusal


def supporter_ids(tx: Tx, idea: Idea) -> set[int]:
    """Who supports `idea` without a vote: the authors of the ideas merged into it (or into an idea
    merged into it), but not its own author nor anyone who voted for it. Read from the merges
    themselves, so that no vote row stands for a vote nobody cast."""
    authors: set[int] = set()
    frontier = {idea.id}
    while frontier:  # a merged idea is never a merge's target again, so the pointers form no cycle
        rows = tx.session.execute(_MERGED_INTO, {"into": list(frontier)}).all()
        frontier = {row.id for row in rows}
        authors.update(row.author_id for row in rows)
    if not authors:
        return authors
    voters = set(tx.session.scalars(select(Vote.person_id).where(Vote.idea_id == idea.id)))
    return authors - voters - {idea.author_id}


def board(
    tx: Tx, person: Person, view: str | None, *, area: str | None = None, page: int = 1, per_page: int = 20
) -> tuple[list[BoardRow], int]:
    """One page of the board's ideas, most-voted first, and how many match in all.

    `view` is a status, "mine", "unit" (my unit and the units below it), "all", or None for
    every idea that is not declined, merged or withdrawn; `area` narrows it to one area.
    """
    votes = select(Vote.idea_id, func.count().label("votes")).group_by(Vote.idea_id).subquery()
    count_column = func.coalesce(votes.c.votes, 0)
    statement = (
        select(Idea, shown_name_column(), count_column)
        .join(Person, Person.id == Idea.author_id)
        .outerjoin(votes, votes.c.idea_id == Idea.id)
    )
    condition = _board_condition(tx, person, view)
    if area is not None:
        condition = condition & (Idea.area == area)
    statement = statement.where(condition)
    total = int(tx.session.scalar(select(func.count()).select_from(Idea).where(condition)) or 0)
    ordered = statement.order_by(count_column.desc(), Idea.id.desc())
    rows = tx.session.execute(ordered.limit(per_page).offset((page - 1) * per_page))
    return [BoardRow(idea, name, int(count)) for idea, name, count in rows], total


def _board_condition(tx: Tx, person: Person, view: str | None):  # type: ignore[no-untyped-def]
    if view is None:
        return Idea.status.not_in(CLOSED_STATUSES)
    if view == "all":
        return Idea.id.is_not(None)
    if view == "mine":
        return Idea.author_id == person.id
    if view == "unit":
        if person.unit_id is None:
            raise DomainError("You are not in a unit yet; an admin can add you with /unit member.")
        return Idea.unit_id.in_(subtree_ids(tx, person.unit_id))
    if view in STATUSES:
        return Idea.status == view
    raise ValueError(f"unknown board view {view!r}")


def card(tx: Tx, idea_id: int) -> IdeaCard:
    idea = get_idea(tx, idea_id)
    history = tx.session.execute(_HISTORY, {"idea": idea.id})
    savings = tx.session.scalars(_SAVINGS, {"idea": idea.id}).all()
    return IdeaCard(
        idea=idea,
        author=shown_name(tx.session.get_one(Person, idea.author_id)),
        votes=vote_count(tx, idea.id),
        history=[HistoryRow(change, name) for change, name in history],
        savings=list(savings),
        supporters=_supporter_names(tx, idea),
        edits=tuple(tx.session.scalars(_EDITS, {"idea": idea.id})),
    )


def _supporter_names(tx: Tx, idea: Idea) -> tuple[str, ...]:
    people = supporter_ids(tx, idea)
    if not people:
        return ()
    names = tx.session.scalars(select(shown_name_column()).where(Person.id.in_(people)).order_by(Person.id))
    return tuple(names)
