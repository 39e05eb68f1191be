"""The demo's action plan (issue 21, part 1): an action in every state, linked to demo metrics
and a demo project, in English and Spanish; on both databases."""
from sqlalchemy import select

from pbapp.extensions import db
from pbapp.plans.models import ActionPlan
from pbapp.plans.services import action_state


def test_demo_plan_has_every_state(client, runner):
    out = runner.invoke(args=["demo", "--ballots", "200"])
    assert out.exit_code == 0, out.output
    plan = db.session.scalar(select(ActionPlan))
    assert plan.status == "published" and plan.board.slug == "east-safety"
    assert {action_state(a.status, a.due_on) for a in plan.actions} == {
        "planned", "on_track", "late", "done", "dropped"}
    assert any(a.projects and a.proposals for a in plan.actions)
    assert {t.metric.key for a in plan.actions for t in a.targets} == {
        "violent-incidents", "assault-admissions"}
    assert {f.metric.key for f in plan.figures} == {"violent-incidents", "assault-admissions"}
    page = client.get(f"/plans/{plan.id}?lang=es").get_data(as_text=True)
    assert "Plan de acción de seguridad comunitaria del Este" in page and "Con retraso" in page
    assert "Seis mediadores contratados" in page
    board = client.get("/boards/east-safety").get_data(as_text=True)
    assert f"/plans/{plan.id}" in board
