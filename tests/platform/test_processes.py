"""`engagebot run --processes N`: workers share one port and one database, and each request is done once.

The supervisor forks the workers; a worker killed meanwhile is started again, and SIGTERM stops all.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.platform.live_load import Bot, Ledger, Load, bot_env, fakes, free_port, outcome, under_load
from tests.process import clean_environment, run_engagebot

WORKERS = 2
LOAD_SECONDS = 1.5
PHASE_REQUESTS = 30  # acknowledged before the kill, and again after it


def workers_of(supervisor: int) -> list[int]:
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def wait_for_workers(supervisor: int, count: int, apart_from: set[int]) -> list[int]:
    deadline = time.monotonic() + 60
    while len(workers := [pid for pid in workers_of(supervisor) if pid not in apart_from]) < count:
        assert time.monotonic() < deadline, f"workers of {supervisor}: {workers_of(supervisor)}"
        time.sleep(0.05)
    return workers


def test_workers_share_the_port_each_request_is_done_once_and_a_dead_worker_comes_back(
    database_url: str, tmp_path: Path
) -> None:
    ledger = Ledger()
    port = free_port()
    with fakes() as (slack, telegram):
        env = bot_env(database_url, slack, telegram, port, ENGAGEBOT_PROCESSES=str(WORKERS))
        bot = Bot(env, tmp_path, port)
        bot.start()
        assert bot.process is not None
        first = wait_for_workers(bot.process.pid, WORKERS, set())
        with under_load(bot, Load(port, slack, telegram, ledger)) as run:
            time.sleep(LOAD_SECONDS)
            Bot.kill_pid(first[0])  # one worker dies under load; the supervisor starts another
            replaced = wait_for_workers(bot.process.pid, 1, set(first))
            time.sleep(LOAD_SECONDS)
        status, log = run.status, run.log

    result = outcome(ledger, database_url)
    print(f"\n{WORKERS} processes ({database_url.partition(':')[0]}): {result}")
    assert len(replaced) == 1 and "starting it again" in log
    assert status == 0 and workers_of_gone(first + replaced)
    assert result.acknowledged > 50 and result.lost == [] and result.duplicated == []
    assert "Traceback" not in log, log[-3000:]


def workers_of_gone(pids: list[int]) -> bool:
    return not any(Path(f"/proc/{pid}").exists() for pid in pids)


def test_several_processes_and_telegram_long_polling_cannot_go_together(tmp_path: Path) -> None:
    env = clean_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        TELEGRAM_BOT_TOKEN="123456:NOTUSED",
        ENGAGEBOT_PROCESSES="2",
    )
    done = run_engagebot(["run"], env, tmp_path)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "ENGAGEBOT_PROCESSES: Telegram allows one long poll per bot token" in line
