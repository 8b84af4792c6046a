"""Fuzzing both HTTP edges of the running app: thousands of requests, signed and unsigned, valid and not.

The real Runtime serves /slack/events (bolt over HTTP) and /telegram/webhook (python-telegram-bot)
on 127.0.0.1 against the fake platforms. Whatever arrives, nothing may get a 5xx or leave a traceback
in the log (also from the work done after the acknowledgement), memory stays flat, the valid requests
have their effects, and no control character reaches the database. `pytest -s` prints the figures;
ENGAGEBOT_FUZZ_SEED picks another sequence of requests.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from itertools import chain
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import Text, cast, select

from bot.adapters.slack.adapter import EVENTS_PATH
from bot.adapters.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.core.models import Account, Base, Idea, InboxDelivery, Kudos, Vote
from bot.core.text import printable
from tests.platform import raw_http
from tests.platform.edges_rig import Edges, edges_running
from tests.platform.fuzz_cases import MB, Case, Effect, Odd, streamed
from tests.platform.fuzz_slack import SlackCases, sign
from tests.platform.fuzz_telegram import TELEGRAM_FIRST_ID, TELEGRAM_NAMES, TelegramCases, TelegramUser
from tests.platform.telegram_harness import WEBHOOK_SECRET

SEED = int(os.environ.get("ENGAGEBOT_FUZZ_SEED", "20261116"))
CONNECTIONS = 4  # requests sent at the same time
WARM_UP = 500  # requests of every kind before memory is measured
MEMORY_ALLOWANCE = 50 * MB
VOTE_TARGET = "Fuzz vote target"
DECLINE_TARGET = "Refill station decline target"


def rss() -> int:
    """The process's resident memory in bytes (the app and its web server run in this process)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


