"""The board report: public proposals across cycles, funded projects and meetings held."""
from datetime import datetime, timedelta, timezone

from pbapp.boards.models import Meeting
from pbapp.extensions import db
from pbapp.proposals.models import Proposal

from report_helpers import get_json, html_rows, json_row, json_table, row_cells, table_html


def _extra_proposals(cycle, board, make_cycle):
    later = make_cycle(slug="autumn-draft")  # a draft cycle: nothing of it is public
    for c, title, status in ((cycle, "Secret draft", "draft"),
                             (cycle, "Under review idea", "submitted"),
                             (cycle, "Too costly", "rejected"),
                             (later, "Future idea", "accepted")):
        db.session.add(Proposal(cycle=c, board=board, title=title, summary="About it",
                                cost_cents=900_00, status=status))
    now = datetime.now(timezone.utc)
    board.meetings.append(Meeting(title="Spring meeting", starts_at=now - timedelta(days=30),
                                  location="Library", minutes="Agreed the shortlist."))
    board.meetings.append(Meeting(title="Next meeting", starts_at=now + timedelta(days=30)))
    db.session.commit()


def test_board_report_shows_public_proposals_projects_and_meetings(client, tracked,
                                                                    make_cycle):
    cycle, _, project = tracked
    _extra_proposals(cycle, project.board, make_cycle)
    page = client.get("/reports/boards/east")
    assert page.status_code == 200
    body = page.data
    for hidden in (b"Secret draft", b"Under review idea", b"Future idea", b"Next meeting"):
        assert hidden not in body
    proposals = html_rows(table_html(body, "proposals"))
    assert proposals == [
        ("Garden", ["Spring 2026", "500", "Not funded", ""]),
        ("Street lights", ["Spring 2026", "400", "Funded", "Planned"]),
        ("Too costly", ["Spring 2026", "900", "Rejected", ""]),
        ("Youth centre", ["Spring 2026", "300", "Funded", "Planned"])]
    funded = table_html(body, "projects")
    assert row_cells(funded, "Street lights")[1:] == ["400", "200", "Planned"]
    assert row_cells(funded, "Youth centre")[1:] == ["300", "0", "Planned"]
    assert b'aria-labelledby="report-chart-projects"' in funded
    meetings = html_rows(table_html(body, "meetings"))
    assert [label for label, _ in meetings] == ["Spring meeting"]
    assert meetings[0][1][1:] == ["Library", "yes"]
    assert b"Violent injuries" in body  # the metric target's progress and equity tables

    doc = get_json(client, "/reports/boards/east.json")
    assert doc["report"] == "board" and doc["subject"]["name"] == "East board"
    row = json_row(json_table(doc, "projects"), "Street lights")["cells"]
    assert (row["budget"]["value"], row["spent"]["value"], row["status"]["value"]) == \
        (400, 200, "planned")
    assert [r["label"] for r in json_table(doc, "proposals")["rows"]] == \
        [label for label, _ in proposals]


def test_board_page_links_to_its_report(client, publish):
    publish()
    assert b'href="/reports/boards/east"' in client.get("/boards/east").data


def test_unknown_board_has_no_report(client, publish):
    publish()
    for suffix in ("", ".csv", ".json"):
        assert client.get(f"/reports/boards/nobody{suffix}").status_code == 404
