"""Core benchmark: ideas through the dispatcher and leaderboards over a large points ledger, per backend."""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, desc, func, insert, select, text, update
from sqlalchemy.engine import make_url

from bot.app import App, build_app
from bot.config import Settings
from bot.core import people, points
from bot.core.clock import ManualClock
from bot.core.db import make_engine
from bot.core.models import Base, Idea, LedgerEntry, Person, PersonPointTotal, Unit, UnitPointTotal
from bot.core.policy import PointValues
from bot.core.uow import Tx
from bot.messages import Actor, Command, Conversation, Reply

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
TIMEZONE = "Europe/Oslo"
HISTORY = timedelta(days=365)
TARGET_MS = 50.0
WARMUP_RUNS = 3
TIMED_RUNS = 25
ACTORS = 50
WARMUP_IDEAS = 10
OPEN_IDEAS = 5_000
SITES, DEPARTMENTS_PER_SITE, TEAMS = 10, 3, 260
UNITS = 1 + SITES + SITES * DEPARTMENTS_PER_SITE + TEAMS
BATCH = 50_000
CONVERSATION = Conversation("console", "general", "channel", "#general")

Row = tuple[Any, ...]
UNIT_COLUMNS = ("id", "name", "name_key", "kind", "parent_id", "representative_id", "created_at")

# About 300 words of the trade; ideas are random handfuls of them.
SUSTAINABILITY_WORDS = """
energy electricity heating cooling ventilation lighting insulation thermostat radiator boiler
heatpump solar panels battery charger inverter meter sensor timer switch standby monitor printer
server laptop screen projector freezer fridge dishwasher kettle coffee canteen kitchen lunch
vegetarian menu leftovers compost bread fruit vegetables organic local seasonal packaging plastic
cardboard paper glass metal aluminium textile furniture reuse repair refurbish secondhand donate
share borrow rent lease recycle sorting bins labels signage station collection hazardous chemicals
cleaning detergent ecolabel certified supplier procurement contract tender criteria catalogue order
delivery logistics route van truck bicycle ebike scooter bus train tram ferry carpool parking
charging electric hybrid fuel diesel petrol biogas hydrogen commute remote videocall meeting travel
flight hotel conference webinar training course workshop awareness campaign challenge competition
newsletter intranet poster ambassador champion volunteer office warehouse depot garage basement
roof garden courtyard greenery trees flowers pollinators bees birdhouse biodiversity meadow pond
rainwater drainage water tap shower toilet flush leak pipe pump irrigation filter bottle refill
fountain mug cup tray cutlery napkin towel dispenser soap gloves uniform workwear shoes lockers
stairs elevator door window blinds shading curtains draught sealing facade airflow humidity
temperature comfort daylight motion occupancy schedule night weekend holiday shutdown maintenance
inspection audit checklist report dashboard indicator target baseline footprint emissions carbon
climate offset scope inventory tracking savings budget cost invoice kilowatt litres tonnes
kilometres hours percent monthly yearly quarterly weekly daily morning evening reminder
notification digital paperless scanning archive cloud storage backup email attachments printing
duplex toner cartridge ink envelope stationery pens notebooks whiteboard markers electronics
phones cables headsets keyboards docking spare parts tools workbench forklift pallets crates
shrinkwrap straps tape foam wood timber concrete asphalt gravel salt snow ice winter summer spring
autumn wind storm flood heatwave shade umbrella bikeshed rack helmet lights reflective tyres
pedals lamps bulbs diodes fixtures dimmer fans compressor chiller condenser valves ducts vents
heatexchanger recovery district steam hotwater coldwater dripping sprinkler lawn mower hedges
planters soil seeds herbs greenhouse beehive nesting wildflowers hedgehog insects
"""
AREA_TAGS = ("energy", "waste", "travel", "water", "purchasing", "food", "biodiversity")
SYLLABLES = ("ba", "ke", "di", "mo", "lu", "fa", "ri", "so", "te", "vi", "no", "ga", "pe", "zu", "ha", "jo")
FIRST_NAME_TEXT = (
    "Astrid Karin Emma Nora Ingrid Sofie Maja Ida Sara Lena Anna Eva Liv Hanna Marte Sigrid Tuva Frida "
    "Lars Ole Erik Jonas Anders Magnus Henrik Per Nils Jens Mats Bjørn Emil Tor Sindre Knut Aksel Jakob"
)
LAST_NAME_TEXT = (
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen "
    "Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen Henriksen Lund "
    "Sørensen Jakobsen Moen Gundersen Iversen Strand Svendsen Solberg Martinsen Paulsen Knutsen Eide"
)
WORDS = tuple(dict.fromkeys(SUSTAINABILITY_WORDS.split()))
FIRST_NAMES = FIRST_NAME_TEXT.split()
LAST_NAMES = LAST_NAME_TEXT.split()
_VALUES = PointValues()
# (reason, amount, reference prefix, weight): votes and kudos are everyday, accepted ideas are rare.
REASONS = (
    ("vote_cast", _VALUES.vote_cast, "vote", 50),
    ("kudos_received", _VALUES.kudos_received, "kudos", 25),
    ("idea_submitted", _VALUES.idea_submitted, "idea", 15),
    ("praise_received", _VALUES.praise_received, "praise", 5),
    ("idea_accepted", _VALUES.idea_accepted, "idea", 5),
)


