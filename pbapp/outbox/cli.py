"""``flask mail``: send the queued mail, and build the daily digests."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.group("mail")
    def mail_group() -> None:
        """Outgoing email: the queue in the database and the daily digests."""

    @mail_group.command("send")
    @click.option("--limit", default=500, show_default=True, type=click.IntRange(1, 100_000),
                  help="at most this many messages in this run")
    def send(limit: int) -> None:
        """Send the queued emails that are due. Run it every minute or so (cron or a systemd
        timer); a message the mail server does not take now is tried again later, with a
        growing pause, and marked failed (but kept) after MAIL_MAX_ATTEMPTS tries. Several
        runs at once are safe: each message is claimed by one of them."""
        from .worker import send_due

        outcome = send_due(limit=limit)
        click.echo(f"sent {outcome.sent}, failed {outcome.failed}, "
                   f"to try again {outcome.retrying}, left in the queue {outcome.left}")

    @mail_group.command("digest")
    def digest() -> None:
        """Queue one email per follower who chose a daily digest, listing what changed since
        their last one. Run it once a day (then ``flask mail send`` delivers them)."""
        from ..follows.digest import queue_digests

        click.echo(f"digests queued: {queue_digests()}")
