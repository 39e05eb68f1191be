"""Inviting, changing and removing members: admins and the board's chairs only."""
import json
from datetime import date

import pytest
from board_helpers import audit_actions, count, last_event

from pbapp.audit.services import verify_chain
from pbapp.auth.models import User
from pbapp.boards.models import Board, Membership
from pbapp.extensions import db

INVITE = "/boards/east-safety/members/new"


def invite_form(**kw) -> dict:
    data = {"account": "existing", "email": "", "name": "", "seat": "faith",
            "organisation": "St. Brendan's Parish", "term_start": "2026-02-01",
            "term_end": "2028-01-31"}
    data.update(kw)
    return data


@pytest.fixture()
def admin(make_user, login, make_board):
    make_board()
    return login(make_user("admin", name="Alex Admin"))


def test_admin_invites_existing_account(client, admin, make_user, csrf):
    ana = make_user(name="Ana Torres", email="Ana.Torres@example.org")
    page = client.get(INVITE)
    assert page.status_code == 200 and b"Create an account for them" in page.data
    resp = client.post(INVITE, data=invite_form(email=" ana.torres@EXAMPLE.org ",
                                                csrf_token=csrf(INVITE)))
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/boards/east-safety/members")
    membership = db.session.query(Membership).one()
    assert (membership.user_id, membership.seat, membership.organisation) == \
        (ana.id, "faith", "St. Brendan's Parish")
    assert (membership.term_start, membership.term_end) == (date(2026, 2, 1), date(2028, 1, 31))
    assert membership.is_chair is False
    event = last_event("membership.add")
    assert event.actor_id == admin.id and event.target == f"membership:{membership.id}"
    assert event.detail["user_id"] == ana.id and event.detail["new_account"] is False
    assert audit_actions() == ["membership.add"]
    public = client.get("/boards/east-safety").get_data(as_text=True)
    assert "Ana Torres" in public and "Faith community" in public


def test_admin_creates_account_and_the_member_chooses_a_password_by_email(client, admin,
                                                                        mailbox, csrf):
    """No password is ever shown or known to the admin: the new member gets a link (issue 23)."""
    resp = client.post(INVITE, data=invite_form(
        account="new", email="Keisha@Example.org", name="Keisha Grant", seat="nonprofit",
        is_chair="y", term_end="", csrf_token=csrf(INVITE)))
    assert resp.status_code == 303
    members = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "emailed keisha@example.org a link to choose a password" in members
    assert "Temporary password" not in members and "change it when" not in members
    user = db.session.query(User).filter_by(email="keisha@example.org").one()
    assert user.name == "Keisha Grant" and user.role == "resident"
    membership = db.session.query(Membership).filter_by(user_id=user.id).one()
    assert membership.is_chair and membership.seat == "nonprofit" and membership.term_end is None
    assert audit_actions() == ["user.create", "membership.add"]
    assert last_event("membership.add").detail["new_account"] is True
    [body] = mailbox.bodies_to("keisha@example.org")
    assert "Alex Admin has added you to East" in body
    link = mailbox.last_link("keisha@example.org", "/auth/invitation/")
    assert link.split("/auth/invitation/")[1] not in json.dumps(
        [last_event(a).detail for a in ("user.create", "membership.add")])
    assert verify_chain() == (True, None)


def test_invite_refusals_save_nothing(client, admin, make_user, seat, csrf):
    board = db.session.query(Board).one()
    taken = make_user(name="Already Here", email="here@example.org")
    seat(board, taken, "police")
    cases = [
        (invite_form(email="nobody@example.org"), b"No account uses this email."),
        (invite_form(account="new", email="HERE@example.org", name="Someone"),
         b"An account already uses this email"),
        (invite_form(account="new", email="fresh@example.org", name=" "),
         b"Give the new member&#39;s name."),
        (invite_form(email="here@example.org"), b"Already Here is already a member of this board."),
        (invite_form(email="not-an-email"), b"Enter an email address."),
        (invite_form(email="here@example.org", seat="mayor"), b"Not a valid choice"),
        (invite_form(email="here@example.org", term_start="2026-02-01", term_end="2025-01-01"),
         b"The term cannot end before it starts."),
        (invite_form(email="here@example.org", term_start=""), b"Give a start date."),
    ]
    for data, message in cases:
        resp = client.post(INVITE, data={**data, "csrf_token": csrf(INVITE)})
        assert resp.status_code == 200, data
        assert message in resp.data, (data, resp.data[-3000:])
        assert b"Add a member" in resp.data
    assert count(Membership) == 1 and count(User) == 2 and audit_actions() == []


def test_missing_csrf_is_400_and_saves_nothing(client, admin, make_user):
    make_user(email="ana@example.org")
    assert client.post(INVITE, data=invite_form(email="ana@example.org")).status_code == 400
    assert count(Membership) == 0 and audit_actions() == []


def test_chair_adds_existing_account_but_cannot_create_accounts(client, chair, make_user, csrf):
    board, _ = chair
    page = client.get(INVITE)
    assert page.status_code == 200 and b"Create an account" not in page.data
    make_user(name="Marcus Bell", email="marcus@example.org")
    resp = client.post(INVITE, data=invite_form(email="marcus@example.org", seat="school",
                                                csrf_token=csrf(INVITE)))
    assert resp.status_code == 303
    resp = client.post(INVITE, data=invite_form(account="new", email="new@example.org",
                                                name="New Person", csrf_token=csrf(INVITE)))
    assert resp.status_code == 200 and b"Only an administrator can create accounts" in resp.data
    assert db.session.query(User).filter_by(email="new@example.org").first() is None
    assert audit_actions() == ["membership.add"]


