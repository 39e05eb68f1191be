"""Staff make voting codes on a page: shown once as a CSV download, only hashes are kept."""
import csv
import io

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.voting.codes import CODE_LENGTH, code_hash, code_voter_key, normalise
from pbapp.voting.models import Participation, VotingCode
from pbapp.models_base import utcnow


def url(slug: str = "spring") -> str:
    return f"/cycles/manage/{slug}/codes"


def n_codes() -> int:
    return db.session.scalar(select(func.count(VotingCode.id)))


def code_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent)
                                   .where(AuditEvent.action == "codes.generate")))


def test_staff_generates_codes_once_as_csv(client, csrf, staff, make_cycle):
    cycle = make_cycle(phase="voting", vote_by_account=False)
    assert f'href="{url()}"'.encode() in client.get("/cycles/manage/spring").data
    page = client.get(url())
    assert page.status_code == 200 and b"0 codes have been made" in page.data

    resp = client.post(url(), data={"csrf_token": csrf(url()), "count": "5",
                                    "batch": "Library, Saturday"})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in resp.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    assert rows[0] == ["code"]
    codes = [r[0] for r in rows[1:]]
    assert len(codes) == 5 and len(set(codes)) == 5
    assert all(len(normalise(c)) == CODE_LENGTH for c in codes)

    stored = db.session.scalars(select(VotingCode).where(VotingCode.cycle_id == cycle.id)).all()
    assert len(stored) == 5 and {v.batch for v in stored} == {"Library, Saturday"}
    assert {v.code_hash for v in stored} == {code_hash(c) for c in codes}
    everything = " ".join(f"{v.code_hash} {v.batch}" for v in stored)
    assert not any(c in everything or normalise(c) in everything for c in codes)

    [event] = code_events()
    assert event.actor_id == staff.id and event.target == "cycle:spring"
    assert event.detail == {"count": 5, "personal": False}
    assert not any(c in str(event.detail) for c in codes)

    # one code votes: the page counts it
    db.session.add(Participation(cycle_id=cycle.id, voter_key=code_voter_key(code_hash(codes[0])),
                                 channel="code", voted_at=utcnow()))
    db.session.add(Participation(cycle_id=cycle.id, voter_key="online:someone",
                                 channel="online", voted_at=utcnow()))
    db.session.commit()
    page = client.get(url())
    assert b"5 codes have been made" in page.data and b"1 has voted" in page.data
    assert not any(c.encode() in page.data for c in codes)  # never shown again


def test_residents_and_strangers_are_refused(client, make_user, login, make_cycle):
    make_cycle(phase="voting", vote_by_account=False)
    anonymous = client.get(url())
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["Location"]
    login(make_user("resident"))
    assert client.get(url()).status_code == 403
    assert client.post(url(), data={"count": "5"}).status_code in (400, 403)
    assert n_codes() == 0 and code_events() == []


def test_post_without_csrf_is_refused(client, staff, make_cycle):
    make_cycle(phase="voting", vote_by_account=False)
    assert client.post(url(), data={"count": "5"}).status_code == 400
    assert n_codes() == 0 and code_events() == []


@pytest.mark.parametrize("count", ["0", "-3", "100001", "", "many"])
def test_bad_count_makes_nothing(client, csrf, staff, make_cycle, count):
    make_cycle(phase="voting", vote_by_account=False)
    resp = client.post(url(), data={"csrf_token": csrf(url()), "count": count})
    assert resp.status_code == 422
    assert resp.headers["Content-Type"].startswith("text/html")
    assert b'class="error"' in resp.data
    assert n_codes() == 0 and code_events() == []


def test_batch_label_too_long_makes_nothing(client, csrf, staff, make_cycle):
    make_cycle(phase="voting", vote_by_account=False)
    resp = client.post(url(), data={"csrf_token": csrf(url()), "count": "3", "batch": "x" * 81})
    assert resp.status_code == 422 and n_codes() == 0 and code_events() == []


def test_closed_cycle_makes_nothing(client, csrf, staff, make_cycle):
    make_cycle(phase="closed", vote_by_account=False)
    token = csrf("/cycles/manage/spring")
    resp = client.post(url(), data={"csrf_token": token, "count": "3"})
    assert resp.status_code == 422 and b"closed" in resp.data
    assert n_codes() == 0 and code_events() == []


def test_unknown_cycle_is_404(client, staff):
    assert client.get(url("nowhere")).status_code == 404


def test_where_accounts_vote_the_page_refuses_anonymous_codes(client, csrf, staff, make_cycle):
    """One person could vote with their account and again with an anonymous code."""
    make_cycle(phase="voting")  # accounts vote (the default), no roll
    page = client.get(url())
    assert page.status_code == 200 and b"one person could vote twice" in page.data
    assert b'name="count"' not in page.data
    resp = client.post(url(), data={"csrf_token": csrf(url()), "count": "3"})
    assert resp.status_code == 422 and b"one person could vote twice" in resp.data
    assert n_codes() == 0 and code_events() == []


def test_a_roll_cycle_gets_personal_codes_for_a_mail_merge(client, csrf, staff, make_cycle):
    from pbapp.voting.models import VoterRollEntry

    cycle = make_cycle(phase="voting", use_roll=True)
    db.session.add_all([VoterRollEntry(cycle_id=cycle.id, reference=f"R-{n}", name=f"P {n}",
                                       address=f"{n} Mill Lane") for n in (1, 2)])
    db.session.commit()
    page = client.get(url())
    assert b"personal" in page.data and b'name="count"' not in page.data
    resp = client.post(url(), data={"csrf_token": csrf(url()), "batch": "Letters"})
    assert resp.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert [(r["reference"], r["address"]) for r in rows] == [("R-1", "1 Mill Lane"),
                                                               ("R-2", "2 Mill Lane")]
    assert db.session.scalar(select(func.count(VotingCode.id)).where(
        VotingCode.roll_entry_id.is_not(None))) == 2
    again = client.post(url(), data={"csrf_token": csrf(url()), "batch": ""})
    assert again.status_code == 422 and b"already has a personal code" in again.data
    assert n_codes() == 2
