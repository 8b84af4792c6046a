"""Engines for SQLite and PostgreSQL with the settings each needs; health and retryable failures."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine as Engine  # re-exported: the composition root holds one
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

WRITE_OPTION = "engagebot_write"
READ_ONLY_SESSION = "-c default_transaction_read_only=on"  # PostgreSQL: every transaction READ ONLY
READ_ONLY_SQLSTATE = "25006"  # PostgreSQL: a write in a READ ONLY transaction
LOCK_TIMEOUT = 30.0  # seconds a SQLite statement waits for a lock before it gives up
FIRST_PAUSE, LONGEST_PAUSE = 0.0001, 0.0005  # seconds between tries for SQLite's write lock
# PostgreSQL deadlock and serialization failures: the transaction was rolled back and may be rerun.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


URL_FORMS = "sqlite:///path/to/engagebot.db or postgresql+psycopg://user:password@host:5432/engagebot"


class DatabaseUnavailableError(Exception):
    """The database URL cannot be used: its form, its driver, or a database that does not answer.

    The message says what to check and never contains the password.
    """


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; on SQLite, write transactions take the write lock when they begin."""
    try:
        return _make_engine(url, **kwargs)
    except (ArgumentError, ValueError, ImportError) as error:
        raise DatabaseUnavailableError(
            f"is not a database URL engagebot can use ({_one_line(error)}); write it as {URL_FORMS}"
        ) from None
    except OSError as error:
        raise DatabaseUnavailableError(f"names a SQLite file whose folder cannot be made ({error})") from None


def _make_engine(url: str, **kwargs: Any) -> Engine:
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, **kwargs)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def reading(engine: Engine) -> Engine:
    """An engine of read-only connections to the same database: its transactions refuse to write.

    On SQLite a reader runs beside the writer (WAL) and never waits for the write lock; a write
    raises instead of quietly taking the lock mid-transaction. See `read_only_violation`. The
    connections are read-only for good (a pool of their own), so a transaction costs no statement
    to say so. An in-memory SQLite database cannot be opened twice: it gets no read-only pool.
    """
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"options": READ_ONLY_SESSION})
    if engine.url.database in (None, "", ":memory:"):
        return engine
    readers = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(readers, "connect", _configure_reading_connection)
    event.listen(readers, "begin", _begin_sqlite_transaction)
    return readers


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Take over BEGIN from pysqlite so that write transactions can say IMMEDIATE. Writers wait for
    # the write lock in `_take_write_lock`, not in SQLite's busy handler (busy_timeout 0).
    _configure(dbapi_connection, "PRAGMA busy_timeout=0")


def _configure_reading_connection(dbapi_connection: Any, _record: Any) -> None:
    # A reader never waits for the writer in WAL mode; the timeout covers the rare busy moments
    # (a checkpoint's restart) rather than a lock.
    _configure(dbapi_connection, f"PRAGMA busy_timeout={int(LOCK_TIMEOUT * 1000)}", "PRAGMA query_only=ON")


def _configure(dbapi_connection: Any, *pragmas: str) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL", *pragmas):
        cursor.execute(pragma)
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    # A deferred transaction that reads and then writes can fail with SQLITE_BUSY instead of
    # waiting; taking the write lock up front makes concurrent writers queue (balances stay right).
    if connection.get_execution_options().get(WRITE_OPTION):
        _take_write_lock(connection)
    else:
        connection.exec_driver_sql("BEGIN")


def retryable(error: BaseException) -> bool:
    """Whether `error` is a conflict the database resolved by rolling back, so running again may succeed."""
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def read_only_violation(error: BaseException) -> bool:
    """Whether `error` is a write attempted in a read-only transaction."""
    if not isinstance(error, DBAPIError):
        return False
    if getattr(error.orig, "sqlstate", None) == READ_ONLY_SQLSTATE:
        return True
    return "readonly database" in str(error.orig)


def unavailable(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached or used now (as opposed to a bug of ours)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError) and not retryable(error)


def ensure_reachable(engine: Engine) -> None:
    """Connect once, or raise DatabaseUnavailableError with the driver's reason (never the password)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (DBAPIError, OSError) as error:
        reason = _one_line(getattr(error, "orig", None) or error)
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailableError(
            f"the database at {where} does not answer ({reason}); check the host, port, database name, "
            "user and password, and that the server is running"
        ) from None


def _one_line(error: BaseException) -> str:
    return " ".join(line.strip() for line in str(error).splitlines() if line.strip())


def database_ok(engine: Engine) -> bool:
    """Whether the database answers a trivial query now."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def _take_write_lock(connection: Any) -> None:
    """BEGIN IMMEDIATE, trying again every few tenths of a millisecond while another process writes.

    SQLite's own busy handler sleeps 1, 2, 5, 10 … up to 100 ms between tries and does not notice
    the lock coming free: with two processes writing, each waited whole milliseconds for a lock that
    stood free, and a Slack ack waiting to store its delivery took up to two seconds (p99). The
    writers' connections have no busy timeout, so BEGIN IMMEDIATE answers at once whether it got it.
    """
    driver = connection.connection.dbapi_connection  # tried on the driver: SQLAlchemy's wrapping of
    deadline = time.monotonic() + LOCK_TIMEOUT  # each refusal cost more than the try itself
    pause = FIRST_PAUSE
    while True:
        try:
            driver.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise OperationalError("BEGIN IMMEDIATE", None, error) from error
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)
