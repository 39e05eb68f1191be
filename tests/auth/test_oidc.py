"""Staff and board sign-in with the city's identity provider (issue 21), against a provider run
inside this process (``oidc_provider``), on both databases, through the test client.

The provider proves who someone is; roles stay granted here. A refused or broken answer ends on
the sign-in page with a message, writes nothing, and signs nobody in.
"""
from __future__ import annotations

import time
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from oidc_provider import Provider
from pbapp.audit.models import AuditEvent
from pbapp.auth.models import User
from pbapp.auth.oidc_models import ExternalIdentity
from pbapp.extensions import db
from pbapp.i18n import COOKIE

NOT_VERIFIED = "could not be verified, so you are not signed in"
NOT_FOR_RESIDENTS = "Signing in with Test City ID is for staff and board members"


@pytest.fixture(scope="module")
def provider():
    running = Provider().start()
    yield running
    running.stop()


@pytest.fixture()
def oidc(app, provider):
    """The app pointed at the provider, whose knobs start from their defaults."""
    provider.reset()
    app.config.update(provider.settings())
    return provider


@pytest.fixture()
def sam(make_user):
    return make_user(role="staff", email="sam.staff@example.org", name="Sam Staff")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def go_to_provider(client, provider, next_path: str | None = None) -> str:
    """Press "Sign in with …": the app's redirect to the provider's authorize step."""
    answer = client.get("/auth/oidc/start", query_string={"next": next_path} if next_path else {})
    assert answer.status_code == 302, answer.data[:300]
    location = answer.headers["Location"]
    assert location.startswith(f"{provider.url}/authorize?")
    return location


