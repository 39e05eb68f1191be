from flask import render_template
from sqlalchemy import select

from ..cycles.models import Cycle
from ..extensions import db
from . import bp


@bp.get("/")
def home():
    cycles = db.session.scalars(select(Cycle).where(Cycle.phase != "draft")
                                .order_by(Cycle.id.desc()).limit(5)).all()
    return render_template("main/home.html", cycles=cycles)


@bp.get("/healthz")
def health():
    return {"status": "ok"}
