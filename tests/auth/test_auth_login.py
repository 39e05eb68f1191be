"""Signing in and out, where sign-in leads, and the limits on guessing."""
import pytest

URL = "/auth/login"
PASSWORD = "pw-123456789"
FAILED = b"Email address or password is incorrect."


pytestmark = pytest.mark.usefixtures("fresh_limits")


@pytest.fixture()
def sign_in(client, csrf):
    def post(email="rosa@example.org", password=PASSWORD, url=URL, **client_kw):
        return client.post(url, data={"email": email, "password": password,
                                      "csrf_token": csrf(URL)}, **client_kw)
    return post


def signed_in_as(client) -> bytes | None:
    page = client.get("/auth/account")
    if page.status_code != 200:
        return None
    return page.data


def test_login_page_renders(client):
    page = client.get(URL)
    assert page.status_code == 200
    assert b'name="email"' in page.data and b'name="password"' in page.data


def test_correct_password_signs_in(client, rosa, sign_in):
    resp = sign_in(email="  ROSA@Example.org ")
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/"
    home = client.get("/")
    assert b"Signed in as Rosa Resident." in home.data
    assert b"Sign out (Rosa Resident)" in home.data
    assert b"rosa@example.org" in signed_in_as(client)


@pytest.mark.parametrize("email, password", [
    ("rosa@example.org", "wrong-password-1"),
    ("nobody@example.org", PASSWORD),
])
def test_wrong_email_or_password_gives_one_message(client, rosa, sign_in, email, password):
    resp = sign_in(email=email, password=password)
    assert resp.status_code == 200
    assert FAILED in resp.data
    assert signed_in_as(client) is None


def test_empty_fields_are_explained(client, sign_in):
    resp = sign_in(email="", password="")
    assert resp.status_code == 200
    assert b"Enter your email address." in resp.data and b"Enter your password." in resp.data
    assert FAILED not in resp.data


def test_login_without_csrf_token_is_refused(client, rosa):
    resp = client.post(URL, data={"email": "rosa@example.org", "password": PASSWORD})
    assert resp.status_code == 400
    assert signed_in_as(client) is None


def test_protected_page_comes_back_after_sign_in(client, rosa, sign_in):
    bounce = client.get("/auth/account")
    assert bounce.status_code == 302
    login_url = bounce.headers["Location"]
    assert login_url == "/auth/login?next=%2Fauth%2Faccount"
    page = client.get(login_url)
    assert b'action="/auth/login?next=/auth/account"' in page.data
    resp = sign_in(url=login_url)
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/auth/account"


@pytest.mark.parametrize("target", ["/cycles/", "/cycles/2026-spring?tab=results"])
def test_next_on_this_site_is_followed(rosa, sign_in, target):
    from urllib.parse import quote

    resp = sign_in(url=f"{URL}?next={quote(target, safe='')}")
    assert resp.status_code == 303
    assert resp.headers["Location"] == target


@pytest.mark.parametrize("raw_next", [
    "//evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "https:evil.example",
    "https%3A%2F%2Fevil.example", "%252F%252Fevil.example", "/%252F%252Fevil.example",
    "%2F%09%2Fevil.example",
])
def test_next_elsewhere_is_ignored(client, rosa, sign_in, raw_next):
    page = client.get(f"{URL}?next={raw_next}")
    assert b"evil.example" not in page.data
    resp = sign_in(url=f"{URL}?next={raw_next}")
    if "%09" in raw_next:  # a control character: the request is refused whole (request_text)
        assert resp.status_code == 400 and "Location" not in resp.headers
        return
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/"


def test_logout_needs_a_post_with_csrf(client, rosa, login, csrf):
    login(rosa)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert signed_in_as(client) is not None

    resp = client.post("/auth/logout", data={"csrf_token": csrf("/auth/account")})
    assert resp.status_code == 303 and resp.headers["Location"] == "/"
    assert b"You are signed out." in client.get("/").data
    assert signed_in_as(client) is None


def test_failures_for_one_email_are_limited(client, rosa, make_user, sign_in):
    make_user(email="sam@example.org")
    for _ in range(5):
        assert FAILED in sign_in(password="guess-guess-guess").data
    blocked = sign_in()
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.data
    assert signed_in_as(client) is None
    assert sign_in(email="ROSA@example.org ").status_code == 429
    assert sign_in(email="sam@example.org").status_code == 303


def test_failures_from_one_address_are_limited(client, rosa, sign_in):
    for n in range(10):
        resp = sign_in(email=f"guess{n}@example.org")
        assert resp.status_code == 200 and FAILED in resp.data
    blocked = sign_in()
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.data
    assert signed_in_as(client) is None
    other_address = sign_in(environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_address.status_code == 303


def test_successful_sign_ins_are_not_counted(client, rosa, sign_in, csrf):
    for _ in range(11):
        assert sign_in().status_code == 303
        client.post("/auth/logout", data={"csrf_token": csrf("/")})
    assert FAILED in sign_in(password="wrong-password-1").data
