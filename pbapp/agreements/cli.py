"""``flask agreements``: the daily check of data-sharing agreements."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.group("agreements")
    def agreements() -> None:
        """Data-sharing agreements behind the shared metrics."""

    @agreements.command("check")
    @click.option("--no-mail", is_flag=True, help="print the warnings without emailing staff")
    def check(no_mail: bool) -> None:
        """Run once a day (cron or a systemd timer). Hides the numbers of every metric whose
        agreement passed its retention date (protecting it again, so this takes effect on the
        day without any change to the data), and warns of agreements that expire within 30
        days or have expired: printed here, and emailed to staff once per agreement and
        expiry date."""
        from ..extensions import db
        from ..models_base import site_today
        from .checks import run_check

        today = site_today()
        report = run_check(today, send_mail=not no_mail)
        db.session.commit()
        for a in report.expiring:
            click.echo(f"WARNING: {a.slug} (“{a.title}”) expires on {a.expires_on.isoformat()}, "
                       f"in {a.days_left(today)} day(s).", err=True)
        for a in report.expired:
            click.echo(f"WARNING: {a.slug} (“{a.title}”) expired on {a.expires_on.isoformat()}; "
                       "imports for its metrics are refused: "
                       + ", ".join(m.key for m in a.metrics) + ".", err=True)
        for a in report.past_retention:
            click.echo(f"{a.slug}: retention date {a.retain_until.isoformat()} passed; "
                       "its metrics' numbers are hidden: "
                       + (", ".join(m.key for m in a.metrics) or "none") + ".")
        if report.emailed:
            click.echo(f"Queued {report.emailed} warning email(s) to staff.")
        if not (report.expiring or report.expired or report.past_retention):
            click.echo("No agreement expires within 30 days; none has expired or passed its "
                       "retention date.")