class Records(logging.Handler):
    """Every record at WARNING or above."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def tracebacks(self) -> list[logging.LogRecord]:
        return [r for r in self.records if r.exc_info or "Traceback" in r.getMessage()]


@contextmanager
def recorded() -> Iterator[Records]:
    """On the root logger, and on uvicorn's, which does not propagate (it logs the app's crashes)."""
    records = Records()
    loggers = [logging.getLogger(), logging.getLogger("uvicorn")]
    for logger in loggers:
        logger.addHandler(records)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeHandler(records)


@dataclass(frozen=True)
class Outcome:
    kind: str
    status: int
    expected: bool
    effect: Effect | None
    head: bytes  # the start of the request body, to show what went wrong


def send(port: int, case: Case) -> raw_http.RawResponse:
    body = case.body if isinstance(case.body, bytes) else case.body()
    return raw_http.post(port, case.path, body, case.headers, chunked=case.chunked)


# ------------------------------------------------------------------------------------------ the scene


def post_slash(edges: Edges, name: str, command: str, text: str) -> None:
    body = urlencode(edges.slack.slash_form(name, command, text)).encode()
    stamp = str(int(time.time()))
    headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("X-Slack-Request-Timestamp", stamp),
        ("X-Slack-Signature", sign(stamp.encode(), body)),
    ]
    assert raw_http.post(edges.port, EVENTS_PATH, body, headers).status == 200


def post_update(edges: Edges, update: dict[str, Any]) -> None:
    headers = [("Content-Type", "application/json"), (SECRET_HEADER, WEBHOOK_SECRET)]
    assert raw_http.post(edges.port, WEBHOOK_PATH, json.dumps(update).encode(), headers).status == 200


def prepare(edges: Edges) -> tuple[int, int, list[TelegramUser]]:
    """The ideas to vote for (the Slack admin's) and to decline (a colleague's: the admin declines it,
    and nobody reviews their own idea), and Telegram users with a card each."""
    post_slash(edges, "admin", "idea", VOTE_TARGET)
    post_slash(edges, "astrid", "idea", DECLINE_TARGET)
    fake = edges.telegram_fake
    users = []
    for number, name in enumerate(TELEGRAM_NAMES):
        user = {
            "id": TELEGRAM_FIRST_ID + number,
            "is_bot": False,
            "first_name": name.capitalize(),
            "username": name,
        }
        fake.push_message(user["id"], f"/idea A kettle that {name} switches off", from_user=user)
        post_update(edges, fake.pushed_updates[-1])
        users.append(user)
    assert edges.settle()
    cards = {
        call.args["chat_id"]: call.response["result"]["message_id"] for call in fake.calls_to("sendMessage")
    }
    with edges.app.uow.begin(write=False) as tx:
        ideas = dict(tx.session.execute(select(Idea.text, Idea.id)).all())
    people = [TelegramUser(str(user["username"]), user, cards[user["id"]]) for user in users]
    return ideas[VOTE_TARGET], ideas[DECLINE_TARGET], people


# ------------------------------------------------------------------------------------------ the run


def schedule(slack: SlackCases, telegram: TelegramCases, rng: random.Random) -> list[Callable[[], Case]]:
    """Which kind of request comes when: the weights give 1,275 Slack and 1,060 Telegram requests."""
    weights: list[tuple[Callable[[], Case], int]] = [
        (slack.unsigned, 80),
        (slack.forged, 70),
        (slack.bad_timestamp, 70),
        (lambda: slack.invalid_utf8(signed=False), 30),
        (lambda: slack.invalid_utf8(signed=True), 30),
        (lambda: slack.nested(signed=False), 15),
        (lambda: slack.nested(signed=True), 25),
        (lambda: slack.oversized(chunked=False), 10),
        (lambda: slack.oversized(chunked=True), 10),
        (slack.malformed, 80),
        (slack.slash_command, 70),
        (slack.slash_command_mutated, 110),
        (slack.message_event, 50),
        (slack.message_event_mutated, 100),
        (slack.reaction, 20),
        (slack.reaction_mutated, 50),
        (slack.home_opened, 20),
        (slack.button, 40),
        (slack.button_mutated, 100),
        (slack.idea_modal, 30),
        (slack.decline_modal, 10),
        (slack.modal_mutated, 110),
        (slack.save_as_idea, 25),
        (slack.shortcut_mutated, 60),
        (slack.unknown_kind, 60),
        (telegram.without_secret, 80),
        (lambda: telegram.oversized(chunked=False), 10),
        (lambda: telegram.oversized(chunked=True), 10),
        (telegram.malformed, 100),
        (telegram.command, 80),
        (telegram.group_mention, 40),
        (telegram.message_mutated, 220),
        (telegram.odd_entities, 120),
        (telegram.senders, 80),
        (telegram.repeated, 30),
        (telegram.button, 40),
        (telegram.button_mutated, 150),
        (telegram.unknown_update, 60),
        (telegram.bad_update_id, 40),
    ]
    order = [make for make, weight in weights for _ in range(weight)]
    rng.shuffle(order)
    return order


@dataclass
class Run:
    outcomes: list[Outcome]
    memory: tuple[int, int, int, int]  # before the warm-up, start (after it), peak, end
    records: Records
    settled: bool
    seconds: float


def fuzz(edges: Edges, seed: int) -> Run:
    """A warm-up (the heaviest requests, then some of every kind: caches, thread arenas and locale data
    fill up, and Python keeps the memory it took), then the measured run."""
    vote_target, decline_target, telegram_users = prepare(edges)
    odd = Odd(random.Random(seed))
    slack = SlackCases(odd, edges.slack, decline_target, vote_target)
    telegram = TelegramCases(odd, edges.telegram_fake, telegram_users, vote_target)
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    with recorded() as records:
        before = rss()
        warm = schedule(slack, telegram, random.Random(seed + 1))[:WARM_UP]
        send_all(edges, chain(slack.heaviest(), (make() for make in warm)), outcomes)
        settled = edges.settle()
        start = rss()
        peak = send_all(edges, (make() for make in schedule(slack, telegram, random.Random(seed))), outcomes)
        settled = edges.settle() and settled
        end = rss()
    memory = (before, start, max(peak, end), end)
    return Run(outcomes, memory, records, settled, time.perf_counter() - started)


def send_all(edges: Edges, cases: Iterable[Case], outcomes: list[Outcome]) -> int:
    """Send the cases (made here, in order, so that the seed gives the same requests), CONNECTIONS at a
    time; the peak memory meanwhile."""
    sending: deque[tuple[Case, Future[raw_http.RawResponse]]] = deque()
    peak = 0

    def finish_one() -> None:
        case, response = sending.popleft()
        status = response.result().status
        head = case.body[:160] if isinstance(case.body, bytes) else b"<streamed>"
        outcomes.append(Outcome(case.kind, status, status in case.expect, case.effect, head))

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        for case in cases:
            sending.append((case, pool.submit(send, edges.port, case)))
            if len(sending) > 2 * CONNECTIONS:
                finish_one()
                peak = max(peak, rss())
        while sending:
            finish_one()
    return peak


def test_whatever_reaches_the_edges_gets_no_5xx_no_traceback_and_valid_requests_work(
    database_url: str, capfd: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    with edges_running(database_url) as edges:
        run = fuzz(edges, SEED)
        missing = missing_effects(edges, [o.effect for o in run.outcomes if o.effect and o.expected])
        dirty = control_characters(edges)
        inbox = Counter(status for (status,) in select_all(edges, select(InboxDelivery.status)))
    printed = capfd.readouterr()
    stderr_tracebacks = printed.err.count("Traceback") + printed.out.count("Traceback")
    # capfd captures even under -s: the figures go to the terminal then, else with a failure's output.
    with capfd.disabled() if request.config.getoption("capture") == "no" else nullcontext():
        report(run, stderr_tracebacks, inbox)

    unexpected = [o for o in run.outcomes if not o.expected]
    assert run.settled, "the inbox was not idle in time"
    assert [o for o in run.outcomes if o.status >= 500] == []
    assert [(o.kind, o.status, o.head) for o in unexpected] == []
    assert [format_record(r) for r in run.records.tracebacks()] == []
    assert stderr_tracebacks == 0, printed.err[-3000:]
    _, start, peak, end = run.memory
    assert peak - start < MEMORY_ALLOWANCE and end - start < MEMORY_ALLOWANCE, run.memory
    assert missing == []
    assert dirty == []
    assert set(inbox) == {"handled"}, inbox


def select_all(edges: Edges, statement: Any) -> list[Any]:
    with edges.app.uow.begin(write=False) as tx:
        return list(tx.session.execute(statement).all())


def missing_effects(edges: Edges, effects: list[Effect]) -> list[Effect]:
    """The valid requests' effects that the app does not show."""
    ideas = dict(select_all(edges, select(Idea.text, Idea.status)))
    voters = {
        f"{p}:{e}"
        for p, e in select_all(
            edges,
            select(Account.platform, Account.external_id)
            .join(Vote, Vote.person_id == Account.person_id)
            .join(Idea, Idea.id == Vote.idea_id)
            .where(Idea.text == VOTE_TARGET),
        )
    }
    givers = {
        f"{p}:{e}"
        for p, e in select_all(
            edges,
            select(Account.platform, Account.external_id).join(Kudos, Kudos.giver_id == Account.person_id),
        )
    }
    answered = {call.path for call in edges.slack.fake.calls_to("response_url")}

    def shows(effect: Effect) -> bool:
        if effect.kind == "idea":
            return any(effect.text in text for text in ideas)
        if effect.kind == "vote":
            return effect.who in voters
        if effect.kind == "kudos":
            return effect.who in givers
        if effect.kind == "declined":
            return ideas[DECLINE_TARGET] == "declined"
        return urlsplit(effect.text).path in answered

    return [effect for effect in effects if not shows(effect)]


