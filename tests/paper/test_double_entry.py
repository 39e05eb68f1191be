"""Two staff members type each batch; the rounds are compared and only agreement is committed."""
import json

from sqlalchemy import select

from pbapp.audit.models import AuditEvent
from pbapp.cycles.services import count_cycle
from pbapp.extensions import db
from pbapp.paper.models import PaperBatch, PaperEntry
from pbapp.voting.codes import code_hash, normalise, usable_code
from pbapp.voting.models import Ballot, Participation
from pbapp.voting.services import cast_ballot, voter_key

from paper_helpers import count


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_full_journey_two_staff_enter_compare_and_commit(paper, open_cycle, codes, alice, bob,
                                                         make_user):
    cycle, (lights, youth, garden) = open_cycle
    rosa = make_user("resident", email="rosa@example.org")
    cast_ballot(cycle, voter_key("user", make_user("resident").id), "online", [youth])
    db.session.commit()

    resp, batch = paper.as_(alice).start("Library box 1")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/batch/{batch.id}")
    assert (batch.status, batch.created_by) == ("open", alice.id)
    ballots = [("1", [lights, youth], {"code": codes[0]}),
               ("2", [garden], {"code": codes[1].lower().replace("-", " ")}),
               ("3", [youth, garden, lights], {"roll": "Rosa@example.org"})]
    for serial, ranking, voter in ballots:
        resp = paper.enter(batch, 1, serial, ranking, **voter)
        assert resp.status_code == 303 and resp.headers["Location"].endswith("/round/1")
    page = paper.page(batch)
    assert "Alice Staff" in page and "Street lights" not in page  # blind: counts only
    paper.as_(bob)
    round2 = paper.client.get(f"/staff/paper/batch/{batch.id}/round/2").get_data(as_text=True)
    assert "0 serials" in round2
    for serial, ranking, voter in ballots:
        assert paper.enter(batch, 2, serial, ranking, **voter).status_code == 303

    assert paper.action(batch, "compare").status_code == 303
    assert batch.status == "reconciled"
    page = paper.page(batch)
    assert "None: both rounds agree" in page and "Commit the batch" in page
    assert count(Ballot) == 1

    resp = paper.action(batch, "commit")
    assert resp.status_code == 303
    assert "Committed: 3 paper ballots cast." in paper.page(batch)
    assert (batch.status, batch.ballots) == ("committed", 3)
    assert count(PaperEntry) == 0
    assert count(Ballot, Ballot.channel == "paper") == 3
    assert sorted(map(sorted, db.session.scalars(
        select(Ballot.ranking).where(Ballot.channel == "paper")))) == sorted(
        sorted(r) for _, r, _ in ballots)
    keys = set(db.session.scalars(select(Participation.voter_key)
                                  .where(Participation.channel == "paper")))
    assert keys == {voter_key("code", code_hash(codes[0])), voter_key("code", code_hash(codes[1])),
                    voter_key("user", rosa.id)}
    assert usable_code(cycle, codes[0]) is None  # the code can no longer vote online
    assert usable_code(cycle, codes[2]) is not None

    assert actions() == ["paper.batch_create"] + ["paper.enter"] * 6 + ["paper.compare",
                                                                         "paper.commit"]
    events = db.session.scalars(select(AuditEvent)).all()
    assert {e.actor_id for e in events if e.detail.get("round") == 1} == {alice.id}
    assert {e.actor_id for e in events if e.detail.get("round") == 2} == {bob.id}
    assert events[-1].actor_id == bob.id and events[-1].detail["ballots"] == 3
    assert all(e.at is not None for e in events)
    log = json.dumps([e.detail for e in events])
    for code in codes[:2]:
        assert code not in log and normalise(code) not in log and code_hash(code) not in log
    assert "ranking" not in log and "rosa" not in log.lower()

    cycle.phase = "counting"
    db.session.commit()
    assert count_cycle(cycle, bob).ballots == 4


