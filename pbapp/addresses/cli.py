"""``flask addresses import`` and ``flask neighbourhoods boundaries``."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask


def _read(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as error:
        raise click.ClickException(f"Cannot read {file[:80]!r}: {error.strerror}; nothing "
                                   "was imported.") from None


def register(app: Flask) -> None:
    @app.cli.group("addresses")
    def addresses() -> None:
        """The address register of a budget cycle (who lives in its area)."""

    @addresses.command("import")
    @click.option("--cycle", "slug", required=True, help="slug of the budget cycle")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def import_(slug: str, file: str) -> None:
        """Add the addresses in FILE (CSV: address,postcode,neighbourhood) to the register of
        CYCLE. All or nothing: any bad line imports nothing and every bad line is listed.
        Addresses already in the register (after normalising case, spacing, punctuation and
        abbreviations such as St/Street) are skipped, so re-running is safe."""
        from sqlalchemy import select

        from ..cycles.models import Cycle
        from ..cycles.services import PhaseError
        from ..extensions import db
        from .register import RegisterInvalid, import_register

        cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
        if cycle is None:
            raise click.ClickException(f"No cycle with the slug {slug[:80]!r}; nothing was "
                                       "imported.")
        try:
            report = import_register(cycle, _read(file), None, progress=True)
        except (RegisterInvalid, PhaseError) as error:
            db.session.rollback()
            for problem in getattr(error, "problems", []):
                click.echo(problem, err=True)
            raise click.ClickException(f"{error} Nothing was imported."
                                       if isinstance(error, PhaseError) else str(error))
        db.session.commit()
        click.echo(f"Imported into the address register of {cycle.name}: {report}.")

    @app.cli.group("neighbourhoods")
    def neighbourhoods() -> None:
        """The city's neighbourhoods."""

    @neighbourhoods.command("boundaries")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def boundaries(file: str) -> None:
        """Import neighbourhood outlines from FILE (a GeoJSON FeatureCollection of Polygons or
        MultiPolygons in longitude/latitude, each with a "name" property holding a
        neighbourhood's name or slug), for the maps. All or nothing; outlines in the file
        replace those of the same neighbourhoods."""
        from ..extensions import db
        from ..maps.geometry import OutlinesInvalid
        from ..maps.services import import_outlines

        try:
            names = import_outlines(_read(file), None)
        except OutlinesInvalid as error:
            db.session.rollback()
            for problem in error.problems:
                click.echo(problem, err=True)
            raise click.ClickException(str(error))
        db.session.commit()
        click.echo(f"Imported the outlines of {len(names)} neighbourhoods: {', '.join(names)}.")