def control_characters(edges: Edges) -> list[tuple[str, str, str]]:
    """(table, column, value) of every stored text with a control character in it.

    The inbox keeps each delivery as the platform sent it, as JSON text: its raw text is checked
    (control characters in it are escaped), and the decoded payload is not.
    """
    found = []
    with edges.app.uow.begin(write=False) as tx:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if not (table.name == "inbox" and c.name == "payload")]
            for row in tx.session.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    found += [
                        (table.name, column.name, text) for text in _texts(value) if printable(text) != text
                    ]
        payloads = tx.session.scalars(select(cast(InboxDelivery.payload, Text)))
        found += [("inbox", "payload (raw)", text[:200]) for text in payloads if printable(text) != text]
    return found[:20]


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def format_record(record: logging.LogRecord) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return formatter.format(record)[:3000]


def report(run: Run, stderr_tracebacks: int, inbox: Counter[str]) -> None:
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    for outcome in run.outcomes:
        statuses[outcome.kind][outcome.status] += 1
    print(f"\nfuzzing the edges: seed {SEED}, {len(run.outcomes)} requests in {run.seconds:.1f} s")
    print(f"  (the first {WARM_UP} warm the app up; memory is measured from the end of the warm-up)")
    for kind in sorted(statuses):
        counts = ", ".join(f"{status}: {n}" for status, n in sorted(statuses[kind].items()))
        print(f"  {kind:38} {sum(statuses[kind].values()):5}   {counts}")
    overall = Counter(outcome.status for outcome in run.outcomes)
    print("  statuses:", dict(sorted(overall.items())))
    print(f"  valid requests with an effect to check: {sum(1 for o in run.outcomes if o.effect)}")
    print(f"  inbox deliveries: {dict(inbox)}")
    warnings = Counter(record.name for record in run.records.records)
    print(f"  log records at WARNING+: {len(run.records.records)} {dict(warnings.most_common(8))}")
    print(f"  tracebacks: {len(run.records.tracebacks())} in the log, {stderr_tracebacks} on stdout/stderr")
    before, start, peak, end = (round(value / MB, 1) for value in run.memory)
    print(f"  memory (RSS, MB): {before} before the warm-up; start {start}, peak {peak}, end {end}")


# ------------------------------------------------------------------------------------------ 100 MB


@pytest.mark.parametrize(
    ("path", "headers", "refused"),
    [
        pytest.param(EVENTS_PATH, [("Content-Type", "application/json")], 413, id="slack"),
        pytest.param(WEBHOOK_PATH, [("Content-Type", "application/json")], 403, id="telegram"),
        pytest.param(
            WEBHOOK_PATH,
            [("Content-Type", "application/json"), (SECRET_HEADER, WEBHOOK_SECRET)],
            200,
            id="telegram-with-the-secret",
        ),
    ],
)
def test_a_100_mb_post_is_refused_before_it_is_read(
    database_url: str, path: str, headers: list[tuple[str, str]], refused: int
) -> None:
    size = 100 * MB
    with edges_running(database_url) as edges:
        before = rss()
        declared = raw_http.post(edges.port, path, streamed(size)(), [*headers, ("Content-Length", str(size))])
        chunked = raw_http.post(edges.port, path, streamed(size)(), headers, chunked=True)
        grown = rss() - before
        assert edges.settle()
        inbox = select_all(edges, select(InboxDelivery.id))

    assert (declared.status, chunked.status) == (refused, refused)
    assert declared.sent < size // 2 and chunked.sent < size // 2, (declared.sent, chunked.sent)
    assert grown < 10 * MB, grown
    assert inbox == []
