"""Follow, be told by email, unsubscribe in one click: through HTTP, the services that make the
changes, ``flask mail send`` and a real SMTP server (aiosmtpd). Both databases."""
from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pbapp.boards.models import Membership
from pbapp.boards.services import save_meeting
from pbapp.cycles.services import set_phase
from pbapp.extensions import db
from pbapp.follows import unsubscribe
from pbapp.follows.models import DigestItem, Follow, FollowSettings
from pbapp.outbox.models import OutgoingMail
from pbapp.projects.models import Project
from pbapp.projects.services import MilestoneFields, post_update, save_milestone
from pbapp.proposals.services import review_proposal


@pytest.fixture()
def town(app, make_user, make_cycle, make_proposal):
    """A cycle in review with a submitted proposal of the East board, the board's member, a
    project of that board in a cycle being carried out, a resident, and staff."""
    cycle = make_cycle(phase="review")
    proposal = make_proposal(cycle, "Street lights", status="submitted")
    carried_out = make_cycle(slug="last-year", phase="implementation")
    funded = make_proposal(carried_out, "Lights", status="funded")
    member = make_user(name="Mo Member")
    db.session.add(Membership(board_id=proposal.board_id, user_id=member.id, seat="police",
                              organisation="Riverside Police", term_start=date(2020, 1, 1)))
    project = Project(proposal_id=funded.id, cycle_id=carried_out.id, board_id=proposal.board_id,
                      title="Lights project", budget_cents=100_00)
    db.session.add(project)
    db.session.commit()
    return type("Town", (), dict(cycle=cycle, proposal=proposal, member=member, project=project,
                                 board=proposal.board, resident=make_user(name="Rita Resident"),
                                 staff=make_user(role="staff", name="Sam Staff")))


def follow(client, login, csrf, user, page: str, action: str):
    login(user)
    return client.post(action, data={"csrf_token": csrf(page)})


def send(runner) -> str:
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def fresh(row):
    """The row as the worker left it (a new transaction: SQLite's WAL keeps a snapshot)."""
    db.session.rollback()
    return db.session.get(type(row), row.id)


def mail_to(mailbox, address: str) -> list:
    return [m for m in mailbox.messages if address.lower() in m["To"].lower()]


