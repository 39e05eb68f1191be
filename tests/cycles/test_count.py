"""Counting the ballots, reviewing the stored result and publishing it."""
import hashlib

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.cycles.models import Result
from pbapp.cycles.services import PhaseError, canonical_cvr, count_cycle, publish_result
from pbapp.extensions import db
from pbapp.voting.models import Ballot
from pbapp.voting.services import cast_ballot, voter_key


@pytest.fixture()
def voted(make_cycle, make_proposal):
    """A cycle in counting: budget 1000, four proposals, seven ballots."""
    cycle = make_cycle(phase="voting", max_ranks=3, budget=1000)
    lights = make_proposal(cycle, "Street lights", cost=600)
    youth = make_proposal(cycle, "Youth centre", cost=300)
    garden = make_proposal(cycle, "Community garden", cost=500)
    make_proposal(cycle, "Not on the ballot", cost=10, status="rejected")
    rankings = ([lights.id, youth.id],) * 3 + ([youth.id, garden.id],) * 3 + (
        [garden.id, youth.id, lights.id],)
    for i, ranking in enumerate(rankings):
        cast_ballot(cycle, voter_key("test", i), "online", list(ranking))
    cycle.phase = "counting"
    db.session.commit()
    return cycle, {"lights": lights, "youth": youth, "garden": garden}


def run_count(client, csrf, slug="spring"):
    url = f"/cycles/manage/{slug}"
    return client.post(f"{url}/count", data={"csrf_token": csrf(url)})


@pytest.mark.parametrize("method, funded, word, lost", [
    ("greedy", {"lights", "youth"}, b"was funded", b"was passed over"),
    ("irv", {"youth"}, b"was elected", b"had the fewest votes"),
])
def test_count_and_publish_fund_the_winners(client, csrf, staff, voted, method, funded, word,
                                            lost):
    cycle, props = voted
    cycle.method = method
    db.session.commit()

    resp = run_count(client, csrf)
    assert resp.status_code == 303
    result = db.session.scalar(select(Result))
    assert result.ballots == 7 and result.method == method and result.published_at is None
    ids = {str(props[k].id) for k in funded}
    assert set(result.data["winners"]) == ids
    assert result.data["names"][str(props["lights"].id)] == "Street lights"
    rankings = list(db.session.scalars(select(Ballot.ranking)))
    assert result.cvr_sha256 == hashlib.sha256(canonical_cvr(rankings).encode()).hexdigest()
    assert client.get("/cycles/spring/results").status_code == 404  # not published yet

    review = client.get(resp.headers["Location"])
    assert review.status_code == 200
    assert b"Round 1" in review.data and word in review.data and b"Youth centre" in review.data
    assert b"Not on the ballot" not in review.data

    url = resp.headers["Location"]
    published = client.post(f"{url}/publish", data={"csrf_token": csrf(url)})
    assert published.status_code == 303
    db.session.refresh(cycle)
    assert cycle.phase == "implementation" and result.published_at is not None
    for key, proposal in props.items():
        db.session.refresh(proposal)
        assert proposal.status == ("funded" if key in funded else "not_funded")
        assert proposal.history[-1].reason == "Result of the count."
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["cycle.count", "cycle.publish"]

    page = client.get("/cycles/spring/results")
    assert page.status_code == 200
    assert result.cvr_sha256.encode() in page.data
    assert word in page.data and lost in page.data
    for title in (b"Street lights", b"Youth centre", b"Community garden"):
        assert title in page.data
    assert b"Results, round by round" in client.get("/cycles/spring").data

    again = client.post(f"{url}/publish", data={"csrf_token": csrf(url)})
    assert again.status_code == 303
    assert b"counting phase" in client.get(again.headers["Location"]).data
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_counting_is_refused_outside_the_counting_phase(client, csrf, staff, voted):
    cycle, _ = voted
    cycle.phase = "voting"
    db.session.commit()
    resp = run_count(client, csrf)
    assert resp.status_code == 303
    assert b"Not counted" in client.get(resp.headers["Location"]).data
    assert db.session.scalar(select(func.count()).select_from(Result)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_publishing_is_refused_outside_the_counting_phase(app, staff, voted):
    cycle, _ = voted
    result = count_cycle(cycle, staff)
    db.session.commit()
    cycle.phase = "closed"
    with pytest.raises(PhaseError):
        publish_result(result, staff)
    db.session.rollback()
    assert result.published_at is None


def test_a_result_belongs_to_its_cycle(client, csrf, staff, voted, make_cycle):
    cycle, _ = voted
    result = count_cycle(cycle, staff)
    db.session.commit()
    make_cycle(slug="other", phase="counting")
    url = f"/cycles/manage/other/results/{result.id}"
    assert client.get(url).status_code == 404
    resp = client.post(f"{url}/publish", data={"csrf_token": csrf("/cycles/manage/other")})
    assert resp.status_code == 404
    db.session.refresh(result)
    assert result.published_at is None


def test_residents_cannot_count_review_or_publish(client, csrf, make_user, login, voted,
                                                  make_cycle):
    cycle, _ = voted
    result = count_cycle(cycle, None)
    db.session.commit()
    make_cycle(slug="open", phase="voting")
    login(make_user("resident"))
    token = csrf("/vote/open")
    url = f"/cycles/manage/spring/results/{result.id}"
    assert client.get(url).status_code == 403
    assert client.post(f"{url}/publish", data={"csrf_token": token}).status_code == 403
    assert client.post("/cycles/manage/spring/count", data={"csrf_token": token}).status_code == 403
    db.session.refresh(result)
    assert result.published_at is None
    assert db.session.scalar(select(func.count()).select_from(Result)) == 1
