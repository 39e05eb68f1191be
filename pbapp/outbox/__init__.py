"""Outgoing mail kept in the database and sent by a worker (``flask mail send``).

Notifications are written to the ``outgoing_mail`` table in the same transaction as the change
they tell of, so a change is never told without being made, nor made without being told. A
worker sends what is due, retrying with a growing pause when the mail server is away: a server
that is down loses nothing. In development the same worker runs after each request.
"""
from __future__ import annotations


def init_app(app) -> None:
    """The ``flask mail`` commands, and the after-request worker where it is switched on."""
    from . import cli, worker

    cli.register(app)
    worker.send_after_requests(app)
