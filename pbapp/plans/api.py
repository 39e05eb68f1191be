"""Published action plans in the read-only API: what the plan's page shows, drafts never, and
every figure from the metrics' protected cells (null with the reason when hidden)."""
from __future__ import annotations

from flask import abort, jsonify, url_for
from sqlalchemy import select

from ..api import bp
from ..api.http import paginated, whole_id
from ..api.serialize import place, when
from ..extensions import db
from ..metrics.tables import Table
from ..models_base import site_today
from ..text import render_markdown
from .figures import plan_figures, target_figures
from .models import ActionPlan, PlanAction
from .services import action_state


def _cell(t: Table | None) -> dict | None:
    if t is None:
        return None
    return {"value": t.total.value, "suppressed": t.total.hidden,
            "period_start": t.period_start.isoformat(), "period_end": t.period_end.isoformat()}


def plan_summary(plan: ActionPlan) -> dict:
    return {
        "id": plan.id, "title": plan.title, "board": {"slug": plan.board.slug,
                                                      "name": plan.board.name},
        "status": plan.status, "period_start": when(plan.period_start),
        "period_end": when(plan.period_end), "previous_id": plan.previous_id,
        "next_id": plan.next_plan.id if plan.next_plan and plan.next_plan.is_public else None,
        "neighbourhoods": [place(h) for h in plan.neighbourhoods],
        "links": {"self": url_for("api.plan", plan_id=plan.id),
                  "html": url_for("plans.show", plan_id=plan.id),
                  "report": url_for("plans.report_json", plan_id=plan.id)},
    }


def _action(a: PlanAction, today) -> dict:
    return {
        "id": a.id, "title": a.title, "description": a.description,
        "lead": {"seat": a.lead.seat if a.lead else None, "organisation": a.lead_organisation},
        "partners": [m.organisation for m in a.partner_seats if m.organisation]
        + ([a.partners_text] if a.partners_text else []),
        "due_on": when(a.due_on), "status": a.status,
        "state": action_state(a.status, a.due_on, today),
        "carried_from_id": a.carried_from_id,
        "proposal_ids": [p.id for p in a.proposals], "project_ids": [p.id for p in a.projects],
        "notes": [{"noted_on": when(n.noted_on), "body": n.body,
                   "body_html": str(render_markdown(n.body))} for n in a.notes],
        "targets": [{"metric": f.target.metric.key,
                     "neighbourhood": f.target.neighbourhood.slug if f.target.neighbourhood
                     else None,
                     "baseline_on": when(f.target.baseline_on), "baseline": _cell(f.baseline),
                     "latest": _cell(f.latest), "target": f.target.target_value,
                     "target_on": when(f.target.target_on)}
                    for f in map(target_figures, a.targets)],
    }


def plan_detail(plan: ActionPlan) -> dict:
    today = site_today()
    return {**plan_summary(plan), "needs": plan.needs,
            "needs_html": str(render_markdown(plan.needs)), "review": plan.review or None,
            "figures": [{"metric": f.metric.key, "neighbourhood": f.slug,
                         "latest": _cell(f.latest)} for f in plan_figures(plan)],
            "actions": [_action(a, today) for a in plan.actions]}


@bp.get("/plans")
def plans():
    found = db.session.scalars(select(ActionPlan).where(ActionPlan.status != "draft").order_by(
        ActionPlan.period_start.desc(), ActionPlan.id.desc())).all()
    return jsonify(paginated(list(found), plan_summary))


@bp.get("/plans/<plan_id>")
def plan(plan_id: str):
    number = whole_id(plan_id)
    found = None if number is None else db.session.get(ActionPlan, number)
    if found is None or not found.is_public:
        abort(404, description=f"No published action plan {plan_id}.")
    return jsonify(plan_detail(found))
