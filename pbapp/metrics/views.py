"""Metric pages: the public catalogue and each metric's protected tables; staff keep the
catalogue, enter measurements and import partners' files.

Public pages read measurements only through ``tables``, so they show what its small-cell
protection allows and nothing else; the raw values are on a staff-only page.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygal
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext, ngettext
from flask_login import current_user
from sqlalchemy import func, select

from .. import page_memory
from ..auth.permissions import staff_required
from ..cycles.charts import Chart, chart_config, render_svg
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..labels import N_
from ..number_inputs import page_arg
from ..projects.models import Project
from . import bp, importer
from . import services as svc
from .forms import ImportForm, MeasurementForm, MetricForm
from .models import Measurement, Metric, MetricAudit, PublishedCell
from .protection import THRESHOLD, WIDTH
from .published import audit_of
from .tables import BREAKDOWN_LABELS, HIDDEN_MEANING, HIDDEN_TEXT, Table, tables_by_scope

# a metric's public page is kept for signed-out readers (``show``) until one of these changes here
page_memory.watch(Metric, Measurement, Neighbourhood, PublishedCell, MetricAudit)

PAGE_SIZE = 200
#: the kinds of sum the audit uses, in words
RELATION_KINDS = {"breakdown": N_("groups add up to their total"),
                  "neighbourhoods": N_("neighbourhoods add up to the city"),
                  "periods": N_("shorter periods add up to a longer one"),
                  "same number": N_("a neighbourhood's total is also its cell in the city's table")}


@bp.app_template_filter("metric_better")
def metric_better(better: str) -> str:
    return {"lower": gettext("Lower is better"),
            "higher": gettext("Higher is better")}.get(better, better)


@bp.app_template_filter("metric_frequency")
def metric_frequency(frequency: str) -> str:
    return {"monthly": gettext("Monthly"), "quarterly": gettext("Quarterly"),
            "yearly": gettext("Yearly")}.get(frequency, frequency)


@bp.app_template_filter("metric_source")
def metric_source(source: str) -> str:
    return {"police": gettext("Police"), "hospital": gettext("Hospital"),
            "ambulance": gettext("Ambulance service"), "survey": gettext("Survey"),
            "council": gettext("Council"), "partner": gettext("Partner organisation")
            }.get(source, source)


@bp.app_template_filter("metric_raw")
def metric_raw(value) -> str:
    """A stored number as entered (staff pages only): 12 rather than 12.0, empty for none."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(value)


def _metric_or_404(key: str) -> Metric:
    metric = db.session.scalar(select(Metric).where(Metric.key == key))
    if metric is None:
        abort(404)
    return metric


def _pin(form, error: svc.Invalid) -> None:
    """Undo anything half-done and put each problem on its field (or the whole form)."""
    db.session.rollback()
    for name, message in error.problems:
        if name == "scope_ref":
            name = form.scope.data
        field = getattr(form, name, None) if name else None
        if field is None or not hasattr(field, "errors"):
            form.form_errors.append(message)
        elif message[:1].isupper():
            field.errors = [*field.errors, message]
        else:
            field.errors = [*field.errors, f"{field.label.text} {message}."]


# Public ----------------------------------------------------------------------------------------

@dataclass
class ScopeView:
    """One scope of a metric's page: its totals over time and the latest breakdowns."""

    scope: str
    ref: str
    title: str
    series: list[Table]
    chart: Chart | None
    breakdowns: list[Table]


def series_chart(metric: Metric, points: list[Table], chart_id: str, where: str) -> Chart:
    """The totals as a line; a hidden total is a gap, and its number never reaches the SVG."""
    title = gettext("%(metric)s: %(where)s", metric=metric.text("name", get_locale()), where=where)
    chart = chart_config(pygal.Line, chart_id, title=title, height=360, show_legend=False,
                          allow_interruptions=True, include_x_axis=True, dots_size=4,
                          y_title=metric.text("unit", get_locale()) or None,
                          x_label_rotation=30 if len(points) > 6 else 0)
    chart.x_labels = [t.period_label for t in points]
    # each point written as its table cell is (a rate with its one decimal, 3,710 / 3.710)
    chart.add(metric.text("name", get_locale()), [None if t.total.value is None else
                            {"value": t.total.value,
                             "formatter": lambda _v, shown=t.total.display: shown}
                            for t in points])
    shown = [t for t in points if t.total.value is not None]
    hidden = sum(1 for t in points if t.total.hidden)
    caption = ngettext("%(num)d period, %(first)s.", "%(num)d periods, %(first)s to %(last)s.",
                       len(points), first=points[0].period_label,
                       last=points[-1].period_label)
    if shown:
        caption += " " + gettext("Latest shown: %(value)s for %(period)s.",
                                 value=shown[-1].total.display, period=shown[-1].period_label)
    if hidden:
        caption += " " + ngettext(
            "%(num)d period is hidden to protect the people counted and left as a gap.",
            "%(num)d periods are hidden to protect the people counted and left as gaps.",
            hidden)
    return Chart(chart_id, title, caption, render_svg(chart))


def _scope_title(scope: str, ref: str, hoods: dict[str, str], projects: dict[str, str]) -> str:
    if scope == "city":
        return gettext("The whole city")
    if scope == "neighbourhood":
        return hoods.get(ref, ref)
    return projects.get(ref, gettext("Project %(id)s", id=ref))


