"""A resident ranks, reviews and casts one ballot without JavaScript; refusals write nothing."""
import re

import pytest
from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.voting.models import Ballot, Participation
from pbapp.voting.services import voter_key
from tests.conftest import main_of


@pytest.fixture()
def open_cycle(make_cycle, make_proposal):
    """A cycle in voting (max 3 ranks) with three proposals on the ballot and one rejected."""
    cycle = make_cycle(slug="autumn", name="Autumn budget", phase="voting", max_ranks=3)
    props = [make_proposal(cycle, title, cost=cost) for title, cost in
             (("Street lights", 600), ("Youth centre", 300), ("Community garden", 500))]
    rejected = make_proposal(cycle, "Rejected idea", status="rejected")
    return cycle, props, rejected


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Ballot)),
            db.session.scalar(select(func.count()).select_from(Participation)))


def ranks(*ids) -> dict[str, str]:
    return {f"rank_{n}": str(i) for n, i in enumerate(ids, start=1)}


def test_rank_review_cast_receipt_and_track(client, csrf, resident, open_cycle):
    cycle, (lights, youth, garden), _ = open_cycle
    page = client.get("/vote/autumn")
    assert page.status_code == 200
    assert b"A ballot is final" in page.data
    assert main_of(page.data).count(b'value="add:') == 3 and b"<select" not in main_of(page.data)
    assert b"Youth centre</a>" in page.data and b"Rejected idea" not in page.data
    token = csrf("/vote/autumn")

    review = client.post("/vote/autumn/review",
                         data={"csrf_token": token, **ranks(youth.id, lights.id), "rank_3": ""},
                             follow_redirects=True)
    assert review.status_code == 200
    text = review.get_data(as_text=True)
    assert "Your 1st choice is <strong>Youth centre</strong>" in text
    assert "Your 2nd choice is <strong>Street lights</strong>" in text
    assert "Cast my ballot" in text and "Go back and change my choices" in text
    assert f'name="rank_1" value="{youth.id}"' in text
    assert review.headers["Cache-Control"] == "no-store"
    assert counts() == (0, 0)

    change = client.post("/vote/autumn", data={"csrf_token": token, **ranks(youth.id, lights.id)},
        follow_redirects=True)
    assert change.status_code == 200
    assert (f'<input type="hidden" name="rank_1" value="{youth.id}">'
            in change.get_data(as_text=True))
    assert counts() == (0, 0)

    cast = client.post("/vote/autumn/cast",
                       data={"csrf_token": token, **ranks(youth.id, lights.id)})
    assert cast.status_code == 303 and cast.headers["Location"].endswith("/vote/autumn/receipt")
    ballot = db.session.scalar(select(Ballot))
    participation = db.session.scalar(select(Participation))
    assert ballot.ranking == [youth.id, lights.id] and ballot.channel == "online"
    assert participation.voter_key == voter_key("user", resident.id)
    assert participation.channel == "online"

    receipt = client.get("/vote/autumn/receipt")
    assert receipt.headers["Cache-Control"] == "no-store"
    code = re.search(r'id="receipt-code">([A-Z0-9-]+)<', receipt.get_data(as_text=True)).group(1)
    assert b"shown only once" in receipt.data
    assert code.encode() not in client.get("/vote/autumn/receipt").data

    after = client.get("/vote/autumn")
    assert b"already voted" in after.data and b'id="ballot-form"' not in main_of(after.data)

    found = client.get("/vote/tracker", query_string={"cycle": "autumn", "code": code})
    # recorded, not yet counted: voting is still open (issue 23)
    assert found.status_code == 200 and b"Recorded." in found.data and b"Counted." not in found.data
    assert b"will be counted with every other ballot once voting closes" in found.data
    loose = client.get("/vote/tracker", query_string={"cycle": "autumn",
                                                      "code": " " + code.lower().replace("-", " ")})
    assert b"Recorded." in loose.data
    wrong = client.get("/vote/tracker", query_string={"cycle": "autumn", "code": "AAAA-BBBB"})
    assert b"Not found." in wrong.data and b"Recorded." not in wrong.data
    for resp in (found, wrong):
        for title in (b"Street lights", b"Youth centre", b"Community garden"):
            assert title not in resp.data


def test_tracker_works_signed_out_and_only_for_public_cycles(client, make_cycle):
    make_cycle(slug="hidden", phase="draft")
    make_cycle(slug="later", phase="proposals")
    make_cycle(slug="done", phase="closed", name="Done cycle")
    page = client.get("/vote/tracker")
    assert page.status_code == 200
    assert b"Done cycle" in page.data and b"hidden" not in main_of(page.data) and b"later" not in page.data
    resp = client.get("/vote/tracker", query_string={"cycle": "hidden", "code": "AAAA"})
    assert b"Counted." not in resp.data and b"Not found." not in resp.data
    assert b"Not a valid choice" in resp.data


def test_a_second_ballot_is_refused(client, csrf, resident, open_cycle):
    cycle, (lights, youth, garden), _ = open_cycle
    token = csrf("/vote/autumn")
    first = client.post("/vote/autumn/cast", data={"csrf_token": token, **ranks(lights.id)})
    assert first.status_code == 303
    second = client.post("/vote/autumn/cast",
                         data={"csrf_token": token, **ranks(garden.id, youth.id)})
    assert second.status_code == 200
    assert b"Your ballot was not recorded" in second.data
    assert b"already been cast" in second.data
    assert counts() == (1, 1)
    assert db.session.scalar(select(Ballot.ranking)) == [lights.id]
    review = client.post("/vote/autumn/review", data={"csrf_token": token, **ranks(garden.id)},
        follow_redirects=True)
    assert b"already voted" in review.data and b"Cast my ballot" not in review.data


