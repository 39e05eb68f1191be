"""CSV and JSON downloads: the page's protected numbers, safe to open in a spreadsheet."""
import json
import re
from datetime import datetime, timezone

from sqlalchemy import select

from pbapp.boards.models import Board, Meeting
from pbapp.cycles.models import Cycle
from pbapp.demo import seed_demo
from pbapp.extensions import db
from pbapp.projects.models import Project

from report_helpers import csv_cell, csv_rows, json_row, json_table

FORMULA = re.compile(r"^[=+\-@\t\r]")


def test_cycle_csv_is_tidy_and_protected(client, tracked):
    response = client.get("/reports/cycles/2026-spring.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="2026-spring-report.csv"'
    assert response.data.splitlines()[0] == b"section,table,row,column,value,suppressed"
    rows = csv_rows(response.data)
    hood = "turnout-neighbourhood"
    assert csv_cell(rows, hood, "Riverside", "count")["value"] == "20"
    assert {k: v for k, v in csv_cell(rows, hood, "Old Town", "count").items()
            if k in ("value", "suppressed")} == {"value": "<11", "suppressed": "small"}
    assert csv_cell(rows, hood, "Hilltop", "count")["suppressed"] == "complementary"
    assert csv_cell(rows, hood, "Hilltop", "count")["value"] == "—"
    assert csv_cell(rows, hood, "Docklands", "count")["value"] == "0"
    assert csv_cell(rows, hood, "Total", "count")["value"] == "62"
    assert not [r for r in rows if r["table"] == hood and r["value"] in ("3", "14")]
    equity = "equity-violent-injuries-city-age_band"
    assert csv_cell(rows, equity, "18-24", "value")["value"] == "<11"
    assert csv_cell(rows, equity, "35-44", "value")["suppressed"] == "complementary"
    assert csv_cell(rows, "projects", "Street lights", "spent")["value"] == "200"
    assert {r["section"] for r in rows} >= {"participation", "results", "projects", "progress",
                                            "equity", "timeline"}


def test_cycle_json_download_marks_hidden_cells(client, tracked):
    response = client.get("/reports/cycles/2026-spring.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="2026-spring-report.json"'
    doc = json.loads(response.data)
    hood = json_table(doc, "turnout-neighbourhood")
    assert json_row(hood, "Old Town")["cells"]["count"] == \
        {"value": None, "display": "<11", "suppressed": "small"}
    assert json_row(hood, "Riverside")["cells"]["count"]["value"] == 20
    assert [s["id"] for s in doc["sections"]] == ["participation", "results", "projects",
                                                  "progress", "equity", "timeline"]


def test_csv_neutralises_spreadsheet_formulas(client, publish):
    title = '=HYPERLINK("http://evil.example","click")'
    publish(titles=(title, "+Youth centre", "Garden"))
    board = db.session.scalar(select(Board).where(Board.slug == "east"))
    board.meetings.append(Meeting(title="@SUM(A1:A9)", location="-2+3",
                                  starts_at=datetime(2026, 1, 5, 18, tzinfo=timezone.utc)))
    db.session.commit()
    rows = csv_rows(client.get("/reports/cycles/2026-spring.csv").data)
    funded = {r["row"] for r in rows if r["table"] == "projects"}
    assert "'" + title in funded and "'+Youth centre" in funded
    board_rows = csv_rows(client.get("/reports/boards/east.csv").data)
    assert csv_cell(board_rows, "meetings", "'@SUM(A1:A9)", "location")["value"] == "'-2+3"
    project = db.session.scalar(select(Project).where(Project.title == title))
    project_rows = csv_rows(client.get(f"/reports/projects/{project.id}.csv").data)
    for every in (rows, board_rows, project_rows):
        assert every and not [v for r in every for v in r.values() if FORMULA.match(v)]
    # JSON is data, not a spreadsheet: the title stays as written
    doc = json.loads(client.get("/reports/cycles/2026-spring.json").data)
    assert title in [r["label"] for r in json_table(doc, "projects")["rows"]]
    assert b"=HYPERLINK(&#34;http://evil.example&#34;" in \
        client.get("/reports/cycles/2026-spring").data


def test_board_and_project_downloads_are_attachments(client, tracked):
    _, _, project = tracked
    for url, name in (("/reports/boards/east", "board-east-report"),
                      (f"/reports/projects/{project.id}", f"project-{project.id}-report")):
        for ext in ("csv", "json"):
            response = client.get(f"{url}.{ext}")
            assert response.status_code == 200
            assert response.headers["Content-Disposition"] == \
                f'attachment; filename="{name}.{ext}"'
        assert json.loads(client.get(f"{url}.json").data)["sections"]
        page = client.get(url).data
        assert f'href="{url}.csv"'.encode() in page and f'href="{url}.json"'.encode() in page


def test_every_demo_report_renders(client):
    lines = list(seed_demo(ballots=300, seed=1))
    assert lines and "Seeded" in lines[0]
    done = db.session.scalar(select(Cycle).where(Cycle.slug == "2026-spring"))
    live = db.session.scalar(select(Cycle).where(Cycle.slug == "2026-autumn"))
    urls = [f"/reports/cycles/{done.slug}"]
    urls += [f"/reports/boards/{b.slug}" for b in db.session.scalars(select(Board))]
    urls += [f"/reports/projects/{p.id}" for p in db.session.scalars(select(Project))]
    assert len(urls) >= 4
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"<script>" not in response.data
    for suffix in (".csv", ".json"):
        assert client.get(urls[0] + suffix).status_code == 200
    page = client.get(urls[0]).data
    assert b'aria-labelledby="report-chart-turnout-neighbourhood"' in page
    doc = json.loads(client.get(urls[0] + ".json").data)
    total = json_table(doc, "turnout-channel")["total"]["cells"]["count"]["value"]
    assert total == 300
    assert client.get(f"/reports/cycles/{live.slug}").status_code == 404