def scope_views(metric: Metric) -> list[ScopeView]:
    hoods = dict(db.session.execute(select(Neighbourhood.slug, Neighbourhood.name)).all())
    projects = {str(i): t for i, t in db.session.execute(select(Project.id, Project.title))}
    views = []
    for n, ((scope, ref), tables) in enumerate(tables_by_scope(metric).items()):
        points = [t for t in tables if t.breakdown == ""]
        title = _scope_title(scope, ref, hoods, projects)
        shown = sum(1 for t in points if t.total.value is not None)
        # nothing shown: no empty "No data" chart, the table says it all
        chart = series_chart(metric, points, f"chart-{n}", title) if shown else None
        broken = [t for t in tables if t.breakdown]
        latest = max(((t.period_start, t.period_end) for t in broken), default=None)
        views.append(ScopeView(scope, ref, title, points, chart,
                               [t for t in broken if (t.period_start, t.period_end) == latest]))
    return views


@bp.get("/")
def index():
    metrics = db.session.scalars(select(Metric).order_by(Metric.name, Metric.key)).all()
    return render_template("metrics/index.html", metrics=metrics)


@bp.get("/<key>")
@page_memory.for_every_reader  # its charts cost ~40 ms to draw
def show(key: str):
    metric = _metric_or_404(key)
    scopes = scope_views(metric)
    meanings: dict[str, list[str]] = {}
    for reason, meaning in HIDDEN_MEANING.items():
        meanings.setdefault(HIDDEN_TEXT[reason], []).append(gettext(meaning))
    key_rows = [(text, "; ".join(said)) for text, said in meanings.items()]
    key_rows.append(("–", gettext("not measured for that period")))
    audit = audit_of(metric)
    return render_template("metrics/show.html", metric=metric, scopes=scopes,
                           key_rows=key_rows, breakdown_labels=BREAKDOWN_LABELS,
                           audit=audit, relations=(audit.relations or {}) if audit else {},
                           relation_kinds=RELATION_KINDS)


@bp.get("/small-numbers")
def small_numbers():
    """How small numbers are protected, in words: the rule, the relations, the audit."""
    return render_template("metrics/small_numbers.html", threshold=THRESHOLD, width=WIDTH)


# Staff: the catalogue ----------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    return _metric_form(None)


@bp.route("/<key>/edit", methods=["GET", "POST"])
@staff_required
def edit(key: str):
    return _metric_form(_metric_or_404(key))


def _metric_form(metric: Metric | None):
    form = MetricForm(obj=metric if request.method == "GET" else None,
                      data=MetricForm.translation_data(metric) if metric else None)
    if form.validate_on_submit():
        values = svc.MetricFields(**{name: form[name].data or "" for name in (
            "key", "name", "definition", "unit", "kind", "better", "source", "supplier",
            "frequency", "sharing_what", "sharing_consent", "sharing_retention")},
            rate_per=form.rate_per.data)
        try:
            saved = svc.save_metric(current_user, values, metric, form.translations())
        except svc.Invalid as error:
            _pin(form, error)
        else:
            db.session.commit()
            flash(gettext("Metric “%(name)s” saved.", name=saved.name), "success")
            return redirect(url_for(".show", key=saved.key), 303)
    return render_template("metrics/form.html", form=form, metric=metric)


# Staff: measurements -----------------------------------------------------------------------------

@bp.route("/<key>/measurements/new", methods=["GET", "POST"])
@staff_required
def new_measurement(key: str):
    metric = _metric_or_404(key)
    form = MeasurementForm().set_choices(
        db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)),
        db.session.scalars(select(Project).order_by(Project.title, Project.id)))
    if form.validate_on_submit():
        try:
            svc.add_measurement(current_user, metric, form.raw())
        except svc.Invalid as error:
            _pin(form, error)
        else:
            db.session.commit()
            flash(gettext("Measurement added."), "success")
            return redirect(url_for(".measurements", key=metric.key), 303)
    return render_template("metrics/measurement_form.html", form=form, metric=metric,
                           breakdown_labels=BREAKDOWN_LABELS)


@bp.get("/<key>/measurements")
@staff_required
def measurements(key: str):
    """The raw values as entered, small ones included: staff only, never linked publicly."""
    metric = _metric_or_404(key)
    page = page_arg()
    total = db.session.scalar(select(func.count(Measurement.id))
                              .where(Measurement.metric_id == metric.id))
    rows = db.session.scalars(
        select(Measurement).where(Measurement.metric_id == metric.id)
        .order_by(Measurement.period_end.desc(), Measurement.period_start.desc(),
                  Measurement.scope, Measurement.scope_ref, Measurement.breakdown,
                  Measurement.group_name)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    audit = audit_of(metric)
    return render_template("metrics/measurements.html", metric=metric, rows=rows, page=page,
                           total=total, pages=max(-(-total // PAGE_SIZE), 1), audit=audit,
                           relations=(audit.relations or {}) if audit else {})


@bp.route("/import", methods=["GET", "POST"])
@staff_required
def import_measurements():
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            report = importer.import_measurements(form.file.data.read(), current_user)
        except importer.ImportInvalid as error:
            db.session.rollback()
            problems = error.problems
        else:
            db.session.commit()
            flash(gettext("Imported %(report)s", report=report), "success")
            return redirect(url_for(".import_measurements"), 303)
    return render_template("metrics/import.html", form=form, problems=problems,
                           columns=",".join(importer.COLUMNS), required=importer.REQUIRED)
