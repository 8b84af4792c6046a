"""The Slack HTTP benchmark at its smallest: both servers start, every request is answered and counted."""

from __future__ import annotations

import pytest

from bench.slack_http import COMMANDS, MODES, Options, print_summary, run_benchmark
from bench.slack_http_servers import SERVERS


def test_the_slack_benchmark_counts_every_answer_where_it_reaches_the_fake(
    capsys: pytest.CaptureFixture[str],
) -> None:
    options = Options(requests=6, concurrency=2, rate=10.0, seconds=0.5, warmup=2, rounds=1)

    runs = run_benchmark(options)

    assert {(run.server, run.command, run.mode) for run in runs} == {
        (server, command, mode) for server in SERVERS for command in COMMANDS for mode in MODES
    }
    for run in runs:
        sent = {request.number for request in run.sent}
        assert run.failures == 0, run
        assert set(run.answered_at) == sent, run  # each answer matched to its own request
        assert run.requests == (6 if run.mode == "closed" else 5)
        assert all(run.answered_at[s.number] >= s.at for s in run.sent)
        assert run.answers_per_second > 0
    print_summary(runs, options)
    printed = capsys.readouterr().out
    assert "| /points: engagebot ≥ 50% of bare's answers/s |" in printed
    assert "| /idea: engagebot's p99 request→answer < 1 s at 10/s |" in printed


def test_with_the_home_tab_open_each_answer_also_republishes_it() -> None:
    options = Options(
        requests=6,
        concurrency=2,
        warmup=2,
        rounds=1,
        home=True,
        servers=("engagebot",),
        commands=("points",),
        modes=("closed",),
    )

    (run,) = run_benchmark(options)

    assert run.answers == run.requests == 6
    assert run.home_publishes >= 1
