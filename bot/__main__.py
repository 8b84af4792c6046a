"""The `engagebot` command line: run, console, db, demo."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys

from bot.app import build_app
from bot.config import Settings
from bot.core import migrate
from bot.core.db import make_engine
from bot.core.people import SUPPORTED_LOCALES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="engagebot", description="Staff engagement for workplace sustainability programmes."
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="start on every platform whose token is set; the console if none")
    console = commands.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument("--as", dest="name", help="the person you play (default: your user name)")
    console.add_argument("--role", choices=["admin", "manager", "representative", "member"])
    console.add_argument("--lang", choices=SUPPORTED_LOCALES, help="the language to answer in")
    db = commands.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    demo = commands.add_parser("demo", help="fill the database with a demo organisation")
    demo.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    command = args.command or "run"
    interactive = command == "console" or (
        command == "run" and not (settings.slack_enabled or settings.telegram_enabled)
    )
    logging.basicConfig(
        level=logging.WARNING if interactive else settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if command == "db":
        return _db(settings, args.action)
    if command == "demo":
        return _demo(settings, args.quiet)
    if command == "run" and (settings.slack_enabled or settings.telegram_enabled):
        return _platforms(settings)
    return _console(settings, args.__dict__.get("name"), args.__dict__.get("role"), args.__dict__.get("lang"))


def _db(settings: Settings, action: str) -> int:
    engine = make_engine(settings.database_url)
    if action == "upgrade":
        changed = migrate.upgrade(engine)
        print(f"schema {'upgraded to' if changed else 'already at'} {migrate.current(engine)}")
    else:
        print(migrate.current(engine) or "empty")
    return 0


def _demo(settings: Settings, quiet: bool) -> int:
    from bot.demo import DemoError, fill_demo

    app = build_app(settings)
    try:
        report = fill_demo(app)
    except DemoError as refusal:
        print(refusal, file=sys.stderr)
        return 1
    finally:
        app.close()
    if not quiet:
        print(report)
    return 0


def _platforms(settings: Settings) -> int:
    import asyncio

    from bot.runtime import build_runtime

    app = build_app(settings)
    try:
        asyncio.run(build_runtime(app).serve_forever())
    finally:
        app.close()
    return 0


def _console(settings: Settings, name: str | None, role: str | None, lang: str | None) -> int:
    from bot.adapters.console import ConsoleSession, run

    app = build_app(settings)
    session = ConsoleSession(app.dispatcher, app.sender("console"), sys.stdout, name or _default_name(), lang)
    try:
        refusal = session.act_as(session.name, role)
        if refusal is not None:
            print(refusal.text, file=sys.stderr)
            return 2
        return run(session)
    except BrokenPipeError:  # the reader went away (`... | head`): nothing left to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (keeps the interpreter's exit flush quiet)
        return 0
    finally:
        app.close()


def _default_name() -> str:
    try:
        return getpass.getuser() or "me"
    except OSError:
        return "me"


if __name__ == "__main__":
    sys.exit(main())
