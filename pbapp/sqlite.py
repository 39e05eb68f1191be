"""SQLite tuned for many voters on one machine: no accepted ballot lost, none refused for a lock.

- WAL lets readers work while one writer writes; ``synchronous=FULL`` makes every commit durable
  (a killed server loses no acknowledged ballot); a busy timeout makes writers queue.
- Transactions are begun by us, not by the sqlite3 module (which would start them late and
  break SAVEPOINTs). A request that changes state (anything but GET/HEAD/OPTIONS) begins
  ``BEGIN IMMEDIATE``: it takes the write lock before its first read, so two voters can never
  both read and then fail to upgrade to a write ("database is locked"); they queue instead.
  Work outside a request that reads then writes asks for the same with the ``WRITES`` option.
"""
from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: an execution option for work outside a request that reads then writes (the mail worker's
#: claim): ``session.connection(execution_options={WRITES: True})`` begins it IMMEDIATE too
WRITES = "pbapp_sqlite_writes"


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _tune(dbapi_connection, _record):
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _begin)
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


@event.listens_for(Engine, "begin")
def _begin(conn):
    if conn.dialect.name != "sqlite":
        return
    writing = conn.get_execution_options().get(WRITES) or (
        has_request_context() and request.method not in READ_METHODS)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
