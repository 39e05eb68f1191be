"""Signing up: the happy path and every refusal, checked on the page and in the database."""
import pytest
from sqlalchemy import func, select

from pbapp.auth.models import User
from pbapp.cycles.models import Neighbourhood
from pbapp.extensions import db

URL = "/auth/register"
PASSWORD = "correct horse battery"


@pytest.fixture()
def east(app):
    hood = Neighbourhood(slug="east", name="Eastside")
    db.session.add(hood)
    db.session.commit()
    return hood


@pytest.fixture()
def register(client, csrf):
    def post(url=URL, **overrides):
        data = {"name": "Rosa Resident", "email": "rosa@example.org", "password": PASSWORD,
                "confirm": PASSWORD, "neighbourhood": "0", "birth_year": "",
                "csrf_token": csrf(URL)}
        data.update(overrides)
        return client.post(url, data={k: v for k, v in data.items() if v is not None})
    return post


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_form_offers_the_neighbourhoods(client, east):
    page = client.get(URL)
    assert page.status_code == 200
    assert b"Create an account" in page.data
    assert f'value="{east.id}">Eastside'.encode() in page.data
    assert b"Prefer not to say" in page.data


def test_register_creates_a_resident_and_signs_them_in(client, register, east):
    resp = register(email="  Rosa.Resident@Example.ORG ", neighbourhood=str(east.id),
                    birth_year="1990")
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/auth/account"

    user = db.session.scalar(select(User))
    assert user_count() == 1
    assert user.email == "rosa.resident@example.org"
    assert user.name == "Rosa Resident"
    assert user.role == "resident"
    assert user.neighbourhood_id == east.id and user.birth_year == 1990
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD)

    account = client.get("/auth/account")
    assert account.status_code == 200
    assert b"Welcome! We have sent a link to rosa.resident@example.org" in account.data
    assert b"rosa.resident@example.org" in account.data and b"Eastside" in account.data


def test_optional_fields_may_be_left_empty(register):
    assert register().status_code == 303
    user = db.session.scalar(select(User))
    assert user.neighbourhood_id is None and user.birth_year is None


def test_duplicate_email_in_any_case_is_refused(register, make_user):
    make_user(email="rosa@example.org")
    resp = register(email="ROSA@example.org")
    assert resp.status_code == 200
    assert b"An account with this email address already exists." in resp.data
    assert user_count() == 1


@pytest.mark.parametrize("overrides, message", [
    ({"password": "short pw 11", "confirm": "short pw 11"}, b"Use between 12 and 256 characters."),
    ({"confirm": "something else entirely"}, b"The passwords do not match."),
    ({"email": "not-an-address"}, b"Enter an email address like name@example.org."),
    ({"email": ""}, b"Enter your email address."),
    ({"name": "   "}, b"Enter a name."),
    ({"birth_year": "1850"}, b"Enter a year between 1900 and"),
    ({"neighbourhood": "999"}, b"Not a valid choice"),
])
def test_invalid_input_is_explained_and_nothing_saved(register, overrides, message):
    resp = register(**overrides)
    assert resp.status_code == 200
    assert b"Please correct the errors below." in resp.data
    assert message in resp.data
    assert user_count() == 0


def test_entered_values_come_back_but_the_password_does_not(register):
    resp = register(password="too short", confirm="too short")
    assert b'value="rosa@example.org"' in resp.data
    assert b"too short" not in resp.data


def test_missing_csrf_token_is_a_bad_request(client):
    resp = client.post(URL, data={"name": "Rosa", "email": "rosa@example.org",
                                  "password": PASSWORD, "confirm": PASSWORD, "neighbourhood": "0"})
    assert resp.status_code == 400
    assert user_count() == 0


def test_safe_next_is_followed_after_registering(register):
    resp = register(url=URL + "?next=/cycles/")
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/cycles/"


def test_unsafe_next_is_ignored(register):
    resp = register(url=URL + "?next=//evil.example/")
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/auth/account"


def test_signed_in_user_is_sent_to_their_account(client, make_user, login):
    login(make_user())
    resp = client.get(URL)
    assert resp.status_code == 302 and resp.headers["Location"] == "/auth/account"
