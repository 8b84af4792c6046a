"""Where engagebot's time goes per answered request, from py-spy's raw samples (`bench.slack_http --profile`).

`python -m bench.profile_breakdown FILE --answers N [--rate 200]` puts each sample in the first
category below whose marker is on its stack and prints the categories, largest first, as a share
of all samples and as milliseconds per answer (samples / rate / answers). Recorded with `--gil`
(the default of `bench.slack_http --profile`) that is interpreter time, which one process has
one of; recorded with `--idle` it is wall time summed over threads, waiting included.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

# (category, markers): the first category with a marker in the stack takes the sample. Order matters:
# inside the dispatcher's worker thread the specific steps come before the generic rest.
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("logging", ("(logging/__init__.py",)),
    ("dispatcher: BEGIN IMMEDIATE, waiting for SQLite's write lock", ("_begin_sqlite_transaction",)),
    ("dispatcher: dedupe claim (INSERT … ON CONFLICT DO NOTHING)", ("claim (bot/core/dedupe.py",)),
    ("dispatcher: account and person, last_seen_at (resolve_actor)", ("resolve_actor (bot/core/people.py",)),
    ("dispatcher: reader's locale (locale_of)", ("locale_of (bot/core/people.py",)),
    ("dispatcher: COMMIT", ("SessionTransaction.commit",)),
    ("/points: balance, earned, rank, recent (points.summary)", ("summary (bot/core/points.py",)),
    ("/idea: similarity check against the open board", ("_similar_open_idea",)),
    ("/idea: insert the idea, award points (ideas.submit)", ("submit (bot/core/ideas.py",)),
    ("/idea: the idea card (reads and text)", ("idea_card (handlers/idea_views.py",)),
    ("handler: text and translation", ("(handlers/",)),
    ("dispatcher: session, transaction and the rest", ("Dispatcher.handle",)),
    ("to_thread hop, worker side (futures, waking the loop)", ("concurrent/futures/thread.py",)),
    ("bolt: signature check", ("SignatureVerifier", "request_verification")),
    ("bolt: listener matching", ("async_matches",)),
    ("bolt: listener arguments (kwargs injection)", ("build_async_required_kwargs",)),
    ("bolt: request parsing", ("to_async_bolt_request", "AsyncBoltRequest.__init__", "parse_body")),
    ("engagebot: render the answer as Block Kit", ("(bot/adapters/slack/render.py",)),
    ("engagebot: response_url POST (slack_sdk, aiohttp client)", ("SlackReplier.send", "(aiohttp/")),
    ("engagebot: users.info (cached) and the neutral Command", ("SlackInbound.slash_command",)),
    ("engagebot: spawn after the ack", ("AfterAck.spawn",)),
    ("bolt: app dispatch, middleware, ack and the rest", ("(slack_bolt/",)),
    ("HTTP in: uvicorn, h11, Starlette", ("(uvicorn/", "(h11/", "(starlette/")),
    ("to_thread hop, loop side", ("to_thread (asyncio/threads.py", "_chain_future", "_read_from_self")),
    ("outbox tick and scheduler", ("apscheduler", "(bot/runtime.py", "(bot/outbox_sender.py")),
    ("asyncio event loop", ("(asyncio/", "(selectors.py")),
)
OTHER = "other"
LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")


def categorise(stack: str) -> str:
    for category, markers in CATEGORIES:
        if any(marker in stack for marker in markers):
            return category
    return OTHER


def breakdown(path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        match = LINE.match(line)
        if match:
            counts[categorise(match["stack"])] += int(match["count"])
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_breakdown", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path, help="py-spy raw files (one per server process)")
    parser.add_argument("--answers", type=int, required=True, help="answers in the profiled run")
    parser.add_argument("--rate", type=int, default=200, help="py-spy's samples per second")
    args = parser.parse_args(argv)
    counts: Counter[str] = Counter()
    for path in args.files:
        counts += breakdown(path)
    total = sum(counts.values())
    print(f"{total} samples, {total / args.rate / args.answers * 1000:.2f} ms per answer\n")
    print("| where | share | ms per answer |\n| --- | ---: | ---: |")
    for category, count in counts.most_common():
        print(f"| {category} | {count / total:.1%} | {count / args.rate / args.answers * 1000:.2f} |")


if __name__ == "__main__":
    main()
