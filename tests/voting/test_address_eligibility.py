"""A cycle that requires an address: the account voter gives one found in the cycle's register
(spelt their own way) before the ballot; a refusal says why and suggests close addresses; the
participation row keeps only the neighbourhood, the ballot nothing; and giving another address
never buys a second ballot, while two people at one address each vote."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from pbapp.addresses.models import RegisterAddress
from pbapp.addresses.register import import_register
from pbapp.cycles.models import Neighbourhood
from pbapp.extensions import db
from pbapp.voting.address_step import ADDRESS_SESSION
from pbapp.voting.models import Ballot, Participation
from tests.conftest import csrf_token

pytestmark = pytest.mark.usefixtures("fresh_limits")

REGISTER = (b"address,postcode,neighbourhood\n12 High Street,AB1 2CD,riverside\n"
            b"14 High Street,AB1 2CD,riverside\n3 Mill Road,ZZ9 9ZZ,hillside\n")


@pytest.fixture()
def cycle(app, make_cycle, make_proposal):
    riverside = Neighbourhood(slug="riverside", name="Riverside")
    db.session.add_all([riverside, Neighbourhood(slug="hillside", name="Hillside")])
    db.session.commit()
    cycle = make_cycle(slug="autumn", name="Autumn budget", phase="voting", require_address=True,
                       vote_by_code=False, voting_closes=datetime(2027, 3, 15, tzinfo=timezone.utc))
    cycle.neighbourhoods = [riverside]
    import_register(cycle, REGISTER, None)
    make_proposal(cycle, "Street lights")
    db.session.commit()
    return cycle


def _counts():
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Ballot)),
            db.session.scalar(select(func.count()).select_from(Participation)))


def _give(client, csrf, address, postcode):
    token = csrf("/vote/autumn/address")
    return client.post("/vote/autumn/address", data={"csrf_token": token, "address": address,
                                                     "postcode": postcode})


def _cast(client, csrf, cycle):
    from pbapp.proposals.models import Proposal

    proposal = db.session.scalar(select(Proposal.id).where(Proposal.cycle_id == cycle.id))
    page = client.get("/vote/autumn")
    token = csrf("/vote/autumn") if page.status_code == 200 else "x"
    return client.post("/vote/autumn/cast", data={"csrf_token": token, "rank_1": str(proposal)})


def test_the_ballot_waits_for_an_address_and_casting_without_one_writes_nothing(
        client, login, make_user, cycle, csrf):
    login(make_user())
    page = client.get("/vote/autumn")
    assert page.status_code == 303 and page.location.endswith("/vote/autumn/address")
    token = csrf("/vote/autumn/address")
    sneaked = client.post("/vote/autumn/cast", data={"csrf_token": token, "rank_1": "1"})
    assert sneaked.status_code == 303 and sneaked.location.endswith("/vote/autumn/address")
    assert _counts() == (0, 0)
    assert "14 High Street" not in client.get("/vote/autumn/address").get_data(as_text=True)


def test_an_address_spelt_another_way_opens_the_ballot_and_only_its_neighbourhood_is_kept(
        client, login, make_user, cycle, csrf):
    login(make_user())
    answer = _give(client, csrf, "12 high st.", "ab12cd")
    assert answer.status_code == 303 and answer.location.endswith("/vote/autumn")
    cast = _cast(client, csrf, cycle)
    assert cast.status_code == 303, cast.get_data(as_text=True)[:2000]
    participation = db.session.scalar(select(Participation))
    riverside = db.session.scalar(select(Neighbourhood.id).where(Neighbourhood.slug == "riverside"))
    assert participation.neighbourhood_id == riverside
    ballot = db.session.scalar(select(Ballot))
    assert "High" not in repr(ballot.ranking) and not hasattr(ballot, "address")


def test_refusals_say_why_with_suggestions(client, login, make_user, cycle, csrf):
    login(make_user())
    close = _give(client, csrf, "12 Hihg Street", "AB1 2CD").get_data(as_text=True)
    assert "could not find that address at the postcode AB1 2CD" in close
    assert "12 High Street, AB1 2CD" in close and "did you mean" in close
    elsewhere = _give(client, csrf, "12 High Street", "QQ1 1QQ").get_data(as_text=True)
    assert "No address with the postcode QQ1 1QQ" in elsewhere
    assert "12 High Street, AB1 2CD" in elsewhere  # the same address under its own postcode
    outside = _give(client, csrf, "3 Mill Rd", "ZZ9 9ZZ").get_data(as_text=True)
    assert "That address is in Hillside, and this cycle is for residents of Riverside" in outside
    for hostile in ("\x00", "²", "٥ High Street", "x" * 5000):
        page = _give(client, csrf, hostile, "AB1 2CD")
        assert page.status_code in (200, 400)
    assert _counts() == (0, 0)
    with client.session_transaction() as session:
        assert ADDRESS_SESSION not in session


def test_a_second_address_does_not_buy_a_second_ballot(client, login, make_user, cycle, csrf):
    login(make_user())
    _give(client, csrf, "12 High Street", "AB1 2CD")
    assert _cast(client, csrf, cycle).status_code == 303
    _give(client, csrf, "14 High Street", "AB1 2CD")
    _cast(client, csrf, cycle)
    assert _counts() == (1, 1)


def test_two_people_at_one_address_each_vote(app, make_user, cycle, csrf, login):
    for n in range(2):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = make_user().get_id()
        token = lambda url, c=client: csrf_token(c, url)  # noqa: E731
        _give(client, token, "12 High St", "AB1 2CD")
        assert _cast(client, token, cycle).status_code == 303
    assert _counts() == (2, 2)


def test_an_address_held_for_another_cycle_or_account_does_not_count(
        client, login, make_user, make_cycle, cycle, csrf):
    other = make_cycle(slug="other", phase="voting", require_address=True)
    import_register(other, REGISTER, None)
    db.session.commit()
    other_row = db.session.scalar(select(func.max(RegisterAddress.id))
                                  .where(RegisterAddress.cycle_id == other.id))
    me = login(make_user())
    with client.session_transaction() as session:
        session[ADDRESS_SESSION] = {"cycle": "autumn", "user": me.id, "address": other_row}
    assert client.get("/vote/autumn").status_code == 303
    with client.session_transaction() as session:
        session[ADDRESS_SESSION] = {"cycle": "autumn", "user": me.id + 1, "address": 1}
    assert client.get("/vote/autumn").status_code == 303


def test_guessing_addresses_is_throttled_per_account_and_per_network_address(
        app, client, login, make_user, cycle, csrf):
    """Each refusal may suggest close addresses, so refusals are counted: past the account's
    allowance even a right address is turned away (429, nothing held, nothing written), while
    matches never count and another account still gets in, until the network's allowance is
    spent too."""
    app.config.update(ADDRESS_FAILURES_PER_ACCOUNT="3 per hour",
                      ADDRESS_FAILURES_PER_ADDRESS="5 per hour")
    login(make_user())
    for _ in range(3):
        assert _give(client, csrf, "12 High Street", "AB1 2CD").status_code == 303  # no count
    for n in range(3):
        page = _give(client, csrf, f"{n + 20} High Street", "AB1 2CD")
        assert page.status_code == 200 and "could not find" in page.get_data(as_text=True)
    with client.session_transaction() as session:
        session.pop(ADDRESS_SESSION, None)
    stopped = _give(client, csrf, "12 High Street", "AB1 2CD")
    assert stopped.status_code == 429 and "12 High Street" not in stopped.get_data(as_text=True)
    with client.session_transaction() as session:
        assert ADDRESS_SESSION not in session
    assert client.get("/vote/autumn").status_code == 303  # still sent to the address step
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = make_user().get_id()
    token = lambda url: csrf_token(other, url)  # noqa: E731
    for n in range(2):  # the network's last two refusals
        assert _give(other, token, f"{n + 30} High Street", "AB1 2CD").status_code == 200
    assert _give(other, token, "12 High Street", "AB1 2CD").status_code == 429
    assert _counts() == (0, 0)


def test_spanish_address_page(client, login, make_user, cycle):
    login(make_user())
    client.set_cookie("lang", "es")
    page = client.get("/vote/autumn/address", headers={"Accept-Language": "es"})
    assert "Su dirección" in page.get_data(as_text=True)


def test_a_cycle_without_the_option_has_no_address_step(client, login, make_user, make_cycle):
    make_cycle(slug="plain", phase="voting")
    login(make_user())
    assert client.get("/vote/plain/address").status_code == 404