def test_follow_change_send_then_one_click_unsubscribe(app, client, login, csrf, town, mailbox,
                                                        runner):
    cycle_page = f"/cycles/{town.cycle.slug}"
    assert follow(client, login, csrf, town.resident, cycle_page,
                  f"/follows/cycle/{town.cycle.id}").status_code == 303
    assert b"Stop following" in client.get(cycle_page).data
    # following twice keeps one follow
    assert follow(client, login, csrf, town.resident, cycle_page,
                  f"/follows/cycle/{town.cycle.id}").status_code == 303
    assert follow(client, login, csrf, town.staff, cycle_page,
                  f"/follows/cycle/{town.cycle.id}").status_code == 303
    proposal_page = f"/proposals/{town.proposal.id}"
    assert follow(client, login, csrf, town.member, proposal_page,
                  f"/follows/proposal/{town.proposal.id}").status_code == 303
    assert db.session.scalar(select(func.count(Follow.id))) == 3

    staff = db.session.merge(town.staff)
    review_proposal(staff, town.proposal, "reject", reason="Too costly")
    set_phase(town.cycle, "voting", staff)
    db.session.commit()
    assert not mailbox.messages  # queued in the change's transaction, not sent yet
    assert "sent 2," in send(runner)

    [phase_mail] = mail_to(mailbox, town.resident.email)
    assert phase_mail["Subject"] == f"News of “{town.cycle.name}”"
    body = phase_mail.get_body(("plain",)).get_content()
    assert "moved to the voting phase." in body and f"/cycles/{town.cycle.slug}" in body
    assert phase_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(phase_mail["List-Unsubscribe"]).strip()
    assert header.startswith("<http") and header.endswith(">")
    [decision] = mailbox.bodies_to(town.member.email)
    assert "“Street lights” is now: Rejected. Reason: Too costly" in decision
    assert not mail_to(mailbox, town.staff.email), "the person who made the change is not told"

    # the mail client's one-click POST: no session, no CSRF token
    one_click = app.test_client()
    answer = one_click.post(urlsplit(header[1:-1]).path,
                            data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and b"you no longer follow" in answer.data
    assert db.session.scalar(select(Follow).where(Follow.user_id == town.resident.id)) is None

    set_phase(town.cycle, "counting", staff)
    db.session.commit()
    assert "sent 0," in send(runner)
    assert len(mail_to(mailbox, town.resident.email)) == 1


def test_get_of_the_unsubscribe_link_changes_nothing(app, client, login, csrf, town):
    follow(client, login, csrf, town.resident, f"/projects/{town.project.id}",
           f"/follows/project/{town.project.id}")
    with app.test_request_context():
        path = urlsplit(unsubscribe.link(town.resident.id, "project", town.project.id)).path
        every = urlsplit(unsubscribe.link(town.resident.id)).path
    page = app.test_client().get(path)
    assert page.status_code == 200 and b"Yes, stop these emails" in page.data
    assert b"Lights project" in page.data
    assert db.session.scalar(select(func.count(Follow.id))) == 1
    assert app.test_client().post(every).status_code == 200
    assert db.session.scalar(select(func.count(Follow.id))) == 0


def test_unconfirmed_accounts_cannot_follow_and_are_never_mailed(app, client, login, csrf, town,
                                                                  make_user, mailbox, runner):
    unconfirmed = make_user(verified=False)
    page = f"/boards/{town.board.slug}"
    login(unconfirmed)
    assert b"Confirm your email address to follow" in client.get(page).data
    answer = client.post(f"/follows/board/{town.board.id}",
                         data={"csrf_token": csrf(page)},
                         follow_redirects=True)
    assert b"Confirm your email address first" in answer.data
    assert db.session.scalar(select(func.count(Follow.id))) == 0
    # an address unconfirmed after following (changed since) is not mailed either
    follow(client, login, csrf, town.resident, page, f"/follows/board/{town.board.id}")
    resident = db.session.merge(town.resident)
    resident.email_verified_at = None
    save_meeting(town.board, db.session.merge(town.staff), title="Spring meeting",
                 starts_at=datetime(2030, 3, 1, 18, tzinfo=timezone.utc))
    db.session.commit()
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == 0


def test_unknown_things_and_forms_without_token(client, login, csrf, town):
    login(town.resident)
    token = csrf(f"/projects/{town.project.id}")
    assert client.post("/follows/spaceship/1", data={"csrf_token": token}).status_code == 404
    assert client.post("/follows/project/999999", data={"csrf_token": token}).status_code == 404
    # a submitted proposal is not public: a resident is not told it exists
    assert client.post(f"/follows/proposal/{town.proposal.id}",
                       data={"csrf_token": token}).status_code == 404
    assert client.post(f"/follows/project/{town.project.id}").status_code == 400
    assert db.session.scalar(select(func.count(Follow.id))) == 0


def test_server_down_keeps_the_message_then_sends_it_once(app, client, login, csrf, town,
                                                         mailbox, runner):
    from tests.conftest import free_port

    from pbapp.extensions import mail
    from pbapp.outbox.worker import send_due

    follow(client, login, csrf, town.resident, f"/projects/{town.project.id}",
           f"/follows/project/{town.project.id}")
    post_update(db.session.merge(town.staff), town.project, "Poles are up", "All twelve.")
    db.session.commit()
    up_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    mail.init_app(app)
    assert "sent 0, failed 0, to try again 1, left in the queue 1" in send(runner)
    row = db.session.scalar(select(OutgoingMail))
    row = fresh(row)
    assert row.attempts == 1 and row.sent_at is None and row.last_error
    assert row.next_attempt_at > datetime.now(timezone.utc)
    assert "sent 0," in send(runner)  # not due yet: no second attempt at once
    app.config["MAIL_PORT"] = up_port
    mail.init_app(app)
    assert send_due(now=row.next_attempt_at).sent == 1
    assert send_due(now=row.next_attempt_at).sent == 0
    row = fresh(row)
    assert row.attempts == 2 and row.sent_at is not None
    [body] = mailbox.bodies_to(town.resident.email)
    assert "New update on “Lights project”: Poles are up" in body
    # once sent, the kept row no longer holds the text (it may carry a private link)
    assert row.body == "" and row.subject and row.to_address == town.resident.email


def test_after_too_many_attempts_a_message_is_marked_failed_and_kept(app, town, runner):
    from tests.conftest import free_port

    from pbapp.extensions import mail
    from pbapp.outbox.worker import queue, send_due

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_BACKEND="smtp",
                      MAIL_MAX_ATTEMPTS=2)
    mail.init_app(app)
    row = queue("someone@example.org", "Hello", "Body")
    db.session.commit()
    assert send_due().retrying == 1
    row = fresh(row)
    outcome = send_due(now=row.next_attempt_at)
    assert (outcome.failed, outcome.left) == (1, 0)
    row = fresh(row)
    assert row.failed_at is not None and row.sent_at is None and row.attempts == 2


