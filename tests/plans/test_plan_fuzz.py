"""Odd input to the plan forms (issue 21, part 1): NUL bytes, "²", dates no calendar has, ids
that name nothing. Each gets a clear answer (a form error, a 400 or a 404), never a 500, and
changes nothing; on both databases."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.plans.models import ActionPlan, ActionTarget, PlanAction, ProgressNote

ODD = st.sampled_from(["", " ", "\x00", "a\x00b", "²", "٣", "-1", "0", "99999999999999999999",
                       "1e400", "nan", "inf", "99999-01-01", "0000-00-00", "2026-02-30",
                       "1800-01-01", "2999-12-31", "9999-12-31", "<script>", "x" * 30_000,
                       "2026-13-01", "\ud800".encode("utf-8", "surrogatepass").decode(
                           "utf-8", "replace"), "1.5", "12345678"])
FORMS = {
    "plan": ("/plans/{pid}/edit", ["title", "period_start", "period_end", "needs",
                                   "neighbourhoods", "metrics", "title_es"]),
    "action": ("/plans/{pid}/actions/new", ["title", "lead_id", "partner_ids", "due_on",
                                            "status", "project_ids", "proposal_ids",
                                            "partners_text"]),
    "note": ("/plans/{pid}/actions/{aid}/note", ["noted_on", "body", "body_es"]),
    "target": ("/plans/{pid}/actions/{aid}/targets", ["metric_id", "neighbourhood_id",
                                                      "baseline_on", "target_value",
                                                      "target_on"]),
    "review": ("/plans/{spare}/review", ["review", "next_title", "next_start", "next_end"]),
}


def _good(world) -> dict[str, dict]:
    return {
        "plan": {"title": "Safety plan 2026", "period_start": "2026-01-01",
                 "period_end": "2026-12-31", "needs": "Needs", "metrics": [
                     str(world.injuries.id)]},
        "action": {"title": "New", "lead_id": str(world.lead.id), "due_on": "2026-10-01",
                   "status": "planned"},
        "note": {"noted_on": "2026-01-02", "body": "A note"},
        "target": {"metric_id": str(world.injuries.id), "neighbourhood_id": "0",
                   "baseline_on": "2025-12-31", "target_value": "3", "target_on": "2027-01-01"},
        "review": {"review": "Done", "next_title": "Next", "next_start": "2027-01-01",
                   "next_end": "2027-12-31"},
    }


def _state():
    return (db.session.scalar(select(func.count(ActionPlan.id))),
            db.session.scalar(select(func.count(PlanAction.id))),
            db.session.scalar(select(func.count(ProgressNote.id))),
            db.session.scalar(select(func.count(ActionTarget.id))),
            tuple(db.session.execute(select(ActionPlan.title, ActionPlan.period_start,
                                            ActionPlan.status).order_by(ActionPlan.id))))


def test_odd_form_input_is_refused_clearly(client, login, csrf, world):
    login(world.member)
    token = csrf(f"/plans/{world.plan.id}/edit")
    good = _good(world)
    spare = ActionPlan(board=world.east, title="Reviewed by the fuzz", status="published",
                       period_start=world.plan.period_start, period_end=world.plan.period_end)
    db.session.add(spare)
    db.session.commit()

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(form=st.sampled_from(sorted(FORMS)), data=st.data())
    def fuzz(form, data):
        url, fields = FORMS[form]
        url = url.format(pid=world.plan.id, aid=world.hub.id, spare=spare.id)
        name = data.draw(st.sampled_from(fields))
        value = data.draw(ODD)
        before = _state()
        answer = client.post(url, data={**good[form], name: value, "csrf_token": token})
        assert answer.status_code in (200, 303, 400, 409), (form, name, value)
        if answer.status_code != 303:
            db.session.rollback()
            assert _state() == before, (form, name, value)
            if answer.status_code == 200:
                assert 'class="error"' in answer.get_data(as_text=True) or \
                    "flash-error" in answer.get_data(as_text=True), (form, name, value)
        db.session.rollback()

    fuzz()


def test_unknown_ids_are_404s(client, login, world):
    login(world.member)
    pid, aid = world.plan.id, world.hub.id
    other = PlanAction(plan=world.draft, title="Elsewhere", due_on=world.hub.due_on)
    db.session.add(other)
    db.session.commit()
    for url in [f"/plans/{pid + 1000}", f"/plans/{pid}/actions/{aid + 1000}/edit",
                f"/plans/{pid}/actions/{other.id}/note",  # an action of another plan
                f"/plans/99999999999999999999", "/plans/%C2%B2", "/plans/-1",
                "/plans/new?board=atlantis", "/plans/new?board=%C2%B2", "/plans/new"]:
        assert client.get(url).status_code == 404, url
    assert client.get("/plans/1?x=%00").status_code == 400
