"""A plan's report, in the reports' one shape (``pbapp.reports.cells``): the page, the CSV and
the JSON are drawn from the same dict, and every figure in it is a protected cell."""
from __future__ import annotations

from flask import url_for
from flask_babel import get_locale, gettext

from ..metrics.tables import Table
from ..models_base import site_today
from ..reports.cells import cell, column, day, row, table
from ..reports.data import section
from ..reports.views import _csv, _json, _page
from . import bp
from .figures import plan_figures, target_figures
from .forms import STATE_LABELS
from .models import ActionPlan
from .services import action_state


def _figure(t: Table | None) -> dict:
    return cell(t.total.value, t.total.display, t.total.hidden) if t else cell(None, "–")


def _period(t: Table | None) -> dict:
    return cell(t.period_label if t else None)


def plan_report(plan: ActionPlan) -> dict:
    locale, today = get_locale(), site_today()
    city = gettext("The whole city")
    about = table("plan", gettext("The plan"), [column("value", gettext("Value"))], [
        row("board", gettext("Board"), {"value": cell(plan.board.text("name", locale))}),
        row("start", gettext("From"), {"value": day(plan.period_start)}),
        row("end", gettext("To"), {"value": day(plan.period_end)}),
        row("neighbourhoods", gettext("Neighbourhoods it targets"), {"value": cell(
            ", ".join(h.name for h in plan.neighbourhoods) or city)}),
        row("needs", gettext("Needs assessment"), {"value": cell(plan.text("needs", locale))})],
        header=gettext("What"))
    about["columns"][0]["markdown"] = True
    figures = table("figures", gettext("Figures the plan rests on"), [
        column("latest", gettext("Latest"), numeric=True),
        column("period", gettext("Period"))],
        [row(f"{f.metric.key}-{f.place or 'city'}",
             f"{f.metric.text('name', locale)}: {f.place or city}",
             {"latest": _figure(f.latest), "period": _period(f.latest)})
         for f in plan_figures(plan)], header=gettext("Metric"))
    states = {a.id: action_state(a.status, a.due_on, today) for a in plan.actions}
    actions = table("actions", gettext("Actions"), [
        column("lead", gettext("Lead")), column("due", gettext("Due")),
        column("state", gettext("How it is going")),
        column("latest_note", gettext("Latest note"), markdown=True)],
        [row(a.id, a.text("title", locale), {
            "lead": cell(a.lead_organisation), "due": day(a.due_on),
            "state": cell(states[a.id], gettext(STATE_LABELS[states[a.id]])),
            "latest_note": cell(a.notes[0].text("body", locale) if a.notes else None)},
            url=url_for("plans.show", plan_id=plan.id, _anchor=f"action-{a.id}"))
         for a in plan.actions], header=gettext("Action"))
    targets = table("targets", gettext("Metric targets"), [
        column("action", gettext("Action")), column("place", gettext("Where")),
        column("baseline", gettext("Baseline"), numeric=True),
        column("baseline_period", gettext("Baseline period")),
        column("latest", gettext("Latest"), numeric=True),
        column("latest_period", gettext("Latest period")),
        column("target", gettext("Target"), numeric=True),
        column("target_on", gettext("Target date"))],
        [row(t.id, t.metric.text("name", locale), {
            "action": cell(a.text("title", locale)),
            "place": cell(t.neighbourhood.name if t.neighbourhood else city),
            "baseline": _figure(f.baseline), "baseline_period": _period(f.baseline),
            "latest": _figure(f.latest), "latest_period": _period(f.latest),
            "target": cell(t.target_value, f.target_display), "target_on": day(t.target_on)})
         for a in plan.actions for t in a.targets for f in [target_figures(t)]],
        header=gettext("Metric"))
    notes = table("notes", gettext("Progress notes"), [
        column("date", gettext("Date")), column("note", gettext("Note"), markdown=True)],
        [row(n.id, a.text("title", locale), {"date": day(n.noted_on),
                                              "note": cell(n.text("body", locale))})
         for a in plan.actions for n in a.notes], header=gettext("Action"))
    return {
        "report": "plan",
        "title": gettext("Action plan report: %(plan)s", plan=plan.text("title", locale)),
        "subject": {"id": plan.id, "title": plan.title, "board": plan.board.slug,
                    "status": plan.status, "period_start": plan.period_start.isoformat(),
                    "period_end": plan.period_end.isoformat(),
                    "url": url_for("plans.show", plan_id=plan.id)},
        "sections": [
            section("plan", gettext("The plan"), [about]),
            section("figures", gettext("Figures the plan rests on"), [figures]),
            section("actions", gettext("Actions"), [actions]),
            section("targets", gettext("Metric targets"), [targets]),
            section("notes", gettext("Progress notes"), [notes]),
        ],
    }


def _public_plan(plan_id: int) -> ActionPlan:
    from .views import _plan_or_404

    return _plan_or_404(plan_id)


@bp.get("/<int:plan_id>/report")
def report(plan_id: int):
    plan = _public_plan(plan_id)
    return _page("plans/report.html", plan_report(plan), plan=plan)


@bp.get("/<int:plan_id>/report.csv")
def report_csv(plan_id: int):
    plan = _public_plan(plan_id)
    return _csv(plan_report(plan), f"plan-{plan.id}-report")


@bp.get("/<int:plan_id>/report.json")
def report_json(plan_id: int):
    plan = _public_plan(plan_id)
    return _json(plan_report(plan), f"plan-{plan.id}-report")
