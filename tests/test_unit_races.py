"""Two admins correcting the unit tree at once: a rename and a removal, two moves that would make a cycle."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.core.models import Unit
from bot.dispatcher import FAILURE
from tests.test_races import ADMIN, PAIRS, app, deciders, ok, race_pairs, winners

__all__ = ["app"]  # the fixture: the app the race tests share


def _parents(app: App) -> dict[str, str | None]:
    with app.uow.begin(write=False) as tx:
        units = tx.session.scalars(select(Unit)).all()
        names = {unit.id: unit.name for unit in units}
        return {unit.name: names.get(unit.parent_id) if unit.parent_id else None for unit in units}


def test_a_rename_and_a_removal_at_once_leave_one_outcome(app: App) -> None:
    pairs = deciders(app, "admin")
    for k in range(PAIRS):
        ok(app, ADMIN, f"/unit add team Old {k}")
    replies = race_pairs(
        app, pairs, lambda k: ("unit", f"rename Old {k} New {k}"), lambda k: ("unit", f"remove Old {k}")
    )
    assert not any(FAILURE in reply.text for reply in replies)
    left = _parents(app)
    for k in range(PAIRS):
        renamed, removed = (not reply.is_error for reply in replies[2 * k : 2 * k + 2])
        assert renamed or removed
        assert f"Old {k}" not in left
        assert (f"New {k}" in left) == (not removed), (replies[2 * k].text, replies[2 * k + 1].text)


def test_two_units_moved_under_each_other_at_once_make_no_cycle(app: App) -> None:
    pairs = deciders(app, "admin")
    ok(app, ADMIN, "/unit add organisation Kommune")
    for k in range(PAIRS):
        ok(app, ADMIN, f"/unit add site East {k} under Kommune")
        ok(app, ADMIN, f"/unit add site West {k} under Kommune")
    replies = race_pairs(
        app,
        pairs,
        lambda k: ("unit", f"move East {k} under West {k}"),
        lambda k: ("unit", f"move West {k} under East {k}"),
    )
    taken = winners(replies)
    parents = _parents(app)
    for k, won in enumerate(taken):
        loser = replies[2 * k + 1 - won].text
        assert "cannot go under it" in loser, loser
        moved, stayed = (f"East {k}", f"West {k}") if won == 0 else (f"West {k}", f"East {k}")
        assert (parents[moved], parents[stayed]) == (stayed, "Kommune")


def test_a_unit_moved_under_one_being_removed_is_never_left_without_a_parent(app: App) -> None:
    pairs = deciders(app, "admin")
    ok(app, ADMIN, "/unit add organisation Kommune")
    for k in range(PAIRS):
        ok(app, ADMIN, f"/unit add team Crew {k} under Kommune")
        ok(app, ADMIN, f"/unit add site Depot {k} under Kommune")
    replies = race_pairs(
        app,
        pairs,
        lambda k: ("unit", f"move Crew {k} under Depot {k}"),
        lambda k: ("unit", f"remove Depot {k}"),
    )
    taken = winners(replies)
    parents = _parents(app)
    for k, won in enumerate(taken):
        if won == 0:  # moved first: the depot now has a subunit, so it stays
            assert "still has subunits: Crew" in replies[2 * k + 1].text
            assert parents[f"Crew {k}"] == f"Depot {k}"
        else:
            assert f"Depot {k}" not in parents and parents[f"Crew {k}"] == "Kommune"
