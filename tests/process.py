"""`python -m bot` as a real process for tests: a clean environment, and its output read as it comes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from bot.config import Settings, setting_name

TIMEOUT = 60.0
# Tell the process the time type PTB will use: its int form warns at every start.
QUIET_PTB = {"PTB_TIMEDELTA": "1"}


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any engagebot setting (PORT, DATABASE_URL ...), plus `settings`."""
    ours = {setting_name(field) for field in Settings.model_fields}
    kept = {
        key: value
        for key, value in os.environ.items()
        if key not in ours and not key.startswith(("ENGAGEBOT_", "SLACK_", "TELEGRAM_"))
    }
    return {**kept, **QUIET_PTB, **settings}


def run_engagebot(
    args: list[str], env: dict[str, str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` to its end; `cwd` should hold no .env."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=TIMEOUT * 2,
        check=False,
    )


class EngagebotProcess:
    """`python -m bot run` (or other `args`) in the background; its stderr and stdout lines are collected
    as they come."""

    def __init__(self, env: dict[str, str], cwd: Path, args: tuple[str, ...] = ("run",)) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.stderr: list[str] = []
        self.stdout: list[str] = []
        self._arrived = threading.Condition()
        assert self.process.stderr is not None and self.process.stdout is not None
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stderr, self.stderr), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stdout, self.stdout), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: IO[str], lines: list[str]) -> None:
        for line in stream:
            with self._arrived:
                lines.append(line.rstrip("\n"))
                self._arrived.notify_all()
        with self._arrived:
            self._arrived.notify_all()

    def wait_for_line(self, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        """The first stderr line matching `pattern`, waiting for it; fails if the process ends first."""
        compiled = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = next((match for line in self.stderr if (match := compiled.search(line))), None)
                if found is not None:
                    return found
                ended = not any(reader.is_alive() for reader in self._readers)
                left = deadline - time.monotonic()
                if ended or left <= 0:
                    raise AssertionError(f"no line matching {pattern!r}; stderr:\n" + "\n".join(self.stderr))
                self._arrived.wait(left)

    def stop(self, timeout: float = TIMEOUT) -> int:
        """SIGTERM, as a service manager stops it; the exit status once it has stopped."""
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout)
        for reader in self._readers:
            reader.join(timeout)
        return status

    @property
    def output(self) -> str:
        return "\n".join([*self.stderr, *self.stdout])

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(TIMEOUT)
        for reader in self._readers:
            reader.join(TIMEOUT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
