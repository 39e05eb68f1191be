from flask import abort, render_template
from sqlalchemy import select

from ..extensions import db
from ..voting.services import ballot_choices
from . import bp
from .models import Cycle, Result


def _cycle_or_404(slug: str) -> Cycle:
    cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
    if cycle is None or cycle.phase == "draft":
        abort(404)
    return cycle


def published_result(cycle: Cycle) -> Result | None:
    return db.session.scalar(select(Result).where(
        Result.cycle_id == cycle.id, Result.published_at.is_not(None))
        .order_by(Result.published_at.desc()).limit(1))


@bp.get("/")
def index():
    cycles = db.session.scalars(select(Cycle).where(Cycle.phase != "draft")
                                .order_by(Cycle.created_at.desc(), Cycle.id.desc())).all()
    return render_template("cycles/index.html", cycles=cycles)


@bp.get("/<slug>")
def show(slug: str):
    cycle = _cycle_or_404(slug)
    return render_template("cycles/show.html", cycle=cycle, proposals=ballot_choices(cycle),
                           result=published_result(cycle))


@bp.get("/<slug>/results")
def results(slug: str):
    cycle = _cycle_or_404(slug)
    result = published_result(cycle)
    if result is None:
        abort(404)
    return render_template("cycles/results.html", cycle=cycle, result=result,
                           data=result.data, names=result.data.get("names", {}))