@dataclass(frozen=True)
class Config:
    ideas: int
    people: int
    ledger_rows: int


@dataclass(frozen=True)
class IdeaRun:
    label: str
    count: int
    seconds: float
    samples_ms: list[float]
    drafts: int = 0
    errors: int = 0

    @property
    def per_second(self) -> float:
        return self.count / self.seconds


@dataclass(frozen=True)
class Timing:
    label: str
    median_ms: float
    p95_ms: float


@dataclass(frozen=True)
class Org:
    units: list[Row]
    parents: dict[int, int | None]
    sites: list[int]
    teams: list[int]


@dataclass(frozen=True)
class Loaded:
    """What the leaderboard stage loaded, how long it took, and whom to ask about."""

    seconds: dict[str, float]
    table_seconds: dict[str, float]
    counts: dict[str, int]
    median_person: int
    median_name: str
    site: int


class Stopwatch:
    """Adds up the time spent producing batches, so that generating and loading are told apart."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, batches: Iterable[list[Row]]) -> Iterator[list[Row]]:
        iterator = iter(batches)
        while True:
            started = time.perf_counter()
            batch = next(iterator, None)
            self.seconds += time.perf_counter() - started
            if batch is None:
                return
            yield batch


class IdeaTexts:
    """Idea texts that rapidfuzz finds unlike each other: random words plus a word of their own."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.number = 0

    def take(self, count: int) -> list[str]:
        texts = [self._text(self.number + offset) for offset in range(count)]
        self.number += count
        return texts

    def _text(self, number: int) -> str:
        words = self.rng.sample(WORDS, self.rng.randint(6, 9))
        words.append(number_word(number))
        tag = f" #{self.rng.choice(AREA_TAGS)}" if number % 3 == 0 else ""
        return " ".join(words).capitalize() + tag


class Totals:
    """Per period and person, the points award() would have added up."""

    def __init__(self) -> None:
        self.people: dict[str, dict[int, int]] = {}

    def add(self, periods: tuple[str, ...], person: int, amount: int) -> None:
        for period in periods:
            column = self.people.setdefault(period, {})
            column[person] = column.get(person, 0) + amount

    def rows(self) -> int:
        return sum(len(column) for column in self.people.values())


