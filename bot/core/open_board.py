"""The board as the similarity check compares it (open and implemented ideas): kept per process, up to date.

Every new idea is compared with every open or implemented one ("open" below, for short). Loading
the open board on each submission cost as much as the comparison itself, so each process keeps the
open ideas' normalised texts (and their words sorted) and asks the database only what changed since
it last looked: ideas, status changes and edits (by the author, while new) with a higher id. A count of the open
ideas, at most once a second, catches what that misses (on PostgreSQL an id can commit after a
higher one): then the open ids are read again. The check is advice (a similar idea is offered as a
vote, never refused), so a moment's lag is harmless.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select

from bot.core.models import Idea, IdeaEdit, IdeaStatusChange, table_of
from bot.core.similarity import most_similar, normalise, sorted_words
from bot.core.uow import Tx

OPEN_STATUSES = ("new", "under_review", "accepted")
# What a new idea is compared with: the open ideas, and those done already (a follow-up is offered).
COMPARED_STATUSES = (*OPEN_STATUSES, "implemented")
_MEMO_KEY = "open_board"
_IDEAS = table_of(Idea)
_CHANGES = table_of(IdeaStatusChange)
_EDITS = table_of(IdeaEdit)
# Built once, on the tables rather than the mapped classes (which cost the ORM's handling on top):
# they run on every submission.
_LATEST = select(
    select(func.coalesce(func.max(_IDEAS.c.id), 0)).scalar_subquery(),
    select(func.coalesce(func.max(_CHANGES.c.id), 0)).scalar_subquery(),
    select(func.coalesce(func.max(_EDITS.c.id), 0)).scalar_subquery(),
)
_OPEN_COUNT = select(func.count()).where(_IDEAS.c.status.in_(COMPARED_STATUSES))
COUNT_EVERY = 1.0  # seconds: counting the open board costs as much as the board is long
_OPEN_IDS = select(_IDEAS.c.id).where(_IDEAS.c.status.in_(COMPARED_STATUSES))
_IDEAS_SINCE = select(_IDEAS.c.id, _IDEAS.c.text, _IDEAS.c.status).where(_IDEAS.c.id > bindparam("after"))
_CHANGES_SINCE = (
    select(_CHANGES.c.id, _CHANGES.c.idea_id, _CHANGES.c.to_status)
    .where(_CHANGES.c.id > bindparam("after"))
    .order_by(_CHANGES.c.id)
)
_EDITS_SINCE = select(_EDITS.c.id, _EDITS.c.idea_id).where(_EDITS.c.id > bindparam("after"))
_TEXTS = select(_IDEAS.c.id, _IDEAS.c.text).where(_IDEAS.c.id.in_(bindparam("ids", expanding=True)))
_NEW_MEMO_LOCK = threading.Lock()


@dataclass
class _Board:
    texts: dict[int, str] = field(default_factory=dict)  # open idea id -> normalised text
    words: dict[int, str] = field(default_factory=dict)  # open idea id -> its words in sorted order
    last_idea: int = -1  # -1: never loaded
    last_change: int = 0
    last_edit: int = 0
    counted_at: float = 0.0  # time.monotonic() of the last count of the open ideas
    lock: threading.Lock = field(default_factory=threading.Lock)


def most_similar_open(tx: Tx, text: str, threshold: int, *, besides: int | None = None) -> int | None:
    """The open idea most like `text`, if one scores at least `threshold` (see `most_similar`); never
    `besides` (an idea being edited is not its own duplicate)."""
    board = _board(tx)
    with board.lock:  # compared in place: copying a large board cost as much as the comparison
        _bring_up_to_date(tx, board)
        if besides is None or besides not in board.texts:
            return most_similar(text, board.texts, board.words, threshold)
        own_text, own_words = board.texts.pop(besides), board.words.pop(besides)
        try:
            return most_similar(text, board.texts, board.words, threshold)
        finally:
            board.texts[besides], board.words[besides] = own_text, own_words


def open_texts(tx: Tx) -> dict[int, str]:
    """Every open idea's normalised text, by id (a copy: the caller may keep it)."""
    board = _board(tx)
    with board.lock:
        _bring_up_to_date(tx, board)
        return dict(board.texts)


def _board(tx: Tx) -> _Board:
    with _NEW_MEMO_LOCK:
        board = tx.memo.get(_MEMO_KEY)
        if board is None:
            board = tx.memo[_MEMO_KEY] = _Board()
        assert isinstance(board, _Board)
        return board


def _bring_up_to_date(tx: Tx, board: _Board) -> None:
    if board.last_idea < 0:
        board.last_idea, board.last_change, board.last_edit = tx.session.execute(_LATEST).one()
        _reload(tx, board)
        return
    for idea_id, text, status in tx.session.execute(_IDEAS_SINCE, {"after": board.last_idea}):
        board.last_idea = max(board.last_idea, idea_id)
        if status in COMPARED_STATUSES:
            _keep(board, idea_id, text)
    _apply_changes(tx, board)
    _apply_edits(tx, board)
    if _count_due(board) and len(board.texts) != tx.session.scalar(_OPEN_COUNT):
        _reload(tx, board)


def _reload(tx: Tx, board: _Board) -> None:
    open_ids = set(tx.session.scalars(_OPEN_IDS))
    for closed in set(board.texts) - open_ids:
        _drop(board, closed)
    _add(tx, board, open_ids)


def _apply_changes(tx: Tx, board: _Board) -> None:
    latest: dict[int, str] = {}
    for change_id, idea_id, status in tx.session.execute(_CHANGES_SINCE, {"after": board.last_change}):
        board.last_change = max(board.last_change, change_id)
        latest[idea_id] = status
    for idea_id, status in latest.items():
        if status not in COMPARED_STATUSES:
            _drop(board, idea_id)
    _add(tx, board, [idea_id for idea_id, status in latest.items() if status in COMPARED_STATUSES])


def _apply_edits(tx: Tx, board: _Board) -> None:
    """Read again the texts of the open ideas their authors edited since the last look."""
    edited = set()
    for edit_id, idea_id in tx.session.execute(_EDITS_SINCE, {"after": board.last_edit}):
        board.last_edit = max(board.last_edit, edit_id)
        if idea_id in board.texts:
            edited.add(idea_id)
    for idea_id in edited:
        _drop(board, idea_id)
    _add(tx, board, edited)


def _add(tx: Tx, board: _Board, ids: Iterable[int]) -> None:
    """Add the texts of these open ideas that the board lacks (an edited one is dropped first)."""
    missing = [idea_id for idea_id in ids if idea_id not in board.texts]
    for start in range(0, len(missing), 500):  # SQLite's limit on parameters
        for idea_id, text in tx.session.execute(_TEXTS, {"ids": missing[start : start + 500]}):
            _keep(board, idea_id, text)


def _keep(board: _Board, idea_id: int, text: str) -> None:
    board.texts[idea_id] = normalise(text)
    board.words[idea_id] = sorted_words(board.texts[idea_id])


def _drop(board: _Board, idea_id: int) -> None:
    board.texts.pop(idea_id, None)
    board.words.pop(idea_id, None)


def _count_due(board: _Board) -> bool:
    """Whether to count the open ideas now, to catch an idea that committed behind a higher id."""
    now = time.monotonic()
    if now - board.counted_at < COUNT_EVERY:
        return False
    board.counted_at = now
    return True
