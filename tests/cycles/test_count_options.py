"""A cycle's counting settings reach the count: seats, minimum points, completion."""
from sqlalchemy import func, select

from pbapp.cycles.models import Cycle, Result
from pbapp.cycles.services import count_cycle
from pbapp.extensions import db
from pbapp.voting.services import cast_ballot, voter_key

from test_count import run_count, voted  # noqa: F401  (the shared fixture)


def test_stv_elects_as_many_as_the_cycle_has_seats(client, csrf, staff, voted):  # noqa: F811
    cycle, props = voted
    cycle.method, cycle.seats = "stv", 2
    db.session.commit()
    assert run_count(client, csrf).status_code == 303
    result = db.session.scalar(select(Result))
    assert set(result.data["winners"]) == {str(props["lights"].id), str(props["youth"].id)}
    assert result.data["options"]["seats"] == 2


def test_minimum_points_leave_weak_proposals_unfunded(client, csrf, staff, voted):  # noqa: F811
    cycle, props = voted
    cycle.method, cycle.threshold = "greedy-threshold", 11  # k-points, k = 3: youth 17, lights 10
    db.session.commit()
    assert run_count(client, csrf).status_code == 303
    data = db.session.scalar(select(Result)).data
    assert data["winners"] == [str(props["youth"].id)]
    reasons = {p["id"]: p["reason"] for p in data["projects"]}
    assert reasons[str(props["lights"].id)] == "below threshold"


def test_equal_shares_uses_the_cycles_completion(app, make_cycle, make_proposal, make_user):
    cycle = make_cycle(phase="voting", method="equal-shares", budget=1000, max_ranks=2,
                       completion="add1")
    a, b = make_proposal(cycle, "A", cost=400), make_proposal(cycle, "B", cost=500)
    for i in range(4):
        cast_ballot(cycle, voter_key("t", i), "online", [a.id, b.id] if i % 2 else [b.id])
    cycle.phase = "counting"
    db.session.commit()
    result = count_cycle(cycle, make_user("staff"))
    # B alone at the equal share (250 each); raising the shares lets A's backers afford it too
    assert result.data["options"]["completion"] == "add1"
    assert result.data["winners"] == [str(b.id), str(a.id)] and result.data["spent"] == 900
    cycle.completion = None
    assert count_cycle(cycle, make_user("staff")).data["winners"] == [str(b.id)]


def test_greedy_threshold_without_a_minimum_is_refused(client, csrf, staff):
    url = "/cycles/manage/new"
    resp = client.post(url, data={
        "csrf_token": csrf(url), "name": "T", "slug": "t", "budget": "100", "max_ranks": "3",
        "method": "greedy-threshold", "seats": "1", "scoring": "k-points", "completion": "",
        "threshold": ""})
    assert resp.status_code == 200 and b"needs a minimum score" in resp.data
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 0
