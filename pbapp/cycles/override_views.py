"""Staff's winner overrides on the review page of a count (issue 19): one POST, no new page."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import get_locale, gettext, lazy_gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..auth.permissions import staff_required
from ..extensions import db
from ..voting.services import ballot_choices
from . import bp
from .models import Result
from .overrides import MAX_REASON, OverrideRefused, final_list, override_winner


class OverrideForm(FlaskForm):
    """The proposal is any text here: the service checks it is on this count's ballot."""

    proposal = StringField(_("Proposal"), validators=[DataRequired()])
    action = RadioField(_("Change"), choices=[SelectChoice("fund", _("Fund it")),
                                              SelectChoice("unfund", _("Do not fund it"))],
                        validators=[DataRequired()])
    reason = TextAreaField(_("Reason (public: residents read it beside the change)"),
                           validators=[DataRequired(message=_("Give the reason: residents "
                                                              "will read it beside the change.")),
                                       Length(max=MAX_REASON)])


@bp.app_template_global("result_override_choices")
def override_choices(result: Result) -> list[tuple[str, str, bool]]:
    """(id, title, in the final list) for the review page's form."""
    final = set(final_list(result).final)
    return [(str(p.id), p.title, str(p.id) in final) for p in ballot_choices(result.cycle)
            if str(p.id) in {str(c) for c in result.data.get("candidates", [])}]


@bp.post("/manage/<slug>/results/<int:result_id>/override")
@staff_required
def manage_override(slug: str, result_id: int):
    from .views import _managed_or_404, _result_or_404

    cycle = _managed_or_404(slug)
    result = _result_or_404(cycle, result_id)
    form = OverrideForm()
    back = redirect(url_for("cycles.manage_result", slug=cycle.slug, result_id=result.id)
                    + "#override", code=303)
    if not form.validate():
        if form.csrf_token.errors:
            abort(400)
        for errors in form.errors.values():
            for error in errors:
                flash(gettext("Not changed: %(why)s", why=error), "error")
        return back
    try:
        override_winner(result, form.proposal.data, form.action.data, form.reason.data,
                        current_user)
    except OverrideRefused as error:
        db.session.rollback()
        flash(gettext("Not changed: %(why)s", why=str(error)), "error")
        return back
    db.session.commit()
    flash(gettext("Changed. The final list and the reason are shown beside the count."),
          "success")
    return back


@bp.app_template_global()
def result_overrides(result: Result, names: dict) -> dict:
    """Both lists and each change, for ``_overrides.html`` (see ``overrides.describe``)."""
    from .overrides import describe

    return describe(result, names, get_locale())


@bp.app_template_global()
def part_funded_project(proposal_id: int):
    """The project a part-funded proposal became (its budget the part), else None."""
    from sqlalchemy import select

    from ..projects.models import Project

    project = db.session.scalar(select(Project).where(Project.proposal_id == proposal_id))
    return project if project is not None and project.part_of_cents else None