def come_back(client, authorize_url: str):
    """The provider's answer (a redirect to our callback), followed to the page it ends on."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/auth/oidc/callback"
    return client.get(f"{back.path}?{back.query}", follow_redirects=True)


def sign_in_through(client, provider, next_path: str | None = None):
    return come_back(client, go_to_provider(client, provider, next_path))


def signed_in_as(client) -> str | None:
    page = client.get("/auth/account")
    if page.status_code != 200:
        return None
    with client.session_transaction() as session:
        return session.get("_user_id")


def sign_out(client) -> None:
    from tests.conftest import csrf_token

    answer = client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/account")})
    assert answer.status_code == 303


def assert_refused(page, message: str, identities_before: int = 0) -> None:
    assert page.status_code == 200
    assert page.request.path == "/auth/login"
    assert message in page.get_data(as_text=True)
    assert _count(ExternalIdentity) == identities_before


def test_sign_in_page_offers_the_provider_only_when_configured(app, client, provider):
    assert "Sign in with" not in client.get("/auth/login").get_data(as_text=True)
    assert client.get("/auth/oidc/start").status_code == 404
    assert client.get("/auth/oidc/callback?code=x&state=y").status_code == 404
    app.config.update(provider.settings())
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Sign in with Test City ID" in page
    assert "Staff and board members" in page


def test_staff_links_on_first_sign_in_then_signs_in_by_subject(oidc, client, sam):
    page = sign_in_through(client, oidc, next_path="/metrics/")
    assert page.request.path == "/metrics/"
    assert "Signed in as Sam Staff." in page.get_data(as_text=True)
    assert signed_in_as(client) == sam.get_id()
    identity = db.session.scalar(select(ExternalIdentity))
    assert (identity.user_id, identity.issuer, identity.subject) == (sam.id, oidc.url,
                                                                     "staff-0001")
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions == ["user.oidc_link"]

    sign_out(client)
    assert signed_in_as(client) is None
    page = sign_in_through(client, oidc)
    assert page.request.path == "/"
    assert signed_in_as(client) is not None
    assert _count(ExternalIdentity) == 1
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all() == [
        "user.oidc_link", "user.oidc_sign_in"]


def test_a_board_member_may_sign_in_and_keeps_their_role(oidc, client, make_user):
    from pbapp.boards.models import Board, Membership

    member = make_user(email="bea.board@example.org", name="Bea Board")
    board = Board(slug="oidc-board", name="Board")
    db.session.add(Membership(board=board, user=member, seat="police",
                              term_start=date(2020, 1, 1)))
    db.session.commit()
    oidc.person = {"sub": "board-7", "email": "Bea.Board@example.org", "email_verified": True}
    page = sign_in_through(client, oidc)
    assert "Signed in as Bea Board." in page.get_data(as_text=True)
    assert db.session.get(User, member.id).role == "resident"


def test_a_residents_email_is_refused_and_no_account_is_made(oidc, client, make_user):
    make_user(email="rosa@example.org", name="Rosa Resident")
    users = _count(User)
    oidc.person = {"sub": "r-1", "email": "rosa@example.org", "email_verified": True}
    assert_refused(sign_in_through(client, oidc), NOT_FOR_RESIDENTS)
    oidc.person = {"sub": "n-1", "email": "nobody.here@example.org", "email_verified": True}
    assert_refused(sign_in_through(client, oidc), NOT_FOR_RESIDENTS)
    assert _count(User) == users
    assert signed_in_as(client) is None


def test_an_unverified_email_is_not_matched(oidc, client, sam):
    oidc.person = {**oidc.person, "email_verified": False}
    assert_refused(sign_in_through(client, oidc), "did not confirm your email address")
    oidc.person = {"sub": "staff-0001", "email": "sam.staff@example.org",
                   "email_verified": "true"}  # a string is not a yes
    assert_refused(sign_in_through(client, oidc), "did not confirm your email address")
    assert signed_in_as(client) is None


@pytest.mark.parametrize("claims, tamper", [
    ({"nonce": "not-the-one-sent"}, False),
    ({"nonce": None}, False),
    ({"aud": "another-client"}, False),
    ({"aud": ["another-client"], "azp": "pbapp-test-client"}, False),
    ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, False),
    ({"iss": "http://127.0.0.1:9/elsewhere"}, False),
    ({"sub": None}, False),
    ({}, True),
], ids=["wrong-nonce", "no-nonce", "wrong-audience", "other-audience-with-azp", "expired",
        "wrong-issuer", "no-subject", "tampered-signature"])
def test_a_bad_id_token_is_refused(oidc, client, sam, claims, tamper):
    oidc.claims, oidc.tamper = claims, tamper
    assert_refused(sign_in_through(client, oidc), NOT_VERIFIED)
    assert signed_in_as(client) is None
    assert _count(AuditEvent) == 0


def test_cancelled_at_the_provider(oidc, client, sam):
    authorize = go_to_provider(client, oidc)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    page = client.get("/auth/oidc/callback", query_string={"error": "access_denied",
                                                            "state": state},
                      follow_redirects=True)
    assert_refused(page, "The sign-in at Test City ID was cancelled")
    with client.session_transaction() as session:
        assert not [key for key in session if key.startswith("_state_")]
    page = client.get("/auth/oidc/callback?error=server_error", follow_redirects=True)
    assert_refused(page, "Test City ID did not sign you in")


def test_a_forged_missing_or_replayed_state_is_refused(oidc, client, sam):
    message = "This sign-in had expired or was not started on this site"
    authorize = go_to_provider(client, oidc)
    answer = requests.get(authorize, allow_redirects=False, timeout=10)
    back = urlsplit(answer.headers["Location"])
    code = parse_qs(back.query)["code"][0]
    for query in (f"code={code}", f"code={code}&state=forged"):
        assert_refused(client.get(f"/auth/oidc/callback?{query}", follow_redirects=True), message)
    # another browser cannot use this one's answer
    assert_refused(client.application.test_client().get(
        f"{back.path}?{back.query}", follow_redirects=True), message)
    page = client.get(f"{back.path}?{back.query}", follow_redirects=True)
    assert "Signed in as Sam Staff." in page.get_data(as_text=True)
    sign_out(client)
    assert_refused(client.get(f"{back.path}?{back.query}", follow_redirects=True), message, 1)


def test_only_the_latest_start_is_kept(oidc, client, sam):
    first = go_to_provider(client, oidc)
    for _ in range(5):
        latest = go_to_provider(client, oidc)
    with client.session_transaction() as session:
        assert len([key for key in session if key.startswith("_state_")]) == 1
    assert_refused(come_back(client, first), "This sign-in had expired or was not started")
    assert "Signed in as Sam Staff." in come_back(client, latest).get_data(as_text=True)


def test_provider_unreachable(app, oidc, client, sam):
    from tests.conftest import free_port

    oidc.token_endpoint = f"http://127.0.0.1:{free_port()}/token"
    authorize = go_to_provider(client, oidc)  # discovery answers, the token endpoint does not
    assert_refused(come_back(client, authorize), "Test City ID cannot be reached just now")

    app.extensions.pop("pbapp.oidc")  # discovery fetched afresh, from nowhere
    app.config["OIDC_ISSUER"] = f"http://127.0.0.1:{free_port()}"
    page = client.get("/auth/oidc/start", follow_redirects=True)
    assert_refused(page, "Test City ID cannot be reached just now")
    assert signed_in_as(client) is None


def test_an_email_change_at_the_provider_does_not_move_the_link(oidc, client, sam, make_user):
    other = make_user(role="staff", email="olga.other@example.org", name="Olga Other")
    sign_in_through(client, oidc)
    sign_out(client)
    oidc.person = {**oidc.person, "email": "olga.other@example.org"}
    page = sign_in_through(client, oidc)
    assert "Signed in as Sam Staff." in page.get_data(as_text=True)
    assert signed_in_as(client) == db.session.get(User, sam.id).get_id()
    assert db.session.scalar(select(ExternalIdentity.user_id)) == sam.id
    assert db.session.scalar(select(ExternalIdentity).where(
        ExternalIdentity.user_id == other.id)) is None


def test_a_second_subject_with_the_same_email_is_refused(oidc, client, sam):
    sign_in_through(client, oidc)
    sign_out(client)
    oidc.person = {**oidc.person, "sub": "someone-else-42"}
    assert_refused(sign_in_through(client, oidc), "already linked to another Test City ID", 1)
    assert signed_in_as(client) is None


def test_a_linked_account_that_lost_its_role_is_refused(oidc, client, sam):
    sign_in_through(client, oidc)
    sign_out(client)
    db.session.get(User, sam.id).role = "resident"
    db.session.commit()
    assert_refused(sign_in_through(client, oidc), NOT_FOR_RESIDENTS, 1)


def test_the_sign_in_is_in_spanish(oidc, client, make_user):
    client.set_cookie(COOKIE, "es")
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Iniciar sesión con Test City ID" in page
    make_user(email="rosa@example.org")
    oidc.person = {"sub": "r-1", "email": "rosa@example.org", "email_verified": True}
    page = sign_in_through(client, oidc)
    assert "es para el personal y los miembros de los consejos" in page.get_data(as_text=True)


QUERY_KEYS = st.sampled_from(["code", "state", "error", "error_description", "iss",
                              "session_state"]) | st.text(max_size=12)
ODD_TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["\x00", "a\x00b", "%00", "'; DROP TABLE user; --", "<script>", "ÿ" * 300, ""])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(QUERY_KEYS, ODD_TEXT, max_size=5), with_real_state=st.booleans())
def test_fuzzed_callback_queries_refuse_in_words(oidc, client, sam, query, with_real_state):
    with client.session_transaction() as session:
        session.clear()
    if with_real_state:
        authorize = go_to_provider(client, oidc)
        query["state"] = parse_qs(urlsplit(authorize).query)["state"][0]
    answer = client.get("/auth/oidc/callback", query_string=query)
    if answer.status_code == 400:  # refused for every page before any view (pbapp.request_text)
        assert "contains a control character" in answer.get_data(as_text=True)
    else:
        assert answer.status_code == 303, answer.data[:300]
        assert urlsplit(answer.headers["Location"]).path == "/auth/login"
        page = client.get("/auth/login").get_data(as_text=True)
        assert 'class="flash flash-error"' in page
    assert _count(ExternalIdentity) == 0 and _count(AuditEvent) == 0
    assert signed_in_as(client) is None


def test_a_deleted_account_frees_its_identity_for_a_new_account(oidc, client, sam, make_user):
    from pbapp.auth.deletion import delete_account

    sign_in_through(client, oidc)
    sign_out(client)
    delete_account(db.session.get(User, sam.id), "pw-123456789")
    db.session.commit()
    assert _count(ExternalIdentity) == 0
    assert_refused(sign_in_through(client, oidc), NOT_FOR_RESIDENTS)
    again = make_user(role="staff", email="sam.staff@example.org", name="Sam Again")
    assert "Signed in as Sam Again." in sign_in_through(client, oidc).get_data(as_text=True)
    assert db.session.scalar(select(ExternalIdentity.user_id)) == again.id
