from flask import current_app, render_template
from sqlalchemy import select

from ..cycles.models import Cycle
from ..cycles.window import why_closed
from ..extensions import db
from . import bp

#: what a resident can do in each public phase, most urgent first
ACTIVE_PHASES = ("voting", "proposals", "review", "counting", "implementation")


@bp.get("/")
def home():
    cycles = db.session.scalars(select(Cycle).where(Cycle.phase != "draft")
                                .order_by(Cycle.id.desc())).all()
    voting = sorted((c for c in cycles if c.phase == "voting"), key=_closing_first)
    current = voting or [min((c for c in cycles if c.phase in ACTIVE_PHASES),
                             key=lambda c: (ACTIVE_PHASES.index(c.phase), -c.id), default=None)]
    current = [c for c in current if c is not None]
    return render_template("main/home.html", cycles=cycles, current_cycles=current,
                           closed_why={c.id: why_closed(c) for c in voting})


def _closing_first(cycle: Cycle) -> tuple:
    """Every cycle open for voting is shown; the one closing soonest first, open-ended last."""
    closes = cycle.voting_closes
    return (closes is None, closes.isoformat() if closes else "", -cycle.id)


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement: the standard aimed at, how it is checked, how to report."""
    return render_template("main/accessibility.html",
                           contact=current_app.config.get("CONTACT_EMAIL") or "")


@bp.get("/open-data")
def open_data():
    """Everything published, to download and reuse: the API, the ballots of every published
    count and how to recount them, the reports, the metrics and the feeds, in one place."""
    from ..api import queries
    from ..boards.services import boards_by_name

    counted = [c for c in queries.public_cycles() if queries.published_result(c) is not None]
    return render_template("main/open_data.html", counted=counted,
                           boards=db.session.scalars(boards_by_name()).all(),
                           projects=queries.public_projects(), metrics=queries.metrics())


@bp.get("/healthz")
def health():
    return {"status": "ok"}
