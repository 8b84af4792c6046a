"""Merging a duplicate idea: the reply and both notices say exactly what moved, and a supporter a merge
made is never counted as a vote someone cast (board, /review, the pack's figures, the ledger)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.core import review_ideas
from bot.core.clock import ManualClock
from bot.core.ideas import supporter_ids
from bot.core.models import Idea, LedgerEntry, Vote
from bot.core.review import year_of
from bot.core.review_figures import year_figures
from bot.core.review_people import participation_rows
from bot.messages import Actor, Command, Conversation
from tests.chat import Chat
from tests.concurrency import race
from tests.conftest import make_settings

MOVED = [
    "Idea #2 is merged into #1; 2 votes moved.",
    "1 person had voted for both and keeps one vote.",
    "The vote for #2 by the author of #1 is dropped: nobody votes for their own idea.",
    "Kari (author of #2) now counts as a supporter of #1 (not a vote; no points).",
    "Savings, history and status stay with each idea.",
]


def overlapping_voters(chat: Chat) -> None:
    """#1 by Astrid (Ingrid and Lars vote), #2 by Kari (Ingrid, Ola, Per and Astrid vote); Nils reviews."""
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("kari", "/idea Bike to work week in May")
    for name in ("ingrid", "ola", "per", "astrid"):
        chat.ok(name, "/vote 2")
    for name in ("ingrid", "lars"):
        chat.ok(name, "/vote 1")
    chat.as_("nils", "manager")


def votes_by_idea(chat: Chat) -> dict[int, int]:
    with chat.app.uow.begin(write=False) as tx:
        return dict(tx.session.execute(select(Vote.idea_id, func.count()).group_by(Vote.idea_id)).all())


def ledger(chat: Chat) -> list[tuple[str, str]]:
    with chat.app.uow.begin(write=False) as tx:
        rows = tx.session.execute(select(LedgerEntry.reason, LedgerEntry.reference).order_by(LedgerEntry.id))
        return [(reason, reference) for reason, reference in rows]


def test_the_reply_and_both_notices_say_what_moved(chat: Chat) -> None:
    overlapping_voters(chat)
    said = chat.ok("nils", "/merge 2 1")
    assert sorted(notice.split(":")[0] for notice in said.notices) == ["→ astrid", "→ kari"]
    assert said.text.count("Nils merged idea #2 into #1; 2 votes moved.") == 2  # one notice each
    for line in MOVED[1:]:
        assert said.text.count(line) == 3, line  # the reply and both notices
    assert MOVED[0] in said.text
    assert "new · 4 votes" in said.text  # Ingrid, Lars, Ola and Per
    assert "Supporters from merged ideas: Kari" in said.text


def test_the_reply_and_notices_in_norwegian(chat: Chat) -> None:
    overlapping_voters(chat)
    chat.ok("kari", "/lang nb")
    chat.ok("nils", "/lang nb")
    said = chat.ok("nils", "/merge 2 1")
    assert "Idé #2 er slått sammen med #1; 2 stemmer ble flyttet." in said
    assert "Nils har slått sammen idé #2 med #1; 2 stemmer ble flyttet." in said  # Kari's notice
    assert "Nils merged idea #2 into #1; 2 votes moved." in said  # Astrid's, in English
    for line in (
        "1 person hadde stemt på begge og beholder én stemme.",
        "Stemmen på #2 fra den som skrev #1, faller bort: ingen stemmer på sin egen idé.",
        "Kari (som skrev #2) regnes nå som støttespiller for #1 (ingen stemme, ingen poeng).",
        "Besparelser, historikk og status blir værende på hver idé.",
    ):
        assert said.text.count(line) == 2, line  # Nils's reply and Kari's notice
    assert "Støttespillere fra idéer som er slått sammen med denne: Kari" in said


def test_votes_move_once_keep_their_time_and_pay_nothing(chat: Chat, clock: ManualClock) -> None:
    overlapping_voters(chat)
    with chat.app.uow.begin(write=False) as tx:
        cast = dict(tx.session.execute(select(Vote.person_id, Vote.created_at).where(Vote.idea_id == 2)).all())
    paid = ledger(chat)
    clock.advance(timedelta(days=3))
    chat.ok("nils", "/merge 2 1")
    assert votes_by_idea(chat) == {1: 4}
    assert ledger(chat) == paid  # a merge pays nobody, and takes nothing back
    with chat.app.uow.begin(write=False) as tx:
        moved = dict(tx.session.execute(select(Vote.person_id, Vote.created_at).where(Vote.idea_id == 1)).all())
        assert all(moved[person] == at for person, at in cast.items() if person in moved)
        assert len(supporter_ids(tx, tx.session.get_one(Idea, 1))) == 1
    # A supporter never voted: Kari may cast a vote of her own, paid once, and then is a voter.
    chat.ok("kari", "/vote 1")
    assert "You have already voted for idea #1." in chat.refused("kari", "/vote 1")
    assert ledger(chat) == [*paid, ("vote_cast", "vote:1")]
    assert "Supporters from merged ideas" not in chat.ok("kari", "/ideas 1")


