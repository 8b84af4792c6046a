"""The `engagebot` command line: run, console, db, demo, export."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot import logs
from bot.app import App, build_app, open_database
from bot.config import Settings, StartupError, setting_name
from bot.core import migrate
from bot.core.people import SUPPORTED_LOCALES

if TYPE_CHECKING:
    from bot.board.server import BoardServer

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="engagebot", description="Staff engagement for workplace sustainability programmes."
    )
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="start on every platform whose token is set; the console if none")
    run.add_argument(
        "--processes", type=int, metavar="N", help="N processes sharing the port and the database (see README)"
    )
    console = commands.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument("--as", dest="name", help="the person you play (default: your user name)")
    console.add_argument("--role", choices=["admin", "manager", "representative", "member"])
    console.add_argument("--lang", choices=SUPPORTED_LOCALES, help="the language to answer in")
    boards = commands.add_parser(
        "boards", help="serve only the board pages, in a process of their own (for many screens; see README)"
    )
    boards.add_argument("--port", type=int, required=True, help="the port to serve them on")
    boards.add_argument("--host", default="0.0.0.0", help="the address to listen on (default: all)")
    db = commands.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    demo = commands.add_parser("demo", help="fill the database with a demo organisation")
    demo.add_argument("--quiet", action="store_true", help="print nothing but errors")
    demo.add_argument("--lang", help="the language of the demo's ideas and posts: nb (default), sv, da or en")
    export = commands.add_parser("export", help="write reports to files")
    exports = export.add_subparsers(dest="report", required=True)
    review = exports.add_parser("review", help="the yearly review pack: workbook, CSV files, summary")
    review.add_argument("--year", type=int, required=True, help="the calendar year, e.g. 2026")
    review.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write into")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command; a setting it cannot start with is one line on stderr and exit status 2."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as refused:
        for problem in settings_problems(refused):
            print(f"engagebot: {problem}", file=sys.stderr)
        return 2
    command = args.command or "run"
    interactive = command == "console" or (
        command == "run" and not (settings.slack_enabled or settings.telegram_enabled)
    )
    logs.configure(settings, quiet=interactive)
    try:
        return _command(settings, command, args)
    except StartupError as problem:
        log.error("%s", problem)  # through the redacting handler, in the configured format
        return 2


def _command(settings: Settings, command: str, args: argparse.Namespace) -> int:
    if command == "db":
        return _db(settings, args.action)
    if command == "demo":
        return _demo(settings, args.quiet, args.lang)
    if command == "export":
        return _export_review(settings, args.year, args.out)
    if command == "boards":
        return _boards(settings, args.host, args.port)
    if command == "run" and (settings.slack_enabled or settings.telegram_enabled):
        return _platforms(settings, args.__dict__.get("processes") or settings.processes)
    return _console(settings, args.__dict__.get("name"), args.__dict__.get("role"), args.__dict__.get("lang"))


def settings_problems(refused: ValidationError) -> list[str]:
    """One line per refused setting, named as the operator sets it; the value is not repeated."""
    problems = []
    for error in refused.errors(include_input=False, include_url=False):
        name = setting_name(str(error["loc"][0])) if error["loc"] else "settings"
        problems.append(f"{name}: {error['msg'].removeprefix('Value error, ')}")
    return problems


def _db(settings: Settings, action: str) -> int:
    engine = open_database(settings)
    if action == "upgrade":
        changed = migrate.upgrade(engine)
        print(f"schema {'upgraded to' if changed else 'already at'} {migrate.current(engine)}")
    else:
        print(migrate.current(engine) or "empty")
    return 0


def _demo(settings: Settings, quiet: bool, language: str | None) -> int:
    from bot.demo import DemoError, fill_demo

    app = build_app(settings)
    try:
        report = fill_demo(app, language)
    except DemoError as refusal:
        print(refusal, file=sys.stderr)
        return 1
    finally:
        app.close()
    if not quiet:
        print(report)
    return 0


def _export_review(settings: Settings, year: int, folder: Path) -> int:
    from bot.core.errors import DomainError
    from bot.progress import ProgressReport
    from bot.review_export import export_review

    app = build_app(settings)
    try:
        written = export_review(app.uow, year, folder, ProgressReport(sys.stderr))
    except DomainError as refusal:
        print(refusal.message.format(**refusal.params), file=sys.stderr)
        return 1
    finally:
        app.close()
    for path in written:
        print(path)
    return 0


def _platforms(settings: Settings, processes: int) -> int:
    from bot.processes import run_processes, run_worker

    if processes > 1:
        return run_processes(settings, processes)
    return run_worker(settings)


def _console(settings: Settings, name: str | None, role: str | None, lang: str | None) -> int:
    from bot.adapters.console import ConsoleSession, run

    app = build_app(settings)
    session = ConsoleSession(app.dispatcher, app.sender("console"), sys.stdout, name or _default_name(), lang)
    session.fire_due = app.ticker.tick
    session.charts_dir = Path(settings.charts_dir)
    boards = _serve_boards(app) if sys.stdin.isatty() else None
    try:
        refusal = session.act_as(session.name, role)
        if refusal is not None:
            print(refusal.text, file=sys.stderr)
            return 2
        return run(session, tick_seconds=settings.schedule_interval)
    except BrokenPipeError:  # the reader went away (`... | head`): nothing left to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (keeps the interpreter's exit flush quiet)
        return 0
    finally:
        if boards is not None:
            boards.stop()
        app.close()


def _serve_boards(app: App) -> BoardServer | None:
    """Board pages beside a console on a terminal, so that a /boardlink opens; none if PORT is taken."""
    from bot.adapters.web import listening_socket
    from bot.board.server import BoardServer

    try:
        server = BoardServer(app, listening_socket("127.0.0.1", app.settings.port))
    except StartupError as problem:
        print(f"Board pages are not served: {problem.message}", file=sys.stderr)
        return None
    server.start()
    if not server.wait_started():
        print("Board pages are not served: the web server did not start", file=sys.stderr)
        return None
    print(f"Board pages are served on port {server.port}: make a link with /boardlink", file=sys.stderr)
    return server


def _boards(settings: Settings, host: str, port: int) -> int:
    """The board pages alone until SIGINT or SIGTERM: screens' load off the processes that answer chat."""
    import signal
    import threading

    from bot.adapters.web import listening_socket
    from bot.board.server import BoardServer

    app = build_app(settings)
    try:
        server = BoardServer(app, listening_socket(host, port), busy_share=1.0)  # no chat to answer here
        server.start()
        if not server.wait_started():
            raise StartupError("--port", f"the board pages could not be served on {host}:{port}")
        stop = threading.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: stop.set())
        log.info("serving the board pages on %s:%d", host, server.port)
        while not stop.wait(1.0):
            pass
        server.stop()
        log.info("stopped")
    finally:
        app.close()
    return 0


def _default_name() -> str:
    try:
        return getpass.getuser() or "me"
    except OSError:
        return "me"


if __name__ == "__main__":
    sys.exit(main())
