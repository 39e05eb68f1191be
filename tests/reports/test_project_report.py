"""The project report: budget against spending, delivery record, metric trend and equity."""
import re
from datetime import date, datetime, timezone

from pbapp.cycles.models import Cycle
from pbapp.extensions import db
from pbapp.projects.models import Milestone, Project, ProjectStatusChange, ProjectUpdate
from pbapp.proposals.models import Proposal

from report_helpers import get_json, html_rows, json_row, json_table, row_cells, table_html


def test_project_report_money_and_delivery(client, tracked):
    _, _, project = tracked
    project.milestones.append(Milestone(title="Poles installed", due_on=date(2026, 8, 1),
                                        done_on=date(2026, 7, 20), note="On time."))
    project.updates.append(ProjectUpdate(title="Lights on", body="**All** lit. <script>x</script>",
                                         published_at=datetime(2026, 7, 21, 9,
                                                               tzinfo=timezone.utc)))
    project.history.append(ProjectStatusChange(from_status="planned", to_status="in_progress",
                                               reason="Contract signed.",
                                               at=datetime(2026, 5, 2, tzinfo=timezone.utc)))
    project.status = "in_progress"
    db.session.commit()
    page = client.get(f"/reports/projects/{project.id}")
    assert page.status_code == 200
    body = page.data
    summary = table_html(body, "project")
    assert [row_cells(summary, k) for k in ("Budget", "Spent", "Left", "Status")] == \
        [["400"], ["200"], ["200"], ["In progress"]]
    spending = table_html(body, "spending")
    assert row_cells(spending, "Staff") == ["150"] and row_cells(spending, "Equipment") == ["50"]
    assert row_cells(spending, "Materials") == ["0"]
    assert row_cells(spending, "Total spent") == ["200"]
    assert b"Spent 200 of the 400 budget; most on staff (150)." in spending
    assert html_rows(table_html(body, "milestones")) == [
        ("Poles installed", ["1 August 2026", "20 July 2026", "On time."])]
    history = html_rows(table_html(body, "status-history"))
    assert ("In progress", ["2 May 2026", "Planned", "Contract signed."]) in history
    updates = table_html(body, "updates")
    assert b"<strong>All</strong> lit." in updates and b"<script>" not in updates


def test_project_report_metric_trend_hides_small_counts(client, tracked):
    _, _, project = tracked
    body = client.get(f"/reports/projects/{project.id}").data
    trend = table_html(body, f"trend-{project.id}-violent-injuries")
    assert html_rows(trend) == [("2025-10-01 – 2025-12-31", ["<11"]),
                                ("2026-01-01 – 2026-03-31", ["38"]),
                                ("2026-04-01 – 2026-06-30", ["35"])]
    svg = re.search(rb"<svg\b.*?</svg>", trend, re.S).group(0)
    assert f'aria-labelledby="report-chart-trend-{project.id}-violent-injuries"'.encode() in svg
    measured = [v for v in re.findall(rb'<desc class="value">([^<]*)</desc>', svg)]
    assert b"7" not in measured and b"38" in measured and b"35" in measured
    assert b">7<" not in svg
    assert (b"Latest 35 (2026-04-01 \xe2\x80\x93 2026-06-30); baseline 40 (2025); target 30 by "
            b"30 June 2027.") in trend
    equity = html_rows(table_html(body, "equity-violent-injuries-city-age_band"))
    assert equity == [("18-24", ["<11"]), ("25-34", ["20"]), ("35-44", ["—"]), ("Total", ["35"])]

    doc = get_json(client, f"/reports/projects/{project.id}.json")
    assert doc["report"] == "project" and doc["subject"]["id"] == project.id
    trend_json = json_table(doc, f"trend-{project.id}-violent-injuries")
    first = trend_json["rows"][0]["cells"]["value"]
    assert first == {"value": None, "display": "<11", "suppressed": "small"}
    assert trend_json["baseline"]["value"] == 40 and trend_json["target"]["value"] == 30
    progress = json_row(json_table(doc, f"progress-{project.id}"), "Violent injuries")["cells"]
    assert progress["status"]["value"] == "on_track"
    assert json_row(json_table(doc, "spending"), "Staff")["cells"]["spent"]["value"] == 150


def test_project_without_a_published_result_has_no_report(client, publish):
    _, _, projects = publish()
    cycle = Cycle(slug="unpublished", name="Unpublished", budget_cents=1000_00,
                  phase="implementation")
    board = projects[0].board
    proposal = Proposal(cycle=cycle, board=board, title="Ghost", summary="x", cost_cents=100_00,
                        status="funded")
    ghost = Project(proposal=proposal, cycle=cycle, board=board, title="Ghost",
                    budget_cents=100_00)
    db.session.add(ghost)
    db.session.commit()
    for suffix in ("", ".csv", ".json"):
        assert client.get(f"/reports/projects/{ghost.id}{suffix}").status_code == 404
        assert client.get(f"/reports/projects/999999{suffix}").status_code == 404
        assert client.get(f"/reports/projects/{projects[0].id}{suffix}").status_code == 200
    board_page = client.get("/reports/boards/east").data
    assert b"Ghost" not in table_html(board_page, "projects")
