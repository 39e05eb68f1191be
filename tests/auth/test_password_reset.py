"""Resetting a forgotten password by an emailed link, and a board invitation's first password.

Attacks guarded against (issue 23): finding out which addresses have accounts (same answer and
same work, one email, either way); a reset link used twice, after it expired, for another
account, tampered with, or made for another purpose; flooding a mailbox or guessing from one
address (throttled per email address and per client address). Mail goes through a real SMTP
server in this process.
"""
import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from pbapp.audit.models import AuditEvent
from pbapp.auth import password_links, sign_in_link, verification
from pbapp.auth.emailed_links import make
from pbapp.auth.models import User
from pbapp.extensions import db
from tests.conftest import csrf_token

NEW = "a brand new long password"
OLD = "pw-123456789"

pytestmark = pytest.mark.usefixtures("fresh_limits")


def ask(client, email: str, address: str = "198.51.100.7"):
    data = {"email": email, "csrf_token": csrf_token(client, "/auth/password/forgot")}
    return client.post("/auth/password/forgot", data=data, environ_base={"REMOTE_ADDR": address})


def choose(client, url: str, password: str = NEW, confirm: str | None = None):
    data = {"password": password, "confirm": password if confirm is None else confirm,
            "csrf_token": csrf_token(client, url)}
    return client.post(url, data=data)


def path_of(link: str) -> str:
    return link.replace("http://localhost", "")


def signs_in(app, email: str, password: str) -> bool:
    other = app.test_client()
    data = {"email": email, "password": password, "csrf_token": csrf_token(other, "/auth/login")}
    return other.post("/auth/login", data=data).status_code == 303


def test_the_same_answer_and_one_email_whether_or_not_the_address_has_an_account(
        client, rosa, mailbox):
    known = ask(client, "ROSA@example.org ")
    echoed = "ROSA@example.org"
    unknown = ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200

    def answer(page, email):
        return page.get_data(as_text=True).replace(email, "EMAIL")
    assert answer(known, echoed) == answer(unknown, "nobody@example.org")
    assert "If an account uses this address" in known.get_data(as_text=True)
    [to_rosa] = mailbox.bodies_to("rosa@example.org")
    [to_nobody] = mailbox.bodies_to("nobody@example.org")
    assert "/auth/password/reset/" in to_rosa and "within an hour" in to_rosa
    assert "no account uses this address" in to_nobody and "/auth/password/reset/" not in to_nobody


def test_the_link_sets_a_new_password_once_and_ends_other_sessions(app, client, rosa, mailbox):
    elsewhere = app.test_client()
    assert signs_in(app, "rosa@example.org", OLD)
    with elsewhere.session_transaction() as session:
        session["_user_id"] = rosa.get_id()
    assert elsewhere.get("/auth/account").status_code == 200

    ask(client, "rosa@example.org")
    url = path_of(mailbox.last_link("rosa@example.org", "/auth/password/reset/"))
    page = client.get(url)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and b"Choose a new password" in page.data
    assert db.session.get(User, rosa.id).check_password(OLD)

    short = choose(client, url, "short")
    assert short.status_code == 200 and b"Use between 12 and 256 characters" in short.data
    mismatch = choose(client, url, NEW, "something else entirely")
    assert b"The passwords do not match." in mismatch.data
    assert db.session.get(User, rosa.id).check_password(OLD)

    done = choose(client, url)
    assert done.status_code == 303 and done.headers["Location"] == "/auth/account"
    assert b"Your new password is saved" in client.get("/auth/account").data
    assert elsewhere.get("/auth/account").status_code == 302  # the other session ended
    assert signs_in(app, "rosa@example.org", NEW) and not signs_in(app, "rosa@example.org", OLD)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password"))
    assert event.detail == {"via": "reset"} and event.target == f"user:{rosa.id}"

    again = client.get(url)
    assert again.status_code == 400 and b"already been used" in again.data
    replay = choose(app.test_client(), url, "another long password")
    assert replay.status_code == 400
    assert signs_in(app, "rosa@example.org", NEW)


def test_expired_tampered_foreign_and_other_purpose_links_are_refused(client, rosa, make_user,
                                                                      monkeypatch):
    bob = make_user(email="bob@example.org")
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - 3601)
    expired = password_links.make_token(rosa)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    good = password_links.make_token(rosa)
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    for_bob = make(password_links.RESET_SALT, {"u": bob.id, "f": password_links.fingerprint(rosa)})
    cases = {
        expired: b"This link has expired",
        tampered: b"This link is not valid",
        "not-a-token": b"This link is not valid",
        "x" * 5000: b"This link is not valid",
        for_bob: b"already been used",
        make(password_links.RESET_SALT, {"u": True, "f": "x"}): b"already been used",
        make(password_links.RESET_SALT, ["u", rosa.id]): b"This link is not valid",
        sign_in_link.make_token(rosa): b"This link is not valid",
        verification.make_token(rosa): b"This link is not valid",
        password_links.make_token(rosa, password_links.INVITE_SALT): b"This link is not valid",
    }
    for token, message in cases.items():
        page = client.get(f"/auth/password/reset/{token}")
        assert page.status_code == 400 and message in page.data, token
        posted = client.post(f"/auth/password/reset/{token}",
                             data={"password": NEW, "confirm": NEW})
        assert posted.status_code in (400, 404), token
    assert client.get("/auth/password/reset/%00").status_code in (400, 404)
    assert db.session.get(User, rosa.id).check_password(OLD)
    assert db.session.get(User, bob.id).check_password(OLD)
    # the good link still works after all that
    assert choose(client, f"/auth/password/reset/{good}").status_code == 303


def test_requests_are_throttled_per_email_and_per_client_address(app, client, rosa, mailbox):
    for _ in range(3):
        assert ask(client, "rosa@example.org", "203.0.113.1").status_code == 200
    assert ask(client, "Rosa@Example.org", "203.0.113.2").status_code == 429
    assert len(mailbox.bodies_to("rosa@example.org")) == 3
    app.config["RESETS_PER_ADDRESS"] = "2 per hour"
    assert ask(client, "a@example.org", "2001:db8::1").status_code == 200
    assert ask(client, "b@example.org", "2001:db8::2").status_code == 200
    assert ask(client, "c@example.org", "2001:db8::ffff").status_code == 429  # same /64
    assert ask(client, "c@example.org", "198.51.100.9").status_code == 200


def test_a_mail_server_that_refuses_gives_503_for_known_and_unknown_alike(app, client, rosa):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_BACKEND="smtp")
    from pbapp.extensions import mail

    mail.init_app(app)
    known, unknown = ask(client, "rosa@example.org"), ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 503
    assert b"could not send the email" in known.data


def test_an_invitation_link_sets_the_first_password_and_confirms_the_address(app, client,
                                                                            make_user):
    user = make_user(email="keisha@example.org", name="Keisha Grant", verified=False)
    token = password_links.make_token(user, password_links.INVITE_SALT)
    page = client.get(f"/auth/invitation/{token}")
    assert page.status_code == 200 and b"Choose your password" in page.data
    assert client.get(f"/auth/password/reset/{token}").status_code == 400
    assert choose(client, f"/auth/invitation/{token}").status_code == 303
    user = db.session.get(User, user.id)
    assert user.email_verified_at is not None and user.check_password(NEW)
    assert client.get(f"/auth/invitation/{token}").status_code == 400
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password"))
    assert event.detail == {"via": "invitation"}
