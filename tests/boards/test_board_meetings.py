"""Chairs and admins keep meetings: agenda and minutes, saved with an audit event."""
from datetime import datetime, timezone

from board_helpers import audit_actions, count, last_event

from pbapp.boards.models import Meeting
from pbapp.extensions import db

NEW = "/boards/east-safety/meetings/new"


def meeting_form(**kw) -> dict:
    data = {"title": "December meeting", "starts_at": "2026-12-01T18:30",
            "location": "Eastfield Library", "agenda": "1. Shortlist\n2. Any other business",
            "minutes": ""}
    data.update(kw)
    return data


def test_chair_creates_meeting(client, chair, csrf):
    board, user = chair
    assert client.get(NEW).status_code == 200
    resp = client.post(NEW, data=meeting_form(csrf_token=csrf(NEW)))
    assert resp.status_code == 303
    meeting = db.session.query(Meeting).one()
    assert resp.headers["Location"].endswith(f"/boards/east-safety/meetings/{meeting.id}")
    assert meeting.board_id == board.id and meeting.title == "December meeting"
    assert meeting.starts_at == datetime(2026, 12, 1, 18, 30, tzinfo=timezone.utc)
    event = last_event("meeting.create")
    assert event.actor_id == user.id and event.target == f"meeting:{meeting.id}"
    assert event.detail["board"] == "east-safety"
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "<li>Shortlist</li>" in page and "Eastfield Library" in page
    assert "minutes have not been published" in page


def test_chair_publishes_minutes(client, chair, make_meeting, csrf):
    board, _ = chair
    meeting = make_meeting(board)
    url = f"/boards/east-safety/meetings/{meeting.id}/edit"
    form = client.get(url)
    assert form.status_code == 200 and b'value="2026-09-15T18:00"' in form.data
    resp = client.post(url, data=meeting_form(
        title=meeting.title, starts_at="2026-09-15T18:00", location="Community Hall",
        agenda="", minutes="Agreed the **shortlist**.\n\n<script>alert(1)</script>",
        csrf_token=csrf(url)))
    assert resp.status_code == 303
    db.session.expire_all()
    assert meeting.minutes.startswith("Agreed the **shortlist**.")  # stored as written
    assert last_event("meeting.update").detail["changed"] == ["minutes"]
    page = client.get(f"/boards/east-safety/meetings/{meeting.id}").get_data(as_text=True)
    assert "<strong>shortlist</strong>" in page and "alert(1)" not in page


def test_admin_who_is_not_a_member_may_keep_meetings(client, make_board, make_user, login, csrf):
    make_board()
    login(make_user("admin"))
    assert client.post(NEW, data=meeting_form(csrf_token=csrf(NEW))).status_code == 303
    assert audit_actions() == ["meeting.create"]


def test_invalid_meeting_shows_errors_and_saves_nothing(client, chair, csrf):
    resp = client.post(NEW, data=meeting_form(title="", starts_at="next tuesday",
                                              csrf_token=csrf(NEW)))
    assert resp.status_code == 200
    assert b"New meeting" in resp.data and b"This field is required." in resp.data
    assert b"Not a valid datetime value." in resp.data
    assert count(Meeting) == 0 and audit_actions() == []


def test_missing_csrf_is_400_and_saves_nothing(client, chair):
    assert client.post(NEW, data=meeting_form()).status_code == 400
    assert count(Meeting) == 0 and audit_actions() == []


def test_anonymous_is_sent_to_login(client, make_board, make_meeting):
    meeting = make_meeting(make_board())
    for url in (NEW, f"/boards/east-safety/meetings/{meeting.id}/edit"):
        resp = client.get(url)
        assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"], url


def test_residents_and_plain_members_are_refused(client, make_board, make_user, seat, login,
                                                 make_meeting, session_csrf):
    board = make_board()
    meeting = make_meeting(board)
    plain_member = make_user()
    seat(board, plain_member, "police")
    for user in (make_user("resident"), make_user("staff"), plain_member):
        login(user)
        token = session_csrf()
        edit = f"/boards/east-safety/meetings/{meeting.id}/edit"
        assert client.get(NEW).status_code == 403
        assert client.get(edit).status_code == 403
        assert client.post(NEW, data=meeting_form(csrf_token=token)).status_code == 403
        resp = client.post(edit, data=meeting_form(minutes="Forged", csrf_token=token))
        assert resp.status_code == 403
        public = client.get(f"/boards/east-safety/meetings/{meeting.id}")
        assert b"Edit meeting" not in public.data
    assert count(Meeting) == 1 and audit_actions() == []
    db.session.expire_all()
    assert meeting.minutes == ""


def test_unknown_or_foreign_meeting_is_404(client, chair, make_board, make_meeting, session_csrf):
    theirs = make_meeting(make_board("north-health"))
    token = session_csrf()
    assert client.get("/boards/nope/meetings/new").status_code == 404
    assert client.get("/boards/east-safety/meetings/9999/edit").status_code == 404
    assert client.get(f"/boards/east-safety/meetings/{theirs.id}/edit").status_code == 404
    assert client.post(f"/boards/east-safety/meetings/{theirs.id}/edit",
                       data=meeting_form(csrf_token=token)).status_code == 404
    db.session.expire_all()
    assert theirs.title == "Quarterly meeting" and audit_actions() == []


def test_the_meeting_form_reads_in_spanish(client, chair):
    """Issue 18: Title, Starts, Agenda stayed English on a Spanish page."""
    es = client.get(NEW, headers={"Accept-Language": "es"}).get_data(as_text=True)
    for label in ("Título", "Empieza", "Lugar", "Orden del día", "Acta"):
        assert f">{label}</label>" in es, label


def test_a_meeting_given_in_spanish_too(client, chair, make_meeting, csrf):
    """Issue 18: the meeting form takes Spanish texts (optional); Spanish readers see them, the
    edit form shows them again, an edit of only the Spanish is audited, and a too-long one
    saves nothing."""
    board, _ = chair
    meeting = make_meeting(board)
    url = f"/boards/east-safety/meetings/{meeting.id}/edit"
    spanish = dict(title_es="Reunión de diciembre", location_es="Biblioteca de Eastfield",
                   agenda_es="1. Lista de propuestas", minutes_es="Se acordó la **lista**.")
    base = meeting_form(title=meeting.title, starts_at="2026-09-15T18:00",
                        location="Community Hall", agenda="1. Shortlist", minutes="Agreed.")
    before = count(Meeting)
    long = client.post(url, data={**base, **spanish, "title_es": "x" * 161,
                                  "csrf_token": csrf(url)})
    assert long.status_code == 200 and count(Meeting) == before
    assert client.post(url, data={**base, "csrf_token": csrf(url)}).status_code == 303
    assert client.post(url, data={**base, **spanish, "csrf_token": csrf(url)}).status_code == 303
    assert last_event("meeting.update").detail["changed"] == ["translations"]
    assert "Reunión de diciembre" in client.get(url).get_data(as_text=True)
    show = f"/boards/east-safety/meetings/{meeting.id}"
    es = client.get(show, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "<h1>Reunión de diciembre</h1>" in es and "Biblioteca de Eastfield" in es
    assert "<strong>lista</strong>" in es and "Agreed." not in es
    en = client.get(show).get_data(as_text=True)
    assert "Agreed." in en and "Reunión de diciembre" not in en
    assert "Editar la reunión:" in client.get(url, headers={"Accept-Language": "es"}).get_data(
        as_text=True)
