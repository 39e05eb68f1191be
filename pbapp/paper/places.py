"""Polling places: where a cycle's paper ballots were cast, as staff list them.

A paper batch names its place when it is started; committing it casts each ballot with that
place (``Ballot.polling_place_id``), never with the voter. The results page and the cycle report
show ballots per place under the small-cell rules (``pbapp.cycles.stats``). Every change is
audited in the caller's transaction.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import func, select

from ..audit.services import record
from ..cycles.models import Cycle
from ..extensions import db
from .models import PaperBatch, PollingPlace


class PlaceRefused(Exception):
    """Nothing was changed; the message says why."""


def place_of_cycle(cycle: Cycle, place_id) -> PollingPlace | None:
    """The polling place ``place_id`` names within this cycle; another cycle's place, an unknown
    id or anything that is not a whole number is refused, so no batch can borrow one."""
    try:
        number = int(str(place_id))
    except (TypeError, ValueError):
        number = None
    place = db.session.get(PollingPlace, number) if number and 0 < number < 2 ** 31 else None
    if place is None or place.cycle_id != cycle.id:
        raise PlaceRefused(gettext("Choose one of this cycle's polling places."))
    return place


def add_place(cycle: Cycle, name: str, address: str, actor) -> PollingPlace:
    if cycle.phase in ("implementation", "closed"):
        raise PlaceRefused(gettext("The count is over: this cycle's polling places can no "
                                   "longer change."))
    name, address = " ".join((name or "").split()), " ".join((address or "").split())
    if not name:
        raise PlaceRefused(gettext("Give the polling place's name."))
    if db.session.scalar(select(PollingPlace.id).where(PollingPlace.cycle_id == cycle.id,
                                                       PollingPlace.name == name)):
        raise PlaceRefused(gettext("This cycle already has a polling place called “%(name)s”.",
                                   name=name))
    place = PollingPlace(cycle_id=cycle.id, name=name, address=address)
    db.session.add(place)
    db.session.flush()
    record(actor, "paper.place_add", f"polling_place:{place.id}", cycle_id=cycle.id, name=name)
    return place


def remove_place(place: PollingPlace, actor) -> None:
    """Only a place no batch names: ballots already cast keep theirs."""
    if db.session.scalar(select(PaperBatch.id).where(PaperBatch.polling_place_id == place.id)
                         .limit(1)) is not None:
        raise PlaceRefused(gettext("Paper batches name this polling place, so it stays."))
    record(actor, "paper.place_remove", f"polling_place:{place.id}", cycle_id=place.cycle_id,
           name=place.name)
    db.session.delete(place)
    db.session.flush()


def place_choices(places: list[PollingPlace]) -> list[tuple[str, str]]:
    """The batch form's choices: the cycle's places, or "not recorded" while it lists none."""
    if not places:
        return [("", gettext("Not recorded (no polling places listed)"))]
    return [("", gettext("Choose…"))] + [(str(p.id), p.name) for p in places]


def place_batches(cycle: Cycle) -> dict[int, tuple[int, int]]:
    """Per place: (batches naming it, ballots its committed batches cast)."""
    rows = db.session.execute(
        select(PaperBatch.polling_place_id, func.count(), func.sum(PaperBatch.ballots))
        .where(PaperBatch.cycle_id == cycle.id, PaperBatch.polling_place_id.is_not(None))
        .group_by(PaperBatch.polling_place_id))
    return {pid: (n, int(cast or 0)) for pid, n, cast in rows}
