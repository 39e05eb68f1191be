"""The online rules hold on paper: one vote per voter across channels, valid rankings, voting
open, staff only, CSRF; and once committed, nothing links a ballot to its voter."""
import html

import pytest
from sqlalchemy import select, text

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.paper.models import PaperBatch, PaperEntry
from pbapp.voting.codes import code_hash, normalise
from pbapp.voting.models import Ballot, Participation
from pbapp.voting.services import cast_ballot, voter_key

from paper_helpers import count


def entered_batch(paper, alice, bob, rows):
    """A batch both rounds typed alike and compared, ready to commit."""
    _, batch = paper.as_(alice).start()
    for user, rnd in ((alice, 1), (bob, 2)):
        paper.as_(user)
        for serial, ranking, voter in rows:
            assert paper.enter(batch, rnd, serial, ranking, **voter).status_code == 303
    paper.action(batch, "compare")
    assert batch.status == "reconciled"
    return batch


def test_voters_who_voted_online_meanwhile_are_refused_and_nothing_is_written(
        paper, open_cycle, codes, alice, bob, make_user):
    cycle, (lights, youth, garden) = open_cycle
    rosa = make_user("resident", email="rosa@example.org")
    batch = entered_batch(paper, alice, bob, [("1", [lights], {"code": codes[0]}),
                                              ("2", [youth], {"code": codes[1]}),
                                              ("3", [garden], {"roll": "rosa@example.org"})])
    cast_ballot(cycle, voter_key("code", code_hash(codes[0])), "code", [garden])
    cast_ballot(cycle, voter_key("user", rosa.id), "online", [youth])
    db.session.commit()

    resp = paper.action(batch, "commit")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "nothing was recorded" in page
    assert "Serial 1: A ballot has already been cast" in page
    assert "Serial 3: A ballot has already been cast" in page and "Serial 2:" not in page
    assert count(Ballot) == 2 and count(Ballot, Ballot.channel == "paper") == 0
    assert count(Participation, Participation.channel == "paper") == 0
    assert count(PaperEntry) == 6
    assert db.session.scalar(select(PaperBatch.status)) == "reconciled"
    assert "paper.commit" not in db.session.scalars(select(AuditEvent.action)).all()

    paper.action(batch, "void", serial="1", reason="Voted online before the box was opened")
    paper.action(batch, "void", serial="3", reason="Voted online")
    assert paper.action(batch, "commit").status_code == 303
    assert count(Ballot, Ballot.channel == "paper") == 1


def test_a_code_used_on_paper_is_refused_online(paper, client, open_cycle, codes, alice, bob):
    _, (lights, *_rest) = open_cycle
    batch = entered_batch(paper, alice, bob, [("1", [lights], {"code": codes[0]})])
    assert paper.action(batch, "commit").status_code == 303
    client.post("/auth/logout", data={"csrf_token": paper.csrf("/vote/autumn/code")})
    with client.session_transaction() as session:
        session.clear()
    resp = client.post("/vote/autumn/code", data={"csrf_token": paper.csrf("/vote/autumn/code"),
                                                   "code": codes[0]})
    assert resp.status_code == 200 and "This code cannot be used" in resp.get_data(as_text=True)


@pytest.mark.parametrize("ranks,message", [
    ({"rank_1": "{a}", "rank_2": "{a}"}, "Each proposal can be ranked only once."),
    ({"rank_2": "{a}"}, "Choice 1 is empty but choice 2 is filled."),
    ({}, "Rank at least one proposal."),
    ({"rank_1": "999999"}, "not on this ballot"),
    ({"rank_1": "{a}", "rank_4": "{b}"}, "You can rank at most 3 proposals."),
])
def test_invalid_rankings_are_refused_at_entry(paper, open_cycle, codes, alice, ranks, message):
    _, (lights, youth, _garden) = open_cycle
    _, batch = paper.as_(alice).start()
    url = f"/staff/paper/batch/{batch.id}/round/1"
    data = {"csrf_token": paper.csrf(url), "serial": "1", "code": codes[0], "roll": ""}
    data.update({k: v.format(a=lights, b=youth) for k, v in ranks.items()})
    resp = paper.client.post(url, data=data)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert message in page and "Nothing was saved." in page
    assert count(PaperEntry) == 0
    assert "paper.enter" not in db.session.scalars(select(AuditEvent.action)).all()