def test_chair_changes_seat_and_term(client, chair, make_user, seat, csrf):
    board, user = chair
    member = seat(board, make_user(name="Tomás Silva"), "resident", organisation="Residents")
    url = f"/boards/east-safety/members/{member.id}/edit"
    page = client.get(url)
    assert page.status_code == 200 and b"Tom\xc3\xa1s Silva" in page.data
    assert b'value="2026-01-01"' in page.data
    resp = client.post(url, data={"seat": "youth", "organisation": "Youth Council",
                                  "is_chair": "y", "term_start": "2026-01-01",
                                  "term_end": "2026-12-31", "csrf_token": csrf(url)})
    assert resp.status_code == 303
    db.session.expire_all()
    assert (member.seat, member.organisation, member.is_chair, member.term_end) == \
        ("youth", "Youth Council", True, date(2026, 12, 31))
    event = last_event("membership.update")
    assert event.actor_id == user.id
    assert event.detail["changes"] == {"seat": ["resident", "youth"],
                                       "organisation": ["Residents", "Youth Council"],
                                       "is_chair": [False, True],
                                       "term_end": ["2027-12-31", "2026-12-31"]}


def test_invalid_membership_change_saves_nothing(client, chair, make_user, seat, csrf):
    board, _ = chair
    member = seat(board, make_user(), "resident")
    url = f"/boards/east-safety/members/{member.id}/edit"
    resp = client.post(url, data={"seat": "youth", "term_start": "2026-06-01",
                                  "term_end": "2026-01-01", "csrf_token": csrf(url)})
    assert resp.status_code == 200 and b"The term cannot end before it starts." in resp.data
    db.session.expire_all()
    assert member.seat == "resident" and audit_actions() == []


def test_chair_removes_member_and_account_stays(client, chair, make_user, seat, csrf):
    board, _ = chair
    leaving = make_user(name="Jordan Lee")
    member = seat(board, leaving, "youth")
    page = client.get("/boards/east-safety/members")
    assert page.status_code == 200 and b"Remove Jordan Lee" in page.data
    assert b"@example.org" not in page.data  # emails only for admins
    resp = client.post(f"/boards/east-safety/members/{member.id}/remove",
                       data={"csrf_token": csrf("/boards/east-safety/members")})
    assert resp.status_code == 303
    assert db.session.get(Membership, member.id) is None
    assert db.session.get(User, leaving.id) is not None
    event = last_event("membership.remove")
    assert event.target == f"membership:{member.id}"
    assert event.detail["user_id"] == leaving.id and event.detail["seat"] == "youth"
    assert b"Jordan Lee removed from the board." in client.get(resp.headers["Location"]).data
    assert b"Jordan Lee" not in client.get("/boards/east-safety").data


def test_remove_without_csrf_is_400(client, chair, make_user, seat):
    board, _ = chair
    member = seat(board, make_user(), "youth")
    assert client.post(f"/boards/east-safety/members/{member.id}/remove").status_code == 400
    assert count(Membership) == 2 and audit_actions() == []


def test_anonymous_is_sent_to_login(client, make_board, make_user, seat):
    board = make_board()
    member = seat(board, make_user(), "youth")
    for url in ("/boards/east-safety/members", INVITE,
                f"/boards/east-safety/members/{member.id}/edit"):
        resp = client.get(url)
        assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"], url


def test_residents_members_and_other_chairs_are_refused(client, make_board, make_user, seat,
                                                        login, session_csrf):
    board = make_board()
    other = make_board("north-health")
    target = seat(board, make_user(email="target@example.org"), "police")
    plain_member = make_user()
    seat(board, plain_member, "faith")
    other_chair = make_user()
    seat(other, other_chair, "school", is_chair=True)
    make_user(email="ana@example.org")
    for user in (make_user("resident"), make_user("staff"), plain_member, other_chair):
        login(user)
        token = session_csrf()
        assert client.get("/boards/east-safety/members").status_code == 403
        assert client.get(INVITE).status_code == 403
        assert client.post(INVITE, data=invite_form(email="ana@example.org",
                                                    csrf_token=token)).status_code == 403
        edit = f"/boards/east-safety/members/{target.id}/edit"
        assert client.get(edit).status_code == 403
        assert client.post(edit, data={"seat": "youth", "term_start": "2026-01-01",
                                       "csrf_token": token}).status_code == 403
        assert client.post(f"/boards/east-safety/members/{target.id}/remove",
                           data={"csrf_token": token}).status_code == 403
    assert count(Membership) == 3 and audit_actions() == []
    db.session.expire_all()
    assert target.seat == "police"


def test_unknown_board_or_membership_is_404(client, chair, make_board, make_user, seat,
                                            session_csrf):
    board, _ = chair
    other = make_board("north-health")
    theirs = seat(other, make_user(), "police")
    token = session_csrf()
    assert client.get("/boards/nope/members").status_code == 404
    assert client.get("/boards/east-safety/members/9999/edit").status_code == 404
    assert client.get(f"/boards/east-safety/members/{theirs.id}/edit").status_code == 404
    assert client.post(f"/boards/east-safety/members/{theirs.id}/remove",
                       data={"csrf_token": token}).status_code == 404
    assert client.get("/boards/east-safety/members/1/remove").status_code == 405
    assert db.session.get(Membership, theirs.id) is not None and audit_actions() == []