def test_two_workers_at_once_send_each_message_once(app, mailbox):
    import threading

    from pbapp.outbox.worker import queue, send_due

    for n in range(30):
        queue(f"person{n}@example.org", f"Message {n}", "Body")
    db.session.commit()
    outcomes, errors, start = [], [], threading.Barrier(2)

    def work():
        with app.app_context():
            start.wait()
            try:
                outcomes.append(send_due())
            except Exception as error:  # on SQLite: "database is locked" when both read first
                errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == [] and len(outcomes) == 2  # neither worker failed
    assert sum(o.sent for o in outcomes) == 30
    assert sorted(m["Subject"] for m in mailbox.messages) == sorted(
        f"Message {n}" for n in range(30))


def test_a_claimed_message_is_not_claimed_again(app):
    from sqlalchemy.orm import Session

    from pbapp.models_base import utcnow
    from pbapp.outbox.worker import claim, queue

    queue("a@example.org", "A", "Body")
    db.session.commit()
    now = utcnow()
    with Session(db.engine) as first, Session(db.engine) as second:
        assert len(claim(first, now)) == 1
        assert claim(second, now) == []


def test_daily_digest_groups_items_per_person(app, client, login, csrf, town, mailbox, runner):
    follow(client, login, csrf, town.resident, f"/projects/{town.project.id}",
           f"/follows/project/{town.project.id}")
    follow(client, login, csrf, town.resident, f"/boards/{town.board.slug}",
           f"/follows/board/{town.board.id}")
    client.post("/follows/settings", data={"csrf_token": csrf("/follows/"), "how": "daily"})
    assert db.session.get(FollowSettings, town.resident.id).how == "daily"
    staff = db.session.merge(town.staff)
    post_update(staff, town.project, "Poles are up", "All twelve.")
    save_milestone(staff, town.project, MilestoneFields(title="Lights on", due_on=date(2030, 5,
                                                                                       1)))
    save_meeting(town.board, staff, title="Spring meeting",
                 starts_at=datetime(2030, 3, 1, 18, tzinfo=timezone.utc))
    db.session.commit()
    assert db.session.scalar(select(func.count(DigestItem.id))) == 3
    assert "sent 0," in send(runner)  # nothing at once for a digest reader
    result = runner.invoke(args=["mail", "digest"])
    assert "digests queued: 1" in result.output
    assert "digests queued: 0" in runner.invoke(args=["mail", "digest"]).output
    assert "sent 1," in send(runner)
    [body] = [b.replace("\r\n", "\n") for b in mailbox.bodies_to(town.resident.email)]
    project_part = body.index("Lights project\n- New update on “Lights project”: Poles are up")
    assert "- New milestone on “Lights project”: Lights on, due 1 May 2030." in body
    board_part = body.index(f"{town.board.name}\n- “{town.board.name}” will meet: "
                            "“Spring meeting”, 18:00 on 1 March 2030.")
    assert project_part < board_part
    assert mailbox.messages[0]["List-Unsubscribe"]
    assert db.session.scalar(select(func.count(DigestItem.id))) == 0


