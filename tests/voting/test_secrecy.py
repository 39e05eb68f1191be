"""No column, log line or export links a ballot to the voter who cast it."""
import logging
import re

from sqlalchemy import inspect, select

from pbapp.extensions import db
from pbapp.voting.models import Ballot, Participation

UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_ballot_and_participation_share_nothing_but_the_cycle(app):
    ballot = {c["name"] for c in inspect(db.engine).get_columns("ballot")}
    participation = {c["name"] for c in inspect(db.engine).get_columns("participation")}
    assert ballot & participation == {"id", "cycle_id", "channel"}
    assert "voter_key" not in ballot and not {"ballot_id", "receipt_hash"} & participation
    ballot_fks = {fk["referred_table"] for fk in inspect(db.engine).get_foreign_keys("ballot")}
    # a paper ballot names where it was cast (issue 19), which the participation row never does
    assert ballot_fks == {"cycle", "polling_place"}
    assert not {"polling_place_id", "batch_id"} & participation
    # a ballot carries its day only, never a time that could be matched to voted_at
    assert str(Ballot.__table__.c.cast_on.type) == "DATE"


def test_casting_logs_nothing_that_names_the_ballot(client, login, make_user, make_cycle,
                                                    make_proposal, csrf, caplog):
    cycle = make_cycle(slug="autumn", phase="voting", max_ranks=2)
    props = [make_proposal(cycle, t) for t in ("Lights", "Youth")]
    user = login(make_user("resident", email="rosa@example.org"))
    caplog.set_level(logging.DEBUG)
    resp = client.post("/vote/autumn/cast", data={"csrf_token": csrf("/vote/autumn"),
                                                   "rank_1": str(props[1].id)})
    assert resp.status_code == 303
    receipt = client.get("/vote/autumn/receipt").data
    code = re.search(rb"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){3}", receipt).group(0).decode()
    ballot = db.session.scalar(select(Ballot))
    participation = db.session.scalar(select(Participation))
    logged = caplog.text
    for secret in (ballot.id, code, participation.voter_key, user.email):
        assert secret not in logged


def test_downloads_name_no_voter_and_no_ballot(client, runner):
    assert runner.invoke(args=["demo", "--ballots", "200"]).exit_code == 0
    keys = set(db.session.scalars(select(Participation.voter_key)))
    for fmt in ("csv", "blt", "pb"):
        body = client.get(f"/cycles/2026-spring/results/ballots.{fmt}").data
        assert not UUID.search(body), fmt  # no ballot ids
        assert not any(k.encode() in body for k in keys), fmt
