"""Staff import neighbourhood outlines (GeoJSON) and see them drawn."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select

from ..auth.permissions import staff_required
from ..cycles.models import Neighbourhood
from ..extensions import db
from . import bp
from .geometry import OutlinesInvalid, Problem
from .services import count_map, import_outlines, outlines


class OutlinesForm(FlaskForm):
    file = FileField(_l("Neighbourhood outlines (GeoJSON)"), validators=[
        FileRequired(message=_l("Choose the GeoJSON file to import.")),
        FileAllowed(["geojson", "json"], message=_l("Upload a .geojson or .json file."))])


@bp.route("/boundaries", methods=["GET", "POST"])
@staff_required
def boundaries():
    """Which neighbourhoods have an outline, the map they make, and the import."""
    form = OutlinesForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            names = import_outlines(form.file.data.read(), current_user)
        except OutlinesInvalid as error:
            db.session.rollback()
            problems = [p.translated(gettext) if isinstance(p, Problem) else p
                        for p in error.problems]
        else:
            db.session.commit()
            flash(gettext("Imported the outlines of %(num)d neighbourhoods.", num=len(names)),
                  "success")
            return redirect(url_for("maps.boundaries"), code=303)
    hoods = db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)).all()
    have = outlines()
    preview = count_map("map-outlines", gettext("Neighbourhood outlines"), {},
                        lambda n: "") if have else None
    return render_template("maps/boundaries.html", form=form, problems=problems, hoods=hoods,
                           have=have, preview=preview)