def test_supporters_of_an_earlier_merge_move_along(chat: Chat) -> None:
    chat.ok("astrid", "/idea Switch off monitors at night")
    chat.ok("kari", "/idea Bike to work week in May")
    chat.ok("ola", "/idea Cycle to the office every Friday")
    chat.as_("nils", "manager")
    assert "Kari (author of #2) now counts as a supporter of #3" in chat.ok("nils", "/merge 2 3")
    said = chat.ok("nils", "/merge 3 1")
    assert "Idea #3 is merged into #1; 0 votes moved." in said
    assert "Ola (author of #3) now counts as a supporter of #1 (not a vote; no points)." in said
    assert "1 supporter from earlier merges now supports #1." in said
    assert "Supporters from merged ideas: Kari, Ola" in said
    assert votes_by_idea(chat) == {}


def test_a_supporter_a_merge_made_takes_no_part_in_the_review(chat: Chat) -> None:
    overlapping_voters(chat)
    chat.ok("admin", "/unit add team South")
    chat.ok("admin", "/unit member South @kari")
    chat.ok("nils", "/merge 2 1")
    chat.as_("mia", "manager")
    assert "4 votes for ideas." in chat.ok("mia", "/review")
    with chat.app.uow.begin(write=False) as tx:
        year = year_of(tx, 2026)
        assert year_figures(tx, year).votes == 4
        rows = {row[0]: row for chunk in participation_rows(tx, year) for row in chunk}
        ideas_sheet = {row[0]: row[6] for chunk in review_ideas.rows(tx, year) for row in chunk}
    assert ideas_sheet == {1: 4, 2: 0}  # the ideas sheet's votes column
    votes = 6  # the participation sheet's column
    assert rows["South"][votes] == 0  # Kari's only "vote" is her merged idea
    assert rows[""][votes] == 4


# A vote on the duplicate while it is being merged: counted once on the target, or refused clearly.
PAIRS = 20
ROOM = Conversation("console", "race", "channel")


@pytest.fixture
def app(database_url: str, clock: ManualClock) -> Iterator[App]:
    application = build_app(make_settings(database_url, similarity_threshold=100), clock)
    yield application
    application.close()


def _submit(app: App, author: Actor, text: str) -> int:
    reply = app.dispatcher.handle(Command("idea", text, author, ROOM))
    assert reply is not None and not reply.is_error, reply and reply.text
    with app.uow.begin(write=False) as tx:
        return int(tx.session.scalars(select(Idea.id).where(Idea.text == text)).one())


def test_a_vote_on_the_duplicate_while_it_is_merged(app: App) -> None:
    pairs = []
    for k in range(PAIRS):
        duplicate = _submit(app, Actor("console", f"d{k}", f"Dag {k}"), f"Duplicate idea {k}")
        target = _submit(app, Actor("console", f"t{k}", f"Tove {k}"), f"Target idea {k}")
        manager = Actor("console", f"m{k}", f"Mia {k}")
        assert app.dispatcher.sign_in_locally(manager, "manager") is None
        pairs.append((duplicate, target, manager, Actor("console", f"v{k}", f"Vera {k}")))

    replies = race(
        app,
        [
            command
            for duplicate, target, manager, voter in pairs
            for command in (
                Command("merge", f"{duplicate} {target}", manager, ROOM),
                Command("vote", str(duplicate), voter, ROOM),
            )
        ],
    )

    counted = []
    for k, (duplicate, target, _, _) in enumerate(pairs):
        merged, voted = replies[2 * k], replies[2 * k + 1]
        assert not merged.is_error, merged.text
        if voted.is_error:
            assert f"Idea #{duplicate} was merged into #{target}; vote there." in voted.text
            assert f"Idea #{duplicate} is merged into #{target}; 0 votes moved." in merged.text
        else:
            assert f"Idea #{duplicate} is merged into #{target}; 1 vote moved." in merged.text
            counted.append(target)
    with app.uow.begin(write=False) as tx:
        votes = sorted(tx.session.scalars(select(Vote.idea_id)))
        paid = tx.session.scalar(select(func.count()).where(LedgerEntry.reason == "vote_cast"))
    assert votes == sorted(counted)  # never lost on the duplicate, never doubled
    assert paid == len(counted)
