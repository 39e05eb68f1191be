"""Admins create and edit boards; everyone else is refused and nothing is saved."""
import re

from board_helpers import audit_actions, count, last_event

from pbapp.audit.services import verify_chain
from pbapp.boards.models import Board
from pbapp.extensions import db


def board_form(**kw) -> dict:
    data = {"name": "Westside Safety Board", "slug": "west-safety",
            "purpose": "Safer streets in the west.", "charter": "## Charter\n\nWe meet quarterly."}
    data.update(kw)
    return data


def test_admin_creates_board(client, make_user, login, csrf, make_neighbourhood):
    hoods = [make_neighbourhood("riverside"), make_neighbourhood("old-town"),
             make_neighbourhood("hillcrest")]
    admin = login(make_user("admin"))
    form = client.get("/boards/new")
    assert form.status_code == 200 and b"Old Town" in form.data
    resp = client.post("/boards/new", data={**board_form(), "csrf_token": csrf("/boards/new"),
                                            "neighbourhoods": [hoods[0].id, hoods[1].id]})
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/boards/west-safety")
    board = db.session.query(Board).one()
    assert board.name == "Westside Safety Board" and board.purpose == "Safer streets in the west."
    assert sorted(n.slug for n in board.neighbourhoods) == ["old-town", "riverside"]
    event = last_event("board.create")
    assert event.actor_id == admin.id and event.target == f"board:{board.id}"
    assert event.detail["slug"] == "west-safety"
    assert verify_chain() == (True, None)
    page = client.get("/boards/west-safety")
    assert b"We meet quarterly." in page.data and b"Riverside" in page.data


def test_admin_edits_board(client, make_user, login, csrf, make_board, make_neighbourhood):
    riverside, eastfield = make_neighbourhood("riverside"), make_neighbourhood("eastfield")
    board = make_board(neighbourhoods=[riverside])
    login(make_user("admin"))
    form = client.get("/boards/east-safety/edit")
    assert form.status_code == 200
    checked = re.findall(r'<input checked[^>]*value="(\d+)"', form.get_data(as_text=True))
    assert checked == [str(riverside.id)]
    resp = client.post("/boards/east-safety/edit", data={
        "csrf_token": csrf("/boards/east-safety/edit"), "name": "Eastside Board", "slug": "east",
        "purpose": board.purpose, "charter": board.charter, "neighbourhoods": [eastfield.id]})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/boards/east")
    db.session.expire_all()
    assert board.name == "Eastside Board" and board.slug == "east"
    assert [n.slug for n in board.neighbourhoods] == ["eastfield"]
    event = last_event("board.update")
    assert event.detail["changed"] == ["name", "slug", "neighbourhoods"]
    assert event.detail["old_slug"] == "east-safety"
    assert client.get("/boards/east-safety").status_code == 404


def test_invalid_board_form_shows_errors_and_saves_nothing(client, make_user, login, csrf):
    login(make_user("admin"))
    resp = client.post("/boards/new", data={**board_form(name="", slug="West Safety!"),
                                            "csrf_token": csrf("/boards/new")})
    assert resp.status_code == 200
    assert b"New board" in resp.data and b"This field is required." in resp.data
    assert b"lower-case letters" in resp.data and b'aria-invalid="true"' in resp.data
    assert count(Board) == 0 and audit_actions() == []


def test_taken_or_reserved_slug_refused(client, make_user, login, csrf, make_board):
    make_board("west-safety")
    login(make_user("admin"))
    resp = client.post("/boards/new", data={**board_form(), "csrf_token": csrf("/boards/new")})
    assert resp.status_code == 200 and b"Another board already uses this address." in resp.data
    resp = client.post("/boards/new", data={**board_form(slug="new"),
                                            "csrf_token": csrf("/boards/new")})
    assert resp.status_code == 200 and "not “new”".encode() in resp.data
    assert count(Board) == 1 and audit_actions() == []


def test_missing_csrf_is_400_and_saves_nothing(client, make_user, login):
    login(make_user("admin"))
    assert client.post("/boards/new", data=board_form()).status_code == 400
    assert count(Board) == 0 and audit_actions() == []


def test_anonymous_is_sent_to_login(client, make_board):
    make_board()
    for url in ("/boards/new", "/boards/east-safety/edit"):
        resp = client.get(url)
        assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"], url


def test_only_admins_create_or_edit_boards(client, make_user, login, session_csrf, chair):
    board, _ = chair  # a chair of this very board may still not edit it
    for role in (None, "resident", "staff"):
        if role:
            login(make_user(role))
        token = session_csrf()
        assert client.get("/boards/new").status_code == 403
        assert client.get("/boards/east-safety/edit").status_code == 403
        resp = client.post("/boards/new", data={**board_form(), "csrf_token": token})
        assert resp.status_code == 403
        assert client.post("/boards/east-safety/edit",
                           data={**board_form(), "csrf_token": token}).status_code == 403
    assert count(Board) == 1 and audit_actions() == []
    db.session.expire_all()
    assert board.name == "East Safety Board"


def test_unknown_board_edit_is_404_for_admin(client, make_user, login):
    login(make_user("admin"))
    assert client.get("/boards/nope/edit").status_code == 404
