"""The published ballots can be downloaded and recounted with pbapp-tally to the same result."""
import hashlib
import json
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import select

from pbapp.cycles.models import Result
from pbapp.extensions import db
from pbapp.voting.models import Ballot


def recount(path, *args) -> dict:
    proc = subprocess.run([sys.executable, "-m", "pbapp.tally", str(path), "--json", *args],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def download(client, fmt, tmp_path, slug="2026-spring"):
    resp = client.get(f"/cycles/{slug}/results/ballots.{fmt}")
    assert resp.status_code == 200
    assert "attachment" in resp.headers["Content-Disposition"]
    path = tmp_path / f"ballots.{fmt}"
    path.write_bytes(resp.data)
    return resp, path


@pytest.fixture()
def demo(runner):
    assert runner.invoke(args=["demo", "--ballots", "400"]).exit_code == 0
    return db.session.scalar(select(Result))


def test_each_download_recounts_to_the_published_result(client, demo, tmp_path):
    published = demo.data
    _, pb = download(client, "pb", tmp_path)
    # the demo part-funds at 10%: a .pb file has no META key for that, so it is given as a flag
    part = str(published["options"]["part_fund"])
    assert part == "0.1" and any("part_funded" in p for p in published["projects"])
    again = recount(pb, "--part-fund", part)
    assert again["method"] == "equal-shares" and again["options"]["completion"] == "add1"
    assert again["winners"] == published["winners"] and again["spent"] == published["spent"]

    costs = json.dumps({p["id"]: p["cost"] for p in published["projects"]})
    for fmt in ("csv", "blt"):
        _, path = download(client, fmt, tmp_path)
        other = recount(path, "--method", "equal-shares", "--budget", str(published["budget"]),
                        "-o", f"costs={costs}", "-o", "completion=add1", "-o", "max_length=5", "--part-fund", part)
        assert other["winners"] == published["winners"], fmt


def test_downloads_hold_exactly_the_counted_ballots_shuffled(client, demo, tmp_path):
    _, csv_path = download(client, "csv", tmp_path)
    header, *rows = csv_path.read_text().splitlines()
    assert header.startswith("Ballot,Channel,Polling place,Rank 1,")
    cells = [row.split(",") for row in rows]
    # each ballot's channel and place (or "withheld" where fewer than 11 share them), then ranks
    assert {c[1] for c in cells} <= {"online", "code", "paper", "withheld"}
    from_file = [tuple(c for c in row[3:] if c) for row in cells]
    stored = [tuple(map(str, r)) for r in db.session.scalars(select(Ballot.ranking))]
    assert Counter(from_file) == Counter(stored) and len(from_file) == 400
    assert from_file != sorted(from_file)  # not grouped or sorted: shuffled


def test_page_shows_each_files_hash_and_downloads_are_cacheable(client, demo):
    page = client.get("/cycles/2026-spring/results").data
    for fmt in ("pb", "csv", "blt"):
        resp = client.get(f"/cycles/2026-spring/results/ballots.{fmt}")
        digest = hashlib.sha256(resp.data).hexdigest()
        assert digest.encode() in page
        assert resp.headers["ETag"].strip('"') == digest
        again = client.get(f"/cycles/2026-spring/results/ballots.{fmt}",
                           headers={"If-None-Match": resp.headers["ETag"]})
        assert again.status_code == 304
        assert client.get(f"/cycles/2026-spring/results/ballots.{fmt}").data == resp.data


def test_no_download_before_publication_or_in_unknown_formats(client, demo):
    assert client.get("/cycles/2026-autumn/results/ballots.csv").status_code == 404
    assert client.get("/cycles/2026-spring/results/ballots.xlsx").status_code == 404
    assert client.get("/cycles/nope/results/ballots.csv").status_code == 404
