"""The voter roll: staff import the council's CSV, all or nothing, from the page or the CLI."""
import io
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.cycles.models import Neighbourhood
from pbapp.extensions import db
from pbapp.voting.models import VoterRollEntry

ROLL_URL = "/cycles/manage/autumn/roll"
GOOD = """reference,name,email,birth_year,neighbourhood
C-1,Ana Alvarez,Ana@Example.org,1990,riverside
C-2,Ben Brown,,2010,Hillside
C-3,Chen Chao,chen@example.org,65+,
"""
BAD = """reference,name,email,birth_year,neighbourhood
C-1,Ana Alvarez,ana@example.org,1990,riverside
C-2,Ben Brown,,2010,Nowhere
C-3,Chen Chao,,19x0,riverside
C-1,Dup Licate,,1980,riverside
C-5,,,1980,riverside
C-6,Fine Person,,1985,hillside
"""
NAMES = ("Ana Alvarez", "Ben Brown", "Chen Chao")


@pytest.fixture()
def cycle(make_cycle):
    db.session.add_all([Neighbourhood(slug="riverside", name="Riverside"),
                        Neighbourhood(slug="hillside", name="Hillside")])
    db.session.commit()
    return make_cycle(slug="autumn", name="Autumn budget", phase="review",
                      voting_closes=datetime(2027, 3, 15, 18, tzinfo=timezone.utc))


def roll_size() -> int:
    return db.session.scalar(select(func.count()).select_from(VoterRollEntry))


def audit() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def upload(client, token, text: str, filename="roll.csv"):
    return client.post(ROLL_URL, data={"csrf_token": token,
                                       "file": (io.BytesIO(text.encode()), filename)},
                       content_type="multipart/form-data")


def test_staff_import_a_roll_and_see_its_size_by_place_and_age(client, csrf, staff, cycle):
    page = client.get(ROLL_URL)
    assert page.status_code == 200 and b"0 people are on the roll" in page.data
    resp = upload(client, csrf(ROLL_URL), GOOD)
    assert resp.status_code == 303 and resp.headers["Location"].endswith(ROLL_URL)

    entries = {e.reference: e for e in db.session.scalars(select(VoterRollEntry))}
    assert set(entries) == {"C-1", "C-2", "C-3"}
    assert entries["C-1"].email == "ana@example.org" and entries["C-1"].birth_year == 1990
    assert entries["C-2"].email is None
    assert (entries["C-3"].birth_year, entries["C-3"].age_band) == (None, "65+")
    riverside = db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == "riverside"))
    assert entries["C-1"].neighbourhood_id == riverside.id
    assert entries["C-3"].neighbourhood_id is None

    page = client.get(ROLL_URL).get_data(as_text=True)
    assert "3 added to the roll, 0 already on it" in page
    assert "3 people are on the roll" in page
    for band in ("under 18", "35-44", "65+"):  # ages in 2027, the year voting closes
        assert f'<th class="num">{band}</th>' in page
    assert "<td>Riverside</td>" in page and "<td>Not given</td>" in page
    for name in NAMES:
        assert name not in page  # the page shows counts, not people

    (event,) = audit()
    assert event.action == "roll.import" and event.actor_id == staff.id
    assert event.detail == {"rows": 3, "added": 3, "already": 0}
    stored = json.dumps(event.detail) + event.target
    assert not any(part in stored for name in NAMES for part in name.split())
    assert "example.org" not in stored


def test_one_bad_line_imports_nothing_and_every_bad_line_is_listed(client, csrf, staff, cycle):
    resp = upload(client, csrf(ROLL_URL), BAD)
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    assert "Nothing was imported" in text
    assert "Line 3: neighbourhood &#39;Nowhere&#39; is not a known neighbourhood" in text
    assert "Line 4: birth_year &#39;19x0&#39; is not a year" in text
    assert "Line 5: reference &#39;C-1&#39; is already on line 2" in text
    assert "Line 6: name is missing" in text
    assert "Line 2:" not in text and "Line 7:" not in text
    assert roll_size() == 0 and audit() == []


