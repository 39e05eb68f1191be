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
    current = min((c for c in cycles if c.phase in ACTIVE_PHASES),
                  key=lambda c: (ACTIVE_PHASES.index(c.phase), -c.id), default=None)
    not_taking = current is not None and current.phase == "voting" and why_closed(current)
    return render_template("main/home.html", cycles=cycles, current=current,
                           not_taking=not_taking)


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement: the standard aimed at, how it is checked, how to report."""
    return render_template("main/accessibility.html",
                           contact=current_app.config.get("CONTACT_EMAIL") or "")


@bp.get("/healthz")
def health():
    return {"status": "ok"}