def number_word(number: int) -> str:
    syllables = []
    while True:
        number, digit = divmod(number, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
        if number == 0:
            return "".join(syllables)


def ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def percentile(samples: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least `share` % of samples at or below it."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(len(ordered) * share / 100) - 1)]


def stamp(moment: datetime) -> str:
    """A UTC time as both SQLite (in SQLAlchemy's format) and PostgreSQL store it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def bench_settings(url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=url,
        admins=[],
        announce_channels=[],
        default_locale="en",
        timezone=TIMEZONE,
    )


def empty_database(engine: Engine) -> None:
    """Drop everything, so that each stage starts from a freshly migrated schema."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        return
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.execute("PRAGMA foreign_keys=OFF")
        tables = driver.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        for (name,) in tables.fetchall():
            driver.execute(f'DROP TABLE "{name}"')
        driver.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()


def fresh_app(url: str) -> App:
    engine = make_engine(url)
    empty_database(engine)
    return build_app(bench_settings(url), ManualClock(NOW), engine)


def backend_name(engine: Engine) -> str:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            return f"PostgreSQL {connection.execute(text('SHOW server_version')).scalar_one()}"
        return f"SQLite {connection.execute(text('SELECT sqlite_version()')).scalar_one()}"


# Ideas through the dispatcher ------------------------------------------------------------------


def bench_actors() -> list[Actor]:
    return [Actor("console", f"bench{n:02d}", f"Bench {n:02d}", None, f"bench{n:02d}") for n in range(ACTORS)]


def is_draft(reply: Reply) -> bool:
    return any(button.action_id.startswith("idea.draft:") for button in reply.buttons)


def submit_ideas(app: App, label: str, texts: Sequence[str], actors: Sequence[Actor]) -> IdeaRun:
    samples: list[float] = []
    drafts = errors = 0
    started = time.perf_counter()
    for index, idea in enumerate(texts):
        before = time.perf_counter()
        reply = app.dispatcher.handle(Command("idea", idea, actors[index % len(actors)], CONVERSATION))
        samples.append(ms_since(before))
        if reply is None or reply.is_error:
            errors += 1
        elif is_draft(reply):
            drafts += 1
    return IdeaRun(label, len(texts), time.perf_counter() - started, samples, drafts, errors)


def idea_row(author_id: int, idea: str) -> dict[str, Any]:
    return {
        "author_id": author_id,
        "text": idea,
        "status": "new",
        "created_at": NOW,
        "updated_at": NOW,
    }


def top_up_board(engine: Engine, author_id: int, texts: IdeaTexts, wanted: int) -> None:
    """Open ideas straight into the table until the board holds `wanted` of them."""
    with engine.begin() as connection:
        count = connection.scalar(select(func.count()).where(Idea.status == "new")) or 0
        missing = max(0, wanted - count)
        if missing:
            connection.execute(insert(Idea), [idea_row(author_id, idea) for idea in texts.take(missing)])


def bare_inserts(engine: Engine, author_id: int, texts: Sequence[str]) -> IdeaRun:
    samples: list[float] = []
    started = time.perf_counter()
    for idea in texts:
        before = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(insert(Idea).values(**idea_row(author_id, idea)))
        samples.append(ms_since(before))
    return IdeaRun("bare insert + commit (baseline)", len(texts), time.perf_counter() - started, samples)


def signed_in_actors(app: App) -> list[Actor]:
    actors = bench_actors()
    for actor in actors:
        app.dispatcher.sign_in_locally(actor, None)
    return actors


def person_id(app: App, actor: Actor) -> int:
    with app.uow.begin(write=False) as tx:
        person = people.find_account_person(tx, actor)
        assert person is not None
        return person.id


def ideas_stage(url: str, config: Config) -> list[IdeaRun]:
    texts = IdeaTexts(seed=1)
    app = fresh_app(url)
    try:
        actors = signed_in_actors(app)
        submit_ideas(app, "warm-up", texts.take(WARMUP_IDEAS), actors)
        starting = submit_ideas(app, "/idea, board starting near empty", texts.take(config.ideas), actors)
        author = person_id(app, actors[0])
        top_up_board(app.engine, author, texts, OPEN_IDEAS)
        full = submit_ideas(
            app, f"/idea, board holds {OPEN_IDEAS:,} open ideas", texts.take(config.ideas), actors
        )
        bare = bare_inserts(app.engine, author, texts.take(config.ideas))
    finally:
        app.close()
    return [starting, ideas_in_teams(url, config, texts), full, bare]


def ideas_in_teams(url: str, config: Config, texts: IdeaTexts) -> IdeaRun:
    """As on a near-empty board, but by members of a team: award() then also credits its four units."""
    app = fresh_app(url)
    try:
        org = build_org()
        bulk_load(app.engine, "units", UNIT_COLUMNS, [org.units])
        actors = signed_in_actors(app)
        with app.engine.begin() as connection:
            connection.execute(update(Person).values(unit_id=org.teams[0]))
        submit_ideas(app, "warm-up", texts.take(WARMUP_IDEAS), actors)
        label = f"/idea, board starting near empty, authors in a team ({UNITS} units)"
        return submit_ideas(app, label, texts.take(config.ideas), actors)
    finally:
        app.close()


def print_ideas(runs: Sequence[IdeaRun], config: Config) -> None:
    print(f"\nIdeas ({config.ideas:,} per case, {ACTORS} console actors)\n")
    rows = [
        [run.label, f"{run.per_second:,.0f}", f"{percentile(run.samples_ms, 50):.2f}",
         f"{percentile(run.samples_ms, 99):.2f}", str(run.drafts), str(run.errors)]
        for run in runs
    ]  # fmt: skip
    print_table(["case", "ideas/s", "p50 ms", "p99 ms", "drafts", "errors"], rows)
    bare = runs[-1].per_second
    for run in runs[:-1]:
        print(f"- {run.label}: {bare / run.per_second:.1f}× slower than the bare insert")


# Leaderboard at scale --------------------------------------------------------------------------


def build_org() -> Org:
    """Organisation → sites → departments → teams, with ids given in that order."""
    created = stamp(NOW - HISTORY)
    units: list[Row] = []
    parents: dict[int, int | None] = {}

    def add(name: str, kind: str, parent: int | None) -> int:
        unit_id = len(units) + 1
        units.append((unit_id, name, name.casefold(), kind, parent, None, created))
        parents[unit_id] = parent
        return unit_id

    organisation = add("Bench Municipality", "organisation", None)
    sites = [add(f"Site {s:02d}", "site", organisation) for s in range(1, SITES + 1)]
    departments = [
        add(f"Department {s:02d}-{d}", "department", site)
        for s, site in enumerate(sites, start=1)
        for d in range(1, DEPARTMENTS_PER_SITE + 1)
    ]
    teams = [add(f"Team {n:03d}", "team", departments[n % len(departments)]) for n in range(1, TEAMS + 1)]
    return Org(units, parents, sites, teams)


def person_name(person: int) -> str:
    first = FIRST_NAMES[person % len(FIRST_NAMES)]
    last = LAST_NAMES[person // len(FIRST_NAMES) % len(LAST_NAMES)]
    return f"{first} {last}"


def people_batches(team_of: Sequence[int], accounts: bool) -> Iterator[list[Row]]:
    created = stamp(NOW - HISTORY)
    for first in range(1, len(team_of), BATCH):
        ids = range(first, min(first + BATCH, len(team_of)))
        if accounts:
            yield [(p, p, "console", f"p{p}", person_name(p), f"p{p}", None, created) for p in ids]
        else:
            yield [(p, person_name(p), "member", None, team_of[p], created) for p in ids]


def hourly_periods(app: App, start: datetime, hours: int) -> tuple[list[tuple[str, ...]], list[str]]:
    """The period keys and the timestamp prefix of each hour; Oslo's offsets are whole hours."""
    with app.uow.begin(write=False) as tx:
        moments = [start + timedelta(hours=hour) for hour in range(hours)]
        keys = [tuple(points.period_keys(moment, tx).values()) for moment in moments]
    return keys, [stamp(moment)[:13] for moment in moments]


def ledger_batches(
    app: App, rng: random.Random, config: Config, team_of: Sequence[int], totals: Totals
) -> Iterator[list[Row]]:
    """Ledger rows in time order over the last year, adding each to `totals` as award() would."""
    start = NOW - HISTORY
    span = int(HISTORY.total_seconds())
    keys, hour_stamps = hourly_periods(app, start, span // 3600)
    offsets = sorted(rng.randrange(span) for _ in range(config.ledger_rows))
    weights = [reason[3] for reason in REASONS]
    for first in range(0, config.ledger_rows, BATCH):
        chunk = offsets[first : first + BATCH]
        reasons = rng.choices(REASONS, weights=weights, k=len(chunk))
        batch: list[Row] = []
        for row_id, offset, (reason, amount, prefix, _) in zip(
            range(first + 1, first + len(chunk) + 1), chunk, reasons, strict=True
        ):
            # Skewed towards low ids: a few keen people earn much of the points, as in real programmes.
            person = 1 + int(config.people * rng.random() ** 2)
            hour, second = divmod(offset, 3600)
            created = f"{hour_stamps[hour]}:{second // 60:02d}:{second % 60:02d}.000000"
            batch.append((row_id, person, amount, reason, f"{prefix}:{row_id}", team_of[person], created))
            totals.add(keys[hour], person, amount)
        yield batch


def person_total_batches(totals: Totals) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for period, column in totals.people.items():
        for person, earned in column.items():
            batch.append((person, period, earned))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def unit_totals(totals: Totals, team_of: Sequence[int], parents: dict[int, int | None]) -> list[Row]:
    """Each team's points credited to the team and every unit above it, per period."""
    credited: dict[tuple[int, str], int] = {}
    for period, column in totals.people.items():
        by_team: dict[int, int] = {}
        for person, earned in column.items():
            by_team[team_of[person]] = by_team.get(team_of[person], 0) + earned
        for team, earned in by_team.items():
            unit: int | None = team
            while unit is not None:
                credited[unit, period] = credited.get((unit, period), 0) + earned
                unit = parents[unit]
    return [(unit, period, earned) for (unit, period), earned in credited.items()]


def bulk_load(engine: Engine, table: str, columns: Sequence[str], batches: Iterable[list[Row]]) -> None:
    """COPY on PostgreSQL, executemany in one transaction on SQLite."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        names = ", ".join(columns)
        if engine.dialect.name == "postgresql":
            with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for batch in batches:
                    for row in batch:
                        copy.write_row(row)
            driver.commit()
        else:
            marks = ", ".join("?" for _ in columns)
            driver.execute("BEGIN")
            for batch in batches:
                driver.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
            driver.execute("COMMIT")
    finally:
        raw.close()


def settle_postgres(engine: Engine) -> None:
    """What autovacuum would soon do after a bulk load (statistics, visibility map); sequences moved on."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("units", "persons", "accounts", "ledger"):
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
        connection.execute(text("VACUUM ANALYZE"))


def load_leaderboard_data(app: App, config: Config) -> Loaded:
    rng = random.Random(2)
    org = build_org()
    team_of = [0, *(rng.choice(org.teams) for _ in range(config.people))]
    totals = Totals()
    tables: list[tuple[str, Sequence[str], Callable[[], Iterable[list[Row]]]]] = [
        ("units", UNIT_COLUMNS, lambda: [org.units]),
        ("persons", ("id", "display_name", "role", "locale", "unit_id", "created_at"),
         lambda: people_batches(team_of, accounts=False)),
        ("accounts", ("id", "person_id", "platform", "external_id", "display_name", "handle", "locale",
                      "last_seen_at"),
         lambda: people_batches(team_of, accounts=True)),
        ("ledger", ("id", "person_id", "amount", "reason", "reference", "unit_id", "created_at"),
         lambda: ledger_batches(app, rng, config, team_of, totals)),
        ("person_point_totals", ("person_id", "period", "points"), lambda: person_total_batches(totals)),
        ("unit_point_totals", ("unit_id", "period", "points"),
         lambda: [unit_totals(totals, team_of, org.parents)]),
    ]  # fmt: skip
    generating, loading = Stopwatch(), {}
    for table, columns, batches in tables:
        generated, started = generating.seconds, time.perf_counter()
        bulk_load(app.engine, table, columns, generating.wrap(batches()))
        loading[table] = time.perf_counter() - started - (generating.seconds - generated)
    seconds = {"generate": generating.seconds, "load": sum(loading.values())}
    if app.engine.dialect.name == "postgresql":
        started = time.perf_counter()
        settle_postgres(app.engine)
        seconds["vacuum analyze"] = time.perf_counter() - started
    median_person = median_earner(totals)
    return Loaded(
        seconds=seconds,
        table_seconds=loading,
        counts={"person totals": totals.rows(), "unit totals": row_count(app.engine, UnitPointTotal)},
        median_person=median_person,
        median_name=person_name(median_person),
        site=org.sites[0],
    )


def median_earner(totals: Totals) -> int:
    ranked = sorted(totals.people["all"].items(), key=lambda item: (item[1], item[0]))
    return ranked[len(ranked) // 2][0]


def row_count(engine: Engine, model: type[Base]) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def month_start(app: App) -> datetime:
    local = NOW.astimezone(app.uow.policy.timezone)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def naive_leaderboard(since: datetime) -> Select[int, int]:
    earned = func.sum(LedgerEntry.amount).label("earned")
    return (
        select(LedgerEntry.person_id, earned)
        .where(LedgerEntry.created_at >= since)
        .group_by(LedgerEntry.person_id)
        .order_by(desc(earned))
        .limit(10)
    )


def check_consistency(app: App) -> None:
    """The derived totals must say what the ledger says, or the timings mean nothing."""
    with app.uow.begin(write=False) as tx:
        month = points.period_key(tx, "month")
        ledger_all = tx.session.scalar(select(func.sum(LedgerEntry.amount)))
        ledger_month = tx.session.scalar(
            select(func.sum(LedgerEntry.amount)).where(LedgerEntry.created_at >= month_start(app))
        )
        people_all, people_month = (
            tx.session.scalar(select(func.sum(PersonPointTotal.points)).where(PersonPointTotal.period == key))
            for key in ("all", month)
        )
        organisation = tx.session.scalar(
            select(UnitPointTotal.points).where(UnitPointTotal.unit_id == 1, UnitPointTotal.period == "all")
        )
        naive = [row.earned for row in tx.session.execute(naive_leaderboard(month_start(app)))]
        derived = [standing.points for standing in points.top_people(tx, "month")]
    if not (ledger_all == people_all == organisation and ledger_month == people_month and naive == derived):
        raise RuntimeError(
            f"generated data is inconsistent: ledger {ledger_all}/{ledger_month}, "
            f"person totals {people_all}/{people_month}, organisation {organisation}, "
            f"top 10 {naive} vs {derived}"
        )


def timed(runs: int, once: Callable[[], float]) -> tuple[float, float]:
    for _ in range(WARMUP_RUNS):
        once()
    samples = [once() for _ in range(runs)]
    return statistics.median(samples), percentile(samples, 95)


def time_core(app: App, call: Callable[[Tx], object], runs: int) -> tuple[float, float]:
    """The call alone, each time in a fresh read transaction (as a request would have)."""

    def once() -> float:
        with app.uow.begin(write=False) as tx:
            started = time.perf_counter()
            call(tx)
            return ms_since(started)

    return timed(runs, once)


def time_command(app: App, command: Command, runs: int) -> tuple[float, float]:
    """The whole request: transaction, actor lookup, handler and rendering the reply."""

    def once() -> float:
        started = time.perf_counter()
        reply = app.dispatcher.handle(command)
        elapsed = ms_since(started)
        if reply is None or reply.is_error:
            raise RuntimeError(f"/{command.name} failed: {reply}")
        return elapsed

    return timed(runs, once)


def leaderboard_timings(app: App, loaded: Loaded, runs: int) -> list[Timing]:
    person, site = loaded.median_person, loaded.site
    actor = Actor("console", f"p{person}", loaded.median_name, None, f"p{person}")
    since = month_start(app)
    core: dict[str, Callable[[Tx], object]] = {
        'top_people(tx, "month")': lambda tx: points.top_people(tx, "month"),
        'top_people(tx, "all")': lambda tx: points.top_people(tx, "all"),
        'top_units(tx, "month")': lambda tx: points.top_units(tx, "month"),
        'top_people(tx, "month", site)': lambda tx: points.top_people(
            tx, "month", tx.session.get_one(Unit, site)
        ),
        'rank(tx, median person, "all")': lambda tx: points.rank(tx, person, "all"),
        "summary(tx, median person)": lambda tx: points.summary(tx, tx.session.get_one(Person, person)),
    }
    timings = [Timing(label, *time_core(app, call, runs)) for label, call in core.items()]
    for name in ("leaderboard", "points"):
        command = Command(name, "", actor, CONVERSATION)
        timings.append(Timing(f"/{name} through the dispatcher", *time_command(app, command, runs)))
    naive = time_core(app, lambda tx: tx.session.execute(naive_leaderboard(since)).all(), runs)
    timings.append(Timing("naive month leaderboard from the ledger (baseline)", *naive))
    return timings


def leaderboard_stage(url: str, config: Config) -> tuple[Loaded, list[Timing]]:
    app = fresh_app(url)
    try:
        loaded = load_leaderboard_data(app, config)
        check_consistency(app)
        timings = leaderboard_timings(app, loaded, TIMED_RUNS)
        check_consistency(app)  # the test database is shared: nobody may have emptied it meanwhile
        return loaded, timings
    finally:
        app.close()


def print_leaderboard(loaded: Loaded, timings: Sequence[Timing], config: Config) -> None:
    print(
        f"\nLeaderboard ({config.people:,} people with accounts, {UNITS} units, "
        f"{config.ledger_rows:,} ledger rows, {loaded.counts['person totals']:,} person totals,"
        f" {loaded.counts['unit totals']:,} unit totals)\n"
    )
    print("Setup: " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in loaded.seconds.items()))
    print("Load: " + ", ".join(f"{table} {seconds:.1f} s" for table, seconds in loaded.table_seconds.items()))
    print(f"Timed: median and p95 of {TIMED_RUNS} runs after {WARMUP_RUNS} warm-up runs\n")
    rows = [
        [
            timing.label,
            f"{timing.median_ms:.2f}",
            f"{timing.p95_ms:.2f}",
            "yes" if timing.p95_ms < TARGET_MS else "NO",
        ]
        for timing in timings
    ]
    print_table(["query", "median ms", "p95 ms", f"p95 < {TARGET_MS:.0f} ms"], rows)
    naive, derived = timings[-1].median_ms, timings[0].median_ms
    print(f"- top_people(month) is {naive / derived:,.0f}× faster than the naive leaderboard (medians)")


# Running ---------------------------------------------------------------------------------------


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A Markdown table: the first column left-aligned, the figures right-aligned."""
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    print(line(headers))
    print(
        "|" + "|".join(f" {'-' * w} " if i == 0 else f" {'-' * (w - 1)}: " for i, w in enumerate(widths)) + "|"
    )
    for row in rows:
        print(line(row))


def where(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"file {Path(parsed.database or ':memory:').name}"
    return parsed.render_as_string(hide_password=True)


def run_backend(url: str, config: Config) -> None:
    engine = make_engine(url)
    try:
        name = backend_name(engine)
    finally:
        engine.dispose()
    print(f"\n## {name}: {where(url)}")
    print_ideas(ideas_stage(url, config), config)
    print_leaderboard(*leaderboard_stage(url, config), config)


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB on Linux


def parse_args(argv: Sequence[str] | None) -> tuple[Config, str | None]:
    parser = argparse.ArgumentParser(prog="python -m bench.core", description=__doc__)
    parser.add_argument("--database-url", help="run on this database only; it is emptied first")
    parser.add_argument("--people", type=int, help="people for the leaderboard (default 100,000)")
    parser.add_argument("--ledger-rows", type=int, help="ledger rows for the leaderboard (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="100 ideas, 10,000 people, 100,000 ledger rows")
    args = parser.parse_args(argv)
    ideas, people_count, ledger_rows = (100, 10_000, 100_000) if args.quick else (500, 100_000, 1_000_000)
    config = Config(ideas, args.people or people_count, args.ledger_rows or ledger_rows)
    return config, args.database_url


def main(argv: Sequence[str] | None = None) -> None:
    config, database_url = parse_args(argv)
    print(f"# engagebot core benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, clock fixed at {NOW:%Y-%m-%d %H:%M} UTC")
    with tempfile.TemporaryDirectory(prefix="engagebot-bench-") as workdir:
        urls = [database_url] if database_url else [f"sqlite:///{Path(workdir) / 'bench.db'}"]
        if not database_url and os.environ.get("ENGAGEBOT_TEST_DATABASE_URL"):
            urls.append(os.environ["ENGAGEBOT_TEST_DATABASE_URL"])
        for url in urls:
            run_backend(url, config)
    print(f"\nPeak RSS: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
