"""Cross-platform transcripts: parse them, and read the database state they must all end in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app import App
from bot.core.models import (
    Idea,
    Kudos,
    LedgerEntry,
    Person,
    Praise,
    Redemption,
    Reward,
    Saving,
    Unit,
    Vote,
)

TRANSCRIPTS = Path(__file__).parent / "transcripts"


def _sorted(rows: Any) -> list[Any]:
    return sorted(rows, key=repr)  # rows hold None beside strings, which do not compare


@dataclass(frozen=True)
class Line:
    name: str
    text: str

    @property
    def presses(self) -> int | None:
        """The button number this line presses, or None for typed text."""
        return int(self.text) if self.text.isdigit() else None


def parse(name: str) -> list[Line]:
    lines = []
    for raw in (TRANSCRIPTS / name).read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            who, _, text = raw.partition("> ")
            lines.append(Line(who.strip(), text))
    return lines


def state(app: App) -> dict[str, Any]:
    """The platform-independent outcome: people, units, ideas, votes, points, praise, rewards.

    Keys are names and texts rather than ids, and display names rather than accounts, so that
    runs on different platforms (and PostgreSQL, whose ids may skip) compare equal.
    """
    with app.uow.begin(write=False) as tx:
        session = tx.session
        names = dict(session.execute(select(Person.id, Person.display_name)).all())
        units = {unit.id: unit for unit in session.scalars(select(Unit))}
        ideas = {idea.id: idea for idea in session.scalars(select(Idea))}
        rewards = {reward.id: reward for reward in session.scalars(select(Reward))}

        def unit_name(unit_id: int | None) -> str | None:
            return units[unit_id].name if unit_id else None

        return {
            "people": _sorted(
                (person.display_name, person.role, unit_name(person.unit_id), person.locale)
                for person in session.scalars(select(Person))
            ),
            "units": _sorted(
                (u.name, u.kind, unit_name(u.parent_id), names.get(u.representative_id or 0))
                for u in units.values()
            ),
            "ideas": _sorted(
                (
                    idea.text,
                    names[idea.author_id],
                    idea.status,
                    idea.area,
                    idea.status_note,
                    ideas[idea.merged_into_id].text if idea.merged_into_id else None,
                )
                for idea in ideas.values()
            ),
            "votes": _sorted(
                (ideas[vote.idea_id].text, names[vote.person_id]) for vote in session.scalars(select(Vote))
            ),
            "savings": _sorted(
                (
                    ideas[s.idea_id].text,
                    format(s.amount.normalize(), "f"),
                    s.unit,
                    s.kind,
                    names[s.recorded_by_id],
                )
                for s in session.scalars(select(Saving))
            ),
            "ledger": _sorted(
                (names[entry.person_id], entry.reason, entry.amount)
                for entry in session.scalars(select(LedgerEntry))
            ),
            "kudos": _sorted(
                (names[k.giver_id], names[k.receiver_id], k.via) for k in session.scalars(select(Kudos))
            ),
            "praise": _sorted(
                (names[p.giver_id], names.get(p.person_id or 0), unit_name(p.unit_id), p.message)
                for p in session.scalars(select(Praise))
            ),
            "rewards": sorted((r.name, r.cost, r.active) for r in rewards.values()),
            "redemptions": _sorted(
                (names[r.person_id], rewards[r.reward_id].name, r.status, r.note)
                for r in session.scalars(select(Redemption))
            ),
        }
