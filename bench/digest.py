"""Progress posts and the yearly review over an organisation of 5,000 people with a year of data: ideas,
votes, savings, campaigns, goals and measurements, praise, and a million ledger rows.

Times what people wait for: the month's progress post built (target under 200 ms) and with its chart
drawn (under 500 ms), and the yearly review pack exported (under 10 s). The baseline in the same run is
one pass over the ledger (a SUM), the floor of any report that reads it.

    ENGAGEBOT_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_bench \\
        .venv/bin/python -m bench.digest
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import func, select

from bench.core import TIMED_RUNS, backend_name, fresh_app, print_table, time_core
from bench.digest_data import load_year
from bot.core import digest
from bot.core.models import LedgerEntry, Unit
from bot.core.uow import Tx
from bot.i18n import translator
from bot.review_export import export_review
from handlers.digest_views import digest_reply

POST_TARGET_MS, CHART_TARGET_MS, EXPORT_TARGET_S = 200.0, 500.0, 10.0
EXPORT_RUNS = 3


def run_backend(url: str, people: int, ledger_rows: int, runs: int) -> None:
    app = fresh_app(url)
    try:
        print(f"\n## {backend_name(app.engine)}")
        started = time.perf_counter()
        counts, site = load_year(app, people, ledger_rows)
        print(
            f"loaded in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{n:,} {k}" for k, n in counts.items())
        )
        with app.uow.begin(write=False) as tx:
            month = digest.month_of(tx, tx.now)
        calls: dict[str, Callable[[Tx], object]] = {
            "baseline: one SUM over the ledger": lambda tx: tx.session.scalar(
                select(func.sum(LedgerEntry.amount))
            ),
            "progress post built, organisation": lambda tx: digest.build(tx, month, None),
            "progress post built, a site": lambda tx: digest.build(tx, month, tx.session.get_one(Unit, site)),
            "progress post built and its chart drawn, organisation": lambda tx: digest_reply(
                translator("en"), digest.build(tx, month, None)
            ),
        }
        targets = [None, POST_TARGET_MS, POST_TARGET_MS, CHART_TARGET_MS]
        rows = []
        for (label, call), target in zip(calls.items(), targets, strict=True):
            median, p95 = time_core(app, call, runs)
            met = "-" if target is None else ("yes" if p95 < target else "NO")
            rows.append([label, f"{median:.1f}", f"{p95:.1f}", met])
        print_table(["call", "median ms", "p95 ms", "p95 under target"], rows)
        with tempfile.TemporaryDirectory(prefix="engagebot-review-") as folder:
            export = _median_seconds(lambda: export_review(app.uow, 2026, Path(folder), lambda step: None))
            size = sum(path.stat().st_size for path in Path(folder).iterdir())
        met = "yes" if export < EXPORT_TARGET_S else "NO"
        print(f"\nexport review --year 2026: {export:.2f} s, median of {EXPORT_RUNS} ({size / 2**20:.1f} MiB; "
              f"under {EXPORT_TARGET_S:.0f} s: {met})")  # fmt: skip
    finally:
        app.close()


def _median_seconds(run: Callable[[], object]) -> float:
    run()
    samples = []
    for _ in range(EXPORT_RUNS):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.digest", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--ledger-rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=TIMED_RUNS)
    args = parser.parse_args(argv)
    python = sys.version.split()[0]
    print(f"# engagebot progress-post and review benchmark; Python {python}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="engagebot-bench-") as workdir:
        urls = [f"sqlite:///{Path(workdir) / 'bench.db'}"]
        if os.environ.get("ENGAGEBOT_TEST_DATABASE_URL"):
            urls.append(os.environ["ENGAGEBOT_TEST_DATABASE_URL"])
        for url in urls:
            run_backend(url, args.people, args.ledger_rows, args.runs)


if __name__ == "__main__":
    main()