@pytest.mark.parametrize("text, message", [
    ("name,reference\nAna,C-1\n", "Line 1: the header must be"),
    ("", "Line 1: the header must be"),
    ("reference,name,email,birth_year,neighbourhood\nC-1,Ana,,1990\n", "Line 2: expected 5"),
    ("reference,name,email,birth_year,neighbourhood\nC-1,Ana,not-an-email,,\n",
     "is not an email address"),
    ("reference,name,email,birth_year,neighbourhood\nC-1,Ana,,2999,\n", "is not a year"),
])
def test_malformed_files_are_refused(client, csrf, staff, cycle, text, message):
    resp = upload(client, csrf(ROLL_URL), text)
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert roll_size() == 0 and audit() == []


def test_reimporting_adds_only_new_people(client, csrf, staff, cycle):
    token = csrf(ROLL_URL)
    assert upload(client, token, GOOD).status_code == 303
    assert upload(client, token, GOOD).status_code == 303
    assert roll_size() == 3
    assert "0 added to the roll, 3 already on it" in client.get(ROLL_URL).get_data(as_text=True)
    longer = GOOD + "C-4,Dee Dee,dee@example.org,2001,riverside\n"
    assert upload(client, token, longer).status_code == 303
    assert roll_size() == 4
    assert [e.detail["added"] for e in audit()] == [3, 0, 1]


def test_roll_cannot_change_after_voting(client, csrf, staff, cycle):
    cycle.phase = "counting"
    db.session.commit()
    resp = upload(client, csrf(ROLL_URL), GOOD)
    assert resp.status_code == 200 and b"the roll can no longer change" in resp.data
    assert roll_size() == 0 and audit() == []


def test_roll_page_is_staff_only_and_needs_csrf(client, csrf, make_user, login, cycle):
    login(make_user("resident"))
    token = csrf("/auth/account")
    assert client.get(ROLL_URL).status_code == 403
    assert upload(client, token, GOOD).status_code == 403
    login(make_user("staff"))
    assert upload(client, "", GOOD).status_code == 400
    assert client.get("/cycles/manage/nope/roll").status_code == 404
    assert roll_size() == 0 and audit() == []


def test_cli_imports_all_or_nothing_and_is_idempotent(runner, tmp_path, cycle):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")

    result = runner.invoke(args=["roll", "import", "--cycle", "autumn", str(good)])
    assert result.exit_code == 0, result.output
    assert "3 added, 0 already on it" in result.output
    again = runner.invoke(args=["roll", "import", "--cycle", "autumn", str(good)])
    assert again.exit_code == 0 and "0 added, 3 already on it" in again.output
    assert roll_size() == 3

    refused = runner.invoke(args=["roll", "import", "--cycle", "autumn", str(bad)])
    assert refused.exit_code != 0
    for line in ("Line 3:", "Line 4:", "Line 5:", "Line 6:"):
        assert line in refused.output
    assert "nothing was imported" in refused.output
    missing = runner.invoke(args=["roll", "import", "--cycle", "nope", str(good)])
    assert missing.exit_code != 0 and "No cycle" in missing.output
    assert roll_size() == 3
    assert [e.detail for e in audit()] == [{"rows": 3, "added": 3, "already": 0},
                                          {"rows": 3, "added": 0, "already": 3}]


def test_an_imported_roll_lets_matching_accounts_vote(client, csrf, staff, cycle, make_user,
                                                      login, make_proposal, runner, tmp_path):
    path = tmp_path / "roll.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert runner.invoke(args=["roll", "import", "--cycle", "autumn", str(path)]).exit_code == 0
    lights = make_proposal(cycle, "Street lights")
    cycle.use_roll, cycle.phase = True, "voting"
    db.session.commit()
    login(make_user(email="ana@example.org"))
    page = client.get("/vote/autumn")
    assert b'name="op" value="add:' in page.data
    login(make_user(email="chen.other@example.org"))
    assert b"not on it" in client.get("/vote/autumn").data
    token = csrf("/auth/account")
    assert b"not on it" in client.post("/vote/autumn/cast",
                                       data={"csrf_token": token,
                                             "rank_1": str(lights.id)}).data
