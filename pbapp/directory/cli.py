"""``flask directory``: load a city's directory of services (HSDS 3.0 JSON) and keep it in step."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.group("directory")
    def directory() -> None:
        """The directory of services and referral pathways (Help near you)."""

    @directory.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--board", "board_slug", default=None,
                  help="the slug of the board that keeps the file's new entries")
    def import_directory(file: str, board_slug: str | None) -> None:
        """Import FILE, a directory in the Open Referral Human Services Data Specification
        (HSDS 3.0 JSON). Services are found by their HSDS ids, so importing the same city file
        again updates the entries in place. All or nothing: a file with any bad record imports
        nothing, and every bad record is listed."""
        from flask_babel import gettext
        from sqlalchemy import select

        from ..boards.models import Board
        from ..extensions import db
        from .hsds import MAX_BYTES, DirectoryImportInvalid, import_document

        board_id = None
        if board_slug is not None:
            board_id = db.session.scalar(select(Board.id).where(Board.slug == board_slug))
            if board_id is None:
                raise click.ClickException(f"No board with the slug {board_slug[:80]!r}; "
                                           "nothing was imported.")
        with open(file, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        try:
            added, updated = import_document(data, None, board_id)
        except DirectoryImportInvalid as error:
            db.session.rollback()
            for line in error.lines(gettext):
                click.echo(line, err=True)
            raise click.ClickException(f"{len(error.problems)} problem(s); nothing was "
                                       "imported.") from None
        db.session.commit()
        click.echo(f"Imported the directory: {added} new entries, {updated} updated.")
