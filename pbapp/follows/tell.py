"""How the services of cycles, proposals, projects and boards reach ``notify``.

``notify`` needs those packages' models, and they import their services when loaded, so the
real function is imported at the first call, not when a service module is loaded (which was a
circular import: ``import pbapp.cycles.models`` on its own failed).
"""
from __future__ import annotations


def notify(thing, event: str, actor=None, **params) -> int:
    """See ``pbapp.follows.notify.notify``."""
    from .notify import notify as tell

    return tell(thing, event, actor, **params)
