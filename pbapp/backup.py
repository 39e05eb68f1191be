"""``flask backup`` and ``flask restore``: a consistent copy of the whole database, and back.

SQLite uses the online backup API, so a copy taken while the site is voting is a consistent
snapshot (WAL readers are not blocked). PostgreSQL uses ``pg_dump`` in its custom format and
``pg_restore --clean``, the tools made for it. A restore replaces everything in the database
named by the app's configuration, so it asks for ``--yes``.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The copy could not be made or read back; the message says why."""


def _libpq_url(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database has nothing on disk to back up.")
    return url.database


def backup(database_uri: str, out: Path) -> Path:
    url = make_url(database_uri)
    out = Path(out)
    try:
        exists = out.exists()
    except OSError as error:  # e.g. a name longer than the system allows
        raise BackupError(f"Cannot write {str(out)[:80]!r}: {error.strerror}.") from None
    if exists:
        raise BackupError(f"{out} already exists; choose a new file name.")
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        try:
            target = sqlite3.connect(out)
        except sqlite3.Error as error:  # a folder that does not exist, a name too long
            source.close()
            raise BackupError(f"Cannot write {str(out)[:80]!r}: {error}.") from None
        try:
            with target:
                source.backup(target)
            problem = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            source.close()
            target.close()
        if problem != "ok":
            out.unlink(missing_ok=True)
            raise BackupError(f"The copy failed its integrity check: {problem}")
        return out
    if url.get_backend_name() == "postgresql":
        _need("pg_dump")
        done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(out),
                               _libpq_url(url)], capture_output=True, text=True)
        if done.returncode:
            out.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        return out
    raise BackupError(f"No backup method for {url.get_backend_name()} databases.")


def restore(database_uri: str, source: Path) -> None:
    url = make_url(database_uri)
    source = Path(source)
    try:
        is_file = source.is_file()
    except OSError as error:  # e.g. a name longer than the system allows
        raise BackupError(f"Cannot read {str(source)[:80]!r}: {error.strerror}.") from None
    if not is_file:
        raise BackupError(f"{source} is not a file.")
    if url.get_backend_name() == "sqlite":
        # as a URI, percent-encoded: a '?' or '#' in the name would end the path early
        backup_db = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is not a sound SQLite backup.")
            if not _has_schema(backup_db):  # an empty file opens as an empty database
                raise BackupError(f"{source} is not a backup of this site: it holds no "
                                  "migrated database; nothing was changed.")
            live = sqlite3.connect(_sqlite_path(url))
            try:
                with live:
                    backup_db.backup(live)
            finally:
                live.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not a SQLite backup: {error}") from None
        finally:
            backup_db.close()
        return
    if url.get_backend_name() == "postgresql":
        _need("pg_restore")
        done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner",
                               "--single-transaction", "--dbname", _libpq_url(url), str(source)],
                              capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
        return
    raise BackupError(f"No restore method for {url.get_backend_name()} databases.")


def _has_schema(connection: sqlite3.Connection) -> bool:
    """Whether the database has been migrated (Alembic's table with a revision in it)."""
    found = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                               "name = 'alembic_version'").fetchone()
    return bool(found) and connection.execute(
        "SELECT count(*) FROM alembic_version").fetchone()[0] > 0


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: postgresql-client).")


def register(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(out: Path) -> None:
        """Copy the whole database to OUT (a new file), consistently, while the site runs."""
        from .extensions import db

        try:
            backup(app.config["SQLALCHEMY_DATABASE_URI"], out)
        except BackupError as error:
            raise click.ClickException(str(error)) from None
        db.engine.dispose()
        click.echo(f"Backed up to {out} ({out.stat().st_size:,} bytes).")

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="confirm: everything now in the database is replaced")
    def restore_command(source: Path, yes: bool) -> None:
        """Replace the database's contents with the backup in SOURCE."""
        from .extensions import db

        if not yes:
            raise click.ClickException("Restoring replaces everything in the database; "
                                       "add --yes to go ahead.")
        db.session.remove()
        db.engine.dispose()
        try:
            restore(app.config["SQLALCHEMY_DATABASE_URI"], source)
        except BackupError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Restored from {source}.")
