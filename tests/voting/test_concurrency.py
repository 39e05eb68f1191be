"""Fifty simultaneous casts for one account or one code: exactly one ballot, no server error.

Each request runs in its own thread with its own app context, session and database connection,
as under a multi-threaded server; a barrier releases them together.
"""
import re
import threading

import pytest
from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.voting.models import Ballot, Participation

N = 50
TOKEN = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture()
def open_cycle(make_cycle, make_proposal):
    cycle = make_cycle(slug="autumn", phase="voting", max_ranks=2)
    props = [make_proposal(cycle, t, cost=100) for t in ("Lights", "Youth centre")]
    return cycle, props


def token(client, url) -> str:
    return TOKEN.search(client.get(url).data).group(1).decode()


def burst(requests) -> list[int | str]:
    """Run the prepared calls at the same moment; a status code or the exception per call."""
    barrier = threading.Barrier(len(requests))
    out: list = [None] * len(requests)

    def run(i, call):
        barrier.wait()
        try:
            resp = call()
            out[i] = (resp.status_code, resp.data)
        except Exception as exc:  # noqa: BLE001  (reported, so the test fails with it)
            out[i] = repr(exc)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def one_ballot_rest_refused(results, refusal: bytes):
    assert all(isinstance(r, tuple) for r in results), [r for r in results if isinstance(r, str)]
    statuses = [status for status, _ in results]
    assert statuses.count(303) == 1, statuses
    refused = [body for status, body in results if status != 303]
    assert all(status == 200 for status in statuses if status != 303), statuses
    assert all(refusal in body for body in refused)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 1


def test_fifty_casts_from_one_account(app, make_user, open_cycle):
    _, props = open_cycle
    user = make_user("resident")
    calls = []
    for _ in range(N):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
        form = {"csrf_token": token(client, "/vote/autumn"), "rank_1": str(props[0].id),
                "rank_2": str(props[1].id)}
        calls.append(lambda c=client, f=form: c.post("/vote/autumn/cast", data=f))
    one_ballot_rest_refused(burst(calls), b"already")


def test_fifty_casts_with_one_code(app, runner, tmp_path, open_cycle):
    cycle, props = open_cycle
    cycle.vote_by_account = False  # anonymous codes only where accounts do not vote
    db.session.commit()
    out = tmp_path / "codes.csv"
    assert runner.invoke(args=["codes", "generate", "--cycle", "autumn", "--count", "1",
                               "--out", str(out)]).exit_code == 0
    code = out.read_text().splitlines()[1]
    calls = []
    for _ in range(N):
        client = app.test_client()
        entered = client.post("/vote/autumn/code", data={
            "csrf_token": token(client, "/vote/autumn/code"), "code": code})
        assert entered.status_code == 303
        form = {"csrf_token": token(client, "/vote/autumn/code/ballot"),
                "rank_1": str(props[1].id)}
        calls.append(lambda c=client, f=form: c.post("/vote/autumn/code/cast", data=f))
    one_ballot_rest_refused(burst(calls), b"already")
