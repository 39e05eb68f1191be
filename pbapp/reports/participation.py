"""Who took part in a cycle, in the aggregate: voters by channel, neighbourhood and age band.

Read from the participation rows (who voted, never what). Each breakdown is a one-dimensional
table whose cells add up to the turnout, with a "Not recorded" group for voters whose
neighbourhood or age is unknown (codes and paper), and is protected against that total.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, or_, select

from ..cycles.models import Cycle, Neighbourhood, cycle_neighbourhood
from ..cycles.stats import Turnout, turnout_by_channel
from ..extensions import db
from ..voting.models import Participation
from ..voting.roll import AGE_BANDS
from ..paper.turnout import PlaceTurnout, place_turnout
from .cells import cell, column, hidden, protected_counts, row, table
from .words import gettext

NOT_RECORDED = "not-recorded"


def age_band_label(band: str) -> str:
    """The bands are numbers ("25-34", "65+") but for the youngest, which has words."""
    return gettext("under 18") if band == "under 18" else band


def _counts_by_place_and_age(cycle: Cycle) -> tuple[dict, dict]:
    """Voters per neighbourhood and per age band, from one pass over the participation rows."""
    by_hood: dict = defaultdict(int)
    by_age: dict = defaultdict(int)
    for hood, band, n in db.session.execute(
            select(Participation.neighbourhood_id, Participation.age_band, func.count())
            .where(Participation.cycle_id == cycle.id)
            .group_by(Participation.neighbourhood_id, Participation.age_band)):
        by_hood[hood] += n
        by_age[band] += n
    return dict(by_hood), dict(by_age)


def turnout_tables(cycle: Cycle, counted: tuple[Turnout, PlaceTurnout | None] | None = None
                   ) -> list[dict]:
    """``counted``: the turnout by channel and by polling place when the caller has them
    already (the results partial on the same page reads them too)."""
    if counted is None:
        turnout = turnout_by_channel(cycle.id)
        counted = turnout, place_turnout(cycle.id, turnout)
    turnout, places = counted
    total = turnout.total
    voters = gettext("Voters")
    total_label = gettext("Total")
    tables = [protected_counts(
        "turnout-channel", gettext("Turnout by how people voted"), gettext("Channel"), voters,
        [(c, label) for c, label, _ in turnout.rows], [n for _, _, n in turnout.rows], total,
        total_label)]

    by_hood, by_age = _counts_by_place_and_age(cycle)
    hoods = sorted(db.session.scalars(select(Neighbourhood).where(or_(
        Neighbourhood.id.in_(select(cycle_neighbourhood.c.neighbourhood_id).where(
            cycle_neighbourhood.c.cycle_id == cycle.id)),
        Neighbourhood.id.in_([i for i in by_hood if i is not None])))), key=lambda n: n.name)
    groups = [(h.slug, h.name) for h in hoods] + [(NOT_RECORDED, gettext("Not recorded"))]
    counts = [by_hood.get(h.id, 0) for h in hoods] + [by_hood.get(None, 0)]
    tables.append(protected_counts(
        "turnout-neighbourhood", gettext("Turnout by neighbourhood"), gettext("Neighbourhood"),
        voters, groups, counts,
        total, total_label, gettext("Where voters live: from the account's profile, or the "
                                    "address a letter's code was posted to; paper ballots "
                                    "record none.")))

    bands = list(AGE_BANDS) + sorted(b for b in by_age if b is not None and b not in AGE_BANDS)
    tables.append(protected_counts(
        "turnout-age", gettext("Turnout by age band"), gettext("Age band"), voters,
        [(b, age_band_label(b)) for b in bands] + [(NOT_RECORDED, gettext("Not recorded"))],
        [by_age.get(b, 0) for b in bands] + [by_age.get(None, 0)], total, total_label))
    if places is not None:
        tables.append(_places_table(places))
    return tables


def _places_table(places) -> dict:
    """Paper ballots per polling place, protected with the channel table (``paper.turnout``)."""
    col = column("count", gettext("Ballots"), numeric=True)
    rows = [row(r.key, r.label, {"count": hidden(r.hidden) if r.hidden else cell(r.ballots)})
            for r in places.rows]
    value, why = places.paper
    total = row("total", gettext("All paper ballots"),
                {"count": hidden(why) if why else cell(value)})
    return table("turnout-polling-place", gettext("Paper ballots by polling place"), [col],
                 rows, total, gettext("Where paper ballots were cast, from the paper batches."),
                 gettext("Polling place"))
