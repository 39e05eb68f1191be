"""The cycle report: protected turnout, the published count, funded projects, metrics, timeline."""
import re
from datetime import date, datetime, timezone

from pbapp.cycles.models import Cycle
from pbapp.cycles.services import count_cycle
from pbapp.extensions import db
from pbapp.projects.models import Milestone, ProjectUpdate
from pbapp.voting.services import cast_ballot, voter_key

from tests.conftest import main_of
from report_helpers import get_json, html_rows, json_row, json_table, row_cells, table_html


def test_turnout_by_neighbourhood_hides_small_and_complementary_cells(client, publish):
    publish()
    page = client.get("/reports/cycles/2026-spring")
    assert page.status_code == 200
    hood = table_html(page.data, "turnout-neighbourhood")
    assert row_cells(hood, "Riverside") == ["20"]
    assert row_cells(hood, "Old Town") == ["&lt;11"]  # 3 voters
    assert row_cells(hood, "Hilltop") == ["—"]  # 14, else Old Town = 62 - the rest
    assert row_cells(hood, "Docklands") == ["0"]
    assert row_cells(hood, "Not recorded") == ["25"]
    assert row_cells(hood, "Total") == ["62"]
    caption = re.search(rb'<figcaption id="report-chart-turnout-neighbourhood">(.*?)</figcaption>',
                        hood, re.S).group(1).decode()
    assert "Turnout was 62; Riverside had the most voters (20); 2 groups are hidden" in caption
    svg = re.search(rb"<svg\b.*?</svg>", hood, re.S).group(0)
    assert b'aria-labelledby="report-chart-turnout-neighbourhood"' in svg
    assert b"<script" not in svg.lower()
    values = re.findall(rb'<desc class="value">([^<]*)</desc>', svg)
    assert sorted(values) == [b"0", b"20", b"25"]  # Old Town (3) and Hilltop (14) not drawn
    # each bar's label carries its number as the table writes it, a hidden one its mark
    assert b"Old Town: &lt;11" in svg and b"Hilltop: \xe2\x80\x94" in svg
    assert b"Riverside: 20" in svg and b'class="value"' not in svg.replace(b'desc class="value"', b"")

    age = table_html(page.data, "turnout-age")
    assert row_cells(age, "18-24") == ["20"] and row_cells(age, "25-34") == ["17"]
    assert row_cells(age, "65+") == ["0"] and row_cells(age, "Not recorded") == ["25"]
    channel = table_html(page.data, "turnout-channel")
    assert [row_cells(channel, label) for label in
            ("Online with an account", "With a voting code", "On paper", "Total")] == \
        [["37"], ["13"], ["12"], ["62"]]


def test_results_section_reuses_the_results_page_rounds(client, publish):
    cycle, result, _ = publish()
    body = main_of(client.get("/reports/cycles/2026-spring").data)
    section = body[body.find(b'id="section-results"'):body.find(b'id="section-projects"')]
    assert result.cvr_sha256.encode() in section
    assert b'id="round-1"' in section and b"Every round" in section
    assert b'aria-labelledby="chart-scores"' in section  # the results page's own chart
    doc = get_json(client, "/reports/cycles/2026-spring.json")
    count = json_table(doc, "count")
    assert json_row(count, "Ballots counted")["cells"]["value"]["value"] == 62
    winners = json_table(doc, "winners")
    assert [r["label"] for r in winners["rows"]] == ["Street lights", "Youth centre"]
    round1 = json_table(doc, "round-1")
    assert json_row(round1, "Street lights")["cells"]["outcome"]["value"] == "funded"


def test_json_figures_match_the_page(client, tracked):
    page = client.get("/reports/cycles/2026-spring").data
    doc = get_json(client, "/reports/cycles/2026-spring.json")
    assert doc["report"] == "cycle" and doc["subject"]["slug"] == "2026-spring"
    checked = 0
    for table_id in ("turnout-channel", "turnout-neighbourhood", "turnout-age", "projects",
                     "equity-violent-injuries-city-age_band", "timeline"):
        t = json_table(doc, table_id)
        rows = t["rows"] + [t["total"]] * bool(t["total"])
        expected = [(r["label"], [r["cells"][c["key"]]["display"] if c["key"] in r["cells"]
                                  else "" for c in t["columns"]]) for r in rows]
        assert html_rows(table_html(page, table_id)) == expected, table_id
        checked += len(rows)
    assert checked > 20
    hood = json_table(doc, "turnout-neighbourhood")
    old_town = json_row(hood, "Old Town")["cells"]["count"]
    assert old_town == {"value": None, "display": "<11", "suppressed": "small"}
    assert json_row(hood, "Hilltop")["cells"]["count"]["suppressed"] == "complementary"


