"""Several engagebot processes on one host: a supervisor forks workers that share one port.

Python runs one thread of Python at a time, so one process uses about one core. `engagebot run
--processes N` (or ENGAGEBOT_PROCESSES) migrates the database once, binds N sockets to the port
(SO_REUSEPORT) and forks N workers that each run the whole runtime on one of them: the kernel spreads
the connections over the sockets. (One socket shared by all left one worker taking most of a
client's kept-alive connections, and the throughput swinging from run to run.) The workers share
the database like replicas do: the inbox, the outbox and the schedule are claimed row by row, so
nothing is done twice. The supervisor passes SIGTERM and SIGINT on to the workers and starts a
worker again if one dies.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from dataclasses import dataclass, field

import uvloop

from bot.adapters.web import listening_socket
from bot.app import build_app, open_database
from bot.config import Settings, StartupError
from bot.core import migrate
from bot.runtime import build_runtime

log = logging.getLogger(__name__)
RESTART_PAUSE = 1.0  # seconds before a worker that died is started again
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def run_worker(settings: Settings, listening: socket.socket | None = None, ready: int | None = None) -> int:
    """One process's runtime until it is told to stop; `ready` is a pipe told once it is up."""
    app = build_app(settings)
    try:
        runtime = build_runtime(app, listening)
        # uvloop: the event loop (HTTP in, answers out, the inbox's tasks) took an eighth of the time.
        uvloop.run(runtime.serve_forever(started=None if ready is None else lambda: _say_ready(ready)))
    finally:
        app.close()
    return 0


def _say_ready(pipe: int) -> None:
    os.write(pipe, b"1")
    os.close(pipe)


@dataclass
class Supervisor:
    """Forks the workers, passes stop signals on, and starts again a worker that died."""

    settings: Settings
    count: int
    sockets: list[socket.socket]  # one per worker, all bound to the port
    workers: dict[int, int] = field(default_factory=dict)  # pid -> worker number
    stopping: bool = False

    def run(self) -> int:
        for stop in STOP_SIGNALS:
            signal.signal(stop, self._stop)
        for number in range(self.count):
            status = self._start(number)
            if status is not None:  # it could not start (its error line is in the log), or was stopped
                self._stop(signal.SIGTERM, None)
                self._wait_for_all()
                return 0 if status < 0 else status
        log.info("%d processes serve on port %d", self.count, self.sockets[0].getsockname()[1])
        self._wait_for_all()
        return 0

    def _start(self, number: int) -> int | None:
        """Fork worker `number` and wait until it is up; its exit status if it ended first."""
        readable, writable = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(readable)
            for stop in STOP_SIGNALS:
                signal.signal(stop, signal.SIG_DFL)
            code = 1
            try:
                for other, listening in enumerate(self.sockets):
                    if other != number:
                        listening.close()
                code = run_worker(self.settings, self.sockets[number], writable)
            except StartupError as problem:
                log.error("%s", problem)
                code = 2
            except BaseException:
                log.exception("worker %d failed", number)
            finally:
                logging.shutdown()
                os._exit(code)
        os.close(writable)
        self.workers[pid] = number
        up = os.read(readable, 1)  # b"" once the worker has ended without saying it is up
        os.close(readable)
        if up:
            return None
        _, status = os.waitpid(pid, 0)
        del self.workers[pid]
        return os.waitstatus_to_exitcode(status)

    def _wait_for_all(self) -> None:
        while self.workers:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                return
            number = self.workers.pop(pid, None)
            if number is None or self.stopping:
                continue
            log.warning("worker %d ended (%s); starting it again", number, os.waitstatus_to_exitcode(status))
            time.sleep(RESTART_PAUSE)
            if not self.stopping:
                self._start(number)

    def _stop(self, number: int, _frame: object) -> None:
        self.stopping = True
        for pid in list(self.workers):
            with contextlib.suppress(ProcessLookupError):  # it has just ended
                os.kill(pid, signal.SIGTERM)


def run_processes(settings: Settings, count: int) -> int:
    """`count` workers on one port and one database (see the module's docstring)."""
    if settings.telegram_enabled and not settings.telegram_webhook_url:
        raise StartupError(
            "ENGAGEBOT_PROCESSES",
            "Telegram allows one long poll per bot token, so several processes need its webhook: set "
            "TELEGRAM_WEBHOOK_URL (and TELEGRAM_WEBHOOK_SECRET), or run one process",
        )
    engine = open_database(settings)
    try:
        migrate.upgrade(engine)  # once, before the workers start
    finally:
        engine.dispose()
    first = listening_socket("0.0.0.0", settings.port, reuse_port=True)
    port = first.getsockname()[1]
    others = [listening_socket("0.0.0.0", port, reuse_port=True) for _ in range(count - 1)]
    return Supervisor(settings, count, [first, *others]).run()
