"""``flask surveys close``: close the surveys whose time is up (run it from cron)."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.group("surveys")
    def surveys() -> None:
        """Resident surveys."""

    @surveys.command("close")
    @click.argument("slug", required=False)
    def close(slug: str | None) -> None:
        """Close SLUG now, or every survey whose closing time has passed: publish the
        protected results and add the linked measurements to their metrics. Closing a closed
        survey changes nothing, so it is safe to run every few minutes."""
        from sqlalchemy import select

        from ..extensions import db
        from . import services as svc
        from .models import Survey

        if slug:
            survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
            if survey is None:
                raise click.ClickException(f"No survey has the address {slug!r}.")
            todo = [survey]
        else:
            todo = svc.due()
        for survey in todo:
            try:
                done = svc.close(survey)
            except svc.Refused as error:
                db.session.rollback()
                raise click.ClickException(str(error)) from None
            db.session.commit()
            click.echo(f"{survey.slug}: " + ("closed, results published" if done
                                             else "already closed"))
            for why in (done.refused if done else ()):
                click.echo(f"{survey.slug}: {why}", err=True)
        if not todo:
            click.echo("No survey is due to close.")