def test_funded_projects_progress_and_equity(client, tracked):
    _, _, project = tracked
    page = client.get("/reports/cycles/2026-spring").data
    funded = table_html(page, "projects")
    assert row_cells(funded, "Street lights")[1:] == ["400", "200", "Planned"]
    assert row_cells(funded, "Total")[1:3] == ["700", "200"]
    assert f'href="/reports/projects/{project.id}"'.encode() in funded
    assert b"Across 2 funded projects, 200 of 700 has been spent" in funded
    assert b"Violent injuries" in table_html(page, "equity-violent-injuries-city-age_band")

    doc = get_json(client, "/reports/cycles/2026-spring.json")
    progress = json_row(json_table(doc, f"progress-{project.id}"), "Violent injuries")["cells"]
    assert progress["latest"]["value"] == 35 and progress["status"]["value"] == "on_track"
    assert progress["baseline"]["value"] == 40 and progress["target"]["value"] == 30
    equity = json_table(doc, "equity-violent-injuries-city-age_band")
    cells = {r["label"]: r["cells"]["value"] for r in equity["rows"]}
    assert cells["18-24"] == {"value": None, "display": "<11", "suppressed": "small"}
    assert cells["25-34"]["value"] == 20
    assert cells["35-44"] == {"value": None, "display": "—", "suppressed": "complementary"}
    fragment = table_html(page, "equity-violent-injuries-city-age_band")
    assert row_cells(fragment, "18-24") == ["&lt;11"] and row_cells(fragment, "35-44") == ["—"]


def test_timeline_lists_dates_in_order(client, tracked):
    cycle, _, project = tracked
    cycle.voting_opens = datetime(2026, 4, 1, 9, tzinfo=timezone.utc)
    cycle.voting_closes = datetime(2026, 4, 15, 20, tzinfo=timezone.utc)
    project.milestones.append(Milestone(title="Poles installed", due_on=date(2026, 8, 1),
                                        done_on=date(2026, 7, 20)))
    project.milestones.append(Milestone(title="Not done yet", due_on=date(2026, 12, 1)))
    project.updates.append(ProjectUpdate(title="Lights on", body="All lit.",
                                         published_at=datetime(2026, 7, 21, 9,
                                                               tzinfo=timezone.utc)))
    db.session.commit()
    doc = get_json(client, "/reports/cycles/2026-spring.json")
    events = [(r["label"], r["cells"]["date"]["value"])
              for r in json_table(doc, "timeline")["rows"]]
    labels = [label for label, _ in events]
    assert labels[:4] == ["Voting opened", "Voting closed", "Milestone done: Poles installed",
                          "Update: Lights on"]
    assert "Result published" in labels and not any("Not done yet" in x for x in labels)
    assert [d for _, d in events] == sorted(d for _, d in events)
    assert b"Milestone done: Poles installed" in client.get("/reports/cycles/2026-spring").data


def test_only_a_published_result_has_a_report(client, make_cycle, make_proposal, make_user):
    make_cycle(slug="draft-one")
    voting = make_cycle(slug="voting-now", phase="voting")
    counted = make_cycle(slug="counted", phase="voting")
    prop = make_proposal(counted, "Bench")
    cast_ballot(counted, voter_key("test", "x"), "online", [prop.id])
    counted.phase = "counting"
    count_cycle(counted, make_user("staff"))  # counted but never published
    db.session.commit()
    assert voting.phase == "voting"
    for slug in ("draft-one", "voting-now", "counted", "nowhere"):
        for suffix in ("", ".csv", ".json"):
            assert client.get(f"/reports/cycles/{slug}{suffix}").status_code == 404, slug
    assert db.session.get(Cycle, counted.id).phase == "counting"


def test_print_stylesheet_is_linked_and_served(client, publish):
    publish()
    page = client.get("/reports/cycles/2026-spring").data
    assert re.search(rb'<link rel="stylesheet" href="/static/css/print.css" media="print">', page)
    css = client.get("/static/css/print.css")
    assert css.status_code == 200
    text = css.data.decode()
    assert "a[href]::after" in text and "break-inside: avoid" in text
    assert ".site-header" in text and "svg" in text
    results = client.get("/cycles/2026-spring/results").data
    assert b'href="/reports/cycles/2026-spring"' in results
