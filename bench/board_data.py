"""An organisation for the board benchmark, built through the commands people type (the console) and the
core services: 500 ideas in every state with votes and savings, 50 goals with measurements (every one on
the organisation's board), two running campaigns with actions logged, a running competition, praise, and
board links (tokens) for the organisation, its sites and its teams."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from bench.core import IdeaTexts
from bot.app import App
from bot.core import board_links, goals
from bot.core.clock import ManualClock
from bot.core.goal_metrics import read_metric
from bot.core.goal_rules import GoalPlan
from bot.core.models import Person, Unit
from bot.core.uow import Tx
from campaigns.campaign_timing import KICK_OFF
from tests.chat import Chat

ORGANISATION = "Greenfield"
SITES = ("Harbour", "Hillside")
TEAMS_PER_SITE = 4
MEMBERS_PER_TEAM = 6
STATUSES = (("new", 40), ("under_review", 15), ("accepted", 20), ("implemented", 20), ("declined", 5))
VOTES_PER_IDEA = (0, 0, 1, 1, 2, 2, 3, 4, 6, 9)
ORGANISATION_GOALS = 10  # the rest are the teams' (every goal is on the organisation's board)
MEASUREMENTS_PER_GOAL = 3
PRAISE = 20
CAMPAIGN_ACTIONS = 40
LINK_LOCALES = ("en", "sv", "nb", "da")
IDEA_NUMBER = re.compile(r"#(\d+)")


@dataclass(frozen=True)
class Organisation:
    ideas: dict[int, str]  # id → status
    votable: list[int]  # ideas a newcomer may still vote for (open ones)
    goals: int
    tokens: list[str]  # one per board link: the organisation's (in four languages), sites', teams'
    links: list[str]  # what each link shows, in the order of `tokens`
    counts: dict[str, int]


def team_names() -> list[tuple[str, str]]:
    return [(site, f"{site} {chr(ord('A') + n)}") for site in SITES for n in range(TEAMS_PER_SITE)]


def build(
    app: App, clock: ManualClock, ideas: int = 500, goal_count: int = 50, links: int = 10
) -> Organisation:
    """Everything typed as people would, the clock moving from its start to two days later."""
    rng = random.Random(11)
    chat = Chat(app)
    start = clock.now()
    today = start.date()

    def ok(name: str, line: str) -> str:
        return chat.ok(name, line).text

    ok("admin", f"/unit add organisation {ORGANISATION}")
    for site in SITES:
        ok("admin", f"/unit add site {site} under {ORGANISATION}")
    members: list[str] = []
    for site, team in team_names():
        ok("admin", f"/unit add team {team} under {site}")
        names = [f"p{len(members) + n:02d}" for n in range(MEMBERS_PER_TEAM)]
        for name in names:
            chat.as_(name)
        ok("admin", f"/unit member {team} " + " ".join(f"@{name}" for name in names))
        members += names
    ok("admin", f"/role @{members[0]} manager")
    # Running during the load: a campaign for everyone and one for a site, a competition between teams.
    first = today + timedelta(days=1)
    ok("admin", f"/campaign new from bike-week {first.isoformat()}")
    ok("admin", f"/campaign new from food-waste-week {first.isoformat()} {SITES[0]}")
    teams = ", ".join(team for _, team in team_names())
    ok("admin", f"/competition new units Autumn moves from {today.isoformat()} to "
                f"{(today + timedelta(days=14)).isoformat()} units {teams}")  # fmt: skip

    texts = IdeaTexts(seed=5).take(ideas)
    authors: dict[int, str] = {}
    for number, text in enumerate(texts):
        author = members[number % len(members)]
        said = ok(author, f"/idea {text}")
        found = IDEA_NUMBER.search(said)
        assert found is not None, said
        authors[int(found.group(1))] = author
    clock.set(start + timedelta(hours=6))
    for idea, author in authors.items():
        voters = rng.sample([name for name in members if name != author], rng.choice(VOTES_PER_IDEA))
        for voter in voters:
            ok(voter, f"/vote {idea}")
    statuses = [status for status, _ in STATUSES]
    weights = [weight for _, weight in STATUSES]
    status_of: dict[int, str] = {}
    for idea, author in authors.items():
        status = rng.choices(statuses, weights)[0]
        status_of[idea] = status
        if status in ("accepted", "implemented"):
            ok(author, f"/saving {idea} {rng.randrange(100, 5_000)} kWh/year")
        if status == "declined":
            ok("admin", f"/status {idea} declined Not this year")
        elif status != "new":
            ok("admin", f"/status {idea} {status}")
        if status == "implemented":
            ok("admin", f"/saving {idea} {rng.randrange(100, 4_000)} kWh/year verified")

    # The campaigns have started: past their kick-off on their first day, whatever the time of day now.
    clock.set(max(clock.now(), datetime.combine(first, KICK_OFF, app.uow.policy.timezone) + timedelta(hours=2)))
    app.ticker.tick()
    for member in rng.sample(members, CAMPAIGN_ACTIONS):  # once a day each
        ok(member, "/did cycled to work")
    made = _goals(app, today, goal_count, rng)
    for number in range(PRAISE):
        praised = members[rng.randrange(1, len(members))]
        ok("admin" if number % 2 else members[0], f"/praise @{praised} Thank you for idea {number}: well done!")
    clock.set(start + timedelta(days=2))
    tokens, shown = _links(app, links)
    return Organisation(
        ideas=status_of,
        votable=[idea for idea, status in status_of.items() if status in ("new", "under_review", "accepted")],
        goals=made,
        tokens=tokens,
        links=shown,
        counts={
            "people": len(members) + 1,
            "ideas": len(status_of),
            **{status: sum(1 for s in status_of.values() if s == status) for status in statuses},
            "goals": made,
        },
    )


def _goals(app: App, today: date, count: int, rng: random.Random) -> int:
    """`count` goals: some the organisation's, the rest spread over the teams; each measured a few times."""
    with app.uow.begin() as tx:
        admin = _person(tx, "Admin")
        team_ids = [
            unit.id for unit in tx.session.scalars(select(Unit).where(Unit.kind == "team").order_by(Unit.id))
        ]
        for number in range(count):
            unit_id = None if number < ORGANISATION_GOALS else team_ids[number % len(team_ids)]
            baseline = Decimal(rng.randrange(50_000, 200_000))
            plan = GoalPlan(
                unit_id=unit_id,
                title=f"Less electricity {number + 1}",
                metric=read_metric("kWh"),
                baseline=baseline,
                baseline_year=today.year - 1,
                target=baseline * Decimal("0.8"),
                deadline=date(today.year + 1, 12, 31),
                owner_id=None,
                dimension="ecological",
            )
            goal = goals.create(tx, admin, plan).goal
            for month in range(MEASUREMENTS_PER_GOAL):
                day = today - timedelta(days=30 * (MEASUREMENTS_PER_GOAL - month))
                value = baseline * (1 - Decimal(rng.randrange(1, 15)) / 100)
                goals.record(tx, admin, goal.id, value, max(day, date(today.year, 1, 1)))
    return count


def _links(app: App, count: int) -> tuple[list[str], list[str]]:
    """The organisation's board in four languages, then each site's, then teams' in turn, `count` in all."""
    with app.uow.begin() as tx:
        admin = _person(tx, "Admin")
        units = list(tx.session.scalars(select(Unit).where(Unit.kind != "organisation").order_by(Unit.id)))
        scopes: list[tuple[Unit | None, str]] = [(None, locale) for locale in LINK_LOCALES]
        scopes += [(unit, LINK_LOCALES[n % len(LINK_LOCALES)]) for n, unit in enumerate(units)]
        tokens, shown = [], []
        for number in range(count):
            unit, locale = scopes[number % len(scopes)]
            tokens.append(board_links.make(tx, admin, unit, locale).token)
            shown.append(f"{'the organisation' if unit is None else unit.name} ({locale})")
    return tokens, shown


def _person(tx: Tx, display_name: str) -> Person:
    return tx.session.scalars(select(Person).where(Person.display_name == display_name)).one()


def started_at(now: datetime) -> datetime:
    """Where the clock starts so that the built organisation ends at `now` (two days later)."""
    return now - timedelta(days=2)
