"""The demo city seeded once per database and worker, then copied back from memory.

About 35 fixtures and tests seed the demo (``flask demo`` or ``seed_demo``), each for 5 to 15
seconds of scrypt, counting and protecting metrics, and each gets the same city. ``install``
wraps ``pbapp.demo.seed_demo``: the first seeding of an empty database for a given number of
ballots, seed and day is the real one, and keeps every table's rows; a later one on the emptied
database inserts those rows again and yields the same lines. A database with anything in it
always goes to the real function (so a second ``flask demo`` still refuses), and so does a
seeding with a different password hash (the browser tests' cheap one).

Every test still starts from empty tables (the ``app`` fixture), so what one test changes in
its copy of the city never reaches another.

Under xdist the workers also share what they seeded (``share_between_workers``): the first worker
to need a city seeds it for real and writes its rows to a file in the run's temporary folder,
under a lock; the other worker waits for that file instead of seeding the same city again.
Each database kind still seeds for real (the key names the dialect, not a worker's database).
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import pickle
from datetime import date
from pathlib import Path

from sqlalchemy import Integer, func, insert, literal, select, text, union_all

_kept: dict[tuple, tuple[list[str], list[tuple]]] = {}
#: the folder the workers of one run share their seeded cities in (None: this process only)
_shared: Path | None = None


def share_between_workers(folder: Path) -> None:
    global _shared
    folder.mkdir(parents=True, exist_ok=True)
    _shared = folder


def install() -> None:
    """Wrap ``pbapp.demo.seed_demo`` (once), before test modules import it by name."""
    import pbapp.demo

    if getattr(pbapp.demo.seed_demo, "seeds_from_memory", False):
        return
    pbapp.demo.seed_demo = _from_memory(pbapp.demo.seed_demo)


def _from_memory(real):
    @functools.wraps(real)
    def seed_demo(ballots: int = 3000, seed: int = 2026):
        from pbapp.auth import models as auth_models
        from pbapp.extensions import db
        from pbapp.models_base import site_today

        if not _empty(db):
            yield from real(ballots=ballots, seed=seed)
            return
        hasher = auth_models.generate_password_hash
        key = (db.engine.dialect.name, ballots, seed, date.today(), site_today(),
               f"{hasher.__module__}.{hasher.__qualname__}", demo_code())
        if key in _kept:
            lines, rows = _kept[key]
            _restore(db, rows)
        else:
            with _lock(key) as stored:
                if stored is not None and stored.exists():
                    lines, named = pickle.loads(stored.read_bytes())
                    rows = [(db.metadata.tables[name], found) for name, found in named]
                    _restore(db, rows)
                else:
                    lines = list(real(ballots=ballots, seed=seed))
                    rows = _snapshot(db)
                    if stored is not None:
                        part = stored.with_suffix(".part")
                        part.write_bytes(pickle.dumps(
                            (lines, [(table.name, found) for table, found in rows])))
                        os.replace(part, stored)
            _kept[key] = lines, rows
        yield from lines

    seed_demo.seeds_from_memory = True
    return seed_demo


@contextlib.contextmanager
def _lock(key: tuple):
    """The shared file of this city (None without a shared folder), held under an exclusive
    lock so that only one worker seeds it."""
    if _shared is None:
        yield None
        return
    name = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
    with open(_shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield _shared / f"{name}.pickle"
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def demo_code() -> str:
    """A digest of the code that seeds the demo, so a copy is never made by other code (the
    copies live in this process's memory only, so a new test run seeds afresh anyway)."""
    from pathlib import Path

    import pbapp

    root = Path(pbapp.__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*root.glob("demo*.py"), *root.glob("maps/demo*.py")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _empty(db) -> bool:
    tables = db.metadata.sorted_tables
    exists = union_all(*(select(literal(1)).select_from(t).limit(1).subquery().select()
                         for t in tables))
    return db.session.execute(select(func.count()).select_from(exists.subquery())).scalar() == 0


def _snapshot(db) -> list[tuple]:
    conn = db.session.connection()
    rows = [(table, [dict(r._mapping) for r in conn.execute(select(table))])
            for table in db.metadata.sorted_tables]
    db.session.commit()
    return [(table, found) for table, found in rows if found]


def _restore(db, rows: list[tuple]) -> None:
    """Insert the kept rows, parents first; on PostgreSQL move each id sequence past them."""
    from pbapp import page_memory

    conn = db.session.connection()
    for table, found in rows:
        conn.execute(insert(table), found)
    if conn.dialect.name == "postgresql":
        for table, _ in rows:
            for column in table.primary_key.columns:
                if isinstance(column.type, Integer):
                    conn.execute(text(
                        "SELECT setval(pg_get_serial_sequence(:t, :c), max(\"{c}\")) "
                        "FROM \"{t}\" HAVING max(\"{c}\") IS NOT NULL"
                        .format(t=table.name, c=column.name)),
                        {"t": f'"{table.name}"', "c": column.name})
    db.session.commit()
    page_memory.forget()  # as the real seeding's commit of cycles and results does
