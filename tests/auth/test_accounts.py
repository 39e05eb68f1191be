"""Looking after one's own account: password, details that decide eligibility, deletion.

Attacks guarded against (issue 23): a session left open used to take the account over (the
current password is asked, wrong guesses throttled); moving to another neighbourhood (or
changing a birth year) after voting to vote again elsewhere in the same voting; deleting the
account and signing up again with the same address to vote twice; a deleted account's id,
sessions or name living on.
"""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.auth import services
from pbapp.auth.models import User
from pbapp.cycles.models import Neighbourhood
from pbapp.extensions import db
from pbapp.models_base import utcnow
from pbapp.voting.identity import account_voter
from pbapp.voting.models import Participation
from tests.conftest import csrf_token

OLD = "pw-123456789"
NEW = "a brand new long password"

pytestmark = pytest.mark.usefixtures("fresh_limits")


def post(client, url: str, **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture()
def hoods(app):
    rows = [Neighbourhood(slug=s, name=s.title()) for s in ("east", "west")]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_change_password_asks_the_current_one_and_ends_other_sessions(app, client, login, rosa):
    login(rosa)
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = rosa.get_id()
    wrong = post(client, "/auth/password", current="not it at all", password=NEW, confirm=NEW)
    assert wrong.status_code == 200 and b"Your current password is not right" in wrong.data
    mismatch = post(client, "/auth/password", current=OLD, password=NEW, confirm=NEW + "x")
    assert b"The passwords do not match." in mismatch.data
    assert db.session.get(User, rosa.id).check_password(OLD) and not events("user.password")

    done = post(client, "/auth/password", current=OLD, password=NEW, confirm=NEW)
    assert done.status_code == 303
    assert client.get("/auth/account").status_code == 200  # this browser stays signed in
    assert other.get("/auth/account").status_code == 302
    assert db.session.get(User, rosa.id).check_password(NEW)
    [event] = events("user.password")
    assert event.detail == {"via": "account page"}


def test_wrong_current_passwords_are_throttled_per_account(client, login, rosa):
    login(rosa)
    for _ in range(5):
        assert post(client, "/auth/password", current="guess guess guess", password=NEW,
                    confirm=NEW).status_code == 200
    assert post(client, "/auth/password", current=OLD, password=NEW,
                confirm=NEW).status_code == 429
    assert db.session.get(User, rosa.id).check_password(OLD)


def test_details_are_saved_and_audited_without_their_values(client, login, rosa, hoods):
    login(rosa)
    page = client.get("/auth/account").get_data(as_text=True)
    assert "decide where you may vote" in page and "age-group statistics" not in page
    done = post(client, "/auth/account", name=" Rosa R. ", neighbourhood=str(hoods[0].id),
                birth_year="1990")
    assert done.status_code == 303
    user = db.session.get(User, rosa.id)
    assert (user.name, user.neighbourhood_id, user.birth_year) == ("Rosa R.", hoods[0].id, 1990)
    [event] = events("user.details")
    assert event.detail == {"changed": ["name", "neighbourhood", "birth_year"]}
    assert "1990" not in str(event.detail) and "Rosa" not in str(event.detail)


@pytest.mark.parametrize("field,value,message", [
    ("birth_year", "²", b"whole number"), ("birth_year", "1990\x00", None),
    ("birth_year", "99999999999999999999", b"Enter a year between"),
    ("birth_year", "1899", b"Enter a year between"), ("neighbourhood", "999999", b"Not a valid"),
    ("neighbourhood", "east", b"Invalid Choice"), ("name", "   ", b"Enter a name."),
    ("name", "x" * 121, b"120"),
])
def test_bad_details_change_nothing(client, login, rosa, hoods, field, value, message):
    login(rosa)
    data = {"name": "Rosa", "neighbourhood": "0", "birth_year": "", field: value}
    answer = post(client, "/auth/account", **data)
    if message is None:  # a NUL byte: the site refuses the whole request
        assert answer.status_code == 400
    else:
        assert answer.status_code == 200 and message in answer.data, re.findall(
            rb"<p class=\"error\"[^>]*>[^<]*", answer.data)
    user = db.session.get(User, rosa.id)
    assert (user.name, user.neighbourhood_id, user.birth_year) == ("Rosa Resident", None, None)
    assert not events("user.details")


def voted(cycle, user) -> None:
    db.session.add(Participation(cycle_id=cycle.id, voter_key=account_voter(cycle, user).key,
                                 channel="online", voted_at=utcnow()))
    db.session.commit()


def test_no_move_to_another_neighbourhood_while_voting_one_took_part_in_is_open(
        client, login, make_user, make_cycle, hoods):
    east, west = hoods
    ana = login(make_user(name="Ana", neighbourhood_id=east.id, birth_year=2000))
    now = utcnow()
    east_cycle = make_cycle(slug="east-vote", phase="voting", voting_opens=now - timedelta(days=2))
    east_cycle.neighbourhoods.append(east)
    west_cycle = make_cycle(slug="west-vote", phase="voting", voting_opens=now - timedelta(days=1))
    west_cycle.neighbourhoods.append(west)
    db.session.commit()
    voted(east_cycle, ana)

    # a move, an age change, and a move in two steps (clear it, then fill it in again)
    for data in ({"neighbourhood": str(west.id), "birth_year": "2000"},
                 {"neighbourhood": str(east.id), "birth_year": "1960"},
                 {"neighbourhood": "0", "birth_year": "2000"},
                 {"neighbourhood": str(east.id), "birth_year": ""}):
        refused = post(client, "/auth/account", name="Ana", **data)
        assert refused.status_code == 200
        assert b"stay as they were until its voting closes" in refused.data
    user = db.session.get(User, ana.id)
    assert (user.neighbourhood_id, user.birth_year) == (east.id, 2000)
    assert not events("user.details")
    # a name is not about eligibility
    assert post(client, "/auth/account", name="Ana B", neighbourhood=str(east.id),
                birth_year="2000").status_code == 303

    # the east voting closes while the west one, open at the same time, goes on: still no move
    east_cycle.phase, east_cycle.voting_closes = "counting", now - timedelta(hours=1)
    db.session.commit()
    assert post(client, "/auth/account", name="Ana B", neighbourhood=str(west.id),
                birth_year="2000").status_code == 200
    # once no open voting overlaps the one she took part in, she may move
    west_cycle.phase = "counting"
    db.session.commit()
    assert post(client, "/auth/account", name="Ana B", neighbourhood=str(west.id),
                birth_year="2000").status_code == 303
    assert db.session.get(User, ana.id).neighbourhood_id == west.id


def test_filling_in_a_blank_detail_is_allowed_during_voting(client, login, rosa, make_cycle,
                                                            hoods):
    login(rosa)
    cycle = make_cycle(slug="citywide", phase="voting", voting_opens=utcnow())
    voted(cycle, rosa)
    assert post(client, "/auth/account", name="Rosa Resident", neighbourhood=str(hoods[0].id),
                birth_year="1980").status_code == 303
    assert db.session.get(User, rosa.id).birth_year == 1980


def test_delete_account_keeps_the_ballot_once_and_erases_the_person(
        app, client, login, make_user, make_cycle, hoods):
    from pbapp.boards.models import Board, Membership
    from pbapp.proposals.models import Proposal

    board = Board(slug="east", name="East board")
    rosa = login(make_user(email="rosa@example.org", name="Rosa Resident",
                           neighbourhood_id=hoods[0].id, birth_year=1980))
    cycle = make_cycle(slug="citywide", phase="voting", voting_opens=utcnow())
    voted(cycle, rosa)
    seat = Membership(board=board, user_id=rosa.id, seat="resident",
                      term_start=utcnow().date() - timedelta(days=30))
    proposal = Proposal(cycle=cycle, board=board, author_id=rosa.id, title="Benches",
                        summary="Seats", cost_cents=100, status="accepted")
    db.session.add_all([seat, proposal])
    db.session.commit()
    before = db.session.scalars(select(Participation)).one()
    key, hood, band = before.voter_key, before.neighbourhood_id, before.age_band

    wrong = post(client, "/auth/account/delete", password="not my password")
    assert wrong.status_code == 200 and b"was not deleted" in wrong.data
    assert db.session.get(User, rosa.id).deleted_at is None

    done = post(client, "/auth/account/delete", password=OLD)
    assert done.status_code == 303 and client.get("/auth/account").status_code == 302
    gone = db.session.get(User, rosa.id)
    assert gone.deleted_at is not None and str(gone.name) == "deleted account"
    assert "rosa" not in gone.email and gone.stored_name == "" and gone.birth_year is None
    assert db.session.get(Membership, seat.id).has_ended()
    assert db.session.get(Proposal, proposal.id).author.name == "deleted account"
    after = db.session.scalars(select(Participation)).one()
    assert (after.voter_key, after.neighbourhood_id, after.age_band) == (key, hood, band)
    [event] = events("user.delete")
    assert "rosa" not in str(event.detail).lower() and event.target == f"user:{rosa.id}"
    assert services.authenticate("rosa@example.org", OLD) is None
    stolen = app.test_client()
    with stolen.session_transaction() as session:
        session["_user_id"] = f"{rosa.id}.{rosa.session_version}"
    assert stolen.get("/auth/account").status_code == 302

    # signing up again with the same address: a new account, but the same voter
    again = services.register_user(email="ROSA@example.org", password=NEW, name="Rosa Again")
    again.email_verified_at = utcnow()
    db.session.commit()
    assert again.id != rosa.id and account_voter(cycle, again).key == key
    # and deleting that one too, then a third: still the same voter
    login(again)
    assert post(client, "/auth/account/delete", password=NEW).status_code == 303
    third = services.register_user(email="rosa@example.org", password=NEW, name="Rosa 3")
    db.session.commit()
    assert account_voter(cycle, third).key == key
    assert db.session.scalar(select(func.count()).select_from(User)) == 3


def test_the_only_admin_cannot_delete_their_account(client, login, make_user):
    admin = login(make_user("admin"))
    answer = post(client, "/auth/account/delete", password=OLD)
    assert answer.status_code == 200 and b"only administrator" in answer.data
    assert db.session.get(User, admin.id).deleted_at is None and not events("user.delete")


def test_the_sign_in_redirect_says_sign_in_in_both_languages(client):
    page = client.get("/auth/account", follow_redirects=True)
    assert b"Sign in to see this page." in page.data and b"Please log in" not in page.data
    spanish = client.get("/auth/password?lang=es", follow_redirects=True,
                         headers={"Accept-Language": "es"})
    assert "Inicia sesión para ver esta página.".encode() in spanish.data
