"""Sessions end on the server, and sign-in renews the CSRF token.

Weaknesses guarded against (issue 14, item 7): a session cookie captured before sign-out (from a
shared computer, a proxy log, malware) that still opens pages afterwards, because a signed cookie
stays valid until it expires; a second browser left signed in after the owner signs out; a
remember-me cookie that outlives sign-out; a password change that leaves old sessions open; and
session fixation of the CSRF token: a token planted or seen before sign-in that still forges
requests after it.
"""
import re

import pytest
from flask_login.utils import encode_cookie

from pbapp.auth import services
from pbapp.extensions import db

PASSWORD = "pw-123456789"


pytestmark = pytest.mark.usefixtures("fresh_limits")


def token_on(browser, url: str = "/auth/login") -> str:
    page = browser.get(url)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))[1]


def sign_in(browser, email: str = "rosa@example.org", password: str = PASSWORD):
    answer = browser.post("/auth/login", data={"email": email, "password": password,
                                               "csrf_token": token_on(browser)})
    assert answer.status_code == 303, answer.status_code
    return answer


def sign_out(browser):
    answer = browser.post("/auth/logout", data={"csrf_token": token_on(browser, "/")})
    assert answer.status_code == 303
    return answer


def signed_in(browser) -> bool:
    return browser.get("/auth/account").status_code == 200


def test_a_session_cookie_copied_before_sign_out_is_refused_after(app, client, rosa):
    sign_in(client)
    stolen = client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert signed_in(thief)  # the copy works while the owner is signed in

    sign_out(client)
    assert not signed_in(client)
    thief.set_cookie("session", stolen)
    assert not signed_in(thief)
    assert thief.get("/auth/account").headers["Location"].startswith("/auth/login")


def test_signing_out_in_one_browser_signs_out_the_others(app, client, rosa):
    phone, laptop = client, app.test_client()
    sign_in(phone)
    sign_in(laptop)
    assert signed_in(phone) and signed_in(laptop)
    sign_out(phone)
    assert not signed_in(laptop)
    sign_in(laptop)  # signing in again works, with a fresh session
    assert signed_in(laptop)


def test_a_remember_me_cookie_from_before_sign_out_is_refused_after(app, client, rosa):
    remembered = app.test_client()
    remembered.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
                          encode_cookie(rosa.get_id()))
    assert signed_in(remembered)
    sign_in(client)
    sign_out(client)
    remembered.delete_cookie("session")
    assert not signed_in(remembered)


def test_a_password_change_ends_every_session(app, client, rosa):
    sign_in(client)
    services.change_password(rosa, "a-brand-new-password")
    db.session.commit()
    assert not signed_in(client)
    assert client.post("/auth/login", data={"email": "rosa@example.org", "password": PASSWORD,
                                            "csrf_token": token_on(client)}).status_code == 200
    sign_in(client, password="a-brand-new-password")
    assert signed_in(client)


def test_a_password_change_keeps_the_password_rules(rosa):
    with pytest.raises(services.WeakPassword):
        services.change_password(rosa, "short")
    db.session.rollback()
    assert rosa.check_password(PASSWORD) and rosa.session_version == 0


def test_sign_out_without_a_session_changes_nothing(client, rosa):
    sign_out(client)
    db.session.refresh(rosa)
    assert rosa.session_version == 0


def test_a_csrf_token_from_before_sign_in_is_refused_after_it(client, rosa):
    planted = token_on(client)
    sign_in(client)  # the sign-in form itself accepted the token it was served with
    forged = client.post("/auth/logout", data={"csrf_token": planted})
    assert forged.status_code == 400
    assert signed_in(client)
    fresh = token_on(client, "/")
    assert fresh != planted
    assert client.post("/auth/logout", data={"csrf_token": fresh}).status_code == 303


def test_a_csrf_token_from_before_sign_up_is_refused_after_it(client):
    planted = token_on(client, "/auth/register")
    answer = client.post("/auth/register", data={
        "name": "Sam", "email": "sam@example.org", "password": "correct horse battery",
        "confirm": "correct horse battery", "neighbourhood": "0", "csrf_token": planted})
    assert answer.status_code == 303 and signed_in(client)
    assert client.post("/auth/logout", data={"csrf_token": planted}).status_code == 400
    assert signed_in(client)


def test_sign_in_records_when(client, rosa):
    assert rosa.last_sign_in_at is None
    sign_in(client)
    db.session.refresh(rosa)
    assert rosa.last_sign_in_at is not None