def test_mismatches_are_listed_and_block_the_commit_until_resolved(paper, open_cycle, codes,
                                                                   alice, bob, make_user):
    cycle, (lights, youth, garden) = open_cycle
    carol = make_user("staff", name="Carol Supervisor")
    _, batch = paper.as_(alice).start()
    paper.enter(batch, 1, "1", [lights, youth], code=codes[0])
    paper.enter(batch, 1, "2", [garden], code=codes[1])
    paper.enter(batch, 1, "3", [youth], code=codes[2])
    paper.as_(bob)
    paper.enter(batch, 2, "1", [youth, lights], code=codes[0])
    paper.enter(batch, 2, "2", [garden], code=codes[3])
    paper.enter(batch, 2, "4", [lights], code=codes[2])
    paper.action(batch, "compare")
    assert batch.status == "entered"
    page = paper.page(batch)
    for line in ("Serial 1: The rankings differ.", "Serial 2: The voters differ.",
                 "Serial 3: Missing in round 2.", "Serial 4: Missing in round 1."):
        assert line in page
    assert "Commit the batch" not in page
    assert "voting code (fingerprint" in page and codes[0] not in page

    resp = paper.action(batch, "commit")
    assert resp.status_code == 303
    assert "no mismatches can be committed" in paper.page(batch)
    assert count(Ballot) == 0 and count(Participation) == 0

    paper.as_(carol)
    form = paper.client.get(f"/staff/paper/batch/{batch.id}/round/2/1").get_data(as_text=True)
    assert "Correct serial 1, round 2" in form and "Retype it" in form
    assert f'<option selected value="{youth}">' in form
    assert paper.correct(batch, 2, "1", [lights, youth], code=codes[0]).status_code == 303
    assert paper.correct(batch, 2, "2", [garden], code=codes[1]).status_code == 303
    refused = paper.action(batch, "void", serial="4", reason="")
    assert refused.status_code == 200 and "Say why." in refused.get_data(as_text=True)
    assert paper.action(batch, "void", serial="4", reason="Not from this box").status_code == 303
    page = paper.page(batch)
    assert "Serial 3: Missing in round 2." in page and "Serial 1:" not in page
    assert "Serial 4: Not from this box" in page
    assert batch.status == "entered"
    paper.as_(bob)
    assert paper.enter(batch, 2, "3", [youth], code=codes[2]).status_code == 303
    assert batch.status == "reconciled"

    assert paper.action(batch, "commit").status_code == 303
    assert count(Ballot, Ballot.channel == "paper") == 3 and count(PaperEntry) == 0
    assert sorted(db.session.scalars(select(Ballot.ranking))) == sorted(
        [[garden], [youth], [lights, youth]])
    assert actions().count("paper.correct") == 2 and "paper.void" in actions()
    void = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "paper.void"))
    assert void.actor_id == carol.id and void.detail["serial"] == "4"


def test_the_same_staff_member_cannot_type_both_rounds(paper, open_cycle, codes, alice):
    _, (lights, *_rest) = open_cycle
    _, batch = paper.as_(alice).start()
    assert paper.enter(batch, 1, "1", [lights], code=codes[0]).status_code == 303
    page = paper.client.get(f"/staff/paper/batch/{batch.id}/round/2").get_data(as_text=True)
    assert "must be entered by another staff member" in page and "Save and enter" not in page
    resp = paper.enter(batch, 2, "1", [lights], code=codes[0])
    assert resp.status_code == 200
    assert "must be entered by another staff member" in resp.get_data(as_text=True)
    assert count(PaperEntry, PaperEntry.entry_round == 2) == 0
    assert paper.action(batch, "compare").status_code == 303
    assert batch.status == "open"
    assert "Both rounds need entries" in paper.page(batch)


def test_a_serial_is_entered_once_per_round(paper, open_cycle, codes, alice):
    _, (lights, youth, _garden) = open_cycle
    _, batch = paper.as_(alice).start()
    paper.enter(batch, 1, "7", [lights], code=codes[0])
    resp = paper.enter(batch, 1, "7", [youth], code=codes[1])
    assert "Serial 7 is already entered in round 1" in resp.get_data(as_text=True)
    resp = paper.enter(batch, 1, "8", [youth], code=codes[0])
    assert "already entered on serial 7" in resp.get_data(as_text=True)
    assert count(PaperEntry) == 1
    assert db.session.scalar(select(PaperBatch.status)) == "open"
