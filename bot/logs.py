"""Logging for every command: one stderr handler that redacts every configured secret, text or JSON lines."""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import IO
from urllib.parse import quote, quote_plus, unquote, urlsplit

from bot.config import Settings

SECRET_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_SECRET",
)
# Each logs a line per HTTP request or scheduler tick: at INFO an idle bot would never be quiet.
CHATTY_LOGGERS = ("httpx", "httpcore", "apscheduler")
# bolt warns that it ignores SLACK_BOT_TOKEN from the environment, which it reads itself even though
# the adapter hands it a configured client: true, and nothing for an operator to do.
KNOWN_NOISE = frozenset({("slack_bolt.AsyncApp", "As you gave `client` as well, `token` will be unused.")})
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Attributes every LogRecord has; anything else came in through `extra=` (uvicorn adds color_message,
# the same message with terminal colours: not wanted in a log file).
_STANDARD_ATTRIBUTES = frozenset(
    {*logging.LogRecord("", 0, "", 0, "", None, None).__dict__}
    | {"message", "asctime", "taskName", "color_message"}
)

Secret = tuple[str, str]  # (setting name, value)


def configured_secrets(settings: Settings) -> list[Secret]:
    """Every secret setting that has a value, and the password in DATABASE_URL (as written and decoded)."""
    secrets = [(name, str(getattr(settings, name.lower()))) for name in SECRET_SETTINGS]
    try:
        password = urlsplit(settings.database_url).password
    except ValueError:  # not a URL at all: start-up refuses it, and it names no password we could find
        password = None
    if password:
        secrets += [("DATABASE_URL password", password), ("DATABASE_URL password", unquote(password))]
    return [(name, value) for name, value in secrets if value]


class Redactor:
    """Replaces each secret, and its URL-encoded forms, with `[redacted NAME]`.

    A secret shorter than SHORT is replaced only where it stands alone (not inside a longer word):
    a two-letter development password must not blank out every word that holds those letters.
    """

    SHORT = 8

    def __init__(self, secrets: Iterable[Secret]) -> None:
        names: dict[str, str] = {}
        for name, value in secrets:
            for form in (value, quote(value, safe=""), quote(value), quote_plus(value)):
                names.setdefault(form, name)
        self._names = names
        # Longest first, so a secret that contains another is replaced whole.
        alternatives = [self._matching(form) for form in sorted(names, key=len, reverse=True)]
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None

    @classmethod
    def _matching(cls, form: str) -> str:
        if len(form) >= cls.SHORT:
            return re.escape(form)
        starts_word, ends_word = (re.match(r"\w", char) is not None for char in (form[0], form[-1]))
        return (r"(?<!\w)" if starts_word else "") + re.escape(form) + (r"(?!\w)" if ends_word else "")

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda found: f"[redacted {self._names[found[0]]}]", text)


class RedactingFilter(logging.Filter):
    """On the handler, so it sees every record whatever logger emits it: message, arguments,
    exception, stack and `extra` fields leave it as redacted text. Known noise is dropped."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not turn into a traceback at the caller
            message = f"{record.msg!r} % {record.args!r}"
        if (record.name, message) in KNOWN_NOISE:
            return False
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in extra_fields(record).items():
            if not isinstance(value, bool | int | float | None):
                setattr(record, key, self.redact(str(value)))
        return True


def extra_fields(record: logging.LogRecord) -> dict[str, object]:
    """What the caller added with `extra=`: in JSON lines these become fields of their own."""
    return {key: value for key, value in record.__dict__.items() if key not in _STANDARD_ATTRIBUTES}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, any `extra` fields, exception, stack."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **extra_fields(record),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def build_handler(settings: Settings, level: str, stream: IO[str] | None = None) -> logging.Handler:
    """The one handler: `stream` (stderr), the settings' format, every configured secret redacted."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setLevel(level)
    handler.addFilter(RedactingFilter(Redactor(configured_secrets(settings))))
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT))
    return handler


def configure(settings: Settings, *, quiet: bool = False, stream: IO[str] | None = None) -> logging.Handler:
    """Route every record of this process through one redacting handler; `quiet` logs warnings only."""
    level = "WARNING" if quiet else settings.log_level
    handler = build_handler(settings, level, stream)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # DEBUG is asked for explicitly: then every HTTP request and tick is wanted too.
    chatty_level = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(chatty_level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.captureWarnings(True)  # warnings are printed through the handler, redacted too
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread
    return handler


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    logging.getLogger("bot").critical("stopped by an unexpected error", exc_info=(kind, error, trace))


def _log_uncaught_in_thread(crash: threading.ExceptHookArgs) -> None:
    if crash.exc_value is None:
        return
    logging.getLogger("bot").critical(
        "thread %s stopped by an unexpected error",
        getattr(crash.thread, "name", "?"),
        exc_info=(crash.exc_type, crash.exc_value, crash.exc_traceback),
    )
