"""Progress-post benchmark: a month's progress for the organisation and for a site, over 5,000 people and a
million ledger rows (the core benchmark's data), against the 200 ms the issue asks for.

    ENGAGEBOT_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_bench \
        .venv/bin/python -m bench.progress_posts
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.core import (
    TIMED_RUNS,
    Config,
    backend_name,
    fresh_app,
    load_leaderboard_data,
    ms_since,
    print_table,
    time_core,
    timed,
)
from bot.core import digest
from bot.core.models import Unit
from bot.core.uow import Tx
from bot.i18n import translator
from handlers.digest_views import digest_reply

TARGET_MS = 200.0


def run_backend(url: str, config: Config, runs: int) -> None:
    app = fresh_app(url)
    try:
        print(f"\n## {backend_name(app.engine)}")
        loaded = load_leaderboard_data(app, config)
        with app.uow.begin(write=False) as tx:
            month = digest.month_of(tx, tx.now)
        calls: dict[str, Callable[[Tx], object]] = {
            "build(month, organisation)": lambda tx: digest.build(tx, month, None),
            "build(month, a site)": lambda tx: digest.build(tx, month, tx.session.get_one(Unit, loaded.site)),
        }
        rows = []
        for label, call in calls.items():
            median, p95 = time_core(app, call, runs)
            rows.append([label, f"{median:.1f}", f"{p95:.1f}", "yes" if p95 < TARGET_MS else "NO"])
        with app.uow.begin(write=False) as tx:
            built = digest.build(tx, month, None)

        def render() -> float:
            started = time.perf_counter()
            digest_reply(translator("en"), built)
            return ms_since(started)

        median, p95 = timed(runs, render)
        rows.append(["the post's text and chart, rendered (no database)", f"{median:.1f}", f"{p95:.1f}", "-"])
        print(f"{config.people:,} people, {config.ledger_rows:,} ledger rows; {runs} timed runs each.\n")
        print_table(["call", "median ms", "p95 ms", f"p95 < {TARGET_MS:.0f} ms"], rows)
    finally:
        app.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.progress_posts", description=__doc__)
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--ledger-rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=TIMED_RUNS)
    args = parser.parse_args(argv)
    config = Config(0, args.people, args.ledger_rows)
    print(f"# engagebot digest benchmark; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="engagebot-bench-") as workdir:
        urls = [f"sqlite:///{Path(workdir) / 'bench.db'}"]
        if os.environ.get("ENGAGEBOT_TEST_DATABASE_URL"):
            urls.append(os.environ["ENGAGEBOT_TEST_DATABASE_URL"])
        for url in urls:
            run_backend(url, config, args.runs)


if __name__ == "__main__":
    main()