def test_follows_page_lists_and_stops(client, login, csrf, town):
    follow(client, login, csrf, town.resident, f"/projects/{town.project.id}",
           f"/follows/project/{town.project.id}")
    page = client.get("/follows/")
    assert page.status_code == 200 and b"Lights project" in page.data
    stopped = client.post(f"/follows/project/{town.project.id}/stop",
                          data={"csrf_token": csrf("/follows/"), "next": "/follows/"})
    assert stopped.status_code == 303 and stopped.headers["Location"].endswith("/follows/")
    assert b"You follow nothing yet" in client.get("/follows/").data
    refused = client.post("/follows/settings", data={"csrf_token": csrf("/follows/"),
                                                     "how": "hourly"}, follow_redirects=True)
    assert refused.status_code == 200 and db.session.get(FollowSettings,
                                                         town.resident.id).how == "now"


def test_emails_are_in_the_followers_language(app, client, login, csrf, town, mailbox, runner):
    login(town.resident)
    client.set_cookie("lang", "es")
    client.post(f"/follows/project/{town.project.id}",
                data={"csrf_token": csrf(f"/projects/{town.project.id}")})
    assert db.session.get(FollowSettings, town.resident.id).locale == "es"
    post_update(db.session.merge(town.staff), town.project, "Poles are up", "All twelve.")
    db.session.commit()
    send(runner)
    [message] = mailbox.messages
    assert message["Subject"] == "Novedades de «Lights project»"
    assert "Dejar de seguirlo" in message.get_body(("plain",)).get_content()


def test_the_worker_runs_after_each_request_in_development(app, client, login, csrf, town,
                                                           mailbox):
    app.config["MAIL_SEND_AFTER_REQUEST"] = True
    follow(client, login, csrf, town.resident, f"/projects/{town.project.id}",
           f"/follows/project/{town.project.id}")
    post_update(db.session.merge(town.staff), town.project, "Poles are up", "All twelve.")
    db.session.commit()
    client.get("/healthz").close()  # as the server does once the page has gone out
    assert len(mailbox.bodies_to(town.resident.email)) == 1


ODD = st.one_of(st.text(max_size=300), st.sampled_from([
    "", ".", "..", "a.b.c", "e30.e30.e30", "x" * 5000, "%00", "eyJ1IjoxfQ.aaaa.bbbb"]))


@pytest.fixture()
def followed(town):
    db.session.add(Follow(user_id=town.resident.id, kind="project", thing_id=town.project.id))
    db.session.commit()
    return town


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(token=ODD)
def test_odd_unsubscribe_links_say_so_and_change_nothing(app, followed, token):
    from urllib.parse import quote

    client = app.test_client()
    path = "/follows/unsubscribe/" + quote(token, safe="")
    for answer in (client.get(path), client.post(path)):
        # 400 with the reason: this page's, or the site's for text no form may hold
        assert answer.status_code in (400, 404), answer.status_code
    assert db.session.scalar(select(func.count(Follow.id))) == 1


def test_forged_expired_and_other_purpose_links_change_nothing(app, town, monkeypatch):
    from itsdangerous import URLSafeTimedSerializer

    from pbapp.auth.verification import make_token as verify_token

    db.session.add(Follow(user_id=town.resident.id, kind="project", thing_id=town.project.id))
    db.session.commit()
    client = app.test_client()
    forged = URLSafeTimedSerializer("not-the-key", salt="unsubscribe").dumps(
        {"u": town.resident.id})
    odd_payloads = [unsubscribe.make(unsubscribe.SALT, p) for p in (
        {"u": "1"}, {"u": True}, {"u": 1, "k": "spaceship", "t": 1}, {"u": 1, "k": "project"},
        {"u": 1, "t": 1.5, "k": "project"})]
    for token in [forged, verify_token(town.resident), *odd_payloads]:
        answer = client.post(f"/follows/unsubscribe/{token}")
        assert answer.status_code == 400 and b"not valid" in answer.data
    monkeypatch.setattr(unsubscribe, "LINK_MAX_AGE", -1)
    answer = client.post(f"/follows/unsubscribe/{unsubscribe.make_token(town.resident.id)}")
    assert answer.status_code == 400 and b"more than a year old" in answer.data
    assert db.session.scalar(select(func.count(Follow.id))) == 1
