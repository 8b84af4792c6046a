"""Digest and review benchmark: an organisation of 5,000 people with a year of data (a million ledger rows).

Times what people wait for: the yearly review pack exported (target under 10 s). The baseline in the same
run is one pass over the year's ledger rows alone (a SUM), the floor of any report that reads them.

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
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bench.core import NOW, fresh_app
from bench.digest_data import load_year
from bot.app import App
from bot.core.models import LedgerEntry
from bot.review_export import export_review

RUNS = 3


def seconds(run: Callable[[], object], runs: int = RUNS) -> float:
    """The median of `runs` timed runs, after one untimed warm-up."""
    run()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def ledger_pass(app: App) -> None:
    with app.uow.begin(write=False) as tx:
        tx.session.scalar(select(func.sum(LedgerEntry.amount)))


def export_once(app: App, folder: Path) -> None:
    export_review(app.uow, NOW.year, folder, lambda step: None)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.digest", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("ENGAGEBOT_TEST_DATABASE_URL", ""))
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--ledger-rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if not args.database_url:
        sys.exit("give a database (it is emptied): --database-url or ENGAGEBOT_TEST_DATABASE_URL")
    print(f"# engagebot digest and review benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.database_url.partition(':')[0]}")
    app = fresh_app(args.database_url)
    started = time.perf_counter()
    counts = load_year(app, args.people, args.ledger_rows)
    print(
        f"loaded in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{n:,} {k}" for k, n in counts.items())
    )
    floor = seconds(lambda: ledger_pass(app))
    with tempfile.TemporaryDirectory(prefix="engagebot-review-") as folder:
        export = seconds(lambda: export_once(app, Path(folder)))
        sizes = {path.name: path.stat().st_size for path in Path(folder).iterdir()}
    print(f"\nbaseline: one SUM over the ledger: {floor * 1000:.0f} ms")
    print(f"export review --year {NOW.year}: {export:.2f} s (median of {RUNS}; target under 10 s)")
    print("  " + ", ".join(f"{name} {size / 1024:,.0f} KiB" for name, size in sorted(sizes.items())))
    app.close()


if __name__ == "__main__":
    main()