@pytest.mark.parametrize("voter,message", [
    ({}, "Give either the voter's code or their roll entry"),
    ({"code": "AAAA-BBBB-CCCC-DDDD"}, "not one of this cycle's codes"),
    ({"code": "{code}", "roll": "rosa@example.org"}, "one, not both"),
    ({"roll": "nobody@example.org"}, "No registered resident"),
])
def test_each_entry_names_one_known_voter(paper, open_cycle, codes, alice, make_user, voter,
                                          message):
    _, (lights, *_rest) = open_cycle
    make_user("resident", email="rosa@example.org")
    _, batch = paper.as_(alice).start()
    voter = {k: v.format(code=codes[0]) for k, v in voter.items()}
    resp = paper.enter(batch, 1, "1", [lights], **voter)
    assert resp.status_code == 200 and message in html.unescape(resp.get_data(as_text=True))
    assert count(PaperEntry) == 0


def test_paper_ballots_only_while_voting_is_open(paper, open_cycle, codes, alice, bob):
    cycle, (lights, *_rest) = open_cycle
    batch = entered_batch(paper, alice, bob, [("1", [lights], {"code": codes[0]})])
    cycle.phase = "counting"
    db.session.commit()
    page = paper.page(batch)
    assert "cannot change or be committed" in page
    resp = paper.action(batch, "commit")
    assert resp.status_code == 303 and "only while voting is open" in paper.page(batch)
    assert count(Ballot) == 0 and count(PaperEntry) == 2
    resp = paper.enter(batch, 1, "2", [lights], code=codes[1])
    assert resp.status_code == 200 and count(PaperEntry) == 2
    resp, _ = paper.start("Late box")
    assert resp.status_code == 200 and count(PaperBatch) == 1


def test_staff_only(client, csrf, login, make_user, open_cycle, alice):
    _, (lights, *_rest) = open_cycle
    batch = PaperBatch(cycle_id=open_cycle[0].id, label="Box", status="open", created_by=alice.id)
    db.session.add(batch)
    db.session.flush()
    db.session.add(PaperEntry(batch_id=batch.id, serial="1", entry_round=1, entered_by=alice.id,
                              ranking=[lights], voter_ref="user:1"))
    db.session.commit()
    base = f"/staff/paper/batch/{batch.id}"
    gets = ["/staff/paper/", "/staff/paper/autumn", base, f"{base}/round/1", f"{base}/round/1/1"]
    posts = ["/staff/paper/autumn", f"{base}/round/1", f"{base}/round/1/1", f"{base}/compare",
             f"{base}/void", f"{base}/commit"]
    for url in gets:
        assert client.get(url).status_code == 302  # to the login page
    login(make_user("resident"))
    token = csrf("/")  # the sign-out form's
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url, data={"csrf_token": token, "serial": "1", "reason": "x",
                                      "label": "New"}).status_code == 403, url
    assert count(PaperBatch) == 1 and count(PaperEntry) == 1


def test_posts_without_csrf_token_are_refused(paper, open_cycle, codes, alice):
    _, (lights, *_rest) = open_cycle
    _, batch = paper.as_(alice).start()
    base = f"/staff/paper/batch/{batch.id}"
    resp = paper.client.post(f"{base}/round/1", data={"serial": "1", "code": codes[0],
                                                      "rank_1": str(lights)})
    assert resp.status_code == 400
    for url in ("/staff/paper/autumn", f"{base}/compare", f"{base}/void", f"{base}/commit"):
        assert paper.client.post(url, data={"serial": "1", "reason": "x"}).status_code == 400
    assert count(PaperEntry) == 0 and count(PaperBatch) == 1


def test_after_commit_no_row_links_a_ballot_to_its_code(paper, open_cycle, codes, alice, bob):
    _, (lights, youth, garden) = open_cycle
    batch = entered_batch(paper, alice, bob, [("S-101", [lights, youth], {"code": codes[0]}),
                                              ("S-102", [garden], {"code": codes[1]})])
    assert paper.action(batch, "commit").status_code == 303
    assert count(PaperEntry) == 0
    tables = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = conn.execute(text(f'SELECT * FROM "{table.name}"')).all()
            tables[table.name] = " ".join(str(tuple(r)) for r in rows)
    hashes = [code_hash(c) for c in codes[:2]]
    keys = [voter_key("code", h) for h in hashes]
    for name, dump in tables.items():
        for code in codes[:2]:
            assert code not in dump and normalise(code) not in dump
        if name != "voting_code":
            assert not any(h in dump for h in hashes), name
        if name != "participation":
            assert not any(k in dump for k in keys), name
        if name not in ("audit_event",):
            assert "S-101" not in dump, name
    assert "S-101" not in tables["ballot"]
