"""Migration 0019 removes the vote rows a merge once wrote for the duplicate's author, and no vote cast."""

from __future__ import annotations

from sqlalchemy import text

from bot.core import migrate
from bot.core.db import make_engine

MERGED_AT = "2026-11-20 10:00:00"
PEOPLE = [(1, "Astrid"), (2, "Kari"), (3, "Ola"), (4, "Nils")]
IDEAS = [  # id, author, status, merged into
    (1, 1, "new", None),
    (2, 2, "merged", 1),  # Kari's duplicate of #1, merged by the code before
    (3, 1, "new", None),
    (4, 2, "merged", 3),  # Kari had voted for #3 herself before the merge
]
VOTES = [  # idea, person, created
    (1, 2, MERGED_AT),  # written by the merge for Kari: nobody cast it
    (1, 3, MERGED_AT),  # Ola's vote for #2, moved by the merge
    (3, 2, "2026-11-18 09:00:00"),  # cast by Kari
]


def test_merge_made_votes_go_and_cast_votes_stay(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.downgrade(engine, "0018")
    with engine.begin() as connection:
        for id_, name in PEOPLE:
            connection.execute(
                text(
                    "INSERT INTO persons (id, display_name, role, locale, created_at)"
                    " VALUES (:id, :name, 'member', 'en', '2026-11-01 09:00:00')"
                ),
                {"id": id_, "name": name},
            )
        for id_, author, status, into in IDEAS:
            connection.execute(
                text(
                    "INSERT INTO ideas (id, author_id, text, status, merged_into_id, created_at, updated_at)"
                    " VALUES (:id, :author, 'An idea', :status, :into, '2026-11-02 10:00:00', :at)"
                ),
                {"id": id_, "author": author, "status": status, "into": into, "at": MERGED_AT},
            )
            if status == "merged":
                connection.execute(
                    text(
                        "INSERT INTO idea_status_changes"
                        " (idea_id, from_status, to_status, note, changed_by_id, created_at)"
                        " VALUES (:id, 'new', 'merged', :note, 4, :at)"
                    ),
                    {"id": id_, "note": f"#{into}", "at": MERGED_AT},
                )
        for idea, person, created in VOTES:
            connection.execute(
                text("INSERT INTO votes (idea_id, person_id, created_at) VALUES (:idea, :person, :at)"),
                {"idea": idea, "person": person, "at": created},
            )
    assert migrate.upgrade(engine) is True
    with engine.connect() as connection:
        kept = connection.execute(
            text("SELECT idea_id, person_id FROM votes ORDER BY idea_id, person_id")
        ).all()
    migrate.downgrade(engine, "0018")
    with engine.connect() as connection:
        restored = connection.execute(
            text("SELECT idea_id, person_id FROM votes ORDER BY idea_id, person_id")
        ).all()
    migrate.upgrade(engine)
    engine.dispose()
    assert [tuple(row) for row in kept] == [(1, 3), (3, 2)]
    assert [tuple(row) for row in restored] == [(1, 2), (1, 3), (3, 2)]
