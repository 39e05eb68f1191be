"""Staff pages for a cycle's polling places: the list, adding one, removing an unused one."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from ..auth.permissions import staff_required
from ..extensions import db
from . import bp
from .forms import ActionForm, PlaceForm
from .models import PollingPlace
from .places import PlaceRefused, add_place, place_batches, place_of_cycle, remove_place
from .views import _cycle_or_404


@bp.route("/<slug>/places", methods=["GET", "POST"])
@staff_required
def places(slug: str):
    """The cycle's polling places; POST adds one (audited)."""
    cycle = _cycle_or_404(slug)
    form = PlaceForm()
    if form.validate_on_submit():
        try:
            place = add_place(cycle, form.name.data, form.address.data, current_user)
        except PlaceRefused as refusal:
            db.session.rollback()
            form.name.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(gettext("Polling place %(name)s added.", name=place.name), "success")
            return redirect(url_for("paper.places", slug=cycle.slug), code=303)
    listed = db.session.scalars(PollingPlace.for_cycle(cycle.id)).all()
    return render_template("paper/places.html", cycle=cycle, places=listed, form=form,
                           used=place_batches(cycle))


@bp.post("/<slug>/places/<int:place_id>/remove")
@staff_required
def remove_place_view(slug: str, place_id: int):
    cycle = _cycle_or_404(slug)
    if not ActionForm().validate():
        abort(400)
    try:
        place = place_of_cycle(cycle, place_id)
    except PlaceRefused:
        abort(404)
    try:
        remove_place(place, current_user)
    except PlaceRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(gettext("Polling place %(name)s removed.", name=place.name), "success")
    return redirect(url_for("paper.places", slug=cycle.slug), code=303)