REFUSALS = {
    "repeat": (lambda p, other, rej: ranks(p[0].id, p[0].id), b"ranked only once"),
    "gap": (lambda p, other, rej: {"rank_1": "", "rank_2": str(p[0].id)},
            b"Choice 1 is empty but choice 2 is filled"),
    "too many": (lambda p, other, rej: ranks(p[0].id, p[1].id, p[2].id, rej.id),
                 b"at most 3 proposals"),
    "unknown": (lambda p, other, rej: ranks(999_999), b"not on this ballot"),
    "not a number": (lambda p, other, rej: {"rank_1": "lights"}, b"not on this ballot"),
    "rejected proposal": (lambda p, other, rej: ranks(rej.id), b"not on this ballot"),
    "other cycle": (lambda p, other, rej: ranks(other.id), b"not on this ballot"),
    "empty": (lambda p, other, rej: {"rank_1": "", "rank_2": ""}, b"Rank at least one"),
    "rank zero": (lambda p, other, rej: {"rank_0": str(p[0].id)}, b"not understood"),
}


@pytest.mark.parametrize("endpoint", ["review", "cast"])
@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_ballots_write_nothing_and_say_why(client, csrf, resident, open_cycle,
                                                   make_cycle, make_proposal, endpoint, case):
    cycle, props, rejected = open_cycle
    other = make_proposal(make_cycle(slug="elsewhere", phase="voting"), "Elsewhere")
    build, message = REFUSALS[case]
    token = csrf("/vote/autumn")
    resp = client.post(f"/vote/autumn/{endpoint}", data={"csrf_token": token,
                                                         **build(props, other, rejected)},
                                                             follow_redirects=True)
    assert resp.status_code == 200
    said = b"Your ballot was not recorded" if endpoint == "cast" else b"Your ballot is not cast yet"
    assert said in resp.data and message in resp.data
    assert endpoint == "cast" or b"not recorded" not in resp.data  # nothing was being recorded
    assert b'id="ballot-form"' in main_of(resp.data)  # the ballot again, to correct
    assert counts() == (0, 0)


def test_closed_cycle_refuses_ballots(client, csrf, resident, open_cycle):
    cycle, (lights, *_), _ = open_cycle
    token = csrf("/vote/autumn")
    cycle.phase = "counting"
    db.session.commit()
    page = client.get("/vote/autumn")
    assert b"Voting is not open" in page.data and b'id="ballot-form"' not in main_of(page.data)
    for endpoint in ("review", "cast"):
        resp = client.post(f"/vote/autumn/{endpoint}",
                           data={"csrf_token": token, **ranks(lights.id)}, follow_redirects=True)
        assert resp.status_code == 200 and b"Voting is not open" in resp.data
    assert counts() == (0, 0)


def test_missing_csrf_unknown_and_draft_cycles(client, csrf, resident, open_cycle, make_cycle):
    cycle, (lights, *_), _ = open_cycle
    assert client.post("/vote/autumn/cast", data=ranks(lights.id)).status_code == 400
    assert client.post("/vote/autumn/cast",
                       data={"csrf_token": "forged", **ranks(lights.id)}).status_code == 400
    assert counts() == (0, 0)
    token = csrf("/vote/autumn")
    make_cycle(slug="secret", phase="draft")
    for slug in ("nope", "secret"):
        assert client.get(f"/vote/{slug}").status_code == 404
        assert client.post(f"/vote/{slug}/cast",
                           data={"csrf_token": token, **ranks(lights.id)}).status_code == 404
    assert counts() == (0, 0)


def test_signed_out_visitors_must_sign_in_to_vote(client, app, open_cycle):
    assert client.get("/vote/autumn").status_code == 302
    assert counts() == (0, 0)


def test_cycle_page_links_to_the_ballot_while_voting(client, open_cycle):
    page = client.get("/cycles/autumn")
    assert b'href="/vote/autumn"' in page.data


def test_concurrent_double_submission_records_one_ballot(app, client, csrf, resident, open_cycle):
    """Two tabs press "Cast my ballot" at once: the unique constraint lets exactly one through."""
    import threading

    cycle, (lights, youth, _), _ = open_cycle
    token = csrf("/vote/autumn")
    with client.session_transaction() as session:
        cookie_session = dict(session)
    other = app.test_client()
    with other.session_transaction() as session:
        session.update(cookie_session)
    barrier = threading.Barrier(2)
    statuses = []

    def press(browser, proposal_id):  # plain ids: ORM objects belong to this thread's session
        barrier.wait()
        resp = browser.post("/vote/autumn/cast", data={"csrf_token": token, **ranks(proposal_id)})
        statuses.append(resp.status_code)

    threads = [threading.Thread(target=press, args=(browser, proposal_id))
               for browser, proposal_id in ((client, lights.id), (other, youth.id))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert sorted(statuses) == [200, 303]
    assert counts() == (1, 1)
