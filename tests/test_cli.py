"""The `engagebot` command line, run as a real process: console over a pipe, db, demo."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.app import App
from bot.core import migrate
from bot.demo import DemoError, fill_demo
from tests.process import clean_environment, run_engagebot


def engagebot(args: list[str], database: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` on `database`, with no platform tokens and Astrid as admin."""
    env = clean_environment(DATABASE_URL=f"sqlite:///{database}", ENGAGEBOT_ADMINS="console:astrid")
    folder = next(folder for folder in database.parents if folder.exists())  # away from any .env
    return run_engagebot(args, env, folder, stdin)


def test_the_console_reads_a_pipe_line_by_line_and_exits_0(tmp_path: Path) -> None:
    script = "/idea Switch off monitors at night #energy\n/as lars\n/ideas 1\n1\n/vote 1\n/ideas\n"
    done = engagebot(["console", "--as", "astrid"], tmp_path / "bot.db", script)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "astrid> /idea Switch off monitors at night #energy"
    assert "🌱 Thank you, Astrid! Your idea is on the board. +5 points" in lines
    assert "lars> /vote 1" in lines and "👍 Your vote for idea #1 is counted. +1 point" in lines
    assert "You have already voted for idea #1." in lines  # "1" pressed the card's vote button first
    assert lines[-1] == "  • #1 🆕 new · Switch off monitors at night #energy · 1 vote"
    assert done.stderr == ""


def test_no_platform_tokens_means_the_console(tmp_path: Path) -> None:
    done = engagebot([], tmp_path / "bot.db", "/me\n")
    assert done.returncode == 0, done.stderr
    assert "👋 You are" in done.stdout


def test_console_role_flag_and_notices_to_others(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    engagebot(["console", "--as", "lars"], database, "/idea Bike to work week in May\n")
    done = engagebot(["console", "--as", "ingrid", "--role", "manager"], database, "/status 1 accepted\n")
    assert "→ lars: 🔔 Ingrid moved your idea #1 to ✅ accepted." in done.stdout


def test_db_upgrade_creates_the_schema_once(tmp_path: Path) -> None:
    database = tmp_path / "data" / "bot.db"
    first = engagebot(["db", "upgrade"], database)
    head = migrate.head()
    assert first.returncode == 0 and f"schema upgraded to {head}" in first.stdout
    again = engagebot(["db", "upgrade"], database)
    assert f"schema already at {head}" in again.stdout
    assert engagebot(["db", "current"], database).stdout.strip() == head


def test_demo_fills_an_empty_database_and_refuses_a_second_time(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    done = engagebot(["demo"], database)
    assert done.returncode == 0, done.stderr
    assert "Demo organisation ready" in done.stdout
    board = engagebot(["console", "--as", "emma"], database, "/ideas all\n/leaderboard all\n")
    for status in ("new", "under review", "accepted", "implemented", "declined", "merged"):
        assert f" {status} · " in board.stdout, status
    assert "Driftsdepotet" in board.stdout
    again = engagebot(["demo"], database)
    assert again.returncode == 1 and "already holds units, ideas or rewards" in again.stderr
    used = tmp_path / "used.db"
    engagebot(["console", "--as", "root"], used, "/idea Switch off monitors at night\n")
    assert "already holds units, ideas or rewards" in engagebot(["demo"], used).stderr


def test_the_demo_fills_a_database_that_holds_only_console_sign_ins_in_norwegian(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    engagebot(["console", "--as", "karin"], database, "/me\n")
    done = engagebot(["demo"], database)
    assert done.returncode == 0, done.stderr
    assert "Try: scripts/run.sh console --as karin" in done.stdout
    board = engagebot(["console", "--as", "emma"], database, "/ideas all\n/rewards\n/campaigns\n/polls\n")
    assert "Automatiske skyvedører til frysrommet" in board.stdout
    assert "Kinobillett" in board.stdout
    assert "#2 Matsvinnuka" in board.stdout and "#1 Sykle og gå til jobben-uka" in board.stdout
    assert "#2 Hvor skal de nye sykkelstativene ved rådhuset stå?" in board.stdout


def test_the_demo_in_english_on_request(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    assert engagebot(["demo", "--lang", "en", "--quiet"], database).returncode == 0
    board = engagebot(["console", "--as", "karin"], database, "/ideas all\n")
    assert "Automatic sliding doors for the canteen" in board.stdout
    assert "Sustainability board" in board.stdout  # everyone is answered in the demo's language
    refused = engagebot(["demo", "--lang", "fr"], tmp_path / "other.db")
    assert refused.returncode == 1 and "not fr" in refused.stderr


@pytest.mark.parametrize("language", ["sv", "da"])
def test_the_demo_plays_in_every_language_it_offers(app: App, language: str) -> None:
    assert fill_demo(app, language).startswith("Demo organisation ready")


def test_the_demo_obeys_every_rule_on_each_database(app: App) -> None:
    fill_demo(app)
    with pytest.raises(DemoError):
        fill_demo(app)
