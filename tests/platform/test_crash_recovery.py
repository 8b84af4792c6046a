"""`engagebot run` killed with SIGKILL three times under load: nothing acknowledged is lost or done twice.

The process serves Slack over HTTP and Telegram by webhook, against the fake platform servers. A load
thread sends signed Slack `/idea` commands and kudos messages and Telegram `/idea` updates, each with a
text of its own, while the process is killed and restarted. Every request that got a 2xx must be in
the database exactly once afterwards; those refused or cut off may be there at most once.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from tests.platform.live_load import Bot, Ledger, Load, bot_env, fakes, free_port, outcome, under_load

KILLS = 3
LOAD_SECONDS = 2.0  # of steady load between two kills, at least
PHASE_REQUESTS = 30  # acknowledged between two kills, at least


def test_sigkill_three_times_under_load_loses_nothing_acknowledged_and_does_nothing_twice(
    database_url: str, tmp_path: Path
) -> None:
    ledger = Ledger()
    port = free_port()
    with fakes() as (slack, telegram):
        bot = Bot(bot_env(database_url, slack, telegram, port), tmp_path, port)
        bot.start()
        with under_load(bot, Load(port, slack, telegram, ledger)) as run:
            for _ in range(KILLS):
                ledger.wait_for_more(PHASE_REQUESTS, LOAD_SECONDS)
                bot.kill()
                time.sleep(0.3)  # requests meanwhile find nobody there
                bot.start()
            ledger.wait_for_more(PHASE_REQUESTS, LOAD_SECONDS)
        log = run.log

    result = outcome(ledger, database_url)
    kinds = dict(Counter(kind for kind, _, ok in ledger.sent if ok))
    print(f"\ncrash test ({database_url.partition(':')[0]}, {KILLS} kills): {result}; by kind {kinds}")
    assert result.acknowledged > 100, "the load hardly reached the bot"
    assert result.lost == [] and result.duplicated == []
    assert result.handled == result.acknowledged
    assert "Traceback" not in log, log[-3000:]
