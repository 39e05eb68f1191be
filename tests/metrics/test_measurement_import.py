"""The CSV import of measurements: every bad line named, all or nothing, safe to repeat."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.metrics.models import Measurement

HEADER = ("metric,scope,scope_ref,period_start,period_end,value,numerator,denominator,"
          "breakdown,group,source,note")
GOOD = [
    "violent-injuries,city,,2026-01-01,2026-03-31,120,,,,,A&E return,",
    "violent-injuries,city,,2026-01-01,2026-03-31,7,,,age_band,18-24,A&E return,",
    "violent-injuries,neighbourhood,northside,2026-01-01,2026-03-31,40,,,,,,",
    "violent-injuries,city,,2026-01-01,2026-03-31,40,,,neighbourhood,northside,,",
    "feel-safe,city,,2026-01-01,2026-12-31,,30,40,,,Survey 2026,\"weighted, rounded\"",
    "feel-safe,project,{project},2026-01-01,2026-12-31,55.5,,,gender,women,,",
]
URL = "/metrics/import"


@pytest.fixture()
def catalogue(make_metric, make_hood):
    from pbapp.boards.models import Board
    from pbapp.cycles.models import Cycle
    from pbapp.projects.models import Project
    from pbapp.proposals.models import Proposal

    make_metric("violent-injuries")
    make_metric("feel-safe", kind="percent")
    make_hood("northside", "Northside")
    board = Board(slug="east", name="East")
    cycle = Cycle(slug="c1", name="C1", budget_cents=100, phase="implementation")
    project = Project(proposal=Proposal(cycle=cycle, board=board, title="Lights", summary="",
                                        cost_cents=100, status="funded"),
                      cycle=cycle, board=board, title="Lights", budget_cents=100)
    db.session.add(project)
    db.session.commit()
    return project


def _csv(lines: list[str], project=None, header: str = HEADER) -> bytes:
    return "\n".join([header, *lines]).format(project=getattr(project, "id", 0)).encode() + b"\n"


def _upload(client, csrf, data: bytes, name: str = "measurements.csv"):
    return client.post(URL, data={"csrf_token": csrf(URL), "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _stored() -> list[tuple]:
    db.session.expire_all()
    return [(m.id, m.metric_id, m.scope, m.scope_ref, m.neighbourhood_id, m.project_id,
             m.period_start, m.period_end, m.value, m.numerator, m.denominator, m.breakdown,
             m.group_name, m.source, m.note, m.entered_at)
            for m in db.session.scalars(select(Measurement).order_by(Measurement.id))]


def _imports() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "metrics.import")))


def test_staff_import_a_file(client, staff, csrf, catalogue):
    page = _upload(client, csrf, _csv(GOOD, catalogue))
    assert page.status_code == 303
    follow = client.get(page.headers["Location"]).data.decode()
    assert "Imported 6 rows: 6 added, 0 updated, 0 unchanged." in follow
    rows = {(m.metric.key, m.scope, m.breakdown, m.group_name): m
            for m in db.session.scalars(select(Measurement))}
    assert len(rows) == 6
    hood = rows["violent-injuries", "neighbourhood", "", ""]
    assert hood.neighbourhood.slug == "northside" and hood.value == 40
    survey = rows["feel-safe", "city", "", ""]
    assert (survey.numerator, survey.denominator, survey.note) == (30, 40, "weighted, rounded")
    assert rows["feel-safe", "project", "gender", "women"].project_id == catalogue.id
    assert rows["violent-injuries", "city", "age_band", "18-24"].entered_by_id == staff.id
    (event,) = _imports()
    assert event.actor_id == staff.id
    assert event.detail == {"rows": 6, "added": 6, "updated": 0, "unchanged": 0}


def test_reimporting_the_same_file_changes_nothing(client, staff, csrf, catalogue):
    data = _csv(GOOD, catalogue)
    _upload(client, csrf, data)
    before = _stored()
    page = _upload(client, csrf, data)
    assert "Imported 6 rows: 0 added, 0 updated, 6 unchanged." in client.get(
        page.headers["Location"]).data.decode()
    assert _stored() == before
    assert [e.detail for e in _imports()][-1] == {"rows": 6, "added": 0, "updated": 0,
                                                  "unchanged": 6}


def test_a_changed_value_updates_its_cell(client, staff, csrf, catalogue):
    _upload(client, csrf, _csv(GOOD, catalogue))
    before = {row[0]: row for row in _stored()}
    changed = [GOOD[0].replace(",120,", ",125,"), *GOOD[1:],
               "violent-injuries,city,,2026-04-01,2026-06-30,98,,,,,,"]
    page = _upload(client, csrf, _csv(changed, catalogue))
    assert "Imported 7 rows: 1 added, 1 updated, 5 unchanged." in client.get(
        page.headers["Location"]).data.decode()
    after = {row[0]: row for row in _stored()}
    assert len(after) == 7
    updated = [i for i in before if before[i] != after[i]]
    assert len(updated) == 1 and after[updated[0]][8] == 125


def test_optional_columns_may_be_left_out_and_bom_is_accepted(client, staff, csrf, catalogue):
    data = b"\xef\xbb\xbf" + _csv(["violent-injuries,city,2026-01-01,2026-03-31,12"],
                                  header="metric,scope,period_start,period_end,value")
    page = _upload(client, csrf, data)
    assert page.status_code == 303
    (m,) = db.session.scalars(select(Measurement))
    assert (m.scope_ref, m.value, m.breakdown, m.source) == ("", 12, "", "")


BAD_ROWS = [
    ("speeding,city,,2026-01-01,2026-03-31,5,,,,,,", "metric “speeding” is not a metric"),
    ("violent-injuries,region,,2026-01-01,2026-03-31,5,,,,,,", "scope “region” is not a scope"),
    ("violent-injuries,city,northside,2026-01-01,2026-03-31,5,,,,,,",
     "scope_ref must be empty for the city"),
    ("violent-injuries,neighbourhood,atlantis,2026-01-01,2026-03-31,5,,,,,,",
     "scope_ref “atlantis” is not a known neighbourhood"),
    ("violent-injuries,project,9999,2026-01-01,2026-03-31,5,,,,,,",
     "scope_ref “9999” is not the id of a funded project"),
    ("violent-injuries,city,,2026-02-30,2026-03-31,5,,,,,,",
     "period_start “2026-02-30” is not a date written YYYY-MM-DD"),
    ("violent-injuries,city,,2026-01-01,31/03/2026,5,,,,,,",
     "period_end “31/03/2026” is not a date"),
    ("violent-injuries,city,,2026-04-01,2026-03-31,5,,,,,,",
     "period_end (2026-03-31) is before the start of the period (2026-04-01)"),
    ("violent-injuries,city,,2026-01-01,2026-03-31,-5,,,,,,", "value “-5” is negative"),
    ("violent-injuries,city,,2026-01-01,2026-03-31,5.5,,,,,,",
     "value “5.5” is not a whole number"),
    ("violent-injuries,city,,2026-01-01,2026-03-31,,,,,,,", "value is missing"),
    ("feel-safe,city,,2026-01-01,2026-03-31,,,,,,,",
     "value is missing: a percent needs a value, or a numerator and denominator"),
    ("feel-safe,city,,2026-01-01,2026-03-31,,-3,40,,,,", "numerator “-3” is negative"),
    ("feel-safe,city,,2026-01-01,2026-03-31,,3,,,,,", "denominator is missing"),
    ("violent-injuries,city,,2026-01-01,2026-03-31,5,,,religion,christian,,",
     "breakdown “religion” is not a breakdown"),
    ("violent-injuries,city,,2026-01-01,2026-03-31,5,,,,women,,",
     "group must be empty for a total"),
    ("violent-injuries,city,,2026-01-01,2026-03-31,5,,,gender,,,", "group is missing"),
    ("violent-injuries,city,,2026-01-01,2026-03-31,5,,,neighbourhood,atlantis,,",
     "group “atlantis” is not a known neighbourhood"),
    ("violent-injuries,city,,2026-01-01,2026-03-31,5,,", "expected 12 columns, found 8"),
    (GOOD[0], "the same cell as line 2"),
]


@pytest.mark.parametrize("row, error", BAD_ROWS)
def test_a_bad_line_is_named_and_nothing_is_written(client, staff, csrf, catalogue, counts, row,
                                                    error):
    before = counts()
    # a good line before and after: the bad one is line 3, and they are not written either
    page = _upload(client, csrf, _csv([GOOD[0], row, GOOD[2]], catalogue))
    assert page.status_code == 200
    html = page.data.decode().replace("&#39;", "'")
    assert "Nothing was imported." in html
    assert f"Line 3: {error}" in html, error
    assert "Line 2" not in html and "Line 4" not in html
    assert counts() == before


def test_every_bad_line_is_listed(client, staff, csrf, catalogue, counts):
    before = counts()
    page = _upload(client, csrf, _csv([BAD_ROWS[0][0], *GOOD[:2], BAD_ROWS[1][0]], catalogue))
    html = page.data.decode()
    assert "Line 2: metric “speeding”" in html and "Line 5: scope “region”" in html
    assert counts() == before


@pytest.mark.parametrize("header, error", [
    ("metric,scope,start,end,value", "unknown column(s) “start”, “end”"),
    ("metric,scope,period_start,period_end,value,value", "column(s) named twice: value"),
    ("scope,period_start,period_end,value", "missing column(s) metric"),
])
def test_a_wrong_header_is_refused(client, staff, csrf, catalogue, counts, header, error):
    before = counts()
    page = _upload(client, csrf, _csv(["violent-injuries,city,2026-01-01,2026-03-31,5"],
                                      header=header))
    html = page.data.decode()
    assert "Line 1: the header is wrong" in html and error in html
    assert counts() == before


@pytest.mark.parametrize("data, name, error", [
    ("metric,scope\nviolent-injuries,cité".encode("latin-1"), "m.csv", "is not UTF-8 text"),
    (b"PK\x03\x04\x14\x00\x06\x00", "m.csv", "not a CSV text file"),
    (b"", "m.csv", "The file is empty"),
    (HEADER.encode() + b"\n", "m.csv", "no rows"),
    (b"a,b", "m.xlsx", "Upload a .csv file."),
])
def test_files_that_are_not_csv_are_refused(client, staff, csrf, catalogue, counts, data, name,
                                            error):
    before = counts()
    page = _upload(client, csrf, data, name)
    assert page.status_code == 200
    assert error in page.data.decode()
    assert counts() == before


def test_cli_imports_a_file(runner, catalogue, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(_csv(GOOD, catalogue))
    result = runner.invoke(args=["metrics", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "6 added, 0 updated, 0 unchanged" in result.output
    assert len(_stored()) == 6
    assert _imports()[0].actor_id is None
    again = runner.invoke(args=["metrics", "import", str(path)])
    assert again.exit_code == 0 and "0 added, 0 updated, 6 unchanged" in again.output


def test_cli_fails_with_every_error_and_writes_nothing(runner, catalogue, tmp_path, counts):
    path = tmp_path / "m.csv"
    path.write_bytes(_csv([GOOD[0], BAD_ROWS[0][0], BAD_ROWS[8][0]], catalogue))
    before = counts()
    result = runner.invoke(args=["metrics", "import", str(path)])
    assert result.exit_code != 0
    assert "Line 3: metric “speeding” is not a metric" in result.output
    assert "Line 4: value “-5” is negative" in result.output
    assert "nothing was imported" in result.output
    assert counts() == before
