"""``flask`` commands for operators: demo data now; codes, imports and backups as they land."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--ballots", default=3000, show_default=True, help="ballots in the finished cycle")
    @click.option("--seed", default=2026, show_default=True, help="random seed, for a repeatable city")
    def demo(ballots: int, seed: int) -> None:
        """Seed a believable city so every page has something real to show."""
        from .demo import seed_demo

        for line in seed_demo(ballots=ballots, seed=seed):
            click.echo(line)
