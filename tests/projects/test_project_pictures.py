"""Staff's picture on a project, the proposal's as a fallback; budget and milestone progress on
the list."""
import io
from datetime import date

from picture_files import has_metadata, photo
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.images.models import Image
from pbapp.projects.models import Milestone, Spending


def _post(client, csrf, url, **data):
    return client.post(url, data={**data, "csrf_token": csrf(url)},
                       content_type="multipart/form-data")


def test_staff_give_a_project_a_picture_shown_on_its_page_and_card(client, login, csrf,
                                                                   make_user, project, fresh):
    login(make_user(role="staff"))
    url = f"/projects/{project.id}/picture"
    assert "Change the picture" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    resp = _post(client, csrf, url, picture=(io.BytesIO(photo(1800, 1200)), "site.jpg"),
                 picture_alt="The new youth centre's front door")
    assert resp.status_code == 303
    image = fresh(project).image
    assert (image.width, image.height) == (1200, 800)
    src = f'src="/images/{image.id}/{image.filename}" alt="The new youth centre&#39;s front door"'
    assert src in client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert src in client.get("/projects/").get_data(as_text=True)
    served = client.get(f"/images/{image.id}/{image.filename}")
    assert "public" in served.headers["Cache-Control"] and has_metadata(served.data) == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "project.picture"))
    assert event.detail == {"picture": "added"}


def test_a_picture_without_words_or_a_bad_file_changes_nothing(client, login, csrf, make_user,
                                                               project):
    login(make_user(role="staff"))
    url = f"/projects/{project.id}/picture"
    no_alt = _post(client, csrf, url, picture=(io.BytesIO(photo(300, 200)), "a.jpg"))
    assert "Say what the picture shows" in no_alt.get_data(as_text=True)
    bad = _post(client, csrf, url, picture=(io.BytesIO(b"<svg/>"), "a.svg"), picture_alt="x")
    assert "not a JPEG, PNG or WebP" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Image)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_only_staff_choose_the_picture(client, login, csrf, member, project):
    login(member)
    assert client.get(f"/projects/{project.id}/picture").status_code == 403
    assert "Change the picture" not in client.get(f"/projects/{project.id}").get_data(
        as_text=True)


def test_without_its_own_picture_a_project_shows_the_proposals(client, project):
    project.proposal.image = Image(digest="c" * 64, content_type="image/jpeg", width=30,
                                   height=20, byte_size=3, alt="The voted proposal", data=b"jpg")
    db.session.commit()
    assert 'alt="The voted proposal" width="30" height="20"' in client.get(
        "/projects/").get_data(as_text=True)


def test_the_list_shows_budget_against_spending_and_milestones_done(client, board,
                                                                    make_project):
    busy = make_project(board, title="Street lights", cost=10_000)
    make_project(board, title="Quiet one", cost=5_000)
    db.session.add_all([
        Spending(project_id=busy.id, spent_on=date(2026, 3, 1), amount_cents=2_500_00,
                 category="equipment", payee="Lamps Ltd"),
        Milestone(project_id=busy.id, title="Order", due_on=date(2026, 2, 1),
                  done_on=date(2026, 2, 1)),
        Milestone(project_id=busy.id, title="Install", due_on=date(2026, 9, 1))])
    db.session.commit()
    page = client.get("/projects/").get_data(as_text=True)
    assert "2 projects" in page
    assert "Spent 2,500 of 10,000 (25%)" in page
    assert f'<progress max="1000000" value="250000" aria-labelledby="spent-{busy.id}">' in page
    assert "1 of 2 milestones done" in page
    assert "Spent 0 of 5,000 (0%)" in page and "No milestones yet." in page


def test_the_picture_is_described_in_the_readers_language(client, login, csrf, make_user,
                                                          project, fresh):
    """Issue 18: a Spanish description beside the English one; Spanish pages read it, an
    empty one falls back to the English, and changing only it is saved and audited."""
    login(make_user(role="staff"))
    url = f"/projects/{project.id}/picture"
    _post(client, csrf, url, picture=(io.BytesIO(photo(800, 600)), "site.jpg"),
          picture_alt="Volunteers painting a mural", picture_alt_es="Voluntarios pintando un mural")
    image = fresh(project).image
    spanish = client.get(f"/projects/{project.id}?lang=es").get_data(as_text=True)
    assert 'alt="Voluntarios pintando un mural"' in spanish
    assert 'alt="Volunteers painting a mural"' in client.get(f"/projects/{project.id}?lang=en") \
        .get_data(as_text=True)
    form = client.get(url).get_data(as_text=True)
    assert 'value="Voluntarios pintando un mural"' in form
    _post(client, csrf, url, picture_alt="Volunteers painting a mural", picture_alt_es="x" * 301)
    assert fresh(image).text("alt", "es") == "Voluntarios pintando un mural"
    _post(client, csrf, url, picture_alt="Volunteers painting a mural", picture_alt_es="")
    assert 'alt="Volunteers painting a mural"' in client.get(f"/projects/{project.id}?lang=es") \
        .get_data(as_text=True)
    assert fresh(image).translations == {}
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "project.picture")) == 2
