"""The proposing board and staff keep a project current: updates, milestones, status."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pbapp.audit.models import AuditEvent
from pbapp.audit.services import verify_chain
from pbapp.extensions import db
from pbapp.projects.models import Milestone, ProjectUpdate


def _event(action: str) -> AuditEvent:
    db.session.expire_all()
    return db.session.scalar(select(AuditEvent).where(AuditEvent.action == action)
                             .order_by(AuditEvent.id.desc()).limit(1))


def _post(client, csrf, url, **data):
    return client.post(url, data={**data, "csrf_token": csrf(url)})


def test_member_posts_an_update(client, login, csrf, member, project, fresh):
    login(member)
    url = f"/projects/{project.id}/updates/new"
    assert client.get(url).status_code == 200
    resp = _post(client, csrf, url, title="Contract signed",
                 body="The **partner** starts on Monday.")
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith(f"/projects/{project.id}")
    [update] = fresh(project).updates
    assert (update.title, update.author_id) == ("Contract signed", member.id)
    assert update.published_at.tzinfo is not None
    event = _event("project.post_update")
    assert event.actor_id == member.id and event.target == f"project:{project.id}"
    assert event.detail == {"update_id": update.id, "title": "Contract signed"}
    page = client.get(f"/projects/{project.id}").data
    assert b"Contract signed" in page and b"<strong>partner</strong>" in page
    assert verify_chain() == (True, None)


def test_member_adds_edits_and_completes_a_milestone(client, login, csrf, member, project,
                                                     fresh):
    login(member)
    url = f"/projects/{project.id}/milestones/new"
    resp = _post(client, csrf, url, title="Staff hired", due_on="2026-09-30",
                 note="Two outreach workers.")
    assert resp.status_code == 303
    [milestone] = fresh(project).milestones
    assert (milestone.title, milestone.due_on, milestone.done_on, milestone.note) == (
        "Staff hired", date(2026, 9, 30), None, "Two outreach workers.")
    assert _event("project.milestone_add").detail == {
        "milestone_id": milestone.id, "title": "Staff hired", "due_on": "2026-09-30"}

    edit = f"/projects/{project.id}/milestones/{milestone.id}/edit"
    assert b"Two outreach workers." in client.get(edit).data
    resp = _post(client, csrf, edit, title="Staff hired", due_on="2026-10-31",
                 note="Two outreach workers.")
    assert resp.status_code == 303
    assert fresh(milestone).due_on == date(2026, 10, 31)
    assert _event("project.milestone_edit").detail["changes"] == {
        "due_on": ["2026-09-30", "2026-10-31"]}

    show = f"/projects/{project.id}"
    resp = client.post(f"{show}/milestones/{milestone.id}/complete",
                       data={"csrf_token": csrf(show)})  # the button on the project's page
    assert resp.status_code == 303
    assert fresh(milestone).done_on == date.today()
    event = _event("project.milestone_done")
    assert event.detail["milestone_id"] == milestone.id
    assert event.detail["done_on"] == date.today().isoformat()
    assert b"Mark done today" not in client.get(show).data


def test_member_changes_status_with_a_reason(client, login, csrf, member, project, fresh):
    login(member)
    url = f"/projects/{project.id}/status"
    page = client.get(url).data.decode()
    assert 'value="in_progress"' in page and 'value="completed"' not in page
    assert _post(client, csrf, url, status="in_progress", reason="").status_code == 303
    resp = _post(client, csrf, url, status="paused", reason="Waiting for the new lead.")
    assert resp.status_code == 303
    project = fresh(project)
    assert project.status == "paused"
    last = project.history[-1]
    assert (last.from_status, last.to_status, last.actor_id, last.reason) == (
        "in_progress", "paused", member.id, "Waiting for the new lead.")
    assert _event("project.status").detail == {"old": "in_progress", "new": "paused",
                                               "reason": "Waiting for the new lead."}
    public = client.application.test_client().get(f"/projects/{project.id}").data
    assert b"Waiting for the new lead." in public


def test_staff_may_change_any_project(client, login, csrf, make_user, project, fresh):
    login(make_user("staff"))
    resp = _post(client, csrf, f"/projects/{project.id}/status", status="cancelled",
                 reason="The district funds it now.")
    assert resp.status_code == 303
    assert fresh(project).status == "cancelled"


# Refusals -------------------------------------------------------------------------------------

def _urls(project, milestone):
    base = f"/projects/{project.id}"
    return [f"{base}/updates/new", f"{base}/milestones/new",
            f"{base}/milestones/{milestone.id}/edit", f"{base}/status"]


@pytest.fixture()
def milestone(project):
    m = Milestone(project=project, title="Contract", due_on=date(2026, 12, 1))
    db.session.add(m)
    db.session.commit()
    return m


def test_anonymous_is_sent_to_login(client, session_csrf, project, milestone, rows):
    before = rows()
    token = session_csrf()
    for url in [*_urls(project, milestone),
                f"/projects/{project.id}/milestones/{milestone.id}/complete"]:
        resp = client.post(url, data={"title": "x", "csrf_token": token})
        assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"], url
    for url in _urls(project, milestone):
        resp = client.get(url)
        assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"], url
    assert rows() == before


@pytest.mark.parametrize("who", ["resident", "other_board", "lapsed"])
def test_others_are_forbidden(client, login, session_csrf, make_user, make_board,
                              make_member, board, project, milestone, rows, who):
    if who == "resident":
        user = make_user(name="Rosa Resident")
    elif who == "other_board":
        user = make_member(make_board("north-health"), name="Other Member")
    else:
        user = make_member(board, name="Former Member", term_start=date(2024, 1, 1),
                           term_end=date.today() - timedelta(days=1))
    login(user)
    before = rows()
    for url in _urls(project, milestone):
        assert client.get(url).status_code == 403, url
    token = session_csrf()
    data = {"csrf_token": token, "title": "Hijack", "body": "x", "due_on": "2026-12-01",
            "status": "cancelled", "reason": "Because."}
    for url in [*_urls(project, milestone),
                f"/projects/{project.id}/milestones/{milestone.id}/complete"]:
        assert client.post(url, data=data).status_code == 403, url
    assert rows() == before
    page = client.get(f"/projects/{project.id}").data
    assert b"Post an update" not in page and b"Mark done" not in page


def test_missing_csrf_is_400(client, login, member, project, milestone, rows):
    login(member)
    before = rows()
    data = {"title": "No token", "body": "x", "due_on": "2026-12-01", "status": "in_progress"}
    for url in [*_urls(project, milestone),
                f"/projects/{project.id}/milestones/{milestone.id}/complete"]:
        assert client.post(url, data=data).status_code == 400, url
    assert rows() == before


def test_unknown_ids_are_404(client, login, session_csrf, member, make_project, board,
                             project, milestone):
    login(member)
    other = make_project(board, title="Another project")
    token = session_csrf()
    missing = project.id + other.id + 100
    for url in (f"/projects/{missing}/updates/new", f"/projects/{missing}/milestones/new",
                f"/projects/{missing}/status",
                f"/projects/{project.id}/milestones/{milestone.id + 100}/edit",
                f"/projects/{other.id}/milestones/{milestone.id}/edit"):
        assert client.get(url).status_code == 404, url
    for url in (f"/projects/{missing}/milestones/{milestone.id}/complete",
                f"/projects/{other.id}/milestones/{milestone.id}/complete",
                f"/projects/{project.id}/milestones/{milestone.id + 100}/complete"):
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url
    assert db.session.get(Milestone, milestone.id).done_on is None


@pytest.mark.parametrize("path, data, message", [
    ("status", {"status": "paused", "reason": "  "}, b"Say why the project is paused"),
    ("status", {"status": "cancelled", "reason": ""}, b"Say why the project is cancelled"),
    ("status", {"status": "completed", "reason": "Skipping ahead"}, b"Not a valid choice"),
    ("status", {"status": "bogus"}, b"Not a valid choice"),
    ("milestones/new", {"title": "", "due_on": "2026-12-01"}, b"Give the milestone a title."),
    ("milestones/new", {"title": "Contract", "due_on": ""}, b"Give the date it is due."),
    ("milestones/new", {"title": "Contract", "due_on": "31/12/2026"}, b"Not a valid date"),
    ("updates/new", {"title": "News", "body": "   "}, b"Write what happened."),
    ("updates/new", {"title": "", "body": "Something"}, b"Give the update a title."),
])
def test_invalid_forms_show_errors_and_save_nothing(client, login, csrf, member, project,
                                                    rows, fresh, path, data, message):
    login(member)
    before = rows()
    url = f"/projects/{project.id}/{path}"
    resp = _post(client, csrf, url, **data)
    assert resp.status_code == 200
    assert message in resp.data and b"Please correct the errors below." in resp.data
    assert f'action="{url}"'.encode() in resp.data
    assert rows() == before and fresh(project).status == "planned"


def test_milestone_edit_without_title_keeps_the_old_one(client, login, csrf, member, project,
                                                        milestone, rows, fresh):
    login(member)
    before = rows()
    url = f"/projects/{project.id}/milestones/{milestone.id}/edit"
    resp = _post(client, csrf, url, title=" ", due_on="2027-01-31")
    assert resp.status_code == 200 and b"Give the milestone a title." in resp.data
    milestone = fresh(milestone)
    assert (milestone.title, milestone.due_on) == ("Contract", date(2026, 12, 1))
    assert rows() == before


def test_milestone_cannot_be_done_in_the_future(client, login, csrf, member, project,
                                                milestone, rows, fresh):
    login(member)
    before = rows()
    url = f"/projects/{project.id}/milestones/{milestone.id}/complete"
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    resp = client.post(url, data={"done_on": tomorrow,
                                  "csrf_token": csrf(f"/projects/{project.id}")})
    assert resp.status_code == 200
    assert b"A milestone cannot be done on a future date." in resp.data
    assert fresh(milestone).done_on is None and rows() == before


def test_a_finished_project_keeps_its_status_and_milestones(client, login, csrf, member, board,
                                                            make_project, rows, fresh):
    project = make_project(board, status="completed")
    login(member)
    before = rows()
    for url in (f"/projects/{project.id}/status", f"/projects/{project.id}/milestones/new"):
        resp = client.get(url)
        assert resp.status_code == 303 and resp.headers["Location"].endswith(
            f"/projects/{project.id}")
    page = client.get(f"/projects/{project.id}").data
    assert b"can no longer change" in page and b"Change status" not in page
    assert rows() == before
    # a closing report is still welcome
    resp = _post(client, csrf, f"/projects/{project.id}/updates/new", title="Final report",
                 body="All done.")
    assert resp.status_code == 303
    assert [u.title for u in fresh(project).updates] == ["Final report"]


def test_a_closed_cycle_freezes_its_projects(client, login, session_csrf, member, board,
                                             make_project, rows):
    project = make_project(board, phase="closed")
    login(member)
    before = rows()
    resp = client.post(f"/projects/{project.id}/updates/new",
                       data={"title": "Late", "body": "x", "csrf_token": session_csrf()})
    assert resp.status_code == 303
    assert b"is in the closed phase" in client.get(f"/projects/{project.id}").data
    assert b"Post an update" not in client.get(f"/projects/{project.id}").data
    assert rows() == before
    assert db.session.scalar(select(ProjectUpdate)) is None


def test_an_update_and_a_status_reason_given_in_spanish(client, login, csrf, member, project,
                                                        fresh, rows):
    """Issue 18: the update and status forms take an optional Spanish version, which Spanish
    readers see (English readers the original); too long a Spanish text saves nothing."""
    login(member)
    url = f"/projects/{project.id}/updates/new"
    before = rows()
    too_long = _post(client, csrf, url, title="Contract signed", body="Signed.",
                     title_es="x" * 161)
    assert too_long.status_code == 200 and rows() == before
    assert _post(client, csrf, url, title="Contract signed", body="The **partner** starts.",
                 title_es="Contrato firmado", body_es="La **entidad** empieza.",
                 ).status_code == 303
    status = f"/projects/{project.id}/status"
    assert _post(client, csrf, status, status="in_progress", reason="Work began.",
                 reason_es="Empezó el trabajo.").status_code == 303
    assert _event("project.status").detail["reason_es"] == "Empezó el trabajo."
    assert _event("project.post_update").detail["translations"] == {
        "es": {"title": "Contrato firmado", "body": "La **entidad** empieza."}}
    reader = client.application.test_client()
    spanish = reader.get(f"/projects/{project.id}", headers={"Accept-Language": "es"})
    text = spanish.get_data(as_text=True)
    assert "Contrato firmado" in text and "La <strong>entidad</strong> empieza." in text
    assert "Empezó el trabajo." in text and "Work began." not in text
    english = reader.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Contract signed" in english and "Work began." in english
    assert "Contrato firmado" not in english
    [update] = fresh(project).updates
    assert update.text("title", "es_MX") == "Contrato firmado"


def test_a_milestone_given_in_spanish(client, login, csrf, member, project, fresh):
    """Issue 18: the milestone form takes an optional Spanish title and note; the edit form
    shows them again and an edit of only the Spanish is audited as such."""
    login(member)
    url = f"/projects/{project.id}/milestones/new"
    assert _post(client, csrf, url, title="Staff hired", due_on="2026-09-30", note="Two.",
                 title_es="Personal contratado", note_es="Dos.").status_code == 303
    [milestone] = fresh(project).milestones
    assert milestone.translations == {"es": {"title": "Personal contratado", "note": "Dos."}}
    edit = f"/projects/{project.id}/milestones/{milestone.id}/edit"
    form = client.get(edit, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert 'value="Personal contratado"' in form and "Editar Staff hired" in form
    assert _post(client, csrf, edit, title="Staff hired", due_on="2026-09-30", note="Two.",
                 title_es="Personal contratado y formado", note_es="Dos.").status_code == 303
    assert list(_event("project.milestone_edit").detail["changes"]) == ["translations"]
    page = client.get(f"/projects/{project.id}", headers={"Accept-Language": "es"})
    assert "Personal contratado y formado" in page.get_data(as_text=True)
    assert "Staff hired" in client.get(f"/projects/{project.id}").get_data(as_text=True)
