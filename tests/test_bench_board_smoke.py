"""The board benchmark at its smallest: the render figures are printed, and with pages open every command
is answered and the pages receive the boards that follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.board import Options, live_stage, render_stage

TINY = Options(
    ideas=12, goals=3, runs=2, links=2, pages=2, rate=10.0, seconds=1.0, rounds=1, warmup=4, refresh=0.2
)


def test_the_render_figures_are_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = render_stage(f"sqlite:///{tmp_path / 'render.db'}", TINY)

    steps = {step for _, step, _, _ in rows}
    assert "snapshot: core.board.build" in steps and "BoardService.find(token), cache empty" in steps
    assert "GET /board/<token>, nothing rendered yet" in steps
    assert all(median > 0 for _, _, median, _ in rows)
    printed = capsys.readouterr().out
    assert "| organisation | snapshot: core.board.build |" in printed
    assert "GET /board/<token>, nothing rendered yet < 100 ms |" in printed


def test_with_pages_open_every_command_is_answered_and_the_pages_get_the_changes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rounds = live_stage(None, TINY)

    assert [run.pages for run in rounds] == [0, 4]
    for run in rounds:
        assert set(run.answered) == set(run.sent) and len(run.sent) == 10, run
    opened = rounds[1]
    assert opened.failed_pages == 0
    assert {event[0] for event in opened.events} == {0, 1, 2, 3}  # every page had its first board
    assert opened.board_events(), "no page received a change"
    delays, _ = opened.delays()
    assert delays and all(delay > 0 for delay in delays)
    printed = capsys.readouterr().out
    assert "| answer p95 with 4 pages open ≤ +10% |" in printed
    assert "board events delivered to the pages:" in printed
