"""Admin account pages: who may see them, staff accounts, and audited role changes."""
import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.audit.services import verify_chain
from pbapp.auth import services
from pbapp.auth.models import User
from pbapp.extensions import db

USERS = "/auth/admin/users"
NEW_STAFF = "/auth/admin/users/new-staff"


def role_url(user) -> str:
    return f"/auth/admin/users/{user.id}/role"


def events(action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


@pytest.fixture()
def admin(make_user, login):
    return login(make_user("admin", email="alex@example.org", name="Alex Admin"))


@pytest.fixture()
def change_role(client, csrf):
    def post(user, role):
        return client.post(role_url(user), data={f"u{user.id}-role": role,
                                                 f"u{user.id}-csrf_token": csrf(USERS)})
    return post


def test_anonymous_visitors_are_sent_to_sign_in(client, make_user, csrf):
    target = make_user()
    for url in (USERS, NEW_STAFF):
        resp = client.get(url)
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/auth/login?next=")
    resp = client.post(role_url(target), data={f"u{target.id}-role": "admin",
                                               "csrf_token": csrf("/auth/login")})
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/auth/login?next=")
    assert db.session.get(User, target.id).role == "resident"
    assert events() == []


@pytest.mark.parametrize("role", ["resident", "staff"])
def test_residents_and_staff_are_refused(client, make_user, login, csrf, role):
    me = login(make_user(role))
    target = make_user()
    token = csrf("/")
    assert client.get(USERS).status_code == 403
    assert client.get(NEW_STAFF).status_code == 403
    new = client.post(NEW_STAFF, data={"name": "Sneaky", "email": "sneaky@example.org",
                                       "password": "long enough password", "csrf_token": token})
    assert new.status_code == 403
    promote = client.post(role_url(me), data={f"u{me.id}-role": "admin", "csrf_token": token})
    assert promote.status_code == 403
    other = client.post(role_url(target), data={f"u{target.id}-role": "admin",
                                                "csrf_token": token})
    assert other.status_code == 403
    assert db.session.get(User, me.id).role == role
    assert db.session.get(User, target.id).role == "resident"
    assert db.session.scalar(select(User).where(User.email == "sneaky@example.org")) is None
    assert events() == []


def test_admin_sees_every_account_and_can_search(client, admin, make_user):
    make_user(email="rosa@example.org", name="Rosa Resident")
    make_user("staff", email="sam@example.org", name="Sam Staff")
    page = client.get(USERS)
    assert page.status_code == 200
    for text in (b"Rosa Resident", b"sam@example.org", b"Alex Admin", b"New staff account"):
        assert text in page.data
    found = client.get(USERS + "?q=ROSA")
    assert b"Rosa Resident" in found.data and b"Sam Staff" not in found.data
    assert b"No accounts match." in client.get(USERS + "?q=%25").data


def test_long_lists_are_paged(client, admin):
    db.session.add_all(User(email=f"r{n:02}@example.org", name=f"Resident {n:02}",
                            password_hash="-") for n in range(60))
    db.session.commit()
    first = client.get(USERS)
    assert b"Page 1 of 2" in first.data and first.data.count(b"@example.org</td>") == 50
    second = client.get(USERS + "?page=2")
    assert b"Page 2 of 2" in second.data and second.data.count(b"@example.org</td>") == 11


def test_admin_creates_a_staff_account(client, admin, csrf):
    resp = client.post(NEW_STAFF, data={"name": "Sam Staff", "email": "Sam@Example.org",
                                        "password": "first password 1",
                                        "csrf_token": csrf(NEW_STAFF)})
    assert resp.status_code == 303 and resp.headers["Location"] == USERS
    staff = db.session.scalar(select(User).where(User.email == "sam@example.org"))
    assert staff.role == "staff" and staff.name == "Sam Staff"
    assert staff.check_password("first password 1")
    [event] = events("user.create_staff")
    assert event.actor_id == admin.id and event.target == f"user:{staff.id}"
    assert "sam@example.org" not in str(event.detail)
    assert verify_chain() == (True, None)
    assert b"Staff account created for Sam Staff" in client.get(USERS).data


@pytest.mark.parametrize("data, message", [
    ({"email": "alex@example.org"}, b"An account with this email address already exists."),
    ({"password": "too short"}, b"Use between 12 and 256 characters."),
    ({"name": ""}, b"Enter a name."),
])
def test_bad_staff_accounts_are_refused(client, admin, csrf, data, message):
    form = {"name": "Sam Staff", "email": "sam@example.org", "password": "first password 1",
            "csrf_token": csrf(NEW_STAFF)} | data
    resp = client.post(NEW_STAFF, data=form)
    assert resp.status_code == 200 and message in resp.data
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert events() == []


def test_role_change_is_saved_and_audited(client, admin, make_user, change_role):
    rosa = make_user(name="Rosa Resident")
    resp = change_role(rosa, "staff")
    assert resp.status_code == 303 and resp.headers["Location"] == USERS
    assert db.session.get(User, rosa.id).role == "staff"
    [event] = events("user.role")
    assert event.actor_id == admin.id and event.target == f"user:{rosa.id}"
    assert event.detail == {"old": "resident", "new": "staff"}
    assert verify_chain() == (True, None)
    listing = client.get(USERS).data
    assert b"Rosa Resident is now staff." in listing
    assert b"Role of Rosa Resident" in listing


def test_admin_may_demote_another_admin(admin, make_user, change_role):
    other = make_user("admin")
    assert change_role(other, "resident").status_code == 303
    assert db.session.get(User, other.id).role == "resident"
    assert len(events("user.role")) == 1


def test_unknown_role_changes_nothing(client, admin, make_user, change_role):
    rosa = make_user()
    resp = change_role(rosa, "superuser")
    assert resp.status_code == 303
    assert db.session.get(User, rosa.id).role == "resident"
    assert events() == []
    assert b"Choose one of the listed roles." in client.get(USERS).data


def test_admin_cannot_change_their_own_role(client, admin, change_role):
    assert change_role(admin, "resident").status_code == 303
    assert db.session.get(User, admin.id).role == "admin"
    assert events() == []
    assert b"You cannot change your own role" in client.get(USERS).data


def test_role_change_without_csrf_token_is_refused(client, admin, make_user):
    rosa = make_user()
    assert client.post(role_url(rosa), data={f"u{rosa.id}-role": "staff"}).status_code == 400
    assert db.session.get(User, rosa.id).role == "resident"
    assert events() == []


def test_role_change_for_a_missing_user_is_404(client, admin, csrf):
    resp = client.post("/auth/admin/users/9999/role",
                       data={"u9999-role": "staff", "csrf_token": csrf(USERS)})
    assert resp.status_code == 404


def test_last_admin_keeps_the_role(make_user):
    only = make_user("admin")
    with pytest.raises(services.AccountError, match="only admin"):
        services.set_role(None, only, "staff")
    db.session.rollback()
    assert db.session.get(User, only.id).role == "admin"
    assert events() == []
