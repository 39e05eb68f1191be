"""Part-funding as a cycle option (issue 19): the staff form sets it, the count applies it, and
results, proposal and project pages, the report and the API say "part-funded: X of Y".
Runs on SQLite and PostgreSQL (the ``app`` fixture)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from pbapp.cycles.models import Cycle, Result
from pbapp.extensions import db
from pbapp.projects.models import Project
from pbapp.tally.cli import main as tally_main

from test_count import run_count, voted  # noqa: F401  (the shared fixture)

FORM = {"name": "T", "slug": "t", "budget": "100", "max_ranks": "3", "method": "greedy",
        "seats": "1", "scoring": "k-points", "completion": "", "threshold": "",
        "vote_by_account": "y"}


@pytest.mark.parametrize("extra, stored", [
    ({}, None),
    ({"part_fund": "y"}, 50),
    ({"part_fund": "y", "part_fund_share": "20"}, 20),
    ({"part_fund_share": "20"}, None),  # a share without the box ticked: off
])
def test_the_cycle_form_sets_part_funding(client, csrf, staff, extra, stored):
    url = "/cycles/manage/new"
    resp = client.post(url, data={"csrf_token": csrf(url), **FORM, **extra})
    assert resp.status_code == 303
    assert db.session.scalar(select(Cycle.part_fund_share)) == stored


@pytest.mark.parametrize("share", ["0", "101", "²", "-5", "1e2", "9" * 30])
def test_a_bad_share_is_refused_and_nothing_made(client, csrf, staff, share):
    url = "/cycles/manage/new"
    resp = client.post(url, data={"csrf_token": csrf(url), **FORM, "part_fund": "y",
                                  "part_fund_share": share})
    assert resp.status_code in (200, 422)
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 0


def test_part_funded_everywhere(client, csrf, staff, voted, tmp_path, capsys):  # noqa: F811
    cycle, props = voted  # greedy 1000: youth 300, lights 600; garden (500) gets the 100 left
    cycle.part_fund_share = 20
    db.session.commit()
    assert run_count(client, csrf).status_code == 303
    result = db.session.scalar(select(Result))
    garden = str(props["garden"].id)
    assert result.data["winners"][-1] == garden and result.data["spent"] == 1000
    entry = next(p for p in result.data["projects"] if p["id"] == garden)
    assert entry["part_funded"] == 100 and entry["reason"] == "part-funded"
    page = client.get(f"/cycles/manage/{cycle.slug}/results/{result.id}").get_data(as_text=True)
    assert "part-funded: 100 of 500" in page

    publish = f"/cycles/manage/{cycle.slug}/results/{result.id}/publish"
    assert client.post(publish, data={"csrf_token": csrf(publish.rsplit("/", 1)[0])}
                       ).status_code == 303
    project = db.session.scalar(select(Project).where(Project.proposal_id == int(garden)))
    assert project.budget_cents == 100_00 and project.part_of_cents == 500_00
    others = db.session.scalars(select(Project).where(Project.proposal_id != int(garden))).all()
    assert all(p.part_of_cents is None for p in others)

    for url in (f"/cycles/{cycle.slug}/results", f"/projects/{project.id}",
                f"/proposals/{garden}", f"/projects/?cycle={cycle.slug}"):
        shown = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "part-funded: 100 of 500" in shown, url

    api = client.get(f"/api/v1/projects/{project.id}").get_json()
    assert api["budget_cents"] == 100_00 and api["part_of_cents"] == 500_00
    results = client.get(f"/api/v1/cycles/{cycle.slug}/results").get_json()
    assert next(p for p in results["projects"] if p["id"] == garden)["part_funded"] == 100
    report = client.get(f"/reports/cycles/{cycle.slug}.json")
    if report.status_code == 200:
        tables = {t["id"]: t for s in report.get_json()["sections"] for t in s["tables"]}
        row = next(r for r in tables["proposals"]["rows"] if r["key"] == garden)
        assert row["cells"]["part_funded"]["display"] == "part-funded: 100 of 500"

    # the download with --part-fund repeats the count; without it, the count without the part
    path = tmp_path / "ballots.pb"
    path.write_bytes(client.get(f"/cycles/{cycle.slug}/results/ballots.pb").data)
    assert tally_main([str(path), "--json", "--part-fund", "20%"]) == 0
    assert json.loads(capsys.readouterr().out)["winners"] == result.data["winners"]
    assert tally_main([str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["winners"] == result.data["winners"][:-1]
