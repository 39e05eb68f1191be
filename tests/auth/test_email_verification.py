"""An account votes only once its owner has followed the link emailed to it.

Guards against ballot stuffing with made-up accounts (issue 14, item 1: 20 fresh sign-ups cast 20
ballots in 3 s) and against voting as someone else by typing their address (item 2). Mail goes
through a real SMTP server in this process (``mailbox``) and the link is followed as a resident
would follow it.
"""
import re

import pytest
from sqlalchemy import func, select

from pbapp.auth.models import User
from pbapp.extensions import db
from pbapp.voting.models import Ballot, Participation
from tests.conftest import csrf_token

PASSWORD = "correct horse battery"


@pytest.fixture()
def open_cycle(make_cycle, make_proposal):
    cycle = make_cycle(slug="autumn", name="Autumn budget", phase="voting", max_ranks=2)
    return cycle, [make_proposal(cycle, t).id for t in ("Street lights", "Youth centre")]


def sign_up(client, email: str, address: str = "198.51.100.7"):
    data = {"name": "Rosa Resident", "email": email, "password": PASSWORD, "confirm": PASSWORD,
            "neighbourhood": "0", "birth_year": "",
            "csrf_token": csrf_token(client, "/auth/register")}
    return client.post("/auth/register", data=data, environ_base={"REMOTE_ADDR": address})


def cast(client, proposal_id: int):
    token = csrf_token(client, "/auth/account")
    return client.post("/vote/autumn/cast", data={"csrf_token": token,
                                                   "rank_1": str(proposal_id)})


def ballots() -> int:
    return db.session.scalar(select(func.count()).select_from(Ballot))


def follow(client, link: str):
    """Open the emailed link and press its button, as a resident would."""
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and b"Confirm my email address" in page.data
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.data).group(1).decode()
    return client.post("/" + path, data={"csrf_token": token})


def test_sign_up_emails_a_link_and_only_the_verified_account_votes(app, client, mailbox,
                                                                    open_cycle):
    _, (lights, _youth) = open_cycle
    assert sign_up(client, "Rosa@Example.org").status_code == 303
    user = db.session.scalar(select(User))
    assert user.email_verified_at is None

    refused = cast(client, lights)
    assert refused.status_code == 200 and b"Confirm your email address first" in refused.data
    assert ballots() == 0 and db.session.scalar(
        select(func.count()).select_from(Participation)) == 0
    assert b"Confirm your email address first" in client.get("/vote/autumn").data

    [message] = mailbox.messages
    assert message["To"] == "rosa@example.org" and "Confirm" in message["Subject"]
    link = mailbox.last_link("rosa@example.org", "/auth/verify/")
    assert db.session.get(User, user.id).email_verified_at is None  # opening it changes nothing
    confirmed = follow(client, link)
    assert confirmed.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is not None

    assert cast(client, lights).status_code == 303
    assert ballots() == 1


def test_twenty_fresh_accounts_cast_no_ballot(app, mailbox, open_cycle):
    """Item 1 as it was reproduced: many sign-ups, each trying to vote at once."""
    _, (lights, _youth) = open_cycle
    app.config["SIGNUPS_PER_ADDRESS"] = "100 per hour"
    for n in range(20):
        browser = app.test_client()
        assert sign_up(browser, f"sock{n}@example.org", f"203.0.113.{n + 1}").status_code == 303
        assert cast(browser, lights).status_code == 200
    assert ballots() == 0
    assert len(mailbox.messages) == 20


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # forged signature
    lambda t: t + "x", lambda t: "", lambda t: "%00", lambda t: "²" * 300])
def test_a_tampered_link_verifies_nothing(client, mailbox, open_cycle, mangle):
    sign_up(client, "rosa@example.org")
    link = mailbox.last_link("rosa@example.org", "/auth/verify/")
    token = link.rsplit("/", 1)[1]
    page = client.get(f"/auth/verify/{mangle(token)}")
    assert page.status_code in (400, 404)
    assert db.session.scalar(select(User.email_verified_at)) is None


def test_the_link_expires_after_48_hours(client, mailbox, open_cycle, monkeypatch):
    import itsdangerous.timed

    sign_up(client, "rosa@example.org")
    link = mailbox.last_link("rosa@example.org", "/auth/verify/")
    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + 48 * 3600 + 5)
    page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert page.status_code == 400 and b"expired" in page.data
    assert db.session.scalar(select(User.email_verified_at)) is None


def test_a_link_for_an_old_address_verifies_nothing(client, mailbox, open_cycle):
    """The link proves the address it went to; if the account's address changed since, no."""
    sign_up(client, "rosa@example.org")
    link = mailbox.last_link("rosa@example.org", "/auth/verify/")
    user = db.session.scalar(select(User))
    user.email = "someone.else@example.org"
    db.session.commit()
    page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert page.status_code == 400
    assert db.session.scalar(select(User.email_verified_at)) is None


def test_new_links_are_sent_on_request_and_throttled(app, client, mailbox, open_cycle):
    app.config["RESENDS_PER_ACCOUNT"] = "2 per hour"
    sign_up(client, "rosa@example.org")
    account = client.get("/auth/account")
    assert b"not confirmed yet" in account.data and b"Send me a new link" in account.data
    for _ in range(2):
        token = csrf_token(client, "/auth/account")
        sent = client.post("/auth/verify/resend", data={"csrf_token": token})
        assert sent.status_code == 303
    assert len(mailbox.messages) == 3
    token = csrf_token(client, "/auth/account")
    assert client.post("/auth/verify/resend", data={"csrf_token": token}).status_code == 429
    assert len(mailbox.messages) == 3
    follow(client, mailbox.last_link("rosa@example.org", "/auth/verify/"))
    assert b"not confirmed yet" not in client.get("/auth/account").data


def test_sign_up_is_limited_per_address_and_an_ipv6_64_is_one_address(app, mailbox, open_cycle):
    app.config["SIGNUPS_PER_ADDRESS"] = "3 per hour"
    results = [sign_up(app.test_client(), f"a{n}@example.org", f"2001:db8:1:2::{n + 1:x}")
               .status_code for n in range(4)]
    assert results == [303, 303, 303, 429]
    other = sign_up(app.test_client(), "b@example.org", "2001:db8:1:3::1")
    assert other.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(User)) == 4


def test_without_a_mail_server_the_message_goes_to_the_log(app, client, open_cycle, caplog):
    """README command 1 has no mail server: the link is in the server's log, and it works."""
    assert not app.config.get("MAIL_SERVER")
    with caplog.at_level("WARNING"):
        assert sign_up(client, "rosa@example.org").status_code == 303
    logged = "\n".join(r.getMessage() for r in caplog.records)
    link = re.search(r"http://localhost/auth/verify/\S+", logged).group(0)
    assert follow(client, link).status_code == 303
    assert db.session.scalar(select(User.email_verified_at)) is not None


def test_a_mail_server_that_is_down_loses_no_account_and_says_so(app, client, open_cycle):
    from tests.conftest import free_port

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_BACKEND="smtp",
                      MAIL_TIMEOUT=2)
    from pbapp.extensions import mail

    mail.init_app(app)
    resp = sign_up(client, "rosa@example.org")
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"])
    assert b"could not send" in page.data and b"Send me a new link" in page.data
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
